/* SPDX-License-Identifier: BSD-2-Clause */
/* The snapshot's group part read lazily: each table block and record checked where it is read. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot.h"
#include "snapshot_format.h"
#include "snapshot_int.h"

/* The layout is in the comment at the top of snapshot.c. */

static bool in_window(int64_t nb, int64_t na, int64_t now)
{
	return nb <= now && now < na;
}

/* One of the group part's tables of fixed-size entries, under its block checksums. */
struct table {
	const unsigned char *at;
	uint64_t off; /* in the file: what each block's checksum is bound to */
	size_t n, size, first_sum;
};

/* The last block checked, so that a binary search checks each block once. */
struct probe {
	size_t block;
};

#define NO_BLOCK ((struct probe){SIZE_MAX})

static struct table users_table(const struct orgrbac_snapshot *s)
{
	return (struct table){s->base + s->h->users.off, s->h->users.off, s->h->users.n,
			      SNAP_USER_SIZE, 0};
}

static struct table roles_table(const struct orgrbac_snapshot *s)
{
	return (struct table){s->base + s->h->roles.off, s->h->roles.off, s->h->roles.n,
			      SNAP_ROLE_SIZE, (s->h->users.n + SNAP_BLOCK - 1) / SNAP_BLOCK};
}

static struct table names_table(const struct orgrbac_snapshot *s)
{
	size_t first = (s->h->users.n + SNAP_BLOCK - 1) / SNAP_BLOCK +
		       (s->h->roles.n + SNAP_BLOCK - 1) / SNAP_BLOCK;

	return (struct table){s->base + s->h->by_name.off, s->h->by_name.off, s->h->by_name.n,
			      SNAP_NAME_SIZE, first};
}

/* The bits of role idx's and user entry k's records. */
static size_t role_bit(const struct orgrbac_snapshot *s, size_t idx)
{
	return (size_t)s->h->sums.n + idx;
}

static size_t user_bit(const struct orgrbac_snapshot *s, size_t k)
{
	return (size_t)s->h->sums.n + s->h->roles.n + k;
}

/* Entry i (< t->n) into out, its block checked first; false: the block is corrupt. */
static bool entry(const struct orgrbac_snapshot *s, const struct table *t, size_t i,
		  struct probe *pr, void *out)
{
	size_t b = i / SNAP_BLOCK;

	if (pr->block != b && !orgrbac_snap_seen(s, t->first_sum + b)) {
		size_t first = b * SNAP_BLOCK;
		size_t bytes = (t->n - first < SNAP_BLOCK ? t->n - first : SNAP_BLOCK) * t->size;
		uint64_t sum;

		memcpy(&sum, s->sums + (t->first_sum + b) * 8, 8);
		if (orgrbac_snap_region_sum(t->at + first * t->size, t->off + first * t->size,
					    bytes) != sum)
			return false;
		orgrbac_snap_mark_seen(s, t->first_sum + b);
	}
	pr->block = b;
	memcpy(out, t->at + i * t->size, t->size);
	return true;
}

/* A record of the group part, checked: in the records, on 8 bytes, its checksum. */
struct rec {
	const unsigned char *p;
	size_t len;
};

static bool record(const struct orgrbac_snapshot *s, uint32_t off, uint32_t len, uint64_t sum,
		   size_t bit, struct rec *r)
{
	if ((uint64_t)off + len > s->h->regions.n || off % 8 != 0)
		return false;
	if (!orgrbac_snap_seen(s, bit)) {
		if (orgrbac_snap_region_sum(s->regions + off, (uint64_t)s->h->regions.off + off,
					    len) != sum)
			return false;
		orgrbac_snap_mark_seen(s, bit);
	}
	r->p = s->regions + off;
	r->len = len;
	return true;
}

/* A string of a checked record: within it, NUL-terminated, no NUL inside; NULL otherwise. */
static const char *rec_str(const struct rec *r, struct orgrbac_snap_str st)
{
	const char *p;

	if ((uint64_t)st.off + st.len >= r->len)
		return NULL;
	p = (const char *)r->p + st.off;
	if (p[st.len] != '\0' || memchr(p, '\0', st.len) != NULL)
		return NULL;
	return p;
}

/* Does an array of n items of `size` bytes fit at `at` in the record? Overflow-safe. */
static bool fits(const struct rec *r, size_t at, uint32_t n, size_t size)
{
	return at <= r->len && n <= (r->len - at) / size;
}

/* A role's record, read back and checked. */
struct role {
	struct rec r;
	uint32_t gid;
	uint32_t n_members, n_privileges;
	const char *group, *cn;
};

enum got { GOT_NONE, GOT_IT, GOT_CORRUPT };

/* Role idx (< roles.n), its entry and record checked; GOT_CORRUPT when either is not. */
static enum got role_at(const struct orgrbac_snapshot *s, size_t idx, struct role *out)
{
	struct table t = roles_table(s);
	struct probe pr = NO_BLOCK;
	struct orgrbac_snap_role e;
	struct orgrbac_snap_rhead h;

	if (!entry(s, &t, idx, &pr, &e) ||
	    !record(s, e.off, e.len, e.sum, role_bit(s, idx), &out->r) ||
	    out->r.len < SNAP_RHEAD_SIZE)
		return GOT_CORRUPT;
	memcpy(&h, out->r.p, sizeof(h));
	out->gid = h.gid;
	out->n_members = h.n_members;
	out->n_privileges = h.n_privileges;
	out->group = rec_str(&out->r, h.group);
	out->cn = rec_str(&out->r, h.cn);
	if (h.gid != e.gid || h.zero != 0 || e.zero != 0 || out->group == NULL || out->cn == NULL ||
	    out->group[0] == '\0' || h.group.len > ORGRBAC_GROUP_NAME_MAX ||
	    !fits(&out->r, SNAP_RHEAD_SIZE, h.n_members, SNAP_MEMBER_SIZE) ||
	    !fits(&out->r, SNAP_RHEAD_SIZE + (size_t)h.n_members * SNAP_MEMBER_SIZE, h.n_privileges,
		  sizeof(struct orgrbac_snap_str)))
		return GOT_CORRUPT;
	return GOT_IT;
}

static struct orgrbac_snap_member member_at(const struct role *r, size_t i)
{
	struct orgrbac_snap_member m;

	memcpy(&m, r->r.p + SNAP_RHEAD_SIZE + i * SNAP_MEMBER_SIZE, sizeof(m));
	return m;
}

/* A user's record, read back and checked. */
struct user {
	struct rec r;
	struct orgrbac_snap_uhead h;
	const char *name;
};

static enum got user_rec(const struct orgrbac_snapshot *s, const struct orgrbac_snap_user *e,
			 size_t k, struct user *out)
{
	if (!record(s, e->off, e->len, e->sum, user_bit(s, k), &out->r) ||
	    out->r.len < SNAP_UHEAD_SIZE)
		return GOT_CORRUPT;
	memcpy(&out->h, out->r.p, sizeof(out->h));
	out->name = rec_str(&out->r, out->h.name);
	if (out->name == NULL || (out->h.flags & ~(SNAP_USER_EXTERNAL | SNAP_USER_FOREIGN)) != 0 ||
	    !fits(&out->r, SNAP_UHEAD_SIZE, out->h.n_groups, SNAP_GROUP_SIZE))
		return GOT_CORRUPT;
	return GOT_IT;
}

static struct orgrbac_snap_ugroup group_at(const struct user *u, size_t i)
{
	struct orgrbac_snap_ugroup g;

	memcpy(&g, u->r.p + SNAP_UHEAD_SIZE + i * SNAP_GROUP_SIZE, sizeof(g));
	return g;
}

/*
 * The first entry of a table sorted by hash (the first word of each entry)
 * whose hash is not below h; SIZE_MAX when a block on the way is corrupt.
 */
static size_t lower_bound(const struct orgrbac_snapshot *s, const struct table *t, uint64_t h,
			  struct probe *pr)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		unsigned char e[SNAP_USER_SIZE];
		uint64_t eh;

		if (!entry(s, t, mid, pr, e))
			return SIZE_MAX;
		memcpy(&eh, e, 8);
		if (eh < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The user named `name`: its record, checked. */
static enum got find_user(const struct orgrbac_snapshot *s, const char *name, struct user *u)
{
	struct table t = users_table(s);
	struct probe pr = NO_BLOCK;
	uint64_t h = orgrbac_snap_name_hash(name);
	size_t i = lower_bound(s, &t, h, &pr);

	if (i == SIZE_MAX)
		return GOT_CORRUPT;
	for (; i < t.n; i++) {
		struct orgrbac_snap_user e;

		if (!entry(s, &t, i, &pr, &e))
			return GOT_CORRUPT;
		if (e.hash != h)
			return GOT_NONE;
		if (user_rec(s, &e, i, u) != GOT_IT || orgrbac_snap_name_hash(u->name) != h)
			return GOT_CORRUPT;
		if (strcmp(u->name, name) == 0)
			return GOT_IT;
	}
	return GOT_NONE;
}

/* The role whose group is `name`: its index and record, checked. */
static enum got find_role_name(const struct orgrbac_snapshot *s, const char *name, size_t *idx,
			       struct role *r)
{
	struct table t = names_table(s);
	struct probe pr = NO_BLOCK;
	uint64_t h = orgrbac_snap_name_hash(name);
	size_t i = lower_bound(s, &t, h, &pr);

	if (i == SIZE_MAX)
		return GOT_CORRUPT;
	for (; i < t.n; i++) {
		struct orgrbac_snap_name e;

		if (!entry(s, &t, i, &pr, &e))
			return GOT_CORRUPT;
		if (e.hash != h)
			return GOT_NONE;
		if (e.role >= s->h->roles.n || e.zero != 0 || role_at(s, e.role, r) != GOT_IT ||
		    orgrbac_snap_name_hash(r->group) != h)
			return GOT_CORRUPT;
		if (strcmp(r->group, name) == 0) {
			*idx = e.role;
			return GOT_IT;
		}
	}
	return GOT_NONE;
}

/* The role of gid `gid`, by binary search of the roles' table. */
static enum got find_role_gid(const struct orgrbac_snapshot *s, uint32_t gid, size_t *idx)
{
	struct table t = roles_table(s);
	struct probe pr = NO_BLOCK;
	size_t lo = 0, hi = t.n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct orgrbac_snap_role e;

		if (!entry(s, &t, mid, &pr, &e))
			return GOT_CORRUPT;
		if (e.gid == gid) {
			*idx = mid;
			return GOT_IT;
		}
		if (gid < e.gid)
			hi = mid;
		else
			lo = mid + 1;
	}
	return GOT_NONE;
}

static long found(enum got g, size_t idx)
{
	return g == GOT_IT ? (long)idx : g == GOT_NONE ? -1 : -2;
}

long orgrbac_snapshot_find_name(const struct orgrbac_snapshot *s, const char *name)
{
	struct role r;
	size_t idx = 0;
	enum got g = find_role_name(s, name, &idx, &r);

	return found(g, idx);
}

long orgrbac_snapshot_find_gid(const struct orgrbac_snapshot *s, uint32_t gid)
{
	size_t idx = 0;
	enum got g = find_role_gid(s, gid, &idx);

	return found(g, idx);
}

const char *orgrbac_snapshot_role(const struct orgrbac_snapshot *s, size_t idx, uint32_t *gid,
				  const char **cn)
{
	struct role r;

	if (idx >= s->h->roles.n || role_at(s, idx, &r) != GOT_IT)
		return NULL;
	if (gid != NULL)
		*gid = r.gid;
	if (cn != NULL)
		*cn = r.cn;
	return r.group;
}

const char *orgrbac_snapshot_privilege(const struct orgrbac_snapshot *s, size_t idx, size_t k)
{
	struct orgrbac_snap_str st;
	struct role r;

	if (idx >= s->h->roles.n || role_at(s, idx, &r) != GOT_IT || k >= r.n_privileges)
		return NULL;
	memcpy(&st,
	       r.r.p + SNAP_RHEAD_SIZE + (size_t)r.n_members * SNAP_MEMBER_SIZE + k * sizeof(st),
	       sizeof(st));
	return rec_str(&r.r, st);
}

bool orgrbac_snapshot_user_foreign(const struct orgrbac_snapshot *s, const char *user)
{
	struct user u;

	return find_user(s, user, &u) == GOT_IT && (u.h.flags & SNAP_USER_FOREIGN) != 0;
}

bool orgrbac_snapshot_holds_role(const struct orgrbac_snapshot *s, size_t idx, const char *user,
				 int64_t now)
{
	struct table t = roles_table(s);
	struct probe pr = NO_BLOCK;
	struct orgrbac_snap_role e;
	struct user u;

	if (idx >= t.n || !entry(s, &t, idx, &pr, &e) || find_user(s, user, &u) != GOT_IT ||
	    !in_window(u.h.not_before, u.h.not_after, now))
		return false;
	for (uint32_t k = 0; k < u.h.n_groups; k++) {
		struct orgrbac_snap_ugroup g = group_at(&u, k);

		if (g.gid == e.gid && in_window(g.not_before, g.not_after, now))
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

static char *carve_str(char **p, size_t *left, const char *s, size_t len)
{
	char *at = carve(p, left, len + 1, 1);

	if (at != NULL)
		memcpy(at, s, len + 1);
	return at;
}

/*
 * The distinct members of r in force at `now`, in order: a user may hold a
 * role through several grants, adjacent in the record and naming the same
 * string (the writer's way; a record naming one user by two strings lists
 * it twice, never more than its members). Each name goes to
 * mem[k] when mem is given. The count, or -1 when a name is corrupt.
 */
static long members_in_force(const struct role *r, int64_t now, char **mem, char **p, size_t *left,
			     bool *erange)
{
	struct orgrbac_snap_str last = {UINT32_MAX, UINT32_MAX};
	long k = 0;

	for (uint32_t i = 0; i < r->n_members; i++) {
		struct orgrbac_snap_member m = member_at(r, i);
		const char *name;

		if (!in_window(m.not_before, m.not_after, now))
			continue;
		if (m.name.off == last.off && m.name.len == last.len)
			continue;
		if ((name = rec_str(&r->r, m.name)) == NULL)
			return -1;
		last = m.name;
		if (mem != NULL && (mem[k] = carve_str(p, left, name, m.name.len)) == NULL) {
			*erange = true;
			return k;
		}
		k++;
	}
	return k;
}

/* Fill gr from a checked role record. */
static enum orgrbac_snap_status fill_group(const struct role *r, int64_t now, struct group *gr,
					   char *buf, size_t buflen)
{
	char *p = buf, **mem;
	size_t left = buflen;
	bool erange = false;
	long n = members_in_force(r, now, NULL, NULL, NULL, &erange);

	if (n < 0)
		return ORGRBAC_SNAP_CORRUPT;
	mem = (char **)(void *)carve(&p, &left, ((size_t)n + 1) * sizeof(char *), sizeof(char *));
	if (mem == NULL ||
	    (gr->gr_name = carve_str(&p, &left, r->group, strlen(r->group))) == NULL ||
	    (gr->gr_passwd = carve_str(&p, &left, "x", 1)) == NULL)
		return ORGRBAC_SNAP_ERANGE;
	gr->gr_gid = (gid_t)r->gid;
	n = members_in_force(r, now, mem, &p, &left, &erange);
	if (erange)
		return ORGRBAC_SNAP_ERANGE;
	mem[n] = NULL;
	gr->gr_mem = mem;
	return ORGRBAC_SNAP_OK;
}

static enum orgrbac_snap_status status_of(enum got g)
{
	return g == GOT_NONE ? ORGRBAC_SNAP_NOTFOUND : ORGRBAC_SNAP_CORRUPT;
}

enum orgrbac_snap_status orgrbac_snapshot_group(const struct orgrbac_snapshot *s, size_t idx,
						int64_t now, struct group *gr, char *buf,
						size_t buflen)
{
	struct role r;

	if (idx >= s->h->roles.n)
		return ORGRBAC_SNAP_NOTFOUND;
	if (role_at(s, idx, &r) != GOT_IT)
		return ORGRBAC_SNAP_CORRUPT;
	return fill_group(&r, now, gr, buf, buflen);
}

enum orgrbac_snap_status orgrbac_snapshot_group_by_name(const struct orgrbac_snapshot *s,
							const char *name, int64_t now,
							struct group *gr, char *buf, size_t buflen)
{
	struct role r;
	size_t idx;
	enum got g = find_role_name(s, name, &idx, &r);

	return g == GOT_IT ? fill_group(&r, now, gr, buf, buflen) : status_of(g);
}

enum orgrbac_snap_status orgrbac_snapshot_group_by_gid(const struct orgrbac_snapshot *s,
						       uint32_t gid, int64_t now, struct group *gr,
						       char *buf, size_t buflen)
{
	size_t idx;
	enum got g = find_role_gid(s, gid, &idx);

	return g == GOT_IT ? orgrbac_snapshot_group(s, idx, now, gr, buf, buflen) : status_of(g);
}

/* Room for one more gid in *groups, grown by glibc's rules; false: stop (limit) or NOMEM. */
static bool room(long *start, long *size, gid_t **groups, long limit, bool *nomem)
{
	long newsize;
	gid_t *grown;

	if (*start < *size)
		return true;
	/* glibc's rules, not orgrbac_grow's: *size and limit fix the size. */
	if (limit > 0 && *size >= limit)
		return false; /* the caller asked for no more */
	if (*size > LONG_MAX / 2) {
		*nomem = true;
		return false;
	}
	newsize = *size > 0 ? 2 * *size : 1;
	if (limit > 0 && newsize > limit)
		newsize = limit;
	grown = reallocarray(*groups, (size_t)newsize, sizeof(**groups));
	if (grown == NULL) {
		*nomem = true;
		return false;
	}
	*groups = grown;
	*size = newsize;
	return true;
}

enum orgrbac_snap_status orgrbac_snapshot_initgroups(const struct orgrbac_snapshot *s,
						     const char *user, gid_t skip, int64_t now,
						     long *start, long *size, gid_t **groups,
						     long limit)
{
	struct user u;
	enum got g = find_user(s, user, &u);
	bool nomem = false;

	if (g != GOT_IT)
		return status_of(g);
	if (!in_window(u.h.not_before, u.h.not_after, now))
		return ORGRBAC_SNAP_NOTFOUND;
	for (uint32_t k = 0; k < u.h.n_groups; k++) {
		struct orgrbac_snap_ugroup m = group_at(&u, k);
		gid_t gid = (gid_t)m.gid;
		bool dup = gid == skip;

		if (!in_window(m.not_before, m.not_after, now))
			continue;
		for (long i = 0; i < *start && !dup; i++)
			dup = (*groups)[i] == gid;
		if (dup)
			continue;
		if (!room(start, size, groups, limit, &nomem))
			return nomem ? ORGRBAC_SNAP_NOMEM : ORGRBAC_SNAP_OK;
		(*groups)[(*start)++] = gid;
	}
	return ORGRBAC_SNAP_OK;
}
