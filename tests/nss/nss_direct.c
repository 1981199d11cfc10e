/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The NSS module's entry points called directly: exports, ERANGE, enumeration, initgroups;
 * with `passwd NAME`, the passwd entry points' statuses printed for the caller to judge.
 */
#include <dlfcn.h>
#include <errno.h>
#include <grp.h>
#include <nss.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef enum nss_status (*getgrnam_fn)(const char *, struct group *, char *, size_t, int *);
typedef enum nss_status (*getgrgid_fn)(gid_t, struct group *, char *, size_t, int *);
typedef enum nss_status (*setgrent_fn)(int);
typedef enum nss_status (*getgrent_fn)(struct group *, char *, size_t, int *);
typedef enum nss_status (*endgrent_fn)(void);
typedef enum nss_status (*initgroups_fn)(const char *, gid_t, long *, long *, gid_t **, long,
					 int *);

typedef enum nss_status (*getpwnam_fn)(const char *, struct passwd *, char *, size_t, int *);
typedef enum nss_status (*getpwuid_fn)(uid_t, struct passwd *, char *, size_t, int *);
typedef enum nss_status (*setpwent_fn)(int);
typedef enum nss_status (*getpwent_fn)(struct passwd *, char *, size_t, int *);
typedef enum nss_status (*endpwent_fn)(void);

static int passed, failed;

static void check(bool ok, const char *what)
{
	if (ok) {
		passed++;
	} else {
		failed++;
		printf("FAIL: %s\n", what);
	}
}

static const char *status_name(enum nss_status st)
{
	switch (st) {
	case NSS_STATUS_SUCCESS: return "SUCCESS";
	case NSS_STATUS_NOTFOUND: return "NOTFOUND";
	case NSS_STATUS_UNAVAIL: return "UNAVAIL";
	case NSS_STATUS_TRYAGAIN: return "TRYAGAIN";
	default: return "OTHER";
	}
}

/*
 * One user by name, by the uid found (10001 when none), the first of the
 * enumeration: each status printed ("getpwnam NAME: SUCCESS UID"); ERANGE
 * checked wherever an entry is found.
 */
static int passwd_mode(void *h, const char *name)
{
	getpwnam_fn pwnam = (getpwnam_fn)dlsym(h, "_nss_orgrbac_getpwnam_r");
	getpwuid_fn pwuid = (getpwuid_fn)dlsym(h, "_nss_orgrbac_getpwuid_r");
	setpwent_fn setpw = (setpwent_fn)dlsym(h, "_nss_orgrbac_setpwent");
	getpwent_fn getpw = (getpwent_fn)dlsym(h, "_nss_orgrbac_getpwent_r");
	endpwent_fn endpw = (endpwent_fn)dlsym(h, "_nss_orgrbac_endpwent");
	struct passwd pw;
	char buf[4096], first[256] = "";
	enum nss_status st;
	uid_t uid = 10001;
	int e = 0;

	if (!pwnam || !pwuid || !setpw || !getpw || !endpw) {
		printf("FAIL: a passwd entry point is not exported\n");
		return 1;
	}
	st = pwnam(name, &pw, buf, sizeof(buf), &e);
	if (st == NSS_STATUS_SUCCESS) {
		uid = pw.pw_uid;
		printf("getpwnam %s: SUCCESS %u\n", name, (unsigned)uid);
		check(pwnam(name, &pw, buf, 8, &e) == NSS_STATUS_TRYAGAIN && e == ERANGE,
		      "getpwnam_r with 8 bytes: ERANGE");
		check(pwuid(uid, &pw, buf, 8, &e) == NSS_STATUS_TRYAGAIN && e == ERANGE,
		      "getpwuid_r with 8 bytes: ERANGE");
	} else {
		printf("getpwnam %s: %s\n", name, status_name(st));
	}
	st = pwuid(uid, &pw, buf, sizeof(buf), &e);
	printf("getpwuid %u: %s%s%s\n", (unsigned)uid, status_name(st),
	       st == NSS_STATUS_SUCCESS ? " " : "", st == NSS_STATUS_SUCCESS ? pw.pw_name : "");
	st = setpw(0);
	if (st == NSS_STATUS_SUCCESS) {
		if (getpw(&pw, buf, 4, &e) == NSS_STATUS_TRYAGAIN) {
			check(e == ERANGE, "getpwent_r with 4 bytes: ERANGE");
			st = getpw(&pw, buf, sizeof(buf), &e);
			if (st == NSS_STATUS_SUCCESS)
				snprintf(first, sizeof(first), "%s", pw.pw_name);
			endpw();
			check(setpw(0) == NSS_STATUS_SUCCESS &&
				  getpw(&pw, buf, sizeof(buf), &e) == NSS_STATUS_SUCCESS &&
				  strcmp(first, pw.pw_name) == 0,
			      "the entry after ERANGE was the first one");
		} else {
			st = getpw(&pw, buf, sizeof(buf), &e);
		}
	}
	printf("getpwent: %s\n", status_name(st));
	endpw();
	printf("nss-direct: %d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	static const char *const hidden[] = {
	    "orgrbac_snapshot_open", "orgrbac_snapshot_group",	  "orgrbac_seterr",
	    "orgrbac_read_file",     "orgrbac_snapshot_getpwnam", "orgrbac_cur_str",
	};
	getgrnam_fn grnam;
	getgrgid_fn grgid;
	setgrent_fn setgr;
	getgrent_fn getgr;
	endgrent_fn endgr;
	initgroups_fn initgr;
	struct group gr;
	char buf[4096], first[256] = "";
	int e = 0, n = 0;
	bool any_owner;
	void *h;

	/* any-owner: the test build of the module, which trusts any owner and mode */
	any_owner = argc == 4 && strcmp(argv[3], "any-owner") == 0;
	if (argc != 3 && !any_owner && !(argc == 5 && strcmp(argv[3], "passwd") == 0)) {
		fprintf(stderr, "usage: nss_direct MODULE SNAPSHOT [any-owner | passwd NAME]\n");
		return 2;
	}
	h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		fprintf(stderr, "nss_direct: %s\n", dlerror());
		return 1;
	}
	if (argc == 5)
		return passwd_mode(h, argv[4]);
	grnam = (getgrnam_fn)dlsym(h, "_nss_orgrbac_getgrnam_r");
	grgid = (getgrgid_fn)dlsym(h, "_nss_orgrbac_getgrgid_r");
	setgr = (setgrent_fn)dlsym(h, "_nss_orgrbac_setgrent");
	getgr = (getgrent_fn)dlsym(h, "_nss_orgrbac_getgrent_r");
	endgr = (endgrent_fn)dlsym(h, "_nss_orgrbac_endgrent");
	initgr = (initgroups_fn)dlsym(h, "_nss_orgrbac_initgroups_dyn");
	if (!grnam || !grgid || !setgr || !getgr || !endgr || !initgr ||
	    !dlsym(h, "_nss_orgrbac_getpwnam_r") || !dlsym(h, "_nss_orgrbac_getpwuid_r") ||
	    !dlsym(h, "_nss_orgrbac_setpwent") || !dlsym(h, "_nss_orgrbac_getpwent_r") ||
	    !dlsym(h, "_nss_orgrbac_endpwent")) {
		printf("FAIL: an entry point is not exported\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++)
		check(dlsym(h, hidden[i]) == NULL, hidden[i]);

	/* ERANGE: TRYAGAIN with *errnop = ERANGE, then success with room */
	check(grnam("member", &gr, buf, 8, &e) == NSS_STATUS_TRYAGAIN && e == ERANGE,
	      "getgrnam_r with 8 bytes: ERANGE");
	check(grnam("member", &gr, NULL, 0, &e) == NSS_STATUS_TRYAGAIN && e == ERANGE,
	      "getgrnam_r without a buffer: ERANGE");
	check(grnam("member", &gr, buf, sizeof(buf), &e) == NSS_STATUS_SUCCESS &&
		  gr.gr_gid == 20003 && strcmp(gr.gr_name, "member") == 0,
	      "getgrnam_r member");
	check(grgid(20003, &gr, buf, 16, &e) == NSS_STATUS_TRYAGAIN && e == ERANGE,
	      "getgrgid_r with 16 bytes: ERANGE");
	check(grgid(20003, &gr, buf, sizeof(buf), &e) == NSS_STATUS_SUCCESS &&
		  strcmp(gr.gr_name, "member") == 0,
	      "getgrgid_r 20003");
	check(grnam("no-such", &gr, buf, sizeof(buf), &e) == NSS_STATUS_NOTFOUND,
	      "getgrnam_r no-such: NOTFOUND");
	check(grgid(4242, &gr, buf, sizeof(buf), &e) == NSS_STATUS_NOTFOUND,
	      "getgrgid_r 4242: NOTFOUND");

	/* getgrent_r after ERANGE returns the same entry again */
	check(setgr(0) == NSS_STATUS_SUCCESS, "setgrent");
	check(getgr(&gr, buf, 4, &e) == NSS_STATUS_TRYAGAIN && e == ERANGE, "getgrent_r: ERANGE");
	check(getgr(&gr, buf, sizeof(buf), &e) == NSS_STATUS_SUCCESS, "getgrent_r after ERANGE");
	snprintf(first, sizeof(first), "%s", gr.gr_name);
	for (n = 1; getgr(&gr, buf, sizeof(buf), &e) == NSS_STATUS_SUCCESS; n++)
		;
	check(e == ENOENT, "getgrent_r ends with NOTFOUND");
	endgr();
	check(setgr(0) == NSS_STATUS_SUCCESS &&
		  getgr(&gr, buf, sizeof(buf), &e) == NSS_STATUS_SUCCESS &&
		  strcmp(gr.gr_name, first) == 0,
	      "the entry after ERANGE was the first one");
	endgr();
	check(n == 12, "12 groups enumerated");

	/* initgroups_dyn: skip the primary gid, grow, honour the limit */
	{
		long start = 1, size = 1;
		gid_t *g = malloc(sizeof(*g));

		g[0] = 10000;
		check(initgr("grace", 10000, &start, &size, &g, 0, &e) == NSS_STATUS_SUCCESS &&
			  start == 3 && size >= 3,
		      "initgroups_dyn grace: two groups, array grown");
		start = 1;
		check(initgr("grace", 20003, &start, &size, &g, 0, &e) == NSS_STATUS_SUCCESS &&
			  start == 2 && g[1] == 20005,
		      "initgroups_dyn skips the primary gid");
		free(g);
		start = 1;
		size = 1;
		g = malloc(sizeof(*g));
		g[0] = 10000;
		check(initgr("grace", 10000, &start, &size, &g, 2, &e) == NSS_STATUS_SUCCESS &&
			  start == 2 && size == 2,
		      "initgroups_dyn stops at the limit");
		start = 0;
		check(initgr("nobody", 10000, &start, &size, &g, 0, &e) == NSS_STATUS_NOTFOUND,
		      "initgroups_dyn nobody: NOTFOUND");
		free(g);
	}
	/* a snapshot made writable by others while in use is dropped at the next call */
	if (!any_owner) {
		check(chmod(argv[2], 0666) == 0, "chmod the snapshot");
		check(grnam("member", &gr, buf, sizeof(buf), &e) == NSS_STATUS_UNAVAIL,
		      "a snapshot writable by others: UNAVAIL");
		check(chmod(argv[2], 0644) == 0, "chmod it back");
		check(grnam("member", &gr, buf, sizeof(buf), &e) == NSS_STATUS_SUCCESS,
		      "root's again: answered");
	}
	dlclose(h);
	printf("nss-direct: %d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
