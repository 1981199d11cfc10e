/* SPDX-License-Identifier: BSD-2-Clause */
/* Replacing a file atomically: a temporary beside it, fsync, rename, the directory synced. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "replace.h"

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The directory `path` lies in, as a new string; NULL when out of memory. */
static char *dir_of(const char *path)
{
	char *dir = strdup(path), *slash;

	if (dir == NULL)
		return NULL;
	slash = strrchr(dir, '/');
	if (slash == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	return dir;
}

void orgrbac_replace_abort(struct orgrbac_replace *r)
{
	if (r->fd >= 0)
		close(r->fd);
	if (r->tmp != NULL)
		unlink(r->tmp);
	free(r->tmp);
	free(r->path);
	r->tmp = r->path = NULL;
	r->fd = -1;
}

int orgrbac_replace_begin(struct orgrbac_replace *r, const char *path, mode_t mode,
			  orgrbac_error *err)
{
	r->fd = -1;
	r->tmp = NULL;
	r->path = strdup(path);
	if (r->path == NULL || asprintf(&r->tmp, "%s.XXXXXX", path) < 0) {
		r->tmp = NULL;
		orgrbac_seterr(err, "out of memory");
		orgrbac_replace_abort(r);
		return -1;
	}
	r->fd = mkostemp(r->tmp, O_CLOEXEC);
	if (r->fd < 0) {
		orgrbac_seterr(err, "%s: cannot create: %s", r->tmp, strerror(errno));
		free(r->tmp);
		r->tmp = NULL;
		orgrbac_replace_abort(r);
		return -1;
	}
	if (fchmod(r->fd, mode) != 0) {
		orgrbac_seterr(err, "%s: cannot write: %s", r->tmp, strerror(errno));
		orgrbac_replace_abort(r);
		return -1;
	}
	return 0;
}

int orgrbac_replace_commit(struct orgrbac_replace *r, orgrbac_error *err)
{
	char *dir = dir_of(r->path);
	int dfd = -1, rc = -1;

	if (dir == NULL) {
		orgrbac_seterr(err, "out of memory");
		goto out;
	}
	if (fsync(r->fd) != 0) {
		orgrbac_seterr(err, "%s: cannot write: %s", r->tmp, strerror(errno));
		goto out;
	}
	if (close(r->fd) != 0) {
		r->fd = -1;
		orgrbac_seterr(err, "%s: cannot write: %s", r->tmp, strerror(errno));
		goto out;
	}
	r->fd = -1;
	if (rename(r->tmp, r->path) != 0) {
		orgrbac_seterr(err, "%s: cannot replace: %s", r->path, strerror(errno));
		goto out;
	}
	free(r->tmp);
	r->tmp = NULL;
	/* The rename itself must survive a crash, or a reboot could bring back the old file. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd) != 0) {
		orgrbac_seterr(err, "%s: cannot sync the directory: %s", dir, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (dfd >= 0)
		close(dfd);
	free(dir);
	orgrbac_replace_abort(r);
	return rc;
}

int orgrbac_replace_file(const char *path, const void *p, size_t len, mode_t mode,
			 orgrbac_error *err)
{
	struct orgrbac_replace r;

	if (orgrbac_replace_begin(&r, path, mode, err) != 0)
		return -1;
	if (write_all(r.fd, p, len) != 0) {
		orgrbac_seterr(err, "%s: cannot write: %s", r.tmp, strerror(errno));
		orgrbac_replace_abort(&r);
		return -1;
	}
	return orgrbac_replace_commit(&r, err);
}
