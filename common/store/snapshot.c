/* SPDX-License-Identifier: BSD-2-Clause */
/* The host snapshot's reader: map, validate everything, answer by binary search. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "snapshot.h"
#include "snapshot_format.h"

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

static bool in_window(int64_t nb, int64_t na, int64_t now)
{
	return nb <= now && now < na;
}

static bool section_ok(const struct section *s, size_t rec, size_t file)
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
 *   user   (32): u32 name, u32 flags (1: external, 2: of another organization),
 *                 i64 not_before, i64 not_after,
 *                u32 first, u32 count   (a range of members-by-user)
 *   role   (32): u32 gid, u32 group name, u32 cn, u32 first privilege,
 *                u32 privilege count, u32 first member, u32 member count, u32 zero
 *   member (24): u32 role, u32 user, i64 not_before, i64 not_after
 *
 * A window [not_before, not_after) uses INT64_MIN / INT64_MAX for an open
 * bound; a user's window is its external-access window (open for others).
 */
static int validate(struct orgrbac_snapshot *s, orgrbac_error *err)
{
	const struct header *h;
	size_t nu, nr, nm, np;

	if (s->len < SNAP_HEADER_SIZE)
		return bad("snapshot: truncated (%zu bytes)", s->len);
	h = s->h = (const struct header *)s->base;
	if (memcmp(h->magic, SNAP_MAGIC, 8) != 0)
		return bad("snapshot: not a snapshot (bad magic)");
	if (h->version != ORGRBAC_SNAPSHOT_VERSION)
		return bad("snapshot: unknown version %u", h->version);
	if (h->header_size != SNAP_HEADER_SIZE || h->file_size != s->len)
		return bad("snapshot: truncated or padded (%zu bytes, header says %llu)", s->len,
			   (unsigned long long)h->file_size);
	if (checksum(s->base + 32, s->len - 32) != h->checksum)
		return bad("snapshot: bad checksum");
	for (size_t i = 0; i < sizeof(h->zero); i++)
		if (h->zero[i] != 0)
			return bad("snapshot: unknown header fields");
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
	if (st.st_size < SNAP_HEADER_SIZE || (uint64_t)st.st_size > ORGRBAC_SNAPSHOT_MAX) {
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

bool orgrbac_snapshot_user_foreign(const struct orgrbac_snapshot *s, const char *user)
{
	long ui = find_user(s, user);

	return ui >= 0 && (s->users[ui].flags & SNAP_USER_FOREIGN) != 0;
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
