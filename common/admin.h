/* SPDX-License-Identifier: BSD-2-Clause */
/* Directory administration: an organization's roles (or the global ones), read and changed. */
#ifndef ORGRBAC_ADMIN_H
#define ORGRBAC_ADMIN_H

#include <stdbool.h>
#include <stddef.h>

#include "ldapc.h"
#include "util.h"

#define ORGRBAC_ADMIN_GID_MIN	1000u /* the lowest gid a role may take */
#define ORGRBAC_ADMIN_GID_MAX	2147483647u
#define ORGRBAC_ADMIN_MAX_ROLES 100000 /* roles or gids read at once */
#define ORGRBAC_ADMIN_NAME_MAX	256    /* bytes of a role name */

/* Where an administrator works: an organization's subtree, or the platform's (org NULL). */
struct orgrbac_admin {
	struct orgrbac_ldap *l;
	const char *base;
	const char *org; /* NULL: the global roles under ou=roles,BASE */
};

enum orgrbac_admin_status {
	ORGRBAC_ADMIN_DONE = 0,	   /* read, changed, or (dry run) the change is valid */
	ORGRBAC_ADMIN_REFUSED = 1, /* validation refused it, or nothing found */
	ORGRBAC_ADMIN_ERROR = 2,   /* the directory failed or refused; out of memory */
};

/* Who made an entry and when, who changed it last and when: operational, NULL when unread. */
struct orgrbac_admin_stamps {
	char *creator, *created, *modifier, *modified;
};
#define ORGRBAC_ADMIN_STAMP_ATTRS                                                                  \
	"creatorsName", "createTimestamp", "modifiersName", "modifyTimestamp"
void orgrbac_admin_stamps_read(LDAP *ld, LDAPMessage *e, struct orgrbac_admin_stamps *s);
void orgrbac_admin_stamps_free(struct orgrbac_admin_stamps *s);

/*
 * Where the place keeps entries of the kind under ou=OU: the subtree they are
 * searched in (o=ORG,BASE, or ou=OU,BASE for the platform) and the entry new
 * ones go under (ou=OU,o=ORG,BASE, or ou=OU,BASE). -1 on ENOMEM or a base
 * that is not a DN (both NULL then).
 */
int orgrbac_admin_place(const struct orgrbac_admin *a, const char *ou, char **search_base,
			char **parent);

/* What an LDAP status means here: OK is DONE, anything else ERROR. */
enum orgrbac_admin_status orgrbac_admin_status_of(enum orgrbac_ldap_status s);

/* A single value, or NULL (absent, several, or unusable). */
char *orgrbac_admin_one_value(LDAP *ld, LDAPMessage *e, const char *attr);

/* "(&(objectClass=CLS)(ATTR=VALUE))" with VALUE escaped; NULL on ENOMEM or a value too long. */
char *orgrbac_admin_filter_eq(const char *cls, const char *attr, const char *value);

/*
 * The one entry of class CLS with ATTR=VALUE under `base` (subtree): DONE
 * with its DN, REFUSED when there is none (err names it), ERROR when there
 * are several or the search failed.
 */
enum orgrbac_admin_status orgrbac_admin_find_dn(const struct orgrbac_admin *a, const char *base,
						const char *cls, const char *attr,
						const char *value, char **dn, orgrbac_error *err);

/* A name (of a role, a grant): 1..256 bytes of UTF-8 without control characters. */
bool orgrbac_admin_name_valid(const char *s, const char **why);

/* A gid given by hand: a number from 1000 to 2^31-1, else false with err saying why. */
bool orgrbac_admin_gid_parse(const char *s, unsigned long *gid, orgrbac_error *err);

/* Who holds `gid` in the directory, other than `self`: REFUSED naming it, DONE when free. */
enum orgrbac_admin_status orgrbac_admin_gid_free(const struct orgrbac_admin *a, unsigned long gid,
						 const char *self, orgrbac_error *err);

/* The lowest gid >= 1000 that no role or POSIX group of the directory holds. */
enum orgrbac_admin_status orgrbac_admin_gid_auto(const struct orgrbac_admin *a, unsigned long *gid,
						 orgrbac_error *err);

/* One role as the directory holds it. */
struct orgrbac_role_info {
	char *dn, *name;
	char **privileges; /* every value, as stored */
	size_t n_privileges;
	char *gid;	   /* NULL: none */
	char *group_name;  /* NULL: none */
	char *description; /* NULL: none */
	bool managed;	   /* orgManaged: TRUE */
	struct orgrbac_admin_stamps stamps;
};
void orgrbac_role_info_free(struct orgrbac_role_info *r);

/* Every role of the place, sorted by name. */
enum orgrbac_admin_status orgrbac_role_list(const struct orgrbac_admin *a,
					    struct orgrbac_role_info **out, size_t *n,
					    orgrbac_error *err);
void orgrbac_role_list_free(struct orgrbac_role_info *r, size_t n);

/* The role NAME of the place: REFUSED when there is none. */
enum orgrbac_admin_status orgrbac_role_show(const struct orgrbac_admin *a, const char *name,
					    struct orgrbac_role_info *out, orgrbac_error *err);

enum orgrbac_role_op { ORGRBAC_ROLE_ADD, ORGRBAC_ROLE_SET, ORGRBAC_ROLE_DELETE };

/* What `role add`, `role set` or `role delete` asks. */
struct orgrbac_role_change {
	enum orgrbac_role_op op;
	const char *name;
	char **add; /* add: the privileges; set: privileges to add */
	size_t n_add;
	char **remove; /* set: privileges to remove */
	size_t n_remove;
	const char *gid; /* NULL: unchanged; "auto": the lowest free >= 1000 */
	const char *group_name;
	const char *description;
	bool dry_run;
};

/* What a change did, or would do. */
struct orgrbac_role_result {
	char *dn;      /* the entry */
	char *ldif;    /* the change as LDIF */
	char **grants; /* delete refused: the grants that name the role */
	size_t n_grants;
	orgrbac_error err; /* refused or failed: why */
};
void orgrbac_role_result_free(struct orgrbac_role_result *r);

/*
 * Validate the change against the directory (names, privileges as roles hold
 * them, the gid free and >= 1000, the role there or not, orgManaged roles
 * left alone, no grant naming a role to delete), then send it as one
 * operation, or (dry_run) only build its LDIF.
 */
enum orgrbac_admin_status orgrbac_role_change(const struct orgrbac_admin *a,
					      const struct orgrbac_role_change *c,
					      struct orgrbac_role_result *r);

#endif
