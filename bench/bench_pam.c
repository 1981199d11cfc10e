/* SPDX-License-Identifier: BSD-2-Clause */
/* Benchmark of pam_orgrbac: decisions per second and LDAP round trips per decision. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <security/pam_appl.h>

#include "config.h"
#include "evaluate.h"

/* Sample users of etc/sample-org.ldif covering every verdict. */
static const char *const users[] = {"alice", "bob",  "erin", "grace", "uma",
				    "pat",   "olga", "ivan", "nobody"};
#define N_USERS (sizeof(users) / sizeof(users[0]))

static int quiet_conv(int n, const struct pam_message **msg, struct pam_response **resp, void *data)
{
	*resp = calloc((size_t)n, sizeof(**resp));
	return *resp != NULL ? PAM_SUCCESS : PAM_BUF_ERR;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* What sshd does per login: a handle, the account stack, the end of the handle. */
static int through_libpam(const char *confdir, long n)
{
	struct pam_conv conv = {quiet_conv, NULL};
	long allowed = 0;
	double t0 = now_s(), dt;

	for (long i = 0; i < n; i++) {
		pam_handle_t *pamh = NULL;
		int rc;

		if (pam_start_confdir("bench", users[i % N_USERS], &conv, confdir, &pamh) !=
		    PAM_SUCCESS) {
			fprintf(stderr, "bench_pam: pam_start_confdir failed\n");
			return -1;
		}
		rc = pam_acct_mgmt(pamh, PAM_SILENT);
		if (rc == PAM_SUCCESS)
			allowed++;
		else if (rc == PAM_AUTHINFO_UNAVAIL || rc == PAM_SERVICE_ERR) {
			fprintf(stderr, "bench_pam: %s for %s\n", pam_strerror(pamh, rc),
				users[i % N_USERS]);
			pam_end(pamh, rc);
			return -1;
		}
		pam_end(pamh, rc);
	}
	dt = now_s() - t0;
	printf("libpam (pam_start_confdir + pam_acct_mgmt + pam_end): %ld decisions in %.3f s: "
	       "%.1f decisions/s, %.3f ms each (%ld allowed)\n",
	       n, dt, (double)n / dt, dt * 1000.0 / (double)n, allowed);
	return 0;
}

/* The decision alone, with its LDAP round trips per user. */
static int direct(const struct orgrbac_config *cfg, long n)
{
	unsigned long trips = 0, per_user[N_USERS] = {0};
	const char *verdict[N_USERS] = {0};
	double t0 = now_s(), dt;

	for (long i = 0; i < n; i++) {
		struct orgrbac_evaluation ev;
		size_t u = (size_t)i % N_USERS;

		orgrbac_evaluate(cfg, users[u], orgrbac_config_require(cfg, "sshd"),
				 (int64_t)time(NULL), false, &ev);
		if (ev.status != ORGRBAC_EVAL_DECIDED) {
			fprintf(stderr, "bench_pam: %s: %s\n", users[u], ev.err.msg);
			orgrbac_evaluation_free(&ev);
			return -1;
		}
		trips += ev.round_trips;
		per_user[u] = ev.round_trips;
		verdict[u] = orgrbac_verdict_name(ev.decision.verdict);
		orgrbac_evaluation_free(&ev);
	}
	dt = now_s() - t0;
	printf("orgrbac_evaluate: %ld decisions in %.3f s: %.1f decisions/s, %.3f ms each, "
	       "%.2f LDAP round trips per decision (bind included)\n",
	       n, dt, (double)n / dt, dt * 1000.0 / (double)n, (double)trips / (double)n);
	for (size_t u = 0; u < N_USERS && (long)u < n; u++)
		printf("  %-7s %-8s %lu round trips\n", users[u], verdict[u], per_user[u]);
	return 0;
}

int main(int argc, char **argv)
{
	struct orgrbac_config *cfg = NULL;
	orgrbac_error err;
	long n = 2000;
	char *end;
	int rc;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: bench_pam CONFIG PAM_CONFDIR [DECISIONS]\n"
				"  PAM_CONFDIR holds a service file 'bench' with pam_orgrbac's "
				"account line\n");
		return 2;
	}
	if (argc == 4) {
		n = strtol(argv[3], &end, 10);
		if (*end != '\0' || n < 1 || n > 10000000) {
			fprintf(stderr, "bench_pam: DECISIONS: 1 to 10000000\n");
			return 2;
		}
	}
	if (orgrbac_config_load(argv[1], false, &cfg, &err) != 0) {
		fprintf(stderr, "bench_pam: %s\n", err.msg);
		return 2;
	}
	rc = direct(cfg, n) != 0 || through_libpam(argv[2], n) != 0;
	orgrbac_config_free(cfg);
	return rc;
}
