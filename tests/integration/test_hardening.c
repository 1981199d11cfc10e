/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pam_orgrbac.so against hostile input and a hostile host process: bad user names and
 * broken directory data (loaded by test_hostile.sh), LDAP settings in the environment,
 * ldaprc files and /etc/ldap/ldap.conf, descriptors 0-2 closed, and many threads at once.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <ldap.h>
#include <security/pam_appl.h>

#include "testdir.h"
#include "config.h"

typedef int (*sm_fn)(pam_handle_t *, int, int, const char **);

static const char *module, *hostile_conf;
static char dir[] = "/tmp/orgrbac-hardening-XXXXXX";
static char good_tls[300], wrong_tls[300], wrong_starttls[300], bad_conf[300];
static char bad_conf_arg[310];

static const char *env(const char *name)
{
	const char *v = getenv(name);

	if (v == NULL || *v == '\0') {
		fprintf(stderr, "test_hardening: %s is not set (run through test_hostile.sh)\n",
			name);
		exit(2);
	}
	return v;
}

/* Answers nothing: the module only sends messages (an expired account's reason). */
static int conv(int n, const struct pam_message **msg, struct pam_response **resp, void *data)
{
	*resp = calloc((size_t)n, sizeof(**resp));
	return *resp != NULL ? PAM_SUCCESS : PAM_BUF_ERR;
}

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
		fprintf(stderr, "test_hardening: cannot write %s\n", path);
		exit(2);
	}
}

/*
 * One account or auth decision through the real libpam: a service file in our
 * directory with one line, "TYPE required MODULE ARGS", loaded by pam_start.
 */
static int through_pam(const char *type, const char *user, const char *args)
{
	static int serial;
	struct pam_conv c = {conv, NULL};
	pam_handle_t *pamh = NULL;
	char service[64], path[400], line[1200];
	int rc;

	/* a file per call: threads call this at once */
	snprintf(service, sizeof(service), "svc-%d-%d",
		 __atomic_fetch_add(&serial, 1, __ATOMIC_RELAXED), (int)getpid());
	snprintf(path, sizeof(path), "%s/%s", dir, service);
	/* the service's own name is made up: take the requirement of [service sshd] */
	snprintf(line, sizeof(line), "%s required %s service=sshd %s\n", type, module, args);
	put_file(path, line);
	if (pam_start_confdir(service, user, &c, dir, &pamh) != PAM_SUCCESS)
		return -1;
	rc = strcmp(type, "auth") == 0 ? pam_authenticate(pamh, PAM_SILENT)
				       : pam_acct_mgmt(pamh, PAM_SILENT);
	pam_end(pamh, rc);
	unlink(path);
	return rc;
}

/*
 * The module's own return code, without libpam's mapping of PAM_IGNORE: the
 * account entry point called directly; the auth one (which keeps its answer
 * for pam_setcred, and libpam allows that only inside a stack) through
 * pam_authenticate and a line DIR/auth/SERVICE whose actions hand its code
 * back, as sshd after a verified key, so that the exemption asks the directory.
 */
static sm_fn acct_fn, auth_fn;
static int direct(sm_fn fn, const char *user, const char *service, const char *extra)
{
	struct pam_conv c = {conv, NULL};
	pam_handle_t *pamh = NULL;
	char cfg[400], confdir[400], path[800], line[1200];
	const char *argv[3];
	const void *item = NULL;
	int argc = 0, rc;

	/* an extra config= replaces the hostile configuration */
	snprintf(cfg, sizeof(cfg), "config=%s", hostile_conf);
	if (extra == NULL || strncmp(extra, "config=", 7) != 0)
		argv[argc++] = cfg;
	if (extra != NULL)
		argv[argc++] = extra;
	/* "sshd" and "sudo" service files exist in dir: pam_start needs one */
	snprintf(confdir, sizeof(confdir), "%s%s", dir, fn == auth_fn ? "/auth" : "");
	if (fn == auth_fn) {
		snprintf(path, sizeof(path), "%s/%s", confdir, service);
		snprintf(line, sizeof(line), "auth [success=ok ignore=ok default=bad] %s %s %s\n",
			 module, argv[0], argc > 1 ? argv[1] : "");
		put_file(path, line);
	}
	if (pam_start_confdir(service, user, &c, confdir, &pamh) != PAM_SUCCESS)
		return -1;
	if (fn == auth_fn) {
		if (pam_putenv(pamh,
			       "SSH_AUTH_INFO_0=publickey ssh-ed25519 AAAAC3NzaC1lZDI1NTE5\n") !=
		    PAM_SUCCESS) {
			pam_end(pamh, PAM_SUCCESS);
			return -1;
		}
		rc = pam_authenticate(pamh, PAM_SILENT);
	} else {
		rc = fn(pamh, PAM_SILENT, argc, argv);
	}
	/* the module never rewrites the name it was asked about */
	if (pam_get_item(pamh, PAM_USER, &item) != PAM_SUCCESS || item == NULL ||
	    strcmp(item, user) != 0)
		rc = -2;
	pam_end(pamh, rc);
	return rc;
}

static void load_module(void)
{
	void *dl;

	if (acct_fn != NULL)
		return;
	dl = dlopen(module, RTLD_NOW | RTLD_LOCAL);
	assert_non_null(dl);
	acct_fn = (sm_fn)dlsym(dl, "pam_sm_acct_mgmt");
	auth_fn = (sm_fn)dlsym(dl, "pam_sm_authenticate");
	assert_non_null(acct_fn);
	assert_non_null(auth_fn);
}

/* Run `child` in a fresh process; it returns 0 or the number of the check that failed. */
static int in_child(int (*child)(void *), void *arg)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0)
		_exit(child(arg));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status))
		return 1000 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return WEXITSTATUS(status);
}

/* ---- the host process's environment ---------------------------------------------- */

/*
 * Everything libldap would read: LDAP* variables, LDAPCONF, LDAPRC, ./ldaprc and
 * ~/.ldaprc (HOME moved to a directory of ours), each pointing at a dead server and
 * turning certificate checks off.
 */
static void pollute(void)
{
	static const char rc_text[] = "URI ldap://127.0.0.1:1/\nBASE o=nowhere\n"
				      "TLS_REQCERT never\nTLS_CACERT /nonexistent\n";
	char path[400];

	snprintf(path, sizeof(path), "%s/home", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/home/.ldaprc", dir);
	put_file(path, rc_text);
	snprintf(path, sizeof(path), "%s/home/ldaprc", dir);
	put_file(path, rc_text);
	snprintf(path, sizeof(path), "%s/ldap.conf", dir);
	put_file(path, rc_text);
	setenv("LDAPCONF", path, 1);
	setenv("LDAPRC", "ldaprc", 1);
	snprintf(path, sizeof(path), "%s/home", dir);
	setenv("HOME", path, 1);
	if (chdir(path) != 0)
		_exit(90);
	setenv("LDAPURI", "ldap://127.0.0.1:1/", 1);
	setenv("LDAPHOST", "127.0.0.1", 1);
	setenv("LDAPPORT", "1", 1);
	setenv("LDAPBASE", "o=nowhere", 1);
	setenv("LDAPTLS_REQCERT", "never", 1);
	setenv("LDAPTLS_CACERT", "/nonexistent", 1);
	setenv("LDAPSIZELIMIT", "1", 1);
	setenv("LDAPTIMELIMIT", "1", 1);
	setenv("LDAPREFERRALS", "on", 1);
	setenv("LDAPDEREF", "always", 1);
	unsetenv("LDAPNOINIT");
}

/* The decisions that must not change, whatever the environment says. */
static int decide_as_configured(void)
{
	char args[400];

	snprintf(args, sizeof(args), "config=%s", good_tls);
	if (through_pam("account", "alice", args) != PAM_SUCCESS)
		return 10;
	if (through_pam("account", "erin", args) != PAM_PERM_DENIED)
		return 11;
	/* certificates are still checked against the configured CA only */
	snprintf(args, sizeof(args), "config=%s", wrong_tls);
	if (through_pam("account", "alice", args) != PAM_AUTHINFO_UNAVAIL)
		return 12;
	snprintf(args, sizeof(args), "config=%s", wrong_starttls);
	if (through_pam("account", "alice", args) != PAM_AUTHINFO_UNAVAIL)
		return 13;
	return 0;
}

static int env_module_first(void *arg)
{
	int reqcert = -1, rc;
	char *uri = NULL;

	pollute();
	rc = decide_as_configured();
	if (rc != 0)
		return rc;
	/* libldap was first used by the module, which let it read none of the above */
	if (ldap_get_option(NULL, LDAP_OPT_X_TLS_REQUIRE_CERT, &reqcert) != LDAP_OPT_SUCCESS ||
	    reqcert == LDAP_OPT_X_TLS_NEVER)
		return 20;
	if (ldap_get_option(NULL, LDAP_OPT_URI, &uri) != LDAP_OPT_SUCCESS ||
	    (uri != NULL && strstr(uri, "127.0.0.1:1") != NULL))
		return 21;
	ldap_memfree(uri);
	/* and left the host's environment as it was */
	if (getenv("LDAPNOINIT") != NULL)
		return 22;
	return 0;
}

static int env_host_first(void *arg)
{
	int reqcert = -1;
	char *uri = NULL;

	pollute();
	/* the host process used libldap before us, with all of it in force */
	if (ldap_get_option(NULL, LDAP_OPT_X_TLS_REQUIRE_CERT, &reqcert) != LDAP_OPT_SUCCESS ||
	    reqcert != LDAP_OPT_X_TLS_NEVER)
		return 30;
	if (ldap_get_option(NULL, LDAP_OPT_URI, &uri) != LDAP_OPT_SUCCESS || uri == NULL ||
	    strstr(uri, "127.0.0.1:1") == NULL)
		return 31;
	ldap_memfree(uri);
	return decide_as_configured();
}

/* /etc/ldap/ldap.conf itself, replaced in a mount namespace of this child only. */
static int env_system_file(void *arg)
{
	char etc[400], conf[420];
	int rc;

	if (unshare(CLONE_NEWNS) != 0 || mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0)
		return 77;
	snprintf(etc, sizeof(etc), "%s/etc-ldap", dir);
	mkdir(etc, 0755);
	snprintf(conf, sizeof(conf), "%s/ldap.conf", etc);
	put_file(conf, "URI ldap://127.0.0.1:1/\nTLS_REQCERT never\nTLS_CACERT /nonexistent\n");
	if (mount(etc, "/etc/ldap", "none", MS_BIND, NULL) != 0)
		return 77;
	rc = decide_as_configured();
	umount("/etc/ldap");
	return rc;
}

static void environment(void **state)
{
	int rc;

	assert_int_equal(in_child(env_module_first, NULL), 0);
	assert_int_equal(in_child(env_host_first, NULL), 0);
	rc = in_child(env_system_file, NULL);
	if (rc == 77)
		print_message("no private mount namespace here: /etc/ldap/ldap.conf not tested\n");
	else
		assert_int_equal(rc, 0);
}

/* ---- descriptors 0-2 closed before the module loads --------------------------------- */

struct fds_case {
	bool victim; /* reopen 0 and 1 on /dev/null and 2 on a file of ours */
	char path[400];
};

static int fds_closed(void *arg)
{
	struct fds_case *fc = arg;
	char good[400], bad[400];

	close(0);
	close(1);
	close(2);
	if (fc->victim && (open("/dev/null", O_RDONLY) != 0 || open("/dev/null", O_WRONLY) != 1 ||
			   open(fc->path, O_WRONLY | O_CREAT | O_TRUNC, 0600) != 2))
		return 40;
	snprintf(good, sizeof(good), "config=%s", hostile_conf);
	snprintf(bad, sizeof(bad), "config=%s", bad_conf);
	for (int round = 0; round < 2; round++) {
		if (through_pam("account", "alice", good) != PAM_SUCCESS)
			return 41;
		if (through_pam("account", "erin", good) != PAM_PERM_DENIED)
			return 42;
		if (through_pam("account", "uma", good) != PAM_ACCT_EXPIRED)
			return 43;
		if (through_pam("account", "nobody", good) != PAM_USER_UNKNOWN)
			return 44;
		if (through_pam("account",
				"al\x1b"
				"ice",
				good) != PAM_USER_UNKNOWN)
			return 45;
		/* the error paths: a config the reader refuses, an unknown argument */
		if (through_pam("account", "alice", bad) != PAM_SERVICE_ERR)
			return 46;
		if (through_pam("account", "alice", "frobnicate") != PAM_SERVICE_ERR)
			return 47;
		if (through_pam("auth", "grace", "mfa_exempt config=/nonexistent") !=
		    PAM_SERVICE_ERR)
			return 48;
	}
	return 0;
}

static void closed_descriptors(void **state)
{
	struct fds_case fc = {.victim = true};
	struct stat st;

	snprintf(fc.path, sizeof(fc.path), "%s/fd2-victim", dir);
	assert_int_equal(in_child(fds_closed, &fc), 0);
	/* nothing was written to whatever file happened to be descriptor 2 */
	assert_int_equal(stat(fc.path, &st), 0);
	assert_int_equal(st.st_size, 0);
	fc.victim = false;
	assert_int_equal(in_child(fds_closed, &fc), 0);
}

/* ---- one syslog line per decision ------------------------------------------------- */

/*
 * /dev/log in a mount namespace of the child only: a tmpfs-free copy of the few device
 * nodes a decision may open, plus our own datagram socket, bound over /dev.
 */
static int private_log(int *sock)
{
	static const char *const nodes[] = {"null", "zero", "random", "urandom"};
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char devdir[400], path[420];

	if (unshare(CLONE_NEWNS) != 0 || mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0)
		return 77;
	snprintf(devdir, sizeof(devdir), "%s/dev", dir);
	if (mkdir(devdir, 0755) != 0 && errno != EEXIST)
		return 70;
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		char real[32];

		snprintf(real, sizeof(real), "/dev/%s", nodes[i]);
		snprintf(path, sizeof(path), "%s/%s", devdir, nodes[i]);
		put_file(path, "");
		if (mount(real, path, "none", MS_BIND, NULL) != 0)
			return 71;
	}
	if (strlen(devdir) + sizeof("/log") > sizeof(sa.sun_path))
		return 74;
	memcpy(sa.sun_path, devdir, strlen(devdir));
	memcpy(sa.sun_path + strlen(devdir), "/log", sizeof("/log"));
	*sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (*sock < 0 || bind(*sock, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		return 72;
	if (mount(devdir, "/dev", "none", MS_BIND, NULL) != 0)
		return 73;
	return 0;
}

/* The module's lines logged since the last call (libpam's own are skipped); their number. */
static int drain(int sock, char *buf, size_t len)
{
	size_t used = 0;
	int n = 0;
	ssize_t r;

	buf[0] = '\0';
	while (used + 1 < len && (r = recv(sock, buf + used, len - used - 1, 0)) > 0) {
		buf[used + (size_t)r] = '\0';
		if (strstr(buf + used, ": pam_orgrbac(") == NULL)
			continue;
		used += (size_t)r;
		if (used + 1 < len)
			buf[used++] = '\n';
		buf[used] = '\0';
		n++;
	}
	return n;
}

/* Does `s` hold the parts of `want` between its '*'s, in order? */
static bool in_order(const char *s, const char *want)
{
	char part[600];

	while (*want != '\0') {
		size_t n = strcspn(want, "*");

		if (n >= sizeof(part))
			return false;
		memcpy(part, want, n);
		part[n] = '\0';
		if ((s = strstr(s, part)) == NULL)
			return false;
		s += n;
		want += n;
		want += strspn(want, "*");
	}
	return true;
}

/* authpriv (10 << 3): notice for yes, error where the administrator must act, else warning */
static const char *log_prio(int rc)
{
	if (rc == PAM_SUCCESS || rc == PAM_IGNORE)
		return "<85>";
	if (rc == PAM_SERVICE_ERR || rc == PAM_AUTHINFO_UNAVAIL)
		return "<83>";
	return "<84>";
}

struct log_case {
	const char *user, *args, *want;
	int rc;
};

static int logging(void *arg)
{
	char good[400], bad[400], buf[4096];
	int sock = -1, rc = private_log(&sock);
	const struct log_case cases[] = {
	    {"alice", good,
	     "account decision; user=alice service=svc-* result=PAM_SUCCESS "
	     "reason=host:login from role 'Org Admin' via grant 'alice-org-admin'",
	     PAM_SUCCESS},
	    {"erin", good,
	     "user=erin * result=PAM_PERM_DENIED reason=lacks privileges: ", PAM_PERM_DENIED},
	    {"uma", good, "result=PAM_ACCT_EXPIRED reason=access for partner Umbrella is disabled",
	     PAM_ACCT_EXPIRED},
	    {"al\x1b[2Jice\n", good,
	     "user=al?[2Jice? * result=PAM_USER_UNKNOWN reason=", PAM_USER_UNKNOWN},
	    {"%s%n%s", good, "user=%s%n%s * result=PAM_USER_UNKNOWN reason=not in the directory",
	     PAM_USER_UNKNOWN},
	    {"evil-role", good, "result=PAM_SUCCESS reason=host:login from role 'Evil??[31mRole'",
	     PAM_SUCCESS},
	    {"twin", good, "result=PAM_PERM_DENIED reason=refused: uid 'twin' is ambiguous",
	     PAM_PERM_DENIED},
	    {"mallory", good,
	     "result=PAM_PERM_DENIED reason=member of organization globex: cross-organization "
	     "access needs a platform grant",
	     PAM_PERM_DENIED},
	    {"tagged-scope", good,
	     "result=PAM_PERM_DENIED reason=lacks privileges: * grant 'tagged-scope' is void: "
	     "orgScope;lang-en has options",
	     PAM_PERM_DENIED},
	    {"alice", bad, "result=PAM_SERVICE_ERR reason=*bad.conf:3: syntax error",
	     PAM_SERVICE_ERR},
	    {"alice", "frobnicate", "result=PAM_SERVICE_ERR reason=unknown argument 'frobnicate'",
	     PAM_SERVICE_ERR},
	};

	if (rc != 0)
		return rc;
	snprintf(good, sizeof(good), "config=%s", hostile_conf);
	snprintf(bad, sizeof(bad), "config=%s", bad_conf);
	drain(sock, buf, sizeof(buf));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct log_case *c = &cases[i];
		if (through_pam("account", c->user, c->args) != c->rc)
			return 80 + (int)i;
		/* exactly one line, authpriv at the priority of its result, nothing unprintable */
		if (drain(sock, buf, sizeof(buf)) != 1)
			return 100 + (int)i;
		if (strncmp(buf, log_prio(c->rc), 4) != 0)
			return 120 + (int)i;
		for (const char *p = buf; *p != '\n'; p++)
			if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
				return 140 + (int)i;
		if (!in_order(buf, c->want)) {
			fprintf(stderr, "logged: %s\nwanted: %s\n", buf, c->want);
			return 160 + (int)i;
		}
	}
	return 0;
}

static void one_log_line(void **state)
{
	int rc = in_child(logging, NULL);

	if (rc == 77)
		skip();
	assert_int_equal(rc, 0);
}

/* ---- bad user names and broken directory data ------------------------------------ */

static void bad_user_names(void **state)
{
	static const char *refused[] = {
	    "",
	    "*",
	    "alice*",
	    "(uid=alice)",
	    "alice)(|(uid=*",
	    "alice\\2a",
	    "ali\\ce",
	    "uid=alice,ou=people",
	    "-alice",
	    "alice ",
	    " alice",
	    "alice\t",
	    "ali\x01"
	    "ce",
	    "alice\n",
	    "\x1b"
	    "[31malice",
	    "alice\xff",
	    "\xc0\xaf"
	    "alice",
	    "\xed\xa0\x80",
	    "\xc2\x85"
	    "alice",
	    "a:b",
	    "a,b",
	    "a/b",
	};
	/* well-formed, but nobody's uid in any case */
	static const char *unknown[] = {
	    "alice\xcc\x81",
	    "\xe2\x80\xae"
	    "alice",
	    "%s%n%s%n%99999999d", /* a format string reaching printf would show here */
	    "ghost2",
	    "nobody",
	};
	char longest[300];

	load_module();
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		assert_int_equal(direct(acct_fn, refused[i], "sshd", NULL), PAM_USER_UNKNOWN);
		assert_int_equal(direct(auth_fn, refused[i], "sshd", "mfa_exempt"), PAM_IGNORE);
		/* ignore_unknown_user does not cover a malformed name: it is never looked up */
		assert_int_equal(direct(acct_fn, refused[i], "sshd", "ignore_unknown_user"),
				 PAM_USER_UNKNOWN);
	}
	/*
	 * Known entries that may not log in under this name: another case (or Unicode
	 * folding), outside every organization, or a name several organizations hold.
	 * Refused, never unknown: ignore_unknown_user would let a stack pass them.
	 */
	static const char *known[] = {
	    "ALICE", "Alice", "\xef\xbd\x81lice", "mixcase", "FRANK", "drifter", "stray",
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		assert_int_equal(direct(acct_fn, known[i], "sshd", NULL), PAM_PERM_DENIED);
		assert_int_equal(direct(acct_fn, known[i], "sshd", "ignore_unknown_user"),
				 PAM_PERM_DENIED);
		assert_int_equal(direct(auth_fn, known[i], "sshd", "mfa_exempt"), PAM_IGNORE);
	}
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		assert_int_equal(direct(acct_fn, unknown[i], "sshd", NULL), PAM_USER_UNKNOWN);
		assert_int_equal(direct(acct_fn, unknown[i], "sshd", "ignore_unknown_user"),
				 PAM_IGNORE);
		assert_int_equal(direct(auth_fn, unknown[i], "sshd", "mfa_exempt"), PAM_IGNORE);
	}
	memset(longest, 'a', 257);
	longest[257] = '\0';
	assert_int_equal(direct(acct_fn, longest, "sshd", NULL), PAM_USER_UNKNOWN);
	longest[256] = '\0';
	assert_int_equal(direct(acct_fn, longest, "sshd", NULL), PAM_USER_UNKNOWN);
}

struct expectation {
	const char *user, *service;
	int rc;
};

/* README.md, "Security": the directory-values half of the bad-input table. */
static const struct expectation values[] = {
    {"odd-mode", "sshd", PAM_ACCT_EXPIRED},
    {"odd-kind", "sshd", PAM_ACCT_EXPIRED},
    {"ext-backwards", "sshd", PAM_ACCT_EXPIRED},
    {"ext-halfopen", "sshd", PAM_ACCT_EXPIRED},
    {"ext-leapsec", "sshd", PAM_ACCT_EXPIRED},
    {"win-backwards", "sshd", PAM_PERM_DENIED},
    {"win-leapsec", "sshd", PAM_PERM_DENIED},
    {"win-hourly", "sshd", PAM_SUCCESS},
    {"nogid", "sshd", PAM_SUCCESS},
    {"dupgid", "sshd", PAM_SUCCESS},
    {"dupgid", "sudo", PAM_SUCCESS},
    {"sysgid", "sudo", PAM_SUCCESS},
    {"ghost-peer", "sshd", PAM_SUCCESS},
    {"ghost2", "sshd", PAM_USER_UNKNOWN},
    {"norole", "sshd", PAM_PERM_DENIED},
    {"foreign-role", "sshd", PAM_PERM_DENIED},
    {"foreign-grantee", "sshd", PAM_PERM_DENIED},
    {"loop-self", "sshd", PAM_SUCCESS},
    {"loop-ring", "sshd", PAM_SUCCESS},
    {"loop-idle", "sshd", PAM_PERM_DENIED},
    {"evil-role", "sshd", PAM_SUCCESS},
    {"bad-privs", "sshd", PAM_PERM_DENIED},
    {"scope-junk", "sshd", PAM_PERM_DENIED},
    {"Mixcase", "sshd", PAM_SUCCESS},
    {"twin", "sshd", PAM_PERM_DENIED},
    {"crowd-member", "sshd", PAM_SUCCESS},
    {"crowd-outsider", "sshd", PAM_PERM_DENIED},
    /* tests/data/trust.ldif: what a tenant, a vendor or bad data could write */
    {"mallory", "sshd", PAM_PERM_DENIED},
    {"mallory", "sudo", PAM_PERM_DENIED},
    {"wanda", "sshd", PAM_PERM_DENIED},
    {"rolf", "sshd", PAM_PERM_DENIED},
    {"club-member", "sshd", PAM_PERM_DENIED},
    {"tagged-scope", "sshd", PAM_PERM_DENIED},
    {"tagged-time", "sshd", PAM_PERM_DENIED},
    {"tagged-role", "sshd", PAM_PERM_DENIED},
    {"tagged-grantee", "sshd", PAM_PERM_DENIED},
    {"long-scope", "sshd", PAM_PERM_DENIED},
    {"reopened", "sshd", PAM_ACCT_EXPIRED},
    {"half-full", "sshd", PAM_PERM_DENIED},
    {"tagged-mode", "sshd", PAM_ACCT_EXPIRED},
    {"drifter", "sshd", PAM_PERM_DENIED},
    {"twofold", "sshd", PAM_SUCCESS},
    {"stray", "sshd", PAM_PERM_DENIED},
};

static void directory_values(void **state)
{
	load_module();
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		const struct expectation *x = &values[i];
		int rc = direct(acct_fn, x->user, x->service, NULL);

		if (rc != x->rc)
			fail_msg("%s (%s): %d, wanted %d", x->user, x->service, rc, x->rc);
		/* nobody here is 2FA-exempt, and no broken entry makes anyone so */
		assert_int_equal(direct(auth_fn, x->user, x->service, "mfa_exempt"), PAM_IGNORE);
	}
}

/* ---- one process, many threads, a handle each -------------------------------------- */

#define THREADS 8
#define ROUNDS	6

struct thread_case {
	const char *user, *service, *extra;
	int rc;
};

/* Different answers at once, and a configuration error among them. */
static const struct thread_case mixed[] = {
    {"alice", "sshd", NULL, PAM_SUCCESS},
    {"erin", "sshd", NULL, PAM_PERM_DENIED},
    {"uma", "sshd", NULL, PAM_ACCT_EXPIRED},
    {"nobody", "sshd", NULL, PAM_USER_UNKNOWN},
    {"bob", "sudo", NULL, PAM_PERM_DENIED},
    {"ALICE", "sshd", NULL, PAM_PERM_DENIED},
    {"odd-mode", "sshd", NULL, PAM_ACCT_EXPIRED},
    {"crowd-member", "sshd", NULL, PAM_SUCCESS},
    {"alice", "sshd", bad_conf_arg, PAM_SERVICE_ERR},
};

static void *worker(void *arg)
{
	uintptr_t id = (uintptr_t)arg, wrong = 0;
	size_t n = sizeof(mixed) / sizeof(mixed[0]);

	for (int r = 0; r < ROUNDS; r++) {
		/* each thread starts at another case, so that different answers overlap */
		const struct thread_case *x = &mixed[(id + (uintptr_t)r) % n];

		if (direct(acct_fn, x->user, x->service, x->extra) != x->rc)
			wrong++;
	}
	return (void *)wrong;
}

/* In a child whose descriptor 2 is a file: no thread may write to it either. */
static int run_threads(void *arg)
{
	pthread_t t[THREADS];
	uintptr_t wrong = 0;
	int fd = open(arg, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || dup2(fd, 2) != 2)
		return 60;
	close(fd);
	for (uintptr_t i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i) != 0)
			return 61;
	for (int i = 0; i < THREADS; i++) {
		void *w;

		if (pthread_join(t[i], &w) != 0)
			return 62;
		wrong += (uintptr_t)w;
	}
	return wrong == 0 ? 0 : 63;
}

static void threads(void **state)
{
	char victim[400];
	struct stat st;

	load_module();
	snprintf(victim, sizeof(victim), "%s/threads-stderr", dir);
	assert_int_equal(in_child(run_threads, victim), 0);
	assert_int_equal(stat(victim, &st), 0);
	assert_int_equal(st.st_size, 0);
}

/* ---- fork while another thread reads the configuration ---------------------------- */

/*
 * Through common/store/config.c directly: through the module, glibc's own syslog
 * lock, which a fork does not reset, would hang the child first.
 */
static volatile int stop_loader;

/* The test's own files are root's only when root runs it. */
static bool trust_any_owner(void)
{
	return geteuid() != 0;
}

static void *loader(void *arg)
{
	while (!stop_loader) {
		struct orgrbac_config *cfg = NULL;
		orgrbac_error err;

		if (orgrbac_config_load(arg, trust_any_owner(), &cfg, &err) == 0)
			orgrbac_config_free(cfg);
	}
	return NULL;
}

/* A child forked at any moment reads its configuration, instead of waiting on a dead thread. */
static int fork_while_loading(void *arg)
{
	pthread_t t;
	int bad = 0;

	if (pthread_create(&t, NULL, loader, bad_conf) != 0)
		return 50;
	for (int i = 0; i < 200 && bad == 0; i++) {
		int status;
		pid_t pid = fork();

		if (pid < 0) {
			bad = 51;
			break;
		}
		if (pid == 0) {
			struct orgrbac_config *cfg = NULL;
			orgrbac_error err;

			alarm(20); /* a deadlock ends as a failure */
			_exit(orgrbac_config_load(bad_conf, trust_any_owner(), &cfg, &err) == -1 &&
				      strstr(err.msg, "syntax error") != NULL
				  ? 0
				  : 1);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			bad = 52;
	}
	stop_loader = 1;
	pthread_join(t, NULL);
	return bad;
}

/*
 * AddressSanitizer's allocator (gcc 12, clang 14), unlike glibc's malloc, is
 * not made safe across fork: a child forked while the loader thread holds
 * its lock hangs in its first malloc. Only the sanitizer runtime is at fault
 * there, so the test runs in the plain pass alone.
 */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

static void fork_and_threads(void **state)
{
	/* a child forked amid another thread's allocations is all leaks to memcheck */
	if (getenv("ORGRBAC_UNDER_VALGRIND") != NULL) {
		print_message("under valgrind: fork_and_threads runs in the other passes\n");
		skip();
	}
#ifdef UNDER_ASAN
	print_message("under AddressSanitizer: fork_and_threads runs in the plain pass\n");
	skip();
#endif
	assert_int_equal(in_child(fork_while_loading, NULL), 0);
}

static int setup(void **state)
{
	char path[400];
	const char *ldaps = env("LDAPS_URI"), *ldap = env("LDAP_URI"), *ca = env("TLS_CA_FILE"),
		   *wrong = env("WRONG_CA_FILE");
	char text[2048];
	static const char rest[] = "base = dc=example,dc=com\ntimeout = 5\n"
				   "[host]\norg = acme\nservices = payments, web\n"
				   "resource = web01.example.com\n"
				   "[service sshd]\nrequire = host:login || common:org:own\n";

	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(good_tls, sizeof(good_tls), "%s/good-tls.conf", dir);
	snprintf(text, sizeof(text), "[ldap]\nuri = %s\ntls_ca_file = %s\n%s", ldaps, ca, rest);
	put_file(good_tls, text);
	snprintf(wrong_tls, sizeof(wrong_tls), "%s/wrong-tls.conf", dir);
	snprintf(text, sizeof(text), "[ldap]\nuri = %s\ntls_ca_file = %s\n%s", ldaps, wrong, rest);
	put_file(wrong_tls, text);
	snprintf(wrong_starttls, sizeof(wrong_starttls), "%s/wrong-starttls.conf", dir);
	snprintf(text, sizeof(text), "[ldap]\nuri = %s\nstarttls = yes\ntls_ca_file = %s\n%s", ldap,
		 wrong, rest);
	put_file(wrong_starttls, text);
	snprintf(bad_conf, sizeof(bad_conf), "%s/bad.conf", dir);
	put_file(bad_conf, "[ldap]\nuri = ldap://127.0.0.1/\nthis line is not ini\n");
	snprintf(bad_conf_arg, sizeof(bad_conf_arg), "config=%s", bad_conf);
	for (const char *const *s = (const char *const[]){"sshd", "sudo", NULL}; *s != NULL; s++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *s);
		snprintf(text, sizeof(text), "account required %s\n", module);
		put_file(path, text);
	}
	snprintf(path, sizeof(path), "%s/auth", dir);
	if (mkdir(path, 0755) != 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	return orgrbac_test_rmtree(dir);
}

int main(void)
{
	/* The first two run before this process uses libldap or loads the module itself. */
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(environment),	cmocka_unit_test(closed_descriptors),
	    cmocka_unit_test(one_log_line),	cmocka_unit_test(bad_user_names),
	    cmocka_unit_test(directory_values), cmocka_unit_test(threads),
	    cmocka_unit_test(fork_and_threads),
	};

	/* as any user, test_hostile.sh names the test build, which trusts files of any owner */
	module = env("PAM_ORGRBAC_SO");
	hostile_conf = env("HOSTILE_CONF");
	return cmocka_run_group_tests_name("hardening", tests, setup, teardown);
}
