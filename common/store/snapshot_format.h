/* SPDX-License-Identifier: BSD-2-Clause */
/* The snapshot's records: the one format header of its writer and reader (layout: snapshot.c). */
#ifndef ORGRBAC_SNAPSHOT_FORMAT_H
#define ORGRBAC_SNAPSHOT_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SNAP_MAGIC	    "ORGRBSNP"
#define SNAP_VERSION	    4
#define SNAP_FILE_MAX	    (1024UL * 1024 * 1024) /* bytes: no host needs more */
#define SNAP_HEADER_SIZE    160
#define SNAP_HEADER_SUMMED  32 /* the header's checksum covers bytes 32 .. SNAP_HEADER_SIZE */
#define SNAP_USER_SIZE	    24 /* an entry of the users' index */
#define SNAP_ROLE_SIZE	    24 /* an entry of the roles' table */
#define SNAP_NAME_SIZE	    16 /* an entry of the roles' index by name */
#define SNAP_BLOCK	    16 /* entries of a table under one checksum */
#define SNAP_RHEAD_SIZE	    32 /* a role record's fixed part */
#define SNAP_UHEAD_SIZE	    32 /* a user record's fixed part */
#define SNAP_MEMBER_SIZE    24 /* a member in a role record */
#define SNAP_GROUP_SIZE	    24 /* a group in a user record */
#define SNAP_PRINCIPAL_SIZE 24 /* an entry of the principals' index */
#define SNAP_SHARED_SIZE    16 /* an entry of the shared roles' or grants' index */
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
	uint64_t checksum; /* of bytes 32 .. 160: the header and its section table only */
	uint64_t generation;
	int64_t synced_at;
	int64_t max_age;
	/* version 3: the group part, each table block and record checked where it is read */
	struct orgrbac_snap_section regions; /* offset, size in bytes of the records */
	struct orgrbac_snap_section users;   /* offset, count of the users' index */
	struct orgrbac_snap_section roles;   /* offset, count of the roles' table (by gid) */
	struct orgrbac_snap_section by_name; /* offset, count of the roles' index by name */
	struct orgrbac_snap_section sums;    /* offset, count of the tables' block checksums */
	uint32_t members;		     /* memberships, for `orgrbac status` */
	uint32_t zero3;
	/* version 4: the decision part, each index block and record checked where it is read */
	struct orgrbac_snap_section shared_roles; /* offset, count of the shared roles' index */
	struct orgrbac_snap_section principals;	  /* offset, count of the index */
	struct orgrbac_snap_section facts;	  /* offset, size in bytes of the records */
	struct orgrbac_snap_section host;	  /* offset in facts, size of the host identity */
	uint64_t host_sum;
	struct orgrbac_snap_section
	    passwd; /* offset, count of the by-uid table (snapshot_facts.c) */
	struct orgrbac_snap_section shared_grants; /* offset, count of the shared grants' index */
};

/* A string in a record: its offset from the record's start and its length (a NUL follows). */
struct orgrbac_snap_str {
	uint32_t off, len;
};

/* The users' index, sorted by the hash of the name, then the name: each user's record. */
struct orgrbac_snap_user {
	uint64_t hash, sum;
	uint32_t off, len; /* in the records */
};

/* The roles' table, sorted by gid: each role's record. */
struct orgrbac_snap_role {
	uint32_t gid, zero, off, len;
	uint64_t sum;
};

/* The roles' index by name, sorted by the hash of the group name, then the name. */
struct orgrbac_snap_name {
	uint64_t hash;
	uint32_t role, zero; /* an index into the roles' table */
};

/* A role's record: this, then its members, its privileges, then the strings. */
struct orgrbac_snap_rhead {
	uint32_t gid, n_members, n_privileges, zero;
	struct orgrbac_snap_str group, cn;
};

/* A member in a role's record: the membership's window within the user's external one. */
struct orgrbac_snap_member {
	int64_t not_before, not_after;
	struct orgrbac_snap_str name;
};

/* A user's record: this, then its groups (by gid), then its name. */
struct orgrbac_snap_uhead {
	uint32_t flags, n_groups;
	int64_t not_before, not_after; /* its external access */
	struct orgrbac_snap_str name;
};

/* A group in a user's record: the membership's own window. */
struct orgrbac_snap_ugroup {
	int64_t not_before, not_after;
	uint32_t gid, zero;
};

/*
 * One principal in the index, sorted by the hash of its ASCII-lowercased uid
 * (orgrbac_snap_uid_hash): its record in the facts area, that record's checksum.
 */
struct orgrbac_snap_principal {
	uint64_t hash;
	uint32_t off, len;
	uint64_t sum;
};

/* One shared role or grant in its index: its record in the facts area, its checksum. */
struct orgrbac_snap_shared {
	uint32_t off, len;
	uint64_t sum;
};

/* One user the passwd database serves: its uidNumber and its principal's place in the index. */
struct orgrbac_snap_passwd {
	uint32_t uid, principal;
};

_Static_assert(sizeof(struct orgrbac_snap_header) == SNAP_HEADER_SIZE, "header layout");
_Static_assert(sizeof(struct orgrbac_snap_user) == SNAP_USER_SIZE, "user layout");
_Static_assert(sizeof(struct orgrbac_snap_role) == SNAP_ROLE_SIZE, "role layout");
_Static_assert(sizeof(struct orgrbac_snap_name) == SNAP_NAME_SIZE, "name layout");
_Static_assert(sizeof(struct orgrbac_snap_rhead) == SNAP_RHEAD_SIZE, "role record layout");
_Static_assert(sizeof(struct orgrbac_snap_uhead) == SNAP_UHEAD_SIZE, "user record layout");
_Static_assert(sizeof(struct orgrbac_snap_member) == SNAP_MEMBER_SIZE, "member layout");
_Static_assert(sizeof(struct orgrbac_snap_ugroup) == SNAP_GROUP_SIZE, "group layout");
_Static_assert(sizeof(struct orgrbac_snap_principal) == SNAP_PRINCIPAL_SIZE, "principal layout");
_Static_assert(sizeof(struct orgrbac_snap_shared) == SNAP_SHARED_SIZE, "shared layout");
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

/*
 * The group part's checksum: four lanes of 64-bit words, so that checking a
 * role's record of a few thousand members costs about a microsecond.
 */
static inline uint64_t orgrbac_snap_checksum4(const unsigned char *p, size_t n)
{
	uint64_t lane[4] = {0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL, 0x9e3779b97f4a7c15ULL,
			    0xc2b2ae3d27d4eb4fULL};
	uint64_t w, h;
	size_t i = 0;

	for (; i + 32 <= n; i += 32)
		for (int k = 0; k < 4; k++) {
			memcpy(&w, p + i + 8 * k, 8);
			lane[k] = (lane[k] ^ w) * 0x100000001b3ULL;
			lane[k] ^= lane[k] >> 29;
		}
	h = orgrbac_snap_checksum((const unsigned char *)lane, sizeof(lane));
	return h ^ orgrbac_snap_checksum(p + i, n - i) ^ (uint64_t)n;
}

/* A record's or a table block's checksum in the group part, bound to its place. */
static inline uint64_t orgrbac_snap_region_sum(const unsigned char *p, uint64_t off, uint64_t len)
{
	return orgrbac_snap_checksum4(p, (size_t)len) ^ ((off << 32) ^ len) * 0x9e3779b97f4a7c15ULL;
}

/* The hash a name is indexed by (users, and roles by group name): FNV-1a. */
static inline uint64_t orgrbac_snap_name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* A byte with its ASCII letter, if it is one, lowercased (no locale: the file's is none). */
static inline unsigned char orgrbac_snap_fold(char c)
{
	unsigned char u = (unsigned char)c;

	return u >= 'A' && u <= 'Z' ? (unsigned char)(u + ('a' - 'A')) : u;
}

/* The hash the principals are indexed by: FNV-1a of the uid, ASCII letters lowercased. */
static inline uint64_t orgrbac_snap_uid_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++)
		h = (h ^ orgrbac_snap_fold(*s)) * 0x100000001b3ULL;
	return h;
}

/* The principals' index in bytes: n entries, then a u64 checksum per block of SNAP_BLOCK. */
static inline uint64_t orgrbac_snap_principals_size(uint64_t n)
{
	return n * SNAP_PRINCIPAL_SIZE + (n + SNAP_BLOCK - 1) / SNAP_BLOCK * 8;
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
