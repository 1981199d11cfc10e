/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One PAM account decision in a process of its own, then what the process
 * has mapped: test_pam_split.sh shows that the module decides from the
 * snapshot without libldap, and when it opens its live library.
 *
 *   pam_maps SERVICE USER    pam_start (pam_wrapper's stacks), pam_acct_mgmt; prints
 *                            "result=CODE" and one "mapped=NAME" line for each of libldap,
 *                            liblber, libgnutls and the live library found in /proc/self/maps
 *                            while the handle is open; exit 0, or 2 without a handle
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <security/pam_appl.h>

static const char *const watched[] = {"libldap", "liblber", "libgnutls", "orgrbac_live.so"};
#define N_WATCHED (sizeof(watched) / sizeof(watched[0]))

static int quiet_conv(int n, const struct pam_message **msg, struct pam_response **resp, void *data)
{
	(void)msg;
	(void)data;
	*resp = calloc((size_t)n, sizeof(**resp));
	return *resp != NULL ? PAM_SUCCESS : PAM_BUF_ERR;
}

static const char *code_name(int rc)
{
	switch (rc) {
	case PAM_SUCCESS: return "PAM_SUCCESS";
	case PAM_PERM_DENIED: return "PAM_PERM_DENIED";
	case PAM_USER_UNKNOWN: return "PAM_USER_UNKNOWN";
	case PAM_AUTHINFO_UNAVAIL: return "PAM_AUTHINFO_UNAVAIL";
	case PAM_SERVICE_ERR: return "PAM_SERVICE_ERR";
	case PAM_IGNORE: return "PAM_IGNORE";
	default: return "other";
	}
}

/* One line per watched name that a line of /proc/self/maps names. */
static int print_mapped(void)
{
	FILE *f = fopen("/proc/self/maps", "re");
	int seen[N_WATCHED] = {0};
	char line[4096];

	if (f == NULL) {
		perror("/proc/self/maps");
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL)
		for (size_t i = 0; i < N_WATCHED; i++)
			if (!seen[i] && strstr(line, watched[i]) != NULL) {
				seen[i] = 1;
				printf("mapped=%s\n", watched[i]);
			}
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	struct pam_conv conv = {quiet_conv, NULL};
	pam_handle_t *pamh = NULL;
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: pam_maps SERVICE USER\n");
		return 2;
	}
	if (pam_start(argv[1], argv[2], &conv, &pamh) != PAM_SUCCESS) {
		fprintf(stderr, "pam_maps: pam_start failed\n");
		return 2;
	}
	rc = pam_acct_mgmt(pamh, PAM_SILENT);
	printf("result=%s\n", code_name(rc));
	if (print_mapped() != 0)
		rc = -1;
	pam_end(pamh, rc);
	fflush(stdout);
	return rc == -1 ? 2 : 0;
}
