/* SPDX-License-Identifier: BSD-2-Clause */
/* The client side of the fault tests: decisions with faults injected between their steps. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <security/pam_appl.h>

#include "config.h"
#include "directory.h"
#include "evaluate.h"
#include "ldapc.h"
#include "policy.h"

/*
 * usage:
 *   fault_client pam CONFDIR SERVICE USER [auth]
 *       One account decision through libpam (CONFDIR/SERVICE is the stack),
 *       or with "auth" one pam_authenticate (the 2FA exemption, with the
 *       SSH_AUTH_INFO_0 sshd sets after a verified key). Prints
 *       "pam=CODE seconds=N".
 *   fault_client midsession CONFIG USER SIGNAL PID [SYNCDIR]
 *       Connect and bind, send SIGNAL (KILL or STOP) to the server PID, then
 *       read the principal on that connection. Prints "result=R seconds=N",
 *       R one of allow deny expired unknown error unavail. With SYNCDIR, it
 *       creates SYNCDIR/signalled after the signal and waits for SYNCDIR/go
 *       before reading, so that the server can be started again meanwhile.
 *       During the session exactly one connection is open, close-on-exec.
 *   fault_client fork CONFDIR
 *       A decision, then fork; parent and child each decide again. Prints
 *       one line per decision.
 *
 * Every command keeps SIGPIPE at its default disposition, as a host process
 * would, and checks after each decision that no SIGPIPE is pending or left
 * blocked and that no connection (TCP or local stream socket) stays open.
 * Exit status: 0 when those checks held, 1 when one failed, 2 on misuse.
 */

static bool broken; /* a check failed */

static void complain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void complain(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fault_client: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	broken = true;
}

static double now_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A host process: SIGPIPE kills it unless someone below protects it. */
static void sigpipe_default(void)
{
	sigset_t set;

	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static void check_sigpipe(const char *after)
{
	sigset_t pending, mask;

	sigpending(&pending);
	sigprocmask(SIG_BLOCK, NULL, &mask);
	if (sigismember(&pending, SIGPIPE) == 1)
		complain("a SIGPIPE is left pending after %s", after);
	if (sigismember(&mask, SIGPIPE) == 1)
		complain("SIGPIPE is left blocked after %s", after);
}

/*
 * Open descriptors, and how many of them are connections (stream sockets);
 * `inheritable` counts the connections an exec would pass on (no FD_CLOEXEC).
 */
static void count_fds(int *all, int *connections, int *inheritable)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	*all = 0;
	*connections = 0;
	*inheritable = 0;
	if (d == NULL) {
		complain("cannot list /proc/self/fd");
		return;
	}
	while ((e = readdir(d)) != NULL) {
		int fd, type, domain;
		socklen_t len = sizeof(int);

		if (e->d_name[0] == '.')
			continue;
		fd = atoi(e->d_name);
		if (fd == dirfd(d))
			continue;
		(*all)++;
		if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0)
			continue;
		len = sizeof(int);
		if (type == SOCK_STREAM &&
		    getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) == 0 &&
		    (domain == AF_INET || domain == AF_INET6 || domain == AF_UNIX)) {
			(*connections)++;
			if ((fcntl(fd, F_GETFD) & FD_CLOEXEC) == 0)
				(*inheritable)++;
		}
	}
	closedir(d);
}

static void check_no_connection(const char *after)
{
	int all, connections, inheritable;

	count_fds(&all, &connections, &inheritable);
	if (connections != 0)
		complain("a connection stays open after %s", after);
}

static int conv(int n, const struct pam_message **msg, struct pam_response **resp, void *data)
{
	struct pam_response *r = calloc((size_t)n, sizeof(*r));

	if (r == NULL)
		return PAM_BUF_ERR;
	*resp = r;
	return PAM_SUCCESS;
}

static const char *pam_code(int rc)
{
	switch (rc) {
	case PAM_SUCCESS: return "PAM_SUCCESS";
	case PAM_IGNORE: return "PAM_IGNORE";
	case PAM_PERM_DENIED: return "PAM_PERM_DENIED";
	case PAM_ACCT_EXPIRED: return "PAM_ACCT_EXPIRED";
	case PAM_USER_UNKNOWN: return "PAM_USER_UNKNOWN";
	case PAM_AUTHINFO_UNAVAIL: return "PAM_AUTHINFO_UNAVAIL";
	case PAM_SERVICE_ERR: return "PAM_SERVICE_ERR";
	default: return "other";
	}
}

/* One decision, account or (with `auth`) authentication, through the stack CONFDIR/SERVICE. */
static int pam_decide(const char *confdir, const char *service, const char *user, bool auth)
{
	struct pam_conv c = {conv, NULL};
	pam_handle_t *pamh = NULL;
	int rc;

	rc = pam_start_confdir(service, user, &c, confdir, &pamh);
	if (rc != PAM_SUCCESS) {
		complain("pam_start_confdir failed for service %s", service);
		return rc;
	}
	/* as sshd after a verified key, so that the 2FA exemption asks the directory */
	if (auth &&
	    pam_putenv(pamh, "SSH_AUTH_INFO_0=publickey ssh-ed25519 AAAAC3NzaC1lZDI1NTE5\n") !=
		PAM_SUCCESS) {
		complain("pam_putenv failed");
		pam_end(pamh, PAM_SUCCESS);
		return PAM_BUF_ERR;
	}
	rc = auth ? pam_authenticate(pamh, PAM_SILENT) : pam_acct_mgmt(pamh, PAM_SILENT);
	pam_end(pamh, rc);
	check_sigpipe("a PAM decision");
	check_no_connection("a PAM decision");
	return rc;
}

static int cmd_pam(int argc, char **argv)
{
	double t0 = now_seconds();
	int rc;

	if (argc == 4 && strcmp(argv[3], "auth") != 0) {
		fprintf(stderr, "fault_client: the fourth argument of pam is \"auth\"\n");
		return 2;
	}
	rc = pam_decide(argv[0], argv[1], argv[2], argc == 4);

	printf("pam=%s seconds=%.1f\n", pam_code(rc), now_seconds() - t0);
	return broken ? 1 : 0;
}

/* Wait (bounded) until the process shows one of `states` in /proc/PID/stat, or is gone. */
static void wait_state(long pid, const char *states)
{
	char path[64], buf[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	for (int i = 0; i < 100; i++) {
		size_t n = 0;

		f = fopen(path, "r");
		if (f == NULL)
			return;
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = '\0';
		p = strrchr(buf, ')');
		if (p != NULL && p[1] == ' ' && p[2] != '\0' && strchr(states, p[2]) != NULL)
			return;
		usleep(50 * 1000);
	}
	complain("server %ld did not change state in 5 s", pid);
}

static const char *verdict(const struct orgrbac_config *cfg, const struct orgrbac_facts *f)
{
	const char *require = orgrbac_config_require(cfg, "sshd");
	struct orgrbac_host host = orgrbac_config_host(cfg);
	struct orgrbac_policy policy = {
	    .mfa_exempt_role = cfg->mfa_exempt_role,
	    .cross_org_privilege = cfg->cross_org_privilege,
	};
	struct orgrbac_decision d;
	struct orgrbac_expr *expr = NULL;
	orgrbac_error err;

	if (require == NULL || orgrbac_expr_parse(require, &expr, &err) != 0)
		return "config";
	policy.require = expr;
	orgrbac_decide(f, &host, &policy, (int64_t)time(NULL), &d);
	orgrbac_expr_free(expr);
	return orgrbac_verdict_name(d.verdict);
}

/* Tell the driver the signal went out, and wait (bounded) until it says go on. */
static void handshake(const char *dir)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/signalled", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		complain("cannot create %s: %s", path, strerror(errno));
		return;
	}
	close(fd);
	snprintf(path, sizeof(path), "%s/go", dir);
	for (int i = 0; i < 600; i++) {
		if (access(path, F_OK) == 0)
			return;
		usleep(50 * 1000);
	}
	complain("no %s within 30 s", path);
}

static int cmd_midsession(int argc, char **argv)
{
	struct orgrbac_config *cfg = NULL;
	struct orgrbac_ldap *l = NULL;
	struct orgrbac_facts *f = NULL;
	const char *result;
	orgrbac_error err;
	char *end;
	long pid = strtol(argv[3], &end, 10);
	int sig, rc;
	double t0;

	if (strcmp(argv[2], "KILL") == 0) {
		sig = SIGKILL;
	} else if (strcmp(argv[2], "STOP") == 0) {
		sig = SIGSTOP;
	} else {
		fprintf(stderr, "fault_client: SIGNAL is KILL or STOP\n");
		return 2;
	}
	if (*end != '\0' || pid <= 1) {
		fprintf(stderr, "fault_client: bad PID\n");
		return 2;
	}
	if (orgrbac_config_load(argv[0], false, &cfg, &err) != 0) {
		fprintf(stderr, "fault_client: %s\n", err.msg);
		return 2;
	}
	if (orgrbac_ldap_open(cfg, false, &l, &err) != ORGRBAC_LDAP_OK) {
		printf("result=open-failed seconds=0\n");
		fprintf(stderr, "fault_client: %s\n", err.msg);
		orgrbac_config_free(cfg);
		return 1;
	}
	/* the one connection of the session, and an exec must not inherit it */
	{
		int all, connections, inheritable;

		count_fds(&all, &connections, &inheritable);
		if (connections != 1)
			complain("%d connections open during the session, wanted 1", connections);
		if (inheritable != 0)
			complain("the connection is not close-on-exec");
	}
	if (kill((pid_t)pid, sig) != 0) {
		complain("cannot signal the server: %s", strerror(errno));
	} else {
		wait_state(pid, sig == SIGKILL ? "ZX" : "Tt");
	}
	if (argc == 5)
		handshake(argv[4]);
	t0 = now_seconds();
	rc = orgrbac_directory_load(l, cfg, argv[1], &f, &err);
	switch (rc) {
	case ORGRBAC_DIR_FOUND:
	case ORGRBAC_DIR_NOUSER: result = verdict(cfg, f); break;
	case ORGRBAC_DIR_UNAVAIL: result = "unavail"; break;
	default: result = "error"; break;
	}
	orgrbac_ldap_close(l);
	printf("result=%s seconds=%.1f\n", result, now_seconds() - t0);
	if (rc != ORGRBAC_DIR_FOUND)
		fprintf(stderr, "fault_client: %s\n", err.msg);
	check_sigpipe("a decision on a lost server");
	check_no_connection("a decision on a lost server");
	orgrbac_facts_free(f);
	orgrbac_config_free(cfg);
	return broken ? 1 : 0;
}

/* The decisions each side of the fork makes, on the sample organization. */
static const struct {
	const char *service, *user;
	int want;
} after_fork[] = {
    {"sshd", "alice", PAM_SUCCESS},	  {"sudo", "bob", PAM_PERM_DENIED},
    {"sshd", "bob", PAM_SUCCESS},	  {"sshd", "uma", PAM_ACCT_EXPIRED},
    {"sshd", "nobody", PAM_USER_UNKNOWN},
};

static void decide_all(const char *confdir, const char *who, int base_fds)
{
	for (size_t i = 0; i < sizeof(after_fork) / sizeof(after_fork[0]); i++) {
		int rc = pam_decide(confdir, after_fork[i].service, after_fork[i].user, false);
		int all, connections, inheritable;

		count_fds(&all, &connections, &inheritable);
		printf("%s: %s %s -> %s (%d descriptors)\n", who, after_fork[i].service,
		       after_fork[i].user, pam_code(rc), all);
		if (rc != after_fork[i].want)
			complain("%s: wrong decision", who);
		if (all != base_fds)
			complain("%s: descriptors leaked by a decision", who);
	}
	fflush(stdout);
}

static int cmd_fork(char **argv)
{
	int all, connections, inheritable, status;
	pid_t child;

	/* the first decision may open what stays open by design (the syslog socket) */
	if (pam_decide(argv[0], "sshd", "alice", false) != PAM_SUCCESS)
		complain("the first decision is not PAM_SUCCESS");
	count_fds(&all, &connections, &inheritable);
	decide_all(argv[0], "before fork", all);
	fflush(stdout);
	child = fork();
	if (child < 0) {
		complain("fork: %s", strerror(errno));
		return 1;
	}
	if (child == 0) {
		decide_all(argv[0], "child", all);
		_exit(broken ? 1 : 0);
	}
	decide_all(argv[0], "parent", all);
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		complain("the child failed");
	return broken ? 1 : 0;
}

int main(int argc, char **argv)
{
	sigpipe_default();
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "pam") == 0)
		return cmd_pam(argc - 2, argv + 2);
	if ((argc == 6 || argc == 7) && strcmp(argv[1], "midsession") == 0)
		return cmd_midsession(argc - 2, argv + 2);
	if (argc == 3 && strcmp(argv[1], "fork") == 0)
		return cmd_fork(argv + 2);
	fprintf(stderr, "usage: fault_client pam CONFDIR SERVICE USER [auth]\n"
			"       fault_client midsession CONFIG USER KILL|STOP PID [SYNCDIR]\n"
			"       fault_client fork CONFDIR\n");
	return 2;
}
