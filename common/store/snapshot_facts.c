/* SPDX-License-Identifier: BSD-2-Clause */
/* The snapshot's decision part: one principal's record found, checked and read back as facts. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "snapshot_facts.h"
#include "snapshot_facts_int.h"

/*
 * The decision part (format version 4), after the group part, in this
 * order: the principals' index, the passwd table, the shared roles' index,
 * the shared grants' index, then the facts area (the records, to the end of
 * the file).
 *
 *   principals' index: n 24-byte entries (u64 hash of the uid with its
 *     ASCII letters lowercased, orgrbac_snap_uid_hash; u32 offset of its
 *     record in the facts area, u32 its size, u64 its checksum,
 *     orgrbac_snap_record_sum), sorted by hash, then by uid byte for byte;
 *     then one u64 checksum per block of 16 entries (orgrbac_snap_region_sum,
 *     bound to the block's place in the file)
 *   shared roles' and grants' indexes: 16-byte entries (u32 offset, u32
 *     size, u64 checksum), a record each
 *
 * Every value in a record is in the host's byte order, unaligned:
 *
 *   str     u32 length, the bytes, a NUL (no NUL inside)
 *   window  u32 flags (1: notBefore, 2: notAfter, 4: malformed), i64, i64
 *   list    u32 count, then count strings
 *
 *   host identity: str org, str resource, list services (sorted)
 *   shared role: str dn, str name, list privileges
 *   shared grant: str dn, str name, u32 platform, str org, str unreadable,
 *     u32 has role DN, str role DN, list scopes, window
 *   principal: str uid, u32 kind; kind 2 (refused): str why; kind 1 (facts):
 *     u32 posix (0 or 1), then when 1: u32 uidNumber, u32 gidNumber,
 *                       str gecos, str home, str shell, u32 served (0 or 1),
 *                       i64 from, i64 until (served while from <= now < until;
 *                       INT64_MIN, INT64_MAX: open)
 *     str dn, str org,
 *     u32 n, n x external (str dn, str name, u32 kind, u32 mode,
 *                          u32 role management, window, str unreadable),
 *     u32 n, n x u32 shared role (its number in the shared roles' index),
 *     u32 n, n x grant (u32 shared grant, u32 its role's place among the
 *                       principal's roles or 0xffffffff, str via)
 *
 * Each distinct shared record is written once: sync finds it again by its
 * bytes, never by DN alone (two principals may see different content under
 * one DN: two records).
 *
 * The passwd table (header bytes 144..151: offset, count; 8-byte entries,
 * between the principals' index and the shared roles' index) lists the
 * users the passwd database serves: u32 uidNumber, u32 the principal's
 * place in the index, sorted by uidNumber, each uidNumber once. Sync decided
 * who is served ([nss] users, uid_min, the hostile values refused); the
 * reader believes no entry of the table alone: the record it points at must
 * be kind 1, posix and served, with that uidNumber
 * (snapshot_facts_passwd.c).
 *
 * A record is checked (place, size, checksum, then each value and each
 * reference against what is left of it and the shared records' counts) only
 * when a lookup reads it; an index block and a shared record are hashed
 * once per mapping (the seen bits, snapshot_int.h). A corrupt shared record
 * fails the lookups of the principals referring to it, and no other.
 */

/* A copy of the next string; with `empty_null`, "" is NULL. */
static char *get_str(struct orgrbac_cur *c, bool empty_null)
{
	const char *s = orgrbac_cur_str(c);
	char *d;

	if (s == NULL || (empty_null && s[0] == '\0'))
		return NULL;
	d = strdup(s);
	if (d == NULL)
		c->nomem = c->bad = true;
	return d;
}

/* A count of items of at least `min` bytes each that can fit in what is left, at most `max`. */
static size_t get_count(struct orgrbac_cur *c, size_t min, size_t max)
{
	uint32_t n = orgrbac_cur_u32(c);

	if (c->bad || n > max || n > c->left / min) {
		c->bad = true;
		return 0;
	}
	return n;
}

static char **get_list(struct orgrbac_cur *c, size_t *n_out)
{
	size_t n = get_count(c, 5, SNAP_REC_MAX_LIST);
	char **v = c->bad ? NULL : calloc(n + 1, sizeof(*v));

	*n_out = 0;
	if (v == NULL) {
		c->nomem = !c->bad;
		c->bad = true;
		return NULL;
	}
	for (size_t i = 0; i < n && !c->bad; i++)
		v[i] = get_str(c, false);
	if (c->bad) {
		orgrbac_strv_free(v);
		return NULL;
	}
	*n_out = n;
	return v;
}

static void get_window(struct orgrbac_cur *c, struct orgrbac_window *w)
{
	uint32_t flags = orgrbac_cur_u32(c);

	if (flags & ~(SNAP_WIN_NOT_BEFORE | SNAP_WIN_NOT_AFTER | SNAP_WIN_MALFORMED))
		c->bad = true;
	w->has_not_before = (flags & SNAP_WIN_NOT_BEFORE) != 0;
	w->has_not_after = (flags & SNAP_WIN_NOT_AFTER) != 0;
	w->malformed = (flags & SNAP_WIN_MALFORMED) != 0;
	w->not_before = orgrbac_cur_i64(c);
	w->not_after = orgrbac_cur_i64(c);
}

/* An unreadable reason into its fixed room; longer than the room is corrupt. */
static void get_reason(struct orgrbac_cur *c, char *dst)
{
	const char *s = orgrbac_cur_str(c);

	if (s == NULL || strlen(s) >= ORGRBAC_UNREADABLE_MAX) {
		c->bad = true;
		return;
	}
	memcpy(dst, s, strlen(s) + 1);
}

size_t orgrbac_snapshot_count_principals(const struct orgrbac_snapshot *s)
{
	return s->h->principals.n;
}

#define corrupt(...) (orgrbac_seterr(err, __VA_ARGS__), ORGRBAC_SNAPF_CORRUPT)

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Are the host's services, as a set, the list at c? */
static bool same_services(struct orgrbac_cur *c, const struct orgrbac_host *host)
{
	size_t n = 0;
	char **v = get_list(c, &n);
	const char **mine = calloc(host->n_services + 1, sizeof(*mine));
	size_t k = 0;
	bool same = v != NULL && mine != NULL;

	for (size_t i = 0; same && i < host->n_services; i++) {
		/* a service named twice in the configuration is one service */
		bool dup = false;

		for (size_t j = 0; j < k && !dup; j++)
			dup = strcmp(mine[j], host->services[i]) == 0;
		if (!dup)
			mine[k++] = host->services[i];
	}
	if (same && k > 1)
		qsort(mine, k, sizeof(*mine), cmp_str);
	same = same && k == n;
	for (size_t i = 0; same && i < n; i++)
		same = strcmp(mine[i], v[i]) == 0;
	orgrbac_strv_free(v);
	free(mine);
	return same;
}

enum orgrbac_snap_facts_status orgrbac_snapshot_host_check(const struct orgrbac_snapshot *s,
							   const struct orgrbac_host *host,
							   orgrbac_error *err)
{
	struct orgrbac_cur c;
	const char *org, *resource;

	if (s->h->host.n == 0)
		return corrupt("the snapshot holds no decisions (written by an older sync)");
	if (!orgrbac_snapf_record(s, s->h->host.off, s->h->host.n, s->h->host_sum, &c))
		return corrupt("snapshot: the host identity is corrupt");
	org = orgrbac_cur_str(&c);
	resource = orgrbac_cur_str(&c);
	if (c.bad)
		return corrupt("snapshot: the host identity is corrupt");
	if (host->org == NULL || strcmp(org, host->org) != 0)
		return corrupt("the snapshot was built for organization '%.100s', the host is in "
			       "'%.100s'",
			       org, host->org != NULL ? host->org : "");
	if (host->resource == NULL || strcmp(resource, host->resource) != 0)
		return corrupt("the snapshot was built for resource '%.100s', the host is "
			       "'%.100s'",
			       resource, host->resource != NULL ? host->resource : "");
	if (!same_services(&c, host))
		return c.nomem ? ORGRBAC_SNAPF_NOMEM
			       : corrupt("the snapshot was built for other services than the "
					 "host's [host] services");
	return ORGRBAC_SNAPF_FOUND;
}

/* Room for a count of items (of at least `min` bytes each in the record); NULL for none or bad. */
static void *get_items(struct orgrbac_cur *c, size_t min, size_t max, size_t size, size_t *n)
{
	void *v;

	*n = get_count(c, min, max);
	if (c->bad || *n == 0)
		return NULL;
	v = calloc(*n, size);
	if (v == NULL)
		c->nomem = c->bad = true;
	return v;
}

static bool get_externals(struct orgrbac_cur *c, struct orgrbac_facts *f)
{
	size_t n;

	f->external = get_items(c, 48, SNAP_REC_MAX_EXTERNAL, sizeof(*f->external), &n);
	if (f->external == NULL)
		return !c->bad;
	for (size_t i = 0; i < n && !c->bad; i++) {
		struct orgrbac_external *x = &f->external[i];
		uint32_t kind, mode, rm;

		f->n_external = i + 1;
		x->dn = get_str(c, false);
		x->name = get_str(c, false);
		kind = orgrbac_cur_u32(c);
		mode = orgrbac_cur_u32(c);
		rm = orgrbac_cur_u32(c);
		if (kind > ORGRBAC_EXT_KIND_UNKNOWN || mode > ORGRBAC_MODE_UNKNOWN || rm > 1)
			c->bad = true;
		x->kind = (enum orgrbac_ext_kind)kind;
		x->mode = (enum orgrbac_ext_mode)mode;
		x->role_management = rm == 1;
		get_window(c, &x->window);
		get_reason(c, x->unreadable);
	}
	return !c->bad;
}

/* A shared record's reading into the principal's cursor: bad or out of memory there too. */
static void merge(struct orgrbac_cur *c, const struct orgrbac_cur *sub)
{
	c->nomem = c->nomem || sub->nomem;
	c->bad = c->bad || sub->bad || sub->left != 0; /* bytes after the last value: corrupt */
}

/* Role `ref` of the shared roles: str dn, str name, list privileges. */
static void get_role(const struct orgrbac_snapshot *s, struct orgrbac_cur *c, uint32_t ref,
		     struct orgrbac_role *r)
{
	struct orgrbac_cur rc;

	if (orgrbac_snapf_shared_role(s, ref, &rc)) {
		r->dn = get_str(&rc, false);
		r->name = get_str(&rc, false);
		r->privileges = get_list(&rc, &r->n_privileges);
	}
	merge(c, &rc);
}

/* u32 n, n x u32 shared role. */
static bool get_roles(const struct orgrbac_snapshot *s, struct orgrbac_cur *c,
		      struct orgrbac_facts *f)
{
	size_t n;

	f->roles = get_items(c, 4, SNAP_REC_MAX_ROLES, sizeof(*f->roles), &n);
	if (f->roles == NULL)
		return !c->bad;
	for (size_t i = 0; i < n && !c->bad; i++) {
		f->n_roles = i + 1;
		get_role(s, c, orgrbac_cur_u32(c), &f->roles[i]);
	}
	return !c->bad;
}

/*
 * Grant `ref` of the shared grants: str dn, str name, u32 platform, str org,
 * str unreadable, u32 has role DN, str role DN, list scopes, window.
 */
static void get_shared_grant(const struct orgrbac_snapshot *s, struct orgrbac_cur *c, uint32_t ref,
			     struct orgrbac_grant *g)
{
	struct orgrbac_cur gc;
	uint32_t platform, has_role;

	if (orgrbac_snapf_shared_grant(s, ref, &gc)) {
		g->dn = get_str(&gc, false);
		g->name = get_str(&gc, false);
		platform = orgrbac_cur_u32(&gc);
		g->platform = platform == 1;
		g->org = get_str(&gc, true);
		get_reason(&gc, g->unreadable);
		has_role = orgrbac_cur_u32(&gc);
		g->role_dn = get_str(&gc, false);
		g->scopes = get_list(&gc, &g->n_scopes);
		get_window(&gc, &g->window);
		if (platform > 1 || has_role > 1 || (g->platform == (g->org != NULL)))
			gc.bad = true;
		if (has_role == 0) {
			free(g->role_dn);
			g->role_dn = NULL;
		}
	}
	merge(c, &gc);
}

/* One grant: u32 shared grant, u32 role index among the facts' roles or 0xffffffff, str via. */
static void get_grant(const struct orgrbac_snapshot *s, struct orgrbac_cur *c,
		      struct orgrbac_facts *f, struct orgrbac_grant *g)
{
	uint32_t ref = orgrbac_cur_u32(c), role = orgrbac_cur_u32(c);

	if (role != UINT32_MAX && role >= f->n_roles)
		c->bad = true;
	if (c->bad)
		return;
	g->role = role != UINT32_MAX ? &f->roles[role] : NULL;
	get_shared_grant(s, c, ref, g);
	g->via = get_str(c, true);
}

static bool get_grants(const struct orgrbac_snapshot *s, struct orgrbac_cur *c,
		       struct orgrbac_facts *f)
{
	size_t n;

	f->grants = get_items(c, 13, SNAP_REC_MAX_GRANTS, sizeof(*f->grants), &n);
	if (f->grants == NULL)
		return !c->bad;
	for (size_t i = 0; i < n && !c->bad; i++) {
		f->n_grants = i + 1;
		get_grant(s, c, f, &f->grants[i]);
	}
	return !c->bad;
}

/* The posixAccount block: read past, checked (snapshot_facts_passwd.c reads it). */
static void skip_posix(struct orgrbac_cur *c)
{
	struct orgrbac_snap_posix px;

	orgrbac_snapf_posix(c, &px);
}

/* The rest of a kind-1 record, after its uid and kind. */
static bool get_facts(const struct orgrbac_snapshot *s, struct orgrbac_cur *c, const char *uid,
		      struct orgrbac_facts **out)
{
	struct orgrbac_facts *f = calloc(1, sizeof(*f));

	*out = NULL;
	if (f == NULL) {
		c->nomem = c->bad = true;
		return false;
	}
	f->user = strdup(uid);
	if (f->user == NULL)
		c->nomem = c->bad = true;
	skip_posix(c);
	f->dn = get_str(c, false);
	f->org = get_str(c, true);
	if (get_externals(c, f) && get_roles(s, c, f))
		(void)get_grants(s, c, f);
	if (!c->bad && c->left != 0)
		c->bad = true; /* bytes after the last value */
	if (c->bad) {
		orgrbac_facts_free(f);
		return false;
	}
	*out = f;
	return true;
}

enum orgrbac_snap_facts_status orgrbac_snapshot_facts(const struct orgrbac_snapshot *s,
						      const char *user, struct orgrbac_facts **out,
						      orgrbac_error *err)
{
	bool other_case = false;
	struct orgrbac_cur c;
	size_t i;

	*out = NULL;
	if (s->h->host.n == 0)
		return corrupt("the snapshot holds no decisions (written by an older sync)");
	i = orgrbac_snapf_find(s, user, &other_case, &c);
	if (i == SNAPF_BAD)
		return corrupt("snapshot: the record of a principal is corrupt");
	if (i == SNAPF_NONE) {
		if (!other_case)
			return ORGRBAC_SNAPF_NOUSER;
		orgrbac_seterr(err, "uid '%s' matches an entry only without regard to case", user);
		return ORGRBAC_SNAPF_REFUSED;
	}
	switch (orgrbac_cur_u32(&c)) {
	case SNAP_REC_REFUSED: {
		const char *why = orgrbac_cur_str(&c);

		if (why == NULL || c.left != 0)
			break;
		orgrbac_seterr(err, "%s", why);
		return ORGRBAC_SNAPF_REFUSED;
	}
	case SNAP_REC_FACTS:
		if (get_facts(s, &c, user, out))
			return ORGRBAC_SNAPF_FOUND;
		if (c.nomem)
			return ORGRBAC_SNAPF_NOMEM;
		break;
	default: break;
	}
	return corrupt("snapshot: the record of '%s' is corrupt", user);
}
