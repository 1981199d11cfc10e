/* SPDX-License-Identifier: BSD-2-Clause */
/* What one principal's load and the whole directory share: statuses, the base check. */
#include "directory.h"
#include "directory_int.h"

enum orgrbac_dir_status orgrbac_dir_status_from_ldap(enum orgrbac_ldap_status st)
{
	switch (st) {
	case ORGRBAC_LDAP_OK: return ORGRBAC_DIR_FOUND;
	/* a base the caller needs is missing or hidden: that server cannot answer */
	case ORGRBAC_LDAP_NOOBJECT:
	case ORGRBAC_LDAP_UNAVAIL: return ORGRBAC_DIR_UNAVAIL;
	case ORGRBAC_LDAP_ERROR:
	case ORGRBAC_LDAP_TOOMANY: return ORGRBAC_DIR_ERROR;
	}
	return ORGRBAC_DIR_ERROR;
}

enum orgrbac_dir_status orgrbac_dir_base_held(struct orgrbac_ldap *l, const char *base,
					      orgrbac_error *err)
{
	static char *attrs[] = {"1.1", NULL};
	LDAPMessage *res = NULL;
	bool held;
	enum orgrbac_ldap_status rc =
	    /* 2: a base search finds one entry, and a server that stops after it set a limit */
	    orgrbac_ldap_search(l, base, LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 2, &res, err);

	if (rc != ORGRBAC_LDAP_OK && rc != ORGRBAC_LDAP_NOOBJECT)
		return orgrbac_dir_status_from_ldap(rc);
	held = res != NULL && ldap_first_entry(orgrbac_ldap_handle(l), res) != NULL;
	ldap_msgfree(res);
	if (!held) {
		orgrbac_seterr(err, "%s does not hold the base %s", orgrbac_ldap_uri(l), base);
		return ORGRBAC_DIR_UNAVAIL;
	}
	return ORGRBAC_DIR_FOUND;
}
