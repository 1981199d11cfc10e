/* SPDX-License-Identifier: BSD-2-Clause */
/* The NSS module exports its entry points and nothing else of orgrbac. */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	static const char *const exported[] = {
	    "_nss_orgrbac_getgrnam_r", "_nss_orgrbac_getgrgid_r", "_nss_orgrbac_setgrent",
	    "_nss_orgrbac_getgrent_r", "_nss_orgrbac_endgrent",	  "_nss_orgrbac_initgroups_dyn",
	};
	static const char *const hidden[] = {
	    "orgrbac_snapshot_open",
	    "orgrbac_snapshot_group",
	    "orgrbac_seterr",
	    "orgrbac_read_file",
	};
	void *h;
	int failed = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: nss_dlsym MODULE\n");
		return 2;
	}
	h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		fprintf(stderr, "nss_dlsym: %s\n", dlerror());
		return 1;
	}
	for (size_t i = 0; i < sizeof(exported) / sizeof(exported[0]); i++)
		if (dlsym(h, exported[i]) == NULL) {
			fprintf(stderr, "nss_dlsym: %s is not exported\n", exported[i]);
			failed++;
		}
	for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++)
		if (dlsym(h, hidden[i]) != NULL) {
			fprintf(stderr, "nss_dlsym: %s is exported\n", hidden[i]);
			failed++;
		}
	dlclose(h);
	printf("nss-dlsym: %d passed, %d failed\n", failed == 0 ? 1 : 0, failed == 0 ? 0 : 1);
	return failed == 0 ? 0 : 1;
}
