/* SPDX-License-Identifier: BSD-2-Clause */
/* The host's view of the directory, as the snapshot holds it: which roles become groups. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostview_int.h"

void orgrbac_image_free(struct orgrbac_image *img)
{
	if (img == NULL)
		return;
	free(img->base);
	for (size_t i = 0; i < img->n_users; i++) {
		free(img->users[i].dn);
		free(img->users[i].uid);
		free(img->users[i].posix.gecos);
		free(img->users[i].posix.home);
		free(img->users[i].posix.shell);
	}
	for (size_t i = 0; i < img->n_groups; i++) {
		free(img->groups[i].dn);
		orgrbac_strv_free(img->groups[i].members);
	}
	for (size_t i = 0; i < img->n_roles; i++) {
		free(img->roles[i].dn);
		free(img->roles[i].cn);
		free(img->roles[i].group_name);
		orgrbac_strv_free(img->roles[i].privileges);
	}
	for (size_t i = 0; i < img->n_grants; i++) {
		free(img->grants[i].dn);
		free(img->grants[i].role_dn);
		orgrbac_strv_free(img->grants[i].grantees);
		orgrbac_strv_free(img->grants[i].scopes);
		free(img->grants[i].creator);
		free(img->grants[i].created);
		free(img->grants[i].modifier);
		free(img->grants[i].modified);
	}
	for (size_t i = 0; i < img->n_externals; i++)
		free(img->externals[i].dn);
	free(img->users);
	free(img->groups);
	free(img->roles);
	free(img->grants);
	free(img->externals);
	memset(img, 0, sizeof(*img));
}

void orgrbac_view_principal_free(struct orgrbac_view_principal *p)
{
	free(p->uid);
	orgrbac_facts_free(p->facts);
	free(p->refused);
	free(p->posix.gecos);
	free(p->posix.home);
	free(p->posix.shell);
	memset(p, 0, sizeof(*p));
}

void orgrbac_view_free(struct orgrbac_view *v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < v->n_principals; i++)
		orgrbac_view_principal_free(&v->principals[i]);
	free(v->principals);
	free(v->identity.org);
	orgrbac_strv_free(v->identity.services);
	free(v->identity.resource);
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

/* ---- the computation (members: hostview_members.c) ---- */

/* Anything unprintable in a warning's text becomes '?': directory values may hold anything but NUL.
 */
static void printable(char *s)
{
	for (char *c = s; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
}

void orgrbac_view_leave_out(const struct orgrbac_view_params *p, const char *kind, const char *name,
			    const char *fmt, ...)
{
	char who[256], why[384], msg[700];
	va_list ap;

	if (p->warn == NULL && p->left_out == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(who, sizeof(who), "%s", name != NULL ? name : "?");
	printable(who);
	printable(why);
	if (strcmp(kind, "role") == 0)
		snprintf(msg, sizeof(msg), "role '%s' left out: %s", who, why);
	else
		snprintf(msg, sizeof(msg), "user %s%s left out: %s",
			 strcmp(kind, "entry") == 0 ? "entry " : "", who, why);
	if (p->warn != NULL)
		p->warn(p->warn_ctx, msg);
	if (p->left_out != NULL)
		p->left_out(p->left_out_ctx, kind, who, why);
}

bool orgrbac_view_dn_below(const char *child, const char *parent)
{
	size_t c = strlen(child), p = strlen(parent), k = 0;

	if (p == 0 || c <= p + 1 || strcmp(child + c - p, parent) != 0 || child[c - p - 1] != ',')
		return false;
	while (k < c - p - 1 && child[c - p - 2 - k] == '\\')
		k++;
	return k % 2 == 0;
}

static int pairs_build(struct orgrbac_keyed **out, size_t n)
{
	*out = calloc(n + 1, sizeof(**out));
	return *out == NULL ? -1 : 0;
}

static int index_image(struct orgrbac_view_ctx *c)
{
	const struct orgrbac_image *img = c->img;
	size_t e = 0, g = 0;

	for (size_t i = 0; i < img->n_groups; i++)
		e += img->groups[i].n_members;
	for (size_t i = 0; i < img->n_grants; i++)
		g += img->grants[i].n_grantees;
	if (pairs_build(&c->edges, e) || pairs_build(&c->grantees, g) ||
	    pairs_build(&c->roles, img->n_roles) || pairs_build(&c->externals, img->n_externals) ||
	    pairs_build(&c->uids, img->n_users))
		return -1;
	for (size_t i = 0; i < img->n_groups; i++) {
		for (size_t k = 0; k < img->groups[i].n_members; k++)
			c->edges[c->n_edges++] = orgrbac_keyed(img->groups[i].members[k], i);
	}
	for (size_t i = 0; i < img->n_grants; i++)
		for (size_t k = 0; k < img->grants[i].n_grantees; k++)
			c->grantees[c->n_grantees++] = orgrbac_keyed(img->grants[i].grantees[k], i);
	for (size_t i = 0; i < img->n_roles; i++)
		c->roles[i] = orgrbac_keyed(img->roles[i].dn, i);
	for (size_t i = 0; i < img->n_externals; i++)
		c->externals[i] = orgrbac_keyed(img->externals[i].dn, i);
	for (size_t i = 0; i < img->n_users; i++)
		c->uids[i] = orgrbac_keyed(img->users[i].uid, i);
	orgrbac_keyed_sort(c->edges, c->n_edges);
	orgrbac_keyed_sort(c->grantees, c->n_grantees);
	orgrbac_keyed_sort(c->roles, img->n_roles);
	orgrbac_keyed_sort(c->externals, img->n_externals);
	orgrbac_keyed_sort(c->uids, img->n_users);
	c->group_seen = calloc(img->n_groups + 1, 1);
	c->queue = calloc(img->n_groups + 1, sizeof(*c->queue));
	c->grant_seen = calloc(img->n_grants + 1, 1);
	c->grants = calloc(img->n_grants + 1, sizeof(*c->grants));
	c->exposed = calloc(img->n_roles + 1, sizeof(*c->exposed));
	if (c->group_seen == NULL || c->queue == NULL || c->grant_seen == NULL ||
	    c->grants == NULL || c->exposed == NULL)
		return -1;
	return 0;
}

static bool local_clash(const struct orgrbac_view_params *p, const char *name, long long gid)
{
	for (size_t i = 0; i < p->n_local; i++)
		if (strcmp(p->local[i].name, name) == 0 || (long long)p->local[i].gid == gid)
			return true;
	return false;
}

/* The names array has holes (roles that are no group): free all of it. */
static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Candidates sorted by gid, then by name, to find the ones claimed twice. */
struct claim {
	const struct orgrbac_img_role *roles;
	char **names;
};

static int cmp_claim_gid(const void *a, const void *b, void *ctx)
{
	const struct claim *k = ctx;
	long long x = k->roles[*(const size_t *)a].gid, y = k->roles[*(const size_t *)b].gid;

	return x < y ? -1 : x > y;
}

static int cmp_claim_name(const void *a, const void *b, void *ctx)
{
	const struct claim *k = ctx;

	return strcmp(k->names[*(const size_t *)a], k->names[*(const size_t *)b]);
}

/* Set exposed[i] = -2 for every candidate (names[i] set) whose gid or name another has. */
static int mark_claimed_twice(struct orgrbac_view_ctx *c, char **names)
{
	const struct orgrbac_image *img = c->img;
	struct claim k = {img->roles, names};
	size_t *idx = calloc(img->n_roles + 1, sizeof(*idx)), n = 0;

	if (idx == NULL)
		return -1;
	for (size_t i = 0; i < img->n_roles; i++)
		if (names[i] != NULL)
			idx[n++] = i;
	for (int pass = 0; pass < 2; pass++) {
		qsort_r(idx, n, sizeof(*idx), pass == 0 ? cmp_claim_gid : cmp_claim_name, &k);
		for (size_t i = 1; i < n; i++) {
			bool same = pass == 0 ? img->roles[idx[i]].gid == img->roles[idx[i - 1]].gid
					      : strcmp(names[idx[i]], names[idx[i - 1]]) == 0;

			if (same)
				c->exposed[idx[i]] = c->exposed[idx[i - 1]] = -2;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (c->exposed[idx[i]] == -2)
			orgrbac_view_leave_out(c->p, "role", img->roles[idx[i]].cn,
					       "its group %s or gid %lld is claimed twice",
					       names[idx[i]], img->roles[idx[i]].gid);
	free(idx);
	return 0;
}

/*
 * The group name role `i` takes on this host, in *name; NULL, with a
 * warning, when the role may not be a group here. -1 when out of memory.
 */
static int candidate_name(struct orgrbac_view_ctx *c, size_t i, char **name)
{
	const struct orgrbac_view_params *p = c->p;
	const struct orgrbac_img_role *r = &c->img->roles[i];
	const char *cn = r->cn != NULL ? r->cn : "?";
	char *n;

	*name = NULL;
	/* Another organization's roles: gids are allocated per organization. */
	if (!r->has_gid || (!orgrbac_view_dn_below(r->dn, c->global_roles) &&
			    (c->host_org == NULL || !orgrbac_view_dn_below(r->dn, c->host_org))))
		return 0;
	if (r->gid < p->gid_min || r->gid < 1 || r->gid > 0xfffffffeLL) {
		orgrbac_view_leave_out(p, "role", cn,
				       "gid %lld is below gid_min %ld or out of range", r->gid,
				       p->gid_min);
		return 0;
	}
	if (r->group_name == NULL && r->cn != NULL && strlen(r->cn) > ORGRBAC_GROUP_NAME_MAX) {
		orgrbac_view_leave_out(p, "role", cn,
				       "no orgGroupName, and its cn is longer than %d bytes",
				       ORGRBAC_GROUP_NAME_MAX);
		return 0;
	}
	n = r->group_name != NULL ? strdup(r->group_name)
				  : orgrbac_group_name_derive(p->group_prefix, r->cn);
	if (n == NULL && r->cn != NULL)
		return -1; /* out of memory */
	if (!orgrbac_group_name_valid(n)) {
		orgrbac_view_leave_out(p, "role", cn, "'%s' is not a usable group name",
				       n != NULL ? n : "");
		free(n);
		return 0;
	}
	if (local_clash(p, n, r->gid)) {
		orgrbac_view_leave_out(p, "role", cn, "group %s or gid %lld exists in /etc/group",
				       n, r->gid);
		free(n);
		return 0;
	}
	*name = n;
	return 0;
}

/* Role `i` joins the view as the group `name`, which the view takes over. */
static int add_view_role(struct orgrbac_view_ctx *c, size_t i, char *name)
{
	const struct orgrbac_img_role *r = &c->img->roles[i];
	struct orgrbac_view *v = c->out;
	struct orgrbac_view_role *vr;

	vr = orgrbac_grow(v->roles, &v->cap_roles, v->n_roles + 1, sizeof(*vr));
	if (vr == NULL) {
		free(name);
		return -1;
	}
	v->roles = vr;
	vr = &v->roles[v->n_roles];
	vr->group = name;
	vr->cn = orgrbac_strdup(r->cn != NULL ? r->cn : "");
	vr->gid = (uint32_t)r->gid;
	vr->privileges = calloc(r->n_privileges + 1, sizeof(char *));
	c->exposed[i] = (long)v->n_roles++;
	if (vr->cn == NULL || vr->privileges == NULL)
		return -1;
	for (size_t k = 0; k < r->n_privileges; k++) {
		vr->privileges[k] = strdup(r->privileges[k]);
		if (vr->privileges[k] == NULL)
			return -1;
		vr->n_privileges++;
	}
	return 0;
}

/* Which roles become groups, and under which names. */
static int expose_roles(struct orgrbac_view_ctx *c)
{
	size_t n = c->img->n_roles;
	char **names = calloc(n + 1, sizeof(*names));

	if (names == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		c->exposed[i] = -1;
		if (candidate_name(c, i, &names[i]) != 0)
			goto nomem;
	}
	/* A name or gid claimed twice in the directory: neither may have it. */
	if (mark_claimed_twice(c, names) != 0)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		char *name = names[i];

		names[i] = NULL;
		if (name == NULL || c->exposed[i] == -2) {
			free(name);
			c->exposed[i] = -1;
		} else if (add_view_role(c, i, name) != 0) {
			goto nomem;
		}
	}
	free(names);
	return 0;
nomem:
	free_names(names, n);
	return -1;
}

int orgrbac_view_compute(const struct orgrbac_image *img, const struct orgrbac_view_params *p,
			 struct orgrbac_view *out, orgrbac_error *err)
{
	struct orgrbac_view_ctx c = {.img = img, .p = p, .out = out};
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (img->base == NULL || asprintf(&c.global_roles, "ou=roles,%s", img->base) < 0) {
		c.global_roles = NULL;
		orgrbac_seterr(err, "out of memory");
		goto out;
	}
	if (asprintf(&c.platform_grants, "ou=grants,%s", img->base) < 0) {
		c.platform_grants = NULL;
		orgrbac_seterr(err, "out of memory");
		goto out;
	}
	if (p->host.org != NULL) {
		if (asprintf(&c.host_org, "o=%s,%s", p->host.org, img->base) < 0) {
			c.host_org = NULL;
			orgrbac_seterr(err, "out of memory");
			goto out;
		}
		for (char *q = c.host_org; *q != '\0'; q++)
			if (*q >= 'A' && *q <= 'Z')
				*q = (char)(*q - 'A' + 'a');
	}
	if (index_image(&c) != 0 || expose_roles(&c) != 0) {
		orgrbac_seterr(err, "out of memory");
		goto out;
	}
	if (orgrbac_view_add_users(&c) != 0) {
		orgrbac_seterr(err, "out of memory");
		goto out;
	}
	rc = 0;
out:
	if (rc != 0)
		orgrbac_view_free(out);
	free(c.global_roles);
	free(c.platform_grants);
	free(c.host_org);
	free(c.edges);
	free(c.grantees);
	free(c.roles);
	free(c.externals);
	free(c.uids);
	free(c.exposed);
	free(c.group_seen);
	free(c.queue);
	free(c.grant_seen);
	free(c.grants);
	return rc;
}
