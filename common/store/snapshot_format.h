/* SPDX-License-Identifier: BSD-2-Clause */
/* The snapshot file's records, shared by its writer and its reader (format: above validate()). */
#ifndef ORGRBAC_SNAPSHOT_FORMAT_H
#define ORGRBAC_SNAPSHOT_FORMAT_H

#include <stdint.h>
#include <string.h>

#define SNAP_MAGIC	   "ORGRBSNP"
#define SNAP_HEADER_SIZE   128
#define SNAP_USER_SIZE	   32
#define SNAP_ROLE_SIZE	   32
#define SNAP_MEMBER_SIZE   24
#define SNAP_USER_EXTERNAL 1u
#define SNAP_USER_FOREIGN  2u /* of another organization than the host's */

struct section {
	uint32_t off, n;
};

struct header {
	char magic[8];
	uint32_t version;
	uint32_t header_size;
	uint64_t file_size;
	uint64_t checksum;
	uint64_t generation;
	int64_t synced_at;
	int64_t max_age;
	struct section strings, users, roles, by_name, members, by_user, privs;
	uint8_t zero[SNAP_HEADER_SIZE - 112];
};

struct rec_user {
	uint32_t name, flags;
	int64_t not_before, not_after;
	uint32_t first, count;
};

struct rec_role {
	uint32_t gid, group, cn, priv_first, priv_count, member_first, member_count, zero;
};

struct rec_member {
	uint32_t role, user;
	int64_t not_before, not_after;
};

_Static_assert(sizeof(struct header) == SNAP_HEADER_SIZE, "header layout");
_Static_assert(sizeof(struct rec_user) == SNAP_USER_SIZE, "user layout");
_Static_assert(sizeof(struct rec_role) == SNAP_ROLE_SIZE, "role layout");
_Static_assert(sizeof(struct rec_member) == SNAP_MEMBER_SIZE, "member layout");

/*
 * Catches truncation and stray writes, not forgery: only root can write the
 * file. 64-bit words, so that checking a large snapshot stays cheap for
 * every process that loads it.
 */
static inline uint64_t checksum(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL, w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h ^ (uint64_t)n;
}

/* Members are sorted by role, then user. */
static inline int cmp_member(const void *a, const void *b)
{
	const struct rec_member *x = a, *y = b;

	if (x->role != y->role)
		return x->role < y->role ? -1 : 1;
	if (x->user != y->user)
		return x->user < y->user ? -1 : 1;
	return 0;
}

#endif
