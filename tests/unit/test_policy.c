/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests of the policy engine: every rule of the model, with the clock
 * injected. Each test builds facts, then runs a table of decisions over them
 * (requirement and clock in; verdict, reason and what else the decision
 * carries out), changing the facts between tables where the rule is about a
 * change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "expr.h"
#include "policy.h"

#define NOW    ((int64_t)1794744000) /* 2026-11-15T12:00:00Z */
#define NOV_01 ((int64_t)1793491200) /* 2026-11-01T00:00:00Z */
#define NOV_30 ((int64_t)1795996800) /* 2026-11-30T00:00:00Z */
#define DEC_01 ((int64_t)1796083200) /* 2026-12-01T00:00:00Z */
#define CAP    16		     /* roles and grants per test principal */
#define PEOPLE "ou=people,o=acme,dc=example,dc=com"
#define ADMINS "cn=admins,ou=groups,o=acme,dc=example,dc=com"

static const char *const services[] = {"payments", "web"};
static const struct orgrbac_host host = {
    .org = "acme",
    .services = services,
    .n_services = 2,
    .resource = "web01.example.com",
};

/* Facts built on the heap, as the directory layer builds them, so facts_free runs under ASan. */
static char *xdup(const char *s)
{
	char *d = strdup(s);

	assert_non_null(d);
	return d;
}

static struct orgrbac_facts *facts_new(const char *user, const char *org)
{
	struct orgrbac_facts *f = calloc(1, sizeof(*f));
	char dn[256];

	assert_non_null(f);
	snprintf(dn, sizeof(dn), "uid=%s,ou=people,o=%s,dc=example,dc=com", user, org);
	f->user = xdup(user);
	f->dn = xdup(dn);
	f->org = xdup(org);
	/* fixed capacity: grants point into the role array, which must not move */
	f->roles = calloc(CAP, sizeof(*f->roles));
	f->grants = calloc(CAP, sizeof(*f->grants));
	assert_non_null(f->roles);
	assert_non_null(f->grants);
	return f;
}

static struct orgrbac_role *add_role(struct orgrbac_facts *f, const char *name, const char *priv1,
				     const char *priv2)
{
	struct orgrbac_role *r;
	char dn[256];

	assert_true(f->n_roles < CAP);
	r = &f->roles[f->n_roles++];
	snprintf(dn, sizeof(dn), "cn=%s,ou=roles,dc=example,dc=com", name);
	r->dn = xdup(dn);
	r->name = xdup(name);
	r->privileges = calloc(3, sizeof(*r->privileges));
	assert_non_null(r->privileges);
	if (priv1 != NULL)
		r->privileges[r->n_privileges++] = xdup(priv1);
	if (priv2 != NULL)
		r->privileges[r->n_privileges++] = xdup(priv2);
	return r;
}

/* A grant of `role` (NULL: missing) living in `org`, to the user itself unless `via` is given. */
static struct orgrbac_grant *add_grant(struct orgrbac_facts *f, const char *name, const char *org,
				       const struct orgrbac_role *role, const char *via)
{
	struct orgrbac_grant *g;
	char dn[256];

	assert_true(f->n_grants < CAP);
	g = &f->grants[f->n_grants++];
	snprintf(dn, sizeof(dn), "cn=%s,ou=grants,o=%s,dc=example,dc=com", name, org);
	g->dn = xdup(dn);
	g->name = xdup(name);
	g->org = xdup(org);
	g->role = role;
	g->role_dn = xdup(role != NULL ? role->dn : "cn=gone,ou=roles,dc=example,dc=com");
	g->via = xdup(via != NULL ? via : f->dn);
	g->scopes = calloc(3, sizeof(*g->scopes));
	assert_non_null(g->scopes);
	return g;
}

static void add_scope(struct orgrbac_grant *g, const char *scope)
{
	assert_true(g->n_scopes < 2);
	g->scopes[g->n_scopes++] = xdup(scope);
}

static void set_window(struct orgrbac_window *w, int64_t nb, int64_t na)
{
	w->has_not_before = true;
	w->not_before = nb;
	w->has_not_after = true;
	w->not_after = na;
}

static struct orgrbac_external *set_external(struct orgrbac_facts *f, const char *name,
					     enum orgrbac_ext_kind kind, enum orgrbac_ext_mode mode)
{
	struct orgrbac_external *x = calloc(1, sizeof(*x));
	char dn[256];

	assert_non_null(x);
	snprintf(dn, sizeof(dn), "cn=%s,ou=external,o=%s,dc=example,dc=com", name, f->org);
	x->dn = xdup(dn);
	x->name = xdup(name);
	x->kind = kind;
	x->mode = mode;
	x->role_management = true;
	f->external = x;
	f->n_external = 1;
	return x;
}

/* A platform grant (ou=grants beneath the base) of `role`, to the user unless `via` is given. */
static struct orgrbac_grant *add_platform_grant(struct orgrbac_facts *f, const char *name,
						const struct orgrbac_role *role, const char *via)
{
	struct orgrbac_grant *g = add_grant(f, name, "platform", role, via);
	char dn[256];

	snprintf(dn, sizeof(dn), "cn=%s,ou=grants,dc=example,dc=com", name);
	free(g->dn);
	g->dn = xdup(dn);
	free(g->org);
	g->org = NULL;
	g->platform = true;
	return g;
}

/*
 * The requirement of the last decision: matches point into it, so it lives on
 * until the next decision or the end of the test.
 */
static struct orgrbac_expr *last_expr;

static int free_expr(void **state)
{
	(void)state;
	orgrbac_expr_free(last_expr);
	last_expr = NULL;
	return 0;
}

/* Decide against host `h` with these role names and `require` (NULL: none configured). */
static void judge_as(const struct orgrbac_facts *f, const struct orgrbac_host *h,
		     const char *require, const char *mfa_role, const char *cross, int64_t now,
		     struct orgrbac_decision *d)
{
	orgrbac_error err = {{0}};
	struct orgrbac_policy p = {.mfa_exempt_role = mfa_role, .cross_org_privilege = cross};

	free_expr(NULL);
	if (require != NULL)
		assert_int_equal(orgrbac_expr_parse(require, &last_expr, &err), 0);
	p.require = last_expr;
	/* stale content must not leak into the answer */
	memset(d, 0x5a, sizeof(*d));
	orgrbac_decide(f, h, &p, now, d);
	assert_non_null(memchr(d->reason, '\0', sizeof(d->reason)));
	assert_true(strlen(d->reason) > 0);
	assert_null(strchr(d->reason, '\n'));
}

static void judge(const struct orgrbac_facts *f, const char *require, int64_t now,
		  struct orgrbac_decision *d)
{
	judge_as(f, &host, require, "2FA-exempt", "common:org:cross", now, d);
}

static void assert_contains(const char *haystack, const char *needle)
{
	if (strstr(haystack, needle) == NULL)
		fail_msg("'%s' does not contain '%s'", haystack, needle);
}

/* An ordinary member of acme with role Member (host:login) granted organization-wide. */
static struct orgrbac_facts *member(void)
{
	struct orgrbac_facts *f = facts_new("alice", "acme");

	add_grant(f, "alice-member", "acme", add_role(f, "Member", "host:login", NULL), NULL);
	return f;
}

/*
 * What one decision must carry; a field left out is not checked. The
 * tri-states, counts and grant indexes are offset so that 0 means "any".
 */
enum tri { ANY = 0, YES, NO };
#define IS(verdict) ((int)(verdict) + 1) /* .verdict */
#define N(count)    ((count) + 1)	 /* .matches */
#define G(i)	    ((i) + 1)		 /* .grant, .grant2, .mfa_grant: &f->grants[i] */
#define NO_GRANT    (-1)		 /* ... NULL */

struct want {
	int verdict;
	const char *reason; /* the whole reason */
	const char *part;   /* a part of it */
	const char *lacks;  /* a text it must not contain */
	enum tri mfa, cross, full;
	int matches;			/* d.n_matches */
	const char *required, *granted; /* of matches[0] */
	int grant;			/* matches[0].grant */
	const char *required2;		/* of matches[1] */
	int grant2;			/* matches[1].grant */
	int mfa_grant;
};

/* One decision: the requirement (NULL: none configured) at `now`, on `host` unless NULL. */
struct row {
	const char *require;
	int64_t now;
	const struct orgrbac_host *host;
	bool names; /* mfa_role and cross as given, else "2FA-exempt" and "common:org:cross" */
	const char *mfa_role, *cross;
	struct want want;
};

/* The checks the tables made, reported at the end. */
static unsigned long table_checks;

static void expect(bool ok, const char *test, size_t i, const struct row *r, const char *what,
		   const struct orgrbac_decision *d)
{
	table_checks++;
	if (!ok)
		fail_msg("%s, row %zu (require '%s'): %s; got %s, reason '%s'", test, i,
			 r->require != NULL ? r->require : "(none)", what,
			 orgrbac_verdict_name(d->verdict), d->reason);
}

static const struct orgrbac_grant *grant_at(const struct orgrbac_facts *f, int which)
{
	return which == NO_GRANT ? NULL : &f->grants[which - 1];
}

static void expect_tri(enum tri want, bool got, const char *test, size_t i, const struct row *r,
		       const char *what, const struct orgrbac_decision *d)
{
	if (want != ANY)
		expect(got == (want == YES), test, i, r, what, d);
}

static void check_row(const struct orgrbac_facts *f, const char *test, size_t i,
		      const struct row *r)
{
	const struct want *w = &r->want;
	struct orgrbac_decision d;

	judge_as(f, r->host != NULL ? r->host : &host, r->require,
		 r->names ? r->mfa_role : "2FA-exempt", r->names ? r->cross : "common:org:cross",
		 r->now, &d);
	if (w->verdict != 0)
		expect((int)d.verdict + 1 == w->verdict, test, i, r, "verdict", &d);
	if (w->reason != NULL)
		expect(strcmp(d.reason, w->reason) == 0, test, i, r, w->reason, &d);
	if (w->part != NULL)
		expect(strstr(d.reason, w->part) != NULL, test, i, r, w->part, &d);
	if (w->lacks != NULL)
		expect(strstr(d.reason, w->lacks) == NULL, test, i, r, w->lacks, &d);
	expect_tri(w->mfa, d.mfa_exempt, test, i, r, "mfa_exempt", &d);
	expect_tri(w->cross, d.cross_org, test, i, r, "cross_org", &d);
	expect_tri(w->full, d.full_access, test, i, r, "full_access", &d);
	if (w->matches != 0)
		expect(d.n_matches + 1 == (size_t)w->matches, test, i, r, "n_matches", &d);
	if (w->required != NULL)
		expect(strcmp(d.matches[0].required, w->required) == 0, test, i, r, w->required,
		       &d);
	if (w->granted != NULL)
		expect(strcmp(d.matches[0].granted, w->granted) == 0, test, i, r, w->granted, &d);
	if (w->grant != 0)
		expect(d.matches[0].grant == grant_at(f, w->grant), test, i, r, "matches[0].grant",
		       &d);
	if (w->required2 != NULL)
		expect(strcmp(d.matches[1].required, w->required2) == 0, test, i, r, w->required2,
		       &d);
	if (w->grant2 != 0)
		expect(d.matches[1].grant == grant_at(f, w->grant2), test, i, r, "matches[1].grant",
		       &d);
	if (w->mfa_grant != 0)
		expect(d.mfa_grant == grant_at(f, w->mfa_grant), test, i, r, "mfa_grant", &d);
}

/* Every row of a table over the same facts, in order. */
#define DECIDE(f, rows)                                                                            \
	do {                                                                                       \
		for (size_t i_ = 0; i_ < sizeof(rows) / sizeof(rows[0]); i_++)                     \
			check_row((f), __func__, i_, &(rows)[i_]);                                 \
	} while (0)

static void test_unknown_principal(void **state)
{
	const struct row rows[] = {
	    {"host:login", NOW,
	     .want = {IS(ORGRBAC_UNKNOWN), .reason = "not in the directory", .mfa = NO,
		      .matches = N(0)}},
	    {"none", NOW, .want = {IS(ORGRBAC_UNKNOWN)}},
	};

	(void)state;
	DECIDE(NULL, rows);
}

static void test_org_wide_grant_allows(void **state)
{
	struct orgrbac_facts *f = member();
	const struct row rows[] = {
	    {"host:login", NOW,
	     .want = {IS(ORGRBAC_ALLOW),
		      .reason = "host:login from role 'Member' via grant 'alice-member'",
		      .matches = N(1), .required = "host:login", .granted = "host:login",
		      .grant = G(0), .cross = NO, .full = NO, .mfa = NO, .mfa_grant = NO_GRANT}},
	    {"host:sudo", NOW,
	     .want = {IS(ORGRBAC_DENY), .reason = "lacks privileges: host:sudo", .matches = N(0)}},
	};

	(void)state;
	DECIDE(f, rows);
	orgrbac_facts_free(f);
}

static void test_service_scope(void **state)
{
	struct orgrbac_facts *f = facts_new("bob", "acme");
	struct orgrbac_role *r = add_role(f, "Service Runner", "host:login", NULL);
	struct orgrbac_grant *g = add_grant(f, "bob-db", "acme", r, NULL);
	const struct row denied[] = {{"host:login", NOW, .want = {IS(ORGRBAC_DENY)}}};
	const struct row allowed[] = {
	    {"host:login", NOW,
	     .want = {IS(ORGRBAC_ALLOW), .grant = G(2), .part = "via grant 'bob-web'"}},
	};

	(void)state;
	add_scope(g, "service:db");
	DECIDE(f, denied);
	/* service names are case-exact */
	g = add_grant(f, "bob-Web", "acme", r, NULL);
	add_scope(g, "service:Web");
	DECIDE(f, denied);
	g = add_grant(f, "bob-web", "acme", r, NULL);
	add_scope(g, "service:db");
	add_scope(g, "service:web");
	DECIDE(f, allowed);
	orgrbac_facts_free(f);
}

static void test_resource_scope(void **state)
{
	struct orgrbac_facts *f = facts_new("carol", "acme");
	struct orgrbac_role *r = add_role(f, "Resource User", "host:login", NULL);
	struct orgrbac_grant *g = add_grant(f, "carol-web02", "acme", r, NULL);
	struct orgrbac_host nores = host;
	const struct row denied[] = {{"host:login", NOW, .want = {IS(ORGRBAC_DENY)}}};
	const struct row cased[] = {
	    {"host:login", NOW, .want = {IS(ORGRBAC_ALLOW), .grant = G(2)}},
	    /* a host without a resource name matches no resource scope */
	    {"host:login", NOW, &nores, .want = {IS(ORGRBAC_DENY)}},
	};

	(void)state;
	nores.resource = NULL;
	add_scope(g, "resource:web02.example.com");
	DECIDE(f, denied);
	/* an unknown scope form covers nothing, even if its name is this host's */
	g = add_grant(f, "carol-odd", "acme", r, NULL);
	add_scope(g, "host:web01.example.com");
	DECIDE(f, denied);
	/* host names compare without regard to case */
	g = add_grant(f, "carol-web01", "acme", r, NULL);
	add_scope(g, "resource:WEB01.Example.COM");
	DECIDE(f, cased);
	orgrbac_facts_free(f);
}

static void test_grant_covers(void **state)
{
	enum { HOST, NO_SERVICE_ARRAY, NO_HOST };
	static const struct {
		const char *why;
		bool no_grant, no_scope_array;
		int host;
		size_t n_scopes;
		const char *scope0, *scope1;
		bool covers;
	} cases[] = {
	    {"organization-wide", .covers = true},
	    {"no grant", .no_grant = true},
	    {"no host", .host = NO_HOST},
	    {"one of the host's services", .n_scopes = 1, .scope0 = "service:payments",
	     .covers = true},
	    {"a service without a name", .n_scopes = 1, .scope0 = "service:"},
	    {"a resource without a name", .n_scopes = 1, .scope0 = "resource:"},
	    {"Service: is no kind of scope", .n_scopes = 1, .scope0 = "Service:payments"},
	    /* a count without an array is no service at all */
	    {"a host that counts services it lacks", .host = NO_SERVICE_ARRAY, .n_scopes = 1,
	     .scope0 = "service:payments"},
	    /* a scope entry missing from a counted list voids the grant, even beside one that
	       covers */
	    {"a hole beside a covering scope", .n_scopes = 2,
	     .scope1 = "resource:web01.example.com"},
	    {"two scopes, both this host's", .n_scopes = 2, .scope0 = "service:payments",
	     .scope1 = "resource:web01.example.com", .covers = true},
	    /* a scoped grant whose scopes cannot be read is not organization-wide */
	    {"scopes that cannot be read", .no_scope_array = true, .n_scopes = 2,
	     .scope0 = "service:payments", .scope1 = "resource:web01.example.com"},
	};
	struct orgrbac_host no_services = host;

	(void)state;
	no_services.services = NULL;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *scopes[2] = {(char *)cases[i].scope0, (char *)cases[i].scope1};
		struct orgrbac_grant g = {.scopes = cases[i].no_scope_array ? NULL : scopes,
					  .n_scopes = cases[i].n_scopes};
		const struct orgrbac_host *h = cases[i].host == HOST		   ? &host
					       : cases[i].host == NO_SERVICE_ARRAY ? &no_services
										   : NULL;

		table_checks++;
		if (orgrbac_grant_covers(cases[i].no_grant ? NULL : &g, h) != cases[i].covers)
			fail_msg("%s: expected %s", cases[i].why,
				 cases[i].covers ? "covered" : "not covered");
	}
}

static void test_window_contains(void **state)
{
	static const struct orgrbac_window open = {0},
					   from_now = {.has_not_before = true, .not_before = NOW},
					   until_now = {.has_not_after = true, .not_after = NOW},
					   reversed = {.has_not_before = true,
						       .not_before = NOW + 10,
						       .has_not_after = true,
						       .not_after = NOW - 10},
					   around = {.has_not_before = true,
						     .not_before = NOW - 10,
						     .has_not_after = true,
						     .not_after = NOW + 10},
					   around_malformed = {.has_not_before = true,
							       .not_before = NOW - 10,
							       .has_not_after = true,
							       .not_after = NOW + 10,
							       .malformed = true},
					   malformed = {.malformed = true};
	static const struct {
		const struct orgrbac_window *w;
		int64_t t;
		bool contains;
	} cases[] = {
	    {&open, NOW, true},
	    {NULL, NOW, false},
	    {&from_now, NOW - 1, false},
	    {&from_now, NOW, true},
	    {&from_now, INT64_MAX, true},
	    {&until_now, INT64_MIN, true},
	    {&until_now, NOW - 1, true},
	    {&until_now, NOW, false},
	    /* bounds the wrong way round contain nothing */
	    {&reversed, NOW, false},
	    {&reversed, NOW + 10, false},
	    {&reversed, NOW - 11, false},
	    {&around, NOW, true},
	    {&around_malformed, NOW, false},
	    {&malformed, NOW, false},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		table_checks++;
		if (orgrbac_window_contains(cases[i].w, cases[i].t) != cases[i].contains)
			fail_msg("window case %zu at %lld: expected %s", i, (long long)cases[i].t,
				 cases[i].contains ? "inside" : "outside");
	}
}

static void test_grant_window(void **state)
{
	struct orgrbac_facts *f = member();
	struct orgrbac_grant *g = &f->grants[0];
	const struct row rows[] = {
	    {"host:login", NOV_01 - 1, .want = {IS(ORGRBAC_DENY)}},
	    {"host:login", NOV_01, .want = {IS(ORGRBAC_ALLOW)}},
	    {"host:login", NOW, .want = {IS(ORGRBAC_ALLOW)}},
	    {"host:login", NOV_30 - 1, .want = {IS(ORGRBAC_ALLOW)}},
	    {"host:login", NOV_30,
	     .want = {IS(ORGRBAC_DENY), .reason = "lacks privileges: host:login"}},
	    {"host:login", DEC_01, .want = {IS(ORGRBAC_DENY)}},
	};
	const struct row closed[] = {{"host:login", NOW, .want = {IS(ORGRBAC_DENY)}}};

	(void)state;
	set_window(&g->window, NOV_01, NOV_30);
	DECIDE(f, rows);
	/* a bound that did not parse closes the grant whatever the other says */
	g->window.malformed = true;
	DECIDE(f, closed);
	g->window.has_not_before = false;
	DECIDE(f, closed);
	assert_false(orgrbac_grant_effective(g, &host, NOW));
	g->window = (struct orgrbac_window){.has_not_after = true, .not_after = NOV_30};
	assert_true(orgrbac_grant_effective(g, &host, NOW));
	orgrbac_facts_free(f);
}

static void test_missing_role(void **state)
{
	struct orgrbac_facts *f = facts_new("dave", "acme");
	const struct row rows[] = {{"host:login", NOW, .want = {IS(ORGRBAC_DENY), .mfa = NO}}};

	(void)state;
	add_grant(f, "dave-gone", "acme", NULL, NULL);
	add_grant(f, "dave-2fa-gone", "acme", NULL, NULL);
	DECIDE(f, rows);
	assert_false(orgrbac_grant_effective(&f->grants[0], &host, NOW));
	assert_false(orgrbac_grant_effective(NULL, &host, NOW));
	orgrbac_facts_free(f);
}

static void test_grant_via_group(void **state)
{
	struct orgrbac_facts *f = facts_new("erin", "acme");
	struct orgrbac_role *r = add_role(f, "Org Admin", "host:login", "host:sudo");
	const struct row through_group[] = {
	    {"host:sudo", NOW,
	     .want = {IS(ORGRBAC_ALLOW),
		      .reason = "host:sudo from role 'Org Admin' via grant 'admins-admin'"
				" through group " ADMINS,
		      .granted = "host:sudo"}},
	};
	const struct row own_dn[] = {
	    {"host:sudo", NOW, .want = {IS(ORGRBAC_ALLOW), .lacks = "through group"}},
	};
	char upper[256];

	(void)state;
	add_grant(f, "admins-admin", "acme", r, ADMINS);
	DECIDE(f, through_group);
	/* the user's own DN, spelt in another case, is not a group */
	free(f->grants[0].via);
	snprintf(upper, sizeof(upper), "UID=erin,%s", "OU=People,O=ACME,DC=example,DC=com");
	f->grants[0].via = xdup(upper);
	DECIDE(f, own_dn);
	orgrbac_facts_free(f);
}

static void test_union_of_roles(void **state)
{
	struct orgrbac_facts *f = facts_new("frank", "acme");
	struct orgrbac_role *login = add_role(f, "Member", "host:login", "API_READ");
	struct orgrbac_role *sudo = add_role(f, "Operator", "host:sudo", NULL);
	const struct row one_role[] = {
	    {"host:login && host:sudo", NOW,
	     .want = {IS(ORGRBAC_DENY), .reason = "lacks privileges: host:login && host:sudo",
		      .matches = N(0)}},
	};
	const struct row two_roles[] = {
	    {"host:login && host:sudo", NOW,
	     .want = {IS(ORGRBAC_ALLOW), .matches = N(2), .required = "host:login", .grant = G(0),
		      .required2 = "host:sudo", .grant2 = G(1),
		      .reason = "host:login from role 'Member' via grant 'frank-member', "
				"host:sudo from role 'Operator' via grant 'ops-operator'"
				" through group " ADMINS}},
	    /* the role's second privilege counts as much as its first */
	    {"API_READ && host:sudo", NOW, .want = {IS(ORGRBAC_ALLOW), .granted = "API_READ"}},
	};

	(void)state;
	add_grant(f, "frank-member", "acme", login, NULL);
	DECIDE(f, one_role);
	add_grant(f, "ops-operator", "acme", sudo, ADMINS);
	DECIDE(f, two_roles);
	orgrbac_facts_free(f);
}

static void test_first_grant_wins(void **state)
{
	struct orgrbac_facts *f = facts_new("gina", "acme");
	struct orgrbac_role *wide = add_role(f, "Wide", "host:*", NULL);
	struct orgrbac_role *exact = add_role(f, "Exact", "host:login", NULL);
	struct orgrbac_grant *out_of_window;
	const struct row rows[] = {
	    {"host:login", NOW,
	     .want = {IS(ORGRBAC_ALLOW), .grant = G(1), .granted = "host:*",
		      .reason = "host:login from role 'Wide' (host:*) via grant 'gina-wide'"}},
	};

	(void)state;
	out_of_window = add_grant(f, "gina-old", "acme", exact, NULL);
	set_window(&out_of_window->window, NOV_01 - 100, NOV_01);
	add_grant(f, "gina-wide", "acme", wide, NULL);
	add_grant(f, "gina-exact", "acme", exact, NULL);
	DECIDE(f, rows);
	orgrbac_facts_free(f);
}

static void test_or_operators(void **state)
{
	struct orgrbac_facts *f = member();
	const struct row rows[] = {
	    {"host:sudo + host:login", NOW,
	     .want = {IS(ORGRBAC_ALLOW), .matches = N(1), .required = "host:login"}},
	    {"host:sudo || host:login", NOW,
	     .want = {IS(ORGRBAC_ALLOW), .matches = N(1), .required = "host:login"}},
	    {"host:sudo || common:org:own", NOW,
	     .want = {IS(ORGRBAC_DENY), .reason = "lacks privileges: host:sudo || common:org:own"}},
	    /* && binds tighter than || */
	    {"host:sudo && host:login || host:login", NOW, .want = {IS(ORGRBAC_ALLOW)}},
	    {"host:sudo && (host:login || host:login)", NOW, .want = {IS(ORGRBAC_DENY)}},
	};

	(void)state;
	DECIDE(f, rows);
	orgrbac_facts_free(f);
}

static void test_none(void **state)
{
	struct orgrbac_facts *f = facts_new("hank", "acme");
	const struct orgrbac_host globex = {.org = "globex"};
	struct orgrbac_external *x;
	const struct row member_of_acme[] = {
	    {"none", NOW,
	     .want = {IS(ORGRBAC_ALLOW), .reason = "no privilege required", .matches = N(0)}},
	};
	const struct row partner[] = {
	    /* "none" does not excuse an external user from its window */
	    {"none", NOW, .want = {IS(ORGRBAC_EXPIRED)}},
	    {"none", DEC_01, .want = {IS(ORGRBAC_ALLOW)}},
	    /* nor a stranger from needing to cross */
	    {"none", DEC_01, &globex, .want = {IS(ORGRBAC_DENY)}},
	};

	(void)state;
	DECIDE(f, member_of_acme);
	x = set_external(f, "Initech", ORGRBAC_EXT_PARTNER, ORGRBAC_MODE_WINDOW);
	set_window(&x->window, DEC_01, DEC_01 + 86400);
	DECIDE(f, partner);
	orgrbac_facts_free(f);
}

static void test_wildcard_privileges(void **state)
{
	struct orgrbac_facts *f = facts_new("ivan", "acme");
	struct orgrbac_role *hosts = add_role(f, "Host Admin", "host:*", NULL);
	struct orgrbac_role *owner = add_role(f, "Org Owner", "*", NULL);
	const struct row host_admin[] = {
	    {"host:sudo", NOW, .want = {IS(ORGRBAC_ALLOW), .granted = "host:*"}},
	    {"iam:invitation:create", NOW, .want = {IS(ORGRBAC_DENY)}},
	};
	const struct row org_owner[] = {
	    {"iam:invitation:create", NOW,
	     .want = {IS(ORGRBAC_ALLOW), .granted = "*", .grant = G(1),
		      .part = "from role 'Org Owner' (*) via grant 'ivan-owner'"}},
	};

	(void)state;
	add_grant(f, "ivan-hosts", "acme", hosts, NULL);
	DECIDE(f, host_admin);
	add_grant(f, "ivan-owner", "acme", owner, NULL);
	DECIDE(f, org_owner);
	orgrbac_facts_free(f);
}

/* An external partner of acme whose user holds Member organization-wide. */
static struct orgrbac_facts *partner(enum orgrbac_ext_mode mode)
{
	struct orgrbac_facts *f = member();

	set_external(f, "Initech", ORGRBAC_EXT_PARTNER, mode);
	return f;
}

static void test_external_vendor_continuous(void **state)
{
	struct orgrbac_facts *f = member();
	struct orgrbac_external *x =
	    set_external(f, "Hooli", ORGRBAC_EXT_VENDOR, ORGRBAC_MODE_CONTINUOUS);
	const struct row plain[] = {
	    {"host:login", NOW, .want = {IS(ORGRBAC_ALLOW), .full = NO}},
	};
	const struct row stale_window[] = {
	    {"host:login", NOW, .want = {IS(ORGRBAC_ALLOW)}},
	    /* role management on: only granted roles count */
	    {"host:sudo", NOW, .want = {IS(ORGRBAC_DENY)}},
	};

	(void)state;
	DECIDE(f, plain);
	/* a window left on a continuous entry is not in force, even a broken one */
	set_window(&x->window, NOV_01, NOV_01 + 1);
	x->window.malformed = true;
	DECIDE(f, stale_window);
	orgrbac_facts_free(f);
}

static void test_external_partner_window(void **state)
{
	struct orgrbac_facts *f = partner(ORGRBAC_MODE_WINDOW);
	const struct row december[] = {
	    {"host:login", NOW,
	     .want = {IS(ORGRBAC_EXPIRED),
		      .reason = "access for partner Initech begins on 2026-12-01T00:00:00Z",
		      .mfa = NO, .mfa_grant = NO_GRANT, .matches = N(0)}},
	    {"host:login", DEC_01 - 1, .want = {IS(ORGRBAC_EXPIRED)}},
	    {"host:login", DEC_01, .want = {IS(ORGRBAC_ALLOW), .mfa = YES}},
	};
	const struct row november[] = {
	    {"host:login", NOW, .want = {IS(ORGRBAC_ALLOW)}},
	    {"host:login", NOV_30,
	     .want = {IS(ORGRBAC_EXPIRED),
		      .reason = "access for partner Initech ended on 2026-11-30T00:00:00Z",
		      .mfa = NO}},
	    {"none", DEC_01, .want = {IS(ORGRBAC_EXPIRED)}},
	};

	(void)state;
	add_grant(f, "initech-2fa", "acme", add_role(f, "2FA-exempt", NULL, NULL), NULL);
	set_window(&f->external->window, DEC_01, DEC_01 + 30 * 86400);
	DECIDE(f, december);
	set_window(&f->external->window, NOV_01, NOV_30);
	DECIDE(f, november);
	orgrbac_facts_free(f);
}

static void test_external_window_incomplete(void **state)
{
	struct orgrbac_facts *f = partner(ORGRBAC_MODE_WINDOW);
	struct orgrbac_window *w = &f->external->window;
	const struct row none[] = {
	    {"host:login", NOW,
	     .want = {IS(ORGRBAC_EXPIRED),
		      .reason = "access window of partner Initech is malformed or incomplete"}},
	};
	const struct row closed[] = {{"host:login", NOW, .want = {IS(ORGRBAC_EXPIRED)}}};
	const struct row malformed[] = {
	    {"host:login", NOW, .want = {IS(ORGRBAC_EXPIRED), .part = "malformed or incomplete"}},
	};
	const struct row whole[] = {{"host:login", NOW, .want = {IS(ORGRBAC_ALLOW)}}};

	(void)state;
	DECIDE(f, none);
	w->has_not_before = true;
	w->not_before = NOV_01;
	DECIDE(f, closed);
	*w = (struct orgrbac_window){.has_not_after = true, .not_after = NOV_30};
	DECIDE(f, closed);
	set_window(w, NOV_01, NOV_30);
	w->malformed = true;
	DECIDE(f, malformed);
	w->malformed = false;
	DECIDE(f, whole);
	orgrbac_facts_free(f);
}

static void test_external_disabled_and_unknown(void **state)
{
	struct orgrbac_facts *f = member();
	struct orgrbac_external *x =
	    set_external(f, "Hooli", ORGRBAC_EXT_VENDOR, ORGRBAC_MODE_DISABLED);
	const struct row disabled[] = {
	    {"host:login", NOW,
	     .want = {IS(ORGRBAC_EXPIRED), .reason = "access for vendor Hooli is disabled"}},
	};
	const struct row disabled_full[] = {
	    {"none", NOW, .want = {IS(ORGRBAC_EXPIRED), .full = NO}},
	};
	const struct row unknown_mode[] = {
	    {"host:login", NOW,
	     .want = {IS(ORGRBAC_EXPIRED),
		      .reason = "external access 'Hooli' has an unknown access mode"}},
	};
	const struct row odd_mode[] = {{"host:login", NOW, .want = {IS(ORGRBAC_EXPIRED)}}};
	const struct row unknown_kind[] = {
	    {"host:login", NOW,
	     .want = {IS(ORGRBAC_EXPIRED),
		      .reason = "external access 'Hooli' has an unknown kind"}},
	};
	const struct row odd_kind[] = {{"none", NOW, .want = {IS(ORGRBAC_EXPIRED)}}};
	const struct row vendor[] = {{"host:login", NOW, .want = {IS(ORGRBAC_ALLOW)}}};

	(void)state;
	set_window(&x->window, NOV_01, NOV_30); /* a window does not revive it */
	DECIDE(f, disabled);
	x->role_management = false; /* nor does full access */
	DECIDE(f, disabled_full);
	x->mode = ORGRBAC_MODE_UNKNOWN;
	DECIDE(f, unknown_mode);
	x->mode = (enum orgrbac_ext_mode)42;
	DECIDE(f, odd_mode);
	x->mode = ORGRBAC_MODE_CONTINUOUS;
	x->kind = ORGRBAC_EXT_KIND_UNKNOWN;
	DECIDE(f, unknown_kind);
	x->kind = (enum orgrbac_ext_kind)7;
	DECIDE(f, odd_kind);
	x->kind = ORGRBAC_EXT_VENDOR;
	DECIDE(f, vendor);
	orgrbac_facts_free(f);
}

static void test_full_access(void **state)
{
	struct orgrbac_facts *f = facts_new("hooli-support", "acme");
	struct orgrbac_external *x =
	    set_external(f, "Hooli", ORGRBAC_EXT_VENDOR, ORGRBAC_MODE_CONTINUOUS);
	const struct row managed[] = {
	    {"host:sudo && iam:invitation:create", NOW, .want = {IS(ORGRBAC_DENY)}},
	};
	const struct row full[] = {
	    {"host:sudo && iam:invitation:create", NOW,
	     .want = {IS(ORGRBAC_ALLOW), .full = YES, .matches = N(2), .grant = NO_GRANT,
		      .granted = "*", .required2 = "iam:invitation:create",
		      .part = "full access: external 'Hooli' has role management off",
		      /* holding everything is not holding the 2FA-exempt role */
		      .mfa = NO, .mfa_grant = NO_GRANT}},
	};
	const struct row granted[] = {
	    /* only a real grant of the role exempts, and its own grant is then named */
	    {"host:login && host:sudo", NOW,
	     .want = {IS(ORGRBAC_ALLOW), .mfa = YES, .mfa_grant = G(0), .grant = G(1),
		      .grant2 = NO_GRANT}},
	};

	(void)state;
	DECIDE(f, managed);
	x->role_management = false;
	DECIDE(f, full);
	add_grant(f, "hooli-2fa", "acme", add_role(f, "2FA-exempt", NULL, NULL), NULL);
	add_grant(f, "hooli-login", "acme", add_role(f, "Member", "host:login", NULL), NULL);
	DECIDE(f, granted);
	orgrbac_facts_free(f);
}

/* A principal of globex, logging in to a host of acme. */
static struct orgrbac_facts *stranger(void)
{
	return facts_new("mallory", "globex");
}

static void test_cross_org(void **state)
{
	struct orgrbac_facts *f = stranger();
	struct orgrbac_role *login = add_role(f, "Member", "host:login", NULL);
	struct orgrbac_role *cross = add_role(f, "Global Admin", "common:org:cross", NULL);
	struct orgrbac_role *mfa = add_role(f, "2FA-exempt", NULL, NULL);
	const struct orgrbac_host home = {.org = "GLOBEX"};
	const struct row home_grants[] = {
	    /* its own organization cannot send it across, not even with the literal privilege */
	    {"host:login", NOW,
	     .want = {IS(ORGRBAC_DENY),
		      .reason = "member of organization globex: cross-organization access needs "
				"a platform grant of a role holding common:org:cross",
		      .cross = NO, .mfa = NO, .mfa_grant = NO_GRANT}},
	    {"none", NOW, .names = true, .mfa_role = "2FA-exempt", .cross = NULL,
	     .want = {IS(ORGRBAC_DENY)}},
	    {"none", NOW, .names = true, .mfa_role = "2FA-exempt", .cross = "",
	     .want = {IS(ORGRBAC_DENY)}},
	};
	const struct row crossing[] = {
	    /* across, only platform-granted privileges: the home Member role gives nothing */
	    {"host:login", NOW,
	     .want = {IS(ORGRBAC_DENY), .part = "lacks privileges: host:login", .cross = YES,
		      /* and a home 2FA exemption never counts abroad */
		      .mfa = NO}},
	    {"none", NOW, .want = {IS(ORGRBAC_ALLOW), .mfa = NO}},
	};
	const struct row platform_login[] = {
	    {"host:login", NOW,
	     .want = {IS(ORGRBAC_ALLOW), .cross = YES, .grant = G(4),
		      .reason = "host:login from role 'Member' via grant 'mallory-login'"
				" (cross-organization from globex by platform grant)"}},
	};
	const struct row platform_mfa[] = {
	    /* a platform-granted exemption does not count abroad either */
	    {"host:login", NOW, .want = {.mfa = NO}},
	    /* the configured name is the one that counts and the one reported */
	    {"host:login", NOW, .names = true, .mfa_role = "2FA-exempt", .cross = "tenant:cross",
	     .want = {IS(ORGRBAC_DENY), .part = "a role holding tenant:cross"}},
	    /* the host's organization compares without regard to case: at home, home grants */
	    {"host:login", NOW, &home, .want = {IS(ORGRBAC_ALLOW), .cross = NO, .mfa = YES}},
	};

	(void)state;
	add_grant(f, "mallory-member", "globex", login, NULL);
	add_grant(f, "mallory-2fa", "globex", mfa, NULL);
	add_grant(f, "mallory-cross-home", "globex", cross, ADMINS);
	DECIDE(f, home_grants);
	add_platform_grant(f, "mallory-cross", cross, ADMINS);
	DECIDE(f, crossing);
	add_platform_grant(f, "mallory-login", login, NULL);
	DECIDE(f, platform_login);
	add_platform_grant(f, "mallory-2fa-platform", mfa, NULL);
	DECIDE(f, platform_mfa);
	orgrbac_facts_free(f);
}

static void test_cross_org_wildcard(void **state)
{
	struct orgrbac_facts *f = stranger();
	const struct row common_wildcard[] = {
	    /* a wildcard does not confer the cross privilege, even from a platform grant */
	    {"host:login", NOW,
	     .want = {IS(ORGRBAC_DENY), .cross = NO, .part = "needs a platform grant"}},
	};
	const struct row everything[] = {
	    {"host:login", NOW, .want = {IS(ORGRBAC_DENY), .cross = NO}},
	    {"none", NOW, .names = true, .mfa_role = "2FA-exempt", .cross = "",
	     .want = {IS(ORGRBAC_DENY)}},
	    {"none", NOW, .names = true, .mfa_role = "2FA-exempt", .cross = NULL,
	     .want = {IS(ORGRBAC_DENY), .cross = NO}},
	};

	(void)state;
	add_platform_grant(f, "mallory-common", add_role(f, "Common", "common:*", "host:login"),
			   NULL);
	DECIDE(f, common_wildcard);
	add_platform_grant(f, "mallory-owner", add_role(f, "Org Owner", "*", NULL), NULL);
	DECIDE(f, everything);
	orgrbac_facts_free(f);
}

static void test_cross_org_scoped_platform_grant(void **state)
{
	struct orgrbac_facts *f = stranger();
	struct orgrbac_role *cross = add_role(f, "Global Admin", "common:org:cross", "host:login");
	struct orgrbac_role *ops = add_role(f, "Operator", "host:sudo", NULL);
	struct orgrbac_grant *g = add_platform_grant(f, "mallory-cross-db", cross, NULL);
	const struct row other_service[] = {
	    {"host:login", NOW, .want = {IS(ORGRBAC_DENY), .part = "needs a platform grant"}},
	};
	const struct row this_service[] = {
	    {"host:login", NOW, .want = {IS(ORGRBAC_ALLOW), .grant = G(1)}},
	    {"host:sudo", NOW, .want = {IS(ORGRBAC_DENY)}},
	};
	const struct row sudo_denied[] = {{"host:sudo", NOW, .want = {IS(ORGRBAC_DENY)}}};
	const struct row sudo_allowed[] = {{"host:sudo", NOW, .want = {IS(ORGRBAC_ALLOW)}}};

	(void)state;
	/* a platform grant's scope is matched against this host: "db" is not one of its services */
	add_scope(g, "service:db");
	DECIDE(f, other_service);
	g = add_platform_grant(f, "mallory-cross-web", cross, NULL);
	add_scope(g, "service:web");
	g = add_platform_grant(f, "mallory-ops-db02", ops, NULL);
	add_scope(g, "resource:db02.example.com");
	DECIDE(f, this_service);
	/* a scoped home grant brings nothing across, even naming this very host */
	g = add_grant(f, "mallory-ops-web01", "globex", ops, NULL);
	add_scope(g, "resource:web01.example.com");
	DECIDE(f, sudo_denied);
	g = add_platform_grant(f, "mallory-ops-web01-platform", ops, NULL);
	add_scope(g, "resource:WEB01.example.com");
	DECIDE(f, sudo_allowed);
	orgrbac_facts_free(f);
}

static void test_cross_org_windowed_platform_grant(void **state)
{
	struct orgrbac_facts *f = stranger();
	struct orgrbac_role *cross = add_role(f, "Global Admin", "common:org:cross", "host:login");
	struct orgrbac_grant *g = add_platform_grant(f, "mallory-cross", cross, NULL);
	const struct row rows[] = {
	    {"host:login", NOW, .want = {IS(ORGRBAC_ALLOW), .cross = YES}},
	    {"host:login", NOV_30,
	     .want = {IS(ORGRBAC_DENY), .cross = NO, .part = "needs a platform grant"}},
	    {"host:login", NOV_01 - 1, .want = {IS(ORGRBAC_DENY)}},
	};
	const struct row no_role[] = {{"host:login", NOW, .want = {IS(ORGRBAC_DENY)}}};

	(void)state;
	set_window(&g->window, NOV_01, NOV_30);
	DECIDE(f, rows);
	/* a role out of reach carries nothing either */
	g->role = NULL;
	DECIDE(f, no_role);
	orgrbac_facts_free(f);
}

static void test_cross_org_full_access_stays_home(void **state)
{
	struct orgrbac_facts *f = stranger();
	struct orgrbac_external *x =
	    set_external(f, "Hooli", ORGRBAC_EXT_VENDOR, ORGRBAC_MODE_CONTINUOUS);
	const struct row no_platform_grant[] = {
	    {"host:login", NOW,
	     .want = {IS(ORGRBAC_DENY), .part = "needs a platform grant", .full = NO}},
	};
	const struct row platform_grant[] = {
	    {"host:login", NOW, .want = {IS(ORGRBAC_ALLOW), .cross = YES}},
	    /* across, the user has its granted roles, not everything */
	    {"host:sudo", NOW, .want = {IS(ORGRBAC_DENY), .full = NO}},
	};
	const struct row disabled[] = {
	    /* an expired external entry is refused before any crossing */
	    {"host:login", NOW, .want = {IS(ORGRBAC_EXPIRED), .cross = NO}},
	};

	(void)state;
	x->role_management = false;
	DECIDE(f, no_platform_grant);
	add_platform_grant(f, "hooli-cross",
			   add_role(f, "Global Admin", "common:org:cross", "host:login"), NULL);
	DECIDE(f, platform_grant);
	x->mode = ORGRBAC_MODE_DISABLED;
	DECIDE(f, disabled);
	orgrbac_facts_free(f);
}

/* A role of its own organization named like the exemption, with every privilege. */
static void test_tenant_role_stays_home(void **state)
{
	struct orgrbac_facts *f = stranger();
	struct orgrbac_role *all = add_role(f, "2FA-exempt", "*", NULL);
	const struct orgrbac_host globex = {.org = "globex"};
	const struct row rows[] = {
	    {"host:sudo", NOW, .want = {IS(ORGRBAC_DENY), .mfa = NO}},
	    {"none", NOW, .want = {IS(ORGRBAC_DENY)}},
	    /* at home it is that organization's own business */
	    {"host:sudo", NOW, &globex, .want = {IS(ORGRBAC_ALLOW), .mfa = YES}},
	};

	(void)state;
	free(all->dn);
	all->dn = xdup("cn=2FA-exempt,ou=roles,o=globex,dc=example,dc=com");
	add_grant(f, "mallory-everything", "globex", all, NULL);
	DECIDE(f, rows);
	orgrbac_facts_free(f);
}

/* Unreadable data narrows: a void grant gives nothing, and the reason names it. */
static void test_void_grant(void **state)
{
	struct orgrbac_facts *f = member();
	struct orgrbac_role *sudo = add_role(f, "Ops", "host:sudo", NULL);
	struct orgrbac_grant *g = add_grant(f, "alice-ops", "acme", sudo, NULL);
	const struct row allowed[] = {{"host:sudo", NOW, .want = {IS(ORGRBAC_ALLOW)}}};
	const struct row unreadable[] = {
	    {"host:sudo", NOW,
	     .want = {IS(ORGRBAC_DENY),
		      .part = "grant 'alice-ops' is void: orgScope;lang-en has options"}},
	};
	const struct row unknown_scope[] = {
	    {"host:sudo", NOW,
	     .want = {IS(ORGRBAC_DENY), .part = "is void: an orgScope value is not service:NAME"}},
	};
	const struct row malformed[] = {
	    {"host:sudo", NOW, .want = {IS(ORGRBAC_DENY), .part = "is void"}},
	};

	(void)state;
	DECIDE(f, allowed);
	snprintf(g->unreadable, sizeof(g->unreadable), "orgScope;lang-en has options");
	assert_false(orgrbac_grant_covers(g, &host));
	assert_false(orgrbac_grant_effective(g, &host, NOW));
	DECIDE(f, unreadable);
	/* a scope of an unknown kind voids the whole grant, even beside one that covers */
	g->unreadable[0] = '\0';
	add_scope(g, "service:web");
	add_scope(g, "host:web01");
	DECIDE(f, unknown_scope);
	/* a malformed window, as a void grant, never an open one */
	free(g->scopes[1]);
	g->scopes[1] = NULL;
	g->n_scopes = 1;
	DECIDE(f, allowed);
	g->window.malformed = true;
	DECIDE(f, malformed);
	orgrbac_facts_free(f);
}
static void test_scope_valid(void **state)
{
	static const struct {
		const char *scope;
		bool valid;
	} cases[] = {
	    {"service:web", true},    {"resource:db01.example.com", true},
	    {"service:", false},      {"resource:", false},
	    {"Service:web", false},   {"scope:web", false},
	    {"web", false},	      {"", false},
	    {"service:we b", false},  {"service:web\n", false},
	    {"resource:\x7f", false}, {"service:payments-eu", true},
	};

	(void)state;
	assert_false(orgrbac_scope_valid(NULL));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (orgrbac_scope_valid(cases[i].scope) != cases[i].valid)
			fail_msg("scope '%s': expected %s", cases[i].scope,
				 cases[i].valid ? "valid" : "invalid");
}

/* Nested external entries: every one above must be open; full access needs all of them off. */
static void test_nested_external(void **state)
{
	struct orgrbac_facts *f = member();
	struct orgrbac_external *x = calloc(2, sizeof(*x));
	const struct row outer_disabled[] = {
	    {"host:sudo", NOW,
	     .want = {IS(ORGRBAC_EXPIRED), .reason = "access for vendor Hooli is disabled",
		      .full = NO}},
	};
	const struct row outer_managed[] = {
	    {"host:sudo", NOW, .want = {IS(ORGRBAC_DENY), .full = NO}},
	};
	const struct row both_off[] = {
	    {"host:sudo", NOW, .want = {IS(ORGRBAC_ALLOW), .full = YES}},
	};
	const struct row outer_over[] = {
	    {"host:login", DEC_01, .want = {IS(ORGRBAC_EXPIRED), .part = "ended on"}},
	};
	const struct row inner_unreadable[] = {
	    {"host:login", NOW,
	     .want = {IS(ORGRBAC_EXPIRED),
		      .reason = "external access 'team' is closed: orgAccessMode;lang-en has "
				"options"}},
	};

	(void)state;
	assert_non_null(x);
	f->external = x;
	f->n_external = 2;
	/* nearest first: a continuous entry with role management off, beneath a disabled one */
	x[0] = (struct orgrbac_external){.dn = xdup("cn=team,cn=Hooli,ou=external,o=acme"),
					 .name = xdup("team"),
					 .kind = ORGRBAC_EXT_VENDOR,
					 .mode = ORGRBAC_MODE_CONTINUOUS,
					 .role_management = false};
	x[1] = (struct orgrbac_external){.dn = xdup("cn=Hooli,ou=external,o=acme"),
					 .name = xdup("Hooli"),
					 .kind = ORGRBAC_EXT_VENDOR,
					 .mode = ORGRBAC_MODE_DISABLED,
					 .role_management = true};
	DECIDE(f, outer_disabled);
	/* the outer one open, with role management on: no full access */
	x[1].mode = ORGRBAC_MODE_CONTINUOUS;
	DECIDE(f, outer_managed);
	/* off on both: full access */
	x[1].role_management = false;
	DECIDE(f, both_off);
	/* an outer window that is over closes the inner continuous entry */
	x[1].mode = ORGRBAC_MODE_WINDOW;
	set_window(&x[1].window, NOV_01, NOV_30);
	DECIDE(f, outer_over);
	/* an entry that cannot be read is closed, whatever its mode says */
	x[1].mode = ORGRBAC_MODE_CONTINUOUS;
	snprintf(x[0].unreadable, sizeof(x[0].unreadable), "orgAccessMode;lang-en has options");
	DECIDE(f, inner_unreadable);
	orgrbac_facts_free(f);
}

static void test_third_org_ignored(void **state)
{
	struct orgrbac_facts *f = facts_new("judy", "acme");
	struct orgrbac_role *all = add_role(f, "Org Owner", "*", NULL);
	struct orgrbac_host upper = host;
	const struct row third_org[] = {
	    {"host:login", NOW, .want = {IS(ORGRBAC_DENY), .mfa = NO}},
	};
	const struct row own_org[] = {
	    /* organizations are o= values: case does not matter */
	    {"host:login", NOW, &upper, .want = {IS(ORGRBAC_ALLOW), .cross = NO, .grant = G(2)}},
	    {"host:sudo", NOW, .want = {IS(ORGRBAC_DENY)}},
	};
	const struct row stranger_of_acme[] = {
	    /* grants of the host's organization do not let a stranger in */
	    {"host:login", NOW,
	     .want = {IS(ORGRBAC_DENY), .part = "member of organization globex"}},
	};

	(void)state;
	upper.org = "Acme";
	add_grant(f, "judy-initech", "initech", all, NULL);
	add_grant(f, "judy-2fa-initech", "initech", add_role(f, "2FA-exempt", NULL, NULL), NULL);
	DECIDE(f, third_org);
	add_grant(f, "judy-acme", "ACME", add_role(f, "Member", "host:login", NULL), NULL);
	DECIDE(f, own_org);
	free(f->org);
	f->org = xdup("globex");
	DECIDE(f, stranger_of_acme);
	orgrbac_facts_free(f);
}

static void test_mfa_exempt(void **state)
{
	struct orgrbac_facts *f = member();
	struct orgrbac_role *mfa = add_role(f, "2fa-EXEMPT", NULL, NULL);
	struct orgrbac_grant *g = add_grant(f, "alice-2fa-db", "acme", mfa, NULL);
	const struct row other_service[] = {
	    {"host:login", NOW, .want = {IS(ORGRBAC_ALLOW), .mfa = NO}},
	};
	const struct row windowed[] = {
	    {"host:login", NOV_30, .want = {.mfa = NO, .mfa_grant = NO_GRANT}},
	    {"host:login", NOW, .want = {.mfa = YES, .mfa_grant = G(2)}},
	    /* computed even when the login itself is refused */
	    {"host:sudo", NOW, .want = {IS(ORGRBAC_DENY), .mfa = YES}},
	    {NULL, NOW, .want = {IS(ORGRBAC_DENY), .mfa = YES}},
	    /* the configured role name is the only one */
	    {"host:login", NOW, .names = true, .mfa_role = "Break-Glass",
	     .cross = "common:org:cross", .want = {.mfa = NO}},
	    {"host:login", NOW, .names = true, .mfa_role = NULL, .cross = "common:org:cross",
	     .want = {.mfa = NO}},
	    {"host:login", NOW, .names = true, .mfa_role = "", .cross = "common:org:cross",
	     .want = {.mfa = NO}},
	};
	const struct row disabled[] = {
	    {"host:login", NOW, .want = {IS(ORGRBAC_EXPIRED), .mfa = NO, .mfa_grant = NO_GRANT}},
	};

	(void)state;
	add_scope(g, "service:db");
	DECIDE(f, other_service);
	g = add_grant(f, "alice-2fa", "acme", mfa, NULL);
	set_window(&g->window, NOV_01, NOV_30);
	DECIDE(f, windowed);
	set_external(f, "Initech", ORGRBAC_EXT_PARTNER, ORGRBAC_MODE_DISABLED);
	DECIDE(f, disabled);
	orgrbac_facts_free(f);
}

static void test_no_requirement(void **state)
{
	struct orgrbac_facts *f = facts_new("kim", "acme");
	const struct row rows[] = {
	    {NULL, NOW,
	     .want = {IS(ORGRBAC_DENY), .reason = "no requirement configured", .matches = N(0)}},
	};

	(void)state;
	add_grant(f, "kim-owner", "acme", add_role(f, "Org Owner", "*", NULL), NULL);
	DECIDE(f, rows);
	orgrbac_facts_free(f);
}

static void test_missing_configuration(void **state)
{
	struct orgrbac_facts *f = member();
	struct orgrbac_policy p = {.require = NULL};
	struct orgrbac_host noorg = host, emptyorg = host;
	const struct row host_without_org[] = {
	    {"none", NOW, &noorg,
	     .want = {IS(ORGRBAC_DENY), .reason = "the host has no organization configured"}},
	    {"none", NOW, &emptyorg, .want = {IS(ORGRBAC_DENY)}},
	};
	const struct row principal_without_org[] = {{"none", NOW, .want = {IS(ORGRBAC_DENY)}}};
	struct orgrbac_decision d;

	(void)state;
	orgrbac_decide(f, NULL, &p, NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_true(strlen(d.reason) > 0);
	orgrbac_decide(f, &host, NULL, NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_true(strlen(d.reason) > 0);
	orgrbac_decide(f, &host, &p, NOW, NULL); /* nowhere to answer: nothing happens */

	noorg.org = NULL;
	emptyorg.org = "";
	DECIDE(f, host_without_org);
	free(f->org);
	f->org = NULL;
	DECIDE(f, principal_without_org);
	orgrbac_facts_free(f);
}

static void test_counts_without_arrays(void **state)
{
	struct orgrbac_facts *f = calloc(1, sizeof(*f));
	char *holes[3] = {NULL, "host:login", NULL};
	struct orgrbac_role r = {.name = "Member", .n_privileges = 3};
	struct orgrbac_grant g = {.name = "g", .org = "acme", .role = &r};
	struct orgrbac_facts shaky = {.org = "acme", .grants = &g, .n_grants = 1};
	struct orgrbac_host h = {.org = "acme", .n_services = 5};
	const struct row counted[] = {
	    {"host:login", NOW, .want = {IS(ORGRBAC_DENY)}},
	    {"none", NOW, .want = {IS(ORGRBAC_ALLOW)}},
	};
	/* "Member" is the 2FA-exempt role here */
	const struct row no_privileges[] = {
	    {"host:login", NOW, &h, .names = true, .mfa_role = "Member",
	     .cross = "common:org:cross",
	     /* the role is granted, whatever it holds */
	     .want = {IS(ORGRBAC_DENY), .mfa = YES}},
	};
	const struct row holes_skipped[] = {
	    {"host:login", NOW, &h, .names = true, .mfa_role = "Member",
	     .cross = "common:org:cross", .want = {IS(ORGRBAC_ALLOW), .granted = "host:login"}},
	};
	const struct row no_scopes[] = {
	    {"host:login", NOW, &h, .names = true, .mfa_role = "Member",
	     .cross = "common:org:cross", .want = {IS(ORGRBAC_DENY), .mfa = NO}},
	};
	const struct row unnamed_empty[] = {
	    {"host:login", NOW, &h, .names = true, .mfa_role = "", .cross = "common:org:cross",
	     .want = {.mfa = NO}},
	};
	const struct row unnamed_null[] = {
	    {"host:login", NOW, &h, .names = true, .mfa_role = NULL, .cross = "common:org:cross",
	     .want = {.mfa = NO}},
	};

	(void)state;
	assert_non_null(f);
	f->org = xdup("acme");
	f->n_groups = 4;
	f->n_roles = 4;
	f->n_grants = 7;
	DECIDE(f, counted);
	orgrbac_facts_free(f);
	orgrbac_facts_free(NULL);

	DECIDE(&shaky, no_privileges);
	/* a hole in a counted privilege list is skipped */
	r.privileges = holes;
	DECIDE(&shaky, holes_skipped);
	g.n_scopes = 2;
	DECIDE(&shaky, no_scopes);
	/* a role without a name is not the 2FA-exempt role, even when none is configured */
	g.n_scopes = 0;
	r.name = "";
	DECIDE(&shaky, unnamed_empty);
	r.name = NULL;
	DECIDE(&shaky, unnamed_null);
}

static void test_reason_is_bounded_and_one_line(void **state)
{
	struct orgrbac_facts *f = facts_new("lee", "acme");
	struct orgrbac_role *r;
	char name[1200], req[600];
	struct orgrbac_decision d;

	(void)state;
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	name[3] = '\n';
	name[5] = '\r';
	r = add_role(f, name, "host:login", "host:sudo");
	add_grant(f, name, "acme", r, NULL);
	judge(f, "host:login && host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_int_equal(strlen(d.reason), sizeof(d.reason) - 1);
	assert_null(strchr(d.reason, '\r'));
	assert_contains(d.reason, "role 'xxx?x?xx");

	/* a long requirement is cut, not overrun */
	snprintf(req, sizeof(req), "%s", "a");
	for (int i = 0; i < 60; i++)
		strncat(req, " || abcdefgh", sizeof(req) - strlen(req) - 1);
	judge(f, req, NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_true(strncmp(d.reason, "lacks privileges: a || abcdefgh", 31) == 0);
	assert_int_equal(strlen(d.reason), sizeof(d.reason) - 1);
	orgrbac_facts_free(f);
}

static void test_names(void **state)
{
	static const struct {
		int which; /* 0: verdict, 1: kind, 2: mode */
		int value;
		const char *name;
	} cases[] = {
	    {0, ORGRBAC_ALLOW, "allow"},
	    {0, ORGRBAC_DENY, "deny"},
	    {0, ORGRBAC_EXPIRED, "expired"},
	    {0, ORGRBAC_UNKNOWN, "unknown"},
	    {0, 9, "invalid"},
	    {1, ORGRBAC_EXT_VENDOR, "vendor"},
	    {1, ORGRBAC_EXT_PARTNER, "partner"},
	    {1, ORGRBAC_EXT_KIND_UNKNOWN, "unknown"},
	    {1, 9, "unknown"},
	    {2, ORGRBAC_MODE_CONTINUOUS, "continuous"},
	    {2, ORGRBAC_MODE_WINDOW, "window"},
	    {2, ORGRBAC_MODE_DISABLED, "disabled"},
	    {2, ORGRBAC_MODE_UNKNOWN, "unknown"},
	    {2, 9, "unknown"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *name =
		    cases[i].which == 0 ? orgrbac_verdict_name((enum orgrbac_verdict)cases[i].value)
		    : cases[i].which == 1
			? orgrbac_ext_kind_name((enum orgrbac_ext_kind)cases[i].value)
			: orgrbac_ext_mode_name((enum orgrbac_ext_mode)cases[i].value);

		table_checks++;
		if (strcmp(name, cases[i].name) != 0)
			fail_msg("case %zu: '%s', expected '%s'", i, name, cases[i].name);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_unknown_principal, free_expr),
	    cmocka_unit_test_teardown(test_org_wide_grant_allows, free_expr),
	    cmocka_unit_test_teardown(test_service_scope, free_expr),
	    cmocka_unit_test_teardown(test_resource_scope, free_expr),
	    cmocka_unit_test_teardown(test_grant_covers, free_expr),
	    cmocka_unit_test_teardown(test_window_contains, free_expr),
	    cmocka_unit_test_teardown(test_grant_window, free_expr),
	    cmocka_unit_test_teardown(test_missing_role, free_expr),
	    cmocka_unit_test_teardown(test_grant_via_group, free_expr),
	    cmocka_unit_test_teardown(test_union_of_roles, free_expr),
	    cmocka_unit_test_teardown(test_first_grant_wins, free_expr),
	    cmocka_unit_test_teardown(test_or_operators, free_expr),
	    cmocka_unit_test_teardown(test_none, free_expr),
	    cmocka_unit_test_teardown(test_wildcard_privileges, free_expr),
	    cmocka_unit_test_teardown(test_external_vendor_continuous, free_expr),
	    cmocka_unit_test_teardown(test_external_partner_window, free_expr),
	    cmocka_unit_test_teardown(test_external_window_incomplete, free_expr),
	    cmocka_unit_test_teardown(test_external_disabled_and_unknown, free_expr),
	    cmocka_unit_test_teardown(test_full_access, free_expr),
	    cmocka_unit_test_teardown(test_cross_org, free_expr),
	    cmocka_unit_test_teardown(test_cross_org_wildcard, free_expr),
	    cmocka_unit_test_teardown(test_cross_org_scoped_platform_grant, free_expr),
	    cmocka_unit_test_teardown(test_cross_org_windowed_platform_grant, free_expr),
	    cmocka_unit_test_teardown(test_cross_org_full_access_stays_home, free_expr),
	    cmocka_unit_test_teardown(test_tenant_role_stays_home, free_expr),
	    cmocka_unit_test_teardown(test_void_grant, free_expr),
	    cmocka_unit_test(test_scope_valid),
	    cmocka_unit_test_teardown(test_nested_external, free_expr),
	    cmocka_unit_test_teardown(test_third_org_ignored, free_expr),
	    cmocka_unit_test_teardown(test_mfa_exempt, free_expr),
	    cmocka_unit_test_teardown(test_no_requirement, free_expr),
	    cmocka_unit_test_teardown(test_missing_configuration, free_expr),
	    cmocka_unit_test_teardown(test_counts_without_arrays, free_expr),
	    cmocka_unit_test_teardown(test_reason_is_bounded_and_one_line, free_expr),
	    cmocka_unit_test_teardown(test_names, free_expr),
	};

	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	printf("policy: %lu checks in tables\n", table_checks);
	return rc;
}
