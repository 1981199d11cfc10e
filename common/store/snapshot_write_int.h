/* SPDX-License-Identifier: BSD-2-Clause */
/* What the snapshot writer's two files share: the output buffer, and the decision part's writer. */
#ifndef ORGRBAC_SNAPSHOT_WRITE_INT_H
#define ORGRBAC_SNAPSHOT_WRITE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "hostview.h"
#include "snapshot_format.h"

/* A growing byte buffer with a hard bound. */
struct out {
	unsigned char *p;
	size_t len, cap;
	bool failed;
};

/* Room for `end` bytes in all, at most SNAP_FILE_MAX; false, and failed for good, otherwise. */
bool orgrbac_out_room(struct out *o, size_t end);

/* `n` zeroed bytes at the next 8-byte boundary; their offset, or 0 when out of room. */
size_t orgrbac_out_reserve(struct out *o, size_t n);

/*
 * Append the decision part (snapshot_write_facts.c): the principals' index,
 * the host identity and one record per principal, setting h's principals,
 * facts, host and host_sum. v->principals is sorted in place. -1 with err.
 */
int orgrbac_snap_put_facts(struct out *o, struct orgrbac_view *v, struct orgrbac_snap_header *h,
			   orgrbac_error *err);

#endif
