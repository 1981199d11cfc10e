/* SPDX-License-Identifier: BSD-2-Clause */
/* The host snapshot's writer: a view in, a new file atomically in place of the old. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "snapshot_format.h"
#include "replace.h"
#include "snapshot_write.h"
#include "snapshot_write_int.h"

bool orgrbac_out_room(struct out *o, size_t end)
{
	unsigned char *p;

	if (o->failed || end > SNAP_FILE_MAX) {
		o->failed = true;
		return false;
	}
	if (end <= o->cap)
		return true;
	p = orgrbac_grow(o->p, &o->cap, end, 1);
	if (p == NULL) {
		o->failed = true;
		return false;
	}
	o->p = p;
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

/* Strings are appended once each; a view has few distinct ones besides names. */
static uint32_t out_string(struct out *o, size_t strings_at, const char *s)
{
	size_t n = strlen(s) + 1, at = o->len;

	if (!orgrbac_out_room(o, o->len + n))
		return 0;
	memcpy(o->p + at, s, n);
	o->len += n;
	return (uint32_t)(at - strings_at);
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

static int cmp_by_user(const void *a, const void *b, void *ctx)
{
	const struct orgrbac_snap_member *mem = ctx;
	const struct orgrbac_snap_member *x = &mem[*(const uint32_t *)a];
	const struct orgrbac_snap_member *y = &mem[*(const uint32_t *)b];

	if (x->user != y->user)
		return x->user < y->user ? -1 : 1;
	if (x->role != y->role)
		return x->role < y->role ? -1 : 1;
	return 0;
}

static int cmp_by_name(const void *a, const void *b, void *ctx)
{
	const struct orgrbac_view_role *roles = ctx;

	return strcmp(roles[*(const uint32_t *)a].group, roles[*(const uint32_t *)b].group);
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

/* The view's records in the file's order: members by role then user, and the two indexes. */
struct tables {
	size_t *um, *rm; /* the view's user and role indexes -> sorted positions */
	struct orgrbac_snap_member *mem;
	uint32_t *by_user, *by_name;
	size_t n_privs;
};

/* Where each section starts in the output. */
struct layout {
	size_t users, roles, by_name, members, by_user, privs, strings, strings_end;
};

static void tables_free(struct tables *t)
{
	free(t->um);
	free(t->rm);
	free(t->mem);
	free(t->by_user);
	free(t->by_name);
}

/* Sort the view and lay out its records; -1 with err. */
static int tables_make(struct orgrbac_view *v, struct tables *t, orgrbac_error *err)
{
	memset(t, 0, sizeof(*t));
	if (view_prepare(v, &t->um, &t->rm, err) != 0)
		return -1;
	for (size_t i = 0; i < v->n_roles; i++) {
		if (v->roles[i].n_privileges > UINT32_MAX / 4 - t->n_privs) {
			orgrbac_seterr(err, "snapshot: too many privileges");
			return -1;
		}
		t->n_privs += v->roles[i].n_privileges;
	}
	t->mem = calloc(v->n_members + 1, sizeof(*t->mem));
	t->by_user = calloc(v->n_members + 1, sizeof(*t->by_user));
	t->by_name = calloc(v->n_roles + 1, sizeof(*t->by_name));
	if (t->mem == NULL || t->by_user == NULL || t->by_name == NULL) {
		orgrbac_seterr(err, "snapshot: out of memory");
		return -1;
	}
	for (size_t i = 0; i < v->n_members; i++) {
		t->mem[i].role = (uint32_t)t->rm[v->members[i].role];
		t->mem[i].user = (uint32_t)t->um[v->members[i].user];
		t->mem[i].not_before = v->members[i].not_before;
		t->mem[i].not_after = v->members[i].not_after;
	}
	qsort(t->mem, v->n_members, sizeof(*t->mem), orgrbac_snap_cmp_member);
	for (size_t i = 0; i < v->n_members; i++)
		t->by_user[i] = (uint32_t)i;
	qsort_r(t->by_user, v->n_members, sizeof(*t->by_user), cmp_by_user, t->mem);
	for (size_t i = 0; i < v->n_roles; i++)
		t->by_name[i] = (uint32_t)i;
	qsort_r(t->by_name, v->n_roles, sizeof(*t->by_name), cmp_by_name, v->roles);
	for (size_t i = 1; i < v->n_roles; i++)
		if (strcmp(v->roles[t->by_name[i - 1]].group, v->roles[t->by_name[i]].group) == 0) {
			orgrbac_seterr(err, "snapshot: group %s appears twice",
				       v->roles[t->by_name[i]].group);
			return -1;
		}
	return 0;
}

/* The user records, each with its range of members-by-user and its name. */
static void put_users(struct out *o, const struct orgrbac_view *v, const struct tables *t,
		      const struct layout *at)
{
	size_t k = 0;

	for (size_t i = 0; i < v->n_users; i++) {
		struct orgrbac_snap_user r = {0};

		r.flags = (v->users[i].external ? SNAP_USER_EXTERNAL : 0) |
			  (v->users[i].foreign ? SNAP_USER_FOREIGN : 0);
		r.not_before = v->users[i].not_before;
		r.not_after = v->users[i].not_after;
		r.first = (uint32_t)k;
		while (k < v->n_members && t->mem[t->by_user[k]].user == i)
			k++;
		r.count = (uint32_t)(k - r.first);
		r.name = out_string(o, at->strings, v->users[i].name);
		/* o->p may have moved */
		if (!o->failed)
			memcpy(o->p + at->users + i * SNAP_USER_SIZE, &r, sizeof(r));
	}
}

/* The role records with their names and privileges; members are already in role order. */
static void put_roles(struct out *o, const struct orgrbac_view *v, const struct tables *t,
		      const struct layout *at)
{
	size_t k = 0, p = 0;

	for (size_t i = 0; i < v->n_roles; i++) {
		struct orgrbac_snap_role r = {0};

		r.gid = v->roles[i].gid;
		r.member_first = (uint32_t)k;
		while (k < v->n_members && t->mem[k].role == i)
			k++;
		r.member_count = (uint32_t)(k - r.member_first);
		r.priv_first = (uint32_t)p;
		r.priv_count = (uint32_t)v->roles[i].n_privileges;
		r.group = out_string(o, at->strings, v->roles[i].group);
		r.cn = out_string(o, at->strings, v->roles[i].cn != NULL ? v->roles[i].cn : "");
		for (size_t j = 0; j < v->roles[i].n_privileges; j++, p++) {
			uint32_t off = out_string(o, at->strings, v->roles[i].privileges[j]);

			if (!o->failed)
				memcpy(o->p + at->privs + p * 4, &off, 4);
		}
		if (!o->failed)
			memcpy(o->p + at->roles + i * SNAP_ROLE_SIZE, &r, sizeof(r));
	}
}

/* The header; the decision part's fields are in *h already. */
static void put_header(struct out *o, const struct orgrbac_view *v, const struct tables *t,
		       const struct layout *at, struct orgrbac_snap_header *hp, uint64_t generation,
		       int64_t synced_at, int64_t max_age)
{
	struct orgrbac_snap_header h = *hp;

	memcpy(h.magic, SNAP_MAGIC, 8);
	h.version = SNAP_VERSION;
	h.header_size = SNAP_HEADER_SIZE;
	h.file_size = o->len;
	h.generation = generation;
	h.synced_at = synced_at;
	h.max_age = max_age;
	h.strings = (struct orgrbac_snap_section){(uint32_t)at->strings,
						  (uint32_t)(at->strings_end - at->strings)};
	h.users = (struct orgrbac_snap_section){(uint32_t)at->users, (uint32_t)v->n_users};
	h.roles = (struct orgrbac_snap_section){(uint32_t)at->roles, (uint32_t)v->n_roles};
	h.by_name = (struct orgrbac_snap_section){(uint32_t)at->by_name, (uint32_t)v->n_roles};
	h.members = (struct orgrbac_snap_section){(uint32_t)at->members, (uint32_t)v->n_members};
	h.by_user = (struct orgrbac_snap_section){(uint32_t)at->by_user, (uint32_t)v->n_members};
	h.privs = (struct orgrbac_snap_section){(uint32_t)at->privs, (uint32_t)t->n_privs};
	memcpy(o->p, &h, sizeof(h));
	/* The group part only: the decision part's records carry their own. */
	h.checksum = orgrbac_snap_checksum(o->p + 32, h.principals.off - 32);
	memcpy(o->p, &h, sizeof(h));
}

static int build(struct orgrbac_view *v, uint64_t generation, int64_t synced_at, int64_t max_age,
		 struct out *o, orgrbac_error *err)
{
	struct tables t;
	struct layout at;
	struct orgrbac_snap_header h;
	int rc = -1;

	memset(&h, 0, sizeof(h));
	if (tables_make(v, &t, err) != 0)
		goto out;
	orgrbac_out_reserve(o, SNAP_HEADER_SIZE);
	at.users = orgrbac_out_reserve(o, v->n_users * SNAP_USER_SIZE);
	at.roles = orgrbac_out_reserve(o, v->n_roles * SNAP_ROLE_SIZE);
	at.by_name = orgrbac_out_reserve(o, v->n_roles * 4);
	at.members = orgrbac_out_reserve(o, v->n_members * SNAP_MEMBER_SIZE);
	at.by_user = orgrbac_out_reserve(o, v->n_members * 4);
	at.privs = orgrbac_out_reserve(o, t.n_privs * 4);
	at.strings = orgrbac_out_reserve(o, 1); /* offset 0: the empty string */
	if (!o->failed)
		put_users(o, v, &t, &at);
	if (!o->failed)
		put_roles(o, v, &t, &at);
	/* Pad to 8 so that the checksum's words and the file size agree with the reader. */
	orgrbac_out_reserve(o, 0);
	at.strings_end = o->len;
	if (o->failed || o->len - at.strings > UINT32_MAX) {
		orgrbac_seterr(err, "snapshot: larger than %lu bytes or out of memory",
			       SNAP_FILE_MAX);
		goto out;
	}
	memcpy(o->p + at.by_name, t.by_name, v->n_roles * 4);
	memcpy(o->p + at.members, t.mem, v->n_members * SNAP_MEMBER_SIZE);
	memcpy(o->p + at.by_user, t.by_user, v->n_members * 4);
	if (orgrbac_snap_put_facts(o, v, &h, err) != 0)
		goto out;
	put_header(o, v, &t, &at, &h, generation, synced_at, max_age);
	rc = 0;
out:
	tables_free(&t);
	return rc;
}

int orgrbac_snapshot_write(const char *path, struct orgrbac_view *v, uint64_t generation,
			   int64_t synced_at, int64_t max_age, orgrbac_error *err)
{
	struct out o = {0};
	int rc = -1;

	if (build(v, generation, synced_at, max_age, &o, err) == 0)
		rc = orgrbac_replace_file(path, o.p, o.len, 0644, err);
	free(o.p);
	return rc;
}
