/* SPDX-License-Identifier: BSD-2-Clause */
/* The host snapshot's reader: map, validate everything, answer by binary search. */
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

static bool in_window(int64_t nb, int64_t na, int64_t now)
{
	return nb <= now && now < na;
}

static bool section_ok(const struct orgrbac_snap_section *s, size_t rec, size_t file)
{
	uint64_t end = (uint64_t)s->off + (uint64_t)s->n * rec;

	return s->off >= SNAP_HEADER_SIZE && s->off % 8 == 0 && end <= file;
}

static bool string_ok(const struct orgrbac_snapshot *s, uint32_t off)
{
	return off < s->h->strings.n;
}

static const char *str_at(const struct orgrbac_snapshot *s, uint32_t off)
{
	return s->strings + off;
}

#define bad(...) (orgrbac_seterr(err, __VA_ARGS__), -1)

/*
 * The file, in the host's byte order (a file from another byte order fails
 * the magic or version check). Every section starts on an 8-byte boundary;
 * offsets are from the start of the file; strings are offsets into the
 * string table, whose last byte is NUL.
 *
 *   0   char[8]  magic "ORGRBSNP"
 *   8   u32      version (2)
 *   12  u32      header size (160)
 *   16  u64      file size
 *   24  u64      checksum of bytes 32 .. the principals' index (orgrbac_snap_checksum)
 *   32  u64      generation, one more at each successful sync
 *   40  i64      time of the sync (seconds since the epoch)
 *   48  i64      max_age: older than this, readers refuse to answer
 *   56  u32,u32  strings: offset, size in bytes
 *   64  u32,u32  users: offset, count          (sorted by name, unique)
 *   72  u32,u32  roles: offset, count          (sorted by gid, unique)
 *   80  u32,u32  roles by name: offset, count  (u32 role indexes, sorted by name)
 *   88  u32,u32  members: offset, count        (sorted by role, then user)
 *   96  u32,u32  members by user: offset, count (u32 member indexes, by user, then role)
 *   104 u32,u32  privileges: offset, count     (u32 string offsets)
 *   112 u32,u32  principals: offset, count     (16-byte index entries, after the
 *                                              group part, sorted as snapshot_facts.c says)
 *   120 u32,u32  facts: offset, size in bytes  (the records, to the end of the file)
 *   128 u32,u32  host identity: offset in facts, size (none: size 0)
 *   136 u64      host identity's record checksum
 *   144 u32,u32  passwd: offset, count          (8-byte entries, snapshot_facts.c)
 *   152 zero to 160
 *
 *   user   (32): u32 name, u32 flags (1: external, 2: of another organization),
 *                 i64 not_before, i64 not_after,
 *                u32 first, u32 count   (a range of members-by-user)
 *   role   (32): u32 gid, u32 group name, u32 cn, u32 first privilege,
 *                u32 privilege count, u32 first member, u32 member count, u32 zero
 *   member (24): u32 role, u32 user, i64 not_before, i64 not_after
 *
 * A window [not_before, not_after) uses INT64_MIN / INT64_MAX for an open
 * bound; a user's window is its external-access window (open for others).
 *
 * The group part (to the principals' index) is checked whole at open, for
 * NSS; the decision part only as far as its header words, and each record
 * where it is read (snapshot_facts.c).
 */
static int check_header(struct orgrbac_snapshot *s, orgrbac_error *err)
{
	const struct orgrbac_snap_header *h;

	if (s->len < SNAP_HEADER_SIZE)
		return bad("snapshot: truncated (%zu bytes)", s->len);
	h = s->h = (const struct orgrbac_snap_header *)s->base;
	if (memcmp(h->magic, SNAP_MAGIC, 8) != 0)
		return bad("snapshot: not a snapshot (bad magic)");
	if (h->version != SNAP_VERSION)
		return bad("snapshot: unknown version %u", h->version);
	if (h->header_size != SNAP_HEADER_SIZE || h->file_size != s->len)
		return bad("snapshot: truncated or padded (%zu bytes, header says %llu)", s->len,
			   (unsigned long long)h->file_size);
	for (size_t i = 0; i < sizeof(h->zero); i++)
		if (h->zero[i] != 0)
			return bad("snapshot: unknown header fields");
	if (!section_ok(&h->principals, SNAP_PRINCIPAL_SIZE, s->len) ||
	    (uint64_t)h->principals.off + (uint64_t)h->principals.n * SNAP_PRINCIPAL_SIZE >
		h->facts.off ||
	    h->facts.off % 8 != 0 || (uint64_t)h->facts.off + h->facts.n != s->len ||
	    (uint64_t)h->host.off + h->host.n > h->facts.n)
		return bad("snapshot: the decision part is out of range");
	s->principals = (const void *)(s->base + h->principals.off);
	s->facts = s->base + h->facts.off;
	if (s->facts_only) {
		/* The group part is not read: no table of it is in reach. */
		s->hdr = *h;
		s->hdr.users.n = s->hdr.roles.n = s->hdr.by_name.n = 0;
		s->hdr.members.n = s->hdr.by_user.n = s->hdr.privs.n = 0;
		s->h = &s->hdr;
		return 0;
	}
	if (orgrbac_snap_checksum(s->base + 32, h->principals.off - 32) != h->checksum)
		return bad("snapshot: bad checksum");
	if (!section_ok(&h->strings, 1, s->len) || h->strings.n == 0 ||
	    s->base[h->strings.off + h->strings.n - 1] != '\0' ||
	    !section_ok(&h->users, SNAP_USER_SIZE, s->len) ||
	    !section_ok(&h->roles, SNAP_ROLE_SIZE, s->len) || !section_ok(&h->by_name, 4, s->len) ||
	    !section_ok(&h->members, SNAP_MEMBER_SIZE, s->len) ||
	    !section_ok(&h->by_user, 4, s->len) || !section_ok(&h->privs, 4, s->len) ||
	    h->by_name.n != h->roles.n || h->by_user.n != h->members.n)
		return bad("snapshot: a section is out of range");
	s->strings = (const char *)s->base + h->strings.off;
	s->users = (const void *)(s->base + h->users.off);
	s->roles = (const void *)(s->base + h->roles.off);
	s->by_name = (const void *)(s->base + h->by_name.off);
	s->members = (const void *)(s->base + h->members.off);
	s->by_user = (const void *)(s->base + h->by_user.off);
	s->privs = (const void *)(s->base + h->privs.off);
	return 0;
}

/* Privileges, members and the members-by-user index, each in range and in order. */
static int check_members(const struct orgrbac_snapshot *s, orgrbac_error *err)
{
	size_t nu = s->h->users.n, nr = s->h->roles.n, nm = s->h->members.n, np = s->h->privs.n;

	for (size_t i = 0; i < np; i++)
		if (!string_ok(s, s->privs[i]))
			return bad("snapshot: privilege %zu out of range", i);
	for (size_t i = 0; i < nm; i++) {
		const struct orgrbac_snap_member *m = &s->members[i];

		if (m->role >= nr || m->user >= nu)
			return bad("snapshot: member %zu out of range", i);
		if (i > 0 && orgrbac_snap_cmp_member(&s->members[i - 1], m) > 0)
			return bad("snapshot: members out of order");
	}
	for (size_t i = 0; i < nm; i++) {
		uint32_t k = s->by_user[i];

		if (k >= nm)
			return bad("snapshot: member index %zu out of range", i);
		if (i > 0) {
			const struct orgrbac_snap_member *a = &s->members[s->by_user[i - 1]];
			const struct orgrbac_snap_member *b = &s->members[k];

			if (a->user > b->user)
				return bad("snapshot: member index out of order");
		}
	}
	return 0;
}

/* Users sorted by name, each owning its range of the members-by-user index. */
static int check_users(const struct orgrbac_snapshot *s, orgrbac_error *err)
{
	size_t nu = s->h->users.n, nm = s->h->members.n;

	for (size_t i = 0; i < nu; i++) {
		const struct orgrbac_snap_user *u = &s->users[i];

		if (!string_ok(s, u->name) || (uint64_t)u->first + u->count > nm)
			return bad("snapshot: user %zu out of range", i);
		if (i > 0 && strcmp(str_at(s, s->users[i - 1].name), str_at(s, u->name)) >= 0)
			return bad("snapshot: users out of order");
		for (uint32_t k = u->first; k < u->first + u->count; k++)
			if (s->members[s->by_user[k]].user != i)
				return bad("snapshot: user %zu has a foreign member", i);
	}
	return 0;
}

/* Roles sorted by gid, each with a group name and its own range of members; then the name index. */
static int check_roles(const struct orgrbac_snapshot *s, orgrbac_error *err)
{
	size_t nr = s->h->roles.n, nm = s->h->members.n, np = s->h->privs.n;

	for (size_t i = 0; i < nr; i++) {
		const struct orgrbac_snap_role *r = &s->roles[i];

		if (!string_ok(s, r->group) || !string_ok(s, r->cn) ||
		    (uint64_t)r->priv_first + r->priv_count > np ||
		    (uint64_t)r->member_first + r->member_count > nm || r->zero != 0)
			return bad("snapshot: role %zu out of range", i);
		if (str_at(s, r->group)[0] == '\0' ||
		    strlen(str_at(s, r->group)) > ORGRBAC_GROUP_NAME_MAX)
			return bad("snapshot: role %zu has no usable group name", i);
		if (i > 0 && s->roles[i - 1].gid >= r->gid)
			return bad("snapshot: roles out of order");
		for (uint32_t k = r->member_first; k < r->member_first + r->member_count; k++)
			if (s->members[k].role != i)
				return bad("snapshot: role %zu has a foreign member", i);
	}
	/* Only now is every group name known to be in range. */
	for (size_t i = 0; i < nr; i++) {
		if (s->by_name[i] >= nr)
			return bad("snapshot: name index %zu out of range", i);
		if (i > 0 && strcmp(str_at(s, s->roles[s->by_name[i - 1]].group),
				    str_at(s, s->roles[s->by_name[i]].group)) >= 0)
			return bad("snapshot: name index out of order");
	}
	return 0;
}

int orgrbac_snapshot_validate(struct orgrbac_snapshot *s, orgrbac_error *err)
{
	if (check_header(s, err) != 0)
		return -1;
	if (s->facts_only)
		return 0;
	if (check_members(s, err) != 0 || check_users(s, err) != 0 || check_roles(s, err) != 0)
		return -1;
	return 0;
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
	return s->h->members.n;
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

static uint32_t group_name(const struct orgrbac_snapshot *s, size_t i)
{
	return s->roles[s->by_name[i]].group;
}

static uint32_t user_name(const struct orgrbac_snapshot *s, size_t i)
{
	return s->users[i].name;
}

/* Binary search of `n` entries sorted by the string `name_at` gives; the position, or -1. */
static long search_name(const struct orgrbac_snapshot *s, size_t n,
			uint32_t (*name_at)(const struct orgrbac_snapshot *, size_t),
			const char *name)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, str_at(s, name_at(s, mid)));

		if (c == 0)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

long orgrbac_snapshot_find_name(const struct orgrbac_snapshot *s, const char *name)
{
	long i = search_name(s, s->h->roles.n, group_name, name);

	return i < 0 ? -1 : (long)s->by_name[i];
}

long orgrbac_snapshot_find_gid(const struct orgrbac_snapshot *s, uint32_t gid)
{
	size_t lo = 0, hi = s->h->roles.n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t g = s->roles[mid].gid;

		if (g == gid)
			return (long)mid;
		if (gid < g)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

static long find_user(const struct orgrbac_snapshot *s, const char *name)
{
	return search_name(s, s->h->users.n, user_name, name);
}

/* Is this membership in force at `now`: its window, and its user's external window? */
static bool member_on(const struct orgrbac_snapshot *s, const struct orgrbac_snap_member *m,
		      int64_t now)
{
	const struct orgrbac_snap_user *u = &s->users[m->user];

	return in_window(m->not_before, m->not_after, now) &&
	       in_window(u->not_before, u->not_after, now);
}

const char *orgrbac_snapshot_role(const struct orgrbac_snapshot *s, size_t idx, uint32_t *gid,
				  const char **cn)
{
	if (idx >= s->h->roles.n)
		return NULL;
	if (gid != NULL)
		*gid = s->roles[idx].gid;
	if (cn != NULL)
		*cn = str_at(s, s->roles[idx].cn);
	return str_at(s, s->roles[idx].group);
}

const char *orgrbac_snapshot_privilege(const struct orgrbac_snapshot *s, size_t idx, size_t k)
{
	if (idx >= s->h->roles.n || k >= s->roles[idx].priv_count)
		return NULL;
	return str_at(s, s->privs[s->roles[idx].priv_first + k]);
}

bool orgrbac_snapshot_user_foreign(const struct orgrbac_snapshot *s, const char *user)
{
	long ui = find_user(s, user);

	return ui >= 0 && (s->users[ui].flags & SNAP_USER_FOREIGN) != 0;
}

bool orgrbac_snapshot_holds_role(const struct orgrbac_snapshot *s, size_t idx, const char *user,
				 int64_t now)
{
	long ui = idx < s->h->roles.n ? find_user(s, user) : -1;
	const struct orgrbac_snap_user *u;

	if (ui < 0)
		return false;
	u = &s->users[ui];
	for (uint32_t k = u->first; k < u->first + u->count; k++) {
		const struct orgrbac_snap_member *m = &s->members[s->by_user[k]];

		if (m->role == idx && member_on(s, m, now))
			return true;
	}
	return false;
}

/* Carve `n` bytes aligned to `align` from the caller's buffer; NULL when it does not fit. */
static char *carve(char **p, size_t *left, size_t n, size_t align)
{
	size_t pad = (align - ((uintptr_t)*p % align)) % align;
	char *at;

	if (pad > *left || n > *left - pad)
		return NULL;
	at = *p + pad;
	*p = at + n;
	*left -= pad + n;
	return at;
}

enum orgrbac_snap_status orgrbac_snapshot_group(const struct orgrbac_snapshot *s, size_t idx,
						int64_t now, struct group *gr, char *buf,
						size_t buflen)
{
	const struct orgrbac_snap_role *r;
	const char *name;
	char *p = buf, **mem, *at;
	size_t left = buflen, n = 0, k = 0, len;
	uint32_t last = UINT32_MAX;

	if (idx >= s->h->roles.n)
		return ORGRBAC_SNAP_NOTFOUND;
	r = &s->roles[idx];
	/* Count distinct members in force: a user may hold a role through several grants. */
	for (uint32_t i = r->member_first; i < r->member_first + r->member_count; i++)
		if (member_on(s, &s->members[i], now) && s->members[i].user != last) {
			last = s->members[i].user;
			n++;
		}
	mem = (char **)(void *)carve(&p, &left, (n + 1) * sizeof(char *), sizeof(char *));
	if (mem == NULL)
		return ORGRBAC_SNAP_ERANGE;
	name = str_at(s, r->group);
	len = strlen(name) + 1;
	if ((at = carve(&p, &left, len, 1)) == NULL)
		return ORGRBAC_SNAP_ERANGE;
	memcpy(at, name, len);
	gr->gr_name = at;
	if ((at = carve(&p, &left, 2, 1)) == NULL)
		return ORGRBAC_SNAP_ERANGE;
	memcpy(at, "x", 2);
	gr->gr_passwd = at;
	gr->gr_gid = (gid_t)r->gid;
	last = UINT32_MAX;
	for (uint32_t i = r->member_first; i < r->member_first + r->member_count && k < n; i++) {
		const struct orgrbac_snap_member *m = &s->members[i];
		const char *u;

		if (!member_on(s, m, now) || m->user == last)
			continue;
		last = m->user;
		u = str_at(s, s->users[m->user].name);
		len = strlen(u) + 1;
		if ((at = carve(&p, &left, len, 1)) == NULL)
			return ORGRBAC_SNAP_ERANGE;
		memcpy(at, u, len);
		mem[k++] = at;
	}
	mem[k] = NULL;
	gr->gr_mem = mem;
	return ORGRBAC_SNAP_OK;
}

enum orgrbac_snap_status orgrbac_snapshot_initgroups(const struct orgrbac_snapshot *s,
						     const char *user, gid_t skip, int64_t now,
						     long *start, long *size, gid_t **groups,
						     long limit)
{
	const struct orgrbac_snap_user *u;
	long ui = find_user(s, user);

	if (ui < 0)
		return ORGRBAC_SNAP_NOTFOUND;
	u = &s->users[ui];
	if (!in_window(u->not_before, u->not_after, now))
		return ORGRBAC_SNAP_NOTFOUND;
	for (uint32_t k = u->first; k < u->first + u->count; k++) {
		const struct orgrbac_snap_member *m = &s->members[s->by_user[k]];
		gid_t gid = (gid_t)s->roles[m->role].gid;
		bool dup = gid == skip;

		if (!in_window(m->not_before, m->not_after, now))
			continue;
		for (long i = 0; i < *start && !dup; i++)
			dup = (*groups)[i] == gid;
		if (dup)
			continue;
		if (*start == *size) {
			long newsize;
			gid_t *grown;

			/* glibc's rules, not orgrbac_grow's: *size and limit fix the size. */
			if (limit > 0 && *size >= limit)
				return ORGRBAC_SNAP_OK; /* the caller asked for no more */
			if (*size > LONG_MAX / 2)
				return ORGRBAC_SNAP_NOMEM;
			newsize = *size > 0 ? 2 * *size : 1;
			if (limit > 0 && newsize > limit)
				newsize = limit;
			grown = reallocarray(*groups, (size_t)newsize, sizeof(**groups));
			if (grown == NULL)
				return ORGRBAC_SNAP_NOMEM;
			*groups = grown;
			*size = newsize;
		}
		(*groups)[(*start)++] = gid;
	}
	return ORGRBAC_SNAP_OK;
}
