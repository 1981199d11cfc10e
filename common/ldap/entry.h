/* SPDX-License-Identifier: BSD-2-Clause */
/* Reading one entry: bounded values, grants and external-access entries. */
#ifndef ORGRBAC_ENTRY_H
#define ORGRBAC_ENTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <ldap.h>

#include "policy.h"

/* The single value of `attr`: 0 with *out (NULL if absent), -1 if several or unusable. */
int orgrbac_single_value(LDAP *ld, LDAPMessage *e, const char *attr, char **out);

/* Every usable value of `attr` as a NULL-terminated array (possibly empty), or NULL on ENOMEM. */
char **orgrbac_all_values(LDAP *ld, LDAPMessage *e, const char *attr, size_t *n);

/* The first usable value of `attr`; NULL when it has none (or on ENOMEM). */
char *orgrbac_first_value(LDAP *ld, LDAPMessage *e, const char *attr);

/* The entry's DN as given (free it), or normalized; NULL on ENOMEM or one that does not parse. */
char *orgrbac_entry_dn(LDAP *ld, LDAPMessage *e);
char *orgrbac_entry_dn_norm(LDAP *ld, LDAPMessage *e);

/* The security values of a grant entry, read in full or not at all. */
struct orgrbac_grant_values {
	char *role_dn;
	char **grantees;
	size_t n_grantees;
	char **scopes;
	size_t n_scopes;
	struct orgrbac_window window;
	char why[ORGRBAC_UNREADABLE_MAX];
};

/*
 * Any value we cannot read (options, over-long, a NUL, several where one is
 * allowed, a DN or time that does not parse, a scope of an unknown kind)
 * leaves `why` set and the grant void. 0, or -1 on ENOMEM; free *v either way.
 */
int orgrbac_read_grant(LDAP *ld, LDAPMessage *e, struct orgrbac_grant_values *v);
void orgrbac_grant_values_free(struct orgrbac_grant_values *v);

/*
 * The access values of an external-access entry. Options on, or several
 * values of, the mode, kind or window close the entry; role management is off
 * only for a single, plain "FALSE".
 */
void orgrbac_read_external(LDAP *ld, LDAPMessage *e, struct orgrbac_external *x);

/*
 * A role, for one principal and for the whole directory alike: its name (the
 * first usable cn, or NULL) and every usable orgPrivilege. 0, or -1 when the
 * privileges cannot be kept (ENOMEM); free what was read either way.
 */
int orgrbac_read_role(LDAP *ld, LDAPMessage *e, char **name, char ***privileges, size_t *n);

#endif
