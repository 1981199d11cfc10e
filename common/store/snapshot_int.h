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
	/*
	 * The decision part's bits in seen, from fbit on: one per block of the
	 * principals' index, then one per shared role and per shared grant.
	 */
	size_t fbit;
	const unsigned char *principals; /* the index, read block by block */
	const unsigned char *facts;	 /* the records */
};

/* Was the checksum behind `bit` of s->seen checked already? */
static inline bool orgrbac_snap_seen(const struct orgrbac_snapshot *s, size_t bit)
{
	return s->seen != NULL &&
	       ((__atomic_load_n(&s->seen[bit / 8], __ATOMIC_RELAXED) >> (bit % 8)) & 1) != 0;
}

static inline void orgrbac_snap_mark_seen(const struct orgrbac_snapshot *s, size_t bit)
{
	if (s->seen != NULL)
		__atomic_fetch_or(&s->seen[bit / 8], (unsigned char)(1u << (bit % 8)),
				  __ATOMIC_RELAXED);
}

/*
 * The checks orgrbac_snapshot_open and _from_buffer make over s->base and
 * s->len (snapshot.c): the header alone; 0, or -1 with err.
 */
int orgrbac_snapshot_validate(struct orgrbac_snapshot *s, orgrbac_error *err);

#endif
