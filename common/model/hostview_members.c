/* SPDX-License-Identifier: BSD-2-Clause */
/* The host view's members: who holds which exposed role, and when, through which grants. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hostview_int.h"

/*
 * The DN of the organization `dn` lies in: the suffix "o=NAME,<base>" of
 * `dn` itself, when the RDN directly beneath `base` is an "o="; NULL
 * otherwise.
 */
static const char *org_dn_of(const char *dn, const char *base)
{
	size_t c = strlen(dn), p = strlen(base), end, start;

	if (!orgrbac_view_dn_below(dn, base))
		return NULL;
	end = c - p - 1;
	start = end;
	while (start > 0) {
		size_t k = 0;

		if (dn[start - 1] == ',') {
			while (k < start - 1 && dn[start - 2 - k] == '\\')
				k++;
			if (k % 2 == 0)
				break;
		}
		start--;
	}
	if (end - start < 3 || strncmp(dn + start, "o=", 2) != 0)
		return NULL;
	return dn + start;
}

/*
 * Every group of `org_dn` the user belongs to, transitively, level by level
 * as the live decision searches them (groups.c): the groups of another
 * organization are neither counted nor followed, and the groups
 * ORGRBAC_MAX_GROUP_DEPTH levels away are the last. Count, or -1 when too many.
 */
static long user_groups(struct orgrbac_view_ctx *c, const char *user_dn, const char *org_dn)
{
	size_t head = 0, tail = 0, level_end = 0;
	int depth = 0; /* of the groups from queue[head] to queue[level_end] */
	const char *cur = user_dn;

	for (;;) {
		for (size_t i = orgrbac_keyed_lower(c->edges, c->n_edges, cur);
		     i < c->n_edges && strcmp(c->edges[i].key, cur) == 0; i++) {
			size_t g = c->edges[i].idx;

			if (c->group_seen[g] ||
			    !orgrbac_view_dn_below(c->img->groups[g].dn, org_dn))
				continue;
			if (tail >= ORGRBAC_MAX_GROUPS)
				return -1;
			c->group_seen[g] = 1;
			c->queue[tail++] = g;
		}
		if (head == tail)
			break;
		if (head == level_end) {
			level_end = tail;
			if (++depth >= ORGRBAC_MAX_GROUP_DEPTH)
				break;
		}
		cur = c->img->groups[c->queue[head++]].dn;
	}
	return (long)tail;
}

static void user_groups_reset(struct orgrbac_view_ctx *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		c->group_seen[c->queue[i]] = 0;
}

/* Grants of the user's home organization or the platform naming the user or one of its groups. */
static size_t user_grants(struct orgrbac_view_ctx *c, const char *user_dn, size_t n_groups,
			  const char *org_dn)
{
	size_t n = 0;

	for (size_t q = 0; q <= n_groups; q++) {
		const char *who = q == 0 ? user_dn : c->img->groups[c->queue[q - 1]].dn;

		for (size_t i = orgrbac_keyed_lower(c->grantees, c->n_grantees, who);
		     i < c->n_grantees && strcmp(c->grantees[i].key, who) == 0; i++) {
			size_t g = c->grantees[i].idx;
			const char *dn = c->img->grants[g].dn;

			if (c->grant_seen[g] || (!orgrbac_view_dn_below(dn, org_dn) &&
						 !orgrbac_view_dn_below(dn, c->platform_grants)))
				continue;
			c->grant_seen[g] = 1;
			c->grants[n++] = g;
		}
	}
	for (size_t i = 0; i < n; i++)
		c->grant_seen[c->grants[i]] = 0;
	return n;
}

static bool is_platform(const struct orgrbac_view_ctx *c, const struct orgrbac_img_grant *g)
{
	return orgrbac_view_dn_below(g->dn, c->platform_grants);
}

/*
 * The grant's role, when the grant is readable, the role exists, and the
 * grant may use it: global roles, and the organization's own roles from
 * the organization's own grants (never from platform grants).
 */
static const struct orgrbac_img_role *grant_role(struct orgrbac_view_ctx *c,
						 const struct orgrbac_img_grant *g,
						 const char *org_dn, long *idx)
{
	long r;

	if (g->unreadable[0] != '\0' || g->role_dn == NULL)
		return NULL;
	if (!orgrbac_view_dn_below(g->role_dn, c->global_roles) &&
	    (is_platform(c, g) || !orgrbac_view_dn_below(g->role_dn, org_dn)))
		return NULL;
	r = orgrbac_keyed_find(c->roles, c->img->n_roles, g->role_dn);
	if (r < 0)
		return NULL;
	*idx = r;
	return &c->img->roles[r];
}

/* Does the grant, readable, cover this host? As orgrbac_grant_covers in policy.c. */
static bool grant_covers(const struct orgrbac_img_grant *g, const struct orgrbac_host *host)
{
	struct orgrbac_grant pg = {
	    .scopes = g->scopes, .n_scopes = g->n_scopes, .window = g->window};

	memcpy(pg.unreadable, g->unreadable, sizeof(pg.unreadable));
	return orgrbac_grant_covers(&pg, host);
}

static int64_t lo_bound(const struct orgrbac_window *w)
{
	return w->has_not_before ? w->not_before : ORGRBAC_TIME_MIN;
}

static int64_t hi_bound(const struct orgrbac_window *w)
{
	return w->has_not_after ? w->not_after : ORGRBAC_TIME_MAX;
}

/* A user being placed in the view, with its external-access window. */
struct who {
	const struct orgrbac_img_user *u;
	size_t idx; /* in the view, or SIZE_MAX before its first membership */
	bool external;
	bool foreign; /* of another organization than the host's */
	int64_t not_before, not_after;
};

/* The entry that is a uid's login name on this host, with its organization. */
struct login {
	const struct orgrbac_img_user *u;
	const char *org_dn; /* "o=NAME,<base>", a suffix of u->dn; NULL: in no organization */
	bool home;	    /* that organization is the host's */
};

static int add_member(struct orgrbac_view_ctx *c, struct who *w, size_t role, int64_t nb,
		      int64_t na)
{
	struct orgrbac_view *v = c->out;
	struct orgrbac_view_member *m;

	if (nb >= na)
		return 0; /* an empty window: never a member */
	if (w->idx == SIZE_MAX) {
		struct orgrbac_view_user *u;

		u = orgrbac_grow(v->users, &v->cap_users, v->n_users + 1, sizeof(*u));
		if (u == NULL)
			return -1;
		v->users = u;
		u = &v->users[v->n_users];
		u->name = strdup(w->u->uid);
		if (u->name == NULL)
			return -1;
		u->external = w->external;
		u->foreign = w->foreign;
		u->not_before = w->not_before;
		u->not_after = w->not_after;
		w->idx = v->n_users++;
	}
	m = orgrbac_grow(v->members, &v->cap_members, v->n_members + 1, sizeof(*m));
	if (m == NULL)
		return -1;
	v->members = m;
	v->members[v->n_members++] = (struct orgrbac_view_member){
	    .user = w->idx, .role = role, .not_before = nb, .not_after = na};
	return 0;
}

/* May users beneath this entry be members at all? As external_open in policy.c. */
static bool external_usable(const struct orgrbac_external *x)
{
	if (x->unreadable[0] != '\0')
		return false;
	if (x->kind != ORGRBAC_EXT_VENDOR && x->kind != ORGRBAC_EXT_PARTNER)
		return false;
	if (x->mode == ORGRBAC_MODE_CONTINUOUS)
		return true;
	return x->mode == ORGRBAC_MODE_WINDOW && !x->window.malformed && x->window.has_not_before &&
	       x->window.has_not_after;
}

/*
 * Every external-access entry above the user must be usable; the user's
 * window is the intersection of theirs. false when the user is shut out.
 */
static bool external_window(struct orgrbac_view_ctx *c, struct who *w)
{
	const char *dn = w->u->dn;

	w->external = false;
	w->not_before = ORGRBAC_TIME_MIN;
	w->not_after = ORGRBAC_TIME_MAX;
	for (const char *p = dn; (p = strchr(p, ',')) != NULL; p++) {
		const struct orgrbac_external *x;
		size_t k = 0;
		long i;

		while (p - k > dn && p[-1 - (long)k] == '\\')
			k++;
		if (k % 2 != 0 ||
		    (i = orgrbac_keyed_find(c->externals, c->img->n_externals, p + 1)) < 0)
			continue;
		x = &c->img->externals[i].access;
		w->external = true;
		if (!external_usable(x))
			return false;
		if (x->mode == ORGRBAC_MODE_WINDOW) {
			if (x->window.not_before > w->not_before)
				w->not_before = x->window.not_before;
			if (x->window.not_after < w->not_after)
				w->not_after = x->window.not_after;
		}
	}
	return w->not_before < w->not_after;
}

/* Does the role hold `privilege` literally (no wildcard confers it)? */
static bool role_holds_literally(const struct orgrbac_img_role *r, const char *privilege)
{
	for (size_t j = 0; j < r->n_privileges; j++)
		if (strcmp(r->privileges[j], privilege) == 0)
			return true;
	return false;
}

static int one_user(struct orgrbac_view_ctx *c, const struct login *l)
{
	const struct orgrbac_view_params *p = c->p;
	const char *cross = p->cross_org_privilege, *org_dn = l->org_dn;
	const struct orgrbac_img_user *u = l->u;
	struct who w = {.u = u, .idx = SIZE_MAX, .foreign = !l->home};
	size_t n_grants;
	long n_groups;
	int rc = 0;

	if (org_dn == NULL)
		return 0; /* not inside an organization: nobody on any host */
	if (!external_window(c, &w))
		return 0;
	n_groups = user_groups(c, u->dn, org_dn);
	if (n_groups < 0) {
		orgrbac_view_leave_out(p, "user", u->uid, "member of more than %d groups",
				       ORGRBAC_MAX_GROUPS);
		user_groups_reset(c, ORGRBAC_MAX_GROUPS);
		return 0;
	}
	n_grants = user_grants(c, u->dn, (size_t)n_groups, org_dn);
	user_groups_reset(c, (size_t)n_groups);
	for (size_t i = 0; i < n_grants && rc == 0; i++) {
		const struct orgrbac_img_grant *g = &c->img->grants[c->grants[i]];
		long ri = -1;

		if (grant_role(c, g, org_dn, &ri) == NULL || c->exposed[ri] < 0 ||
		    !grant_covers(g, &p->host))
			continue;
		if (l->home) {
			rc = add_member(c, &w, (size_t)c->exposed[ri], lo_bound(&g->window),
					hi_bound(&g->window));
			continue;
		}
		/*
		 * Another organization's user: only platform grants count here, while
		 * a platform grant on this host gives cross_org_privilege literally;
		 * one membership per pair of windows, as the reader takes any in force.
		 */
		if (!is_platform(c, g) || cross == NULL || cross[0] == '\0')
			continue;
		for (size_t k = 0; k < n_grants && rc == 0; k++) {
			const struct orgrbac_img_grant *cg = &c->img->grants[c->grants[k]];
			const struct orgrbac_img_role *cr;
			long cri = -1;

			if (!is_platform(c, cg) || (cr = grant_role(c, cg, org_dn, &cri)) == NULL ||
			    !grant_covers(cg, &p->host) || !role_holds_literally(cr, cross))
				continue;
			int64_t nb = lo_bound(&g->window), na = hi_bound(&g->window);

			if (lo_bound(&cg->window) > nb)
				nb = lo_bound(&cg->window);
			if (hi_bound(&cg->window) < na)
				na = hi_bound(&cg->window);
			rc = add_member(c, &w, (size_t)c->exposed[ri], nb, na);
		}
	}
	return rc;
}

/* Is the organization of `org_dn` (from org_dn_of) the host's? */
static bool host_org(const struct orgrbac_view_ctx *c, const char *org_dn)
{
	const char *host = c->p->host.org;
	size_t n = strlen(org_dn) - strlen(c->img->base) - 3; /* "o=" NAME "," */

	return host != NULL && strlen(host) == n && strncasecmp(org_dn + 2, host, n) == 0;
}

/*
 * Of the entries holding `uid` (sorted pairs from `first`), the one that is
 * the login name on this host, as orgrbac_directory_load picks it: the host
 * organization's; else the only one, if it lies inside an organization.
 * false, with a warning, when the name is ambiguous.
 */
static bool login_entry(struct orgrbac_view_ctx *c, size_t first, struct login *out)
{
	const struct orgrbac_image *img = c->img;
	const char *uid = c->uids[first].key;
	struct login host = {0}, any = {0};
	size_t total = 0, in_host = 0;

	for (size_t i = first; i < img->n_users && strcmp(c->uids[i].key, uid) == 0; i++) {
		const struct orgrbac_img_user *u = &img->users[c->uids[i].idx];
		const char *org_dn = org_dn_of(u->dn, img->base);

		total++;
		any = (struct login){u, org_dn, org_dn != NULL && host_org(c, org_dn)};
		if (any.home) {
			in_host++;
			host = any;
		}
	}
	if (in_host == 1 || (in_host == 0 && total == 1)) {
		*out = in_host == 1 ? host : any;
		return true;
	}
	orgrbac_view_leave_out(c->p, "user", uid, "%zu entries hold this uid%s", total,
			       in_host > 1 ? " in the host organization" : "");
	return false;
}

/* Every user's memberships: one entry per uid is its login name here, the others are not users. */
int orgrbac_view_add_users(struct orgrbac_view_ctx *c)
{
	const struct orgrbac_image *img = c->img;

	for (size_t first = 0, next; first < img->n_users; first = next) {
		struct login l;
		const char *why;

		for (next = first + 1;
		     next < img->n_users && strcmp(c->uids[next].key, c->uids[first].key) == 0;
		     next++)
			;
		if (!orgrbac_username_valid(c->uids[first].key, &why)) {
			orgrbac_view_leave_out(c->p, "entry", img->users[c->uids[first].idx].dn,
					       "uid %s", why);
			continue;
		}
		if (login_entry(c, first, &l) && one_user(c, &l) != 0)
			return -1;
	}
	return 0;
}
