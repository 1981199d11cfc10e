/* SPDX-License-Identifier: BSD-2-Clause */
/* An enumeration whose snapshot is truncated in place under it: an end or an error, no signal. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <nss.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * usage: nss_truncate glibc SNAPSHOT CHANGE
 *        nss_truncate direct SNAPSHOT MODULE CHANGE
 *
 * Starts an enumeration of the group database (glibc: setgrent and
 * getgrent_r through nsswitch.conf; direct: the module's own entry points,
 * dlopened) and reads until it is inside the module's groups, then changes
 * SNAPSHOT and goes on with the enumeration, then looks a group up and
 * starts a new enumeration. CHANGE is
 *   truncate=SIZE  ftruncate to SIZE bytes on the same inode, as a careless
 *                  `: > file` or a copy over the file would do;
 *   rename=FILE    rename FILE over SNAPSHOT, as orgrbac sync does.
 * Every call must come back (an end, an error, or an answer), never with a
 * signal: no handler is installed, so SIGBUS kills the process and the
 * caller sees it. The module's groups are those of the sample
 * organization's gids, 20000 to 29999.
 */

#define MODULE_GID(g) ((g) >= 20000 && (g) <= 29999)

typedef enum nss_status (*setgrent_fn)(int);
typedef enum nss_status (*getgrent_fn)(struct group *, char *, size_t, int *);
typedef enum nss_status (*endgrent_fn)(void);
typedef enum nss_status (*getgrnam_fn)(const char *, struct group *, char *, size_t, int *);

static setgrent_fn mod_setgrent;
static getgrent_fn mod_getgrent;
static endgrent_fn mod_endgrent;
static getgrnam_fn mod_getgrnam;
static bool direct;

/* One entry: 1, 0 at the end, -1 on an error. */
static int next(struct group *gr, char *buf, size_t len)
{
	struct group *res = NULL;
	int e = 0, rc;

	if (direct) {
		enum nss_status st = mod_getgrent(gr, buf, len, &e);

		if (st == NSS_STATUS_SUCCESS)
			return 1;
		return st == NSS_STATUS_NOTFOUND ? 0 : -1;
	}
	rc = getgrent_r(gr, buf, len, &res);
	if (rc == 0 && res != NULL)
		return 1;
	return rc == ENOENT ? 0 : -1;
}

static void begin(void)
{
	if (direct)
		mod_setgrent(0);
	else
		setgrent();
}

static void end(void)
{
	if (direct)
		mod_endgrent();
	else
		endgrent();
}

/* A lookup by name: 1 found, 0 not, -1 error. */
static int lookup(const char *name)
{
	struct group gr, *res = NULL;
	char buf[4096];
	int e = 0;

	if (direct) {
		enum nss_status st = mod_getgrnam(name, &gr, buf, sizeof(buf), &e);

		return st == NSS_STATUS_SUCCESS ? 1 : st == NSS_STATUS_NOTFOUND ? 0 : -1;
	}
	e = getgrnam_r(name, &gr, buf, sizeof(buf), &res);
	return e == 0 && res != NULL ? 1 : e == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct group gr;
	char buf[4096], seen[256] = "";
	const char *path, *change;
	int fd, rc, inside = 0, after = 0, n;

	if (argc == 4 && strcmp(argv[1], "glibc") == 0) {
		path = argv[2];
		change = argv[3];
	} else if (argc == 5 && strcmp(argv[1], "direct") == 0) {
		void *h = dlopen(argv[3], RTLD_NOW | RTLD_LOCAL);

		if (h == NULL) {
			fprintf(stderr, "nss_truncate: %s\n", dlerror());
			return 2;
		}
		mod_setgrent = (setgrent_fn)dlsym(h, "_nss_orgrbac_setgrent");
		mod_getgrent = (getgrent_fn)dlsym(h, "_nss_orgrbac_getgrent_r");
		mod_endgrent = (endgrent_fn)dlsym(h, "_nss_orgrbac_endgrent");
		mod_getgrnam = (getgrnam_fn)dlsym(h, "_nss_orgrbac_getgrnam_r");
		if (!mod_setgrent || !mod_getgrent || !mod_endgrent || !mod_getgrnam) {
			fprintf(stderr, "nss_truncate: an entry point is missing\n");
			return 2;
		}
		direct = true;
		path = argv[2];
		change = argv[4];
	} else {
		change = "";
	}
	if (strncmp(change, "truncate=", 9) != 0 && strncmp(change, "rename=", 7) != 0) {
		fprintf(stderr, "usage: nss_truncate glibc SNAPSHOT CHANGE\n"
				"       nss_truncate direct SNAPSHOT MODULE CHANGE\n"
				"CHANGE: truncate=SIZE or rename=FILE\n");
		return 2;
	}

	begin();
	/* into the module's part of the enumeration, and one entry beyond */
	while ((rc = next(&gr, buf, sizeof(buf))) == 1) {
		if (MODULE_GID(gr.gr_gid) && ++inside == 2) {
			snprintf(seen, sizeof(seen), "%s", gr.gr_name);
			break;
		}
	}
	if (inside < 2) {
		printf("nss_truncate: the enumeration gave %d of the module's groups, wanted 2\n",
		       inside);
		return 1;
	}
	if (change[0] == 't') {
		fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0 || ftruncate(fd, atol(change + 9)) != 0) {
			printf("nss_truncate: cannot truncate %s: %s\n", path, strerror(errno));
			return 1;
		}
		close(fd);
	} else if (rename(change + 7, path) != 0) {
		printf("nss_truncate: cannot rename %s: %s\n", change + 7, strerror(errno));
		return 1;
	}
	/* the calls that would read the mapping past its end */
	for (n = 0; n < 100 && (rc = next(&gr, buf, sizeof(buf))) == 1; n++)
		if (MODULE_GID(gr.gr_gid))
			after++;
	end();
	printf("enumeration: %s after %s; %d more of the module's groups after the change\n",
	       rc == 0	? "end"
	       : rc < 0 ? "error"
			: "still going",
	       seen, after);
	printf("lookup %s after the change: %s\n", seen,
	       (rc = lookup(seen)) == 1 ? "found"
	       : rc == 0		? "not found"
					: "error");
	/* a new enumeration on the changed file */
	begin();
	after = 0;
	for (n = 0; n < 1000 && (rc = next(&gr, buf, sizeof(buf))) == 1; n++)
		if (MODULE_GID(gr.gr_gid))
			after++;
	end();
	printf("new enumeration: %d of the module's groups\n", after);
	return 0;
}
