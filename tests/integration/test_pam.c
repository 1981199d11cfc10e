/* SPDX-License-Identifier: BSD-2-Clause */
/* Integration tests of pam_orgrbac.so through the real libpam against a throwaway slapd. */
#include <dlfcn.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <syslog.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <security/pam_appl.h>
#include <security/pam_modules.h>

#include "testdir.h"
#include "gtime.h"

typedef int (*sm_fn)(pam_handle_t *, int, int, const char **);

static const char *module, *ldap_uri;
static void *dl;
static sm_fn acct_fn, auth_fn, setcred_fn;
static char dir[] = "/tmp/orgrbac-pamtest-XXXXXX";
static char conf[256], dead_conf[256], snap_conf[256], bad_conf[256];
static char said[2048];	       /* what the module told the user */
static int call_flags;	       /* flags of the next call() */
static int want_priority = -1; /* of the next call()'s line; -1: that of its code (priority_of) */

/* What sshd 9.2 puts into the PAM environment after it verified a key. */
#define KEY_PROOF "publickey ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOXpg7gf/+8A0Xl7fhqHuQVmvAqru\n"
static const char *auth_info = KEY_PROOF; /* SSH_AUTH_INFO_0 of the next call(); NULL: unset */

/*
 * pam_wrapper (PAM_WRAPPER=1, PAM_WRAPPER_DEBUGLEVEL=2, run.sh) writes what
 * pam_syslog is given to stderr instead of the system log, one line each:
 * "PWRAP_LEVEL[program (pid)] - SYSLOG(PRIORITY): line". A call points
 * stderr at a file of its own meanwhile (capture_begin, capture_end), so
 * that every line it logs is caught here, with its priority.
 */
static struct {
	int n;	      /* lines other than LOG_DEBUG */
	int priority; /* of the last of them */
	char last[1024];
} logged;
static FILE *capture;
static int saved_stderr = -1;

static void capture_begin(void)
{
	memset(&logged, 0, sizeof(logged));
	fflush(stderr);
	capture = tmpfile();
	assert_non_null(capture);
	saved_stderr = dup(STDERR_FILENO);
	assert_true(saved_stderr >= 0);
	assert_true(dup2(fileno(capture), STDERR_FILENO) >= 0);
}

static void capture_end(void)
{
	char line[2048];

	fflush(stderr);
	assert_true(dup2(saved_stderr, STDERR_FILENO) >= 0);
	close(saved_stderr);
	saved_stderr = -1;
	rewind(capture);
	while (fgets(line, sizeof(line), capture) != NULL) {
		const char *tag = strstr(line, "] - SYSLOG(");
		char *text;
		int pri;

		if (getenv("TEST_PAM_SHOW_LOG") != NULL)
			fprintf(stderr, "log %s", line);
		/* what others wrote meanwhile (valgrind, a sanitizer) is shown */
		if (strncmp(line, "PWRAP_", 6) != 0)
			fputs(line, stderr);
		if (tag == NULL || sscanf(tag, "] - SYSLOG(%d)", &pri) != 1 ||
		    (text = strstr(tag, "): ")) == NULL)
			continue;
		text += 3;
		text[strcspn(text, "\n")] = '\0';
		/* libpam has lines of its own ("no default config other") */
		if ((pri & LOG_PRIMASK) == LOG_DEBUG || strstr(text, "; user=") == NULL)
			continue;
		logged.n++;
		logged.priority = pri;
		snprintf(logged.last, sizeof(logged.last), "%s", text);
	}
	fclose(capture);
	capture = NULL;
}

/*
 * After each test, however it ended: a failed assertion between
 * capture_begin and capture_end leaves stderr on the capture, with
 * cmocka's account of the failure in it; put stderr back and show it.
 * A priority a failed test expected is not the next test's.
 */
static int capture_reset(void **state)
{
	char line[2048];

	want_priority = -1;
	if (capture == NULL)
		return 0;
	fflush(stderr);
	if (dup2(saved_stderr, STDERR_FILENO) < 0)
		return -1;
	close(saved_stderr);
	saved_stderr = -1;
	rewind(capture);
	while (fgets(line, sizeof(line), capture) != NULL)
		fputs(line, stderr);
	fclose(capture);
	capture = NULL;
	return 0;
}

/* The priority of a decision's line: the administrator must act on errors. */
static int priority_of(int rc)
{
	switch (rc) {
	case PAM_SUCCESS:
	case PAM_IGNORE: return LOG_NOTICE;
	case PAM_SERVICE_ERR:
	case PAM_AUTHINFO_UNAVAIL:
	case PAM_BUF_ERR:
	case PAM_SYSTEM_ERR: return LOG_ERR;
	default: return LOG_WARNING;
	}
}

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
	default: return "?";
	}
}

static int conv(int n, const struct pam_message **msg, struct pam_response **resp, void *data)
{
	struct pam_response *r = calloc((size_t)n, sizeof(*r));

	if (r == NULL)
		return PAM_BUF_ERR;
	for (int i = 0; i < n; i++) {
		size_t used = strlen(said);

		snprintf(said + used, sizeof(said) - used, "%s\n", msg[i]->msg);
	}
	*resp = r;
	return PAM_SUCCESS;
}

static void write_conf(const char *path, const char *uri, const char *extra)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fprintf(f,
		"[ldap]\nuri = %s\nbase = dc=example,dc=com\ntimeout = 2\n\n"
		"[host]\norg = acme\nservices = payments, web\nresource = web01.example.com\n\n"
		"[pam]\nignore_users = root\n%s\n\n"
		"[service sshd]\nrequire = host:login || common:org:own\n"
		"[service sudo]\nrequire = host:sudo || common:org:own\n",
		uri, extra);
	fclose(f);
}

/* Set SSH_AUTH_INFO_0 in the handle's PAM environment, as sshd does. */
static void put_auth_info(pam_handle_t *pamh, const char *info)
{
	char *kv;

	if (info == NULL)
		return;
	assert_true(asprintf(&kv, "SSH_AUTH_INFO_0=%s", info) > 0);
	assert_int_equal(pam_putenv(pamh, kv), PAM_SUCCESS);
	free(kv);
}

static bool has_arg(int argc, const char **argv, const char *arg)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], arg) == 0)
			return true;
	return false;
}

/*
 * Write DIR/auth/SERVICE: one auth line of the module with these arguments,
 * each in brackets. "success=ok ignore=ok default=bad" hands the module's
 * own code back from pam_authenticate and pam_setcred: the module keeps its
 * answer for setcred with pam_set_data, which libpam allows only inside a
 * stack, so the auth entry point is never called directly.
 */
static void auth_file(const char *service, int argc, const char **argv)
{
	char path[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/auth/%s", dir, service);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "auth [success=ok ignore=ok default=bad] %s", module);
	for (int i = 0; i < argc; i++) {
		fputs(" [", f);
		for (const char *p = argv[i]; *p != '\0'; p++)
			fprintf(f, *p == ']' ? "\\%c" : "%c", *p);
		fputs("]", f);
	}
	fputs("\n", f);
	fclose(f);
}

/* A handle on the stacks of DIR/auth, with SSH_AUTH_INFO_0 set to `info` unless NULL. */
static pam_handle_t *auth_handle(const char *service, const char *user, const char *info)
{
	static struct pam_conv c = {conv, NULL};
	pam_handle_t *pamh = NULL;
	char path[300];

	snprintf(path, sizeof(path), "%s/auth", dir);
	assert_int_equal(pam_start_confdir(service, user, &c, path, &pamh), PAM_SUCCESS);
	put_auth_info(pamh, info);
	return pamh;
}

/*
 * Call one entry point of the module on a real handle, the account one
 * directly, the auth one through pam_authenticate; argv ends with NULL.
 */
static int call_v(sm_fn fn, const char *service, const char *user, int argc, const char **argv)
{
	struct pam_conv c = {conv, NULL};
	pam_handle_t *pamh = NULL;
	int rc;

	said[0] = '\0';
	capture_begin();
	if (fn == auth_fn) {
		auth_file(service, argc, argv);
		pamh = auth_handle(service, user, auth_info);
		rc = pam_authenticate(pamh, call_flags);
	} else {
		assert_int_equal(pam_start_confdir(service, user, &c, dir, &pamh), PAM_SUCCESS);
		rc = fn(pamh, call_flags, argc, argv);
	}
	pam_end(pamh, rc);
	capture_end();
	/* Every decision is one line with the code, a reason, and a priority to match. */
	if (fn == auth_fn && !has_arg(argc, argv, "mfa_exempt")) {
		assert_int_equal(logged.n, 0);
	} else {
		char want[64];

		snprintf(want, sizeof(want), " result=%s reason=", code_name(rc));
		assert_int_equal(logged.n, 1);
		assert_int_equal(logged.priority,
				 want_priority >= 0 ? want_priority : priority_of(rc));
		assert_non_null(strstr(logged.last, want));
		assert_true(strlen(strstr(logged.last, want)) > strlen(want));
	}
	return rc;
}

static int call(sm_fn fn, const char *service, const char *user, ...)
{
	const char *argv[16];
	va_list ap;
	int argc = 0;

	va_start(ap, user);
	while (argc < 15 && (argv[argc] = va_arg(ap, const char *)) != NULL)
		argc++;
	va_end(ap);
	return call_v(fn, service, user, argc, argv);
}

static char cfgarg[300];
#define ACCT(svc, user, ...) call(acct_fn, svc, user, cfgarg, ##__VA_ARGS__, NULL)
#define AUTH(svc, user, ...) call(auth_fn, svc, user, cfgarg, "mfa_exempt", ##__VA_ARGS__, NULL)

static void return_codes(void **state)
{
	assert_int_equal(ACCT("sshd", "alice"), PAM_SUCCESS);
	assert_int_equal(ACCT("sudo", "alice"), PAM_SUCCESS);
	assert_int_equal(ACCT("sshd", "bob"), PAM_SUCCESS); /* nested group */
	assert_int_equal(ACCT("sudo", "bob"), PAM_PERM_DENIED);
	assert_int_equal(ACCT("sshd", "erin"), PAM_PERM_DENIED);
	assert_int_equal(ACCT("sshd", "dave"), PAM_PERM_DENIED); /* other resource */
	assert_int_equal(ACCT("sshd", "carol"), PAM_SUCCESS);	 /* service scope */
	assert_int_equal(ACCT("sshd", "ivan"), PAM_SUCCESS);	 /* group cycle */
	assert_int_equal(ACCT("sshd", "olga"), PAM_SUCCESS);	 /* cross-organization */
	assert_int_equal(ACCT("sshd", "gus"), PAM_PERM_DENIED);
	assert_int_equal(ACCT("sshd", "hank"), PAM_SUCCESS);	 /* role management off */
	assert_int_equal(ACCT("sshd", "vic"), PAM_SUCCESS);	 /* vendor, continuous */
	assert_int_equal(ACCT("sshd", "pat"), PAM_SUCCESS);	 /* partner inside its window */
	assert_int_equal(ACCT("sshd", "uma"), PAM_ACCT_EXPIRED); /* disabled */
	assert_non_null(strstr(said, "Umbrella is disabled"));
	assert_int_equal(ACCT("sshd", "ian"), PAM_ACCT_EXPIRED); /* after its window */
	assert_non_null(strstr(said, "ended on 2025-01-01"));
	assert_int_equal(ACCT("sshd", "nobody"), PAM_USER_UNKNOWN);
	/* a known user in another case is refused, with or without ignore_unknown_user */
	assert_int_equal(ACCT("sshd", "ALICE"), PAM_PERM_DENIED);
	assert_int_equal(call(acct_fn, "sshd", "ALICE", cfgarg, "ignore_unknown_user", NULL),
			 PAM_PERM_DENIED);
	assert_int_equal(call(acct_fn, "sshd", "nobody", cfgarg, "ignore_unknown_user", NULL),
			 PAM_IGNORE);
	assert_int_equal(ACCT("sshd", "root"), PAM_IGNORE);
}

/* Only an expiry is told to the user, and not under PAM_SILENT. */
static void messages(void **state)
{
	assert_int_equal(ACCT("sshd", "alice"), PAM_SUCCESS);
	assert_string_equal(said, "");
	assert_int_equal(ACCT("sshd", "erin"), PAM_PERM_DENIED);
	assert_string_equal(said, "");
	assert_int_equal(ACCT("sshd", "nobody"), PAM_USER_UNKNOWN);
	assert_string_equal(said, "");
	assert_int_equal(AUTH("sshd", "uma"), PAM_IGNORE);
	assert_string_equal(said, "");
	assert_int_equal(ACCT("sshd", "uma"), PAM_ACCT_EXPIRED);
	assert_string_equal(said, "access for partner Umbrella is disabled\n");
	call_flags = PAM_SILENT;
	assert_int_equal(ACCT("sshd", "uma"), PAM_ACCT_EXPIRED);
	call_flags = 0;
	assert_string_equal(said, "");
}

static void arguments(void **state)
{
	assert_int_equal(call(acct_fn, "sshd", "bob", cfgarg, "require=host:sudo", NULL),
			 PAM_PERM_DENIED);
	assert_int_equal(call(acct_fn, "login", "bob", cfgarg, "service=sshd", NULL), PAM_SUCCESS);
	assert_int_equal(call(acct_fn, "sshd", "erin", cfgarg, "require=catalog:read", NULL),
			 PAM_SUCCESS);
	assert_int_equal(call(acct_fn, "sshd", "vera", cfgarg, "require=none", NULL), PAM_SUCCESS);
	assert_int_equal(call(acct_fn, "sshd", "uma", cfgarg, "require=none", NULL),
			 PAM_ACCT_EXPIRED);
	assert_int_equal(call(acct_fn, "sshd", "alice", cfgarg, "debug", NULL), PAM_SUCCESS);
	/* no requirement for this service: fail closed */
	assert_int_equal(ACCT("ftp", "alice"), PAM_SERVICE_ERR);
	/* bad arguments, bad expressions, bad configuration */
	assert_int_equal(call(acct_fn, "sshd", "alice", cfgarg, "frobnicate", NULL),
			 PAM_SERVICE_ERR);
	assert_int_equal(call(acct_fn, "sshd", "alice", cfgarg, "require=", NULL), PAM_SERVICE_ERR);
	assert_int_equal(call(acct_fn, "sshd", "alice", cfgarg, "require=host:login ||", NULL),
			 PAM_SERVICE_ERR);
	assert_int_equal(call(acct_fn, "sshd", "alice", cfgarg, "debug", "debug", NULL),
			 PAM_SERVICE_ERR);
	assert_int_equal(call(acct_fn, "sshd", "alice", "config=/nonexistent", NULL),
			 PAM_SERVICE_ERR);
	assert_int_equal(call(acct_fn, "sshd", "alice", "config=orgrbac.conf", NULL),
			 PAM_SERVICE_ERR);
	assert_non_null(strstr(logged.last, "absolute path"));
	{
		char arg[300];

		snprintf(arg, sizeof(arg), "config=%s", bad_conf);
		assert_int_equal(call(acct_fn, "sshd", "alice", arg, NULL), PAM_SERVICE_ERR);
		assert_int_equal(call(auth_fn, "sshd", "grace", arg, "mfa_exempt", NULL),
				 PAM_SERVICE_ERR);
	}
}

/* DIR/NAME: a configuration of the test organization with `ldap` added to its [ldap] section. */
static void write_ldap_conf(const char *name, const char *ldap, char *arg, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f,
		"[ldap]\nuri = %s\nbase = dc=example,dc=com\n%s\n"
		"[host]\norg = acme\nservices = payments, web\nresource = web01.example.com\n\n"
		"[service sshd]\nrequire = host:login || common:org:own\n",
		ldap_uri, ldap);
	fclose(f);
	snprintf(arg, len, "config=%s", path);
}

/*
 * One configuration or argument the module cannot use: root (uid 0) and the
 * names of the ignore_users= argument pass with PAM_IGNORE, logged as an
 * error naming what is wrong; everyone else is refused, in both modes.
 */
static void unusable(const char *const *args, int n, const char *says)
{
	const char *argv[8];
	const char *ops = "ignore_users=ops";
	int argc = 0;

	for (int i = 0; i < n; i++)
		argv[argc++] = args[i];
	for (int auth = 0; auth <= 1; auth++) {
		sm_fn fn = auth ? auth_fn : acct_fn;
		int m = argc;

		if (auth)
			argv[m++] = "mfa_exempt";
		want_priority = LOG_ERR;
		assert_int_equal(call_v(fn, "sshd", "root", m, argv), PAM_IGNORE);
		if (strstr(logged.last, says) == NULL ||
		    strstr(logged.last, "passed through: root (uid 0), the built-in floor") == NULL)
			fail_msg("root: %s", logged.last);
		argv[m] = ops;
		assert_int_equal(call_v(fn, "sshd", "ops", m + 1, argv), PAM_IGNORE);
		if (strstr(logged.last, says) == NULL ||
		    strstr(logged.last, "passed through: listed in the module's ignore_users= "
					"argument") == NULL)
			fail_msg("ops: %s", logged.last);
		assert_int_equal(call_v(fn, "sshd", "root", m + 1, argv), PAM_IGNORE);
		want_priority = -1;
		assert_int_equal(call_v(fn, "sshd", auth ? "grace" : "alice", m + 1, argv),
				 PAM_SERVICE_ERR);
		if (strstr(logged.last, says) == NULL || strstr(logged.last, "passed") != NULL)
			fail_msg("alice: %s", logged.last);
		assert_int_equal(call_v(fn, "sshd", "ops", m, argv), PAM_SERVICE_ERR);
	}
}

/* Every kind of configuration error, and bad arguments: never a lockout of root. */
static void floor_on_bad_configuration(void **state)
{
	char missing[300], typo[300], value[300], twice[300], folder[300], path[300];
	bool checks_owner = geteuid() == 0 && strstr(module, "pam_orgrbac_test") == NULL;

	snprintf(missing, sizeof(missing), "config=%s/missing.conf", dir);
	unusable((const char *[]){missing}, 1, "missing.conf: cannot open");
	write_ldap_conf("typo.conf", "bind_pasword_file = /etc/orgrbac.secret\n", typo,
			sizeof(typo));
	unusable((const char *[]){typo}, 1, "typo.conf:4: [ldap] bind_pasword_file: unknown key");
	write_ldap_conf("value.conf", "timeout = 3s\n", value, sizeof(value));
	unusable((const char *[]){value}, 1, "value.conf:4: [ldap] timeout");
	write_ldap_conf("twice.conf", "timeout = 2\ntimeout = 3\n", twice, sizeof(twice));
	unusable((const char *[]){twice}, 1, "twice.conf:5: [ldap] timeout: set twice");
	snprintf(folder, sizeof(folder), "config=%s/stacks", dir);
	unusable((const char *[]){folder}, 1, "stacks: not a regular file");
	/* the module's arguments; a valid ignore_users= on a bad line still counts */
	unusable((const char *[]){cfgarg, "frobnicate"}, 2, "unknown argument 'frobnicate'");
	unusable((const char *[]){"config=orgrbac.conf"}, 1, "absolute path");
	unusable((const char *[]){cfgarg, "debug", "debug"}, 3, "given twice");
	/* an ignore_users= that does not parse: root alone passes */
	want_priority = LOG_ERR;
	assert_int_equal(call(acct_fn, "sshd", "root", cfgarg, "ignore_users=ops,", NULL),
			 PAM_IGNORE);
	want_priority = -1;
	assert_int_equal(call(acct_fn, "sshd", "ops", cfgarg, "ignore_users=ops,", NULL),
			 PAM_SERVICE_ERR);
	assert_non_null(strstr(logged.last, "'ignore_users=': '': empty user name"));
	if (!checks_owner) {
		print_message("owner and mode: skipped, the test build trusts any owner\n");
		return;
	}
	write_ldap_conf("owner.conf", "", path, sizeof(path));
	assert_int_equal(chown(path + 7, 65534, 65534), 0);
	unusable((const char *[]){path}, 1, "owner.conf: must be owned by root");
	write_ldap_conf("mode.conf", "", path, sizeof(path));
	assert_int_equal(chmod(path + 7, 0666), 0);
	unusable((const char *[]){path}, 1, "mode.conf: must not be writable by group or others");
}

/*
 * A configuration that was read decides: its ignore_users (default root),
 * with the argument's names added. Emptied, it judges root, whom the
 * directory does not know.
 */
static void ignore_users_read(void **state)
{
	char judged[320], path[300];
	FILE *f;

	assert_int_equal(ACCT("sshd", "root"), PAM_IGNORE);
	assert_non_null(strstr(logged.last, "reason=listed in ignore_users"));
	assert_int_equal(call(acct_fn, "sshd", "ops", cfgarg, "ignore_users=backup,ops", NULL),
			 PAM_IGNORE);
	assert_non_null(strstr(logged.last, "ignore_users= argument"));
	assert_int_equal(call(acct_fn, "sshd", "alice", cfgarg, "ignore_users=ops", NULL),
			 PAM_SUCCESS);
	assert_int_equal(call(acct_fn, "sshd", "erin", cfgarg, "ignore_users=ops", NULL),
			 PAM_PERM_DENIED);

	snprintf(path, sizeof(path), "%s/judged.conf", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f,
		"[ldap]\nuri = %s\nbase = dc=example,dc=com\n\n[host]\norg = acme\n"
		"resource = web01.example.com\n\n[pam]\nignore_users =\n\n"
		"[service sshd]\nrequire = host:login\n",
		ldap_uri);
	fclose(f);
	snprintf(judged, sizeof(judged), "config=%s", path);
	assert_int_equal(call(acct_fn, "sshd", "root", judged, NULL), PAM_USER_UNKNOWN);
	assert_int_equal(call(auth_fn, "sshd", "root", judged, "mfa_exempt", NULL), PAM_IGNORE);
	assert_null(strstr(logged.last, "ignore_users"));
	assert_int_equal(call(acct_fn, "sshd", "root", judged, "ignore_users=root", NULL),
			 PAM_IGNORE);
	assert_non_null(strstr(logged.last, "ignore_users= argument"));
	assert_int_equal(call(acct_fn, "sshd", "alice", judged, NULL), PAM_SUCCESS);
}

/*
 * offline = snapshot: with every server down, a fresh snapshot written by
 * orgrbac sync decides the account question with the same policy engine
 * (its decision part); a stale snapshot stays unavailable, and the 2FA
 * exemption is never granted offline.
 */
static void offline_snapshot(void **state)
{
	char sync_conf[300], stale_conf[300], extra[600], arg[320], *cmd;
	const char *orgrbac = getenv("ORGRBAC");

	if (orgrbac == NULL) {
		print_message("skipped: ORGRBAC names the CLI\n");
		skip();
	}
	snprintf(extra, sizeof(extra), "offline = snapshot\n\n[nss]\nsnapshot = %s/snapshot.db\n",
		 dir);
	snprintf(sync_conf, sizeof(sync_conf), "%s/sync.conf", dir);
	write_conf(sync_conf, ldap_uri, extra);
	write_conf(snap_conf, "ldap://127.0.0.1:1/", extra);
	snprintf(extra, sizeof(extra),
		 "offline = snapshot\noffline_max_age = 1\n\n[nss]\nsnapshot = %s/snapshot.db\n",
		 dir);
	snprintf(stale_conf, sizeof(stale_conf), "%s/stale.conf", dir);
	write_conf(stale_conf, "ldap://127.0.0.1:1/", extra);
	assert_true(asprintf(&cmd, "'%s' sync --config '%s' >/dev/null", orgrbac, sync_conf) > 0);
	assert_int_equal(system(cmd), 0);
	free(cmd);

	snprintf(arg, sizeof(arg), "config=%s", snap_conf);
	assert_int_equal(call(acct_fn, "sshd", "alice", arg, NULL), PAM_SUCCESS);
	assert_non_null(strstr(logged.last, "offline"));
	assert_int_equal(call(acct_fn, "sudo", "alice", arg, NULL), PAM_SUCCESS);
	assert_int_equal(call(acct_fn, "sudo", "bob", arg, NULL), PAM_PERM_DENIED);
	assert_int_equal(call(acct_fn, "sshd", "nobody", arg, NULL), PAM_USER_UNKNOWN);
	assert_int_equal(call(acct_fn, "sshd", "uma", arg, NULL), PAM_ACCT_EXPIRED);
	assert_int_equal(call(acct_fn, "sshd", "olga", arg, NULL), PAM_SUCCESS);
	assert_int_equal(call(auth_fn, "sshd", "grace", arg, "mfa_exempt", NULL),
			 PAM_AUTHINFO_UNAVAIL);
	/* the snapshot is older than offline_max_age = 1 */
	sleep(2);
	snprintf(arg, sizeof(arg), "config=%s", stale_conf);
	assert_int_equal(call(acct_fn, "sshd", "alice", arg, NULL), PAM_AUTHINFO_UNAVAIL);
	assert_non_null(strstr(logged.last, "older than"));
}

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "r"), *out = fopen(to, "w");
	int c;

	assert_non_null(in);
	assert_non_null(out);
	while ((c = fgetc(in)) != EOF)
		fputc(c, out);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/* Sync `conf_path`'s host into `snapshot` with the CLI; false when ORGRBAC names none. */
static bool sync_into(const char *extra_conf, const char *conf_path)
{
	const char *orgrbac = getenv("ORGRBAC");
	char *cmd;

	if (orgrbac == NULL)
		return false;
	write_conf(conf_path, ldap_uri, extra_conf);
	assert_true(asprintf(&cmd, "'%s' sync --config '%s' >/dev/null", orgrbac, conf_path) > 0);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	return true;
}

/* A configuration deciding from `snapshot` (every server dead) with `extra` in [pam]. */
static void snapshot_conf(const char *name, const char *snapshot, const char *extra, char *arg,
			  size_t len)
{
	char path[300], text[800];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(text, sizeof(text), "source = snapshot\n%s\n\n[nss]\nsnapshot = %s\n", extra,
		 snapshot);
	write_conf(path, "ldap://127.0.0.1:1/", text);
	snprintf(arg, len, "config=%s", path);
}

/*
 * source = snapshot: the account decision and the 2FA exemption from the
 * snapshot's decision part, as live decides them (the servers are dead: no
 * answer can come from them); a stale, missing, corrupt or other host's
 * snapshot is PAM_AUTHINFO_UNAVAIL with the reason logged.
 */
static void source_snapshot(void **state)
{
	char snap[300], sync_conf[300], extra[400], arg[400], copy[320];
	FILE *f;
	long size;
	int c;

	snprintf(snap, sizeof(snap), "%s/source.db", dir);
	snprintf(sync_conf, sizeof(sync_conf), "%s/source-sync.conf", dir);
	snprintf(extra, sizeof(extra), "\n[nss]\nsnapshot = %s\n", snap);
	if (!sync_into(extra, sync_conf)) {
		print_message("skipped: ORGRBAC names the CLI\n");
		skip();
	}
	snapshot_conf("source.conf", snap, "", arg, sizeof(arg));
	assert_int_equal(call(acct_fn, "sshd", "alice", arg, NULL), PAM_SUCCESS);
	assert_int_equal(call(acct_fn, "sudo", "alice", arg, NULL), PAM_SUCCESS);
	assert_int_equal(call(acct_fn, "sshd", "bob", arg, NULL), PAM_SUCCESS);
	assert_int_equal(call(acct_fn, "sudo", "bob", arg, NULL), PAM_PERM_DENIED);
	assert_int_equal(call(acct_fn, "sshd", "dave", arg, NULL), PAM_PERM_DENIED);
	assert_int_equal(call(acct_fn, "sshd", "olga", arg, NULL), PAM_SUCCESS);
	assert_int_equal(call(acct_fn, "sshd", "gus", arg, NULL), PAM_PERM_DENIED);
	assert_int_equal(call(acct_fn, "sshd", "hank", arg, NULL), PAM_SUCCESS);
	assert_int_equal(call(acct_fn, "sshd", "uma", arg, NULL), PAM_ACCT_EXPIRED);
	/* the entry's name from its DN, as sync reads it (live: its cn) */
	assert_non_null(strstr(said, "mbrella is disabled"));
	assert_int_equal(call(acct_fn, "sshd", "ian", arg, NULL), PAM_ACCT_EXPIRED);
	assert_int_equal(call(acct_fn, "sshd", "nobody", arg, NULL), PAM_USER_UNKNOWN);
	assert_int_equal(call(acct_fn, "sshd", "ALICE", arg, NULL), PAM_PERM_DENIED);
	assert_int_equal(call(acct_fn, "sshd", "root", arg, NULL), PAM_IGNORE);
	assert_int_equal(call(auth_fn, "sshd", "grace", arg, "mfa_exempt", NULL), PAM_SUCCESS);
	assert_int_equal(call(auth_fn, "sshd", "alice", arg, "mfa_exempt", NULL), PAM_IGNORE);
	assert_int_equal(call(auth_fn, "sshd", "hank", arg, "mfa_exempt", NULL), PAM_IGNORE);
	assert_int_equal(call(auth_fn, "sshd", "uma", arg, "mfa_exempt", NULL), PAM_IGNORE);

	/* another host identity: the same file, another resource or services */
	snprintf(copy, sizeof(copy), "%s/other-host.conf", dir);
	f = fopen(copy, "w");
	assert_non_null(f);
	fprintf(f,
		"[ldap]\nuri = ldap://127.0.0.1:1/\nbase = dc=example,dc=com\ntimeout = 2\n\n"
		"[host]\norg = acme\nservices = payments\nresource = web01.example.com\n\n"
		"[pam]\nignore_users = root\nsource = snapshot\ndefault_require = host:login\n\n"
		"[nss]\nsnapshot = %s\n",
		snap);
	fclose(f);
	snprintf(arg, sizeof(arg), "config=%s", copy);
	assert_int_equal(call(acct_fn, "sshd", "alice", arg, NULL), PAM_AUTHINFO_UNAVAIL);
	assert_non_null(strstr(logged.last, "built for other services"));
	assert_int_equal(call(auth_fn, "sshd", "grace", arg, "mfa_exempt", NULL),
			 PAM_AUTHINFO_UNAVAIL);

	/* missing */
	snapshot_conf("missing.conf", "/nonexistent/snapshot.db", "", arg, sizeof(arg));
	assert_int_equal(call(acct_fn, "sshd", "alice", arg, NULL), PAM_AUTHINFO_UNAVAIL);
	assert_non_null(strstr(logged.last, "snapshot"));

	/* corrupt: one byte of the last record (the decision part's end) */
	snprintf(copy, sizeof(copy), "%s/corrupt.db", dir);
	copy_file(snap, copy);
	f = fopen(copy, "r+");
	assert_non_null(f);
	assert_int_equal(fseek(f, -2, SEEK_END), 0);
	c = fgetc(f);
	assert_int_equal(fseek(f, -2, SEEK_END), 0);
	fputc(c ^ 0x21, f);
	fclose(f);
	snapshot_conf("corrupt.conf", copy, "", arg, sizeof(arg));
	for (const char *const *u = (const char *const[]){"alice", "zed", "vic", "uma", NULL};
	     *u != NULL; u++) {
		int rc = call(acct_fn, "sshd", *u, arg, NULL);

		/* the record read is refused; others still decide as before */
		assert_true(rc == PAM_AUTHINFO_UNAVAIL || rc == PAM_SUCCESS ||
			    rc == PAM_ACCT_EXPIRED || rc == PAM_USER_UNKNOWN);
		if (rc == PAM_AUTHINFO_UNAVAIL)
			assert_non_null(strstr(logged.last, "corrupt"));
	}
	/* truncated */
	f = fopen(copy, "r+");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	fclose(f);
	assert_int_equal(truncate(copy, size / 2), 0);
	assert_int_equal(call(acct_fn, "sshd", "alice", arg, NULL), PAM_AUTHINFO_UNAVAIL);
	assert_non_null(strstr(logged.last, "truncated"));

	/* stale: older than offline_max_age */
	snapshot_conf("stale-source.conf", snap, "offline_max_age = 1", arg, sizeof(arg));
	sleep(2);
	assert_int_equal(call(acct_fn, "sshd", "alice", arg, NULL), PAM_AUTHINFO_UNAVAIL);
	assert_non_null(strstr(logged.last, "older than"));
	assert_int_equal(call(auth_fn, "sshd", "grace", arg, "mfa_exempt", NULL),
			 PAM_AUTHINFO_UNAVAIL);
}

static void hostile_names(void **state)
{
	static const char *names[] = {"*",   "alice)(uid=*", "al\x01ice", "-alice",
				      "a,b", "alice ",	     "al\nice",	  "\xff"};
	char longest[300];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_int_equal(ACCT("sshd", names[i]), PAM_USER_UNKNOWN);
		assert_int_equal(AUTH("sshd", names[i]), PAM_IGNORE);
	}
	memset(longest, 'a', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	assert_int_equal(ACCT("sshd", longest), PAM_USER_UNKNOWN);
	assert_int_equal(AUTH("sshd", longest), PAM_IGNORE);
	/* uid matches case-insensitively in LDAP; the exemption must not */
	assert_int_equal(AUTH("sshd", "GRACE"), PAM_IGNORE);
}

static void mfa_exempt(void **state)
{
	assert_int_equal(AUTH("sshd", "grace"), PAM_SUCCESS);
	assert_int_equal(AUTH("sshd", "alice"), PAM_IGNORE);
	assert_int_equal(AUTH("sshd", "hank"), PAM_IGNORE); /* full access is not an exemption */
	assert_int_equal(AUTH("sshd", "uma"), PAM_IGNORE);
	assert_int_equal(AUTH("sshd", "nobody"), PAM_IGNORE);
	assert_int_equal(AUTH("sshd", "root"), PAM_IGNORE);
	/* without mfa_exempt the auth mode never says yes */
	assert_int_equal(call(auth_fn, "sshd", "grace", cfgarg, NULL), PAM_IGNORE);
}

/*
 * The exemption needs a factor verified first: under sshd, a publickey line
 * in SSH_AUTH_INFO_0. Without one, an exempt user must give the code (a
 * missing AuthenticationMethods line must not let anyone in on nothing), and
 * the directory is not even asked. No other service reports a prior factor.
 */
static void prior_factor(void **state)
{
	static const char *const none[] = {
	    NULL,
	    "",
	    "keyboard-interactive/pam\n",
	    "password\n",
	    "keyboard-interactive/pam publickey ssh-ed25519 AAAAC3Nz\n",
	    "publickey ssh-ed25519 AAAAC3Nz", /* not as sshd writes it */
	    "publickey\n",
	};
	char arg[300];

	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		auth_info = none[i];
		assert_int_equal(AUTH("sshd", "grace"), PAM_IGNORE);
		assert_non_null(strstr(logged.last, "reason=not granted"));
	}
	auth_info = "";
	assert_int_equal(AUTH("sshd", "grace"), PAM_IGNORE);
	assert_non_null(strstr(logged.last, "no public key was verified"));
	assert_non_null(
	    strstr(logged.last, "AuthenticationMethods publickey,keyboard-interactive"));
	snprintf(arg, sizeof(arg), "config=%s", dead_conf);
	assert_int_equal(call(auth_fn, "sshd", "grace", arg, "mfa_exempt", NULL), PAM_IGNORE);
	auth_info = NULL;
	assert_int_equal(AUTH("sshd", "grace"), PAM_IGNORE);
	assert_non_null(strstr(logged.last, "no SSH_AUTH_INFO_0"));

	auth_info = KEY_PROOF;
	assert_int_equal(AUTH("sudo", "grace"), PAM_IGNORE);
	assert_non_null(strstr(logged.last, "only sshd"));
	assert_int_equal(AUTH("login", "grace"), PAM_IGNORE);
	assert_int_equal(AUTH("sshd", "grace"), PAM_SUCCESS);
	assert_non_null(strstr(logged.last, "key first"));
	/* a configuration error is reported whatever the environment says */
	auth_info = NULL;
	snprintf(arg, sizeof(arg), "config=%s", bad_conf);
	assert_int_equal(call(auth_fn, "sshd", "grace", arg, "mfa_exempt", NULL), PAM_SERVICE_ERR);
	auth_info = KEY_PROOF;
}

static double since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A loopback socket that accepts connections (the kernel does) and never answers. */
static int silent_server(const char *scheme, char *uri, size_t len)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t salen = sizeof(sa);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(s >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(s, 8), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&sa, &salen), 0);
	snprintf(uri, len, "%s://127.0.0.1:%u/", scheme, ntohs(sa.sin_port));
	return s;
}

/*
 * Servers that accept and never answer hold a login for about the timeout
 * (2 s here) each, whatever the protocol; the bounds leave room for a busy
 * machine. A live server after a silent one still decides.
 */
static void silent_servers(void **state)
{
	char a[64], b[64], uris[256], path[300], arg[320];
	struct timespec t0;
	int s1 = silent_server("ldap", a, sizeof(a)), s2 = silent_server("ldaps", b, sizeof(b));

	snprintf(path, sizeof(path), "%s/silent2.conf", dir);
	snprintf(arg, sizeof(arg), "config=%s", path);
	snprintf(uris, sizeof(uris), "%s %s", a, b);
	write_conf(path, uris, "");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(call(acct_fn, "sshd", "alice", arg, NULL), PAM_AUTHINFO_UNAVAIL);
	printf("silent ldap and ldaps servers, timeout 2 s: account answered in %.2f s\n",
	       since(&t0));
	assert_true(since(&t0) < 2 * 2 + 6);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(call(auth_fn, "sshd", "grace", arg, "mfa_exempt", NULL),
			 PAM_AUTHINFO_UNAVAIL);
	assert_true(since(&t0) < 2 * 2 + 6);

	snprintf(uris, sizeof(uris), "%s %s", b, ldap_uri);
	write_conf(path, uris, "");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(call(acct_fn, "sshd", "alice", arg, NULL), PAM_SUCCESS);
	printf("silent ldaps server, then a live one: allowed in %.2f s\n", since(&t0));
	assert_true(since(&t0) < 2 + 6);
	assert_int_equal(call(acct_fn, "sshd", "erin", arg, NULL), PAM_PERM_DENIED);
	close(s1);
	close(s2);
}

static int entries(const char *path)
{
	DIR *d = opendir(path);
	int n = 0;

	assert_non_null(d);
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

/* Calls leave no descriptor and no thread behind, and do not steer each other. */
static void no_leaks(void **state)
{
	char arg[300];
	int fds, tasks;

	snprintf(arg, sizeof(arg), "config=%s", dead_conf);
	/* once first: libc and libldap open what they keep for the process */
	assert_int_equal(ACCT("sshd", "alice"), PAM_SUCCESS);
	assert_int_equal(call(acct_fn, "sshd", "alice", arg, NULL), PAM_AUTHINFO_UNAVAIL);
	fds = entries("/proc/self/fd");
	tasks = entries("/proc/self/task");
	for (int i = 0; i < 10; i++) {
		assert_int_equal(ACCT("sshd", "erin"), PAM_PERM_DENIED);
		assert_int_equal(ACCT("sshd", "alice"), PAM_SUCCESS);
		assert_int_equal(AUTH("sshd", "grace"), PAM_SUCCESS);
		assert_int_equal(AUTH("sshd", "alice"), PAM_IGNORE);
		assert_int_equal(ACCT("sshd", "uma"), PAM_ACCT_EXPIRED);
		assert_int_equal(ACCT("sshd", "nobody"), PAM_USER_UNKNOWN);
		assert_int_equal(call(acct_fn, "sshd", "alice", arg, NULL), PAM_AUTHINFO_UNAVAIL);
		assert_int_equal(ACCT("sudo", "bob"), PAM_PERM_DENIED);
	}
	assert_int_equal(entries("/proc/self/fd"), fds);
	assert_int_equal(entries("/proc/self/task"), tasks);
}

/* Nothing listens: refused at once, for both modes (silent servers: silent_servers). */
static void directory_down(void **state)
{
	char arg[300];

	snprintf(arg, sizeof(arg), "config=%s", dead_conf);
	assert_int_equal(call(acct_fn, "sshd", "alice", arg, NULL), PAM_AUTHINFO_UNAVAIL);
	assert_int_equal(call(auth_fn, "sshd", "grace", arg, "mfa_exempt", NULL),
			 PAM_AUTHINFO_UNAVAIL);
	assert_int_equal(call(acct_fn, "sshd", "nobody", arg, "ignore_unknown_user", NULL),
			 PAM_AUTHINFO_UNAVAIL);
}

static void ldapmodify(const char *ldif)
{
	char *cmd;
	FILE *p;

	assert_true(asprintf(&cmd, "LDAPNOINIT=1 ldapmodify -x -H '%s' -D '%s' -w '%s' >/dev/null",
			     ldap_uri, getenv("LDAP_ADMIN_DN"), getenv("LDAP_ADMIN_PW")) > 0);
	p = popen(cmd, "w");
	assert_non_null(p);
	fputs(ldif, p);
	assert_int_equal(pclose(p), 0);
	free(cmd);
}

static void gtime(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y%m%d%H%M%SZ", &tm);
}

/*
 * Vendors and partners inside, before and after their windows (relative to
 * now), and disabled. Each user holds Member and 2FA-exempt, so only the
 * external access decides: an expired user is refused and must do 2FA.
 */
static void external_windows(void **state)
{
	static const struct {
		const char *user, *kind, *mode;
		long from, to; /* seconds from now */
		int acct;
		const char *told;
	} cases[] = {
	    {"vin", "vendor", "window", -86400, 86400, PAM_SUCCESS, ""},
	    {"vbefore", "vendor", "window", 86400, 2 * 86400, PAM_ACCT_EXPIRED,
	     "access for vendor vbefore-co begins on "},
	    {"vafter", "vendor", "window", -2 * 86400, -86400, PAM_ACCT_EXPIRED,
	     "access for vendor vafter-co ended on "},
	    {"voff", "vendor", "disabled", 0, 0, PAM_ACCT_EXPIRED,
	     "access for vendor voff-co is disabled"},
	    {"vcont", "vendor", "continuous", 0, 0, PAM_SUCCESS, ""},
	    {"pin", "partner", "window", -60, 60, PAM_SUCCESS, ""},
	    {"pbefore", "partner", "window", 60, 86400, PAM_ACCT_EXPIRED,
	     "access for partner pbefore-co begins on "},
	    {"pafter", "partner", "window", -86400, -60, PAM_ACCT_EXPIRED,
	     "access for partner pafter-co ended on "},
	    {"poff", "partner", "disabled", 0, 0, PAM_ACCT_EXPIRED,
	     "access for partner poff-co is disabled"},
	};
	time_t now = time(NULL);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *u = cases[i].user;
		char window[128] = "", nb[32], na[32], ldif[2048];

		if (cases[i].from != cases[i].to) {
			gtime(now + cases[i].from, nb, sizeof(nb));
			gtime(now + cases[i].to, na, sizeof(na));
			snprintf(window, sizeof(window), "orgNotBefore: %s\norgNotAfter: %s\n", nb,
				 na);
		}
		snprintf(ldif, sizeof(ldif),
			 "dn: cn=%s-co,ou=external,o=acme,dc=example,dc=com\nchangetype: add\n"
			 "objectClass: orgExternalAccess\ncn: %s-co\norgExternalKind: %s\n"
			 "orgAccessMode: %s\n%s\n"
			 "dn: uid=%s,cn=%s-co,ou=external,o=acme,dc=example,dc=com\n"
			 "changetype: add\nobjectClass: inetOrgPerson\nobjectClass: posixAccount\n"
			 "uid: %s\ncn: %s\nsn: %s\nuidNumber: %zu\ngidNumber: 10000\n"
			 "homeDirectory: /home/%s\n\n"
			 "dn: cn=%s-member,ou=grants,o=acme,dc=example,dc=com\nchangetype: add\n"
			 "objectClass: orgRoleGrant\ncn: %s-member\n"
			 "orgGrantedRole: cn=Member,ou=roles,dc=example,dc=com\n"
			 "orgGrantee: uid=%s,cn=%s-co,ou=external,o=acme,dc=example,dc=com\n\n"
			 "dn: cn=%s-exempt,ou=grants,o=acme,dc=example,dc=com\nchangetype: add\n"
			 "objectClass: orgRoleGrant\ncn: %s-exempt\n"
			 "orgGrantedRole: cn=2FA-exempt,ou=roles,dc=example,dc=com\n"
			 "orgGrantee: uid=%s,cn=%s-co,ou=external,o=acme,dc=example,dc=com\n",
			 u, u, cases[i].kind, cases[i].mode, window, u, u, u, u, u, 10900 + i, u, u,
			 u, u, u, u, u, u, u);
		ldapmodify(ldif);
		assert_int_equal(ACCT("sshd", u), cases[i].acct);
		if (cases[i].told[0] == '\0')
			assert_string_equal(said, "");
		else
			assert_non_null(strstr(said, cases[i].told));
		assert_int_equal(AUTH("sshd", u),
				 cases[i].acct == PAM_SUCCESS ? PAM_SUCCESS : PAM_IGNORE);
	}
}

/* Taking a user out of a group revokes what the group gave, at the next call. */
static void membership_revoked(void **state)
{
	assert_int_equal(ACCT("sshd", "bob"), PAM_SUCCESS);
	ldapmodify("dn: cn=payments-team,ou=groups,o=acme,dc=example,dc=com\n"
		   "changetype: modify\nadd: member\n"
		   "member: uid=carol,ou=people,o=acme,dc=example,dc=com\n-\n"
		   "delete: member\nmember: uid=bob,ou=people,o=acme,dc=example,dc=com\n");
	assert_int_equal(ACCT("sshd", "bob"), PAM_PERM_DENIED);
}

static void revocation_is_immediate(void **state)
{
	assert_int_equal(ACCT("sudo", "heidi"), PAM_SUCCESS);
	ldapmodify("dn: cn=heidi-security,ou=grants,o=acme,dc=example,dc=com\n"
		   "changetype: delete\n");
	assert_int_equal(ACCT("sudo", "heidi"), PAM_PERM_DENIED);
	assert_int_equal(ACCT("sshd", "heidi"), PAM_PERM_DENIED);
}

/* A grant whose window opens and closes while we watch, on the real clock. */
static void window_opens_and_closes(void **state)
{
	char nb[32], na[32], ldif[1024];
	/* generous: the first call must finish before the window opens */
	time_t now = time(NULL), start = now + 5, end = now + 9;
	struct tm tm;

	gmtime_r(&start, &tm);
	strftime(nb, sizeof(nb), "%Y%m%d%H%M%SZ", &tm);
	gmtime_r(&end, &tm);
	strftime(na, sizeof(na), "%Y%m%d%H%M%SZ", &tm);
	snprintf(ldif, sizeof(ldif),
		 "dn: cn=judy-soon,ou=grants,o=acme,dc=example,dc=com\n"
		 "changetype: add\nobjectClass: orgRoleGrant\ncn: judy-soon\n"
		 "orgGrantedRole: cn=Member,ou=roles,dc=example,dc=com\n"
		 "orgGrantee: uid=judy,ou=people,o=acme,dc=example,dc=com\n"
		 "orgNotBefore: %s\norgNotAfter: %s\n",
		 nb, na);
	ldapmodify(ldif);
	assert_int_equal(ACCT("sshd", "judy"), PAM_PERM_DENIED);
	while (time(NULL) < start)
		usleep(100 * 1000);
	assert_int_equal(ACCT("sshd", "judy"), PAM_SUCCESS);
	while (time(NULL) < end)
		usleep(100 * 1000);
	assert_int_equal(ACCT("sshd", "judy"), PAM_PERM_DENIED);
}

/* Only pam_sm_* are exported. */
static void exports(void **state)
{
	assert_non_null(dlsym(dl, "pam_sm_acct_mgmt"));
	assert_non_null(dlsym(dl, "pam_sm_authenticate"));
	assert_non_null(dlsym(dl, "pam_sm_setcred"));
	assert_null(dlsym(dl, "orgrbac_decide"));
	assert_null(dlsym(dl, "orgrbac_evaluate"));
	assert_null(dlsym(dl, "orgrbac_config_load"));
	assert_null(dlsym(dl, "orgrbac_ldap_open"));
	assert_null(dlsym(dl, "orgrbac_live_evaluate_v1"));
}

/* The live library beside the module exports its one entry point, nothing else. */
static void live_exports(void **state)
{
	const char *slash = strrchr(module, '/');
	char path[600];
	void *live;

	assert_non_null(slash);
	snprintf(path, sizeof(path), "%.*s/orgrbac_live.so", (int)(slash - module), module);
	live = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	assert_non_null(live);
	assert_non_null(dlsym(live, "orgrbac_live_evaluate_v1"));
	assert_null(dlsym(live, "orgrbac_evaluate"));
	assert_null(dlsym(live, "orgrbac_decide"));
	assert_null(dlsym(live, "orgrbac_ldap_open"));
	assert_null(dlsym(live, "pam_sm_acct_mgmt"));
	dlclose(live);
}

/*
 * The documented 2FA stack through libpam, pam_deny standing in for the code
 * module: the exempt user jumps to pam_permit, everyone else meets pam_deny.
 * Without the pam_permit line the stack would end on the jump and fail.
 * `info` is SSH_AUTH_INFO_0 (NULL: unset).
 */
static int twofa_stack(const char *name, bool with_permit, const char *user, const char *info)
{
	struct pam_conv c = {conv, NULL};
	pam_handle_t *pamh = NULL;
	char path[300];
	FILE *f;
	int rc;

	/* a directory of its own: dir/sshd serves the direct calls */
	snprintf(path, sizeof(path), "%s/stacks/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f,
		"auth [success=1 default=ignore] %s mfa_exempt %s\nauth required pam_deny.so\n%s",
		module, cfgarg, with_permit ? "auth required pam_permit.so\n" : "");
	fclose(f);
	snprintf(path, sizeof(path), "%s/stacks", dir);
	assert_int_equal(pam_start_confdir(name, user, &c, path, &pamh), PAM_SUCCESS);
	put_auth_info(pamh, info);
	rc = pam_authenticate(pamh, 0);
	pam_end(pamh, rc);
	return rc;
}

static void twofa_bypass_stack(void **state)
{
	assert_int_equal(twofa_stack("sshd", true, "grace", KEY_PROOF), PAM_SUCCESS);
	assert_int_equal(twofa_stack("sshd", true, "alice", KEY_PROOF), PAM_AUTH_ERR);
	assert_int_equal(twofa_stack("sshd", true, "uma", KEY_PROOF), PAM_AUTH_ERR);
	assert_int_equal(twofa_stack("sshd", true, "nobody", KEY_PROOF), PAM_AUTH_ERR);
	assert_int_not_equal(twofa_stack("sshd", false, "grace", KEY_PROOF), PAM_SUCCESS);
	/* keyboard-interactive first (no AuthenticationMethods): no key, no jump */
	assert_int_equal(twofa_stack("sshd", true, "grace", ""), PAM_AUTH_ERR);
	assert_int_equal(twofa_stack("sshd", true, "grace", NULL), PAM_AUTH_ERR);
	/* another service's stack proves no prior factor */
	assert_int_equal(twofa_stack("twofa", true, "grace", KEY_PROOF), PAM_AUTH_ERR);
}

/*
 * pam_sm_setcred answers what pam_sm_authenticate returned on the same
 * handle, whatever that was, and PAM_IGNORE on a handle where it did not
 * run; handles never see each other's answers. Through libpam, with a line
 * that hands the module's codes back (auth_file).
 */
static void setcred_mirrors(void **state)
{
	static const struct {
		const char *user, *info, *conf;
		int rc;
	} cases[] = {
	    {"grace", KEY_PROOF, NULL, PAM_SUCCESS},
	    {"alice", KEY_PROOF, NULL, PAM_IGNORE},
	    {"grace", "", NULL, PAM_IGNORE},
	    {"grace", KEY_PROOF, "dead", PAM_AUTHINFO_UNAVAIL},
	    {"grace", KEY_PROOF, "bad", PAM_SERVICE_ERR},
	    {"root", KEY_PROOF, NULL, PAM_IGNORE},
	};
	const char *argv[2] = {"mfa_exempt", NULL};
	char arg[300];
	pam_handle_t *a, *b;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pam_handle_t *h;

		snprintf(arg, sizeof(arg), "config=%s",
			 cases[i].conf == NULL		      ? conf
			 : strcmp(cases[i].conf, "dead") == 0 ? dead_conf
							      : bad_conf);
		argv[1] = arg;
		auth_file("sshd", 2, argv);
		h = auth_handle("sshd", cases[i].user, cases[i].info);
		assert_int_equal(pam_authenticate(h, 0), cases[i].rc);
		assert_int_equal(pam_setcred(h, PAM_ESTABLISH_CRED), cases[i].rc);
		assert_int_equal(pam_setcred(h, PAM_DELETE_CRED), cases[i].rc);
		pam_end(h, PAM_SUCCESS);
	}
	/* without mfa_exempt: PAM_IGNORE, mirrored */
	auth_file("sshd", 1, (const char *[]){cfgarg});
	a = auth_handle("sshd", "grace", KEY_PROOF);
	assert_int_equal(pam_authenticate(a, 0), PAM_IGNORE);
	assert_int_equal(pam_setcred(a, PAM_ESTABLISH_CRED), PAM_IGNORE);
	pam_end(a, PAM_SUCCESS);
	/* setcred on a handle where authenticate never ran */
	auth_file("sshd", 2, (const char *[]){"mfa_exempt", cfgarg});
	a = auth_handle("sshd", "grace", KEY_PROOF);
	assert_int_equal(pam_setcred(a, PAM_ESTABLISH_CRED), PAM_IGNORE);
	pam_end(a, PAM_SUCCESS);
	/* two handles at once, interleaved; a handle's later answer counts */
	a = auth_handle("sshd", "grace", KEY_PROOF);
	b = auth_handle("sshd", "alice", KEY_PROOF);
	assert_int_equal(pam_authenticate(a, 0), PAM_SUCCESS);
	assert_int_equal(pam_setcred(b, PAM_ESTABLISH_CRED), PAM_IGNORE);
	assert_int_equal(pam_authenticate(b, 0), PAM_IGNORE);
	assert_int_equal(pam_setcred(a, PAM_ESTABLISH_CRED), PAM_SUCCESS);
	assert_int_equal(pam_setcred(b, PAM_ESTABLISH_CRED), PAM_IGNORE);
	assert_int_equal(pam_putenv(a, "SSH_AUTH_INFO_0="), PAM_SUCCESS);
	assert_int_equal(pam_authenticate(a, 0), PAM_IGNORE);
	assert_int_equal(pam_setcred(a, PAM_ESTABLISH_CRED), PAM_IGNORE);
	pam_end(a, PAM_SUCCESS);
	pam_end(b, PAM_SUCCESS);
}

/* Called directly, outside any stack, it cannot keep its answer: no exemption. */
static void auth_outside_a_stack(void **state)
{
	struct pam_conv c = {conv, NULL};
	pam_handle_t *pamh = NULL;
	const char *argv[] = {"mfa_exempt", cfgarg};

	capture_begin();
	assert_int_equal(pam_start_confdir("sshd", "grace", &c, dir, &pamh), PAM_SUCCESS);
	put_auth_info(pamh, KEY_PROOF);
	assert_int_equal(auth_fn(pamh, 0, 2, argv), PAM_SYSTEM_ERR);
	assert_int_equal(setcred_fn(pamh, 0, 2, argv), PAM_IGNORE);
	pam_end(pamh, PAM_SUCCESS);
	capture_end();
	assert_int_equal(logged.n, 1);
	assert_int_equal(logged.priority, LOG_ERR);
	assert_non_null(strstr(logged.last, "user=grace service=sshd result=PAM_SYSTEM_ERR"));
}

/*
 * Through libpam: pam_authenticate, then pam_setcred on the same handle,
 * with a line that ends the stack on the exemption ("done") and pam_deny
 * standing in for the code module. setcred reaches pam_deny (whose setcred
 * fails) unless the module answers in setcred what it did in authenticate.
 */
static int auth_then_setcred(const char *user, const char *info, int *setcred_rc)
{
	struct pam_conv c = {conv, NULL};
	pam_handle_t *pamh = NULL;
	char path[300];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/stacks/sshd", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f,
		"auth [success=done default=ignore] %s mfa_exempt %s\nauth required pam_deny.so\n",
		module, cfgarg);
	fclose(f);
	snprintf(path, sizeof(path), "%s/stacks", dir);
	assert_int_equal(pam_start_confdir("sshd", user, &c, path, &pamh), PAM_SUCCESS);
	put_auth_info(pamh, info);
	rc = pam_authenticate(pamh, 0);
	*setcred_rc = pam_setcred(pamh, PAM_ESTABLISH_CRED);
	pam_end(pamh, rc);
	return rc;
}

static void setcred_through_libpam(void **state)
{
	int rc;

	assert_int_equal(auth_then_setcred("grace", KEY_PROOF, &rc), PAM_SUCCESS);
	assert_int_equal(rc, PAM_SUCCESS);
	assert_int_not_equal(auth_then_setcred("alice", KEY_PROOF, &rc), PAM_SUCCESS);
	assert_int_not_equal(rc, PAM_SUCCESS);
	assert_int_not_equal(auth_then_setcred("grace", "", &rc), PAM_SUCCESS);
	assert_int_not_equal(rc, PAM_SUCCESS);
}

/*
 * The auth lines of the shipped etc/pam.d/sshd into DIR/stacks/sshd, with
 * the built module and the test configuration; the code module becomes
 * `code` (pam_permit: the right code, pam_deny: a wrong one or none), and
 * auth line number `drop` (from 1; 0: none) is left out. Returns how many
 * auth lines the file has.
 */
static int shipped_auth_lines(int drop, const char *code)
{
	const char *top = getenv("top_srcdir");
	char path[600], line[1024], control[256], mod[256];
	FILE *in, *out;
	int n = 0;

	snprintf(path, sizeof(path), "%s/etc/pam.d/sshd", top != NULL ? top : "..");
	in = fopen(path, "r");
	assert_non_null(in);
	snprintf(path, sizeof(path), "%s/stacks/sshd", dir);
	out = fopen(path, "w");
	assert_non_null(out);
	while (fgets(line, sizeof(line), in) != NULL) {
		char *p = line + 4;
		size_t k;

		if (strncmp(line, "auth", 4) != 0 || (line[4] != ' ' && line[4] != '\t'))
			continue;
		if (++n == drop)
			continue;
		p += strspn(p, " \t");
		k = *p == '[' ? strcspn(p, "]") + 1 : strcspn(p, " \t\n");
		assert_true(k < sizeof(control));
		snprintf(control, sizeof(control), "%.*s", (int)k, p);
		p += k;
		p += strspn(p, " \t");
		k = strcspn(p, " \t\n");
		assert_true(k < sizeof(mod));
		snprintf(mod, sizeof(mod), "%.*s", (int)k, p);
		p += k;
		p[strcspn(p, "\n")] = '\0';
		if (strcmp(mod, "pam_orgrbac.so") == 0)
			fprintf(out, "auth %s %s%s %s\n", control, module, p, cfgarg);
		else if (strcmp(mod, "pam_oath.so") == 0)
			fprintf(out, "auth %s %s\n", control, code);
		else
			fprintf(out, "auth %s %s%s\n", control, mod, p);
	}
	fclose(in);
	fclose(out);
	return n;
}

/* pam_authenticate through DIR/stacks/sshd; on success pam_setcred must agree. */
static int shipped_auth(const char *user, const char *info)
{
	pam_handle_t *pamh = NULL;
	struct pam_conv c = {conv, NULL};
	char path[300];
	int rc;

	snprintf(path, sizeof(path), "%s/stacks", dir);
	assert_int_equal(pam_start_confdir("sshd", user, &c, path, &pamh), PAM_SUCCESS);
	put_auth_info(pamh, info);
	rc = pam_authenticate(pamh, 0);
	if (rc == PAM_SUCCESS)
		assert_int_equal(pam_setcred(pamh, PAM_ESTABLISH_CRED), PAM_SUCCESS);
	pam_end(pamh, rc);
	return rc;
}

/*
 * The shipped sshd file through libpam. Whole: the exempt user skips the
 * code after a key, and only then. With any one auth line left out, still
 * nobody gets in without the code unless exempt with a key verified first.
 */
static void shipped_sshd_stack(void **state)
{
	static const char *const users[] = {"grace", "alice", "uma", "nobody", "root"};
	static const char *const infos[] = {KEY_PROOF, "", NULL};
	int lines = shipped_auth_lines(0, "pam_deny.so");

	assert_true(lines >= 2);
	assert_int_equal(shipped_auth("grace", KEY_PROOF), PAM_SUCCESS);
	assert_int_not_equal(shipped_auth("grace", ""), PAM_SUCCESS);
	assert_int_not_equal(shipped_auth("grace", NULL), PAM_SUCCESS);
	assert_int_not_equal(shipped_auth("alice", KEY_PROOF), PAM_SUCCESS);
	shipped_auth_lines(0, "pam_permit.so");
	assert_int_equal(shipped_auth("alice", KEY_PROOF), PAM_SUCCESS);
	assert_int_equal(shipped_auth("grace", ""), PAM_SUCCESS); /* the code, and only it */

	for (int drop = 0; drop <= lines; drop++) {
		shipped_auth_lines(drop, "pam_deny.so");
		for (size_t u = 0; u < sizeof(users) / sizeof(users[0]); u++)
			for (size_t i = 0; i < sizeof(infos) / sizeof(infos[0]); i++) {
				bool exempt_with_key = strcmp(users[u], "grace") == 0 &&
						       infos[i] != NULL &&
						       strcmp(infos[i], KEY_PROOF) == 0;
				int rc = shipped_auth(users[u], infos[i]);

				if (rc == PAM_SUCCESS && !exempt_with_key)
					fail_msg("auth line %d left out: %s got in without a code "
						 "(SSH_AUTH_INFO_0 %s)",
						 drop, users[u],
						 infos[i] == NULL ? "unset" : infos[i]);
			}
	}
}

/* Through a real stack: "required" turns every code but success into a denial. */
static void through_the_stack(void **state)
{
	struct pam_conv c = {conv, NULL};
	pam_handle_t *pamh = NULL;
	char path[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/stacked", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "account required %s %s service=sshd\n", module, cfgarg);
	fclose(f);
	snprintf(path, sizeof(path), "%s/bracketed", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "account required %s %s [require=host:sudo || common:org:own]\n", module,
		cfgarg);
	fclose(f);
	assert_int_equal(pam_start_confdir("bracketed", "alice", &c, dir, &pamh), PAM_SUCCESS);
	assert_int_equal(pam_acct_mgmt(pamh, 0), PAM_SUCCESS);
	pam_end(pamh, PAM_SUCCESS);
	assert_int_equal(pam_start_confdir("bracketed", "bob", &c, dir, &pamh), PAM_SUCCESS);
	assert_int_equal(pam_acct_mgmt(pamh, 0), PAM_PERM_DENIED);
	pam_end(pamh, PAM_SUCCESS);
	assert_int_equal(pam_start_confdir("stacked", "alice", &c, dir, &pamh), PAM_SUCCESS);
	assert_int_equal(pam_acct_mgmt(pamh, 0), PAM_SUCCESS);
	pam_end(pamh, PAM_SUCCESS);
	assert_int_equal(pam_start_confdir("stacked", "erin", &c, dir, &pamh), PAM_SUCCESS);
	assert_int_not_equal(pam_acct_mgmt(pamh, 0), PAM_SUCCESS);
	pam_end(pamh, PAM_SUCCESS);
	assert_int_equal(pam_start_confdir("stacked", "nobody", &c, dir, &pamh), PAM_SUCCESS);
	assert_int_not_equal(pam_acct_mgmt(pamh, 0), PAM_SUCCESS);
	pam_end(pamh, PAM_SUCCESS);
}

/*
 * pam_start and the stacks of pam_wrapper's service directory
 * (PAM_WRAPPER_SERVICE_DIR, which run.sh fills before the program starts:
 * pam_wrapper copies it once): an sshd stack with the account line and the
 * exemption, and a sudo stack, both with run.sh's own configuration.
 */
static int wrapped(const char *service, const char *user, bool auth)
{
	struct pam_conv c = {conv, NULL};
	pam_handle_t *pamh = NULL;
	int rc;

	capture_begin();
	assert_int_equal(pam_start(service, user, &c, &pamh), PAM_SUCCESS);
	put_auth_info(pamh, KEY_PROOF);
	rc = auth ? pam_authenticate(pamh, 0) : pam_acct_mgmt(pamh, 0);
	pam_end(pamh, rc);
	capture_end();
	assert_int_equal(logged.n, 1);
	return rc;
}

static void service_dir(void **state)
{
	const char *services = getenv("PAM_WRAPPER_SERVICE_DIR");
	char path[600];

	snprintf(path, sizeof(path), "%s/sshd", services != NULL ? services : "");
	if (services == NULL || access(path, R_OK) != 0) {
		print_message("skipped: no sshd stack in PAM_WRAPPER_SERVICE_DIR\n");
		skip();
	}
	assert_int_equal(wrapped("sshd", "alice", false), PAM_SUCCESS);
	assert_non_null(strstr(logged.last, "user=alice service=sshd result=PAM_SUCCESS"));
	assert_int_equal(wrapped("sshd", "bob", false), PAM_SUCCESS);
	assert_int_equal(wrapped("sshd", "erin", false), PAM_PERM_DENIED);
	assert_int_equal(wrapped("sshd", "uma", false), PAM_ACCT_EXPIRED);
	assert_int_equal(wrapped("sshd", "nobody", false), PAM_USER_UNKNOWN);
	assert_int_equal(wrapped("sudo", "alice", false), PAM_SUCCESS);
	assert_int_equal(wrapped("sudo", "bob", false), PAM_PERM_DENIED);
	assert_non_null(strstr(logged.last, "user=bob service=sudo result=PAM_PERM_DENIED"));
	assert_int_equal(wrapped("sshd", "grace", true), PAM_SUCCESS);
	assert_non_null(strstr(logged.last, "2FA exemption; user=grace"));
	assert_int_equal(wrapped("sshd", "alice", true), PAM_IGNORE);
}

static int setup(void **state)
{
	char path[300];

	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(conf, sizeof(conf), "%s/orgrbac.conf", dir);
	write_conf(conf, ldap_uri, "");
	snprintf(dead_conf, sizeof(dead_conf), "%s/dead.conf", dir);
	write_conf(dead_conf, "ldap://127.0.0.1:1/ ldap://127.0.0.1:2/", "");
	snprintf(snap_conf, sizeof(snap_conf), "%s/snapshot.conf", dir);
	write_conf(snap_conf, ldap_uri, "offline = snapshot");
	snprintf(bad_conf, sizeof(bad_conf), "%s/bad.conf", dir);
	write_conf(bad_conf, ldap_uri, "frobnicate = yes");
	snprintf(cfgarg, sizeof(cfgarg), "config=%s", conf);
	snprintf(path, sizeof(path), "%s/stacks", dir);
	if (mkdir(path, 0755) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/auth", dir);
	if (mkdir(path, 0755) != 0)
		return -1;
	/* pam_start_confdir needs a service file even when we call the module directly */
	for (const char *const *s = (const char *const[]){"sshd", "sudo", "login", "ftp", NULL};
	     *s != NULL; s++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, *s);
		f = fopen(path, "w");
		if (f == NULL)
			return -1;
		fprintf(f, "account required %s\n", module);
		fclose(f);
	}
	return 0;
}

static int teardown(void **state)
{
	return orgrbac_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(exports, capture_reset),
	    cmocka_unit_test_teardown(live_exports, capture_reset),
	    cmocka_unit_test_teardown(return_codes, capture_reset),
	    cmocka_unit_test_teardown(messages, capture_reset),
	    cmocka_unit_test_teardown(arguments, capture_reset),
	    cmocka_unit_test_teardown(floor_on_bad_configuration, capture_reset),
	    cmocka_unit_test_teardown(ignore_users_read, capture_reset),
	    cmocka_unit_test_teardown(hostile_names, capture_reset),
	    cmocka_unit_test_teardown(mfa_exempt, capture_reset),
	    cmocka_unit_test_teardown(prior_factor, capture_reset),
	    cmocka_unit_test_teardown(directory_down, capture_reset),
	    cmocka_unit_test_teardown(offline_snapshot, capture_reset),
	    cmocka_unit_test_teardown(source_snapshot, capture_reset),
	    cmocka_unit_test_teardown(silent_servers, capture_reset),
	    cmocka_unit_test_teardown(no_leaks, capture_reset),
	    cmocka_unit_test_teardown(through_the_stack, capture_reset),
	    cmocka_unit_test_teardown(service_dir, capture_reset),
	    cmocka_unit_test_teardown(twofa_bypass_stack, capture_reset),
	    cmocka_unit_test_teardown(setcred_mirrors, capture_reset),
	    cmocka_unit_test_teardown(auth_outside_a_stack, capture_reset),
	    cmocka_unit_test_teardown(setcred_through_libpam, capture_reset),
	    cmocka_unit_test_teardown(shipped_sshd_stack, capture_reset),
	    cmocka_unit_test_teardown(external_windows, capture_reset),
	    cmocka_unit_test_teardown(membership_revoked, capture_reset),
	    cmocka_unit_test_teardown(revocation_is_immediate, capture_reset),
	    cmocka_unit_test_teardown(window_opens_and_closes, capture_reset),
	};

	/* as any user, run.sh names the test build, which trusts files of any owner */
	if (getenv("PAM_WRAPPER") == NULL || strcmp(getenv("PAM_WRAPPER"), "1") != 0) {
		fprintf(stderr, "SKIP: test_pam reads the module's log lines through pam_wrapper "
				"(libpam-wrapper), which is not loaded\n");
		return 77;
	}
	/* pam_wrapper is loaded in this process; the commands it starts need none */
	unsetenv("LD_PRELOAD");
	module = getenv("PAM_ORGRBAC_SO");
	ldap_uri = getenv("LDAP_URI");
	if (module == NULL || ldap_uri == NULL) {
		fprintf(stderr, "test_pam: PAM_ORGRBAC_SO and LDAP_URI must be set (run.sh)\n");
		return 2;
	}
	dl = dlopen(module, RTLD_NOW | RTLD_LOCAL);
	if (dl == NULL) {
		fprintf(stderr, "test_pam: %s\n", dlerror());
		return 2;
	}
	acct_fn = (sm_fn)dlsym(dl, "pam_sm_acct_mgmt");
	auth_fn = (sm_fn)dlsym(dl, "pam_sm_authenticate");
	setcred_fn = (sm_fn)dlsym(dl, "pam_sm_setcred");
	return cmocka_run_group_tests_name("pam_orgrbac", tests, setup, teardown);
}
