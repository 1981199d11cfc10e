/* SPDX-License-Identifier: BSD-2-Clause */
/* Test helper: a snapshot's decision-part index resealed after a test changed it. */
#ifndef ORGRBAC_TEST_RESEAL_H
#define ORGRBAC_TEST_RESEAL_H

#include <stdint.h>
#include <string.h>

#include "snapshot_format.h"

/* The principals' index block checksums, as the writer sets them. */
static void reseal_index(unsigned char *b)
{
	const struct orgrbac_snap_header *h = (const void *)b;
	size_t n = h->principals.n;

	for (size_t first = 0; first < n; first += SNAP_BLOCK) {
		size_t at = h->principals.off + first * SNAP_PRINCIPAL_SIZE;
		size_t bytes =
		    (n - first < SNAP_BLOCK ? n - first : SNAP_BLOCK) * SNAP_PRINCIPAL_SIZE;
		uint64_t sum = orgrbac_snap_region_sum(b + at, at, bytes);

		memcpy(b + h->principals.off + n * SNAP_PRINCIPAL_SIZE + first / SNAP_BLOCK * 8,
		       &sum, 8);
	}
}

#endif
