/* SPDX-License-Identifier: BSD-2-Clause */
/* The host snapshot's reader of the group part: the header checked at open, each read where it is
 * made. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "snapshot.h"
#include "snapshot_format.h"
#include "snapshot_int.h"

#define bad(...) (orgrbac_seterr(err, __VA_ARGS__), -1)

/*
 * The file, in the host's byte order (a file from another byte order fails
 * the magic or version check). Every section and record starts on an 8-byte
 * boundary; offsets in the header are from the start of the file.
 *
 *   0   char[8]  magic "ORGRBSNP"
 *   8   u32      version (4)
 *   12  u32      header size (160)
 *   16  u64      file size
 *   24  u64      checksum of bytes 32 .. 160, the header's words and section
 *                table (orgrbac_snap_checksum)
 *   32  u64      generation, one more at each successful sync
 *   40  i64      time of the sync (seconds since the epoch)
 *   48  i64      max_age: older than this, readers refuse to answer
 *   56  u32,u32  records: offset, size in bytes (the role and user records)
 *   64  u32,u32  users: offset, count         (24-byte entries, by name hash, then name)
 *   72  u32,u32  roles: offset, count         (24-byte entries, by gid, unique)
 *   80  u32,u32  roles by name: offset, count (16-byte entries, by name hash, then name)
 *   88  u32,u32  block checksums: offset, count (u64: the users', the roles', then the
 *                                            names' blocks of 16 entries)
 *   96  u32      memberships; 100 .. 104 zero
 *   104 u32,u32  shared roles: offset, count   (16-byte index entries, snapshot_facts.c)
 *   112 u32,u32  principals: offset, count     (24-byte index entries and their block
 *                                              checksums, after the group part, sorted
 *                                              as snapshot_facts.c says)
 *   120 u32,u32  facts: offset, size in bytes  (the records, to the end of the file)
 *   128 u32,u32  host identity: offset in facts, size (none: size 0)
 *   136 u64      host identity's record checksum
 *   144 u32,u32  passwd: offset, count          (8-byte entries, snapshot_facts.c)
 *   152 u32,u32  shared grants: offset, count  (16-byte index entries, snapshot_facts.c)
 *
 * The sections follow the header in this order, none overlapping: users,
 * roles, roles by name, block checksums, records, then the decision part:
 * principals, passwd, shared roles, shared grants, facts.
 *
 *   user entry (24): u64 name hash (FNV-1a), u64 record checksum,
 *                    u32 record offset, u32 size (in the records)
 *   role entry (24): u32 gid, u32 zero, u32 record offset, u32 size,
 *                    u64 record checksum
 *   name entry (16): u64 group name hash, u32 role (index in roles), u32 zero
 *
 * A string in a record is (u32 offset from the record's start, u32 length),
 * its bytes followed by a NUL, none inside.
 *
 *   role record: u32 gid, u32 members, u32 privileges, u32 zero,
 *                str group name, str cn;
 *                members x (i64 not_before, i64 not_after, str user name),
 *                sorted by name, the window already within the user's
 *                external one; privileges x str; then the strings
 *   user record: u32 flags (1: external, 2: of another organization),
 *                u32 groups, i64 not_before, i64 not_after (its external
 *                access), str name; groups x (i64 not_before, i64 not_after,
 *                u32 gid, u32 zero), by gid; then the name
 *
 * A window [not_before, not_after) uses INT64_MIN / INT64_MAX for an open
 * bound.
 *
 * No whole-file pass at open: the header is checked (magic, version, sizes,
 * its checksum, every section within the file and in order). Every table
 * entry is read through its block's checksum (orgrbac_snap_region_sum, bound
 * to the block's place), every record through the checksum its entry holds
 * (bound to the record's place), then each count and string against the
 * record's size. A lookup meeting a corrupt block or record answers
 * ORGRBAC_SNAP_CORRUPT; the rest of the file still serves. A checksum that
 * matched is not computed again for the same mapping (the file is never
 * changed in place); the bounds are checked at every read. The decision
 * part is read the same way, record by record (snapshot_facts.c).
 */

/* [off, off + size * n) within the file, on 8 bytes, not before `from`; its end in *end. */
static bool section_ok(const struct orgrbac_snap_section *sec, uint64_t size, uint64_t from,
		       uint64_t *end)
{
	*end = (uint64_t)sec->off + size * sec->n; /* at most 2^32 + 2^32 * 24: no wrap */
	return sec->off >= from && sec->off % 8 == 0;
}

static uint64_t blocks(uint64_t n)
{
	return (n + SNAP_BLOCK - 1) / SNAP_BLOCK;
}

/* The decision part's sections: in order, not overlapping, the facts to the end of the file. */
static int check_decision_part(const struct orgrbac_snap_header *h, size_t len, orgrbac_error *err)
{
	uint64_t end = (uint64_t)h->principals.off + orgrbac_snap_principals_size(h->principals.n);

	if (!section_ok(&h->principals, 0, SNAP_HEADER_SIZE, &(uint64_t){0}) ||
	    !section_ok(&h->shared_roles, SNAP_SHARED_SIZE, end, &end) ||
	    !section_ok(&h->shared_grants, SNAP_SHARED_SIZE, end, &end) ||
	    !section_ok(&h->facts, 0, end, &(uint64_t){0}) ||
	    (uint64_t)h->facts.off + h->facts.n != len ||
	    (uint64_t)h->host.off + h->host.n > h->facts.n)
		return bad("snapshot: the decision part is out of range");
	return 0;
}

/* The seen bits (snapshot_int.h): the group part's, then the decision part's. */
static void alloc_seen(struct orgrbac_snapshot *s)
{
	const struct orgrbac_snap_header *h = s->h;
	size_t bits;

	s->fbit = (size_t)h->sums.n + h->roles.n + h->users.n;
	bits = s->fbit + blocks(h->principals.n) + h->shared_roles.n + h->shared_grants.n;
	/* without it every read hashes what it reads: slower, as safe */
	s->seen = calloc(bits / 8 + 1, 1);
}

/* The group part's sections: in order, not overlapping, before the decision part. */
static int check_sections(const struct orgrbac_snap_header *h, orgrbac_error *err)
{
	uint64_t end = SNAP_HEADER_SIZE;

	if (!section_ok(&h->users, SNAP_USER_SIZE, end, &end) ||
	    !section_ok(&h->roles, SNAP_ROLE_SIZE, end, &end) ||
	    !section_ok(&h->by_name, SNAP_NAME_SIZE, end, &end) ||
	    !section_ok(&h->sums, 8, end, &end) || !section_ok(&h->regions, 1, end, &end) ||
	    end > h->principals.off)
		return bad("snapshot: a section is out of range");
	if (h->by_name.n != h->roles.n ||
	    h->sums.n != blocks(h->users.n) + blocks(h->roles.n) + blocks(h->by_name.n))
		return bad("snapshot: the tables' counts disagree");
	return 0;
}

static int check_header(struct orgrbac_snapshot *s, orgrbac_error *err)
{
	const struct orgrbac_snap_header *h;

	if (s->len < SNAP_HEADER_SIZE)
		return bad("snapshot: truncated (%zu bytes)", s->len);
	h = s->h = (const struct orgrbac_snap_header *)s->base;
	if (memcmp(h->magic, SNAP_MAGIC, 8) != 0)
		return bad("snapshot: not a snapshot (bad magic)");
	if (h->version != SNAP_VERSION)
		return bad("snapshot: unknown version %u: this orgrbac reads version %u only, "
			   "which the next `orgrbac sync` (or publication of `orgrbac follow`) "
			   "writes",
			   h->version, SNAP_VERSION);
	if (h->header_size != SNAP_HEADER_SIZE || h->file_size != s->len)
		return bad("snapshot: truncated or padded (%zu bytes, header says %llu)", s->len,
			   (unsigned long long)h->file_size);
	if (orgrbac_snap_checksum(s->base + SNAP_HEADER_SUMMED,
				  SNAP_HEADER_SIZE - SNAP_HEADER_SUMMED) != h->checksum)
		return bad("snapshot: bad checksum");
	if (h->zero3 != 0)
		return bad("snapshot: unknown header fields");
	if (check_decision_part(h, s->len, err) != 0)
		return -1;
	s->principals = s->base + h->principals.off;
	s->facts = s->base + h->facts.off;
	if (s->facts_only) {
		/* The group part is not read: no table of it is in reach. */
		s->hdr = *h;
		s->hdr.users.n = s->hdr.roles.n = s->hdr.by_name.n = s->hdr.sums.n = 0;
		s->hdr.regions.n = s->hdr.members = 0;
		s->h = &s->hdr;
	} else {
		if (check_sections(h, err) != 0)
			return -1;
		s->regions = s->base + h->regions.off;
		s->sums = s->base + h->sums.off;
	}
	alloc_seen(s);
	return 0;
}

int orgrbac_snapshot_validate(struct orgrbac_snapshot *s, orgrbac_error *err)
{
	return check_header(s, err);
}

int orgrbac_snapshot_from_buffer(const void *buf, size_t len, struct orgrbac_snapshot **out,
				 orgrbac_error *err)
{
	struct orgrbac_snapshot *s;

	*out = NULL;
	/* The records are read in place: the buffer must be aligned as the file is. */
	if (buf == NULL || ((uintptr_t)buf % 8) != 0)
		return bad("snapshot: unaligned buffer");
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return bad("out of memory");
	s->base = buf;
	s->len = len;
	if (orgrbac_snapshot_validate(s, err) != 0) {
		free(s);
		return -1;
	}
	*out = s;
	return 0;
}

uint64_t orgrbac_snapshot_generation(const struct orgrbac_snapshot *s)
{
	return s->h->generation;
}

int64_t orgrbac_snapshot_synced_at(const struct orgrbac_snapshot *s)
{
	return s->h->synced_at;
}

int64_t orgrbac_snapshot_max_age(const struct orgrbac_snapshot *s)
{
	return s->h->max_age;
}

size_t orgrbac_snapshot_count_users(const struct orgrbac_snapshot *s)
{
	return s->h->users.n;
}

size_t orgrbac_snapshot_count_roles(const struct orgrbac_snapshot *s)
{
	return s->h->roles.n;
}

size_t orgrbac_snapshot_count_members(const struct orgrbac_snapshot *s)
{
	return s->h->members;
}

bool orgrbac_snapshot_fresh(const struct orgrbac_snapshot *s, int64_t now)
{
	int64_t at = s->h->synced_at, max = s->h->max_age;
	int64_t age = orgrbac_age(now, at), ahead = orgrbac_age(at, now);

	/*
	 * Both words come from the file: saturated, so that no header wraps an
	 * age into range, and a clamped distance is never within max_age. A
	 * sync time in the future beyond max_age is as untrustworthy as an old
	 * one.
	 */
	if (max <= 0 || age == INT64_MAX || age == INT64_MIN || ahead == INT64_MAX)
		return false;
	return age >= 0 ? age <= max : ahead <= max;
}
