/* SPDX-License-Identifier: BSD-2-Clause */
/* Random directories for the property test: a seeded generator, mutations and tenant writes. */
#ifndef ORGRBAC_PROPERTY_GEN_H
#define ORGRBAC_PROPERTY_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PROP_MAX_ORGS	  3
#define PROP_MAX_SERVICES 3
#define PROP_LONG_VALUE	  5000 /* bytes: beyond the 4096 a reader may take */

/* splitmix64: small, fast, and the same sequence on every platform. */
struct prop_rng {
	uint64_t state;
};

void prop_rng_seed(struct prop_rng *r, uint64_t seed);
uint64_t prop_rng_next(struct prop_rng *r);
size_t prop_rng_below(struct prop_rng *r, size_t n); /* [0, n); 0 when n is 0 */
bool prop_rng_percent(struct prop_rng *r, unsigned percent);

enum prop_kind {
	PROP_CONTAINER,
	PROP_USER,
	PROP_GROUP,
	PROP_ROLE,
	PROP_GRANT,
	PROP_EXTERNAL,
};

/* One attribute description (name with its options, as sent) and its values. */
struct prop_attr {
	char *name;
	char **values;
	size_t n_values;
};

struct prop_entry {
	char *dn;
	enum prop_kind kind;
	int org; /* index into prop_dir.orgs; -1 outside every organization */
	struct prop_attr *attrs;
	size_t n_attrs;
	bool tenant; /* written by a tenant write, after the baseline */
};

struct prop_host {
	char *org;
	char *services[PROP_MAX_SERVICES];
	size_t n_services;
	char *resource;
};

struct prop_dir {
	char *base;
	int64_t now;
	size_t n_orgs;
	char *org_dn[PROP_MAX_ORGS]; /* o=NAME,BASE as written (NAME's case may differ) */
	struct prop_host hosts[PROP_MAX_ORGS];
	struct prop_entry *entries;
	size_t n_entries, cap_entries;
	char **principals; /* login names to decide: every uid, case variants, a stranger */
	size_t n_principals, cap_principals;
	unsigned next_id; /* uidNumber, gidNumber and fresh names */
};

/* A random directory beneath `base` (an entry dc=..., added first), decided at `now`. */
void prop_generate(struct prop_dir *d, struct prop_rng *r, const char *base, int64_t now);
void prop_dir_free(struct prop_dir *d);

/* A change to one entry: each attribute description replaced (no values: removed). */
struct prop_edit {
	size_t entry;
	bool add; /* a new entry (already in d->entries), not a modification */
	struct prop_attr *before, *after;
	size_t n;
	char *what;
	char *tag; /* mutations: the attribute and what was done to it, without the entry */
};

struct prop_edits {
	struct prop_edit *v;
	size_t n, cap;
};

void prop_edits_free(struct prop_edits *e);

/*
 * One security attribute of one random grant, role or external entry made
 * unreadable: moved under an attribute option, over-long, malformed, or given
 * an extra value though single-valued. The entry in `d` is changed; revert
 * with prop_edit_revert. `valid_time` tells a time the reader accepts.
 */
void prop_mutate(struct prop_dir *d, struct prop_rng *r, bool (*valid_time)(const char *),
		 struct prop_edit *out);
void prop_edit_revert(struct prop_dir *d, const struct prop_edit *e);
void prop_edit_free(struct prop_edit *e);

/*
 * What tenant `org` may write in its own subtree, at its most hostile: roles
 * with '*' and named 2FA-exempt, grants naming foreign users and groups,
 * groups holding foreign users, external entries with new users beneath.
 * New entries are appended to `d` (tenant = true), new login names to its
 * principals from index `*first_new` on.
 */
void prop_tenant_write(struct prop_dir *d, struct prop_rng *r, size_t org, struct prop_edits *out,
		       size_t *first_new);

/* Index of the entry with this DN (case-insensitive), or -1. */
long prop_find(const struct prop_dir *d, const char *dn);
const struct prop_attr *prop_attr_get(const struct prop_entry *e, const char *name);

/* LDIF of one entry; values over `max` bytes shortened in a comment (0: all in full). */
void prop_ldif(FILE *f, const struct prop_entry *e, size_t max);

/*
 * The entries a decision about login `user` can depend on: its user entries
 * (uid equal without regard to case), the groups holding them, the grants
 * naming either, their roles, the external entries above them. mark[] gets 1.
 */
void prop_related(const struct prop_dir *d, const char *user, unsigned char *mark);

#endif
