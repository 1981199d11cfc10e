/* SPDX-License-Identifier: BSD-2-Clause */
/* `orgrbac lint`: the whole directory judged, one finding per problem, each with its fix. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "gtime.h"
#include "lint.h"
#include "policy.h"
#include "who.h"

static int add(struct orgrbac_lint *l, const char *check, const char *dn, const char *fix,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int add(struct orgrbac_lint *l, const char *check, const char *dn, const char *fix,
	       const char *fmt, ...)
{
	struct orgrbac_lint_finding *f = orgrbac_grow(l->f, &l->cap, l->n + 1, sizeof(*f));
	va_list ap;
	int n;

	if (f == NULL)
		return -1;
	l->f = f;
	f = &l->f[l->n];
	memset(f, 0, sizeof(*f));
	f->check = check;
	f->dn = strdup(dn);
	f->fix = strdup(fix);
	va_start(ap, fmt);
	n = vasprintf(&f->what, fmt, ap);
	va_end(ap);
	if (n < 0)
		f->what = NULL;
	l->n++;
	return f->dn != NULL && f->fix != NULL && f->what != NULL ? 0 : -1;
}

static bool is_user(const struct orgrbac_image *img, const char *dn)
{
	for (size_t i = 0; i < img->n_users; i++)
		if (strcmp(img->users[i].dn, dn) == 0)
			return true;
	return false;
}

static long group_index(const struct orgrbac_image *img, const char *dn)
{
	for (size_t i = 0; i < img->n_groups; i++)
		if (strcmp(img->groups[i].dn, dn) == 0)
			return (long)i;
	return -1;
}

static const struct orgrbac_img_role *find_role(const struct orgrbac_image *img, const char *dn)
{
	for (size_t i = 0; i < img->n_roles; i++)
		if (strcmp(img->roles[i].dn, dn) == 0)
			return &img->roles[i];
	return NULL;
}

/* A window's order and end: "ends before it starts", "is over". */
static int window_findings(struct orgrbac_lint *l, const char *dn, const struct orgrbac_window *w,
			   int64_t now, const char *what)
{
	char a[32], b[32];

	if (w->malformed)
		return 0; /* said as unreadable data */
	if (w->has_not_before && w->has_not_after && w->not_after <= w->not_before) {
		orgrbac_time_format(w->not_before, a, sizeof(a));
		orgrbac_time_format(w->not_after, b, sizeof(b));
		return add(l, "window-order", dn,
			   "set orgNotAfter after orgNotBefore, or delete the entry",
			   "%s window ends (%s) before it starts (%s): it is never open", what, b,
			   a);
	}
	if (w->has_not_after && w->not_after <= now) {
		orgrbac_time_format(w->not_after, b, sizeof(b));
		return add(l, "window-over", dn,
			   "delete the entry, or move orgNotAfter if it should go on",
			   "%s window is over: it ended %s", what, b);
	}
	return 0;
}

static int lint_grants(const struct orgrbac_image *img, const struct orgrbac_lint_params *p,
		       struct orgrbac_lint *l)
{
	char *global_roles = NULL, *platform_dn = NULL;
	int rc = -1;

	if (asprintf(&global_roles, "ou=roles,%s", img->base) < 0)
		return -1;
	if (asprintf(&platform_dn, "ou=grants,%s", img->base) < 0) {
		free(global_roles);
		return -1;
	}
	for (size_t i = 0; i < img->n_grants; i++) {
		const struct orgrbac_img_grant *g = &img->grants[i];
		struct orgrbac_grant pg = {.scopes = g->scopes, .n_scopes = g->n_scopes};
		bool platform = orgrbac_img_below(g->dn, platform_dn);
		const char *org_dn = orgrbac_img_org_dn(g->dn, img->base), *why;

		memcpy(pg.unreadable, g->unreadable, sizeof(pg.unreadable));
		why = orgrbac_grant_void_reason(&pg);
		if (why != NULL) {
			if (add(l, "void-grant", g->dn,
				"rewrite the value so that it reads in full (one valid value, no "
				"attribute options), or delete the grant",
				"grant is void, it grants nothing: %s", why) != 0)
				goto out;
			continue;
		}
		if (g->role_dn != NULL && find_role(img, g->role_dn) == NULL) {
			if (add(l, "grant-role", g->dn,
				"point orgGrantedRole at an existing role, or delete the grant",
				"grant names role %s, which does not exist", g->role_dn) != 0)
				goto out;
		} else if (g->role_dn != NULL && !orgrbac_img_below(g->role_dn, global_roles) &&
			   (platform || org_dn == NULL || !orgrbac_img_below(g->role_dn, org_dn))) {
			if (add(l, "grant-role", g->dn,
				"grant a global role (ou=roles beneath the base) or a role of the "
				"grant's own organization",
				"grant names role %s, which it may not give (%s)", g->role_dn,
				platform ? "a platform grant gives global roles only"
					 : "another organization's role") != 0)
				goto out;
		}
		for (size_t k = 0; k < g->n_grantees; k++) {
			const char *who = g->grantees[k];

			if (is_user(img, who) || group_index(img, who) >= 0) {
				/* an organization's grant counts for its own principals only */
				if (platform || org_dn == NULL || orgrbac_img_below(who, org_dn))
					continue;
				if (add(l, "grant-grantee", g->dn,
					"grant it in that principal's organization, or as a "
					"platform "
					"grant",
					"grant names %s of another organization: an organization's "
					"grants give nothing to others' principals",
					who) != 0)
					goto out;
				continue;
			}
			if (add(l, "grant-grantee", g->dn,
				"remove the orgGrantee value (or the grant, when it names nobody "
				"else)",
				"grant names %s, which is no user or group", g->grantees[k]) != 0)
				goto out;
		}
		if (window_findings(l, g->dn, &g->window, p->now, "grant") != 0)
			goto out;
	}
	rc = 0;
out:
	free(global_roles);
	free(platform_dn);
	return rc;
}

static int lint_externals(const struct orgrbac_image *img, const struct orgrbac_lint_params *p,
			  struct orgrbac_lint *l)
{
	for (size_t i = 0; i < img->n_externals; i++) {
		const struct orgrbac_img_external *x = &img->externals[i];
		const struct orgrbac_window *w = &x->access.window;

		if (x->access.unreadable[0] != '\0') {
			if (add(l, "void-external", x->dn,
				"rewrite the value so that it reads in full; until then its users "
				"are refused",
				"external-access entry is closed: %s", x->access.unreadable) != 0)
				return -1;
			continue;
		}
		if (x->access.kind == ORGRBAC_EXT_KIND_UNKNOWN ||
		    x->access.mode == ORGRBAC_MODE_UNKNOWN) {
			if (add(l, "void-external", x->dn,
				"set orgExternalKind to vendor or partner and orgAccessMode to "
				"continuous, window or disabled",
				"external-access entry is closed: its %s is none that orgrbac "
				"knows",
				x->access.kind == ORGRBAC_EXT_KIND_UNKNOWN ? "orgExternalKind"
									   : "orgAccessMode") != 0)
				return -1;
			continue;
		}
		if (x->access.mode != ORGRBAC_MODE_WINDOW)
			continue;
		if (!w->has_not_before || !w->has_not_after) {
			if (add(l, "window-missing", x->dn,
				"set orgNotBefore and orgNotAfter, or orgAccessMode continuous or "
				"disabled",
				"orgAccessMode window without %s: its users are refused",
				!w->has_not_before && !w->has_not_after
				    ? "orgNotBefore and orgNotAfter"
				: !w->has_not_before ? "orgNotBefore"
						     : "orgNotAfter") != 0)
				return -1;
			continue;
		}
		if (window_findings(l, x->dn, w, p->now, "external access") != 0)
			return -1;
	}
	return 0;
}

static int cmp_user(const void *a, const void *b, void *ctx)
{
	const struct orgrbac_image *img = ctx;

	return strcmp(img->users[*(const size_t *)a].uid, img->users[*(const size_t *)b].uid);
}

/* One uid held in several organizations: a finding on each entry. */
static int lint_uids(const struct orgrbac_image *img, struct orgrbac_lint *l)
{
	size_t *o = calloc(img->n_users + 1, sizeof(*o));
	int rc = 0;

	if (o == NULL)
		return -1;
	for (size_t i = 0; i < img->n_users; i++)
		o[i] = i;
	qsort_r(o, img->n_users, sizeof(*o), cmp_user, (void *)img);
	for (size_t first = 0, next; first < img->n_users && rc == 0; first = next) {
		const char *uid = img->users[o[first]].uid, *org0 = NULL;
		bool several = false;

		for (next = first; next < img->n_users && strcmp(img->users[o[next]].uid, uid) == 0;
		     next++) {
			const char *org = orgrbac_img_org_dn(img->users[o[next]].dn, img->base);

			if (next == first)
				org0 = org;
			else if (org0 == NULL || org == NULL || strcmp(org0, org) != 0)
				several = true;
		}
		/* several entries of one organization: the name is nobody's login there */
		for (size_t k = first; !several && next - first > 1 && k < next && rc == 0; k++)
			rc = add(l, "uid-twice", img->users[o[k]].dn,
				 "rename or delete all but one of the entries",
				 "uid %s is held by %zu entries of one organization: every login "
				 "under it is refused",
				 uid, next - first);
		for (size_t k = first; several && k < next && rc == 0; k++)
			rc = add(l, "uid-orgs", img->users[o[k]].dn,
				 "rename the uid in all but one organization",
				 "uid %s is held in several organizations: on a host of neither it "
				 "is refused",
				 uid);
	}
	free(o);
	return rc;
}

/* May this readable grant give the role: a global one, or its own organization's? */
static bool gives(const struct orgrbac_image *img, const struct orgrbac_img_grant *g,
		  const char *role_dn)
{
	const char *org_dn = orgrbac_img_org_dn(g->dn, img->base), *role_org;

	if (g->unreadable[0] != '\0' || g->role_dn == NULL || strcmp(g->role_dn, role_dn) != 0)
		return false;
	role_org = orgrbac_img_org_dn(role_dn, img->base);
	/* a global role (outside every organization), or the grant's own organization's */
	return role_org == NULL || (org_dn != NULL && strcmp(org_dn, role_org) == 0);
}

static int lint_roles(const struct orgrbac_image *img, const struct orgrbac_lint_params *p,
		      struct orgrbac_lint *l)
{
	for (size_t i = 0; i < img->n_roles; i++) {
		const struct orgrbac_img_role *r = &img->roles[i];
		char *name;
		bool held = false;

		for (size_t k = 0; k < img->n_grants && !held; k++)
			held = gives(img, &img->grants[k], r->dn);
		if (!held &&
		    add(l, "role-unheld", r->dn, "grant it, or delete the role if nobody needs it",
			"role '%s' is given by no grant", r->cn) != 0)
			return -1;
		if (!r->has_gid)
			continue;
		if (r->gid < p->gid_min &&
		    add(l, "gid-low", r->dn, "give the role a gidNumber of 1000 or more",
			"role '%s' has gidNumber %lld, below %ld: the snapshot leaves it out",
			r->cn, r->gid, p->gid_min) != 0)
			return -1;
		for (size_t k = 0; k < i; k++)
			if (img->roles[k].has_gid && img->roles[k].gid == r->gid &&
			    add(l, "gid-collision", r->dn,
				"give each role a gidNumber of its own (orgrbac role set NAME "
				"--gid "
				"auto)",
				"role '%s' has gidNumber %lld, as %s does", r->cn, r->gid,
				img->roles[k].dn) != 0)
				return -1;
		name = r->group_name != NULL ? strdup(r->group_name)
					     : orgrbac_group_name_derive(p->group_prefix, r->cn);
		if (name == NULL)
			return -1;
		for (size_t k = 0; k < p->n_local; k++) {
			if (strcmp(p->local[k].name, name) != 0)
				continue;
			if (add(l, "shadow", r->dn,
				"set orgGroupName to a name this host does not use, or a "
				"group_prefix in [nss]",
				"role '%s' is the OS group '%s', which /etc/group already holds "
				"(gid %u)",
				r->cn, name, p->local[k].gid) != 0) {
				free(name);
				return -1;
			}
			break;
		}
		free(name);
	}
	return 0;
}

/* Does any role hold `priv`, directly or through a wildcard? */
static bool someone_may_hold(const struct orgrbac_image *img, const char *priv)
{
	for (size_t i = 0; i < img->n_roles; i++)
		for (size_t k = 0; k < img->roles[i].n_privileges; k++)
			if (orgrbac_privilege_covers(img->roles[i].privileges[k], priv))
				return true;
	return false;
}

/* The privileges a requirement names: its runs of privilege characters. */
static int lint_requirements(const struct orgrbac_image *img, const struct orgrbac_lint_params *p,
			     struct orgrbac_lint *l)
{
	for (size_t i = 0; i <= p->n_svc; i++) {
		const char *s = i < p->n_svc ? p->svc[i].require : p->default_require;
		char where[300];

		if (i < p->n_svc)
			snprintf(where, sizeof(where), "[service %s]", p->svc[i].name);
		else
			snprintf(where, sizeof(where), "[pam] default_require");
		while (s != NULL && *s != '\0') {
			size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					     "0123456789_.-:");
			char term[ORGRBAC_PRIVILEGE_MAX + 1];

			if (n == 0) {
				s++;
				continue;
			}
			if (n < sizeof(term)) {
				memcpy(term, s, n);
				term[n] = '\0';
				if (strcmp(term, "none") != 0 &&
				    orgrbac_privilege_valid(term, false) &&
				    !someone_may_hold(img, term) &&
				    add(l, "privilege-unheld", where,
					"add the privilege to a role and grant it, or change the "
					"requirement",
					"require names %s, which no role holds: only full-access "
					"external users meet it",
					term) != 0)
					return -1;
			}
			s += n;
		}
	}
	return 0;
}

/* Groups reached from g through member values (g itself only through a cycle). */
static void reach(const struct orgrbac_image *img, size_t g, unsigned char *seen, size_t *q)
{
	size_t head = 0, tail = 0;

	memset(seen, 0, img->n_groups);
	q[tail++] = g;
	while (head < tail) {
		const struct orgrbac_img_group *cur = &img->groups[q[head++]];

		for (size_t k = 0; k < cur->n_members; k++) {
			long m = group_index(img, cur->members[k]);

			if (m >= 0 && !seen[m]) {
				seen[m] = 1;
				q[tail++] = (size_t)m;
			}
		}
	}
}

/* One finding per cycle (a set of groups reaching each other), on its first group. */
static int lint_cycles(const struct orgrbac_image *img, struct orgrbac_lint *l)
{
	size_t n = img->n_groups;
	unsigned char *seen = calloc(n + 1, 1), *done = calloc(n + 1, 1), *back = calloc(n + 1, 1);
	size_t *q = calloc(n + 1, sizeof(*q));
	int rc = -1;

	if (seen == NULL || done == NULL || back == NULL || q == NULL)
		goto out;
	for (size_t g = 0; g < n; g++) {
		char *list = NULL;
		size_t len = 0;
		FILE *m;

		if (done[g])
			continue;
		reach(img, g, seen, q);
		if (!seen[g])
			continue;
		/* the cycle: groups g reaches that reach g back */
		memcpy(back, seen, n);
		m = open_memstream(&list, &len);
		if (m == NULL)
			goto out;
		for (size_t h = 0; h < n; h++) {
			if (!back[h] || h == g)
				continue;
			reach(img, h, seen, q);
			if (!seen[g])
				continue;
			done[h] = 1;
			fprintf(m, "%s%s", ftell(m) > 0 ? "; " : "", img->groups[h].dn);
		}
		fclose(m);
		done[g] = 1;
		if (add(l, "group-cycle", img->groups[g].dn,
			"remove one of the member values that close the cycle",
			"group is its own member through %s: a cycle (readers survive it, but "
			"it gives every member of each group every grant of the others)",
			list != NULL && list[0] != '\0' ? list : "itself") != 0) {
			free(list);
			goto out;
		}
		free(list);
	}
	rc = 0;
out:
	free(seen);
	free(done);
	free(back);
	free(q);
	return rc;
}

int orgrbac_lint_run(const struct orgrbac_image *img, const struct orgrbac_lint_params *p,
		     struct orgrbac_lint *out)
{
	memset(out, 0, sizeof(*out));
	if (lint_grants(img, p, out) != 0 || lint_externals(img, p, out) != 0 ||
	    lint_uids(img, out) != 0 || lint_roles(img, p, out) != 0 ||
	    lint_requirements(img, p, out) != 0 || lint_cycles(img, out) != 0) {
		orgrbac_lint_free(out);
		return -1;
	}
	return 0;
}

void orgrbac_lint_free(struct orgrbac_lint *l)
{
	for (size_t i = 0; l->f != NULL && i < l->n; i++) {
		free(l->f[i].dn);
		free(l->f[i].what);
		free(l->f[i].fix);
	}
	free(l->f);
	memset(l, 0, sizeof(*l));
}
