/* SPDX-License-Identifier: BSD-2-Clause */
/* The grants naming one principal or its groups, and the roles they give. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entry.h"
#include "filter.h"
#include "principal.h"

/* The grantee value that names the user or one of its groups. */
static char *grant_via(struct orgrbac_load *s, char *const *grantees, size_t n)
{
	char *via = NULL;

	for (size_t i = 0; i < n && via == NULL; i++) {
		struct orgrbac_dn d;

		if (orgrbac_dn_parse(grantees[i], &d) != 0)
			continue;
		if (strcmp(d.str, s->user.str) == 0 || orgrbac_load_is_group(s, d.str))
			via = strdup(grantees[i]);
		orgrbac_dn_free(&d);
	}
	return via;
}

static enum orgrbac_dir_status add_grant(struct orgrbac_load *s, LDAPMessage *e, bool platform)
{
	struct orgrbac_facts *f = s->f;
	struct orgrbac_grant *g, *grown;
	struct orgrbac_grant_values v;
	char *dn = orgrbac_entry_dn(s->ld, e);

	if (dn == NULL)
		return orgrbac_load_fail(s, ORGRBAC_DIR_ERROR, "out of memory");
	for (size_t i = 0; i < f->n_grants; i++)
		if (orgrbac_dn_same(f->grants[i].dn, dn)) {
			free(dn);
			return ORGRBAC_DIR_FOUND;
		}
	if (f->n_grants >= ORGRBAC_MAX_GRANTS) {
		free(dn);
		return orgrbac_load_fail(s, ORGRBAC_DIR_ERROR, "more than 4096 grants name %s",
					 f->user);
	}
	grown = orgrbac_grow(f->grants, &s->cap_grants, f->n_grants + 1, sizeof(*f->grants));
	if (grown == NULL) {
		free(dn);
		return orgrbac_load_fail(s, ORGRBAC_DIR_ERROR, "out of memory");
	}
	f->grants = grown;
	g = &f->grants[f->n_grants++];
	memset(g, 0, sizeof(*g));
	g->dn = dn;
	if (orgrbac_single_value(s->ld, e, "cn", &g->name) != 0 || g->name == NULL) {
		/* several cn values: name it by its DN */
		free(g->name);
		g->name = strdup(dn);
	}
	g->platform = platform;
	g->org = platform ? NULL : strdup(f->org);
	if (orgrbac_read_grant(s->ld, e, &v) != 0) {
		orgrbac_grant_values_free(&v);
		return orgrbac_load_fail(s, ORGRBAC_DIR_ERROR, "out of memory");
	}
	memcpy(g->unreadable, v.why, sizeof(g->unreadable));
	g->role_dn = v.role_dn;
	g->scopes = v.scopes;
	g->n_scopes = v.n_scopes;
	g->window = v.window;
	g->via = grant_via(s, v.grantees, v.n_grantees);
	orgrbac_strv_free(v.grantees);
	if (g->via == NULL && g->unreadable[0] == '\0')
		snprintf(g->unreadable, sizeof(g->unreadable),
			 "no orgGrantee value names the user or its groups");
	if (g->name == NULL || (!platform && g->org == NULL))
		return orgrbac_load_fail(s, ORGRBAC_DIR_ERROR, "cannot read grant %s", dn);
	return ORGRBAC_DIR_FOUND;
}

/* ctx: is it a platform grant? */
static enum orgrbac_dir_status add_grant_entry(struct orgrbac_load *s, LDAPMessage *e, void *ctx)
{
	return add_grant(s, e, *(const bool *)ctx);
}

/*
 * The grants naming the user or its groups: its organization's, then the
 * platform's in ou=grants beneath the base, which a directory may not have.
 */
enum orgrbac_dir_status orgrbac_load_grants(struct orgrbac_load *s)
{
	static char *attrs[] = {"cn",		"orgGrantedRole", "orgGrantee", "orgScope",
				"orgNotBefore", "orgNotAfter",	  NULL};
	struct orgrbac_any_query q = {.base = s->org_dn,
				      .cls = "orgRoleGrant",
				      .attr = "orgGrantee",
				      .attrs = attrs,
				      .limit = ORGRBAC_MAX_GRANTS,
				      .what = "grant"};
	size_t n = s->f->n_groups + 1;
	char **grantees = calloc(n, sizeof(*grantees)), *platform_dn = NULL;
	bool absent; /* a directory without platform grants: none */
	bool platform = false;
	enum orgrbac_dir_status rc;

	if (grantees == NULL || asprintf(&platform_dn, "ou=grants,%s", s->cfg->base) < 0) {
		free(grantees);
		return orgrbac_load_fail(s, ORGRBAC_DIR_ERROR, "out of memory");
	}
	grantees[0] = s->f->dn;
	for (size_t i = 1; i < n; i++)
		grantees[i] = s->f->groups[i - 1];
	rc = orgrbac_load_search_any(s, &q, grantees, n, add_grant_entry, &platform);
	if (rc == ORGRBAC_DIR_FOUND) {
		q.base = platform_dn;
		q.absent = &absent;
		platform = true;
		rc = orgrbac_load_search_any(s, &q, grantees, n, add_grant_entry, &platform);
	}
	free(grantees);
	free(platform_dn);
	return rc;
}

/*
 * May this grant use this role? Global roles always; the organization's own
 * roles only from the organization's own grants, never from platform grants.
 */
static bool role_in_reach(struct orgrbac_load *s, const struct orgrbac_grant *g)
{
	struct orgrbac_dn d, global;
	bool ok = false;
	char *global_dn;

	if (g->role_dn == NULL || orgrbac_dn_parse(g->role_dn, &d) != 0)
		return false;
	if (asprintf(&global_dn, "ou=roles,%s", s->cfg->base) >= 0) {
		if (orgrbac_dn_parse(global_dn, &global) == 0) {
			ok = orgrbac_dn_below(&d, &global) ||
			     (!g->platform && orgrbac_dn_below(&d, &s->org));
			orgrbac_dn_free(&global);
		}
		free(global_dn);
	}
	orgrbac_dn_free(&d);
	return ok;
}

/* ctx: the room for roles, one for each DN searched. */
static enum orgrbac_dir_status add_role(struct orgrbac_load *s, LDAPMessage *e, void *ctx)
{
	struct orgrbac_facts *f = s->f;
	struct orgrbac_role *r;
	bool read;

	if (f->n_roles >= *(const size_t *)ctx)
		return ORGRBAC_DIR_FOUND;
	r = &f->roles[f->n_roles];
	memset(r, 0, sizeof(*r));
	r->dn = orgrbac_entry_dn(s->ld, e);
	read = orgrbac_read_role(s->ld, e, &r->name, &r->privileges, &r->n_privileges) == 0;
	f->n_roles++;
	if (r->dn == NULL || r->name == NULL || !read)
		return orgrbac_load_fail(s, ORGRBAC_DIR_ERROR, "cannot read role %s",
					 r->dn ? r->dn : "?");
	return ORGRBAC_DIR_FOUND;
}

enum orgrbac_dir_status orgrbac_load_roles(struct orgrbac_load *s)
{
	static char *attrs[] = {"cn", "orgPrivilege", NULL};
	/* one entry for each DN searched: the limit of a search is its number of values */
	const struct orgrbac_any_query q = {.base = s->cfg->base,
					    .cls = "orgRole",
					    .attr = "entryDN",
					    .attrs = attrs,
					    .what = "role"};
	struct orgrbac_facts *f = s->f;
	char **dns = calloc(f->n_grants + 1, sizeof(*dns));
	size_t n = 0;
	enum orgrbac_dir_status rc;

	if (dns == NULL)
		return orgrbac_load_fail(s, ORGRBAC_DIR_ERROR, "out of memory");
	for (size_t i = 0; i < f->n_grants; i++) {
		bool seen = false;

		if (!role_in_reach(s, &f->grants[i]))
			continue;
		for (size_t j = 0; j < n && !seen; j++)
			seen = orgrbac_dn_same(dns[j], f->grants[i].role_dn);
		if (!seen)
			dns[n++] = f->grants[i].role_dn;
	}
	f->roles = calloc(n + 1, sizeof(*f->roles));
	if (f->roles == NULL) {
		free(dns);
		return orgrbac_load_fail(s, ORGRBAC_DIR_ERROR, "out of memory");
	}
	rc = orgrbac_load_search_any(s, &q, dns, n, add_role, &n);
	free(dns);
	if (rc != ORGRBAC_DIR_FOUND)
		return rc;
	for (size_t i = 0; i < f->n_grants; i++) {
		struct orgrbac_grant *g = &f->grants[i];

		if (!role_in_reach(s, g))
			continue;
		for (size_t j = 0; j < f->n_roles && g->role == NULL; j++)
			if (orgrbac_dn_same(f->roles[j].dn, g->role_dn))
				g->role = &f->roles[j];
	}
	return ORGRBAC_DIR_FOUND;
}
