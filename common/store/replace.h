/* SPDX-License-Identifier: BSD-2-Clause */
/* Replacing a file atomically: a temporary beside it, fsync, rename, the directory synced. */
#ifndef ORGRBAC_REPLACE_H
#define ORGRBAC_REPLACE_H

#include <stddef.h>
#include <sys/types.h>

#include "util.h"

/*
 * Make `path` hold exactly the `len` bytes at `p`, with `mode`: a temporary
 * file beside it (close-on-exec), written in full and fsync'd, renamed over
 * `path`, then the directory fsync'd so that the rename survives a crash.
 * A reader sees the old file or the new one, never a part of either. On any
 * failure the old file is left as it was and the temporary removed. 0, or
 * -1 with err naming the file.
 */
int orgrbac_replace_file(const char *path, const void *p, size_t len, mode_t mode,
			 orgrbac_error *err);

/* The same in steps, for a writer that fills the temporary file itself. */
struct orgrbac_replace {
	char *path, *tmp; /* the file to replace; the temporary beside it */
	int fd;		  /* the temporary, open read-write; -1 once closed */
};

/* Create the temporary beside `path` with `mode`; 0, or -1 with err (nothing left behind). */
int orgrbac_replace_begin(struct orgrbac_replace *r, const char *path, mode_t mode,
			  orgrbac_error *err);

/*
 * The temporary, as written through r->fd, fsync'd, closed and renamed over
 * the path, then the directory fsync'd. r is released either way: on
 * failure the temporary is removed and the old file left as it was. 0, or
 * -1 with err.
 */
int orgrbac_replace_commit(struct orgrbac_replace *r, orgrbac_error *err);

/* Give up: the temporary closed and removed, r released. */
void orgrbac_replace_abort(struct orgrbac_replace *r);

#endif
