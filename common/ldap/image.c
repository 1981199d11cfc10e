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
 * NAME(img, dn): a new element at the end of img->FIELD, zeroed but for its
 * dn, counted in n_FIELD; NULL (and dn freed) on ENOMEM. The image's arrays
 * differ in their element type only, so one definition serves them all.
 */
#define IMAGE_APPENDER(NAME, TYPE, FIELD)                                                          \
	static TYPE *NAME(struct orgrbac_image *img, char *dn)                                     \
	{                                                                                          \
		TYPE *v =                                                                          \
		    orgrbac_grow(img->FIELD, &img->cap_##FIELD, img->n_##FIELD + 1, sizeof(*v));   \
                                                                                                   \
		if (v == NULL) {                                                                   \
			free(dn);                                                                  \
			return NULL;                                                               \
		}                                                                                  \
		img->FIELD = v;                                                                    \
		v[img->n_##FIELD].dn = dn;                                                         \
		return &v[img->n_##FIELD++];                                                       \
	}

IMAGE_APPENDER(append_user, struct orgrbac_img_user, users)
IMAGE_APPENDER(append_group, struct orgrbac_img_group, groups)
IMAGE_APPENDER(append_role, struct orgrbac_img_role, roles)
IMAGE_APPENDER(append_grant, struct orgrbac_img_grant, grants)
IMAGE_APPENDER(append_external, struct orgrbac_img_external, externals)

/*
 * Each kind of entry has a reader: it gets the entry's normalized DN, which
 * it keeps or frees, and returns 0, or -1 on ENOMEM, which stops sync. What
 * it cannot read it leaves out, so that it grants nothing.
 */
typedef int (*image_reader)(struct orgrbac_image *img, LDAP *ld, LDAPMessage *e, char *dn);

/* A uidNumber or gidNumber: decimal digits, below 2^32 - 1 (which is (uid_t)-1). */
static bool posix_id(LDAP *ld, LDAPMessage *e, const char *attr, uint32_t *out)
{
	char *v = orgrbac_first_value(ld, e, attr);
	unsigned long long n = 0;
	bool ok = v != NULL && v[0] != '\0' && strlen(v) <= 10;

	for (const char *p = v; ok && *p != '\0'; p++) {
		ok = *p >= '0' && *p <= '9';
		n = n * 10 + (unsigned long long)(*p - '0');
	}
	free(v);
	ok = ok && n < UINT32_MAX;
	*out = ok ? (uint32_t)n : 0;
	return ok;
}

/* The entry's passwd fields; absent when its ids are unusable. -1 out of memory. */
static int image_posix(LDAP *ld, LDAPMessage *e, struct orgrbac_view_posix *px)
{
	memset(px, 0, sizeof(*px));
	if (!posix_id(ld, e, "uidNumber", &px->uid) || !posix_id(ld, e, "gidNumber", &px->gid))
		return 0;
	px->gecos = orgrbac_first_value(ld, e, "gecos");
	if (px->gecos == NULL)
		px->gecos = orgrbac_first_value(ld, e, "cn");
	px->home = orgrbac_first_value(ld, e, "homeDirectory");
	px->shell = orgrbac_first_value(ld, e, "loginShell");
	px->present = true;
	return 0;
}

/* One element for each uid of the entry. */
static int image_user(struct orgrbac_image *img, LDAP *ld, LDAPMessage *e, char *dn)
{
	size_t n;
	char **uids = orgrbac_all_values(ld, e, "uid", &n);
	int rc = uids != NULL ? 0 : -1;

	for (size_t i = 0; i < n && rc == 0; i++) {
		char *copy = strdup(dn);
		struct orgrbac_img_user *u = copy != NULL ? append_user(img, copy) : NULL;

		if (u == NULL) {
			rc = -1;
		} else {
			u->uid = uids[i];
			uids[i] = NULL;
			rc = image_posix(ld, e, &u->posix);
		}
	}
	free(dn);
	for (size_t i = 0; i < n; i++)
		free(uids[i]);
	free(uids);
	return rc;
}

static int image_group(struct orgrbac_image *img, LDAP *ld, LDAPMessage *e, char *dn)
{
	struct orgrbac_img_group *g = append_group(img, dn);

	if (g == NULL)
		return -1;
	g->members = orgrbac_all_values(ld, e, "member", &g->n_members);
	if (g->members == NULL)
		return -1;
	norm_all(g->members, &g->n_members);
	return 0;
}

static int image_role(struct orgrbac_image *img, LDAP *ld, LDAPMessage *e, char *dn)
{
	struct orgrbac_img_role *r = append_role(img, dn);
	char *gid = NULL;

	if (r == NULL || orgrbac_read_role(ld, e, &r->cn, &r->privileges, &r->n_privileges) != 0)
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

static int image_grant(struct orgrbac_image *img, LDAP *ld, LDAPMessage *e, char *dn)
{
	struct orgrbac_img_grant *g = append_grant(img, dn);
	struct orgrbac_grant_values v;

	if (g == NULL)
		return -1;
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

static int image_external(struct orgrbac_image *img, LDAP *ld, LDAPMessage *e, char *dn)
{
	struct orgrbac_img_external *x = append_external(img, dn);

	if (x == NULL)
		return -1;
	orgrbac_read_external(ld, e, &x->access);
	return 0;
}

/* One paged search: the image and the reader of its kind. */
struct image_pass {
	struct orgrbac_image *img;
	image_reader read;
};

/* An entry whose DN does not parse is left out. */
static int image_entry(void *ctx, LDAP *ld, LDAPMessage *e)
{
	const struct image_pass *p = ctx;
	char *dn = orgrbac_entry_dn_norm(ld, e);

	return dn != NULL ? p->read(p->img, ld, e, dn) : 0;
}

enum orgrbac_dir_status orgrbac_directory_image(struct orgrbac_ldap *l,
						const struct orgrbac_config *cfg,
						struct orgrbac_image *img, orgrbac_error *err)
{
	static char *user_attrs[] = {"uid", "uidNumber",     "gidNumber",  "gecos",
				     "cn",  "homeDirectory", "loginShell", NULL};
	static char *group_attrs[] = {"member", NULL};
	static char *role_attrs[] = {"cn", "orgPrivilege", "gidNumber", "orgGroupName", NULL};
	static char *grant_attrs[] = {"orgGrantedRole", "orgGrantee",  "orgScope",
				      "orgNotBefore",	"orgNotAfter", NULL};
	static char *ext_attrs[] = {"orgExternalKind", "orgAccessMode",	    "orgNotBefore",
				    "orgNotAfter",     "orgRoleManagement", NULL};
	static const struct {
		const char *filter;
		char **attrs;
		image_reader read;
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
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]) && rc == ORGRBAC_DIR_FOUND; i++) {
		struct image_pass pass = {img, kinds[i].read};

		rc = orgrbac_dir_status_from_ldap(orgrbac_ldap_search_paged(
		    l, cfg->base, LDAP_SCOPE_SUBTREE, kinds[i].filter, kinds[i].attrs, IMAGE_PAGE,
		    IMAGE_MAX_ENTRIES, image_entry, &pass, err));
	}
	if (rc != ORGRBAC_DIR_FOUND)
		orgrbac_image_free(img);
	return rc;
}
