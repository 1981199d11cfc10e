/* SPDX-License-Identifier: BSD-2-Clause */
/* Where an administrator works: the place's subtrees, one-value reads, who made an entry, lookups.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "dn.h"
#include "entry.h"
#include "gtime.h"
#include "review.h"
#include "write.h"

int orgrbac_admin_place(const struct orgrbac_admin *a, const char *ou, char **search_base,
			char **parent)
{
	char *org_dn = NULL;

	*search_base = *parent = NULL;
	if (a->org == NULL) {
		*search_base = orgrbac_dn_child("ou", ou, a->base);
		*parent = orgrbac_strdup(*search_base);
	} else {
		org_dn = orgrbac_dn_child("o", a->org, a->base);
		if (org_dn != NULL)
			*parent = orgrbac_dn_child("ou", ou, org_dn);
		*search_base = org_dn;
	}
	if (*search_base == NULL || *parent == NULL) {
		free(*search_base);
		free(*parent);
		*search_base = *parent = NULL;
		return -1;
	}
	return 0;
}

enum orgrbac_admin_status orgrbac_admin_status_of(enum orgrbac_ldap_status s)
{
	return s == ORGRBAC_LDAP_OK ? ORGRBAC_ADMIN_DONE : ORGRBAC_ADMIN_ERROR;
}

char *orgrbac_admin_one_value(LDAP *ld, LDAPMessage *e, const char *attr)
{
	char *v = NULL;

	if (orgrbac_single_value(ld, e, attr, &v) != 0)
		return NULL;
	return v;
}

void orgrbac_admin_stamps_read(LDAP *ld, LDAPMessage *e, struct orgrbac_admin_stamps *s)
{
	s->creator = orgrbac_admin_one_value(ld, e, "creatorsName");
	s->created = orgrbac_admin_one_value(ld, e, "createTimestamp");
	s->modifier = orgrbac_admin_one_value(ld, e, "modifiersName");
	s->modified = orgrbac_admin_one_value(ld, e, "modifyTimestamp");
}

void orgrbac_admin_stamps_free(struct orgrbac_admin_stamps *s)
{
	free(s->creator);
	free(s->created);
	free(s->modifier);
	free(s->modified);
	memset(s, 0, sizeof(*s));
}

char *orgrbac_admin_filter_eq(const char *cls, const char *attr, const char *value)
{
	size_t vlen = strlen(value), esc_len = vlen * 3 + 1;
	char *esc, *out = NULL;
	size_t len;

	if (vlen > ORGRBAC_VALUE_MAX)
		return NULL;
	esc = malloc(esc_len);
	if (esc == NULL)
		return NULL;
	if (orgrbac_filter_escape(value, esc, esc_len) >= 0) {
		len = strlen(cls) + strlen(attr) + strlen(esc) + 32;
		out = malloc(len);
		if (out != NULL)
			snprintf(out, len, "(&(objectClass=%s)(%s=%s))", cls, attr, esc);
	}
	free(esc);
	return out;
}

enum orgrbac_admin_status orgrbac_admin_find_dn(const struct orgrbac_admin *a, const char *base,
						const char *cls, const char *attr,
						const char *value, char **dn, orgrbac_error *err)
{
	LDAP *ld = orgrbac_ldap_handle(a->l);
	LDAPMessage *res = NULL, *e;
	char *attrs[] = {"1.1", NULL}, *filter = orgrbac_admin_filter_eq(cls, attr, value);
	enum orgrbac_ldap_status s;
	int n;

	*dn = NULL;
	if (filter == NULL) {
		orgrbac_seterr(err, "out of memory, or the %s is too long", attr);
		return ORGRBAC_ADMIN_REFUSED;
	}
	s = orgrbac_ldap_search(a->l, base, LDAP_SCOPE_SUBTREE, filter, attrs, 2, &res, err);
	free(filter);
	if (s == ORGRBAC_LDAP_NOOBJECT) {
		orgrbac_seterr(err, "no %s with %s '%.200s' under %.300s", cls, attr, value, base);
		return ORGRBAC_ADMIN_REFUSED;
	}
	if (s == ORGRBAC_LDAP_TOOMANY) {
		orgrbac_seterr(err, "several %s entries with %s '%.200s' under %.300s", cls, attr,
			       value, base);
		return ORGRBAC_ADMIN_ERROR;
	}
	if (s != ORGRBAC_LDAP_OK)
		return ORGRBAC_ADMIN_ERROR;
	n = ldap_count_entries(ld, res);
	e = ldap_first_entry(ld, res);
	if (n == 1 && e != NULL)
		*dn = orgrbac_entry_dn(ld, e);
	ldap_msgfree(res);
	if (n == 0) {
		orgrbac_seterr(err, "no %s with %s '%.200s' under %.300s", cls, attr, value, base);
		return ORGRBAC_ADMIN_REFUSED;
	}
	if (n > 1) {
		orgrbac_seterr(err, "several %s entries with %s '%.200s' under %.300s", cls, attr,
			       value, base);
		return ORGRBAC_ADMIN_ERROR;
	}
	if (*dn == NULL) {
		orgrbac_seterr(err, "out of memory");
		return ORGRBAC_ADMIN_ERROR;
	}
	return ORGRBAC_ADMIN_DONE;
}

bool orgrbac_admin_name_valid(const char *s, const char **why)
{
	size_t len = strlen(s);
	const unsigned char *p = (const unsigned char *)s;

	*why = NULL;
	if (len == 0)
		*why = "empty";
	else if (len > ORGRBAC_ADMIN_NAME_MAX)
		*why = "longer than 256 bytes";
	while (*why == NULL && *p != '\0') {
		size_t n = orgrbac_utf8_len(p);

		if (*p < 0x20 || *p == 0x7f)
			*why = "a control character";
		else if (n == 0)
			*why = "not valid UTF-8";
		p += n;
	}
	if (*why == NULL && (s[0] == ' ' || s[len - 1] == ' '))
		*why = "a leading or trailing space";
	return *why == NULL;
}

int orgrbac_admin_time_parse(const char *s, int64_t now, int64_t *out)
{
	int64_t d;

	if (s == NULL)
		return -1;
	if (s[0] == '+') {
		if (orgrbac_duration_parse(s + 1, &d) != 0)
			return -1;
		*out = orgrbac_sat_add(now, d);
		return 0;
	}
	return orgrbac_iso8601_parse(s, out);
}
