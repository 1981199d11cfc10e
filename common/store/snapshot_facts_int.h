/* SPDX-License-Identifier: BSD-2-Clause */
/* What the decision part's readers share: a cursor over a checked record, and the index by name. */
#ifndef ORGRBAC_SNAPSHOT_FACTS_INT_H
#define ORGRBAC_SNAPSHOT_FACTS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot_int.h"

/* A cursor over one record: every read is checked against what is left of it. */
struct orgrbac_cur {
	const unsigned char *p;
	size_t left;
	bool bad, nomem;
};

/* The next n bytes into out, or zeros (and bad) when fewer are left. */
void orgrbac_cur_bytes(struct orgrbac_cur *c, void *out, size_t n);
uint32_t orgrbac_cur_u32(struct orgrbac_cur *c);
int64_t orgrbac_cur_i64(struct orgrbac_cur *c);
/* A string in place: in bounds, NUL-terminated, no NUL inside; NULL (and bad) otherwise. */
const char *orgrbac_cur_str(struct orgrbac_cur *c);

/* A record of the facts area, checked (place, size, checksum) into c; false (c bad) otherwise. */
bool orgrbac_snapf_record(const struct orgrbac_snapshot *s, uint32_t off, uint32_t len,
			  uint64_t sum, struct orgrbac_cur *c);

/* Shared role or grant i's record, checked into c; false (c bad) for none or a corrupt one. */
bool orgrbac_snapf_shared_role(const struct orgrbac_snapshot *s, uint32_t i, struct orgrbac_cur *c);
bool orgrbac_snapf_shared_grant(const struct orgrbac_snapshot *s, uint32_t i,
				struct orgrbac_cur *c);

/*
 * Index entry i's record, checked (the entry's block, the record, the uid
 * under the entry's hash), its uid read: the uid, c past it; NULL when i is
 * out of range or anything read is corrupt.
 */
const char *orgrbac_snapf_uid_at(const struct orgrbac_snapshot *s, size_t i, struct orgrbac_cur *c);

/* A record's posixAccount block, its strings in place (format: snapshot_facts.c). */
struct orgrbac_snap_posix {
	bool present, served;
	uint32_t uid, gid;
	const char *gecos, *home, *shell;
	int64_t from, until;
};

/* Read the posixAccount block at c into px; c bad when it does not check out. */
void orgrbac_snapf_posix(struct orgrbac_cur *c, struct orgrbac_snap_posix *px);

/*
 * The index entry whose uid is `user` byte for byte, with c past its uid:
 * its place; SNAPF_NONE when there is none (*other_case when an entry
 * matches with ASCII letters' case folded); SNAPF_BAD when an index block or
 * a record read on the way is corrupt. Reads the entries under the hash of
 * `user` folded (orgrbac_snap_uid_hash), and their records only.
 */
#define SNAPF_NONE ((size_t)-1)
#define SNAPF_BAD  ((size_t)-2)
size_t orgrbac_snapf_find(const struct orgrbac_snapshot *s, const char *user, bool *other_case,
			  struct orgrbac_cur *c);

#endif
