/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One principal's facts for a live decision: its entry and organization, the
 * external-access entries above it, and the order of the steps (groups.c,
 * grants.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "directory_int.h"
#include "entry.h"
#include "filter.h"
#include "principal.h"

enum orgrbac_dir_status orgrbac_load_search(struct orgrbac_load *s, const char *base, int scope,
					    const char *filter, char **attrs, int limit,
					    bool *absent, LDAPMessage **res)
{
	enum orgrbac_ldap_status rc =
	    orgrbac_ldap_search(s->l, base, scope, filter, attrs, limit, res, s->err);

	s->over_limit = rc == ORGRBAC_LDAP_TOOMANY;
	if (absent != NULL)
		*absent = rc == ORGRBAC_LDAP_NOOBJECT;
	if (rc == ORGRBAC_LDAP_NOOBJECT && absent != NULL)
		return ORGRBAC_DIR_FOUND;
	return orgrbac_dir_status_from_ldap(rc);
}

enum orgrbac_dir_status orgrbac_load_search_any(struct orgrbac_load *s,
						const struct orgrbac_any_query *q,
						char *const *values, size_t n,
						orgrbac_load_entry_fn fn, void *ctx)
{
	enum orgrbac_dir_status rc = ORGRBAC_DIR_FOUND;

	for (size_t i = 0; i < n && rc == ORGRBAC_DIR_FOUND; i += ORGRBAC_FILTER_BATCH) {
		size_t batch = n - i < ORGRBAC_FILTER_BATCH ? n - i : ORGRBAC_FILTER_BATCH;
		char *filter = orgrbac_filter_any(q->cls, q->attr, values + i, batch);
		LDAPMessage *res = NULL, *e;

		if (filter == NULL)
			return orgrbac_load_fail(s, ORGRBAC_DIR_ERROR, "%s filter too long",
						 q->what);
		/* one more than the batch can match: a server that stops at the batch is no match
		 */
		rc = orgrbac_load_search(s, q->base, LDAP_SCOPE_SUBTREE, filter, q->attrs,
					 q->limit > 0 ? q->limit : (int)batch + 1, q->absent, &res);
		free(filter);
		/* no result to walk after a failure, or under a base that may be absent and is */
		for (e = rc == ORGRBAC_DIR_FOUND && res != NULL ? ldap_first_entry(s->ld, res)
								: NULL;
		     rc == ORGRBAC_DIR_FOUND && e != NULL; e = ldap_next_entry(s->ld, e))
			rc = fn(s, e, ctx);
		ldap_msgfree(res);
	}
	return rc;
}

/* Does the entry's uid equal the login name byte for byte? LDAP matched without case. */
static bool uid_exact(LDAP *ld, LDAPMessage *e, const char *user)
{
	struct berval **uids = ldap_get_values_len(ld, e, "uid");
	bool exact = false;

	for (int i = 0; uids != NULL && uids[i] != NULL; i++)
		if (uids[i]->bv_len == strlen(user) &&
		    memcmp(uids[i]->bv_val, user, uids[i]->bv_len) == 0)
			exact = true;
	ldap_value_free_len(uids);
	return exact;
}

#define USER_CANDIDATES 16 /* entries one login name may match, case folded */

/* The entries a search found for a login name, sorted out. */
struct candidates {
	LDAPMessage *res;
	LDAPMessage *pick;	/* the last exact match */
	LDAPMessage *host_pick; /* the last exact match in the host organization */
	size_t entries, exact, in_host, outside;
};

static enum orgrbac_dir_status find_candidates(struct orgrbac_load *s, const char *base,
					       bool *absent, const char *filter, const char *user,
					       struct candidates *c)
{
	static char *attrs[] = {"uid", NULL};
	enum orgrbac_dir_status rc;

	ldap_msgfree(c->res);
	memset(c, 0, sizeof(*c));
	rc = orgrbac_load_search(s, base, LDAP_SCOPE_SUBTREE, filter, attrs, USER_CANDIDATES,
				 absent, &c->res);
	if (rc != ORGRBAC_DIR_FOUND) {
		if (s->over_limit)
			orgrbac_seterr(s->err,
				       "uid '%s' is ambiguous: more than %d entries match "
				       "(orgrbac's limit of candidates for one name)",
				       user, USER_CANDIDATES);
		return rc;
	}
	for (LDAPMessage *e = c->res != NULL ? ldap_first_entry(s->ld, c->res) : NULL; e != NULL;
	     e = ldap_next_entry(s->ld, e)) {
		char *dn, *org = NULL;

		c->entries++;
		if (!uid_exact(s->ld, e, user))
			continue;
		c->exact++;
		c->pick = e;
		dn = ldap_get_dn(s->ld, e);
		if (dn == NULL || orgrbac_dn_org_of(&s->base, dn, &org, NULL) != 0) {
			c->outside++;
		} else if (s->cfg->org != NULL && strcasecmp(org, s->cfg->org) == 0) {
			c->in_host++;
			c->host_pick = e;
		}
		free(org);
		ldap_memfree(dn);
	}
	return ORGRBAC_DIR_FOUND;
}

/*
 * Which entry is the login name? Only entries whose uid equals it byte for
 * byte are candidates, and the host organization's come first: it is
 * searched on its own, so no other tenant can shadow or lock out its users.
 * Elsewhere, an entry that matches only without case, one outside every
 * organization, and a name held several times are refused: none of them may
 * read as "unknown", which a stack may let through.
 */
static enum orgrbac_dir_status pick_user(struct orgrbac_load *s, const char *user,
					 struct candidates *c)
{
	char esc[ORGRBAC_USER_MAX * 3 + 1], filter[sizeof(esc) + 64], *host_dn = NULL;
	bool absent = false;
	enum orgrbac_dir_status rc = ORGRBAC_DIR_FOUND;

	if (orgrbac_filter_escape(user, esc, sizeof(esc)) < 0)
		return orgrbac_load_fail(s, ORGRBAC_DIR_NOUSER, "user name too long");
	snprintf(filter, sizeof(filter), "(&(objectClass=posixAccount)(uid=%s))", esc);
	/* [host] org is checked to be [A-Za-z0-9._-]: no DN escaping needed */
	if (s->cfg->org != NULL && asprintf(&host_dn, "o=%s,%s", s->cfg->org, s->cfg->base) < 0)
		return orgrbac_load_fail(s, ORGRBAC_DIR_ERROR, "out of memory");
	if (host_dn != NULL)
		rc = find_candidates(s, host_dn, &absent, filter, user, c);
	/*
	 * The host's own organization must exist: a server without it (or without
	 * the base at all, which it then says in its own words) cannot answer.
	 */
	if (rc == ORGRBAC_DIR_FOUND && absent) {
		rc = orgrbac_dir_base_held(s->l, s->cfg->base, s->err);
		if (rc == ORGRBAC_DIR_FOUND)
			rc = orgrbac_load_fail(
			    s, ORGRBAC_DIR_UNAVAIL,
			    "%s does not hold the base %s (the host's organization)",
			    orgrbac_ldap_uri(s->l), host_dn);
	}
	free(host_dn);
	if (rc != ORGRBAC_DIR_FOUND)
		return rc;
	if (c->in_host == 0)
		rc = find_candidates(s, s->cfg->base, NULL, filter, user, c);
	if (rc != ORGRBAC_DIR_FOUND)
		return rc;
	if (c->entries == 0) {
		rc = orgrbac_dir_base_held(s->l, s->cfg->base, s->err);
		if (rc != ORGRBAC_DIR_FOUND)
			return rc;
		return orgrbac_load_fail(s, ORGRBAC_DIR_NOUSER, "no entry with uid '%s'", user);
	}
	if (c->exact == 0)
		return orgrbac_load_fail(s, ORGRBAC_DIR_REFUSED,
					 "uid '%s' matches an entry only without regard to case",
					 user);
	if (c->in_host > 1 || (c->in_host == 0 && c->exact > 1))
		return orgrbac_load_fail(
		    s, ORGRBAC_DIR_REFUSED, "uid '%s' is ambiguous: %zu entries hold it%s", user,
		    c->exact, c->in_host > 1 ? " in the host organization" : ", none of them here");
	if (c->in_host == 1) {
		c->pick = c->host_pick;
	} else if (c->outside > 0) {
		char *dn = orgrbac_entry_dn(s->ld, c->pick);

		rc = orgrbac_load_fail(s, ORGRBAC_DIR_REFUSED,
				       "entry %s is not inside an organization",
				       dn != NULL ? dn : "?");
		free(dn);
	}
	return rc;
}

static enum orgrbac_dir_status load_user(struct orgrbac_load *s, const char *user)
{
	struct candidates c = {0};
	char *dn;
	enum orgrbac_dir_status rc = pick_user(s, user, &c);

	if (rc != ORGRBAC_DIR_FOUND) {
		ldap_msgfree(c.res);
		return rc;
	}
	dn = orgrbac_entry_dn(s->ld, c.pick);
	s->f->dn = dn;
	s->f->user = strdup(user);
	ldap_msgfree(c.res);
	if (dn == NULL || s->f->user == NULL)
		return orgrbac_load_fail(s, ORGRBAC_DIR_ERROR, "out of memory");
	if (orgrbac_dn_parse(dn, &s->user) != 0 || !orgrbac_dn_below(&s->user, &s->base))
		return orgrbac_load_fail(s, ORGRBAC_DIR_ERROR, "entry %s is outside the base", dn);
	return ORGRBAC_DIR_FOUND;
}

/* The home organization: the o= RDN directly beneath the base. */
static enum orgrbac_dir_status find_org(struct orgrbac_load *s)
{
	if (orgrbac_dn_org_of(&s->base, s->f->dn, &s->f->org, &s->org_dn) != 0 ||
	    orgrbac_dn_parse(s->org_dn, &s->org) != 0)
		return orgrbac_load_fail(s, ORGRBAC_DIR_REFUSED,
					 "entry %s is not inside an organization", s->f->dn);
	return ORGRBAC_DIR_FOUND;
}

static int cmp_external_depth(const void *a, const void *b)
{
	const struct orgrbac_external *x = a, *y = b;
	struct orgrbac_dn dx, dy;
	size_t nx = 0, ny = 0;

	if (orgrbac_dn_parse(x->dn, &dx) == 0)
		nx = dx.n;
	if (orgrbac_dn_parse(y->dn, &dy) == 0)
		ny = dy.n;
	orgrbac_dn_free(&dx);
	orgrbac_dn_free(&dy);
	return nx < ny ? 1 : nx > ny ? -1 : 0; /* deepest, the nearest, first */
}

/* Every external-access entry above the user, nearest first: each one must be open. */
static enum orgrbac_dir_status load_external(struct orgrbac_load *s)
{
	static char *attrs[] = {"cn",
				"orgExternalKind",
				"orgAccessMode",
				"orgNotBefore",
				"orgNotAfter",
				"orgRoleManagement",
				NULL};
	LDAPMessage *res = NULL, *e;
	struct orgrbac_facts *f = s->f;
	enum orgrbac_dir_status rc;

	rc =
	    orgrbac_load_search(s, s->org_dn, LDAP_SCOPE_SUBTREE, "(objectClass=orgExternalAccess)",
				attrs, ORGRBAC_MAX_EXTERNAL, NULL, &res);
	if (rc != ORGRBAC_DIR_FOUND)
		return rc;
	f->external = calloc((size_t)ldap_count_entries(s->ld, res) + 1, sizeof(*f->external));
	if (f->external == NULL) {
		ldap_msgfree(res);
		return orgrbac_load_fail(s, ORGRBAC_DIR_ERROR, "out of memory");
	}
	for (e = ldap_first_entry(s->ld, res); e != NULL; e = ldap_next_entry(s->ld, e)) {
		struct orgrbac_external *x = &f->external[f->n_external];
		char *dn = ldap_get_dn(s->ld, e);
		struct orgrbac_dn d;
		bool above = false;

		if (dn != NULL && orgrbac_dn_parse(dn, &d) == 0) {
			above = orgrbac_dn_below(&s->user, &d);
			orgrbac_dn_free(&d);
		}
		ldap_memfree(dn);
		if (!above)
			continue;
		f->n_external++;
		x->dn = orgrbac_entry_dn(s->ld, e);
		x->name = orgrbac_first_value(s->ld, e, "cn");
		orgrbac_read_external(s->ld, e, x);
		if (x->dn == NULL || x->name == NULL) {
			ldap_msgfree(res);
			return orgrbac_load_fail(s, ORGRBAC_DIR_ERROR,
						 "cannot read external-access entry");
		}
	}
	ldap_msgfree(res);
	if (f->n_external == 0) {
		free(f->external);
		f->external = NULL;
	}
	if (f->n_external > 1)
		qsort(f->external, f->n_external, sizeof(*f->external), cmp_external_depth);
	return ORGRBAC_DIR_FOUND;
}

enum orgrbac_dir_status orgrbac_directory_load(struct orgrbac_ldap *l,
					       const struct orgrbac_config *cfg, const char *user,
					       struct orgrbac_facts **out, orgrbac_error *err)
{
	struct orgrbac_load s = {.l = l, .ld = orgrbac_ldap_handle(l), .cfg = cfg, .err = err};
	const char *why;
	enum orgrbac_dir_status rc;

	*out = NULL;
	if (!orgrbac_username_valid(user, &why)) {
		orgrbac_seterr(err, "%s", why);
		return ORGRBAC_DIR_NOUSER;
	}
	s.f = calloc(1, sizeof(*s.f));
	if (s.f == NULL) {
		orgrbac_seterr(err, "out of memory");
		return ORGRBAC_DIR_ERROR;
	}
	if (orgrbac_dn_parse(cfg->base, &s.base) != 0) {
		rc = orgrbac_load_fail(&s, ORGRBAC_DIR_ERROR, "base '%s' is not a DN", cfg->base);
		goto out;
	}
	rc = load_user(&s, user);
	if (rc == ORGRBAC_DIR_FOUND)
		rc = find_org(&s);
	if (rc == ORGRBAC_DIR_FOUND)
		rc = orgrbac_load_groups(&s);
	if (rc == ORGRBAC_DIR_FOUND)
		rc = orgrbac_load_grants(&s);
	if (rc == ORGRBAC_DIR_FOUND)
		rc = orgrbac_load_roles(&s);
	if (rc == ORGRBAC_DIR_FOUND)
		rc = load_external(&s);
out:
	if (rc == ORGRBAC_DIR_FOUND)
		*out = s.f;
	else
		orgrbac_facts_free(s.f);
	orgrbac_strv_free(s.group_norm);
	orgrbac_dn_free(&s.base);
	orgrbac_dn_free(&s.user);
	orgrbac_dn_free(&s.org);
	if (s.org_dn != NULL)
		ldap_memfree(s.org_dn);
	return rc;
}
