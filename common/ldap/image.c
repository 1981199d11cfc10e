/* SPDX-License-Identifier: BSD-2-Clause */
/* The whole directory for the host snapshot: every user, group, role, grant and external entry. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
	g->creator = orgrbac_first_value(ld, e, "creatorsName");
	g->created = orgrbac_first_value(ld, e, "createTimestamp");
	g->modifier = orgrbac_first_value(ld, e, "modifiersName");
	g->modified = orgrbac_first_value(ld, e, "modifyTimestamp");
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

/* The attributes each kind of entry is read from. */
static char *user_attrs[] = {"uid", "uidNumber",     "gidNumber",  "gecos",
			     "cn",  "homeDirectory", "loginShell", NULL};
static char *group_attrs[] = {"member", NULL};
static char *role_attrs[] = {"cn", "orgPrivilege", "gidNumber", "orgGroupName", NULL};
static char *grant_attrs[] = {"orgGrantedRole", "orgGrantee",  "orgScope",
			      "orgNotBefore",	"orgNotAfter", NULL};
/* The same with who made and changed each grant: for the access review only (a sync or a
 * follower decides nothing on them, and the server need not send them). */
static char *grant_stamped_attrs[] = {
    "orgGrantedRole", "orgGrantee",	 "orgScope",	  "orgNotBefore",    "orgNotAfter",
    "creatorsName",   "createTimestamp", "modifiersName", "modifyTimestamp", NULL};
static char *ext_attrs[] = {"orgExternalKind", "orgAccessMode",	    "orgNotBefore",
			    "orgNotAfter",     "orgRoleManagement", NULL};

/* Each kind of entry the image holds: its object class, attributes and reader. */
static const struct {
	const char *object_class;
	const char *filter;
	char **attrs;
	char **stamped; /* with ORGRBAC_IMAGE_STAMPS, when they differ */
	image_reader read;
} kinds[] = {
    {"orgRole", "(objectClass=orgRole)", role_attrs, NULL, image_role},
    {"orgRoleGrant", "(objectClass=orgRoleGrant)", grant_attrs, grant_stamped_attrs, image_grant},
    {"orgExternalAccess", "(objectClass=orgExternalAccess)", ext_attrs, NULL, image_external},
    {"groupOfNames", "(objectClass=groupOfNames)", group_attrs, NULL, image_group},
    {"posixAccount", "(objectClass=posixAccount)", user_attrs, NULL, image_user},
};

#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

char **orgrbac_image_search_attrs(const char *object_class, unsigned flags)
{
	for (size_t i = 0; i < N_KINDS; i++) {
		if (strcmp(kinds[i].object_class, object_class) != 0)
			continue;
		if ((flags & ORGRBAC_IMAGE_STAMPS) != 0 && kinds[i].stamped != NULL)
			return kinds[i].stamped;
		return kinds[i].attrs;
	}
	return NULL;
}

enum orgrbac_dir_status orgrbac_directory_image(struct orgrbac_ldap *l,
						const struct orgrbac_config *cfg,
						struct orgrbac_image *img, orgrbac_error *err)
{
	return orgrbac_directory_image_with(l, cfg, 0, img, err);
}

enum orgrbac_dir_status orgrbac_directory_image_with(struct orgrbac_ldap *l,
						     const struct orgrbac_config *cfg,
						     unsigned flags, struct orgrbac_image *img,
						     orgrbac_error *err)
{
	enum orgrbac_dir_status rc;

	memset(img, 0, sizeof(*img));
	img->base = orgrbac_dn_norm(cfg->base);
	if (img->base == NULL) {
		orgrbac_seterr(err, "base '%s' is not a DN", cfg->base);
		return ORGRBAC_DIR_ERROR;
	}
	rc = orgrbac_dir_base_held(l, cfg->base, err);
	/* Every organization: a user of another one may cross into this host's. */
	for (size_t i = 0; i < N_KINDS && rc == ORGRBAC_DIR_FOUND; i++) {
		struct image_pass pass = {img, kinds[i].read};

		char **attrs = orgrbac_image_search_attrs(kinds[i].object_class, flags);

		rc = orgrbac_dir_status_from_ldap(orgrbac_ldap_search_paged(
		    l, cfg->base, LDAP_SCOPE_SUBTREE, kinds[i].filter, attrs, IMAGE_PAGE,
		    IMAGE_MAX_ENTRIES, image_entry, &pass, err));
	}
	if (rc != ORGRBAC_DIR_FOUND)
		orgrbac_image_free(img);
	return rc;
}

const char *orgrbac_image_filter(void)
{
	return "(|(objectClass=orgRole)(objectClass=orgRoleGrant)(objectClass=orgExternalAccess)"
	       "(objectClass=groupOfNames)(objectClass=posixAccount))";
}

char **orgrbac_image_attrs(void)
{
	/* objectClass, then each kind's attributes once; sized for all of them */
	static char
	    *all[1 + sizeof(user_attrs) / sizeof(char *) + sizeof(group_attrs) / sizeof(char *) +
		 sizeof(role_attrs) / sizeof(char *) + sizeof(grant_attrs) / sizeof(char *) +
		 sizeof(ext_attrs) / sizeof(char *)];
	size_t n = 0;

	if (all[0] != NULL)
		return all;
	all[n++] = (char *)"objectClass";
	for (size_t k = 0; k < N_KINDS; k++)
		for (char **a = kinds[k].attrs; *a != NULL; a++) {
			size_t i = 0;

			while (i < n && strcmp(all[i], *a) != 0)
				i++;
			if (i == n)
				all[n++] = *a;
		}
	all[n] = NULL;
	return all;
}

/* Does the entry name `cls` among its object classes (case-insensitively)? */
static bool has_class(struct berval **classes, const char *cls)
{
	size_t len = strlen(cls);

	for (size_t i = 0; classes != NULL && classes[i] != NULL; i++)
		if (classes[i]->bv_len == len && strncasecmp(classes[i]->bv_val, cls, len) == 0)
			return true;
	return false;
}

int orgrbac_image_add_entry(struct orgrbac_image *img, LDAP *ld, LDAPMessage *e)
{
	struct berval **classes = ldap_get_values_len(ld, e, "objectClass");
	char *dn = orgrbac_entry_dn_norm(ld, e);
	int rc = 0;

	for (size_t k = 0; k < N_KINDS && rc == 0 && dn != NULL; k++) {
		char *copy;

		if (!has_class(classes, kinds[k].object_class))
			continue;
		copy = strdup(dn);
		rc = copy != NULL ? kinds[k].read(img, ld, e, copy) : -1;
	}
	free(dn);
	ldap_value_free_len(classes);
	return rc;
}

/* Append n elements of `from` to `*to` (count *n_to, capacity *cap): a shallow copy; 0 or -1. */
static int append_elems(void **to, size_t *n_to, size_t *cap, const void *from, size_t n,
			size_t size)
{
	char *v;

	if (n == 0)
		return 0;
	v = orgrbac_grow(*to, cap, *n_to + n, size);
	if (v == NULL)
		return -1;
	memcpy(v + *n_to * size, from, n * size);
	*to = v;
	*n_to += n;
	return 0;
}

int orgrbac_image_append(struct orgrbac_image *dst, const struct orgrbac_image *piece)
{
	if (append_elems((void **)&dst->users, &dst->n_users, &dst->cap_users, piece->users,
			 piece->n_users, sizeof(*piece->users)) != 0 ||
	    append_elems((void **)&dst->groups, &dst->n_groups, &dst->cap_groups, piece->groups,
			 piece->n_groups, sizeof(*piece->groups)) != 0 ||
	    append_elems((void **)&dst->roles, &dst->n_roles, &dst->cap_roles, piece->roles,
			 piece->n_roles, sizeof(*piece->roles)) != 0 ||
	    append_elems((void **)&dst->grants, &dst->n_grants, &dst->cap_grants, piece->grants,
			 piece->n_grants, sizeof(*piece->grants)) != 0 ||
	    append_elems((void **)&dst->externals, &dst->n_externals, &dst->cap_externals,
			 piece->externals, piece->n_externals, sizeof(*piece->externals)) != 0)
		return -1;
	return 0;
}

/* *v cut to n elements of `size` (to nothing when n is 0), *cap then n. */
static void trim_elems(void **v, size_t n, size_t *cap, size_t size)
{
	void *t;

	if (*cap <= n)
		return;
	if (n == 0) {
		free(*v);
		*v = NULL;
		*cap = 0;
		return;
	}
	t = realloc(*v, n * size);
	if (t == NULL)
		return;
	*v = t;
	*cap = n;
}

void orgrbac_image_trim(struct orgrbac_image *img)
{
	trim_elems((void **)&img->users, img->n_users, &img->cap_users, sizeof(*img->users));
	trim_elems((void **)&img->groups, img->n_groups, &img->cap_groups, sizeof(*img->groups));
	trim_elems((void **)&img->roles, img->n_roles, &img->cap_roles, sizeof(*img->roles));
	trim_elems((void **)&img->grants, img->n_grants, &img->cap_grants, sizeof(*img->grants));
	trim_elems((void **)&img->externals, img->n_externals, &img->cap_externals,
		   sizeof(*img->externals));
}

void orgrbac_image_release(struct orgrbac_image *img)
{
	free(img->base);
	free(img->users);
	free(img->groups);
	free(img->roles);
	free(img->grants);
	free(img->externals);
	memset(img, 0, sizeof(*img));
}

#define CMP_BY_DN(NAME, TYPE)                                                                      \
	static int NAME(const void *a, const void *b)                                              \
	{                                                                                          \
		return strcmp(((const TYPE *)a)->dn, ((const TYPE *)b)->dn);                       \
	}
CMP_BY_DN(cmp_user_dn, struct orgrbac_img_user)
CMP_BY_DN(cmp_group_dn, struct orgrbac_img_group)
CMP_BY_DN(cmp_role_dn, struct orgrbac_img_role)
CMP_BY_DN(cmp_grant_dn, struct orgrbac_img_grant)
CMP_BY_DN(cmp_external_dn, struct orgrbac_img_external)

void orgrbac_image_sort_dn(struct orgrbac_image *img)
{
	/* qsort wants an array even for no element: sort only what holds two */
	if (img->n_users > 1)
		qsort(img->users, img->n_users, sizeof(*img->users), cmp_user_dn);
	if (img->n_groups > 1)
		qsort(img->groups, img->n_groups, sizeof(*img->groups), cmp_group_dn);
	if (img->n_roles > 1)
		qsort(img->roles, img->n_roles, sizeof(*img->roles), cmp_role_dn);
	if (img->n_grants > 1)
		qsort(img->grants, img->n_grants, sizeof(*img->grants), cmp_grant_dn);
	if (img->n_externals > 1)
		qsort(img->externals, img->n_externals, sizeof(*img->externals), cmp_external_dn);
}
