/* SPDX-License-Identifier: BSD-2-Clause */
/* Directory writes: one operation each, under the watchdog, refusals in the server's words. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "ldapc.h"
#include "ldapc_int.h"
#include "write.h"

enum op { OP_ADD, OP_MODIFY, OP_DELETE };

static enum orgrbac_ldap_status write_one(struct orgrbac_ldap *l, enum op op, const char *dn,
					  LDAPMod **mods, int *code, orgrbac_error *err)
{
	static const char *const what[] = {"add", "modify", "delete"};
	struct orgrbac_sigpipe_guard guard;
	char *diag = NULL;
	int rc;

	l->round_trips++;
	orgrbac_sigpipe_block(&guard);
	orgrbac_watchdog_arm(&l->dog, l->timeout);
	switch (op) {
	case OP_ADD: rc = ldap_add_ext_s(l->ld, dn, mods, NULL, NULL); break;
	case OP_MODIFY: rc = ldap_modify_ext_s(l->ld, dn, mods, NULL, NULL); break;
	default: rc = ldap_delete_ext_s(l->ld, dn, NULL, NULL); break;
	}
	if (orgrbac_watchdog_disarm(&l->dog))
		rc = LDAP_TIMEOUT;
	orgrbac_sigpipe_restore(&guard);
	if (code != NULL)
		*code = rc;
	if (rc == LDAP_SUCCESS)
		return ORGRBAC_LDAP_OK;
	if (ldap_get_option(l->ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &diag) != LDAP_OPT_SUCCESS)
		diag = NULL;
	orgrbac_seterr(err, "%s: the server refused the %s of %.200s: %s (%d)%s%.200s", l->uri,
		       what[op], dn, ldap_err2string(rc), rc,
		       diag != NULL && diag[0] != '\0' ? ": " : "", diag != NULL ? diag : "");
	ldap_memfree(diag);
	return orgrbac_ldap_code_unavailable(rc) ? ORGRBAC_LDAP_UNAVAIL : ORGRBAC_LDAP_ERROR;
}

enum orgrbac_ldap_status orgrbac_ldap_add(struct orgrbac_ldap *l, const char *dn, LDAPMod **mods,
					  int *code, orgrbac_error *err)
{
	return write_one(l, OP_ADD, dn, mods, code, err);
}

enum orgrbac_ldap_status orgrbac_ldap_modify(struct orgrbac_ldap *l, const char *dn, LDAPMod **mods,
					     int *code, orgrbac_error *err)
{
	return write_one(l, OP_MODIFY, dn, mods, code, err);
}

enum orgrbac_ldap_status orgrbac_ldap_delete(struct orgrbac_ldap *l, const char *dn, int *code,
					     orgrbac_error *err)
{
	return write_one(l, OP_DELETE, dn, NULL, code, err);
}

char *orgrbac_dn_child(const char *attr, const char *value, const char *parent)
{
	LDAPAVA ava = {0};
	LDAPAVA *avas[2] = {&ava, NULL};
	LDAPRDN rdns[2] = {avas, NULL};
	LDAPDN parsed = NULL;
	char *rdn = NULL, *out = NULL;
	size_t len;

	/* the parent must be a DN; libldap escapes the value */
	if (ldap_str2dn(parent, &parsed, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS)
		return NULL;
	ldap_dnfree(parsed);
	ava.la_attr.bv_val = (char *)attr;
	ava.la_attr.bv_len = strlen(attr);
	ava.la_value.bv_val = (char *)value;
	ava.la_value.bv_len = strlen(value);
	ava.la_flags = LDAP_AVA_STRING;
	if (ldap_dn2str(rdns, &rdn, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS || rdn == NULL)
		return NULL;
	len = strlen(rdn) + 1 + strlen(parent) + 1;
	out = malloc(len);
	if (out != NULL)
		snprintf(out, len, "%s,%s", rdn, parent);
	ldap_memfree(rdn);
	return out;
}
