/* SPDX-License-Identifier: BSD-2-Clause */
/* Grants read: a role and grantees resolved to DNs, the place's grants as the gate reads them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_grant.h"
#include "dn.h"
#include "entry.h"
#include "write.h"

static char *grant_attrs[] = {"cn",
			      "orgGrantedRole",
			      "orgGrantee",
			      "orgScope",
			      "orgNotBefore",
			      "orgNotAfter",
			      "description",
			      ORGRBAC_ADMIN_STAMP_ATTRS,
			      NULL};

static void grant_info_free(struct orgrbac_grant_info *g)
{
	free(g->dn);
	free(g->name);
	free(g->description);
	orgrbac_grant_values_free(&g->v);
	orgrbac_admin_stamps_free(&g->stamps);
	memset(g, 0, sizeof(*g));
}

void orgrbac_grant_list_free(struct orgrbac_grant_info *g, size_t n)
{
	for (size_t i = 0; g != NULL && i < n; i++)
		grant_info_free(&g[i]);
	free(g);
}

enum orgrbac_admin_status orgrbac_grant_role_dn(const struct orgrbac_admin *a, const char *role,
						char **dn, orgrbac_error *err)
{
	struct orgrbac_role_info r;
	struct orgrbac_admin global = *a;
	enum orgrbac_admin_status st = ORGRBAC_ADMIN_REFUSED;

	*dn = NULL;
	if (a->org != NULL) {
		st = orgrbac_role_show(a, role, &r, err);
		if (st == ORGRBAC_ADMIN_ERROR)
			return st;
	}
	if (st == ORGRBAC_ADMIN_REFUSED) {
		global.org = NULL;
		st = orgrbac_role_show(&global, role, &r, err);
	}
	if (st == ORGRBAC_ADMIN_REFUSED) {
		if (a->org != NULL)
			orgrbac_seterr(err,
				       "no role named '%.200s' in organization %.100s nor "
				       "among the global roles: add it with `orgrbac role add`",
				       role, a->org);
		else
			orgrbac_seterr(err, "no global role named '%.200s'", role);
		return st;
	}
	if (st != ORGRBAC_ADMIN_DONE)
		return st;
	*dn = r.dn;
	r.dn = NULL;
	orgrbac_role_info_free(&r);
	return ORGRBAC_ADMIN_DONE;
}

/* The subtree grantees are looked for in: the organization's, or the whole base. */
static char *grantee_base(const struct orgrbac_admin *a)
{
	return a->org != NULL ? orgrbac_dn_child("o", a->org, a->base) : orgrbac_strdup(a->base);
}

/* Is the grantee given as a DN (a value with '=' that parses as one)? */
static bool is_dn(const char *s)
{
	struct orgrbac_dn d = {0};
	bool dn = strchr(s, '=') != NULL && orgrbac_dn_parse(s, &d) == 0;

	orgrbac_dn_free(&d);
	return dn;
}

/* A grantee given as a DN: beneath `base`, and there as an entry of class `cls`. */
static enum orgrbac_admin_status grantee_by_dn(const struct orgrbac_admin *a, const char *base,
					       const char *cls, const char *dn, char **out,
					       orgrbac_error *err)
{
	struct orgrbac_dn d = {0}, b = {0};
	LDAPMessage *res = NULL;
	char filter[64], *attrs[] = {"1.1", NULL};
	enum orgrbac_ldap_status s;
	bool below;
	int n;

	if (orgrbac_dn_parse(dn, &d) != 0 || orgrbac_dn_parse(base, &b) != 0) {
		orgrbac_dn_free(&d);
		orgrbac_dn_free(&b);
		orgrbac_seterr(err, "'%.200s' is not a DN", dn);
		return ORGRBAC_ADMIN_REFUSED;
	}
	below = orgrbac_dn_below(&d, &b);
	orgrbac_dn_free(&d);
	orgrbac_dn_free(&b);
	if (!below) {
		orgrbac_seterr(err, "%.300s is not beneath %.300s", dn, base);
		return ORGRBAC_ADMIN_REFUSED;
	}
	snprintf(filter, sizeof(filter), "(objectClass=%s)", cls);
	s = orgrbac_ldap_search(a->l, dn, LDAP_SCOPE_BASE, filter, attrs, 2, &res, err);
	if (s != ORGRBAC_LDAP_OK && s != ORGRBAC_LDAP_NOOBJECT)
		return ORGRBAC_ADMIN_ERROR;
	n = s == ORGRBAC_LDAP_OK ? ldap_count_entries(orgrbac_ldap_handle(a->l), res) : 0;
	ldap_msgfree(res);
	if (n != 1) {
		orgrbac_seterr(err, "no %s %.300s", cls, dn);
		return ORGRBAC_ADMIN_REFUSED;
	}
	*out = orgrbac_strdup(dn);
	if (*out == NULL) {
		orgrbac_seterr(err, "out of memory");
		return ORGRBAC_ADMIN_ERROR;
	}
	return ORGRBAC_ADMIN_DONE;
}

enum orgrbac_admin_status orgrbac_grant_grantee_dn(const struct orgrbac_admin *a,
						   const struct orgrbac_grantee_arg *g, char **dn,
						   orgrbac_error *err)
{
	const char *cls = g->group ? "groupOfNames" : "inetOrgPerson", *why = NULL;
	char *base = grantee_base(a);
	enum orgrbac_admin_status st;

	*dn = NULL;
	if (base == NULL) {
		orgrbac_seterr(err, "out of memory, or the base is not a DN");
		return ORGRBAC_ADMIN_ERROR;
	}
	if (is_dn(g->name))
		st = grantee_by_dn(a, base, cls, g->name, dn, err);
	else if (g->group ? !orgrbac_admin_name_valid(g->name, &why)
			  : !orgrbac_username_valid(g->name, &why))
		st = ORGRBAC_ADMIN_REFUSED;
	else
		st = orgrbac_admin_find_dn(a, base, cls, g->group ? "cn" : "uid", g->name, dn, err);
	if (why != NULL)
		orgrbac_seterr(err, "%s name refused: %s", g->group ? "group" : "user", why);
	else if (st == ORGRBAC_ADMIN_ERROR && !is_dn(g->name) &&
		 strstr(err->msg, "several") != NULL) {
		orgrbac_seterr(err, "'%.200s' names several entries: give the grantee's DN",
			       g->name);
		st = ORGRBAC_ADMIN_REFUSED;
	}
	free(base);
	return st;
}

static int by_name(const void *x, const void *y)
{
	const struct orgrbac_grant_info *a = x, *b = y;

	return strcmp(a->name, b->name);
}

static int read_one(LDAP *ld, LDAPMessage *e, struct orgrbac_grant_info *g)
{
	memset(g, 0, sizeof(*g));
	g->dn = orgrbac_entry_dn(ld, e);
	g->name = orgrbac_first_value(ld, e, "cn");
	g->description = orgrbac_first_value(ld, e, "description");
	orgrbac_admin_stamps_read(ld, e, &g->stamps);
	if (orgrbac_read_grant(ld, e, &g->v) != 0 || g->dn == NULL) {
		grant_info_free(g);
		return -1;
	}
	if (g->name == NULL)
		g->name = orgrbac_strdup("?");
	return g->name != NULL ? 0 : -1;
}

enum orgrbac_admin_status orgrbac_grant_find(const struct orgrbac_admin *a, const char *filter,
					     struct orgrbac_grant_info **out, size_t *n,
					     orgrbac_error *err)
{
	LDAP *ld = orgrbac_ldap_handle(a->l);
	LDAPMessage *res = NULL;
	char *base = NULL, *parent = NULL;
	struct orgrbac_grant_info *g = NULL;
	enum orgrbac_ldap_status s;
	size_t count = 0;

	*out = NULL;
	*n = 0;
	if (orgrbac_admin_place(a, "grants", &base, &parent) != 0) {
		orgrbac_seterr(err, "out of memory, or the base is not a DN");
		return ORGRBAC_ADMIN_ERROR;
	}
	s = orgrbac_ldap_search(a->l, base, LDAP_SCOPE_SUBTREE, filter, grant_attrs,
				ORGRBAC_ADMIN_MAX_ROLES, &res, err);
	if (s == ORGRBAC_LDAP_NOOBJECT && a->org != NULL)
		orgrbac_seterr(err, "%.300s: no such entry (or hidden from this identity)", base);
	free(base);
	free(parent);
	if (s == ORGRBAC_LDAP_NOOBJECT)
		return a->org == NULL ? ORGRBAC_ADMIN_DONE : ORGRBAC_ADMIN_ERROR;
	if (s != ORGRBAC_LDAP_OK)
		return ORGRBAC_ADMIN_ERROR;
	g = calloc((size_t)ldap_count_entries(ld, res) + 1, sizeof(*g));
	for (LDAPMessage *e = ldap_first_entry(ld, res); g != NULL && e != NULL;
	     e = ldap_next_entry(ld, e)) {
		if (read_one(ld, e, &g[count]) != 0) {
			orgrbac_grant_list_free(g, count);
			g = NULL;
			break;
		}
		count++;
	}
	ldap_msgfree(res);
	if (g == NULL) {
		orgrbac_seterr(err, "out of memory");
		return ORGRBAC_ADMIN_ERROR;
	}
	qsort(g, count, sizeof(*g), by_name);
	*out = g;
	*n = count;
	return ORGRBAC_ADMIN_DONE;
}

static bool names(const struct orgrbac_grant_info *g, const char *dn)
{
	for (size_t i = 0; i < g->v.n_grantees; i++)
		if (orgrbac_dn_same(g->v.grantees[i], dn))
			return true;
	return false;
}

static bool wanted(const struct orgrbac_grant_info *g, const struct orgrbac_grants_query *q,
		   const char *user_dn)
{
	const struct orgrbac_window *w = &g->v.window;

	if (user_dn != NULL && !names(g, user_dn))
		return false;
	if (q->expiring && (!w->has_not_after || w->not_after < q->now ||
			    w->not_after > orgrbac_sat_add(q->now, q->horizon)))
		return false;
	return true;
}

enum orgrbac_admin_status orgrbac_grants_list(const struct orgrbac_admin *a,
					      const struct orgrbac_grants_query *q,
					      struct orgrbac_grant_info **out, size_t *n,
					      orgrbac_error *err)
{
	struct orgrbac_grantee_arg user = {.group = false, .name = q->user};
	char *role_dn = NULL, *user_dn = NULL, *filter = NULL;
	enum orgrbac_admin_status st = ORGRBAC_ADMIN_DONE;
	size_t kept = 0;

	*out = NULL;
	*n = 0;
	if (q->role != NULL)
		st = orgrbac_grant_role_dn(a, q->role, &role_dn, err);
	if (st == ORGRBAC_ADMIN_DONE && q->user != NULL)
		st = orgrbac_grant_grantee_dn(a, &user, &user_dn, err);
	if (st == ORGRBAC_ADMIN_DONE) {
		filter = role_dn != NULL
			     ? orgrbac_admin_filter_eq("orgRoleGrant", "orgGrantedRole", role_dn)
			     : orgrbac_strdup("(objectClass=orgRoleGrant)");
		if (filter == NULL) {
			orgrbac_seterr(err, "out of memory");
			st = ORGRBAC_ADMIN_ERROR;
		}
	}
	if (st == ORGRBAC_ADMIN_DONE)
		st = orgrbac_grant_find(a, filter, out, n, err);
	for (size_t i = 0; st == ORGRBAC_ADMIN_DONE && i < *n; i++) {
		if (wanted(&(*out)[i], q, user_dn))
			(*out)[kept++] = (*out)[i];
		else
			grant_info_free(&(*out)[i]);
	}
	if (st == ORGRBAC_ADMIN_DONE)
		*n = kept;
	free(role_dn);
	free(user_dn);
	free(filter);
	return st;
}
