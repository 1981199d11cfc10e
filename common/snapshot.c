/* SPDX-License-Identifier: BSD-2-Clause */
/* The host snapshot: its writer (atomic replace) and its validating, mmap-based reader. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "snapshot.h"

/*
 * The file, in the host's byte order (a file from another byte order fails
 * the magic or version check). Every section starts on an 8-byte boundary;
 * offsets are from the start of the file; strings are offsets into the
 * string table, whose last byte is NUL.
 *
 *   0   char[8]  magic "ORGRBSNP"
 *   8   u32      version (1)
 *   12  u32      header size (128)
 *   16  u64      file size
 *   24  u64      checksum of bytes 32 .. file size (see checksum())
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
 *   112 zero to 128
 *
 *   user   (32): u32 name, u32 flags (1: external), i64 not_before, i64 not_after,
 *                u32 first, u32 count   (a range of members-by-user)
 *   role   (32): u32 gid, u32 group name, u32 cn, u32 first privilege,
 *                u32 privilege count, u32 first member, u32 member count, u32 zero
 *   member (24): u32 role, u32 user, i64 not_before, i64 not_after
 *
 * A window [not_before, not_after) uses INT64_MIN / INT64_MAX for an open
 * bound; a user's window is its external-access window (open for others).
 */
#define MAGIC	      "ORGRBSNP"
#define HEADER_SIZE   128
#define USER_SIZE     32
#define ROLE_SIZE     32
#define MEMBER_SIZE   24
#define USER_EXTERNAL 1u

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
	uint8_t zero[HEADER_SIZE - 112];
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

_Static_assert(sizeof(struct header) == HEADER_SIZE, "header layout");
_Static_assert(sizeof(struct rec_user) == USER_SIZE, "user layout");
_Static_assert(sizeof(struct rec_role) == ROLE_SIZE, "role layout");
_Static_assert(sizeof(struct rec_member) == MEMBER_SIZE, "member layout");

struct orgrbac_snapshot {
	const unsigned char *base;
	size_t len;
	bool mapped;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	struct timespec ctime; /* a chmod or chown since the open changes it */
	const struct header *h;
	const char *strings;
	const struct rec_user *users;
	const struct rec_role *roles;
	const uint32_t *by_name;
	const struct rec_member *members;
	const uint32_t *by_user;
	const uint32_t *privs;
};

/*
 * Catches truncation and stray writes, not forgery: only root can write the
 * file. 64-bit words, so that checking a large snapshot stays cheap for
 * every process that loads it.
 */
static uint64_t checksum(const unsigned char *p, size_t n)
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

static bool in_window(int64_t nb, int64_t na, int64_t now)
{
	return nb <= now && now < na;
}

/* ---- writer ---- */

void orgrbac_view_free(struct orgrbac_view *v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < v->n_users; i++)
		free(v->users[i].name);
	for (size_t i = 0; i < v->n_roles; i++) {
		free(v->roles[i].group);
		free(v->roles[i].cn);
		orgrbac_strv_free(v->roles[i].privileges);
	}
	free(v->users);
	free(v->roles);
	free(v->members);
	memset(v, 0, sizeof(*v));
}

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

static int cmp_member(const void *a, const void *b)
{
	const struct rec_member *x = a, *y = b;

	if (x->role != y->role)
		return x->role < y->role ? -1 : 1;
	if (x->user != y->user)
		return x->user < y->user ? -1 : 1;
	return 0;
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
	out_reserve(o, HEADER_SIZE);
	at_users = out_reserve(o, v->n_users * USER_SIZE);
	at_roles = out_reserve(o, v->n_roles * ROLE_SIZE);
	at_name = out_reserve(o, v->n_roles * 4);
	at_members = out_reserve(o, v->n_members * MEMBER_SIZE);
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

			r.flags = v->users[i].external ? USER_EXTERNAL : 0;
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
				memcpy(o->p + at_roles + i * ROLE_SIZE, &r, sizeof(r));
		}
	}
	if (o->failed)
		goto toolarge;
	/* Pad to 8 so that the checksum's words and the file size agree with the reader. */
	out_reserve(o, 0);
	if (o->failed || o->len - at_strings > UINT32_MAX)
		goto toolarge;
	memcpy(o->p + at_name, by_name, v->n_roles * 4);
	memcpy(o->p + at_members, mem, v->n_members * MEMBER_SIZE);
	memcpy(o->p + at_by_user, by_user, v->n_members * 4);

	memcpy(h.magic, MAGIC, 8);
	h.version = ORGRBAC_SNAPSHOT_VERSION;
	h.header_size = HEADER_SIZE;
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

/* ---- reader ---- */

static bool section_ok(const struct section *s, size_t rec, size_t file)
{
	uint64_t end = (uint64_t)s->off + (uint64_t)s->n * rec;

	return s->off >= HEADER_SIZE && s->off % 8 == 0 && end <= file;
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

static int validate(struct orgrbac_snapshot *s, orgrbac_error *err)
{
	const struct header *h;
	size_t nu, nr, nm, np;

	if (s->len < HEADER_SIZE)
		return bad("snapshot: truncated (%zu bytes)", s->len);
	h = s->h = (const struct header *)s->base;
	if (memcmp(h->magic, MAGIC, 8) != 0)
		return bad("snapshot: not a snapshot (bad magic)");
	if (h->version != ORGRBAC_SNAPSHOT_VERSION)
		return bad("snapshot: unknown version %u", h->version);
	if (h->header_size != HEADER_SIZE || h->file_size != s->len)
		return bad("snapshot: truncated or padded (%zu bytes, header says %llu)", s->len,
			   (unsigned long long)h->file_size);
	if (checksum(s->base + 32, s->len - 32) != h->checksum)
		return bad("snapshot: bad checksum");
	for (size_t i = 0; i < sizeof(h->zero); i++)
		if (h->zero[i] != 0)
			return bad("snapshot: unknown header fields");
	if (!section_ok(&h->strings, 1, s->len) || h->strings.n == 0 ||
	    s->base[h->strings.off + h->strings.n - 1] != '\0' ||
	    !section_ok(&h->users, USER_SIZE, s->len) ||
	    !section_ok(&h->roles, ROLE_SIZE, s->len) || !section_ok(&h->by_name, 4, s->len) ||
	    !section_ok(&h->members, MEMBER_SIZE, s->len) || !section_ok(&h->by_user, 4, s->len) ||
	    !section_ok(&h->privs, 4, s->len) || h->by_name.n != h->roles.n ||
	    h->by_user.n != h->members.n)
		return bad("snapshot: a section is out of range");
	s->strings = (const char *)s->base + h->strings.off;
	s->users = (const void *)(s->base + h->users.off);
	s->roles = (const void *)(s->base + h->roles.off);
	s->by_name = (const void *)(s->base + h->by_name.off);
	s->members = (const void *)(s->base + h->members.off);
	s->by_user = (const void *)(s->base + h->by_user.off);
	s->privs = (const void *)(s->base + h->privs.off);
	nu = h->users.n;
	nr = h->roles.n;
	nm = h->members.n;
	np = h->privs.n;

	for (size_t i = 0; i < np; i++)
		if (!string_ok(s, s->privs[i]))
			return bad("snapshot: privilege %zu out of range", i);
	for (size_t i = 0; i < nm; i++) {
		const struct rec_member *m = &s->members[i];

		if (m->role >= nr || m->user >= nu)
			return bad("snapshot: member %zu out of range", i);
		if (i > 0 && cmp_member(&s->members[i - 1], m) > 0)
			return bad("snapshot: members out of order");
	}
	for (size_t i = 0; i < nm; i++) {
		uint32_t k = s->by_user[i];

		if (k >= nm)
			return bad("snapshot: member index %zu out of range", i);
		if (i > 0) {
			const struct rec_member *a = &s->members[s->by_user[i - 1]];
			const struct rec_member *b = &s->members[k];

			if (a->user > b->user)
				return bad("snapshot: member index out of order");
		}
	}
	for (size_t i = 0; i < nu; i++) {
		const struct rec_user *u = &s->users[i];

		if (!string_ok(s, u->name) || (uint64_t)u->first + u->count > nm)
			return bad("snapshot: user %zu out of range", i);
		if (i > 0 && strcmp(str_at(s, s->users[i - 1].name), str_at(s, u->name)) >= 0)
			return bad("snapshot: users out of order");
		for (uint32_t k = u->first; k < u->first + u->count; k++)
			if (s->members[s->by_user[k]].user != i)
				return bad("snapshot: user %zu has a foreign member", i);
	}
	for (size_t i = 0; i < nr; i++) {
		const struct rec_role *r = &s->roles[i];

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
	if (validate(s, err) != 0) {
		free(s);
		return -1;
	}
	*out = s;
	return 0;
}

int orgrbac_snapshot_open(const char *path, int flags, struct orgrbac_snapshot **out,
			  orgrbac_error *err)
{
	struct orgrbac_snapshot *s;
	struct stat st;
	void *map;
	int fd;

	*out = NULL;
	/* Whoever may write the directory may swap the file: it must be root's alone. */
	if ((flags & ORGRBAC_SNAP_TRUST_ANY_OWNER) == 0) {
		char dir[PATH_MAX];
		const char *slash = strrchr(path, '/');
		size_t n = slash == NULL ? 0 : (size_t)(slash - path);

		if (slash == NULL || n >= sizeof(dir))
			return bad("%s: not an absolute path", path);
		memcpy(dir, path, n);
		dir[n] = '\0';
		if (n == 0)
			strcpy(dir, "/");
		if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != 0 ||
		    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
			return bad("%s: directory must be owned by root and not writable by others",
				   dir);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	if (fd < 0)
		return bad("%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0) {
		close(fd);
		return bad("%s: cannot stat: %s", path, strerror(errno));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return bad("%s: not a regular file", path);
	}
	if ((flags & ORGRBAC_SNAP_TRUST_ANY_OWNER) == 0 &&
	    (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)) {
		close(fd);
		return bad("%s: must be owned by root and not writable by group or others", path);
	}
	if (st.st_size < HEADER_SIZE || (uint64_t)st.st_size > ORGRBAC_SNAPSHOT_MAX) {
		close(fd);
		return bad("%s: size %lld out of range", path, (long long)st.st_size);
	}
	/*
	 * The writer never changes a file in place (it renames a new one over
	 * it), so this mapping stays what was validated for as long as it lives.
	 * Validation reads every page anyway: populate them in one go.
	 */
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return bad("%s: cannot map: %s", path, strerror(errno));
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		munmap(map, (size_t)st.st_size);
		return bad("out of memory");
	}
	s->base = map;
	s->len = (size_t)st.st_size;
	s->mapped = true;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	s->size = st.st_size;
	s->mtime = st.st_mtim;
	s->ctime = st.st_ctim;
	if (validate(s, err) != 0) {
		char why[sizeof(err->msg)];

		snprintf(why, sizeof(why), "%s", err->msg);
		orgrbac_seterr(err, "%s: %s", path, why);
		orgrbac_snapshot_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

void orgrbac_snapshot_close(struct orgrbac_snapshot *s)
{
	if (s == NULL)
		return;
	if (s->mapped)
		munmap((void *)s->base, s->len);
	free(s);
}

bool orgrbac_snapshot_is_file(const struct orgrbac_snapshot *s, const struct stat *st)
{
	return s->mapped && s->dev == st->st_dev && s->ino == st->st_ino &&
	       s->size == st->st_size && s->mtime.tv_sec == st->st_mtim.tv_sec &&
	       s->mtime.tv_nsec == st->st_mtim.tv_nsec && s->ctime.tv_sec == st->st_ctim.tv_sec &&
	       s->ctime.tv_nsec == st->st_ctim.tv_nsec;
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

	/* A sync time in the future beyond max_age is as untrustworthy as an old one. */
	if (max <= 0)
		return false;
	if (now >= at)
		return now - at <= max;
	return at - now <= max;
}

long orgrbac_snapshot_find_name(const struct orgrbac_snapshot *s, const char *name)
{
	size_t lo = 0, hi = s->h->roles.n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t r = s->by_name[mid];
		int c = strcmp(name, str_at(s, s->roles[r].group));

		if (c == 0)
			return (long)r;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
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
	size_t lo = 0, hi = s->h->users.n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, str_at(s, s->users[mid].name));

		if (c == 0)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/* Is this membership in force at `now`: its window, and its user's external window? */
static bool member_on(const struct orgrbac_snapshot *s, const struct rec_member *m, int64_t now)
{
	const struct rec_user *u = &s->users[m->user];

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

bool orgrbac_snapshot_holds_role(const struct orgrbac_snapshot *s, size_t idx, const char *user,
				 int64_t now)
{
	long ui = idx < s->h->roles.n ? find_user(s, user) : -1;
	const struct rec_user *u;

	if (ui < 0)
		return false;
	u = &s->users[ui];
	for (uint32_t k = u->first; k < u->first + u->count; k++) {
		const struct rec_member *m = &s->members[s->by_user[k]];

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
	const struct rec_role *r;
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
		const struct rec_member *m = &s->members[i];
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
	const struct rec_user *u;
	long ui = find_user(s, user);

	if (ui < 0)
		return ORGRBAC_SNAP_NOTFOUND;
	u = &s->users[ui];
	if (!in_window(u->not_before, u->not_after, now))
		return ORGRBAC_SNAP_NOTFOUND;
	for (uint32_t k = u->first; k < u->first + u->count; k++) {
		const struct rec_member *m = &s->members[s->by_user[k]];
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
