/* SPDX-License-Identifier: BSD-2-Clause */
/* The host snapshot's writer: a view in, a new file atomically in place of the old. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "snapshot.h"
#include "snapshot_write.h"
#include "snapshot_format.h"

/* A growing byte buffer with a hard bound. */
struct out {
	unsigned char *p;
	size_t len, cap;
	bool failed;
};

static size_t out_reserve(struct out *o, size_t n)
{
	size_t at = (o->len + 7) & ~(size_t)7;

	if (o->failed || n > ORGRBAC_SNAPSHOT_MAX || at + n > ORGRBAC_SNAPSHOT_MAX) {
		o->failed = true;
		return 0;
	}
	if (at + n > o->cap) {
		size_t cap = o->cap == 0 ? 4096 : o->cap;
		unsigned char *p;

		while (cap < at + n)
			cap *= 2;
		p = realloc(o->p, cap);
		if (p == NULL) {
			o->failed = true;
			return 0;
		}
		o->p = p;
		o->cap = cap;
	}
	memset(o->p + o->len, 0, at + n - o->len);
	o->len = at + n;
	return at;
}

/* Strings are appended once each; a view has few distinct ones besides names. */
static uint32_t out_string(struct out *o, size_t strings_at, const char *s)
{
	size_t n = strlen(s) + 1, at;

	if (o->failed || o->len + n > ORGRBAC_SNAPSHOT_MAX) {
		o->failed = true;
		return 0;
	}
	if (o->len + n > o->cap) {
		size_t cap = o->cap;
		unsigned char *p;

		while (cap < o->len + n)
			cap *= 2;
		p = realloc(o->p, cap);
		if (p == NULL) {
			o->failed = true;
			return 0;
		}
		o->p = p;
		o->cap = cap;
	}
	at = o->len;
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
	const struct rec_member *mem = ctx;
	const struct rec_member *x = &mem[*(const uint32_t *)a];
	const struct rec_member *y = &mem[*(const uint32_t *)b];

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

static int build(struct orgrbac_view *v, uint64_t generation, int64_t synced_at, int64_t max_age,
		 struct out *o, orgrbac_error *err)
{
	size_t *um = NULL, *rm = NULL, n_privs = 0, at_users, at_roles, at_name, at_members,
	       at_by_user, at_privs, at_strings;
	struct rec_member *mem = NULL;
	uint32_t *by_user = NULL, *by_name = NULL;
	struct header h;
	int rc = -1;

	if (view_prepare(v, &um, &rm, err) != 0)
		return -1;
	for (size_t i = 0; i < v->n_roles; i++) {
		if (v->roles[i].n_privileges > UINT32_MAX / 4 - n_privs) {
			orgrbac_seterr(err, "snapshot: too many privileges");
			goto out;
		}
		n_privs += v->roles[i].n_privileges;
	}
	mem = calloc(v->n_members + 1, sizeof(*mem));
	by_user = calloc(v->n_members + 1, sizeof(*by_user));
	by_name = calloc(v->n_roles + 1, sizeof(*by_name));
	if (mem == NULL || by_user == NULL || by_name == NULL) {
		orgrbac_seterr(err, "snapshot: out of memory");
		goto out;
	}
	for (size_t i = 0; i < v->n_members; i++) {
		mem[i].role = (uint32_t)rm[v->members[i].role];
		mem[i].user = (uint32_t)um[v->members[i].user];
		mem[i].not_before = v->members[i].not_before;
		mem[i].not_after = v->members[i].not_after;
	}
	qsort(mem, v->n_members, sizeof(*mem), cmp_member);
	for (size_t i = 0; i < v->n_members; i++)
		by_user[i] = (uint32_t)i;
	qsort_r(by_user, v->n_members, sizeof(*by_user), cmp_by_user, mem);
	for (size_t i = 0; i < v->n_roles; i++)
		by_name[i] = (uint32_t)i;
	qsort_r(by_name, v->n_roles, sizeof(*by_name), cmp_by_name, v->roles);
	for (size_t i = 1; i < v->n_roles; i++)
		if (strcmp(v->roles[by_name[i - 1]].group, v->roles[by_name[i]].group) == 0) {
			orgrbac_seterr(err, "snapshot: group %s appears twice",
				       v->roles[by_name[i]].group);
			goto out;
		}

	memset(&h, 0, sizeof(h));
	out_reserve(o, SNAP_HEADER_SIZE);
	at_users = out_reserve(o, v->n_users * SNAP_USER_SIZE);
	at_roles = out_reserve(o, v->n_roles * SNAP_ROLE_SIZE);
	at_name = out_reserve(o, v->n_roles * 4);
	at_members = out_reserve(o, v->n_members * SNAP_MEMBER_SIZE);
	at_by_user = out_reserve(o, v->n_members * 4);
	at_privs = out_reserve(o, n_privs * 4);
	at_strings = out_reserve(o, 1); /* offset 0: the empty string */
	if (o->failed)
		goto toolarge;
	{
		struct rec_user *ru = (struct rec_user *)(o->p + at_users);
		size_t k = 0;

		for (size_t i = 0; i < v->n_users; i++) {
			struct rec_user r = {0};

			r.flags = (v->users[i].external ? SNAP_USER_EXTERNAL : 0) |
				  (v->users[i].foreign ? SNAP_USER_FOREIGN : 0);
			r.not_before = v->users[i].not_before;
			r.not_after = v->users[i].not_after;
			r.first = (uint32_t)k;
			while (k < v->n_members && mem[by_user[k]].user == i)
				k++;
			r.count = (uint32_t)(k - r.first);
			r.name = out_string(o, at_strings, v->users[i].name);
			ru = (struct rec_user *)(o->p + at_users); /* o->p may have moved */
			memcpy(&ru[i], &r, sizeof(r));
		}
	}
	{
		size_t k = 0, p = 0;

		for (size_t i = 0; i < v->n_roles; i++) {
			struct rec_role r = {0};

			r.gid = v->roles[i].gid;
			r.member_first = (uint32_t)k;
			while (k < v->n_members && mem[k].role == i)
				k++;
			r.member_count = (uint32_t)(k - r.member_first);
			r.priv_first = (uint32_t)p;
			r.priv_count = (uint32_t)v->roles[i].n_privileges;
			r.group = out_string(o, at_strings, v->roles[i].group);
			r.cn =
			    out_string(o, at_strings, v->roles[i].cn != NULL ? v->roles[i].cn : "");
			for (size_t j = 0; j < v->roles[i].n_privileges; j++, p++) {
				uint32_t off = out_string(o, at_strings, v->roles[i].privileges[j]);

				if (!o->failed)
					memcpy(o->p + at_privs + p * 4, &off, 4);
			}
			if (!o->failed)
				memcpy(o->p + at_roles + i * SNAP_ROLE_SIZE, &r, sizeof(r));
		}
	}
	if (o->failed)
		goto toolarge;
	/* Pad to 8 so that the checksum's words and the file size agree with the reader. */
	out_reserve(o, 0);
	if (o->failed || o->len - at_strings > UINT32_MAX)
		goto toolarge;
	memcpy(o->p + at_name, by_name, v->n_roles * 4);
	memcpy(o->p + at_members, mem, v->n_members * SNAP_MEMBER_SIZE);
	memcpy(o->p + at_by_user, by_user, v->n_members * 4);

	memcpy(h.magic, SNAP_MAGIC, 8);
	h.version = ORGRBAC_SNAPSHOT_VERSION;
	h.header_size = SNAP_HEADER_SIZE;
	h.file_size = o->len;
	h.generation = generation;
	h.synced_at = synced_at;
	h.max_age = max_age;
	h.strings = (struct section){(uint32_t)at_strings, (uint32_t)(o->len - at_strings)};
	h.users = (struct section){(uint32_t)at_users, (uint32_t)v->n_users};
	h.roles = (struct section){(uint32_t)at_roles, (uint32_t)v->n_roles};
	h.by_name = (struct section){(uint32_t)at_name, (uint32_t)v->n_roles};
	h.members = (struct section){(uint32_t)at_members, (uint32_t)v->n_members};
	h.by_user = (struct section){(uint32_t)at_by_user, (uint32_t)v->n_members};
	h.privs = (struct section){(uint32_t)at_privs, (uint32_t)n_privs};
	memcpy(o->p, &h, sizeof(h));
	h.checksum = checksum(o->p + 32, o->len - 32);
	memcpy(o->p, &h, sizeof(h));
	rc = 0;
	goto out;
toolarge:
	orgrbac_seterr(err, "snapshot: larger than %lu bytes or out of memory",
		       ORGRBAC_SNAPSHOT_MAX);
out:
	free(um);
	free(rm);
	free(mem);
	free(by_user);
	free(by_name);
	return rc;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int orgrbac_snapshot_write(const char *path, struct orgrbac_view *v, uint64_t generation,
			   int64_t synced_at, int64_t max_age, orgrbac_error *err)
{
	struct out o = {0};
	char *tmp = NULL, *dir = NULL, *slash;
	int fd = -1, dfd = -1, rc = -1;

	if (build(v, generation, synced_at, max_age, &o, err) != 0)
		goto out;
	if (asprintf(&tmp, "%s.XXXXXX", path) < 0 || (dir = strdup(path)) == NULL) {
		tmp = NULL;
		orgrbac_seterr(err, "out of memory");
		goto out;
	}
	slash = strrchr(dir, '/');
	if (slash == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		orgrbac_seterr(err, "%s: cannot create: %s", tmp, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (fchmod(fd, 0644) != 0 || write_all(fd, o.p, o.len) != 0 || fsync(fd) != 0) {
		orgrbac_seterr(err, "%s: cannot write: %s", tmp, strerror(errno));
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		orgrbac_seterr(err, "%s: cannot write: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		orgrbac_seterr(err, "%s: cannot replace: %s", path, strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	/* The rename itself must survive a crash, or a reboot could bring back the old file. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd) != 0) {
		orgrbac_seterr(err, "%s: cannot sync the directory: %s", dir, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	free(dir);
	free(o.p);
	return rc;
}
