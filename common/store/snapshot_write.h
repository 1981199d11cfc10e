/* SPDX-License-Identifier: BSD-2-Clause */
/* The host snapshot's writer: a view to a file, atomically. The format is in snapshot_format.h. */
#ifndef ORGRBAC_SNAPSHOT_WRITE_H
#define ORGRBAC_SNAPSHOT_WRITE_H

#include <stdint.h>

#include "util.h"
#include "hostview.h"

/*
 * Write `v` to `path` atomically: a temporary file beside it, mode 0644,
 * fsync, rename over `path`, fsync of the directory. On any failure the
 * previous file is untouched and the temporary one removed; -1 with err.
 * `v` is sorted in place (users by name, roles by gid).
 */
int orgrbac_snapshot_write(const char *path, struct orgrbac_view *v, uint64_t generation,
			   int64_t synced_at, int64_t max_age, orgrbac_error *err);

#endif
