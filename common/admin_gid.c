/* SPDX-License-Identifier: BSD-2-Clause */
/* A role's gid: parsed, checked free in the directory, or the lowest free one. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "dn.h"
#include "entry.h"

bool orgrbac_admin_gid_parse(const char *s, unsigned long *gid, orgrbac_error *err)
{
	char *end;

	errno = 0;
	if (s[0] < '0' || s[0] > '9') {
		orgrbac_seterr(err, "gid '%.64s' is not a number (or 'auto')", s);
		return false;
	}
	*gid = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || *gid > ORGRBAC_ADMIN_GID_MAX) {
		orgrbac_seterr(err, "gid '%.64s' is not a number (or 'auto')", s);
		return false;
	}
	if (*gid < ORGRBAC_ADMIN_GID_MIN) {
		orgrbac_seterr(err, "gid %lu is below %u: those are the system's", *gid,
			       ORGRBAC_ADMIN_GID_MIN);
		return false;
	}
	return true;
}

#define GID_CLASSES "(|(objectClass=orgRole)(objectClass=posixGroup))"

enum orgrbac_admin_status orgrbac_admin_gid_free(const struct orgrbac_admin *a, unsigned long gid,
						 const char *self, orgrbac_error *err)
{
	LDAP *ld = orgrbac_ldap_handle(a->l);
	LDAPMessage *res = NULL;
	char filter[128], *attrs[] = {"1.1", NULL};
	enum orgrbac_admin_status st = ORGRBAC_ADMIN_DONE;
	enum orgrbac_ldap_status s;

	snprintf(filter, sizeof(filter), "(&" GID_CLASSES "(gidNumber=%lu))", gid);
	s = orgrbac_ldap_search(a->l, a->base, LDAP_SCOPE_SUBTREE, filter, attrs, 64, &res, err);
	if (s != ORGRBAC_LDAP_OK) {
		if (s == ORGRBAC_LDAP_NOOBJECT)
			orgrbac_seterr(err, "%.300s: no such base", a->base);
		return ORGRBAC_ADMIN_ERROR;
	}
	for (LDAPMessage *e = ldap_first_entry(ld, res); e != NULL; e = ldap_next_entry(ld, e)) {
		char *dn = orgrbac_entry_dn(ld, e);

		if (dn != NULL && self != NULL && orgrbac_dn_same(dn, self)) {
			free(dn);
			continue;
		}
		orgrbac_seterr(err, "gid %lu is taken by %.300s", gid, dn != NULL ? dn : "?");
		free(dn);
		st = ORGRBAC_ADMIN_REFUSED;
		break;
	}
	ldap_msgfree(res);
	return st;
}

struct gids {
	unsigned long *v;
	size_t n, cap;
};

static int collect_gid(void *ctx, LDAP *ld, LDAPMessage *e)
{
	struct gids *g = ctx;
	char *v = NULL, *end;
	unsigned long gid;

	if (orgrbac_single_value(ld, e, "gidNumber", &v) != 0 || v == NULL)
		return 0; /* an unreadable gid takes nothing we could tell */
	errno = 0;
	gid = strtoul(v, &end, 10);
	if (errno == 0 && *end == '\0' && v[0] >= '0' && v[0] <= '9') {
		if (g->n == g->cap) {
			size_t cap = g->cap != 0 ? g->cap * 2 : 64;
			unsigned long *nv = realloc(g->v, cap * sizeof(*nv));

			if (nv == NULL) {
				free(v);
				return -1;
			}
			g->v = nv;
			g->cap = cap;
		}
		g->v[g->n++] = gid;
	}
	free(v);
	return 0;
}

static int ulong_cmp(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

enum orgrbac_admin_status orgrbac_admin_gid_auto(const struct orgrbac_admin *a, unsigned long *gid,
						 orgrbac_error *err)
{
	char *attrs[] = {"gidNumber", NULL};
	struct gids g = {0};
	enum orgrbac_ldap_status s;
	unsigned long want = ORGRBAC_ADMIN_GID_MIN;

	s = orgrbac_ldap_search_paged(a->l, a->base, LDAP_SCOPE_SUBTREE,
				      "(&" GID_CLASSES "(gidNumber>=1000))", attrs, 500,
				      ORGRBAC_ADMIN_MAX_ROLES, collect_gid, &g, err);
	if (s != ORGRBAC_LDAP_OK) {
		free(g.v);
		return ORGRBAC_ADMIN_ERROR;
	}
	qsort(g.v, g.n, sizeof(*g.v), ulong_cmp);
	for (size_t i = 0; i < g.n; i++) {
		if (g.v[i] == want)
			want++;
		else if (g.v[i] > want)
			break;
	}
	free(g.v);
	if (want > ORGRBAC_ADMIN_GID_MAX) {
		orgrbac_seterr(err, "no free gid left");
		return ORGRBAC_ADMIN_REFUSED;
	}
	*gid = want;
	return ORGRBAC_ADMIN_DONE;
}
