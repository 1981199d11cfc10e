/* SPDX-License-Identifier: BSD-2-Clause */
/* The host snapshot's file: opened only when root's alone, mapped, its header checked, unmapped. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "snapshot.h"
#include "snapshot_int.h"

#define bad(...) (orgrbac_seterr(err, __VA_ARGS__), -1)

/* Whoever may write the directory may swap the file: it must be root's alone. */
static int dir_trusted(const char *path, orgrbac_error *err)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t n = slash == NULL ? 0 : (size_t)(slash - path);
	struct stat st;

	if (slash == NULL || n >= sizeof(dir))
		return bad("%s: not an absolute path", path);
	memcpy(dir, path, n);
	dir[n] = '\0';
	if (n == 0)
		strcpy(dir, "/");
	if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
		return bad("%s: directory must be owned by root and not writable by others", dir);
	return 0;
}

int orgrbac_snapshot_open(const char *path, int flags, struct orgrbac_snapshot **out,
			  orgrbac_error *err)
{
	bool any_owner = (flags & ORGRBAC_SNAP_TRUST_ANY_OWNER) != 0;
	struct orgrbac_snapshot *s;
	struct stat st;
	void *map;
	int fd;

	*out = NULL;
	if (!any_owner && dir_trusted(path, err) != 0)
		return -1;
	fd = orgrbac_open_checked(path, any_owner ? 0 : ORGRBAC_FILE_ROOT, &st, err);
	if (fd < 0)
		return -1;
	if (st.st_size < SNAP_HEADER_SIZE || (uint64_t)st.st_size > SNAP_FILE_MAX) {
		close(fd);
		return bad("%s: size %lld out of range", path, (long long)st.st_size);
	}
	/*
	 * The writer never changes a file in place (it renames a new one over
	 * it), so this mapping stays what was checked for as long as it lives.
	 * Nothing is read at open beyond the header: no MAP_POPULATE, a lookup
	 * touches only the pages it reads.
	 */
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return bad("%s: cannot map: %s", path, strerror(errno));
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		munmap(map, (size_t)st.st_size);
		return bad("out of memory");
	}
	s->base = map;
	s->len = (size_t)st.st_size;
	s->mapped = true;
	s->facts_only = (flags & ORGRBAC_SNAP_FACTS_ONLY) != 0;
	s->st = st;
	if (orgrbac_snapshot_validate(s, err) != 0) {
		char why[sizeof(err->msg)];

		snprintf(why, sizeof(why), "%s", err->msg);
		orgrbac_seterr(err, "%s: %s", path, why);
		orgrbac_snapshot_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

void orgrbac_snapshot_close(struct orgrbac_snapshot *s)
{
	if (s == NULL)
		return;
	if (s->mapped)
		munmap((void *)s->base, s->len);
	free(s->seen);
	free(s);
}

bool orgrbac_snapshot_same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

bool orgrbac_snapshot_is_file(const struct orgrbac_snapshot *s, const struct stat *st)
{
	return s->mapped && orgrbac_snapshot_same_file(&s->st, st);
}
