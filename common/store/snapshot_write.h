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

/*
 * The decision part's records, built as the view is filled: each
 * principal's facts serialized once sealed (the facts can then go), the
 * roles and grants they share kept once. A large directory's facts need not
 * all be held at once.
 */
struct orgrbac_snap_records;

struct orgrbac_snap_records *orgrbac_snap_records_new(void); /* NULL: out of memory */
void orgrbac_snap_records_free(struct orgrbac_snap_records *r);

/*
 * p's facts serialized into r, all but its uid and posix fields (which may
 * change until the write): p->sealed, tail_off and tail_len set; p->facts
 * stays the caller's. -1 with err (no facts, out of memory or room).
 */
int orgrbac_snap_records_seal(struct orgrbac_snap_records *r, struct orgrbac_view_principal *p,
			      orgrbac_error *err);

/* orgrbac_snapshot_write, with the principals sealed in `rec` written from their seals. */
int orgrbac_snapshot_write_sealed(const char *path, struct orgrbac_view *v,
				  struct orgrbac_snap_records *rec, uint64_t generation,
				  int64_t synced_at, int64_t max_age, orgrbac_error *err);

#endif
