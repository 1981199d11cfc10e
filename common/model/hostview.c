/* SPDX-License-Identifier: BSD-2-Clause */
/* The host's view of the directory for the snapshot: role groups, their members and windows. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expr.h"
#include "hostview.h"

/* As the live decision bounds one principal (ORGRBAC_MAX_GROUPS in directory.h). */
#define MAX_GROUPS_PER_USER 1024

void orgrbac_image_free(struct orgrbac_image *img)
{
	if (img == NULL)
		return;
	free(img->base);
	for (size_t i = 0; i < img->n_users; i++) {
		free(img->users[i].dn);
		free(img->users[i].uid);
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

char *orgrbac_group_name_derive(const char *prefix, const char *cn)
{
	size_t plen = prefix != NULL ? strlen(prefix) : 0, n = 0;
	char *out;
	bool dash = false;

	if (cn == NULL || strlen(cn) > ORGRBAC_GROUP_NAME_MAX)
		return NULL;
	out = malloc(plen + strlen(cn) + 1);
	if (out == NULL)
		return NULL;
	if (plen > 0)
		memcpy(out, prefix, plen);
	n = plen;
	for (const unsigned char *p = (const unsigned char *)cn; *p != '\0'; p++) {
		unsigned char c = *p;

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
			out[n++] = (char)c;
			dash = false;
		} else if (!dash) {
			out[n++] = '-';
			dash = true;
		}
	}
	out[n] = '\0';
	return out;
}

bool orgrbac_group_name_valid(const char *name)
{
	size_t n;

	if (name == NULL || name[0] == '\0' || name[0] == '-')
		return false;
	n = strlen(name);
	if (n > ORGRBAC_GROUP_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.'))
			return false;
	}
	return true;
}

int orgrbac_local_groups_parse(const char *text, struct orgrbac_local_group **out, size_t *n)
{
	struct orgrbac_local_group *v = NULL;
	size_t count = 0, cap = 0;
	const char *line = text;

	*out = NULL;
	*n = 0;
	while (line != NULL && *line != '\0') {
		const char *end = strchr(line, '\n'), *c1, *c2, *c3;
		size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
		char gidbuf[16], *ep;
		unsigned long gid;

		c1 = memchr(line, ':', len);
		c2 = c1 != NULL ? memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - line)) : NULL;
		c3 = c2 != NULL ? memchr(c2 + 1, ':', len - (size_t)(c2 + 1 - line)) : NULL;
		if (c3 != NULL && c1 > line && (size_t)(c3 - c2 - 1) < sizeof(gidbuf) &&
		    c3 - c2 > 1) {
			memcpy(gidbuf, c2 + 1, (size_t)(c3 - c2 - 1));
			gidbuf[c3 - c2 - 1] = '\0';
			gid = strtoul(gidbuf, &ep, 10);
			if (*ep == '\0' && gid <= UINT32_MAX) {
				if (count == cap) {
					size_t ncap = cap == 0 ? 64 : cap * 2;
					struct orgrbac_local_group *g =
					    reallocarray(v, ncap, sizeof(*v));

					if (g == NULL)
						goto nomem;
					v = g;
					cap = ncap;
				}
				v[count].name = strndup(line, (size_t)(c1 - line));
				if (v[count].name == NULL)
					goto nomem;
				v[count++].gid = (uint32_t)gid;
			}
		}
		line = end != NULL ? end + 1 : NULL;
	}
	*out = v;
	*n = count;
	return 0;
nomem:
	orgrbac_local_groups_free(v, count);
	return -1;
}

void orgrbac_local_groups_free(struct orgrbac_local_group *g, size_t n)
{
	for (size_t i = 0; g != NULL && i < n; i++)
		free(g[i].name);
	free(g);
}

/* ---- the computation ---- */

static void warn(const struct orgrbac_view_params *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void warn(const struct orgrbac_view_params *p, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (p->warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Directory values may hold anything but NUL; a warning is one printable line. */
	for (char *c = msg; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	p->warn(p->warn_ctx, msg);
}

/* Is normalized `child` strictly beneath `parent`? The ',' must not be an escaped one. */
static bool dn_below(const char *child, const char *parent)
{
	size_t c = strlen(child), p = strlen(parent), k = 0;

	if (p == 0 || c <= p + 1 || strcmp(child + c - p, parent) != 0 || child[c - p - 1] != ',')
		return false;
	while (k < c - p - 1 && child[c - p - 2 - k] == '\\')
		k++;
	return k % 2 == 0;
}

/* The RDN of `dn` directly beneath `base`: "o=acme" yields "acme"; NULL otherwise. */
static char *org_of(const char *dn, const char *base)
{
	size_t c = strlen(dn), p = strlen(base), end, start;

	if (!dn_below(dn, base))
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
	return strndup(dn + start, end - start);
}

struct pair {
	const char *key;
	size_t idx;
};

static int cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The first pair with `key`, or n. */
static size_t pair_lower(const struct pair *v, size_t n, const char *key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(v[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static long pair_find(const struct pair *v, size_t n, const char *key)
{
	size_t i = pair_lower(v, n, key);

	return i < n && strcmp(v[i].key, key) == 0 ? (long)v[i].idx : -1;
}

struct ctx {
	const struct orgrbac_image *img;
	const struct orgrbac_view_params *p;
	struct orgrbac_view *out;
	char *global_roles;    /* "ou=roles," + base */
	char *platform_grants; /* "ou=grants," + base */
	char *host_org;	       /* "o=" + the host's organization + "," + base */
	struct pair *groups, *edges, *grantees, *roles, *externals, *uids;
	size_t n_edges, n_grantees;
	long *exposed; /* per image role: view role index or -1 */
	/* per user, reused */
	unsigned char *group_seen;
	size_t *queue;
	unsigned char *grant_seen;
	size_t *grants;
};

static int pairs_build(struct pair **out, size_t n)
{
	*out = calloc(n + 1, sizeof(**out));
	return *out == NULL ? -1 : 0;
}

static int index_image(struct ctx *c)
{
	const struct orgrbac_image *img = c->img;
	size_t e = 0, g = 0;

	for (size_t i = 0; i < img->n_groups; i++)
		e += img->groups[i].n_members;
	for (size_t i = 0; i < img->n_grants; i++)
		g += img->grants[i].n_grantees;
	if (pairs_build(&c->groups, img->n_groups) || pairs_build(&c->edges, e) ||
	    pairs_build(&c->grantees, g) || pairs_build(&c->roles, img->n_roles) ||
	    pairs_build(&c->externals, img->n_externals) || pairs_build(&c->uids, img->n_users))
		return -1;
	for (size_t i = 0; i < img->n_groups; i++) {
		c->groups[i] = (struct pair){img->groups[i].dn, i};
		for (size_t k = 0; k < img->groups[i].n_members; k++)
			c->edges[c->n_edges++] = (struct pair){img->groups[i].members[k], i};
	}
	for (size_t i = 0; i < img->n_grants; i++)
		for (size_t k = 0; k < img->grants[i].n_grantees; k++)
			c->grantees[c->n_grantees++] = (struct pair){img->grants[i].grantees[k], i};
	for (size_t i = 0; i < img->n_roles; i++)
		c->roles[i] = (struct pair){img->roles[i].dn, i};
	for (size_t i = 0; i < img->n_externals; i++)
		c->externals[i] = (struct pair){img->externals[i].dn, i};
	for (size_t i = 0; i < img->n_users; i++)
		c->uids[i] = (struct pair){img->users[i].uid, i};
	qsort(c->groups, img->n_groups, sizeof(struct pair), cmp_pair);
	qsort(c->edges, c->n_edges, sizeof(struct pair), cmp_pair);
	qsort(c->grantees, c->n_grantees, sizeof(struct pair), cmp_pair);
	qsort(c->roles, img->n_roles, sizeof(struct pair), cmp_pair);
	qsort(c->externals, img->n_externals, sizeof(struct pair), cmp_pair);
	qsort(c->uids, img->n_users, sizeof(struct pair), cmp_pair);
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
static int mark_claimed_twice(struct ctx *c, char **names)
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
			warn(c->p, "role '%s' left out: its group %s or gid %lld is claimed twice",
			     img->roles[idx[i]].cn != NULL ? img->roles[idx[i]].cn : "?",
			     names[idx[i]], img->roles[idx[i]].gid);
	free(idx);
	return 0;
}

/* Which roles become groups, and under which names. */
static int expose_roles(struct ctx *c)
{
	const struct orgrbac_image *img = c->img;
	const struct orgrbac_view_params *p = c->p;
	struct orgrbac_view *v = c->out;
	char **names = calloc(img->n_roles + 1, sizeof(*names));

	if (names == NULL)
		return -1;
	for (size_t i = 0; i < img->n_roles; i++) {
		const struct orgrbac_img_role *r = &img->roles[i];
		const char *cn = r->cn != NULL ? r->cn : "?";

		c->exposed[i] = -1;
		/* Another organization's roles: gids are allocated per organization. */
		if (!r->has_gid || (!dn_below(r->dn, c->global_roles) &&
				    (c->host_org == NULL || !dn_below(r->dn, c->host_org))))
			continue;
		if (r->gid < p->gid_min || r->gid < 1 || r->gid > 0xfffffffeLL) {
			warn(p, "role '%s' left out: gid %lld is below gid_min %ld or out of range",
			     cn, r->gid, p->gid_min);
			continue;
		}
		names[i] = r->group_name != NULL
			       ? strdup(r->group_name)
			       : orgrbac_group_name_derive(p->group_prefix, r->cn);
		if (names[i] == NULL && r->cn != NULL) {
			free_names(names, img->n_roles);
			return -1;
		}
		if (!orgrbac_group_name_valid(names[i])) {
			warn(p, "role '%s' left out: '%s' is not a usable group name", cn,
			     names[i] != NULL ? names[i] : "");
			free(names[i]);
			names[i] = NULL;
			continue;
		}
		if (local_clash(p, names[i], r->gid)) {
			warn(p, "role '%s' left out: group %s or gid %lld exists in /etc/group", cn,
			     names[i], r->gid);
			free(names[i]);
			names[i] = NULL;
		}
	}
	/* A name or gid claimed twice in the directory: neither may have it. */
	if (mark_claimed_twice(c, names) != 0) {
		free_names(names, img->n_roles);
		return -1;
	}
	for (size_t i = 0; i < img->n_roles; i++) {
		const struct orgrbac_img_role *r = &img->roles[i];
		struct orgrbac_view_role *vr;

		if (names[i] == NULL || c->exposed[i] == -2) {
			free(names[i]);
			names[i] = NULL;
			c->exposed[i] = -1;
			continue;
		}
		if (v->n_roles == v->cap_roles) {
			size_t ncap = v->cap_roles == 0 ? 16 : v->cap_roles * 2;
			struct orgrbac_view_role *g = reallocarray(v->roles, ncap, sizeof(*g));

			if (g == NULL)
				goto nomem;
			v->roles = g;
			v->cap_roles = ncap;
		}
		vr = &v->roles[v->n_roles];
		memset(vr, 0, sizeof(*vr));
		vr->group = names[i];
		names[i] = NULL;
		vr->cn = orgrbac_strdup(r->cn != NULL ? r->cn : "");
		vr->gid = (uint32_t)r->gid;
		vr->privileges = calloc(r->n_privileges + 1, sizeof(char *));
		c->exposed[i] = (long)v->n_roles++;
		if (vr->cn == NULL || vr->privileges == NULL)
			goto nomem;
		for (size_t k = 0; k < r->n_privileges; k++) {
			vr->privileges[k] = strdup(r->privileges[k]);
			if (vr->privileges[k] == NULL)
				goto nomem;
			vr->n_privileges++;
		}
	}
	free(names);
	return 0;
nomem:
	free_names(names, img->n_roles);
	return -1;
}

/* Every group of `org_dn` the user belongs to, transitively; count, or -1 when too many. */
static long user_groups(struct ctx *c, const char *user_dn, const char *org_dn)
{
	size_t head = 0, tail = 0;
	const char *cur = user_dn;

	for (;;) {
		for (size_t i = pair_lower(c->edges, c->n_edges, cur);
		     i < c->n_edges && strcmp(c->edges[i].key, cur) == 0; i++) {
			size_t g = c->edges[i].idx;

			if (c->group_seen[g] || !dn_below(c->img->groups[g].dn, org_dn))
				continue;
			if (tail >= MAX_GROUPS_PER_USER)
				return -1;
			c->group_seen[g] = 1;
			c->queue[tail++] = g;
		}
		if (head == tail)
			break;
		cur = c->img->groups[c->queue[head++]].dn;
	}
	return (long)tail;
}

static void user_groups_reset(struct ctx *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		c->group_seen[c->queue[i]] = 0;
}

/* Grants of the user's home organization or the platform naming the user or one of its groups. */
static size_t user_grants(struct ctx *c, const char *user_dn, size_t n_groups, const char *org_dn)
{
	size_t n = 0;

	for (size_t q = 0; q <= n_groups; q++) {
		const char *who = q == 0 ? user_dn : c->img->groups[c->queue[q - 1]].dn;

		for (size_t i = pair_lower(c->grantees, c->n_grantees, who);
		     i < c->n_grantees && strcmp(c->grantees[i].key, who) == 0; i++) {
			size_t g = c->grantees[i].idx;
			const char *dn = c->img->grants[g].dn;

			if (c->grant_seen[g] ||
			    (!dn_below(dn, org_dn) && !dn_below(dn, c->platform_grants)))
				continue;
			c->grant_seen[g] = 1;
			c->grants[n++] = g;
		}
	}
	for (size_t i = 0; i < n; i++)
		c->grant_seen[c->grants[i]] = 0;
	return n;
}

static bool is_platform(const struct ctx *c, const struct orgrbac_img_grant *g)
{
	return dn_below(g->dn, c->platform_grants);
}

/*
 * The grant's role, when the grant is readable, the role exists, and the
 * grant may use it: global roles, and the organization's own roles from
 * the organization's own grants (never from platform grants).
 */
static const struct orgrbac_img_role *grant_role(struct ctx *c, const struct orgrbac_img_grant *g,
						 const char *org_dn, long *idx)
{
	long r;

	if (g->unreadable[0] != '\0' || g->role_dn == NULL)
		return NULL;
	if (!dn_below(g->role_dn, c->global_roles) &&
	    (is_platform(c, g) || !dn_below(g->role_dn, org_dn)))
		return NULL;
	r = pair_find(c->roles, c->img->n_roles, g->role_dn);
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

static int add_member(struct ctx *c, struct who *w, size_t role, int64_t nb, int64_t na)
{
	struct orgrbac_view *v = c->out;

	if (nb >= na)
		return 0; /* an empty window: never a member */
	if (w->idx == SIZE_MAX) {
		struct orgrbac_view_user *u;

		if (v->n_users == v->cap_users) {
			size_t ncap = v->cap_users == 0 ? 64 : v->cap_users * 2;
			struct orgrbac_view_user *g = reallocarray(v->users, ncap, sizeof(*g));

			if (g == NULL)
				return -1;
			v->users = g;
			v->cap_users = ncap;
		}
		u = &v->users[v->n_users];
		memset(u, 0, sizeof(*u));
		u->name = strdup(w->u->uid);
		if (u->name == NULL)
			return -1;
		u->external = w->external;
		u->foreign = w->foreign;
		u->not_before = w->not_before;
		u->not_after = w->not_after;
		w->idx = v->n_users++;
	}
	if (v->n_members == v->cap_members) {
		size_t ncap = v->cap_members == 0 ? 256 : v->cap_members * 2;
		struct orgrbac_view_member *g = reallocarray(v->members, ncap, sizeof(*g));

		if (g == NULL)
			return -1;
		v->members = g;
		v->cap_members = ncap;
	}
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
static bool external_window(struct ctx *c, struct who *w)
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
		if (k % 2 != 0 || (i = pair_find(c->externals, c->img->n_externals, p + 1)) < 0)
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

static int one_user(struct ctx *c, const struct orgrbac_img_user *u)
{
	const struct orgrbac_view_params *p = c->p;
	const char *cross = p->cross_org_privilege;
	char *org = org_of(u->dn, c->img->base), *org_dn = NULL;
	struct who w = {.u = u, .idx = SIZE_MAX};
	size_t n_grants;
	long n_groups;
	bool home;
	int rc = 0;

	if (org == NULL)
		return 0; /* not inside an organization: nobody on any host */
	if (!external_window(c, &w))
		goto out;
	if (asprintf(&org_dn, "%s,%s", org, c->img->base) < 0) {
		org_dn = NULL;
		rc = -1;
		goto out;
	}
	home = p->host.org != NULL && strcasecmp(org + 2, p->host.org) == 0;
	w.foreign = !home;
	n_groups = user_groups(c, u->dn, org_dn);
	if (n_groups < 0) {
		warn(p, "user %s left out: member of more than %d groups", u->uid,
		     MAX_GROUPS_PER_USER);
		user_groups_reset(c, MAX_GROUPS_PER_USER);
		goto out;
	}
	n_grants = user_grants(c, u->dn, (size_t)n_groups, org_dn);
	user_groups_reset(c, (size_t)n_groups);
	for (size_t i = 0; i < n_grants && rc == 0; i++) {
		const struct orgrbac_img_grant *g = &c->img->grants[c->grants[i]];
		long ri = -1;

		if (grant_role(c, g, org_dn, &ri) == NULL || c->exposed[ri] < 0 ||
		    !grant_covers(g, &p->host))
			continue;
		if (home) {
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
out:
	free(org);
	free(org_dn);
	return rc;
}

/*
 * Of the entries holding `uid` (sorted pairs from `first`), the one that is
 * the login name on this host, as orgrbac_directory_load picks it: the host
 * organization's; else the only one, if it lies inside an organization.
 * NULL, with a warning, when the name is ambiguous.
 */
static const struct orgrbac_img_user *login_entry(struct ctx *c, size_t first)
{
	const struct orgrbac_image *img = c->img;
	const char *uid = c->uids[first].key;
	const struct orgrbac_img_user *host = NULL, *any = NULL;
	size_t total = 0, in_host = 0;

	for (size_t i = first; i < img->n_users && strcmp(c->uids[i].key, uid) == 0; i++) {
		const struct orgrbac_img_user *u = &img->users[c->uids[i].idx];
		char *org = org_of(u->dn, img->base);

		total++;
		any = u;
		if (org != NULL && c->p->host.org != NULL &&
		    strcasecmp(org + 2, c->p->host.org) == 0) {
			in_host++;
			host = u;
		}
		free(org);
	}
	if (in_host == 1)
		return host;
	if (in_host == 0 && total == 1)
		return any;
	warn(c->p, "user %s left out: %zu entries hold this uid%s", uid, total,
	     in_host > 1 ? " in the host organization" : "");
	return NULL;
}

int orgrbac_view_compute(const struct orgrbac_image *img, const struct orgrbac_view_params *p,
			 struct orgrbac_view *out, orgrbac_error *err)
{
	struct ctx c = {.img = img, .p = p, .out = out};
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
	for (size_t first = 0, next; first < img->n_users; first = next) {
		const struct orgrbac_img_user *u;
		const char *why;

		for (next = first + 1;
		     next < img->n_users && strcmp(c.uids[next].key, c.uids[first].key) == 0;
		     next++)
			;
		if (!orgrbac_username_valid(c.uids[first].key, &why)) {
			warn(p, "user entry %s left out: uid %s", img->users[c.uids[first].idx].dn,
			     why);
			continue;
		}
		/* One entry per uid is the login name here; the others are not users of it. */
		u = login_entry(&c, first);
		if (u != NULL && one_user(&c, u) != 0) {
			orgrbac_seterr(err, "out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	if (rc != 0)
		orgrbac_view_free(out);
	free(c.global_roles);
	free(c.platform_grants);
	free(c.host_org);
	free(c.groups);
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
