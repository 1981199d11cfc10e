/* SPDX-License-Identifier: BSD-2-Clause */
/* The host snapshot's writer: a view in, a new file atomically in place of the old. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "snapshot_format.h"
#include "replace.h"
#include "snapshot_write.h"
#include "snapshot_write_int.h"

/*
 * A mapped file grows by doubling from 64 kB, at most 16 MB at a time, so
 * that a small snapshot asks the file system for little room more than its
 * size; the pages behind the writer leave its memory at each 16 MB.
 */
#define OUT_FIRST (64UL * 1024)
#define OUT_STEP  (16UL * 1024 * 1024)

/* The mapped file grown to hold `end` bytes, its blocks allocated (no SIGBUS on a full disk). */
static bool map_grow(struct out *o, size_t end)
{
	size_t ncap = o->cap != 0 ? o->cap : OUT_FIRST, behind;
	int e;

	while (ncap < end && ncap < SNAP_FILE_MAX)
		ncap += ncap < OUT_STEP ? ncap : OUT_STEP;
	if (ncap > SNAP_FILE_MAX)
		ncap = SNAP_FILE_MAX;
	e = posix_fallocate(o->fd, (off_t)o->cap, (off_t)(ncap - o->cap));
	if (e != 0) {
		o->errnum = e;
		return false;
	}
	o->cap = ncap;
	/*
	 * The pages written so far are in the page cache, and stay there (dirty)
	 * when the mapping lets them go: a later touch reads them back.
	 */
	behind = o->len / OUT_STEP * OUT_STEP;
	if (behind > o->dropped && madvise(o->p, behind, MADV_DONTNEED) == 0)
		o->dropped = behind;
	return true;
}

/* The heap buffer grown, doubling; the new bytes are not cleared (reserve clears its own). */
static bool heap_grow(struct out *o, size_t end)
{
	size_t ncap = o->cap != 0 ? o->cap : 4096;
	unsigned char *p;

	while (ncap < end)
		ncap = ncap > SNAP_FILE_MAX / 2 ? SNAP_FILE_MAX : ncap * 2;
	p = realloc(o->p, ncap);
	if (p == NULL)
		return false;
	o->p = p;
	o->cap = ncap;
	return true;
}

bool orgrbac_out_room(struct out *o, size_t end)
{
	if (o->failed || end > SNAP_FILE_MAX) {
		o->failed = true;
		return false;
	}
	if (end <= o->cap)
		return true;
	if (!(o->mapped ? map_grow(o, end) : heap_grow(o, end))) {
		o->failed = true;
		return false;
	}
	return true;
}

size_t orgrbac_out_reserve(struct out *o, size_t n)
{
	size_t at = (o->len + 7) & ~(size_t)7;

	/* n is checked alone first, so that at + n cannot wrap. */
	if (!orgrbac_out_room(o, n > SNAP_FILE_MAX ? SIZE_MAX : at + n))
		return 0;
	memset(o->p + o->len, 0, at + n - o->len);
	o->len = at + n;
	return at;
}

static int cmp_user(const void *a, const void *b)
{
	return strcmp(((const struct orgrbac_view_user *)a)->name,
		      ((const struct orgrbac_view_user *)b)->name);
}

static int cmp_role(const void *a, const void *b)
{
	uint32_t x = ((const struct orgrbac_view_role *)a)->gid;
	uint32_t y = ((const struct orgrbac_view_role *)b)->gid;

	return x < y ? -1 : x > y;
}

/* A membership between sorted positions. */
struct wmember {
	uint32_t role, user;
	int64_t not_before, not_after;
};

/* Members by role, then user: each role's record lists its members in name order. */
static int cmp_member(const void *a, const void *b)
{
	const struct wmember *x = a, *y = b;

	if (x->role != y->role)
		return x->role < y->role ? -1 : 1;
	if (x->user != y->user)
		return x->user < y->user ? -1 : 1;
	return 0;
}

static int cmp_by_user(const void *a, const void *b, void *ctx)
{
	const struct wmember *mem = ctx;
	const struct wmember *x = &mem[*(const uint32_t *)a];
	const struct wmember *y = &mem[*(const uint32_t *)b];

	if (x->user != y->user)
		return x->user < y->user ? -1 : 1;
	if (x->role != y->role)
		return x->role < y->role ? -1 : 1;
	return 0;
}

/* Names by hash, then by name: the order of the users' index and the roles' by name. */
struct hashed {
	uint64_t hash;
	const char *name;
	uint32_t i;
};

static int cmp_hashed(const void *a, const void *b)
{
	const struct hashed *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Sort the view and check what the reader will check; -1 with err. */
static int view_prepare(struct orgrbac_view *v, size_t **user_map, size_t **role_map,
			orgrbac_error *err)
{
	size_t *um = NULL, *rm = NULL;
	char **unames = NULL;
	uint32_t *gids = NULL;

	if (v->n_users > UINT32_MAX / 2 || v->n_roles > UINT32_MAX / 2 ||
	    v->n_members > UINT32_MAX / 2) {
		orgrbac_seterr(err, "snapshot: too many entries");
		return -1;
	}
	/* Remember old positions by name and gid, sort, then map old -> new. */
	unames = calloc(v->n_users + 1, sizeof(*unames));
	gids = calloc(v->n_roles + 1, sizeof(*gids));
	um = calloc(v->n_users + 1, sizeof(*um));
	rm = calloc(v->n_roles + 1, sizeof(*rm));
	if (unames == NULL || gids == NULL || um == NULL || rm == NULL)
		goto nomem;
	for (size_t i = 0; i < v->n_users; i++)
		unames[i] = v->users[i].name;
	for (size_t i = 0; i < v->n_roles; i++)
		gids[i] = v->roles[i].gid;
	/* An empty view may have no arrays at all, which qsort must not see. */
	if (v->n_users > 0)
		qsort(v->users, v->n_users, sizeof(*v->users), cmp_user);
	if (v->n_roles > 0)
		qsort(v->roles, v->n_roles, sizeof(*v->roles), cmp_role);
	for (size_t i = 0; i < v->n_users; i++) {
		struct orgrbac_view_user key = {.name = unames[i]};
		struct orgrbac_view_user *u =
		    bsearch(&key, v->users, v->n_users, sizeof(*v->users), cmp_user);

		um[i] = (size_t)(u - v->users);
		if (i > 0 && strcmp(v->users[i - 1].name, v->users[i].name) == 0) {
			orgrbac_seterr(err, "snapshot: user %s appears twice", v->users[i].name);
			goto fail;
		}
	}
	for (size_t i = 0; i < v->n_roles; i++) {
		struct orgrbac_view_role key = {.gid = gids[i]};
		struct orgrbac_view_role *r =
		    bsearch(&key, v->roles, v->n_roles, sizeof(*v->roles), cmp_role);

		rm[i] = (size_t)(r - v->roles);
		if (i > 0 && v->roles[i - 1].gid == v->roles[i].gid) {
			orgrbac_seterr(err, "snapshot: gid %u appears twice", v->roles[i].gid);
			goto fail;
		}
		if (v->roles[i].group == NULL || v->roles[i].group[0] == '\0' ||
		    strlen(v->roles[i].group) > ORGRBAC_GROUP_NAME_MAX) {
			orgrbac_seterr(err, "snapshot: gid %u has no usable group name",
				       v->roles[i].gid);
			goto fail;
		}
	}
	for (size_t i = 0; i < v->n_members; i++)
		if (v->members[i].user >= v->n_users || v->members[i].role >= v->n_roles) {
			orgrbac_seterr(err, "snapshot: membership %zu out of range", i);
			goto fail;
		}
	free(unames);
	free(gids);
	*user_map = um;
	*role_map = rm;
	return 0;
nomem:
	orgrbac_seterr(err, "snapshot: out of memory");
fail:
	free(unames);
	free(gids);
	free(um);
	free(rm);
	return -1;
}

/* The view's records in the file's order: members by role then user, and by user then role. */
struct tables {
	size_t *um, *rm; /* the view's user and role indexes -> sorted positions */
	struct wmember *mem;
	uint32_t *by_user;
	uint32_t *role_off, *role_len, *user_off, *user_len; /* records, in the records */
	uint64_t *role_sum, *user_sum;
};

/* Where each section starts in the output. */
struct layout {
	size_t users, roles, by_name, sums, regions, regions_end;
	size_t n_sums;
};

static void tables_free(struct tables *t)
{
	free(t->um);
	free(t->rm);
	free(t->mem);
	free(t->by_user);
	free(t->role_off);
	free(t->role_len);
	free(t->user_off);
	free(t->user_len);
	free(t->role_sum);
	free(t->user_sum);
}

/* Sort the view and order its memberships; -1 with err. */
static int tables_make(struct orgrbac_view *v, struct tables *t, orgrbac_error *err)
{
	memset(t, 0, sizeof(*t));
	if (view_prepare(v, &t->um, &t->rm, err) != 0)
		return -1;
	t->mem = calloc(v->n_members + 1, sizeof(*t->mem));
	t->by_user = calloc(v->n_members + 1, sizeof(*t->by_user));
	t->role_off = calloc(v->n_roles + 1, sizeof(uint32_t));
	t->role_len = calloc(v->n_roles + 1, sizeof(uint32_t));
	t->role_sum = calloc(v->n_roles + 1, sizeof(uint64_t));
	t->user_off = calloc(v->n_users + 1, sizeof(uint32_t));
	t->user_len = calloc(v->n_users + 1, sizeof(uint32_t));
	t->user_sum = calloc(v->n_users + 1, sizeof(uint64_t));
	if (t->mem == NULL || t->by_user == NULL || t->role_off == NULL || t->role_len == NULL ||
	    t->role_sum == NULL || t->user_off == NULL || t->user_len == NULL ||
	    t->user_sum == NULL) {
		orgrbac_seterr(err, "snapshot: out of memory");
		return -1;
	}
	for (size_t i = 0; i < v->n_members; i++) {
		t->mem[i].role = (uint32_t)t->rm[v->members[i].role];
		t->mem[i].user = (uint32_t)t->um[v->members[i].user];
		t->mem[i].not_before = v->members[i].not_before;
		t->mem[i].not_after = v->members[i].not_after;
	}
	if (v->n_members > 0)
		qsort(t->mem, v->n_members, sizeof(*t->mem), cmp_member);
	for (size_t i = 0; i < v->n_members; i++)
		t->by_user[i] = (uint32_t)i;
	qsort_r(t->by_user, v->n_members, sizeof(*t->by_user), cmp_by_user, t->mem);
	return 0;
}

/* A string of a record at `*at` (from the record's start), its reference in `ref`. */
static void rec_put_str(unsigned char *rec, size_t *at, const char *s, struct orgrbac_snap_str *ref)
{
	size_t n = strlen(s);

	ref->off = (uint32_t)*at;
	ref->len = (uint32_t)n;
	memcpy(rec + *at, s, n + 1);
	*at += n + 1;
}

/* Reserve a record of `len` bytes in the records; its offset there, or 0 with o->failed. */
static size_t rec_reserve(struct out *o, const struct layout *at, size_t len, uint32_t *off,
			  uint32_t *len32)
{
	size_t where = orgrbac_out_reserve(o, len);

	if (o->failed || len > UINT32_MAX)
		return o->failed = true, 0;
	*off = (uint32_t)(where - at->regions);
	*len32 = (uint32_t)len;
	return where;
}

/* Role i's record: head, members [first, end) of t->mem, privileges, strings. */
static void put_role(struct out *o, const struct orgrbac_view *v, struct tables *t,
		     const struct layout *at, size_t i, size_t first, size_t end)
{
	const struct orgrbac_view_role *vr = &v->roles[i];
	const char *cn = vr->cn != NULL ? vr->cn : "";
	size_t nm = end - first, len, where, pos;
	struct orgrbac_snap_rhead h = {0};
	struct orgrbac_snap_str *privs, name = {0, 0};
	unsigned char *rec;

	len = SNAP_RHEAD_SIZE + nm * SNAP_MEMBER_SIZE +
	      vr->n_privileges * sizeof(struct orgrbac_snap_str) + strlen(vr->group) + 1 +
	      strlen(cn) + 1;
	for (size_t j = 0; j < vr->n_privileges; j++)
		len += strlen(vr->privileges[j]) + 1;
	for (size_t k = first; k < end; k++)
		if (k == first || t->mem[k].user != t->mem[k - 1].user)
			len += strlen(v->users[t->mem[k].user].name) + 1;
	where = rec_reserve(o, at, len, &t->role_off[i], &t->role_len[i]);
	if (o->failed)
		return;
	rec = o->p + where;
	h.gid = vr->gid;
	h.n_members = (uint32_t)nm;
	h.n_privileges = (uint32_t)vr->n_privileges;
	pos = SNAP_RHEAD_SIZE + nm * SNAP_MEMBER_SIZE +
	      vr->n_privileges * sizeof(struct orgrbac_snap_str);
	rec_put_str(rec, &pos, vr->group, &h.group);
	rec_put_str(rec, &pos, cn, &h.cn);
	memcpy(rec, &h, sizeof(h));
	privs = calloc(vr->n_privileges + 1, sizeof(*privs));
	if (privs == NULL) {
		o->failed = true;
		return;
	}
	for (size_t j = 0; j < vr->n_privileges; j++)
		rec_put_str(rec, &pos, vr->privileges[j], &privs[j]);
	memcpy(rec + SNAP_RHEAD_SIZE + nm * SNAP_MEMBER_SIZE, privs,
	       vr->n_privileges * sizeof(*privs));
	free(privs);
	for (size_t k = first; k < end; k++) {
		const struct orgrbac_view_user *u = &v->users[t->mem[k].user];
		struct orgrbac_snap_member m;
		bool again = k > first && t->mem[k].user == t->mem[k - 1].user;

		/* in force when both are: the window within the user's external one */
		m.not_before =
		    t->mem[k].not_before > u->not_before ? t->mem[k].not_before : u->not_before;
		m.not_after =
		    t->mem[k].not_after < u->not_after ? t->mem[k].not_after : u->not_after;
		/* a user holding the role twice: the same string, which the reader counts once */
		if (again)
			m.name = name;
		else
			rec_put_str(rec, &pos, u->name, &m.name);
		name = m.name;
		memcpy(rec + SNAP_RHEAD_SIZE + (k - first) * SNAP_MEMBER_SIZE, &m, sizeof(m));
	}
	t->role_sum[i] = orgrbac_snap_region_sum(rec, where, len);
}

/* User i's record: head, its memberships [first, end) of t->by_user (by gid), its name. */
static void put_user(struct out *o, const struct orgrbac_view *v, struct tables *t,
		     const struct layout *at, size_t i, size_t first, size_t end)
{
	const struct orgrbac_view_user *vu = &v->users[i];
	size_t ng = end - first, pos = SNAP_UHEAD_SIZE + ng * SNAP_GROUP_SIZE;
	size_t len = pos + strlen(vu->name) + 1, where;
	struct orgrbac_snap_uhead h = {0};
	unsigned char *rec;

	where = rec_reserve(o, at, len, &t->user_off[i], &t->user_len[i]);
	if (o->failed)
		return;
	rec = o->p + where;
	h.flags = (vu->external ? SNAP_USER_EXTERNAL : 0) | (vu->foreign ? SNAP_USER_FOREIGN : 0);
	h.n_groups = (uint32_t)ng;
	h.not_before = vu->not_before;
	h.not_after = vu->not_after;
	rec_put_str(rec, &pos, vu->name, &h.name);
	memcpy(rec, &h, sizeof(h));
	for (size_t k = first; k < end; k++) {
		const struct wmember *m = &t->mem[t->by_user[k]];
		struct orgrbac_snap_ugroup g = {0};

		g.not_before = m->not_before;
		g.not_after = m->not_after;
		g.gid = v->roles[m->role].gid;
		memcpy(rec + SNAP_UHEAD_SIZE + (k - first) * SNAP_GROUP_SIZE, &g, sizeof(g));
	}
	t->user_sum[i] = orgrbac_snap_region_sum(rec, where, len);
}

/* Every record: the roles' in gid order, then the users' in name order. */
static void put_records(struct out *o, const struct orgrbac_view *v, struct tables *t,
			const struct layout *at)
{
	size_t k = 0;

	for (size_t i = 0; i < v->n_roles && !o->failed; i++) {
		size_t first = k;

		while (k < v->n_members && t->mem[k].role == i)
			k++;
		put_role(o, v, t, at, i, first, k);
	}
	k = 0;
	for (size_t i = 0; i < v->n_users && !o->failed; i++) {
		size_t first = k;

		while (k < v->n_members && t->mem[t->by_user[k]].user == i)
			k++;
		put_user(o, v, t, at, i, first, k);
	}
}

/* `n` names sorted by hash then name; the second of two alike, or NULL. */
static const char *hash_order(struct hashed *h, size_t n)
{
	if (n > 0)
		qsort(h, n, sizeof(*h), cmp_hashed);
	for (size_t i = 1; i < n; i++)
		if (h[i - 1].hash == h[i].hash && strcmp(h[i - 1].name, h[i].name) == 0)
			return h[i].name;
	return NULL;
}

/* The users' index and the roles' table and index by name; -1 with err. */
static int put_tables(struct out *o, const struct orgrbac_view *v, const struct tables *t,
		      const struct layout *at, orgrbac_error *err)
{
	size_t n = v->n_users > v->n_roles ? v->n_users : v->n_roles;
	struct hashed *h = calloc(n + 1, sizeof(*h));
	const char *twice;

	if (h == NULL)
		return orgrbac_seterr(err, "snapshot: out of memory"), -1;
	for (size_t i = 0; i < v->n_users; i++)
		h[i] = (struct hashed){orgrbac_snap_name_hash(v->users[i].name), v->users[i].name,
				       (uint32_t)i};
	(void)hash_order(h, v->n_users); /* names are unique: view_prepare checked */
	for (size_t k = 0; k < v->n_users; k++) {
		size_t i = h[k].i;
		struct orgrbac_snap_user e = {h[k].hash, t->user_sum[i], t->user_off[i],
					      t->user_len[i]};

		memcpy(o->p + at->users + k * SNAP_USER_SIZE, &e, sizeof(e));
	}
	for (size_t i = 0; i < v->n_roles; i++) {
		struct orgrbac_snap_role e = {v->roles[i].gid, 0, t->role_off[i], t->role_len[i],
					      t->role_sum[i]};

		memcpy(o->p + at->roles + i * SNAP_ROLE_SIZE, &e, sizeof(e));
		h[i] = (struct hashed){orgrbac_snap_name_hash(v->roles[i].group), v->roles[i].group,
				       (uint32_t)i};
	}
	if ((twice = hash_order(h, v->n_roles)) != NULL) {
		orgrbac_seterr(err, "snapshot: group %s appears twice", twice);
		free(h);
		return -1;
	}
	for (size_t k = 0; k < v->n_roles; k++) {
		struct orgrbac_snap_name e = {h[k].hash, h[k].i, 0};

		memcpy(o->p + at->by_name + k * SNAP_NAME_SIZE, &e, sizeof(e));
	}
	free(h);
	return 0;
}

/* One table's block checksums, from sums[*k] on. */
static void put_table_sums(struct out *o, size_t off, size_t n, size_t size, size_t sums, size_t *k)
{
	for (size_t first = 0; first < n; first += SNAP_BLOCK, (*k)++) {
		size_t bytes = (n - first < SNAP_BLOCK ? n - first : SNAP_BLOCK) * size;
		uint64_t sum =
		    orgrbac_snap_region_sum(o->p + off + first * size, off + first * size, bytes);

		memcpy(o->p + sums + *k * 8, &sum, 8);
	}
}

static size_t n_blocks(size_t n)
{
	return (n + SNAP_BLOCK - 1) / SNAP_BLOCK;
}

/* The header; the decision part's fields are in *h already. */
static void put_header(struct out *o, const struct orgrbac_view *v, const struct layout *at,
		       struct orgrbac_snap_header *hp, uint64_t generation, int64_t synced_at,
		       int64_t max_age)
{
	struct orgrbac_snap_header h = *hp;

	memcpy(h.magic, SNAP_MAGIC, 8);
	h.version = SNAP_VERSION;
	h.header_size = SNAP_HEADER_SIZE;
	h.file_size = o->len;
	h.generation = generation;
	h.synced_at = synced_at;
	h.max_age = max_age;
	h.regions = (struct orgrbac_snap_section){(uint32_t)at->regions,
						  (uint32_t)(at->regions_end - at->regions)};
	h.users = (struct orgrbac_snap_section){(uint32_t)at->users, (uint32_t)v->n_users};
	h.roles = (struct orgrbac_snap_section){(uint32_t)at->roles, (uint32_t)v->n_roles};
	h.by_name = (struct orgrbac_snap_section){(uint32_t)at->by_name, (uint32_t)v->n_roles};
	h.sums = (struct orgrbac_snap_section){(uint32_t)at->sums, (uint32_t)at->n_sums};
	h.members = (uint32_t)v->n_members;
	memcpy(o->p, &h, sizeof(h));
	/* The header alone: the tables' blocks and every record carry their own. */
	h.checksum =
	    orgrbac_snap_checksum(o->p + SNAP_HEADER_SUMMED, SNAP_HEADER_SIZE - SNAP_HEADER_SUMMED);
	memcpy(o->p, &h, sizeof(h));
}

static int build(struct orgrbac_view *v, struct orgrbac_snap_records *rec, uint64_t generation,
		 int64_t synced_at, int64_t max_age, struct out *o, orgrbac_error *err)
{
	struct tables t;
	struct layout at;
	struct orgrbac_snap_header h;
	size_t k = 0;
	int rc = -1;

	memset(&h, 0, sizeof(h));
	if (tables_make(v, &t, err) != 0)
		goto out;
	at.n_sums = n_blocks(v->n_users) + 2 * n_blocks(v->n_roles);
	orgrbac_out_reserve(o, SNAP_HEADER_SIZE);
	at.users = orgrbac_out_reserve(o, v->n_users * SNAP_USER_SIZE);
	at.roles = orgrbac_out_reserve(o, v->n_roles * SNAP_ROLE_SIZE);
	at.by_name = orgrbac_out_reserve(o, v->n_roles * SNAP_NAME_SIZE);
	at.sums = orgrbac_out_reserve(o, at.n_sums * 8);
	at.regions = orgrbac_out_reserve(o, 0);
	put_records(o, v, &t, &at);
	orgrbac_out_reserve(o, 0); /* pad to 8 */
	at.regions_end = o->len;
	if (o->failed || at.regions_end > UINT32_MAX) {
		orgrbac_seterr(err, "snapshot: larger than %lu bytes or out of memory",
			       SNAP_FILE_MAX);
		goto out;
	}
	if (put_tables(o, v, &t, &at, err) != 0)
		goto out;
	put_table_sums(o, at.users, v->n_users, SNAP_USER_SIZE, at.sums, &k);
	put_table_sums(o, at.roles, v->n_roles, SNAP_ROLE_SIZE, at.sums, &k);
	put_table_sums(o, at.by_name, v->n_roles, SNAP_NAME_SIZE, at.sums, &k);
	if (orgrbac_snap_put_facts(o, v, rec, &h, err) != 0)
		goto out;
	put_header(o, v, &at, &h, generation, synced_at, max_age);
	rc = 0;
out:
	tables_free(&t);
	return rc;
}

/* o as a shared mapping of the file open on fd, empty; -1 with err. */
static int out_map(struct out *o, int fd, const char *name, orgrbac_error *err)
{
	void *p = mmap(NULL, SNAP_FILE_MAX, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED) {
		orgrbac_seterr(err, "%s: cannot map: %s", name, strerror(errno));
		return -1;
	}
	*o = (struct out){.p = p, .mapped = true, .fd = fd};
	return 0;
}

/*
 * The snapshot is built in place in its temporary file, through a mapping:
 * no copy of it on the heap, nor a write of it.
 */
int orgrbac_snapshot_write(const char *path, struct orgrbac_view *v, uint64_t generation,
			   int64_t synced_at, int64_t max_age, orgrbac_error *err)
{
	return orgrbac_snapshot_write_sealed(path, v, NULL, generation, synced_at, max_age, err);
}

int orgrbac_snapshot_write_sealed(const char *path, struct orgrbac_view *v,
				  struct orgrbac_snap_records *rec, uint64_t generation,
				  int64_t synced_at, int64_t max_age, orgrbac_error *err)
{
	struct orgrbac_replace r;
	struct out o;
	int rc;

	if (orgrbac_replace_begin(&r, path, 0644, err) != 0)
		return -1;
	if (out_map(&o, r.fd, r.tmp, err) != 0) {
		orgrbac_replace_abort(&r);
		return -1;
	}
	rc = build(v, rec, generation, synced_at, max_age, &o, err);
	munmap(o.p, SNAP_FILE_MAX);
	if (rc != 0 && o.errnum != 0)
		orgrbac_seterr(err, "%s: cannot write: %s", r.tmp, strerror(o.errnum));
	if (rc == 0 && ftruncate(r.fd, (off_t)o.len) != 0) {
		orgrbac_seterr(err, "%s: cannot write: %s", r.tmp, strerror(errno));
		rc = -1;
	}
	if (rc != 0) {
		orgrbac_replace_abort(&r);
		return -1;
	}
	return orgrbac_replace_commit(&r, err);
}
