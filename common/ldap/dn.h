/* SPDX-License-Identifier: BSD-2-Clause */
/* DNs for comparison: parsing, normalizing, containment, the organization of a DN. */
#ifndef ORGRBAC_DN_H
#define ORGRBAC_DN_H

#include <stdbool.h>
#include <stddef.h>
#include <ldap.h>

#define ORGRBAC_VALUE_MAX 4096 /* bytes of one attribute or RDN value we accept */

/* A DN as its normalized, lower-cased RDNs, leftmost first, for comparisons. */
struct orgrbac_dn {
	char **rdn;
	size_t n;
	char *str; /* the RDNs joined with ',' */
};

/* 0, or -1 when `s` is NULL, not a DN, or memory runs out (then *d is empty). */
int orgrbac_dn_parse(const char *s, struct orgrbac_dn *d);
void orgrbac_dn_free(struct orgrbac_dn *d);

/* Is `child` strictly beneath `parent`? */
bool orgrbac_dn_below(const struct orgrbac_dn *child, const struct orgrbac_dn *parent);

/* Do two DNs name the same entry? False when either does not parse. */
bool orgrbac_dn_same(const char *a, const char *b);

/* The normalized form of a DN (free it), or NULL when it does not parse. */
char *orgrbac_dn_norm(const char *s);

/*
 * The organization `dn` lies in: the value of the o= RDN directly beneath
 * `base`, and (when org_dn is not NULL) that RDN with the base as a DN, to
 * free with ldap_memfree. -1 when it lies in none.
 */
int orgrbac_dn_org_of(const struct orgrbac_dn *base, const char *dn, char **org, char **org_dn);

/* A NUL-terminated copy of a value, or NULL when it holds a NUL or is too long. */
char *orgrbac_value_dup(const struct berval *bv);

#endif
