/* SPDX-License-Identifier: BSD-2-Clause */
/* Reading one entry: bounded values, grants and external-access entries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dn.h"
#include "entry.h"
#include "gtime.h"

int orgrbac_single_value(LDAP *ld, LDAPMessage *e, const char *attr, char **out)
{
	struct berval **v = ldap_get_values_len(ld, e, attr);
	int rc = 0;

	*out = NULL;
	if (v == NULL)
		return 0;
	if (v[0] != NULL && v[1] == NULL) {
		*out = orgrbac_value_dup(v[0]);
		if (*out == NULL)
			rc = -1;
	} else if (v[0] != NULL) {
		rc = -1;
	}
	ldap_value_free_len(v);
	return rc;
}

/*
 * Every usable value of `attr` as a NULL-terminated array (possibly empty),
 * or NULL on ENOMEM. *dropped (when not NULL) counts the values left out.
 */
static char **some_values(LDAP *ld, LDAPMessage *e, const char *attr, size_t *n, size_t *dropped)
{
	struct berval **v = ldap_get_values_len(ld, e, attr);
	size_t count = v != NULL ? (size_t)ldap_count_values_len(v) : 0, k = 0;
	char **out = calloc(count + 1, sizeof(*out));

	if (out != NULL)
		for (size_t i = 0; i < count; i++)
			if ((out[k] = orgrbac_value_dup(v[i])) != NULL)
				k++;
	ldap_value_free_len(v);
	*n = k;
	if (dropped != NULL)
		*dropped = count - k;
	return out;
}

char **orgrbac_all_values(LDAP *ld, LDAPMessage *e, const char *attr, size_t *n)
{
	return some_values(ld, e, attr, n, NULL);
}

char *orgrbac_first_value(LDAP *ld, LDAPMessage *e, const char *attr)
{
	struct berval **v = ldap_get_values_len(ld, e, attr);
	char *out = NULL;

	for (size_t i = 0; v != NULL && v[i] != NULL && out == NULL; i++)
		out = orgrbac_value_dup(v[i]);
	ldap_value_free_len(v);
	return out;
}

/*
 * Does the entry carry one of `attrs` with options ("orgScope;lang-en")?
 * Such values are invisible to ldap_get_values_len, so they must void what
 * they sit on rather than vanish. Writes "ATTR;OPT has options" to why.
 */
static bool has_options(LDAP *ld, LDAPMessage *e, const char *const *attrs, char *why, size_t len)
{
	BerElement *ber = NULL;
	bool found = false;

	for (char *a = ldap_first_attribute(ld, e, &ber); a != NULL;
	     a = ldap_next_attribute(ld, e, ber)) {
		const char *semi = strchr(a, ';');

		for (size_t i = 0; semi != NULL && !found && attrs[i] != NULL; i++)
			if (strlen(attrs[i]) == (size_t)(semi - a) &&
			    strncasecmp(a, attrs[i], (size_t)(semi - a)) == 0) {
				snprintf(why, len, "%.100s has options", a);
				found = true;
			}
		ldap_memfree(a);
		if (found)
			break;
	}
	ber_free(ber, 0);
	return found;
}

char *orgrbac_entry_dn(LDAP *ld, LDAPMessage *e)
{
	char *dn = ldap_get_dn(ld, e), *copy;

	if (dn == NULL)
		return NULL;
	copy = strdup(dn);
	ldap_memfree(dn);
	return copy;
}

static void parse_window(LDAP *ld, LDAPMessage *e, struct orgrbac_window *w)
{
	char *nb = NULL, *na = NULL;

	memset(w, 0, sizeof(*w));
	if (orgrbac_single_value(ld, e, "orgNotBefore", &nb) != 0 ||
	    orgrbac_single_value(ld, e, "orgNotAfter", &na) != 0)
		w->malformed = true;
	if (nb != NULL) {
		w->has_not_before = true;
		if (orgrbac_gtime_parse(nb, &w->not_before) != 0)
			w->malformed = true;
	}
	if (na != NULL) {
		w->has_not_after = true;
		if (orgrbac_gtime_parse(na, &w->not_after) != 0)
			w->malformed = true;
	}
	free(nb);
	free(na);
}

/* The attributes whose every value a grant depends on. */
static const char *const grant_security_attrs[] = {"orgGrantedRole", "orgGrantee",  "orgScope",
						   "orgNotBefore",   "orgNotAfter", NULL};

void orgrbac_grant_values_free(struct orgrbac_grant_values *v)
{
	free(v->role_dn);
	orgrbac_strv_free(v->grantees);
	orgrbac_strv_free(v->scopes);
	memset(v, 0, sizeof(*v));
}

int orgrbac_read_grant(LDAP *ld, LDAPMessage *e, struct orgrbac_grant_values *v)
{
	size_t dropped_grantees = 0, dropped_scopes = 0;
	struct orgrbac_dn d = {0};

	memset(v, 0, sizeof(*v));
	v->grantees = some_values(ld, e, "orgGrantee", &v->n_grantees, &dropped_grantees);
	v->scopes = some_values(ld, e, "orgScope", &v->n_scopes, &dropped_scopes);
	if (v->grantees == NULL || v->scopes == NULL)
		return -1;
	parse_window(ld, e, &v->window);
	if (has_options(ld, e, grant_security_attrs, v->why, sizeof(v->why)))
		return 0;
	if (orgrbac_single_value(ld, e, "orgGrantedRole", &v->role_dn) != 0 || v->role_dn == NULL)
		snprintf(v->why, sizeof(v->why),
			 "orgGrantedRole is missing, repeated or unreadable");
	else if (orgrbac_dn_parse(v->role_dn, &d) != 0)
		snprintf(v->why, sizeof(v->why), "orgGrantedRole is not a DN");
	else if (dropped_grantees > 0 || dropped_scopes > 0)
		snprintf(v->why, sizeof(v->why), "an %s value is over %d bytes or holds a NUL",
			 dropped_grantees > 0 ? "orgGrantee" : "orgScope", ORGRBAC_VALUE_MAX);
	else if (v->window.malformed)
		snprintf(v->why, sizeof(v->why),
			 "orgNotBefore or orgNotAfter is repeated or not GeneralizedTime");
	orgrbac_dn_free(&d);
	for (size_t i = 0; v->why[0] == '\0' && i < v->n_grantees; i++) {
		if (orgrbac_dn_parse(v->grantees[i], &d) != 0)
			snprintf(v->why, sizeof(v->why), "an orgGrantee value is not a DN");
		orgrbac_dn_free(&d);
	}
	for (size_t i = 0; v->why[0] == '\0' && i < v->n_scopes; i++)
		if (!orgrbac_scope_valid(v->scopes[i]))
			snprintf(v->why, sizeof(v->why),
				 "orgScope '%.60s' is not service:NAME or resource:NAME",
				 v->scopes[i]);
	return 0;
}

static enum orgrbac_ext_kind ext_kind(const char *v)
{
	if (v != NULL && strcasecmp(v, "vendor") == 0)
		return ORGRBAC_EXT_VENDOR;
	if (v != NULL && strcasecmp(v, "partner") == 0)
		return ORGRBAC_EXT_PARTNER;
	return ORGRBAC_EXT_KIND_UNKNOWN;
}

static enum orgrbac_ext_mode ext_mode(const char *v)
{
	if (v != NULL && strcasecmp(v, "continuous") == 0)
		return ORGRBAC_MODE_CONTINUOUS;
	if (v != NULL && strcasecmp(v, "window") == 0)
		return ORGRBAC_MODE_WINDOW;
	if (v != NULL && strcasecmp(v, "disabled") == 0)
		return ORGRBAC_MODE_DISABLED;
	return ORGRBAC_MODE_UNKNOWN;
}

void orgrbac_read_external(LDAP *ld, LDAPMessage *e, struct orgrbac_external *x)
{
	static const char *const closing[] = {"orgExternalKind", "orgAccessMode", "orgNotBefore",
					      "orgNotAfter", NULL};
	static const char *const management[] = {"orgRoleManagement", NULL};
	char *kind = NULL, *mode = NULL, *rm = NULL, ignored[ORGRBAC_UNREADABLE_MAX];
	bool kind_ok = orgrbac_single_value(ld, e, "orgExternalKind", &kind) == 0;
	bool mode_ok = orgrbac_single_value(ld, e, "orgAccessMode", &mode) == 0;

	x->kind = kind_ok ? ext_kind(kind) : ORGRBAC_EXT_KIND_UNKNOWN;
	x->mode = mode_ok ? ext_mode(mode) : ORGRBAC_MODE_UNKNOWN;
	parse_window(ld, e, &x->window);
	x->unreadable[0] = '\0';
	if (!has_options(ld, e, closing, x->unreadable, sizeof(x->unreadable)) &&
	    (!kind_ok || !mode_ok))
		snprintf(x->unreadable, sizeof(x->unreadable),
			 "orgExternalKind or orgAccessMode is repeated or unreadable");
	x->role_management = true;
	if (orgrbac_single_value(ld, e, "orgRoleManagement", &rm) == 0 && rm != NULL &&
	    strcmp(rm, "FALSE") == 0 && !has_options(ld, e, management, ignored, sizeof(ignored)))
		x->role_management = false;
	free(kind);
	free(mode);
	free(rm);
}

char *orgrbac_entry_dn_norm(LDAP *ld, LDAPMessage *e)
{
	char *dn = orgrbac_entry_dn(ld, e), *norm = dn != NULL ? orgrbac_dn_norm(dn) : NULL;

	free(dn);
	return norm;
}

int orgrbac_read_role(LDAP *ld, LDAPMessage *e, char **name, char ***privileges, size_t *n)
{
	*name = orgrbac_first_value(ld, e, "cn");
	*privileges = orgrbac_all_values(ld, e, "orgPrivilege", n);
	return *privileges != NULL ? 0 : -1;
}
