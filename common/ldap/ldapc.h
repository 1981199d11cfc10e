/* SPDX-License-Identifier: BSD-2-Clause */
/* The LDAP client: failover across URIs, TLS policy, timeouts, bounded searches. */
#ifndef ORGRBAC_LDAPC_H
#define ORGRBAC_LDAPC_H

#include <stdbool.h>
#include <ldap.h>

#include "config.h"
#include "util.h"

enum orgrbac_ldap_status {
	ORGRBAC_LDAP_OK = 0,
	ORGRBAC_LDAP_NOOBJECT = 1, /* the search base does not exist, or is hidden from us */
	ORGRBAC_LDAP_ERROR = -1,   /* the server answered, but not usefully: deny */
	ORGRBAC_LDAP_UNAVAIL = -2, /* no server answered in time, or its limits cut the answer */
	ORGRBAC_LDAP_TOOMANY = -3, /* more entries than the caller's own limit: deny */
};

struct orgrbac_ldap;

/*
 * Connect to the first URI of cfg->uris that answers, in order: refuse
 * plaintext to anything but loopback or ldapi:// unless allow_insecure, run
 * StartTLS when asked, verify certificates against tls_ca_file, and bind with
 * bind_dn and the password file (wiped after use) or anonymously. Each
 * server gets cfg->timeout seconds to connect and for each operation.
 * `trust_any_owner` relaxes the password file's owner check (tests only).
 */
enum orgrbac_ldap_status orgrbac_ldap_open(const struct orgrbac_config *cfg, bool trust_any_owner,
					   struct orgrbac_ldap **out, orgrbac_error *err);
void orgrbac_ldap_close(struct orgrbac_ldap *l);

/* Who an administrator binds as: a simple bind (bind_dn NULL: anonymous), or SASL EXTERNAL. */
struct orgrbac_ldap_cred {
	const char *bind_dn;
	const char *secret; /* the simple bind's password, or NULL; the caller wipes it */
	bool sasl_external; /* the connection's own identity (ldapi:// peer credentials) */
};

/*
 * orgrbac_ldap_open with the URIs, TLS policy and timeout of `cfg`, bound
 * as `cred` instead of cfg's bind_dn and password file.
 */
enum orgrbac_ldap_status orgrbac_ldap_open_as(const struct orgrbac_config *cfg,
					      const struct orgrbac_ldap_cred *cred,
					      struct orgrbac_ldap **out, orgrbac_error *err);

/*
 * A server answered and refused the bind (a wrong password, ...): the
 * message orgrbac_ldap_open left begins with this. The status stays UNAVAIL
 * (the next server may take us), but that server is up.
 */
#define ORGRBAC_BIND_REFUSED "bind refused:"
bool orgrbac_ldap_bind_refused(const orgrbac_error *err);

/* The URI of the server in use. */
const char *orgrbac_ldap_uri(const struct orgrbac_ldap *l);

/* Operations sent so far (bind, StartTLS, searches): one round trip each. */
unsigned long orgrbac_ldap_round_trips(const struct orgrbac_ldap *l);

/*
 * Search with the configured timeout and at most `sizelimit` entries.
 * More entries than `sizelimit` is ORGRBAC_LDAP_TOOMANY. The server's own
 * size, time or administrative limit (sizeLimitExceeded before `sizelimit`
 * entries, timeLimitExceeded, adminLimitExceeded) is ORGRBAC_LDAP_UNAVAIL,
 * with a message naming the limit: the server could not answer in full,
 * which says nothing about the principal. Any other partial result
 * (entries, then any code but success), a referral or a search reference is
 * an error; referrals are never followed. A base that does not exist (or that an ACL hides) is
 * ORGRBAC_LDAP_NOOBJECT: the caller says what it means. On success the caller
 * frees *res with ldap_msgfree; on failure *res is NULL.
 */
enum orgrbac_ldap_status orgrbac_ldap_search(struct orgrbac_ldap *l, const char *base, int scope,
					     const char *filter, char **attrs, int sizelimit,
					     LDAPMessage **res, orgrbac_error *err);

/*
 * What a search that ended with libldap's `rc` gives, after `entries` entries
 * with the caller's `sizelimit` (0: none): OK, NOOBJECT (no such object and
 * nothing else), TOOMANY (sizeLimitExceeded once `sizelimit` entries came:
 * ours), UNAVAIL (the server's size, time or administrative limit, or no
 * server) or ERROR (anything else). Pure.
 */
enum orgrbac_ldap_status orgrbac_ldap_result_status(int rc, int sizelimit, int entries);

/* Called for each entry of a paged search; non-zero stops the search as an error. */
typedef int (*orgrbac_entry_fn)(void *ctx, LDAP *ld, LDAPMessage *entry);

/*
 * Search in pages of `page_size` entries (RFC 2696), for directories larger
 * than a server's size limit for one search, with the configured timeout per
 * page and at most `max_entries` in all (more is ORGRBAC_LDAP_TOOMANY).
 * Referrals and partial results are errors, and no such object and the
 * server's limits are UNAVAIL, on any page, as for orgrbac_ldap_search.
 */
enum orgrbac_ldap_status orgrbac_ldap_search_paged(struct orgrbac_ldap *l, const char *base,
						   int scope, const char *filter, char **attrs,
						   int page_size, size_t max_entries,
						   orgrbac_entry_fn fn, void *ctx,
						   orgrbac_error *err);

/* The handle, for walking results. */
LDAP *orgrbac_ldap_handle(struct orgrbac_ldap *l);

/* Is this URI's host loopback or a local socket? */
bool orgrbac_uri_is_local(const char *uri);

#endif
