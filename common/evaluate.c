/* SPDX-License-Identifier: BSD-2-Clause */
/* One decision end to end: connect, read the principal, decide. Shared by PAM and the CLI. */
#include <stdio.h>
#include <string.h>

#include "directory.h"
#include "evaluate.h"
#include "ldapc.h"

struct orgrbac_host orgrbac_config_host(const struct orgrbac_config *cfg)
{
	struct orgrbac_host host = {
	    .org = cfg->org,
	    .services = (const char *const *)cfg->services,
	    .n_services = cfg->n_services,
	    .resource = cfg->resource,
	};

	return host;
}

void orgrbac_evaluate(const struct orgrbac_config *cfg, const char *user, const char *require,
		      int64_t now, bool trust_any_owner, struct orgrbac_evaluation *ev)
{
	struct orgrbac_host host = orgrbac_config_host(cfg);
	struct orgrbac_policy policy = {
	    .mfa_exempt_role = cfg->mfa_exempt_role,
	    .cross_org_privilege = cfg->cross_org_privilege,
	};
	struct orgrbac_ldap *l = NULL;
	const char *why;
	enum orgrbac_ldap_status lrc;
	enum orgrbac_dir_status rc;

	memset(ev, 0, sizeof(*ev));
	ev->decision.verdict = ORGRBAC_DENY;
	ev->status = ORGRBAC_EVAL_CONFIG;
	if (!orgrbac_username_valid(user, &why)) {
		ev->status = ORGRBAC_EVAL_BADNAME;
		orgrbac_seterr(&ev->err, "%s", why);
		return;
	}
	if (require == NULL) {
		orgrbac_seterr(&ev->err, "no requirement configured");
		return;
	}
	if (orgrbac_expr_parse(require, &ev->require, &ev->err) != 0)
		return;
	policy.require = ev->require;

	lrc = orgrbac_ldap_open(cfg, trust_any_owner, &l, &ev->err);
	if (lrc != ORGRBAC_LDAP_OK) {
		/* no server to ask, or [ldap] settings we refuse to use */
		ev->status =
		    lrc == ORGRBAC_LDAP_UNAVAIL ? ORGRBAC_EVAL_UNAVAIL : ORGRBAC_EVAL_CONFIG;
		return;
	}
	snprintf(ev->server, sizeof(ev->server), "%s", orgrbac_ldap_uri(l));
	rc = orgrbac_directory_load(l, cfg, user, &ev->facts, &ev->err);
	ev->round_trips = orgrbac_ldap_round_trips(l);
	orgrbac_ldap_close(l);
	switch (rc) {
	case ORGRBAC_DIR_FOUND:
	case ORGRBAC_DIR_NOUSER:
		ev->status = ORGRBAC_EVAL_DECIDED;
		orgrbac_decide(ev->facts, &host, &policy, now, &ev->decision);
		if (rc == ORGRBAC_DIR_NOUSER)
			snprintf(ev->decision.reason, sizeof(ev->decision.reason),
				 "not in the directory: %.400s", ev->err.msg);
		break;
	case ORGRBAC_DIR_REFUSED:
		/* A known name that may not log in: a denial, never "unknown". */
		ev->status = ORGRBAC_EVAL_DECIDED;
		ev->decision.verdict = ORGRBAC_DENY;
		snprintf(ev->decision.reason, sizeof(ev->decision.reason), "refused: %.400s",
			 ev->err.msg);
		break;
	case ORGRBAC_DIR_UNAVAIL: ev->status = ORGRBAC_EVAL_UNAVAIL; break;
	default: ev->status = ORGRBAC_EVAL_ERROR; break;
	}
}

void orgrbac_evaluation_free(struct orgrbac_evaluation *ev)
{
	orgrbac_facts_free(ev->facts);
	orgrbac_expr_free(ev->require);
	ev->facts = NULL;
	ev->require = NULL;
}
