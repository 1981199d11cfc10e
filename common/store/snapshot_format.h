/* SPDX-License-Identifier: BSD-2-Clause */
/* The snapshot's records: the one format header of its writer and reader (layout: snapshot.c). */
#ifndef ORGRBAC_SNAPSHOT_FORMAT_H
#define ORGRBAC_SNAPSHOT_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SNAP_MAGIC	    "ORGRBSNP"
#define SNAP_VERSION	    2
#define SNAP_FILE_MAX	    (1024UL * 1024 * 1024) /* bytes: no host needs more */
#define SNAP_HEADER_SIZE    160
#define SNAP_USER_SIZE	    32
#define SNAP_ROLE_SIZE	    32
#define SNAP_MEMBER_SIZE    24
#define SNAP_PRINCIPAL_SIZE 16
#define SNAP_PASSWD_SIZE    8
#define SNAP_USER_EXTERNAL  1u
#define SNAP_USER_FOREIGN   2u /* of another organization than the host's */

struct orgrbac_snap_section {
	uint32_t off, n;
};

struct orgrbac_snap_header {
	char magic[8];
	uint32_t version;
	uint32_t header_size;
	uint64_t file_size;
	uint64_t checksum;
	uint64_t generation;
	int64_t synced_at;
	int64_t max_age;
	struct orgrbac_snap_section strings, users, roles, by_name, members, by_user, privs;
	/* version 2: the decision part, each record checked where it is read */
	struct orgrbac_snap_section principals; /* offset, count of the index */
	struct orgrbac_snap_section facts;	/* offset, size in bytes of the records */
	struct orgrbac_snap_section host;	/* offset in facts, size of the host identity */
	uint64_t host_sum;
	struct orgrbac_snap_section
	    passwd; /* offset, count of the by-uid table (snapshot_facts.c) */
	uint8_t zero[SNAP_HEADER_SIZE - 152];
};

/* One principal in the index: its record in the facts area, and that record's checksum. */
struct orgrbac_snap_principal {
	uint32_t off, len;
	uint64_t sum;
};

/* One user the passwd database serves: its uidNumber and its principal's place in the index. */
struct orgrbac_snap_passwd {
	uint32_t uid, principal;
};

struct orgrbac_snap_user {
	uint32_t name, flags;
	int64_t not_before, not_after;
	uint32_t first, count;
};

struct orgrbac_snap_role {
	uint32_t gid, group, cn, priv_first, priv_count, member_first, member_count, zero;
};

struct orgrbac_snap_member {
	uint32_t role, user;
	int64_t not_before, not_after;
};

_Static_assert(sizeof(struct orgrbac_snap_header) == SNAP_HEADER_SIZE, "header layout");
_Static_assert(sizeof(struct orgrbac_snap_user) == SNAP_USER_SIZE, "user layout");
_Static_assert(sizeof(struct orgrbac_snap_role) == SNAP_ROLE_SIZE, "role layout");
_Static_assert(sizeof(struct orgrbac_snap_member) == SNAP_MEMBER_SIZE, "member layout");
_Static_assert(sizeof(struct orgrbac_snap_principal) == SNAP_PRINCIPAL_SIZE, "principal layout");
_Static_assert(sizeof(struct orgrbac_snap_passwd) == SNAP_PASSWD_SIZE, "passwd layout");

/*
 * Catches truncation and stray writes, not forgery: only root can write the
 * file. 64-bit words, so that checking a large snapshot stays cheap for
 * every process that loads it.
 */
static inline uint64_t orgrbac_snap_checksum(const unsigned char *p, size_t n)
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
static inline int orgrbac_snap_cmp_member(const void *a, const void *b)
{
	const struct orgrbac_snap_member *x = a, *y = b;

	if (x->role != y->role)
		return x->role < y->role ? -1 : 1;
	if (x->user != y->user)
		return x->user < y->user ? -1 : 1;
	return 0;
}

/* A record's checksum binds its place too: a record moved or an index entry swapped fails. */
static inline uint64_t orgrbac_snap_record_sum(const unsigned char *p, uint32_t off, uint32_t len)
{
	return orgrbac_snap_checksum(p, len) ^
	       (((uint64_t)off << 32) | len) * 0x9e3779b97f4a7c15ULL;
}

/* Record kinds, the first word after a principal's uid. */
#define SNAP_REC_FACTS	 1u
#define SNAP_REC_REFUSED 2u

/* Window flags in a record. */
#define SNAP_WIN_NOT_BEFORE 1u
#define SNAP_WIN_NOT_AFTER  2u
#define SNAP_WIN_MALFORMED  4u

/* Bounds a record may not exceed (the reader's, whatever the file says). */
#define SNAP_REC_MAX_EXTERNAL 1024
#define SNAP_REC_MAX_GRANTS   4096
#define SNAP_REC_MAX_ROLES    4096
#define SNAP_REC_MAX_LIST     4096 /* privileges of a role, scopes of a grant, host services */

#endif
