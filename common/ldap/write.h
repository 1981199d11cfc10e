/* SPDX-License-Identifier: BSD-2-Clause */
/* Directory writes: one operation each, under the timeout, refusals in the server's words. */
#ifndef ORGRBAC_WRITE_H
#define ORGRBAC_WRITE_H

#include <ldap.h>

#include "ldapc.h"

/*
 * One add, modify or delete with the configured timeout. OK; UNAVAIL when
 * no server answered in time; ERROR when the server refused, with err
 * holding its words ("Insufficient access: ..."). *code (when not NULL)
 * gets libldap's result code.
 */
enum orgrbac_ldap_status orgrbac_ldap_add(struct orgrbac_ldap *l, const char *dn, LDAPMod **mods,
					  int *code, orgrbac_error *err);
enum orgrbac_ldap_status orgrbac_ldap_modify(struct orgrbac_ldap *l, const char *dn, LDAPMod **mods,
					     int *code, orgrbac_error *err);
enum orgrbac_ldap_status orgrbac_ldap_delete(struct orgrbac_ldap *l, const char *dn, int *code,
					     orgrbac_error *err);

/*
 * "ATTR=VALUE,PARENT" with VALUE escaped as an RDN value (RFC 4514) by
 * libldap itself; NULL when it cannot be built (ENOMEM, a PARENT that is not
 * a DN). Free it with free().
 */
char *orgrbac_dn_child(const char *attr, const char *value, const char *parent);

#endif
