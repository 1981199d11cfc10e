/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PAM account decisions as sshd and sudo make them: a fresh handle per decision.
 *
 *   pam_fresh loop CONFDIR SERVICE USERS N [MODULE]
 *                                           N decisions (pam_start_confdir, pam_acct_mgmt,
 *                                           pam_end), users u000000.. as bench/gen.c; libpam
 *                                           loads the module at each pam_start and unloads it
 *                                           at pam_end, unless MODULE is held loaded here
 *   pam_fresh one CONFDIR SERVICE USER      one decision, then exit (0 allowed, 1 denied)
 *   pam_fresh dlopen MODULE                 dlopen(RTLD_NOW) + dlclose, in µs
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <security/pam_appl.h>

static int quiet_conv(int n, const struct pam_message **msg, struct pam_response **resp, void *data)
{
	(void)msg;
	(void)data;
	*resp = calloc((size_t)n, sizeof(**resp));
	return *resp != NULL ? PAM_SUCCESS : PAM_BUF_ERR;
}

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

/* PAM_SUCCESS, or what pam_acct_mgmt answered; -1 if no handle. */
static int decide(const char *confdir, const char *service, const char *user)
{
	struct pam_conv conv = {quiet_conv, NULL};
	pam_handle_t *pamh = NULL;
	int rc;

	if (pam_start_confdir(service, user, &conv, confdir, &pamh) != PAM_SUCCESS)
		return -1;
	rc = pam_acct_mgmt(pamh, PAM_SILENT);
	pam_end(pamh, rc);
	return rc;
}

static int loop(const char *confdir, const char *service, long users, long n)
{
	unsigned long x = 42;
	long allowed = 0, denied = 0, other = 0;
	double t0 = now_us(), dt;

	for (long i = 0; i < n; i++) {
		char user[32];
		int rc;

		x = x * 6364136223846793005UL + 1442695040888963407UL;
		snprintf(user, sizeof(user), "u%06lu", (x >> 33) % (unsigned long)users);
		rc = decide(confdir, service, user);
		if (rc == PAM_SUCCESS)
			allowed++;
		else if (rc == PAM_PERM_DENIED || rc == PAM_USER_UNKNOWN)
			denied++;
		else
			other++;
	}
	dt = now_us() - t0;
	printf("decision_us %.1f\nallowed %ld\ndenied %ld\nerrors %ld\n", dt / (double)n, allowed,
	       denied, other);
	return other == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	if ((argc == 6 || argc == 7) && strcmp(argv[1], "loop") == 0 && atol(argv[4]) > 0 &&
	    atol(argv[5]) > 0) {
		if (argc == 7 && dlopen(argv[6], RTLD_NOW | RTLD_LOCAL) == NULL) {
			fprintf(stderr, "pam_fresh: %s\n", dlerror());
			return 1;
		}
		return loop(argv[2], argv[3], atol(argv[4]), atol(argv[5]));
	}
	if (argc == 5 && strcmp(argv[1], "one") == 0) {
		int rc = decide(argv[2], argv[3], argv[4]);

		return rc == PAM_SUCCESS ? 0 : rc == PAM_PERM_DENIED ? 1 : 2;
	}
	if (argc == 3 && strcmp(argv[1], "dlopen") == 0) {
		double t0 = now_us();
		void *h = dlopen(argv[2], RTLD_NOW | RTLD_LOCAL);

		if (h == NULL) {
			fprintf(stderr, "pam_fresh: %s\n", dlerror());
			return 1;
		}
		dlclose(h);
		printf("%.0f\n", now_us() - t0);
		return 0;
	}
	fprintf(
	    stderr,
	    "usage: pam_fresh loop CONFDIR SERVICE USERS N [MODULE] | one CONFDIR SERVICE USER |"
	    " dlopen MODULE\n");
	return 2;
}
