/* SPDX-License-Identifier: BSD-2-Clause */
/* pam_orgrbac: PAM entry points - module arguments in, the policy engine's decision out. */
#define PAM_SM_ACCOUNT
#define PAM_SM_AUTH

#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "config.h"
#include "exempt.h"
#include "factor.h"
#include "gate.h"
#include "live_load.h"
#include "offline.h"
#include "pamargs.h"

/*
 * The configuration, its password file and the offline snapshot must be
 * root's. The one exception is the test build (tests/integration/local.mk),
 * never installed, which `make check` as any user loads through libpam.
 */
#ifndef ORGRBAC_PAM_TRUST_ANY_OWNER
#define ORGRBAC_PAM_TRUST_ANY_OWNER 0
#endif
static const bool trust_any_owner = ORGRBAC_PAM_TRUST_ANY_OWNER;

enum mode {
	MODE_ACCOUNT,
	MODE_AUTH, /* mfa_exempt: may this user skip the 2FA module? */
};

struct call {
	pam_handle_t *pamh;
	enum mode mode;
	const char *service;  /* PAM_SERVICE, for the requirement */
	char service_log[72]; /* printable copies for logs */
	char user[72];
};

static const char *code_name(int rc)
{
	switch (rc) {
	case PAM_SUCCESS: return "PAM_SUCCESS";
	case PAM_IGNORE: return "PAM_IGNORE";
	case PAM_PERM_DENIED: return "PAM_PERM_DENIED";
	case PAM_ACCT_EXPIRED: return "PAM_ACCT_EXPIRED";
	case PAM_USER_UNKNOWN: return "PAM_USER_UNKNOWN";
	case PAM_AUTHINFO_UNAVAIL: return "PAM_AUTHINFO_UNAVAIL";
	case PAM_SERVICE_ERR: return "PAM_SERVICE_ERR";
	case PAM_BUF_ERR: return "PAM_BUF_ERR";
	case PAM_SYSTEM_ERR: return "PAM_SYSTEM_ERR";
	default: return "?";
	}
}

/* The one log line of a decision, at `prio`; `reason` is never used as a format. */
static int finish_at(struct call *c, int prio, int rc, const char *reason)
{
	char why[800];

	orgrbac_printable(reason, why, sizeof(why));
	pam_syslog(c->pamh, prio, "%s; user=%s service=%s result=%s reason=%s",
		   c->mode == MODE_AUTH ? "2FA exemption" : "account decision", c->user,
		   c->service_log, code_name(rc), why);
	return rc;
}

static int finish(struct call *c, int rc, const char *reason)
{
	int prio = LOG_WARNING;

	if (rc == PAM_SUCCESS || rc == PAM_IGNORE)
		prio = LOG_NOTICE;
	else if (rc == PAM_SERVICE_ERR || rc == PAM_AUTHINFO_UNAVAIL || rc == PAM_BUF_ERR ||
		 rc == PAM_SYSTEM_ERR)
		prio = LOG_ERR; /* the administrator must act */
	return finish_at(c, prio, rc, reason);
}

/* Is `user` uid 0 in the passwd database (what getpwnam_r finds first)? */
static bool is_uid0(const char *user)
{
	struct passwd pw, *found = NULL;
	char buf[4096];

	return getpwnam_r(user, &pw, buf, sizeof(buf), &found) == 0 && found != NULL &&
	       found->pw_uid == 0;
}

/*
 * The configuration cannot be used, or the arguments did not parse (then
 * `arg_users` is what orgrbac_pam_args_ignore_users found): the users the
 * module must never judge pass, logged as an error the administrator must
 * act on, and everyone else is refused. `why` names the file, line and key,
 * or the argument.
 */
static int unusable(struct call *c, const char *arg_users, const char *user, const char *why)
{
	enum orgrbac_exempt ex = orgrbac_exempt(NULL, arg_users, user, is_uid0);
	char text[800];

	if (ex == ORGRBAC_JUDGED)
		return finish(c, PAM_SERVICE_ERR, why);
	snprintf(text, sizeof(text), "%.500s; passed through: %s", why, orgrbac_exempt_reason(ex));
	return finish_at(c, LOG_ERR, PAM_IGNORE, text);
}

/* Tell an external user why, when their access window is the reason. */
static void tell_expired(pam_handle_t *pamh, const char *reason, int flags)
{
	char text[512];

	if ((flags & PAM_SILENT) != 0)
		return;
	orgrbac_printable(reason, text, sizeof(text));
	pam_error(pamh, "%s", text);
}

static int decided(struct call *c, const struct orgrbac_pam_args *args,
		   const struct orgrbac_evaluation *ev, int flags)
{
	const struct orgrbac_decision *d = &ev->decision;
	char why[600];

	if (c->mode == MODE_AUTH) {
		/* Positive confirmation only: a known user, let in at all, holding the role. */
		if (d->verdict == ORGRBAC_ALLOW && d->mfa_exempt && d->mfa_grant != NULL) {
			snprintf(why, sizeof(why), "holds role '%s' through grant '%s', key first",
				 d->mfa_grant->role != NULL ? d->mfa_grant->role->name : "?",
				 d->mfa_grant->name);
			return finish(c, PAM_SUCCESS, why);
		}
		snprintf(why, sizeof(why), "not 2FA-exempt: %.500s",
			 d->verdict != ORGRBAC_ALLOW ? d->reason
						     : "no grant of the exempt role in force");
		return finish(c, PAM_IGNORE, why);
	}
	switch (d->verdict) {
	case ORGRBAC_ALLOW: return finish(c, PAM_SUCCESS, d->reason);
	case ORGRBAC_EXPIRED:
		tell_expired(c->pamh, d->reason, flags);
		return finish(c, PAM_ACCT_EXPIRED, d->reason);
	case ORGRBAC_UNKNOWN:
		return finish(c, args->ignore_unknown_user ? PAM_IGNORE : PAM_USER_UNKNOWN,
			      d->reason);
	default: return finish(c, PAM_PERM_DENIED, d->reason);
	}
}

/*
 * offline = snapshot: no server answered, so the snapshot's decision part
 * decides, through the same policy engine. A missing, stale, corrupt or
 * other host's snapshot never allows: PAM_AUTHINFO_UNAVAIL.
 */
static int offline(struct call *c, const struct orgrbac_pam_args *args,
		   const struct orgrbac_config *cfg, const char *user, const char *require,
		   const struct orgrbac_evaluation *live, int flags)
{
	struct orgrbac_evaluation ev;
	char why[1024];
	int rc;

	orgrbac_snapshot_evaluate(cfg, user, require, (int64_t)time(NULL), trust_any_owner, &ev);
	if (ev.status == ORGRBAC_EVAL_DECIDED) {
		snprintf(why, sizeof(why), "offline: %.500s", ev.decision.reason);
		snprintf(ev.decision.reason, sizeof(ev.decision.reason), "%.500s", why);
		rc = decided(c, args, &ev, flags);
	} else {
		snprintf(why, sizeof(why), "%.500s; offline: %.500s", live->err.msg, ev.err.msg);
		rc = finish(c, PAM_AUTHINFO_UNAVAIL, why);
	}
	orgrbac_evaluation_free(&ev);
	return rc;
}

/* Who and where, for the log line: PAM_SERVICE, and PAM_USER when it is set. */
static void call_init(struct call *c, pam_handle_t *pamh, enum mode mode)
{
	const void *item = NULL;

	*c = (struct call){
	    .pamh = pamh, .mode = mode, .service = "?", .service_log = "?", .user = "?"};
	if (pam_get_item(pamh, PAM_SERVICE, &item) == PAM_SUCCESS && item != NULL) {
		c->service = item;
		orgrbac_printable(c->service, c->service_log, sizeof(c->service_log));
	}
	if (pam_get_item(pamh, PAM_USER, &item) == PAM_SUCCESS && item != NULL)
		orgrbac_printable(item, c->user, sizeof(c->user));
}

/* Judge `user`, whom nothing exempts, under a configuration that was read. */
static int judge(struct call *c, const struct orgrbac_pam_args *args,
		 const struct orgrbac_config *cfg, const char *user, int flags)
{
	struct orgrbac_evaluation ev;
	const char *require;
	orgrbac_error err;
	int rc;

	/* No exemption without a factor verified first; the directory is not asked. */
	if (c->mode == MODE_AUTH &&
	    orgrbac_prior_factor(c->service, pam_getenv(c->pamh, ORGRBAC_AUTH_INFO_VAR), err.msg,
				 sizeof(err.msg)) != ORGRBAC_FACTOR_PUBLICKEY)
		return finish(c, PAM_IGNORE, err.msg);
	if (c->mode == MODE_AUTH)
		require = "none";
	else if (args->require != NULL)
		require = args->require;
	else
		require = orgrbac_config_require(cfg, args->service ? args->service : c->service);
	if (require == NULL) {
		snprintf(err.msg, sizeof(err.msg),
			 "no requirement: no require= argument, no [service] require, "
			 "no default_require in %.400s",
			 cfg->path);
		return finish(c, PAM_SERVICE_ERR, err.msg);
	}

	if (cfg->source == ORGRBAC_SOURCE_SNAPSHOT) {
		orgrbac_snapshot_evaluate(cfg, user, require, (int64_t)time(NULL), trust_any_owner,
					  &ev);
	} else {
		orgrbac_live_evaluate(cfg, user, require, (int64_t)time(NULL), trust_any_owner,
				      &ev);
	}
	if (args->debug)
		pam_syslog(c->pamh, LOG_DEBUG, "user=%s server=%s round_trips=%lu require=%s",
			   c->user, ev.server, ev.round_trips, require);
	switch (ev.status) {
	case ORGRBAC_EVAL_DECIDED: rc = decided(c, args, &ev, flags); break;
	case ORGRBAC_EVAL_BADNAME:
		rc = finish(c, c->mode == MODE_AUTH ? PAM_IGNORE : PAM_USER_UNKNOWN, ev.err.msg);
		break;
	case ORGRBAC_EVAL_UNAVAIL:
		if (c->mode == MODE_ACCOUNT && cfg->source == ORGRBAC_SOURCE_LIVE &&
		    cfg->offline == ORGRBAC_OFFLINE_SNAPSHOT)
			rc = offline(c, args, cfg, user, require, &ev, flags);
		else
			rc = finish(c, PAM_AUTHINFO_UNAVAIL, ev.err.msg);
		break;
	case ORGRBAC_EVAL_ERROR:
		rc = finish(c, c->mode == MODE_AUTH ? PAM_IGNORE : PAM_PERM_DENIED, ev.err.msg);
		break;
	default: rc = finish(c, PAM_SERVICE_ERR, ev.err.msg); break;
	}
	orgrbac_evaluation_free(&ev);
	return rc;
}

/*
 * Arguments, configuration, then who is exempt (orgrbac_exempt), then the
 * judgement. Whatever cannot be read, the users the module must never
 * judge still pass (unusable).
 */
static int pam_orgrbac(pam_handle_t *pamh, enum mode mode, int flags, int argc, const char **argv)
{
	struct call c;
	struct orgrbac_pam_args args;
	struct orgrbac_config *cfg = NULL;
	const void *item = NULL;
	const char *user = NULL;
	enum orgrbac_exempt ex;
	orgrbac_error err;
	int rc;

	call_init(&c, pamh, mode);
	if (pam_get_item(pamh, PAM_USER, &item) == PAM_SUCCESS)
		user = item;
	if (orgrbac_pam_args_parse(argc, argv, &args, &err) != 0)
		return unusable(&c, orgrbac_pam_args_ignore_users(argc, argv), user, err.msg);
	if (mode == MODE_AUTH && !args.mfa_exempt)
		return PAM_IGNORE; /* the auth mode never authenticates by itself */
	if (user == NULL)
		return finish(&c, mode == MODE_AUTH ? PAM_IGNORE : PAM_USER_UNKNOWN,
			      "no user name");
	if (orgrbac_config_load(args.config, trust_any_owner, &cfg, &err) != 0)
		return unusable(&c, args.ignore_users, user, err.msg);
	ex = orgrbac_exempt(cfg, args.ignore_users, user, is_uid0);
	if (ex != ORGRBAC_JUDGED)
		rc = finish(&c, PAM_IGNORE, orgrbac_exempt_reason(ex));
	else
		rc = judge(&c, &args, cfg, user, flags);
	orgrbac_config_free(cfg);
	return rc;
}

/* What pam_sm_authenticate returned on a handle, kept in that handle for pam_sm_setcred. */
#define AUTH_RESULT "pam_orgrbac:auth_result"

static void forget_result(pam_handle_t *pamh, void *data, int error_status)
{
	(void)pamh;
	(void)error_status;
	free(data);
}

/*
 * pam_setcred walks the auth stack again. On a handle where authenticate
 * ran, libpam takes each line's action from the code authenticate returned
 * but counts the code setcred returns: a module that answers otherwise
 * there changes the outcome ("[success=done ...]" then falls through to the
 * next line's setcred). Where authenticate did not run on the handle,
 * setcred's own codes steer the jumps. So setcred answers what
 * authenticate did on this handle, and the place for the answer is taken
 * before deciding, so that no answer is left unkept.
 */
static int authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	int *kept = malloc(sizeof(*kept));
	int rc = kept != NULL ? pam_set_data(pamh, AUTH_RESULT, kept, forget_result) : PAM_BUF_ERR;
	struct call c;

	if (rc != PAM_SUCCESS) {
		/* an answer setcred could not repeat is no answer: no exemption */
		free(kept);
		call_init(&c, pamh, MODE_AUTH);
		return finish(&c, rc,
			      rc == PAM_BUF_ERR
				  ? "not asked: out of memory keeping the answer for pam_setcred"
				  : "not asked: libpam would not keep the answer for pam_setcred "
				    "(the module must be called through a PAM stack)");
	}
	*kept = pam_orgrbac(pamh, MODE_AUTH, flags, argc, argv);
	return *kept;
}

/* Nothing authenticated on this handle: nothing to mirror, nothing established. */
static int setcred(pam_handle_t *pamh)
{
	const void *kept = NULL;

	if (pam_get_data(pamh, AUTH_RESULT, &kept) != PAM_SUCCESS || kept == NULL)
		return PAM_IGNORE;
	return *(const int *)kept;
}

PAM_EXTERN int pam_sm_acct_mgmt(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return pam_orgrbac(pamh, MODE_ACCOUNT, flags, argc, argv);
}

PAM_EXTERN int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return authenticate(pamh, flags, argc, argv);
}

PAM_EXTERN int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return setcred(pamh);
}
