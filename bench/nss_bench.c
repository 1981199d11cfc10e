/* SPDX-License-Identifier: BSD-2-Clause */
/* Lookups per second through one NSS module's own entry points, and the memory it takes. */
#include <dlfcn.h>
#include <errno.h>
#include <grp.h>
#include <nss.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef enum nss_status (*getgrnam_fn)(const char *, struct group *, char *, size_t, int *);
typedef enum nss_status (*getgrgid_fn)(gid_t, struct group *, char *, size_t, int *);
typedef enum nss_status (*initgroups_fn)(const char *, gid_t, long *, long *, gid_t **, long,
					 int *);

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A small generator, so that both modules see the same sequence of keys. */
static unsigned long next(unsigned long *x)
{
	*x = *x * 6364136223846793005UL + 1442695040888963407UL;
	return *x >> 33;
}

static long status_kb(const char *field)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, field, strlen(field)) == 0)
			kb = strtol(line + strlen(field), NULL, 10);
	if (f != NULL)
		fclose(f);
	return kb;
}

static void *sym(void *h, const char *prefix, const char *fn)
{
	char name[128];
	void *p;

	snprintf(name, sizeof(name), "_nss_%s_%s", prefix, fn);
	p = dlsym(h, name);
	if (p == NULL) {
		fprintf(stderr, "nss_bench: %s: %s\n", name, dlerror());
		exit(1);
	}
	return p;
}

int main(int argc, char **argv)
{
	static char buf[1 << 20];
	getgrnam_fn grnam;
	getgrgid_fn grgid;
	initgroups_fn initgr;
	long users, roles, gid_base = 30000;
	double seconds, t0, t;
	unsigned long x = 42, n, bad = 0;
	struct group gr;
	int e;
	void *h;

	if (argc != 6) {
		fprintf(stderr, "usage: nss_bench MODULE PREFIX USERS ROLES SECONDS\n");
		return 2;
	}
	users = atol(argv[3]);
	roles = atol(argv[4]);
	seconds = atof(argv[5]);
	h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	if (h == NULL || users < 1 || roles < 1 || seconds <= 0) {
		fprintf(stderr, "nss_bench: %s\n", h == NULL ? dlerror() : "bad arguments");
		return 2;
	}
	grnam = (getgrnam_fn)sym(h, argv[2], "getgrnam_r");
	grgid = (getgrgid_fn)sym(h, argv[2], "getgrgid_r");
	initgr = (initgroups_fn)sym(h, argv[2], "initgroups_dyn");
	printf("rss_before_kb %ld\n", status_kb("VmRSS:"));

	t0 = now();
	if (grnam("role-0000", &gr, buf, sizeof(buf), &e) != NSS_STATUS_SUCCESS) {
		fprintf(stderr, "nss_bench: the first lookup failed (errno %d)\n", e);
		return 1;
	}
	printf("first_lookup_ms %.1f\n", (now() - t0) * 1000);
	{
		size_t members = 0;

		while (gr.gr_mem[members] != NULL)
			members++;
		printf("members_of_role_0000 %zu\n", members);
	}

	for (n = 0, t0 = now(); (t = now()) - t0 < seconds; n++) {
		char name[32];

		snprintf(name, sizeof(name), "role-%04lu", next(&x) % (unsigned long)roles);
		if (grnam(name, &gr, buf, sizeof(buf), &e) != NSS_STATUS_SUCCESS)
			bad++;
	}
	printf("getgrnam_per_s %.0f\n", (double)n / (t - t0));

	for (n = 0, t0 = now(); (t = now()) - t0 < seconds; n++)
		if (grgid((gid_t)(gid_base + (long)(next(&x) % (unsigned long)roles)), &gr, buf,
			  sizeof(buf), &e) != NSS_STATUS_SUCCESS)
			bad++;
	printf("getgrgid_per_s %.0f\n", (double)n / (t - t0));

	for (n = 0, t0 = now(); (t = now()) - t0 < seconds; n++) {
		char name[32];
		long start = 1, size = 16;
		gid_t *groups = malloc((size_t)size * sizeof(*groups));

		groups[0] = 10000;
		snprintf(name, sizeof(name), "u%06lu", next(&x) % (unsigned long)users);
		if (initgr(name, 10000, &start, &size, &groups, 0, &e) != NSS_STATUS_SUCCESS ||
		    start < 2)
			bad++;
		free(groups);
	}
	printf("initgroups_per_s %.0f\n", (double)n / (t - t0));
	printf("rss_after_kb %ld\n", status_kb("VmRSS:"));
	printf("rss_peak_kb %ld\n", status_kb("VmHWM:"));
	printf("failed_lookups %lu\n", bad);
	return bad == 0 ? 0 : 1;
}
