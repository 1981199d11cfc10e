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

#endif
