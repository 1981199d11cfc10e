/* SPDX-License-Identifier: BSD-2-Clause */
/* The change being built: its LDAPMod list and its LDIF at once, then sent as one operation. */
#ifndef ORGRBAC_ADMIN_LDIF_H
#define ORGRBAC_ADMIN_LDIF_H

#include <ldap.h>
#include <stdio.h>

#include "admin.h"

#define ORGRBAC_CHANGE_MAX_MODS 12

enum orgrbac_change_kind {
	ORGRBAC_CHANGE_ADD,
	ORGRBAC_CHANGE_MODIFY,
	ORGRBAC_CHANGE_DELETE,
};

struct orgrbac_change {
	enum orgrbac_change_kind kind;
	LDAPMod mod[ORGRBAC_CHANGE_MAX_MODS];
	LDAPMod *mods[ORGRBAC_CHANGE_MAX_MODS + 1];
	char *vals[ORGRBAC_CHANGE_MAX_MODS][2]; /* single values */
	size_t n;
	FILE *ldif; /* the LDIF, into `text` */
	char *text;
	size_t len;
};

/* One "ATTR: VALUE" line, the value base64 ("ATTR:: ...") unless it is safe as it is. */
void orgrbac_ldif_line(FILE *f, const char *attr, const char *v);

/* Open the change's LDIF; -1 on ENOMEM. */
int orgrbac_change_open(struct orgrbac_change *c);

/* "dn: DN" and "changetype: KIND". */
void orgrbac_change_begin(struct orgrbac_change *c, const char *dn, enum orgrbac_change_kind kind);

/*
 * One modification: `values` (NULL-terminated, kept by the caller) or the
 * single value `one`. In an add, op is LDAP_MOD_ADD and the LDIF lists the
 * values; in a modify, the LDIF names the op ("add:", "delete:", "replace:").
 * Past ORGRBAC_CHANGE_MAX_MODS it is dropped.
 */
void orgrbac_change_mod(struct orgrbac_change *c, int op, const char *attr, char **values,
			const char *one);

/* Send it as one add, modify or delete of `dn`: DONE, or ERROR in the server's words. */
enum orgrbac_admin_status orgrbac_change_send(const struct orgrbac_admin *a,
					      struct orgrbac_change *c, const char *dn,
					      orgrbac_error *err);

/*
 * Close the LDIF; its text (the caller's to free) or NULL. *st becomes
 * ERROR when the text could not be completed and it was DONE.
 */
char *orgrbac_change_close(struct orgrbac_change *c, enum orgrbac_admin_status *st,
			   orgrbac_error *err);

/* NULL-terminated copy of the pointers (the strings stay the caller's); NULL on ENOMEM. */
char **orgrbac_terminated(char **v, size_t n);

#endif
