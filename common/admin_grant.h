/* SPDX-License-Identifier: BSD-2-Clause */
/* Directory administration: grants of roles to users and groups, made, ended and listed. */
#ifndef ORGRBAC_ADMIN_GRANT_H
#define ORGRBAC_ADMIN_GRANT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "admin.h"
#include "entry.h"

#define ORGRBAC_GRANT_MAX_GRANTEES 64 /* --user and --group of one command */
#define ORGRBAC_GRANT_MAX_SCOPES   64 /* --service and --resource of one command */
#define ORGRBAC_GRANT_CN_MAX	   96 /* bytes of a generated grant name */

/* A grantee as given: a name (--user U, --group G) or a DN. */
struct orgrbac_grantee_arg {
	bool group;
	const char *name;
};

/*
 * The name a grant gets when none is given: the first grantee's name, the
 * role's, the scopes', as [a-z0-9-], then 8 hex digits of a hash of the
 * role DN, every grantee DN and every scope (normalized, sorted), so that
 * the same grant always gets the same name and different ones do not
 * collide. `names` are the grantees' names (uid or cn) in the order given.
 * Written into buf (at least ORGRBAC_GRANT_CN_MAX + 1 bytes); -1 on ENOMEM.
 */
int orgrbac_grant_cn(const char *role_name, const char *role_dn, char *const *names,
		     char *const *grantee_dns, size_t n_grantees, char *const *scopes,
		     size_t n_scopes, char *buf, size_t len);

/* Are two sets of DNs the same entries (order and repetition aside)? */
bool orgrbac_dn_sets_equal(char *const *a, size_t na, char *const *b, size_t nb);

/* Are two sets of strings byte-for-byte the same (order and repetition aside)? */
bool orgrbac_str_sets_equal(char *const *a, size_t na, char *const *b, size_t nb);

/* One grant as the directory holds it, read as the gate reads it. */
struct orgrbac_grant_info {
	char *dn, *name, *description;
	struct orgrbac_grant_values v; /* role_dn, grantees, scopes, window, why (void) */
	struct orgrbac_admin_stamps stamps;
};
void orgrbac_grant_list_free(struct orgrbac_grant_info *g, size_t n);

/* What `grants` asks: all of the place's, or only those naming a user, a role, ending soon. */
struct orgrbac_grants_query {
	const char *user, *role; /* NULL: any */
	bool expiring;		 /* only those whose window ends in now..now+horizon */
	int64_t horizon, now;
};

/* The grants of the place matching the query, sorted by name; REFUSED: user or role unknown. */
enum orgrbac_admin_status orgrbac_grants_list(const struct orgrbac_admin *a,
					      const struct orgrbac_grants_query *q,
					      struct orgrbac_grant_info **out, size_t *n,
					      orgrbac_error *err);

/* What `grant` asks. */
struct orgrbac_grant_request {
	const char *role, *name;
	struct orgrbac_grantee_arg *grantees;
	size_t n_grantees;
	char **scopes; /* "service:S" or "resource:R" */
	size_t n_scopes;
	const char *from, *until, *for_; /* TIME, TIME, DURATION; NULL: none */
	int64_t now;
	bool dry_run;
};

/* What `revoke` asks: a grant by NAME, or ROLE and grantees. */
struct orgrbac_revoke_request {
	const char *name, *role;
	struct orgrbac_grantee_arg *grantees;
	size_t n_grantees;
	const char *at; /* NULL: delete */
	int64_t now;
	bool dry_run;
};

/* What a change did, or would do. */
struct orgrbac_grant_result {
	enum { ORGRBAC_GRANT_ADDED, ORGRBAC_GRANT_UPDATED, ORGRBAC_GRANT_UNCHANGED } what;
	struct orgrbac_grant_info grant; /* grant: the grant as it is now (or would be) */
	char *ldif;			 /* the changes as LDIF */
	char **changed;			 /* revoke: each entry changed, with what */
	size_t n_changed;
	orgrbac_error err;
};
void orgrbac_grant_result_free(struct orgrbac_grant_result *r);

/*
 * Validate (the role in the organization or global, each grantee in the
 * organization, scopes, the window), find the grant with the same role,
 * grantees and scope, then add it, update its window, or leave it: one
 * operation, or (dry_run) only its LDIF.
 */
enum orgrbac_admin_status orgrbac_grant_make(const struct orgrbac_admin *a,
					     const struct orgrbac_grant_request *q,
					     struct orgrbac_grant_result *r);

/*
 * Delete the grant NAME, or remove the grantees from the grants of ROLE that
 * name them (deleting those left with none); with `at`, end them then
 * instead. One operation per entry.
 */
enum orgrbac_admin_status orgrbac_grant_revoke(const struct orgrbac_admin *a,
					       const struct orgrbac_revoke_request *q,
					       struct orgrbac_grant_result *r);

/* Internal to the grant files: resolve a role name, a grantee, read the place's grants. */
enum orgrbac_admin_status orgrbac_grant_role_dn(const struct orgrbac_admin *a, const char *role,
						char **dn, orgrbac_error *err);
enum orgrbac_admin_status orgrbac_grant_grantee_dn(const struct orgrbac_admin *a,
						   const struct orgrbac_grantee_arg *g, char **dn,
						   orgrbac_error *err);
enum orgrbac_admin_status orgrbac_grant_find(const struct orgrbac_admin *a, const char *filter,
					     struct orgrbac_grant_info **out, size_t *n,
					     orgrbac_error *err);

#endif
