/* SPDX-License-Identifier: BSD-2-Clause */
/* `orgrbac external list` and `show`: each entry read as the gate reads it, and judged by it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_external.h"
#include "admin_external_int.h"
#include "dn.h"
#include "entry.h"

static char *ext_attrs[] = {"cn",
			    "orgExternalKind",
			    "orgAccessMode",
			    "orgNotBefore",
			    "orgNotAfter",
			    "orgRoleManagement",
			    "orgManaged",
			    "orgDomain",
			    "description",
			    ORGRBAC_ADMIN_STAMP_ATTRS,
			    NULL};

void orgrbac_external_info_free(struct orgrbac_external_info *x)
{
	if (x == NULL)
		return;
	free(x->dn);
	free(x->name);
	orgrbac_strv_free(x->domains);
	free(x->description);
	orgrbac_strv_free(x->users);
	orgrbac_admin_stamps_free(&x->stamps);
	memset(x, 0, sizeof(*x));
}

void orgrbac_external_list_free(struct orgrbac_external_info *x, size_t n)
{
	for (size_t i = 0; x != NULL && i < n; i++)
		orgrbac_external_info_free(&x[i]);
	free(x);
}

/* One entry: the gate's reader for its access values, then what `show` prints. -1 on ENOMEM. */
static int read_info(LDAP *ld, LDAPMessage *e, const char *org, int64_t now,
		     struct orgrbac_external_info *x)
{
	char *managed;

	memset(x, 0, sizeof(*x));
	x->dn = orgrbac_entry_dn(ld, e);
	x->name = orgrbac_first_value(ld, e, "cn");
	orgrbac_read_external(ld, e, &x->access);
	x->domains = orgrbac_all_values(ld, e, "orgDomain", &x->n_domains);
	x->description = orgrbac_first_value(ld, e, "description");
	managed = orgrbac_first_value(ld, e, "orgManaged");
	x->managed = managed != NULL && strcmp(managed, "TRUE") == 0;
	free(managed);
	orgrbac_admin_stamps_read(ld, e, &x->stamps);
	if (x->name == NULL)
		x->name = orgrbac_strdup("?");
	if (x->dn == NULL || x->name == NULL || x->domains == NULL) {
		orgrbac_external_info_free(x);
		return -1;
	}
	x->access.dn = x->dn;
	x->access.name = x->name;
	x->open = orgrbac_external_open(&x->access, org, now, x->why, sizeof(x->why));
	return 0;
}

static int by_name(const void *a, const void *b)
{
	const struct orgrbac_external_info *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : strcmp(x->dn, y->dn);
}

enum orgrbac_admin_status orgrbac_external_find(const struct orgrbac_admin *a, const char *base,
						const char *filter, int64_t now, bool absent_ok,
						struct orgrbac_external_info **out, size_t *n,
						orgrbac_error *err)
{
	LDAP *ld = orgrbac_ldap_handle(a->l);
	LDAPMessage *res = NULL;
	enum orgrbac_ldap_status s;
	struct orgrbac_external_info *x;
	size_t count = 0;

	*out = NULL;
	*n = 0;
	s = orgrbac_ldap_search(a->l, base, LDAP_SCOPE_SUBTREE, filter, ext_attrs,
				ORGRBAC_EXTERNAL_MAX, &res, err);
	if (s == ORGRBAC_LDAP_NOOBJECT && absent_ok)
		return ORGRBAC_ADMIN_DONE;
	if (s == ORGRBAC_LDAP_NOOBJECT)
		orgrbac_seterr(err, "%.300s: no such entry (or hidden from this identity)", base);
	if (s != ORGRBAC_LDAP_OK)
		return ORGRBAC_ADMIN_ERROR;
	x = calloc((size_t)ldap_count_entries(ld, res) + 1, sizeof(*x));
	for (LDAPMessage *e = ldap_first_entry(ld, res); x != NULL && e != NULL;
	     e = ldap_next_entry(ld, e)) {
		if (read_info(ld, e, a->org, now, &x[count]) != 0) {
			orgrbac_external_list_free(x, count);
			x = NULL;
			break;
		}
		count++;
	}
	ldap_msgfree(res);
	if (x == NULL) {
		orgrbac_seterr(err, "out of memory");
		return ORGRBAC_ADMIN_ERROR;
	}
	qsort(x, count, sizeof(*x), by_name);
	*out = x;
	*n = count;
	return ORGRBAC_ADMIN_DONE;
}

int orgrbac_external_place(const struct orgrbac_admin *a, char **search_base, char **parent,
			   orgrbac_error *err)
{
	*search_base = *parent = NULL;
	if (a->org == NULL) {
		orgrbac_seterr(err, "external entries belong to an organization: give --org ORG, "
				    "not --platform");
		return -1;
	}
	if (orgrbac_admin_place(a, "external", search_base, parent) != 0) {
		orgrbac_seterr(err, "out of memory, or the base is not a DN");
		return -1;
	}
	return 0;
}

enum orgrbac_admin_status orgrbac_external_list(const struct orgrbac_admin *a, int64_t now,
						struct orgrbac_external_info **out, size_t *n,
						orgrbac_error *err)
{
	char *base, *parent;
	enum orgrbac_admin_status st;

	*out = NULL;
	*n = 0;
	if (orgrbac_external_place(a, &base, &parent, err) != 0)
		return ORGRBAC_ADMIN_ERROR;
	free(parent);
	st = orgrbac_external_find(a, base, "(objectClass=orgExternalAccess)", now, false, out, n,
				   err);
	free(base);
	return st;
}

enum orgrbac_admin_status orgrbac_external_one(const struct orgrbac_admin *a, const char *name,
					       int64_t now, bool absent_ok,
					       struct orgrbac_external_info *out,
					       orgrbac_error *err)
{
	char *base = NULL, *parent = NULL, *filter = NULL;
	struct orgrbac_external_info *x = NULL;
	enum orgrbac_admin_status st = ORGRBAC_ADMIN_ERROR;
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	if (orgrbac_external_place(a, &base, &parent, err) != 0)
		return ORGRBAC_ADMIN_ERROR;
	free(parent);
	filter = orgrbac_admin_filter_eq("orgExternalAccess", "cn", name);
	if (filter == NULL)
		orgrbac_seterr(err, "out of memory, or the name is too long");
	else
		st = orgrbac_external_find(a, base, filter, now, absent_ok, &x, &n, err);
	if (st == ORGRBAC_ADMIN_DONE && n == 0) {
		orgrbac_seterr(err, "no external entry named '%.300s' under %.300s", name, base);
		st = ORGRBAC_ADMIN_REFUSED;
	} else if (st == ORGRBAC_ADMIN_DONE && n > 1) {
		orgrbac_seterr(err,
			       "%zu external entries named '%.300s' under %.300s: fix the "
			       "directory first",
			       n, name, base);
		st = ORGRBAC_ADMIN_ERROR;
	} else if (st == ORGRBAC_ADMIN_DONE) {
		*out = x[0];
		memset(&x[0], 0, sizeof(x[0]));
	}
	orgrbac_external_list_free(x, n);
	free(filter);
	free(base);
	return st;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

enum orgrbac_admin_status orgrbac_external_beneath(const struct orgrbac_admin *a, const char *dn,
						   bool want_dns, char ***out, size_t *n_out,
						   size_t *n_beneath, orgrbac_error *err)
{
	static char *attrs[] = {"uid", NULL};
	LDAP *ld = orgrbac_ldap_handle(a->l);
	LDAPMessage *res = NULL;
	size_t k = 0;
	char **v;

	*out = NULL;
	*n_out = *n_beneath = 0;
	if (orgrbac_ldap_search(a->l, dn, LDAP_SCOPE_SUBTREE, "(objectClass=*)", attrs,
				ORGRBAC_EXTERNAL_MAX, &res, err) != ORGRBAC_LDAP_OK)
		return ORGRBAC_ADMIN_ERROR;
	v = calloc((size_t)ldap_count_entries(ld, res) + 1, sizeof(*v));
	for (LDAPMessage *e = ldap_first_entry(ld, res); v != NULL && e != NULL;
	     e = ldap_next_entry(ld, e)) {
		char *edn = orgrbac_entry_dn(ld, e);

		if (edn == NULL || orgrbac_dn_same(edn, dn)) {
			free(edn);
			continue;
		}
		(*n_beneath)++;
		v[k] = want_dns ? edn : orgrbac_first_value(ld, e, "uid");
		if (!want_dns)
			free(edn);
		if (v[k] != NULL)
			k++;
	}
	ldap_msgfree(res);
	if (v == NULL) {
		orgrbac_seterr(err, "out of memory");
		return ORGRBAC_ADMIN_ERROR;
	}
	qsort(v, k, sizeof(*v), by_string);
	*out = v;
	*n_out = k;
	return ORGRBAC_ADMIN_DONE;
}

enum orgrbac_admin_status orgrbac_external_show(const struct orgrbac_admin *a, const char *name,
						int64_t now, struct orgrbac_external_info *out,
						orgrbac_error *err)
{
	enum orgrbac_admin_status st = orgrbac_external_one(a, name, now, false, out, err);

	if (st == ORGRBAC_ADMIN_DONE)
		st = orgrbac_external_beneath(a, out->dn, false, &out->users, &out->n_users,
					      &out->n_beneath, err);
	if (st != ORGRBAC_ADMIN_DONE)
		orgrbac_external_info_free(out);
	return st;
}
