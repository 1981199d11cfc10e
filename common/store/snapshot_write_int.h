/* SPDX-License-Identifier: BSD-2-Clause */
/* What the snapshot writer's two files share: the output buffer, and the decision part's writer. */
#ifndef ORGRBAC_SNAPSHOT_WRITE_INT_H
#define ORGRBAC_SNAPSHOT_WRITE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "hostview.h"
#include "snapshot_format.h"
#include "snapshot_write.h"

/*
 * A growing byte buffer with a hard bound: on the heap, or, when `fd` is set
 * (map_fd), a shared mapping of that file, which grows with the buffer and
 * whose pages are handed back to the kernel as it goes, so that a large
 * snapshot costs page cache, not the writer's memory. p stays valid while
 * the buffer grows in a mapping; on the heap it may move.
 */
struct out {
	unsigned char *p;
	size_t len, cap;
	bool failed;
	bool mapped;	/* p maps fd's first SNAP_FILE_MAX bytes; cap bytes are allocated */
	int fd;		/* the file mapped */
	int errnum;	/* why the mapped file could not grow, or 0 */
	size_t dropped; /* bytes below which the mapping's pages were last handed back */
};

/* Room for `end` bytes in all, at most SNAP_FILE_MAX; false, and failed for good, otherwise.
 * The bytes past len hold unspecified values until written. */
bool orgrbac_out_room(struct out *o, size_t end);

/* `n` zeroed bytes at the next 8-byte boundary; their offset, or 0 when out of room. */
size_t orgrbac_out_reserve(struct out *o, size_t n);

/*
 * Append the decision part (snapshot_write_facts.c): the principals' index,
 * the host identity and one record per principal, setting h's principals,
 * facts, host and host_sum. A principal sealed in `rec` is written from its
 * seal, one with facts is sealed first (into `rec`, or into records of the
 * writer's own when rec is NULL). v->principals is sorted in place. -1 with
 * err.
 */
int orgrbac_snap_put_facts(struct out *o, struct orgrbac_view *v, struct orgrbac_snap_records *rec,
			   struct orgrbac_snap_header *h, orgrbac_error *err);

#endif
