/* SPDX-License-Identifier: BSD-2-Clause */
/* The whole directory for the host snapshot: every user, group, role, grant and external entry. */
#include <stdlib.h>
#include <string.h>

#include "directory.h"
#include "directory_int.h"
#include "dn.h"
#include "entry.h"

#define IMAGE_PAGE	  500
#define IMAGE_MAX_ENTRIES 5000000 /* of one kind; far beyond any organization */

/* Normalize DNs in place; the ones that do not parse are dropped. */
static void norm_all(char **v, size_t *n)
{
	size_t k = 0;

	for (size_t i = 0; i < *n; i++) {
		char *d = orgrbac_dn_norm(v[i]);

		free(v[i]);
		if (d != NULL)
			v[k++] = d;
	}
	v[k] = NULL;
	*n = k;
}

/*
 * The entry callbacks below keep what they can read; an entry they cannot
 * read is left out (so it grants nothing), an allocation failure stops sync.
 */
static int image_user(void *ctx, LDAP *ld, LDAPMessage *e)
{
	struct orgrbac_image *img = ctx;
	char *dn = orgrbac_entry_dn_norm(ld, e), **uids;
	size_t n;

	if (dn == NULL)
		return 0;
	uids = orgrbac_all_values(ld, e, "uid", &n);
	if (uids == NULL) {
		free(dn);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		struct orgrbac_img_user *v = orgrbac_grow(img->users, &img->cap_users,
							  img->n_users + 1, sizeof(*img->users));

		if (v == NULL)
			goto nomem;
		img->users = v;
		v[img->n_users].dn = strdup(dn);
		if (v[img->n_users].dn == NULL)
			goto nomem;
		v[img->n_users++].uid = uids[i];
		uids[i] = NULL;
	}
	free(dn);
	orgrbac_strv_free(uids);
	return 0;
nomem:
	free(dn);
	for (size_t i = 0; i < n; i++)
		free(uids[i]);
	free(uids);
	return -1;
}

static int image_group(void *ctx, LDAP *ld, LDAPMessage *e)
{
	struct orgrbac_image *img = ctx;
	struct orgrbac_img_group *g;
	char *dn = orgrbac_entry_dn_norm(ld, e);

	if (dn == NULL)
		return 0;
	g = orgrbac_grow(img->groups, &img->cap_groups, img->n_groups + 1, sizeof(*g));
	if (g == NULL) {
		free(dn);
		return -1;
	}
	img->groups = g;
	g = &img->groups[img->n_groups++];
	g->dn = dn;
	g->members = orgrbac_all_values(ld, e, "member", &g->n_members);
	if (g->members == NULL)
		return -1;
	norm_all(g->members, &g->n_members);
	return 0;
}

static int image_role(void *ctx, LDAP *ld, LDAPMessage *e)
{
	struct orgrbac_image *img = ctx;
	struct orgrbac_img_role *r;
	char *dn = orgrbac_entry_dn_norm(ld, e), *gid = NULL;

	if (dn == NULL)
		return 0;
	r = orgrbac_grow(img->roles, &img->cap_roles, img->n_roles + 1, sizeof(*r));
	if (r == NULL) {
		free(dn);
		return -1;
	}
	img->roles = r;
	r = &img->roles[img->n_roles++];
	r->dn = dn;
	if (orgrbac_read_role(ld, e, &r->cn, &r->privileges, &r->n_privileges) != 0)
		return -1;
	/* An unreadable gidNumber or orgGroupName: the role is no group. */
	if (orgrbac_single_value(ld, e, "gidNumber", &gid) == 0 && gid != NULL) {
		char *end;
		long long v = strtoll(gid, &end, 10);

		r->has_gid = end != gid && *end == '\0' && v >= 0;
		r->gid = v;
	}
	free(gid);
	if (orgrbac_single_value(ld, e, "orgGroupName", &r->group_name) != 0) {
		r->has_gid = false;
		free(r->group_name);
		r->group_name = NULL;
	}
	return 0;
}

static int image_grant(void *ctx, LDAP *ld, LDAPMessage *e)
{
	struct orgrbac_image *img = ctx;
	struct orgrbac_img_grant *g;
	struct orgrbac_grant_values v;
	char *dn = orgrbac_entry_dn_norm(ld, e);

	if (dn == NULL)
		return 0;
	g = orgrbac_grow(img->grants, &img->cap_grants, img->n_grants + 1, sizeof(*g));
	if (g == NULL) {
		free(dn);
		return -1;
	}
	img->grants = g;
	g = &img->grants[img->n_grants++];
	g->dn = dn;
	if (orgrbac_read_grant(ld, e, &v) != 0) {
		orgrbac_grant_values_free(&v);
		return -1;
	}
	memcpy(g->unreadable, v.why, sizeof(g->unreadable));
	g->role_dn = v.role_dn != NULL ? orgrbac_dn_norm(v.role_dn) : NULL;
	g->grantees = v.grantees;
	g->n_grantees = v.n_grantees;
	g->scopes = v.scopes;
	g->n_scopes = v.n_scopes;
	g->window = v.window;
	free(v.role_dn);
	norm_all(g->grantees, &g->n_grantees);
	return 0;
}

static int image_external(void *ctx, LDAP *ld, LDAPMessage *e)
{
	struct orgrbac_image *img = ctx;
	struct orgrbac_img_external *x;
	char *dn = orgrbac_entry_dn_norm(ld, e);

	if (dn == NULL)
		return 0;
	x = orgrbac_grow(img->externals, &img->cap_externals, img->n_externals + 1, sizeof(*x));
	if (x == NULL) {
		free(dn);
		return -1;
	}
	img->externals = x;
	x = &img->externals[img->n_externals++];
	x->dn = dn;
	orgrbac_read_external(ld, e, &x->access);
	return 0;
}

enum orgrbac_dir_status orgrbac_directory_image(struct orgrbac_ldap *l,
						const struct orgrbac_config *cfg,
						struct orgrbac_image *img, orgrbac_error *err)
{
	static char *user_attrs[] = {"uid", NULL};
	static char *group_attrs[] = {"member", NULL};
	static char *role_attrs[] = {"cn", "orgPrivilege", "gidNumber", "orgGroupName", NULL};
	static char *grant_attrs[] = {"orgGrantedRole", "orgGrantee",  "orgScope",
				      "orgNotBefore",	"orgNotAfter", NULL};
	static char *ext_attrs[] = {"orgExternalKind", "orgAccessMode",	    "orgNotBefore",
				    "orgNotAfter",     "orgRoleManagement", NULL};
	static const struct {
		const char *filter;
		char **attrs;
		orgrbac_entry_fn fn;
	} kinds[] = {
	    {"(objectClass=orgRole)", role_attrs, image_role},
	    {"(objectClass=orgRoleGrant)", grant_attrs, image_grant},
	    {"(objectClass=orgExternalAccess)", ext_attrs, image_external},
	    {"(objectClass=groupOfNames)", group_attrs, image_group},
	    {"(objectClass=posixAccount)", user_attrs, image_user},
	};
	enum orgrbac_dir_status rc;

	memset(img, 0, sizeof(*img));
	img->base = orgrbac_dn_norm(cfg->base);
	if (img->base == NULL) {
		orgrbac_seterr(err, "base '%s' is not a DN", cfg->base);
		return ORGRBAC_DIR_ERROR;
	}
	rc = orgrbac_dir_base_held(l, cfg->base, err);
	/* Every organization: a user of another one may cross into this host's. */
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]) && rc == ORGRBAC_DIR_FOUND; i++)
		rc = orgrbac_dir_status_from_ldap(orgrbac_ldap_search_paged(
		    l, cfg->base, LDAP_SCOPE_SUBTREE, kinds[i].filter, kinds[i].attrs, IMAGE_PAGE,
		    IMAGE_MAX_ENTRIES, kinds[i].fn, img, err));
	if (rc != ORGRBAC_DIR_FOUND)
		orgrbac_image_free(img);
	return rc;
}
