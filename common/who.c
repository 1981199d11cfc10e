/* SPDX-License-Identifier: BSD-2-Clause */
/* `orgrbac who`: each principal's facts from the whole directory, decided by orgrbac_decide. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ldapc.h"
#include "who.h"

bool orgrbac_img_below(const char *child, const char *parent)
{
	size_t c = strlen(child), p = strlen(parent), k = 0;

	if (c <= p + 1 || child[c - p - 1] != ',' || strcmp(child + c - p, parent) != 0)
		return false;
	while (k < c - p - 1 && child[c - p - 2 - k] == '\\')
		k++;
	return k % 2 == 0;
}

char *orgrbac_img_rdn_value(const char *dn)
{
	const char *eq = strchr(dn, '='), *end;

	if (eq == NULL)
		return strdup(dn);
	for (end = eq + 1; *end != '\0' && *end != ','; end++)
		if (*end == '\\' && end[1] != '\0')
			end++;
	return strndup(eq + 1, (size_t)(end - eq - 1));
}

const char *orgrbac_img_org_dn(const char *dn, const char *base)
{
	const char *start = dn;

	for (const char *p = dn; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			continue;
		}
		if (*p != ',')
			continue;
		if (strcmp(p + 1, base) == 0)
			return strncmp(start, "o=", 2) == 0 ? start : NULL;
		start = p + 1;
	}
	return NULL;
}

/* A NULL-terminated copy of v in the arena; NULL out of memory. */
static char **strv_dup(struct orgrbac_arena *a, char *const *v, size_t n)
{
	char **out =
	    n < SIZE_MAX / sizeof(*out) ? orgrbac_arena_alloc(a, (n + 1) * sizeof(*out)) : NULL;

	for (size_t i = 0; out != NULL && i < n; i++)
		if ((out[i] = orgrbac_arena_strdup(a, v[i])) == NULL)
			return NULL;
	return out;
}

/* The value of the DN's first RDN, in the arena; NULL out of memory. */
static char *rdn_value(struct orgrbac_arena *a, const char *dn)
{
	const char *eq = strchr(dn, '='), *end;

	if (eq == NULL)
		return orgrbac_arena_strdup(a, dn);
	for (end = eq + 1; *end != '\0' && *end != ','; end++)
		if (*end == '\\' && end[1] != '\0')
			end++;
	return orgrbac_arena_strndup(a, eq + 1, (size_t)(end - eq - 1));
}

static bool has_member(const struct orgrbac_img_group *g, const char *dn)
{
	for (size_t i = 0; i < g->n_members; i++)
		if (strcmp(g->members[i], dn) == 0)
			return true;
	return false;
}

/* One value and the image element holding it; sorted by value, then by index. */
struct orgrbac_img_index {
	struct orgrbac_keyed *members;	 /* member value -> group */
	struct orgrbac_keyed *grantees;	 /* grantee value -> grant */
	struct orgrbac_keyed *uids;	 /* uid -> user */
	struct orgrbac_keyed *roles;	 /* DN -> role */
	struct orgrbac_keyed *externals; /* DN -> external-access entry */
	size_t n_members, n_grantees, n_uids, n_roles, n_externals;
};

static int ix_fill(struct orgrbac_img_index *x, const struct orgrbac_image *img)
{
	size_t m = 0, g = 0;

	for (size_t i = 0; i < img->n_groups; i++)
		m += img->groups[i].n_members;
	for (size_t i = 0; i < img->n_grants; i++)
		g += img->grants[i].n_grantees;
	x->members = calloc(m + 1, sizeof(*x->members));
	x->grantees = calloc(g + 1, sizeof(*x->grantees));
	x->uids = calloc(img->n_users + 1, sizeof(*x->uids));
	x->roles = calloc(img->n_roles + 1, sizeof(*x->roles));
	x->externals = calloc(img->n_externals + 1, sizeof(*x->externals));
	if (x->members == NULL || x->grantees == NULL || x->uids == NULL || x->roles == NULL ||
	    x->externals == NULL)
		return -1;
	for (size_t i = 0; i < img->n_groups; i++)
		for (size_t k = 0; k < img->groups[i].n_members; k++)
			x->members[x->n_members++] = orgrbac_keyed(img->groups[i].members[k], i);
	for (size_t i = 0; i < img->n_grants; i++)
		for (size_t k = 0; k < img->grants[i].n_grantees; k++)
			x->grantees[x->n_grantees++] = orgrbac_keyed(img->grants[i].grantees[k], i);
	for (size_t i = 0; i < img->n_users; i++)
		x->uids[x->n_uids++] = orgrbac_keyed(img->users[i].uid, i);
	for (size_t i = 0; i < img->n_roles; i++)
		x->roles[x->n_roles++] = orgrbac_keyed(img->roles[i].dn, i);
	for (size_t i = 0; i < img->n_externals; i++)
		x->externals[x->n_externals++] = orgrbac_keyed(img->externals[i].dn, i);
	orgrbac_keyed_sort(x->members, x->n_members);
	orgrbac_keyed_sort(x->grantees, x->n_grantees);
	orgrbac_keyed_sort(x->uids, x->n_uids);
	orgrbac_keyed_sort(x->roles, x->n_roles);
	orgrbac_keyed_sort(x->externals, x->n_externals);
	return 0;
}

struct orgrbac_img_index *orgrbac_img_index_new(const struct orgrbac_image *img)
{
	struct orgrbac_img_index *x = calloc(1, sizeof(*x));

	if (x != NULL && ix_fill(x, img) != 0) {
		orgrbac_img_index_free(x);
		x = NULL;
	}
	return x;
}

void orgrbac_img_index_free(struct orgrbac_img_index *x)
{
	if (x == NULL)
		return;
	free(x->members);
	free(x->grantees);
	free(x->uids);
	free(x->roles);
	free(x->externals);
	free(x);
}

long orgrbac_img_index_posix(const struct orgrbac_image *img, const struct orgrbac_img_index *x,
			     const char *dn, const char *uid)
{
	for (size_t i = orgrbac_keyed_lower(x->uids, x->n_uids, uid);
	     i < x->n_uids && strcmp(x->uids[i].key, uid) == 0; i++) {
		const struct orgrbac_img_user *u = &img->users[x->uids[i].idx];

		if (strcmp(u->dn, dn) == 0 && u->posix.present)
			return (long)x->uids[i].idx;
	}
	return -1;
}

/* Group g, of which `cur` is a member, joins the queue if new and of the organization. */
static int take_group(const struct orgrbac_image *img, size_t g, const char *org_dn,
		      unsigned char *seen, size_t *q, size_t *tail)
{
	if (seen[g] || !orgrbac_img_below(img->groups[g].dn, org_dn))
		return 0;
	if (*tail >= ORGRBAC_MAX_GROUPS)
		return -1;
	seen[g] = 1;
	q[(*tail)++] = g;
	return 0;
}

/* Every group naming `cur`, in the image's order: through the index, or by a scan. */
static int groups_naming(const struct orgrbac_image *img, const struct orgrbac_img_index *x,
			 const char *cur, const char *org_dn, unsigned char *seen, size_t *q,
			 size_t *tail)
{
	if (x != NULL) {
		for (size_t i = orgrbac_keyed_lower(x->members, x->n_members, cur);
		     i < x->n_members && strcmp(x->members[i].key, cur) == 0; i++)
			if (take_group(img, x->members[i].idx, org_dn, seen, q, tail) != 0)
				return -1;
		return 0;
	}
	for (size_t g = 0; g < img->n_groups; g++)
		if (has_member(&img->groups[g], cur) &&
		    take_group(img, g, org_dn, seen, q, tail) != 0)
			return -1;
	return 0;
}

/*
 * The user's groups of `org_dn`, level by level as groups.c searches them:
 * indexes into img->groups in *q. Count, or -1 when more than ORGRBAC_MAX_GROUPS.
 */
static long user_groups(const struct orgrbac_image *img, const struct orgrbac_img_index *x,
			const char *user_dn, const char *org_dn, unsigned char *seen, size_t *q)
{
	size_t head = 0, tail = 0, level_end = 0;
	int depth = 0;
	const char *cur = user_dn;

	for (;;) {
		if (groups_naming(img, x, cur, org_dn, seen, q, &tail) != 0)
			return -1;
		if (head == tail)
			break;
		if (head == level_end) {
			level_end = tail;
			if (++depth >= ORGRBAC_MAX_GROUP_DEPTH)
				break;
		}
		cur = img->groups[q[head++]].dn;
	}
	return (long)tail;
}

char *orgrbac_img_group_chain(const struct orgrbac_image *img, const char *user_dn,
			      const char *group_dn)
{
	const char *org_dn = orgrbac_img_org_dn(user_dn, img->base);
	size_t n = img->n_groups, head = 0, tail = 0, end = SIZE_MAX;
	size_t *q = calloc(n + 1, sizeof(*q)), *parent = calloc(n + 1, sizeof(*parent));
	unsigned char *depth = calloc(n + 1, 1);
	char *out = NULL, *buf = NULL;
	size_t len = 0;
	FILE *m;

	if (strcmp(user_dn, group_dn) == 0) {
		out = strdup("");
		goto done;
	}
	if (org_dn == NULL || q == NULL || parent == NULL || depth == NULL)
		goto done;
	/* breadth first from the user: depth[g] is 1 + the level it was found at */
	for (const char *cur = user_dn, *cur_parent = NULL;;) {
		for (size_t g = 0; g < n; g++) {
			if (depth[g] != 0 || !orgrbac_img_below(img->groups[g].dn, org_dn) ||
			    !has_member(&img->groups[g], cur))
				continue;
			depth[g] = (unsigned char)(cur_parent == NULL ? 1 : depth[q[head - 1]] + 1);
			parent[g] = cur_parent == NULL ? SIZE_MAX : q[head - 1];
			q[tail++] = g;
			if (strcmp(img->groups[g].dn, group_dn) == 0)
				end = g;
		}
		if (end != SIZE_MAX || head == tail)
			break;
		if (depth[q[head]] >= ORGRBAC_MAX_GROUP_DEPTH)
			break;
		cur = img->groups[q[head]].dn;
		cur_parent = cur;
		head++;
	}
	if (end == SIZE_MAX)
		goto done;
	m = open_memstream(&buf, &len);
	if (m == NULL)
		goto done;
	/* from the user's own group up to group_dn: the parents, reversed */
	tail = 0;
	for (size_t g = end; g != SIZE_MAX; g = parent[g])
		q[tail++] = g;
	for (size_t k = tail; k > 0; k--)
		fprintf(m, "%s%s", k < tail ? " > " : "", img->groups[q[k - 1]].dn);
	if (fclose(m) == 0)
		out = buf;
	else
		free(buf);
done:
	free(q);
	free(parent);
	free(depth);
	return out;
}

/* The entry that is `uid`'s login here; 1 with err when none is. */
static int login_entry(const struct orgrbac_image *img, const struct orgrbac_img_index *x,
		       const char *host_org, const char *uid, const struct orgrbac_img_user **out,
		       const char **org_dn, orgrbac_error *err)
{
	const struct orgrbac_img_user *host = NULL, *any = NULL;
	size_t total = 0, in_host = 0,
	       i = x != NULL ? orgrbac_keyed_lower(x->uids, x->n_uids, uid) : 0;

	for (; x != NULL ? i < x->n_uids && strcmp(x->uids[i].key, uid) == 0 : i < img->n_users;
	     i++) {
		const struct orgrbac_img_user *u = &img->users[x != NULL ? x->uids[i].idx : i];
		const char *o;

		if (strcmp(u->uid, uid) != 0)
			continue;
		total++;
		any = u;
		o = orgrbac_img_org_dn(u->dn, img->base);
		if (o != NULL && host_org != NULL &&
		    strlen(o) == strlen(host_org) + 3 + strlen(img->base) &&
		    strncasecmp(o + 2, host_org, strlen(host_org)) == 0) {
			in_host++;
			host = u;
		}
	}
	if (total == 0) {
		orgrbac_seterr(err, "no such principal");
		return 1;
	}
	if (!(in_host == 1 || (in_host == 0 && total == 1))) {
		orgrbac_seterr(err, "%zu entries hold this uid%s", total,
			       in_host > 1 ? " in the host organization" : "");
		return 1;
	}
	*out = in_host == 1 ? host : any;
	*org_dn = orgrbac_img_org_dn((*out)->dn, img->base);
	if (*org_dn == NULL) {
		orgrbac_seterr(err, "entry %s lies outside every organization", (*out)->dn);
		return 1;
	}
	return 0;
}

/* Index in f->roles (room for one more) of the role `r`, added when new; -1 out of memory. */
static long add_role(struct orgrbac_facts *f, const struct orgrbac_img_role *r)
{
	struct orgrbac_role *v;

	for (size_t i = 0; i < f->n_roles; i++)
		if (strcmp(f->roles[i].dn, r->dn) == 0)
			return (long)i;
	v = &f->roles[f->n_roles];
	v->dn = orgrbac_arena_strdup(f->arena, r->dn);
	v->name = orgrbac_arena_strdup(f->arena, r->cn != NULL ? r->cn : r->dn);
	v->privileges = strv_dup(f->arena, r->privileges, r->n_privileges);
	v->n_privileges = r->n_privileges;
	f->n_roles++;
	if (v->dn == NULL || v->name == NULL || v->privileges == NULL)
		return -1;
	return (long)(f->n_roles - 1);
}

/* The role the grant may use: global, or the organization's own from its own grant. */
static const struct orgrbac_img_role *reach_role(const struct orgrbac_image *img,
						 const struct orgrbac_img_index *x,
						 const struct orgrbac_img_grant *g, bool platform,
						 const char *org_dn, const char *global_roles)
{
	size_t i;

	if (g->unreadable[0] != '\0' || g->role_dn == NULL)
		return NULL;
	if (!orgrbac_img_below(g->role_dn, global_roles) &&
	    (platform || !orgrbac_img_below(g->role_dn, org_dn)))
		return NULL;
	if (x != NULL) {
		i = orgrbac_keyed_lower(x->roles, x->n_roles, g->role_dn);
		return i < x->n_roles && strcmp(x->roles[i].key, g->role_dn) == 0
			   ? &img->roles[x->roles[i].idx]
			   : NULL;
	}
	for (i = 0; i < img->n_roles; i++)
		if (strcmp(img->roles[i].dn, g->role_dn) == 0)
			return &img->roles[i];
	return NULL;
}

/* The grantee value naming the user or one of its groups, or NULL. */
static const char *grant_via(const struct orgrbac_image *img, const struct orgrbac_img_grant *g,
			     const char *user_dn, const size_t *q, size_t n_groups)
{
	for (size_t i = 0; i < g->n_grantees; i++) {
		if (strcmp(g->grantees[i], user_dn) == 0)
			return g->grantees[i];
		for (size_t k = 0; k < n_groups; k++)
			if (strcmp(g->grantees[i], img->groups[q[k]].dn) == 0)
				return g->grantees[i];
	}
	return NULL;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorted, without repeats; the count kept. */
static size_t sort_unique(size_t *v, size_t n)
{
	size_t k = 0;

	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_size);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || v[k - 1] != v[i])
			v[k++] = v[i];
	return k;
}

/*
 * The grants that may name the user or one of its groups, in the image's
 * order: those the index finds under these values, or every grant. NULL
 * out of memory.
 */
static size_t *grant_candidates(const struct orgrbac_image *img, const struct orgrbac_img_index *x,
				const char *user_dn, const size_t *q, size_t n_groups, size_t *n)
{
	size_t cap = 16, *v = NULL;

	*n = 0;
	if (x == NULL) {
		v = calloc(img->n_grants + 1, sizeof(*v));
		for (size_t i = 0; v != NULL && i < img->n_grants; i++)
			v[(*n)++] = i;
		return v;
	}
	v = calloc(cap, sizeof(*v));
	for (size_t k = 0; v != NULL && k <= n_groups; k++) {
		const char *who = k == 0 ? user_dn : img->groups[q[k - 1]].dn;

		for (size_t i = orgrbac_keyed_lower(x->grantees, x->n_grantees, who);
		     i < x->n_grantees && strcmp(x->grantees[i].key, who) == 0; i++) {
			size_t *grown = orgrbac_grow(v, &cap, *n + 1, sizeof(*v));

			if (grown == NULL) {
				free(v);
				return NULL;
			}
			v = grown;
			v[(*n)++] = x->grantees[i].idx;
		}
	}
	if (v != NULL)
		*n = sort_unique(v, *n);
	return v;
}

static int add_grants(const struct orgrbac_image *img, const struct orgrbac_img_index *x,
		      struct orgrbac_facts *f, const char *org_dn, const size_t *q, size_t n_groups)
{
	char *global_roles = NULL, *platform_dn = NULL;
	long *role_of = NULL;
	size_t n_cand = 0, room;
	size_t *cand = grant_candidates(img, x, f->dn, q, n_groups, &n_cand);
	int rc = -1;

	if (cand == NULL)
		goto out;
	/* each candidate brings at most a grant and a role: the arrays are sized once */
	room = n_cand < ORGRBAC_MAX_GRANTS ? n_cand : ORGRBAC_MAX_GRANTS;
	f->grants = orgrbac_arena_alloc(f->arena, (room + 1) * sizeof(*f->grants));
	f->roles = orgrbac_arena_alloc(f->arena, (room + 1) * sizeof(*f->roles));
	if (f->grants == NULL || f->roles == NULL)
		goto out;

	if (asprintf(&global_roles, "ou=roles,%s", img->base) < 0) {
		global_roles = NULL;
		goto out;
	}
	if (asprintf(&platform_dn, "ou=grants,%s", img->base) < 0) {
		platform_dn = NULL;
		goto out;
	}
	role_of = calloc(n_cand + 1, sizeof(*role_of));
	if (role_of == NULL)
		goto out;
	for (size_t c = 0; c < n_cand; c++) {
		const struct orgrbac_img_grant *ig = &img->grants[cand[c]];
		bool platform = orgrbac_img_below(ig->dn, platform_dn);
		const char *via;
		const struct orgrbac_img_role *r;
		struct orgrbac_grant *g;

		if (!platform && !orgrbac_img_below(ig->dn, org_dn))
			continue;
		via = grant_via(img, ig, f->dn, q, n_groups);
		if (via == NULL)
			continue;
		if (f->n_grants >= room)
			break;
		g = &f->grants[f->n_grants];
		role_of[f->n_grants++] = -1;
		g->dn = orgrbac_arena_strdup(f->arena, ig->dn);
		g->name = rdn_value(f->arena, ig->dn);
		g->platform = platform;
		g->org = platform ? NULL : orgrbac_arena_strdup(f->arena, f->org);
		memcpy(g->unreadable, ig->unreadable, sizeof(g->unreadable));
		g->role_dn =
		    ig->role_dn != NULL ? orgrbac_arena_strdup(f->arena, ig->role_dn) : NULL;
		g->scopes = strv_dup(f->arena, ig->scopes, ig->n_scopes);
		g->n_scopes = ig->n_scopes;
		g->window = ig->window;
		g->via = orgrbac_arena_strdup(f->arena, via);
		if (g->dn == NULL || g->name == NULL || (!platform && g->org == NULL) ||
		    (ig->role_dn != NULL && g->role_dn == NULL) || g->scopes == NULL ||
		    g->via == NULL)
			goto out;
		r = reach_role(img, x, ig, platform, org_dn, global_roles);
		if (r != NULL && (role_of[f->n_grants - 1] = add_role(f, r)) < 0)
			goto out;
	}
	if (f->n_grants == 0)
		f->grants = NULL;
	if (f->n_roles == 0)
		f->roles = NULL;
	/* the roles array is complete: point each grant at its role */
	for (size_t i = 0; i < f->n_grants; i++)
		f->grants[i].role = role_of[i] >= 0 ? &f->roles[role_of[i]] : NULL;
	rc = 0;
out:
	free(global_roles);
	free(platform_dn);
	free(role_of);
	free(cand);
	return rc;
}

static int cmp_ext_depth(const void *a, const void *b)
{
	size_t x = strlen(((const struct orgrbac_external *)a)->dn),
	       y = strlen(((const struct orgrbac_external *)b)->dn);

	return x > y ? -1 : x < y ? 1 : 0;
}

/* One external-access entry above the user, appended (f->external has room); -1 out of memory. */
static int add_one_external(const struct orgrbac_img_external *ix, struct orgrbac_facts *f)
{
	struct orgrbac_external *x = &f->external[f->n_external++];

	*x = ix->access;
	x->dn = orgrbac_arena_strdup(f->arena, ix->dn);
	x->name = rdn_value(f->arena, ix->dn);
	return x->dn == NULL || x->name == NULL ? -1 : 0;
}

/*
 * The external-access entries above the user's DN, in the image's order:
 * each suffix after an unescaped comma looked up in the index.
 */
static size_t *externals_above(const struct orgrbac_img_index *x, const char *dn, size_t *n)
{
	size_t cap = 4, *v = calloc(cap, sizeof(*v));

	*n = 0;
	for (const char *p = dn; v != NULL && (p = strchr(p, ',')) != NULL; p++) {
		size_t k = 0;

		while (p - k > dn && p[-1 - (long)k] == '\\')
			k++;
		if (k % 2 != 0)
			continue;
		for (size_t i = orgrbac_keyed_lower(x->externals, x->n_externals, p + 1);
		     i < x->n_externals && strcmp(x->externals[i].key, p + 1) == 0; i++) {
			size_t *grown = orgrbac_grow(v, &cap, *n + 1, sizeof(*v));

			if (grown == NULL) {
				free(v);
				return NULL;
			}
			v = grown;
			v[(*n)++] = x->externals[i].idx;
		}
	}
	if (v != NULL)
		*n = sort_unique(v, *n);
	return v;
}

/* The external-access entries above the user's DN, in the image's order; NULL out of memory. */
static size_t *externals_of(const struct orgrbac_image *img, const struct orgrbac_img_index *x,
			    const char *dn, size_t *n)
{
	size_t k = 0, *v = x != NULL ? externals_above(x, dn, n)
				     : calloc(img->n_externals + 1, sizeof(*v));

	if (v == NULL || x != NULL)
		return v;
	for (size_t i = 0; i < img->n_externals; i++)
		v[k++] = i;
	*n = k;
	return v;
}

static int add_external(const struct orgrbac_image *img, const struct orgrbac_img_index *x,
			struct orgrbac_facts *f)
{
	size_t n = 0, k = 0, *v = externals_of(img, x, f->dn, &n);
	int rc = v == NULL ? -1 : 0;

	for (size_t i = 0; rc == 0 && i < n; i++)
		if (orgrbac_img_below(f->dn, img->externals[v[i]].dn))
			v[k++] = v[i];
	/* none: NULL, an internal principal */
	if (rc == 0 && k > 0 &&
	    (f->external = orgrbac_arena_alloc(f->arena, k * sizeof(*f->external))) == NULL)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < k; i++)
		rc = add_one_external(&img->externals[v[i]], f);
	free(v);
	if (rc != 0)
		return -1;
	if (f->n_external > 1)
		qsort(f->external, f->n_external, sizeof(*f->external), cmp_ext_depth);
	return 0;
}

int orgrbac_image_facts(const struct orgrbac_image *img, const char *host_org, const char *uid,
			struct orgrbac_facts **out, orgrbac_error *err)
{
	return orgrbac_image_facts_ix(img, NULL, host_org, uid, out, err);
}

int orgrbac_image_facts_ix(const struct orgrbac_image *img, const struct orgrbac_img_index *x,
			   const char *host_org, const char *uid, struct orgrbac_facts **out,
			   orgrbac_error *err)
{
	return orgrbac_image_facts_in(img, x, NULL, host_org, uid, out, err);
}

/* The arena of one principal's facts: a few kB. */
#define FACTS_BLOCK 4096

int orgrbac_image_facts_in(const struct orgrbac_image *img, const struct orgrbac_img_index *x,
			   struct orgrbac_arena *arena, const char *host_org, const char *uid,
			   struct orgrbac_facts **out, orgrbac_error *err)
{
	const struct orgrbac_img_user *u = NULL;
	const char *org_dn = NULL;
	struct orgrbac_facts *f = NULL;
	unsigned char *seen = NULL;
	size_t *q = NULL;
	long n_groups;
	int rc;

	*out = NULL;
	rc = login_entry(img, x, host_org, uid, &u, &org_dn, err);
	if (rc != 0)
		return rc;
	rc = -1;
	f = calloc(1, sizeof(*f));
	seen = calloc(img->n_groups + 1, 1);
	q = calloc(ORGRBAC_MAX_GROUPS + 1, sizeof(*q));
	/* one arena holds the facts' strings and arrays: a few blocks, not a malloc each */
	if (f == NULL || seen == NULL || q == NULL ||
	    (f->arena =
		 arena != NULL ? orgrbac_arena_ref(arena) : orgrbac_arena_new(FACTS_BLOCK)) == NULL)
		goto out;
	f->user = orgrbac_arena_strdup(f->arena, uid);
	f->dn = orgrbac_arena_strdup(f->arena, u->dn);
	f->org =
	    orgrbac_arena_strndup(f->arena, org_dn + 2, strlen(org_dn) - strlen(img->base) - 3);
	if (f->user == NULL || f->dn == NULL || f->org == NULL)
		goto out;
	n_groups = user_groups(img, x, u->dn, org_dn, seen, q);
	if (n_groups < 0) {
		orgrbac_seterr(err, "member of more than %d groups (orgrbac's limit)",
			       ORGRBAC_MAX_GROUPS);
		rc = 1;
		goto out;
	}
	f->groups = orgrbac_arena_alloc(f->arena, ((size_t)n_groups + 1) * sizeof(*f->groups));
	if (f->groups == NULL)
		goto out;
	for (long i = 0; i < n_groups; i++) {
		f->groups[i] = orgrbac_arena_strdup(f->arena, img->groups[q[i]].dn);
		if (f->groups[i] == NULL)
			goto out;
		f->n_groups++;
	}
	if (add_grants(img, x, f, org_dn, q, (size_t)n_groups) != 0 || add_external(img, x, f) != 0)
		goto out;
	*out = f;
	f = NULL;
	rc = 0;
out:
	if (rc < 0)
		orgrbac_seterr(err, "out of memory");
	orgrbac_facts_free(f);
	free(seen);
	free(q);
	return rc;
}

static int cmp_uid(const void *a, const void *b, void *ctx)
{
	const struct orgrbac_image *img = ctx;

	return strcmp(img->users[*(const size_t *)a].uid, img->users[*(const size_t *)b].uid);
}

int orgrbac_who(const struct orgrbac_image *img, const struct orgrbac_host *host,
		const struct orgrbac_policy *policy, int64_t now, struct orgrbac_who_result *out,
		orgrbac_error *err)
{
	size_t *order = calloc(img->n_users + 1, sizeof(*order));
	struct orgrbac_img_index *x = orgrbac_img_index_new(img);
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (order == NULL || x == NULL) {
		free(order);
		orgrbac_img_index_free(x);
		orgrbac_seterr(err, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < img->n_users; i++)
		order[i] = i;
	qsort_r(order, img->n_users, sizeof(*order), cmp_uid, (void *)img);
	for (size_t i = 0; i < img->n_users; i++) {
		const char *uid = img->users[order[i]].uid, *why;
		struct orgrbac_facts *f = NULL;
		struct orgrbac_who_entry *e;
		orgrbac_error ferr;
		int frc;

		if (i > 0 && strcmp(uid, img->users[order[i - 1]].uid) == 0)
			continue;
		/* a name no login can carry is nobody's: the live decision refuses it first */
		if (!orgrbac_username_valid(uid, &why))
			continue;
		frc = orgrbac_image_facts_ix(img, x, host->org, uid, &f, &ferr);
		if (frc < 0) {
			*err = ferr;
			goto out;
		}
		if (frc > 0)
			continue;
		out->judged++;
		e = orgrbac_grow(out->e, &out->cap, out->n + 1, sizeof(*e));
		if (e == NULL) {
			orgrbac_facts_free(f);
			orgrbac_seterr(err, "out of memory");
			goto out;
		}
		out->e = e;
		e = &out->e[out->n];
		e->facts = f;
		orgrbac_decide(f, host, policy, now, &e->decision);
		if (e->decision.verdict == ORGRBAC_ALLOW)
			out->n++;
		else
			orgrbac_facts_free(f);
	}
	rc = 0;
out:
	free(order);
	orgrbac_img_index_free(x);
	if (rc != 0)
		orgrbac_who_free(out);
	return rc;
}

void orgrbac_who_free(struct orgrbac_who_result *r)
{
	for (size_t i = 0; r->e != NULL && i < r->n; i++)
		orgrbac_facts_free(r->e[i].facts);
	free(r->e);
	memset(r, 0, sizeof(*r));
}

enum orgrbac_dir_status orgrbac_read_image(const struct orgrbac_config *cfg, bool trust_any_owner,
					   struct orgrbac_image *img, orgrbac_error *err)
{
	struct orgrbac_ldap *l = NULL;
	enum orgrbac_dir_status st;

	memset(img, 0, sizeof(*img));
	st = orgrbac_dir_status_from_ldap(orgrbac_ldap_open(cfg, trust_any_owner, &l, err));
	if (st != ORGRBAC_DIR_FOUND)
		return st;
	st = orgrbac_directory_image(l, cfg, img, err);
	orgrbac_ldap_close(l);
	return st;
}
