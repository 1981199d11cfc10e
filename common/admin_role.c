/* SPDX-License-Identifier: BSD-2-Clause */
/* `orgrbac role`: an organization's roles (or the global ones), validated, then one write each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "admin_ldif.h"
#include "dn.h"
#include "entry.h"
#include "expr.h"
#include "osgroup.h"
#include "write.h"

static char *role_attrs[] = {"cn",
			     "orgPrivilege",
			     "gidNumber",
			     "orgGroupName",
			     "description",
			     "orgManaged",
			     ORGRBAC_ADMIN_STAMP_ATTRS,
			     NULL};

void orgrbac_role_info_free(struct orgrbac_role_info *r)
{
	if (r == NULL)
		return;
	free(r->dn);
	free(r->name);
	for (size_t i = 0; r->privileges != NULL && i < r->n_privileges; i++)
		free(r->privileges[i]);
	free(r->privileges);
	free(r->gid);
	free(r->group_name);
	free(r->description);
	orgrbac_admin_stamps_free(&r->stamps);
	memset(r, 0, sizeof(*r));
}

void orgrbac_role_list_free(struct orgrbac_role_info *r, size_t n)
{
	for (size_t i = 0; r != NULL && i < n; i++)
		orgrbac_role_info_free(&r[i]);
	free(r);
}

void orgrbac_role_result_free(struct orgrbac_role_result *r)
{
	free(r->dn);
	free(r->ldif);
	for (size_t i = 0; r->grants != NULL && i < r->n_grants; i++)
		free(r->grants[i]);
	free(r->grants);
	r->dn = r->ldif = NULL;
	r->grants = NULL;
	r->n_grants = 0;
}

static int read_info(LDAP *ld, LDAPMessage *e, struct orgrbac_role_info *r)
{
	char *managed;

	memset(r, 0, sizeof(*r));
	r->dn = orgrbac_entry_dn(ld, e);
	r->name = orgrbac_first_value(ld, e, "cn");
	r->privileges = orgrbac_all_values(ld, e, "orgPrivilege", &r->n_privileges);
	r->gid = orgrbac_admin_one_value(ld, e, "gidNumber");
	r->group_name = orgrbac_admin_one_value(ld, e, "orgGroupName");
	r->description = orgrbac_first_value(ld, e, "description");
	managed = orgrbac_first_value(ld, e, "orgManaged");
	r->managed = managed != NULL && strcmp(managed, "TRUE") == 0;
	free(managed);
	orgrbac_admin_stamps_read(ld, e, &r->stamps);
	if (r->dn == NULL || r->privileges == NULL) {
		orgrbac_role_info_free(r);
		return -1;
	}
	if (r->name == NULL)
		r->name = orgrbac_strdup("?");
	return 0;
}

static int by_name(const void *a, const void *b)
{
	const struct orgrbac_role_info *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* The roles under `base` matching `filter`; NOOBJECT is an empty answer only when `absent_ok`. */
static enum orgrbac_admin_status find_roles(const struct orgrbac_admin *a, const char *base,
					    const char *filter, bool absent_ok,
					    struct orgrbac_role_info **out, size_t *n,
					    orgrbac_error *err)
{
	LDAP *ld = orgrbac_ldap_handle(a->l);
	LDAPMessage *res = NULL;
	enum orgrbac_ldap_status s;
	struct orgrbac_role_info *r;
	size_t count = 0;

	*out = NULL;
	*n = 0;
	s = orgrbac_ldap_search(a->l, base, LDAP_SCOPE_SUBTREE, filter, role_attrs,
				ORGRBAC_ADMIN_MAX_ROLES, &res, err);
	if (s == ORGRBAC_LDAP_NOOBJECT) {
		if (absent_ok)
			return ORGRBAC_ADMIN_DONE;
		orgrbac_seterr(err, "%.300s: no such entry (or hidden from this identity)", base);
		return ORGRBAC_ADMIN_ERROR;
	}
	if (s != ORGRBAC_LDAP_OK)
		return orgrbac_admin_status_of(s);
	r = calloc((size_t)ldap_count_entries(ld, res) + 1, sizeof(*r));
	if (r == NULL) {
		ldap_msgfree(res);
		orgrbac_seterr(err, "out of memory");
		return ORGRBAC_ADMIN_ERROR;
	}
	for (LDAPMessage *e = ldap_first_entry(ld, res); e != NULL; e = ldap_next_entry(ld, e)) {
		if (read_info(ld, e, &r[count]) != 0) {
			ldap_msgfree(res);
			orgrbac_role_list_free(r, count);
			orgrbac_seterr(err, "out of memory");
			return ORGRBAC_ADMIN_ERROR;
		}
		count++;
	}
	ldap_msgfree(res);
	qsort(r, count, sizeof(*r), by_name);
	*out = r;
	*n = count;
	return ORGRBAC_ADMIN_DONE;
}

enum orgrbac_admin_status orgrbac_role_list(const struct orgrbac_admin *a,
					    struct orgrbac_role_info **out, size_t *n,
					    orgrbac_error *err)
{
	char *base, *parent;
	enum orgrbac_admin_status st;

	if (orgrbac_admin_place(a, "roles", &base, &parent) != 0) {
		orgrbac_seterr(err, "out of memory, or the base is not a DN");
		return ORGRBAC_ADMIN_ERROR;
	}
	st = find_roles(a, base, "(objectClass=orgRole)", a->org == NULL, out, n, err);
	free(base);
	free(parent);
	return st;
}

/* The role NAME under `base`: DONE (r filled), REFUSED (none) or ERROR (several, or failed). */
static enum orgrbac_admin_status find_one(const struct orgrbac_admin *a, const char *base,
					  const char *name, bool absent_ok,
					  struct orgrbac_role_info *out, orgrbac_error *err)
{
	struct orgrbac_role_info *r = NULL;
	enum orgrbac_admin_status st;
	char *filter = orgrbac_admin_filter_eq("orgRole", "cn", name);
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	if (filter == NULL) {
		orgrbac_seterr(err, "out of memory, or the name is too long");
		return ORGRBAC_ADMIN_ERROR;
	}
	st = find_roles(a, base, filter, absent_ok, &r, &n, err);
	free(filter);
	if (st != ORGRBAC_ADMIN_DONE)
		return st;
	if (n == 0) {
		orgrbac_seterr(err, "no role named '%.300s' under %.300s", name, base);
		st = ORGRBAC_ADMIN_REFUSED;
	} else if (n > 1) {
		orgrbac_seterr(err,
			       "%zu roles named '%.300s' under %.300s: fix the directory first", n,
			       name, base);
		st = ORGRBAC_ADMIN_ERROR;
	} else {
		*out = r[0];
		memset(&r[0], 0, sizeof(r[0]));
	}
	orgrbac_role_list_free(r, n);
	return st;
}

enum orgrbac_admin_status orgrbac_role_show(const struct orgrbac_admin *a, const char *name,
					    struct orgrbac_role_info *out, orgrbac_error *err)
{
	char *base, *parent;
	enum orgrbac_admin_status st;

	if (orgrbac_admin_place(a, "roles", &base, &parent) != 0) {
		orgrbac_seterr(err, "out of memory, or the base is not a DN");
		return ORGRBAC_ADMIN_ERROR;
	}
	st = find_one(a, base, name, a->org == NULL, out, err);
	free(base);
	free(parent);
	return st;
}

/* ---- validation ---- */

static bool privileges_valid(char **p, size_t n, orgrbac_error *err)
{
	for (size_t i = 0; i < n; i++) {
		if (!orgrbac_privilege_valid(p[i], true)) {
			orgrbac_seterr(err,
				       "privilege '%.200s' does not parse: segments of "
				       "[A-Za-z0-9_.-] joined by ':', optionally ending in ':*', "
				       "or '*' alone",
				       p[i]);
			return false;
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(p[i], p[j]) == 0) {
				orgrbac_seterr(err, "privilege '%.200s' given twice", p[i]);
				return false;
			}
		}
	}
	return true;
}

static bool holds(const struct orgrbac_role_info *r, const char *p)
{
	for (size_t i = 0; i < r->n_privileges; i++)
		if (strcmp(r->privileges[i], p) == 0)
			return true;
	return false;
}

/* The grants anywhere under the base that name `dn`: REFUSED listing them, DONE when none. */
static enum orgrbac_admin_status grants_naming(const struct orgrbac_admin *a, const char *dn,
					       struct orgrbac_role_result *r)
{
	LDAP *ld = orgrbac_ldap_handle(a->l);
	LDAPMessage *res = NULL;
	char *attrs[] = {"1.1", NULL},
	     *filter = orgrbac_admin_filter_eq("orgRoleGrant", "orgGrantedRole", dn);
	enum orgrbac_ldap_status s;
	size_t n = 0;

	if (filter == NULL) {
		orgrbac_seterr(&r->err, "out of memory");
		return ORGRBAC_ADMIN_ERROR;
	}
	s = orgrbac_ldap_search(a->l, a->base, LDAP_SCOPE_SUBTREE, filter, attrs,
				ORGRBAC_ADMIN_MAX_ROLES, &res, &r->err);
	free(filter);
	if (s != ORGRBAC_LDAP_OK)
		return ORGRBAC_ADMIN_ERROR;
	r->grants = calloc((size_t)ldap_count_entries(ld, res) + 1, sizeof(*r->grants));
	if (r->grants == NULL) {
		ldap_msgfree(res);
		orgrbac_seterr(&r->err, "out of memory");
		return ORGRBAC_ADMIN_ERROR;
	}
	for (LDAPMessage *e = ldap_first_entry(ld, res); e != NULL; e = ldap_next_entry(ld, e)) {
		char *g = orgrbac_entry_dn(ld, e);

		if (g != NULL)
			r->grants[n++] = g;
	}
	r->n_grants = n;
	ldap_msgfree(res);
	if (n > 0) {
		orgrbac_seterr(&r->err, "%zu grant%s name%s this role: revoke %s first", n,
			       n == 1 ? "" : "s", n == 1 ? "s" : "", n == 1 ? "it" : "them");
		return ORGRBAC_ADMIN_REFUSED;
	}
	return ORGRBAC_ADMIN_DONE;
}

/* Does a role of that name exist where it would clash (the place, and the global roles)? */
static enum orgrbac_admin_status name_free(const struct orgrbac_admin *a, const char *search_base,
					   const char *name, orgrbac_error *err)
{
	struct orgrbac_role_info found;
	struct orgrbac_admin global = *a;
	char *gbase = NULL, *gparent = NULL;
	enum orgrbac_admin_status st;

	st = find_one(a, search_base, name, true, &found, err);
	if (st == ORGRBAC_ADMIN_DONE) {
		orgrbac_seterr(err, "a role named '%.200s' exists: %.300s", name, found.dn);
		orgrbac_role_info_free(&found);
		return ORGRBAC_ADMIN_REFUSED;
	}
	if (st == ORGRBAC_ADMIN_ERROR || a->org == NULL)
		return st == ORGRBAC_ADMIN_REFUSED ? ORGRBAC_ADMIN_DONE : st;
	/* an organization's role must not take a global role's name */
	global.org = NULL;
	if (orgrbac_admin_place(&global, "roles", &gbase, &gparent) != 0) {
		orgrbac_seterr(err, "out of memory");
		return ORGRBAC_ADMIN_ERROR;
	}
	st = find_one(&global, gbase, name, true, &found, err);
	free(gbase);
	free(gparent);
	if (st == ORGRBAC_ADMIN_DONE) {
		orgrbac_seterr(err, "a global role named '%.200s' exists: %.300s", name, found.dn);
		orgrbac_role_info_free(&found);
		return ORGRBAC_ADMIN_REFUSED;
	}
	return st == ORGRBAC_ADMIN_REFUSED ? ORGRBAC_ADMIN_DONE : st;
}

/* Validation common to add and set: privileges, group name, gid (resolved into gidbuf). */
static enum orgrbac_admin_status validate(const struct orgrbac_admin *a,
					  const struct orgrbac_role_change *c, const char *self,
					  char *gidbuf, size_t gidlen, orgrbac_error *err)
{
	unsigned long gid = 0;
	enum orgrbac_admin_status st;

	if (!privileges_valid(c->add, c->n_add, err) ||
	    !privileges_valid(c->remove, c->n_remove, err))
		return ORGRBAC_ADMIN_REFUSED;
	if (c->group_name != NULL && !orgrbac_group_name_valid(c->group_name)) {
		orgrbac_seterr(err,
			       "group name '%.200s' is not usable: 1..255 of [A-Za-z0-9_.-], "
			       "not starting with '-'",
			       c->group_name);
		return ORGRBAC_ADMIN_REFUSED;
	}
	if (c->description != NULL && strlen(c->description) > ORGRBAC_VALUE_MAX) {
		orgrbac_seterr(err, "description longer than %d bytes", ORGRBAC_VALUE_MAX);
		return ORGRBAC_ADMIN_REFUSED;
	}
	gidbuf[0] = '\0';
	if (c->gid == NULL)
		return ORGRBAC_ADMIN_DONE;
	if (strcmp(c->gid, "auto") == 0) {
		st = orgrbac_admin_gid_auto(a, &gid, err);
		if (st != ORGRBAC_ADMIN_DONE)
			return st;
	} else {
		if (!orgrbac_admin_gid_parse(c->gid, &gid, err))
			return ORGRBAC_ADMIN_REFUSED;
		st = orgrbac_admin_gid_free(a, gid, self, err);
		if (st != ORGRBAC_ADMIN_DONE)
			return st;
	}
	snprintf(gidbuf, gidlen, "%lu", gid);
	return ORGRBAC_ADMIN_DONE;
}

/* role add: the entry, with every value. */
static void build_add(const struct orgrbac_role_change *c, const char *gid,
		      struct orgrbac_change *ch, char **privs)
{
	static char *classes[] = {"orgRole", NULL};

	orgrbac_change_mod(ch, LDAP_MOD_ADD, "objectClass", classes, NULL);
	orgrbac_change_mod(ch, LDAP_MOD_ADD, "cn", NULL, c->name);
	orgrbac_change_mod(ch, LDAP_MOD_ADD, "orgPrivilege", privs, NULL);
	if (gid[0] != '\0')
		orgrbac_change_mod(ch, LDAP_MOD_ADD, "gidNumber", NULL, gid);
	if (c->group_name != NULL)
		orgrbac_change_mod(ch, LDAP_MOD_ADD, "orgGroupName", NULL, c->group_name);
	if (c->description != NULL)
		orgrbac_change_mod(ch, LDAP_MOD_ADD, "description", NULL, c->description);
}

/* role set: the modifications; REFUSED when they would change nothing or name what is not there. */
static enum orgrbac_admin_status build_set(const struct orgrbac_role_change *c,
					   const struct orgrbac_role_info *cur, const char *gid,
					   struct orgrbac_change *ch, char **add, char **remove,
					   const char *dn, orgrbac_error *err)
{
	for (size_t i = 0; i < c->n_add; i++) {
		if (holds(cur, c->add[i])) {
			orgrbac_seterr(err, "role '%.200s' already holds privilege '%.200s'",
				       c->name, c->add[i]);
			return ORGRBAC_ADMIN_REFUSED;
		}
		for (size_t j = 0; j < c->n_remove; j++) {
			if (strcmp(c->add[i], c->remove[j]) == 0) {
				orgrbac_seterr(err, "privilege '%.200s' both added and removed",
					       c->add[i]);
				return ORGRBAC_ADMIN_REFUSED;
			}
		}
	}
	for (size_t i = 0; i < c->n_remove; i++) {
		if (!holds(cur, c->remove[i])) {
			orgrbac_seterr(err, "role '%.200s' does not hold privilege '%.200s'",
				       c->name, c->remove[i]);
			return ORGRBAC_ADMIN_REFUSED;
		}
	}
	orgrbac_change_begin(ch, dn, ORGRBAC_CHANGE_MODIFY);
	if (c->n_add > 0)
		orgrbac_change_mod(ch, LDAP_MOD_ADD, "orgPrivilege", add, NULL);
	if (c->n_remove > 0)
		orgrbac_change_mod(ch, LDAP_MOD_DELETE, "orgPrivilege", remove, NULL);
	if (gid[0] != '\0')
		orgrbac_change_mod(ch, LDAP_MOD_REPLACE, "gidNumber", NULL, gid);
	if (c->group_name != NULL)
		orgrbac_change_mod(ch, LDAP_MOD_REPLACE, "orgGroupName", NULL, c->group_name);
	if (c->description != NULL)
		orgrbac_change_mod(ch, LDAP_MOD_REPLACE, "description", NULL, c->description);
	if (ch->n == 0) {
		orgrbac_seterr(err, "nothing to change: give --add-privilege, --remove-privilege, "
				    "--gid, --group-name or --description");
		return ORGRBAC_ADMIN_REFUSED;
	}
	return ORGRBAC_ADMIN_DONE;
}

/* Validated, then the one operation (or only its LDIF). */
static enum orgrbac_admin_status change(const struct orgrbac_admin *a,
					const struct orgrbac_role_change *c,
					const char *search_base, const char *parent,
					struct orgrbac_change *ch, struct orgrbac_role_result *r)
{
	struct orgrbac_role_info cur = {0};
	char gid[24] = "", **add = NULL, **remove = NULL;
	const char *why;
	enum orgrbac_admin_status st;

	if (!orgrbac_admin_name_valid(c->name, &why)) {
		orgrbac_seterr(&r->err, "role name refused: %s", why);
		return ORGRBAC_ADMIN_REFUSED;
	}
	if (c->op == ORGRBAC_ROLE_ADD) {
		if (c->n_add == 0) {
			orgrbac_seterr(&r->err, "a role needs at least one --privilege");
			return ORGRBAC_ADMIN_REFUSED;
		}
		st = validate(a, c, NULL, gid, sizeof(gid), &r->err);
		if (st == ORGRBAC_ADMIN_DONE)
			st = name_free(a, search_base, c->name, &r->err);
		if (st != ORGRBAC_ADMIN_DONE)
			return st;
		r->dn = orgrbac_dn_child("cn", c->name, parent);
	} else {
		st = find_one(a, search_base, c->name, a->org == NULL, &cur, &r->err);
		if (st != ORGRBAC_ADMIN_DONE)
			return st;
		if (cur.managed) {
			orgrbac_seterr(&r->err,
				       "role '%.200s' is orgManaged (a managed-services "
				       "agreement): orgrbac does not change it",
				       c->name);
			orgrbac_role_info_free(&cur);
			return ORGRBAC_ADMIN_REFUSED;
		}
		r->dn = cur.dn;
		cur.dn = NULL;
		if (c->op == ORGRBAC_ROLE_SET)
			st = validate(a, c, r->dn, gid, sizeof(gid), &r->err);
		else
			st = grants_naming(a, r->dn, r);
		if (st != ORGRBAC_ADMIN_DONE) {
			orgrbac_role_info_free(&cur);
			return st;
		}
	}
	add = orgrbac_terminated(c->add, c->n_add);
	remove = orgrbac_terminated(c->remove, c->n_remove);
	if (r->dn == NULL || add == NULL || remove == NULL) {
		orgrbac_seterr(&r->err, "out of memory");
		st = ORGRBAC_ADMIN_ERROR;
		goto out;
	}
	if (c->op == ORGRBAC_ROLE_ADD) {
		orgrbac_change_begin(ch, r->dn, ORGRBAC_CHANGE_ADD);
		build_add(c, gid, ch, add);
	} else if (c->op == ORGRBAC_ROLE_SET) {
		st = build_set(c, &cur, gid, ch, add, remove, r->dn, &r->err);
	} else {
		orgrbac_change_begin(ch, r->dn, ORGRBAC_CHANGE_DELETE);
	}
	if (st == ORGRBAC_ADMIN_DONE && !c->dry_run)
		st = orgrbac_change_send(a, ch, r->dn, &r->err);
out:
	orgrbac_role_info_free(&cur);
	free(add);
	free(remove);
	return st;
}

enum orgrbac_admin_status orgrbac_role_change(const struct orgrbac_admin *a,
					      const struct orgrbac_role_change *c,
					      struct orgrbac_role_result *r)
{
	struct orgrbac_change ch;
	char *base = NULL, *parent = NULL;
	enum orgrbac_admin_status st;

	memset(r, 0, sizeof(*r));
	if (orgrbac_change_open(&ch) != 0 || orgrbac_admin_place(a, "roles", &base, &parent) != 0) {
		st = ORGRBAC_ADMIN_ERROR;
		free(orgrbac_change_close(&ch, &st, &r->err));
		orgrbac_seterr(&r->err, "out of memory, or the base is not a DN");
		return ORGRBAC_ADMIN_ERROR;
	}
	st = change(a, c, base, parent, &ch, r);
	r->ldif = orgrbac_change_close(&ch, &st, &r->err);
	free(base);
	free(parent);
	return st;
}
