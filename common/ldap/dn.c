/* SPDX-License-Identifier: BSD-2-Clause */
/* DNs for comparison: parsing, normalizing, containment, the organization of a DN. */
#include <stdlib.h>
#include <string.h>

#include "dn.h"

void orgrbac_dn_free(struct orgrbac_dn *d)
{
	if (d->rdn != NULL)
		for (size_t i = 0; i < d->n; i++)
			ldap_memfree(d->rdn[i]);
	free(d->rdn);
	free(d->str);
	memset(d, 0, sizeof(*d));
}

int orgrbac_dn_parse(const char *s, struct orgrbac_dn *d)
{
	LDAPDN parsed = NULL;
	size_t n = 0, len = 0;

	memset(d, 0, sizeof(*d));
	if (s == NULL || ldap_str2dn(s, &parsed, LDAP_DN_FORMAT_LDAP) != LDAP_SUCCESS)
		return -1;
	while (parsed != NULL && parsed[n] != NULL)
		n++;
	d->rdn = calloc(n + 1, sizeof(*d->rdn));
	if (d->rdn == NULL)
		goto fail;
	for (d->n = 0; d->n < n; d->n++) {
		if (ldap_rdn2str(parsed[d->n], &d->rdn[d->n], LDAP_DN_FORMAT_LDAPV3) !=
		    LDAP_SUCCESS)
			goto fail;
		for (char *p = d->rdn[d->n]; *p != '\0'; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		len += strlen(d->rdn[d->n]) + 1;
	}
	d->str = calloc(len + 1, 1);
	if (d->str == NULL)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			strcat(d->str, ",");
		strcat(d->str, d->rdn[i]);
	}
	ldap_dnfree(parsed);
	return 0;
fail:
	ldap_dnfree(parsed);
	orgrbac_dn_free(d);
	return -1;
}

bool orgrbac_dn_below(const struct orgrbac_dn *child, const struct orgrbac_dn *parent)
{
	if (child->n <= parent->n)
		return false;
	for (size_t i = 0; i < parent->n; i++)
		if (strcmp(child->rdn[child->n - parent->n + i], parent->rdn[i]) != 0)
			return false;
	return true;
}

bool orgrbac_dn_same(const char *a, const char *b)
{
	struct orgrbac_dn da, db;
	bool same = false;

	if (orgrbac_dn_parse(a, &da) != 0)
		return false;
	if (orgrbac_dn_parse(b, &db) == 0) {
		same = strcmp(da.str, db.str) == 0;
		orgrbac_dn_free(&db);
	}
	orgrbac_dn_free(&da);
	return same;
}

char *orgrbac_dn_norm(const char *s)
{
	struct orgrbac_dn d;
	char *out;

	if (orgrbac_dn_parse(s, &d) != 0)
		return NULL;
	out = d.str;
	d.str = NULL;
	orgrbac_dn_free(&d);
	return out;
}

int orgrbac_dn_org_of(const struct orgrbac_dn *base, const char *dn, char **org, char **org_dn)
{
	LDAPDN parsed = NULL;
	struct orgrbac_dn d;
	size_t n = 0, i;
	LDAPAVA *ava;
	int rc = -1;

	*org = NULL;
	if (org_dn != NULL)
		*org_dn = NULL;
	if (orgrbac_dn_parse(dn, &d) != 0)
		return -1;
	if (!orgrbac_dn_below(&d, base) || d.n < base->n + 2) {
		orgrbac_dn_free(&d);
		return -1;
	}
	orgrbac_dn_free(&d);
	if (ldap_str2dn(dn, &parsed, LDAP_DN_FORMAT_LDAP) != LDAP_SUCCESS)
		return -1;
	while (parsed[n] != NULL)
		n++;
	i = n - base->n - 1;
	ava = parsed[i][0];
	if (parsed[i][1] == NULL && ava->la_attr.bv_len == 1 &&
	    (ava->la_attr.bv_val[0] == 'o' || ava->la_attr.bv_val[0] == 'O')) {
		*org = orgrbac_value_dup(&ava->la_value);
		if (*org != NULL && org_dn != NULL &&
		    ldap_dn2str(&parsed[i], org_dn, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS)
			*org_dn = NULL;
		rc = *org != NULL && (org_dn == NULL || *org_dn != NULL) ? 0 : -1;
		if (rc != 0) {
			free(*org);
			*org = NULL;
		}
	}
	ldap_dnfree(parsed);
	return rc;
}

char *orgrbac_value_dup(const struct berval *bv)
{
	if (bv->bv_len > ORGRBAC_VALUE_MAX || memchr(bv->bv_val, '\0', bv->bv_len) != NULL)
		return NULL;
	return strndup(bv->bv_val, bv->bv_len);
}
