/* SPDX-License-Identifier: BSD-2-Clause */
/* The LDAP client's searches: bounded, paged, each failure named (ldapc.c: the connection). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "ldapc.h"
#include "ldapc_int.h"

enum orgrbac_ldap_status orgrbac_ldap_result_status(int rc, int sizelimit, int entries)
{
	if (rc == LDAP_SUCCESS)
		return ORGRBAC_LDAP_OK;
	if (rc == LDAP_NO_SUCH_OBJECT && entries == 0)
		return ORGRBAC_LDAP_NOOBJECT;
	/* our own limit, or the server's: only the count of what came tells them apart */
	if (rc == LDAP_SIZELIMIT_EXCEEDED && sizelimit > 0 && entries >= sizelimit)
		return ORGRBAC_LDAP_TOOMANY;
	if (rc == LDAP_SIZELIMIT_EXCEEDED || rc == LDAP_TIMELIMIT_EXCEEDED ||
	    rc == LDAP_ADMINLIMIT_EXCEEDED || orgrbac_ldap_code_unavailable(rc))
		return ORGRBAC_LDAP_UNAVAIL;
	return ORGRBAC_LDAP_ERROR;
}

/* A search, as its failures name it. */
struct search_what {
	const char *what, *base, *filter;
	size_t before; /* entries of earlier pages */
};

/* The server's limit that stopped a search, and the setting that raises it; NULL: none. */
static const char *server_limit(int rc, const char **setting)
{
	switch (rc) {
	case LDAP_SIZELIMIT_EXCEEDED: *setting = "olcSizeLimit/olcLimits"; return "size limit";
	case LDAP_TIMELIMIT_EXCEEDED:
		*setting = "olcTimeLimit/olcLimits ([ldap] timeout is the most asked)";
		return "time limit";
	case LDAP_ADMINLIMIT_EXCEEDED: *setting = "olcLimits"; return "administrative limit";
	}
	return NULL;
}

/*
 * Why a search that ended with `rc` gives no answer we may use. A referral
 * (resultCode 10) is never followed: LDAP_OPT_REFERRALS is off, so libldap
 * hands it back instead of connecting anywhere, over TLS or not. Our own
 * size limit, the server's limits and any other failure after some entries
 * make a partial answer, never a complete one.
 */
static void search_failed(orgrbac_error *err, const struct search_what *w, int rc, int sizelimit,
			  int entries)
{
	const char *setting = NULL, *limit = server_limit(rc, &setting);
	const char *what = w->what, *base = w->base, *filter = w->filter;
	size_t flen = strlen(filter), before = w->before;

	if (rc == LDAP_REFERRAL)
		orgrbac_seterr(err,
			       "%s under %s: the server answered with a referral, not followed",
			       what, base);
	else if (orgrbac_ldap_result_status(rc, sizelimit, entries) == ORGRBAC_LDAP_TOOMANY)
		orgrbac_seterr(err, "%s under %s matched more than %d entries (orgrbac's limit)",
			       what, base, sizelimit);
	else if (limit != NULL)
		orgrbac_seterr(err,
			       "the server's %s stopped the %s for %.160s%s under %s after %zu "
			       "entries; raise %s for the bind DN",
			       limit, what, filter, flen > 160 ? "..." : "", base,
			       before + (size_t)entries, setting);
	else if (entries > 0)
		orgrbac_seterr(err, "%s under %s: a partial answer of %d entries, then: %s", what,
			       base, entries, ldap_err2string(rc));
	else
		orgrbac_seterr(err, "%s under %s failed: %s", what, base, ldap_err2string(rc));
}

/*
 * noSuchObject: the server does not hold the base of the search, or an ACL
 * hides it. For a base that must exist (the configured base, the user's
 * organization) the caller reads it as a server that cannot answer (a replica
 * not yet initialized, another suffix), never as an empty answer: that would
 * make a user unknown, or a vendor's closed access entry absent.
 */
static void no_base(const struct orgrbac_ldap *l, const char *base, orgrbac_error *err)
{
	orgrbac_seterr(err, "%s does not hold the base %s (no such object)", l->uri, base);
}

/* Entries and search references in a result chain. */
static int count_answers(LDAP *ld, LDAPMessage *res)
{
	int n = 0;

	for (LDAPMessage *m = ldap_first_message(ld, res); m != NULL; m = ldap_next_message(ld, m))
		if (ldap_msgtype(m) == LDAP_RES_SEARCH_ENTRY ||
		    ldap_msgtype(m) == LDAP_RES_SEARCH_REFERENCE)
			n++;
	return n;
}

/*
 * One search exchange, under the watchdog and with SIGPIPE held: libldap's
 * code, or LDAP_TIMEOUT when the deadline passed. *res may hold a partial
 * answer.
 */
static int exchange(struct orgrbac_ldap *l, const char *base, int scope, const char *filter,
		    char **attrs, LDAPControl **ctrls, int sizelimit, LDAPMessage **res)
{
	struct timeval tv = {l->timeout, 0};
	struct orgrbac_sigpipe_guard guard;
	int rc;

	l->round_trips++;
	orgrbac_sigpipe_block(&guard);
	orgrbac_watchdog_arm(&l->dog, l->timeout);
	rc = ldap_search_ext_s(l->ld, base, scope, filter, attrs, 0, ctrls, NULL, &tv, sizelimit,
			       res);
	if (orgrbac_watchdog_disarm(&l->dog))
		rc = LDAP_TIMEOUT;
	orgrbac_sigpipe_restore(&guard);
	return rc;
}

/*
 * What an exchange that ended with `rc` gives: OK, NOOBJECT for a base that
 * does not exist or is hidden (and no answer at all), else UNAVAIL or ERROR
 * with err. Only the caller knows whether a missing base means "nothing
 * there" or "unusable". On anything but OK, *res is freed.
 */
static enum orgrbac_ldap_status answered(struct orgrbac_ldap *l, const struct search_what *w,
					 int rc, int sizelimit, LDAPMessage **res,
					 orgrbac_error *err)
{
	enum orgrbac_ldap_status st;
	int answers;

	if (rc == LDAP_SUCCESS)
		return ORGRBAC_LDAP_OK;
	answers = *res != NULL ? count_answers(l->ld, *res) : 0;
	st = orgrbac_ldap_result_status(rc, sizelimit, answers);
	if (st == ORGRBAC_LDAP_NOOBJECT)
		no_base(l, w->base, err);
	else
		search_failed(err, w, rc, sizelimit, answers);
	ldap_msgfree(*res);
	*res = NULL;
	return st;
}

static void reference_refused(orgrbac_error *err, const char *base)
{
	orgrbac_seterr(
	    err, "search under %s returned a search reference (a referral), not followed", base);
}

enum orgrbac_ldap_status orgrbac_ldap_search(struct orgrbac_ldap *l, const char *base, int scope,
					     const char *filter, char **attrs, int sizelimit,
					     LDAPMessage **res, orgrbac_error *err)
{
	const struct search_what w = {"search", base, filter, 0};
	enum orgrbac_ldap_status st;
	int rc;

	*res = NULL;
	if (sizelimit <= 0) {
		orgrbac_seterr(err, "internal error: search without a size limit");
		return ORGRBAC_LDAP_ERROR;
	}
	rc = exchange(l, base, scope, filter, attrs, NULL, sizelimit, res);
	st = answered(l, &w, rc, sizelimit, res, err);
	if (st != ORGRBAC_LDAP_OK)
		return st;
	for (LDAPMessage *m = ldap_first_message(l->ld, *res); m != NULL;
	     m = ldap_next_message(l->ld, m)) {
		if (ldap_msgtype(m) == LDAP_RES_SEARCH_REFERENCE) {
			reference_refused(err, base);
			ldap_msgfree(*res);
			*res = NULL;
			return ORGRBAC_LDAP_ERROR;
		}
	}
	return ORGRBAC_LDAP_OK;
}

/* A paged search: what it asks, and what it hands each entry to. */
struct paged {
	const char *base;
	int scope;
	const char *filter;
	char **attrs;
	int page_size;
	size_t max_entries, total;
	orgrbac_entry_fn fn;
	void *ctx;
};

/*
 * Ask for one page, after the one `cookie` ends (NULL: the first). A base
 * that does not exist or is hidden, on any page, is a server that cannot
 * answer.
 */
static enum orgrbac_ldap_status page_search(struct orgrbac_ldap *l, const struct paged *q,
					    struct berval *cookie, LDAPMessage **res,
					    orgrbac_error *err)
{
	const struct search_what w = {"paged search", q->base, q->filter, q->total};
	LDAPControl *page = NULL, *ctrls[2] = {NULL, NULL};
	enum orgrbac_ldap_status st;
	int rc;

	*res = NULL;
	if (ldap_create_page_control(l->ld, q->page_size, cookie, 1, &page) != LDAP_SUCCESS) {
		orgrbac_seterr(err, "cannot create a paged-results control");
		return ORGRBAC_LDAP_ERROR;
	}
	ctrls[0] = page;
	rc = exchange(l, q->base, q->scope, q->filter, q->attrs, ctrls, 0, res);
	ldap_control_free(page);
	st = answered(l, &w, rc, 0, res, err);
	return st == ORGRBAC_LDAP_NOOBJECT ? ORGRBAC_LDAP_UNAVAIL : st;
}

/* Hand each entry of a page to q->fn, in order; a search reference is an error. */
static enum orgrbac_ldap_status page_entries(struct orgrbac_ldap *l, struct paged *q,
					     LDAPMessage *res, orgrbac_error *err)
{
	for (LDAPMessage *m = ldap_first_message(l->ld, res); m != NULL;
	     m = ldap_next_message(l->ld, m)) {
		int type = ldap_msgtype(m);

		if (type == LDAP_RES_SEARCH_REFERENCE) {
			reference_refused(err, q->base);
			return ORGRBAC_LDAP_ERROR;
		}
		if (type != LDAP_RES_SEARCH_ENTRY)
			continue;
		if (++q->total > q->max_entries) {
			orgrbac_seterr(err,
				       "search under %s matched more than %zu entries (orgrbac's "
				       "limit)",
				       q->base, q->max_entries);
			return ORGRBAC_LDAP_TOOMANY;
		}
		if (q->fn(q->ctx, l->ld, m) != 0) {
			orgrbac_seterr(err, "cannot keep an entry of %s (out of memory)", q->base);
			return ORGRBAC_LDAP_ERROR;
		}
	}
	return ORGRBAC_LDAP_OK;
}

/* The page's own result, and the cookie of the next page in *next: NULL after the last. */
static enum orgrbac_ldap_status page_next(struct orgrbac_ldap *l, const char *base,
					  LDAPMessage *res, struct berval **next,
					  orgrbac_error *err)
{
	LDAPControl **rctrls = NULL, *resp;
	struct berval cookie = {0, NULL};
	ber_int_t estimate = 0;
	int result = LDAP_SUCCESS;

	*next = NULL;
	if (ldap_parse_result(l->ld, res, &result, NULL, NULL, NULL, &rctrls, 0) != LDAP_SUCCESS ||
	    result != LDAP_SUCCESS) {
		orgrbac_seterr(err, "paged search under %s: %s", base, ldap_err2string(result));
		ldap_controls_free(rctrls);
		return ORGRBAC_LDAP_ERROR;
	}
	resp = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, rctrls, NULL);
	/* A server that ignores the control sends everything at once: that is the end. */
	if (resp == NULL) {
		ldap_controls_free(rctrls);
		return ORGRBAC_LDAP_OK;
	}
	/* A page that cannot say what follows must not pass for the last one. */
	if (ldap_parse_pageresponse_control(l->ld, resp, &estimate, &cookie) != LDAP_SUCCESS) {
		orgrbac_seterr(err, "paged search under %s: unreadable paging control", base);
		ldap_controls_free(rctrls);
		return ORGRBAC_LDAP_ERROR;
	}
	if (cookie.bv_len > 0 && (*next = ber_bvdup(&cookie)) == NULL)
		orgrbac_seterr(err, "paged search under %s: out of memory", base);
	ber_memfree(cookie.bv_val);
	ldap_controls_free(rctrls);
	return cookie.bv_len > 0 && *next == NULL ? ORGRBAC_LDAP_ERROR : ORGRBAC_LDAP_OK;
}

enum orgrbac_ldap_status orgrbac_ldap_search_paged(struct orgrbac_ldap *l, const char *base,
						   int scope, const char *filter, char **attrs,
						   int page_size, size_t max_entries,
						   orgrbac_entry_fn fn, void *ctx,
						   orgrbac_error *err)
{
	struct paged q = {base, scope, filter, attrs, page_size, max_entries, 0, fn, ctx};
	struct berval *cookie = NULL;
	enum orgrbac_ldap_status st;

	do {
		LDAPMessage *res = NULL;
		struct berval *next = NULL;

		st = page_search(l, &q, cookie, &res, err);
		if (st == ORGRBAC_LDAP_OK)
			st = page_entries(l, &q, res, err);
		if (st == ORGRBAC_LDAP_OK)
			st = page_next(l, base, res, &next, err);
		ldap_msgfree(res);
		ber_bvfree(cookie);
		cookie = next;
	} while (st == ORGRBAC_LDAP_OK && cookie != NULL);
	ber_bvfree(cookie);
	return st;
}
