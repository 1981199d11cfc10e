/* SPDX-License-Identifier: BSD-2-Clause */
/* Test helpers that build a whole-directory image (struct orgrbac_image) by hand. */
#ifndef ORGRBAC_TEST_IMAGE_H
#define ORGRBAC_TEST_IMAGE_H

#include <stdlib.h>
#include <string.h>

#include "hostview.h"

/* Include after <cmocka.h>. */
#define BASE   "dc=example,dc=com"
#define ACME   "o=acme," BASE
#define GLOBEX "o=globex," BASE
#define GROLES "ou=roles," BASE
#define PGRANT "ou=grants," BASE

static __attribute__((unused)) char *img_dup(const char *s)
{
	char *d = strdup(s);

	assert_non_null(d);
	return d;
}

static __attribute__((unused)) char **img_list(const char *a, const char *b, size_t *n)
{
	char **v = calloc(3, sizeof(*v));

	assert_non_null(v);
	*n = 0;
	if (a != NULL)
		v[(*n)++] = img_dup(a);
	if (b != NULL)
		v[(*n)++] = img_dup(b);
	return v;
}

#define IMG_GROW(arr, n)                                                                           \
	(arr = reallocarray(arr, n + 1, sizeof(*arr)), assert_non_null(arr),                       \
	 memset(&arr[n], 0, sizeof(*arr)), &arr[n++])

static __attribute__((unused)) void img_user(struct orgrbac_image *img, const char *uid,
					     const char *dn)
{
	struct orgrbac_img_user *u = IMG_GROW(img->users, img->n_users);

	u->uid = img_dup(uid);
	u->dn = img_dup(dn);
}

static __attribute__((unused)) void img_group(struct orgrbac_image *img, const char *dn,
					      const char *m1, const char *m2)
{
	struct orgrbac_img_group *g = IMG_GROW(img->groups, img->n_groups);

	g->dn = img_dup(dn);
	g->members = img_list(m1, m2, &g->n_members);
}

static __attribute__((unused)) struct orgrbac_img_role *
img_role(struct orgrbac_image *img, const char *dn, const char *cn, long long gid, const char *priv)
{
	struct orgrbac_img_role *r = IMG_GROW(img->roles, img->n_roles);

	r->dn = img_dup(dn);
	r->cn = img_dup(cn);
	r->has_gid = gid >= 0;
	r->gid = gid;
	r->privileges = img_list(priv, NULL, &r->n_privileges);
	return r;
}

/* A grant of role_dn to one grantee; scope NULL: organization-wide. */
static __attribute__((unused)) struct orgrbac_img_grant *
img_grant(struct orgrbac_image *img, const char *dn, const char *role_dn, const char *grantee,
	  const char *scope)
{
	struct orgrbac_img_grant *g = IMG_GROW(img->grants, img->n_grants);

	g->dn = img_dup(dn);
	g->role_dn = role_dn != NULL ? img_dup(role_dn) : NULL;
	g->grantees = img_list(grantee, NULL, &g->n_grantees);
	g->scopes = img_list(scope, NULL, &g->n_scopes);
	return g;
}

static __attribute__((unused)) struct orgrbac_img_external *img_external(struct orgrbac_image *img,
									 const char *dn,
									 enum orgrbac_ext_kind kind,
									 enum orgrbac_ext_mode mode)
{
	struct orgrbac_img_external *x = IMG_GROW(img->externals, img->n_externals);

	x->dn = img_dup(dn);
	x->access.kind = kind;
	x->access.mode = mode;
	x->access.role_management = true;
	return x;
}

static __attribute__((unused)) void img_window(struct orgrbac_window *w, int64_t nb, int64_t na)
{
	w->has_not_before = nb != 0;
	w->not_before = nb;
	w->has_not_after = na != 0;
	w->not_after = na;
}

#endif
