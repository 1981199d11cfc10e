/* SPDX-License-Identifier: BSD-2-Clause */
/* One principal's load: its state and steps, shared by principal.c, groups.c and grants.c. */
#ifndef ORGRBAC_PRINCIPAL_H
#define ORGRBAC_PRINCIPAL_H

#include <stdbool.h>
#include <stddef.h>
#include <ldap.h>

#include "directory.h"
#include "dn.h"

/* State of one load. */
struct orgrbac_load {
	struct orgrbac_ldap *l;
	LDAP *ld;
	const struct orgrbac_config *cfg;
	struct orgrbac_facts *f;
	struct orgrbac_dn base, user, org;
	char *org_dn;
	bool over_limit;   /* the last search found more entries than its own limit */
	char **group_norm; /* normalized DNs of facts->groups, same order */
	size_t cap_norm, cap_groups, cap_grants;
	orgrbac_error *err;
};

/* Set the error and return the status. */
#define orgrbac_load_fail(s, status, ...) (orgrbac_seterr((s)->err, __VA_ARGS__), (status))

/*
 * One search of the load. A base that does not exist or is hidden: with
 * `absent` the caller is told (and the result is empty), otherwise the
 * directory cannot be read as it must be, which is never "no restrictions".
 * A server's size, time or administrative limit is UNAVAIL; more entries
 * than `limit` is ERROR with s->over_limit set.
 */
enum orgrbac_dir_status orgrbac_load_search(struct orgrbac_load *s, const char *base, int scope,
					    const char *filter, char **attrs, int limit,
					    bool *absent, LDAPMessage **res);

/* A search for entries of `cls` whose `attr` equals any of many values. */
struct orgrbac_any_query {
	const char *base; /* searched with subtree scope */
	const char *cls, *attr;
	char **attrs;
	int limit;	  /* entries per search; 0: one more than it has values */
	bool *absent;	  /* as for orgrbac_load_search */
	const char *what; /* names the filter in an error */
};

/* Called for each entry found; a status other than FOUND stops the search. */
typedef enum orgrbac_dir_status (*orgrbac_load_entry_fn)(struct orgrbac_load *s, LDAPMessage *e,
							 void *ctx);

/*
 * Search for the `n` values ORGRBAC_FILTER_BATCH at a time and hand each
 * entry found to fn. The array of values must not move while fn runs.
 */
enum orgrbac_dir_status orgrbac_load_search_any(struct orgrbac_load *s,
						const struct orgrbac_any_query *q,
						char *const *values, size_t n,
						orgrbac_load_entry_fn fn, void *ctx);

/* groups.c: the transitive groups of the user within its organization. */
enum orgrbac_dir_status orgrbac_load_groups(struct orgrbac_load *s);
/* Is this normalized DN one of the user's groups? */
bool orgrbac_load_is_group(const struct orgrbac_load *s, const char *norm);

/* grants.c: the grants naming the user or its groups, then the roles they reach. */
enum orgrbac_dir_status orgrbac_load_grants(struct orgrbac_load *s);
enum orgrbac_dir_status orgrbac_load_roles(struct orgrbac_load *s);

#endif
