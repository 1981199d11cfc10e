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

/* The normalized RDNs of a parsed DN (NULL for the empty DN): 0, or -1 with *d empty. */
static int dn_from_parsed(LDAPDN parsed, struct orgrbac_dn *d)
{
	size_t n = 0, len = 0;

	memset(d, 0, sizeof(*d));
	while (parsed != NULL && parsed[n] != NULL)
		n++;
	d->rdn = calloc(n + 1, sizeof(*d->rdn));
	if (d->rdn == NULL)
		return -1;
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
	return 0;
fail:
	orgrbac_dn_free(d);
	return -1;
}

int orgrbac_dn_parse(const char *s, struct orgrbac_dn *d)
{
	LDAPDN parsed = NULL;
	int rc;

	memset(d, 0, sizeof(*d));
	if (s == NULL || ldap_str2dn(s, &parsed, LDAP_DN_FORMAT_LDAP) != LDAP_SUCCESS)
		return -1;
	rc = dn_from_parsed(parsed, d);
	ldap_dnfree(parsed);
	return rc;
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

/* An RDN of one o= value: 0 with its value and (when org_dn) the DN from it to the end. */
static int org_rdn(LDAPDN from, char **org, char **org_dn)
{
	LDAPAVA *ava = from[0][0];

	if (from[0][1] != NULL || ava->la_attr.bv_len != 1 ||
	    (ava->la_attr.bv_val[0] != 'o' && ava->la_attr.bv_val[0] != 'O'))
		return -1;
	*org = orgrbac_value_dup(&ava->la_value);
	if (*org == NULL)
		return -1;
	if (org_dn != NULL && ldap_dn2str(from, org_dn, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS) {
		*org_dn = NULL;
		free(*org);
		*org = NULL;
		return -1;
	}
	return 0;
}

int orgrbac_dn_org_of(const struct orgrbac_dn *base, const char *dn, char **org, char **org_dn)
{
	LDAPDN parsed = NULL;
	struct orgrbac_dn d;
	int rc = -1;

	*org = NULL;
	if (org_dn != NULL)
		*org_dn = NULL;
	if (dn == NULL || ldap_str2dn(dn, &parsed, LDAP_DN_FORMAT_LDAP) != LDAP_SUCCESS)
		return -1;
	/* The RDNs compared are those of the same parse the o= value is read from. */
	if (dn_from_parsed(parsed, &d) == 0) {
		if (orgrbac_dn_below(&d, base) && d.n >= base->n + 2)
			rc = org_rdn(&parsed[d.n - base->n - 1], org, org_dn);
		orgrbac_dn_free(&d);
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
