/* SPDX-License-Identifier: BSD-2-Clause */
/* The mapped snapshot, as its two reader files share it (snapshot.c, snapshot_facts.c). */
#ifndef ORGRBAC_SNAPSHOT_INT_H
#define ORGRBAC_SNAPSHOT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "snapshot_format.h"
#include "util.h"

struct orgrbac_snapshot {
	const unsigned char *base;
	size_t len;
	bool mapped;
	bool facts_only; /* ORGRBAC_SNAP_FACTS_ONLY: the group part is neither checked nor read */
	struct stat st;	 /* of the file mapped, when it was opened */
	const struct orgrbac_snap_header *h;
	struct orgrbac_snap_header hdr; /* facts_only: h, with the group part's counts at 0 */
	const unsigned char *regions;	/* the group part's records */
	const unsigned char *sums;	/* the tables' block checksums */
	/*
	 * One bit per table block, role record and user record (in that order)
	 * whose checksum matched already: the mapping never changes (the writer
	 * renames a new file over the old one), so each is hashed once per
	 * mapping. Set and read with relaxed atomics; NULL: hash every time.
	 */
	unsigned char *seen;
	const struct orgrbac_snap_principal *principals; /* the index, read entry by entry */
	const unsigned char *facts;			 /* the records */
};

/*
 * The checks orgrbac_snapshot_open and _from_buffer make over s->base and
 * s->len (snapshot.c): the header alone; 0, or -1 with err.
 */
int orgrbac_snapshot_validate(struct orgrbac_snapshot *s, orgrbac_error *err);

#endif
