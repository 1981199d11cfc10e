/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the policy engine: every rule of the model, with the clock injected. */
#include <setjmp.h>
#include <stdarg.h>
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

static void test_unknown_principal(void **state)
{
	struct orgrbac_decision d;

	(void)state;
	judge(NULL, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_UNKNOWN);
	assert_string_equal(d.reason, "not in the directory");
	assert_false(d.mfa_exempt);
	assert_int_equal(d.n_matches, 0);
	judge(NULL, "none", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_UNKNOWN);
}

static void test_org_wide_grant_allows(void **state)
{
	struct orgrbac_facts *f = member();
	struct orgrbac_decision d;

	(void)state;
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_string_equal(d.reason, "host:login from role 'Member' via grant 'alice-member'");
	assert_int_equal(d.n_matches, 1);
	assert_string_equal(d.matches[0].required, "host:login");
	assert_string_equal(d.matches[0].granted, "host:login");
	assert_ptr_equal(d.matches[0].grant, &f->grants[0]);
	assert_false(d.cross_org);
	assert_false(d.full_access);
	assert_false(d.mfa_exempt);
	assert_null(d.mfa_grant);

	judge(f, "host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_string_equal(d.reason, "lacks privileges: host:sudo");
	assert_int_equal(d.n_matches, 0);
	orgrbac_facts_free(f);
}

static void test_service_scope(void **state)
{
	struct orgrbac_facts *f = facts_new("bob", "acme");
	struct orgrbac_role *r = add_role(f, "Service Runner", "host:login", NULL);
	struct orgrbac_grant *g = add_grant(f, "bob-db", "acme", r, NULL);
	struct orgrbac_decision d;

	(void)state;
	add_scope(g, "service:db");
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	/* service names are case-exact */
	g = add_grant(f, "bob-Web", "acme", r, NULL);
	add_scope(g, "service:Web");
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	g = add_grant(f, "bob-web", "acme", r, NULL);
	add_scope(g, "service:db");
	add_scope(g, "service:web");
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_ptr_equal(d.matches[0].grant, g);
	assert_contains(d.reason, "via grant 'bob-web'");
	orgrbac_facts_free(f);
}

static void test_resource_scope(void **state)
{
	struct orgrbac_facts *f = facts_new("carol", "acme");
	struct orgrbac_role *r = add_role(f, "Resource User", "host:login", NULL);
	struct orgrbac_grant *g = add_grant(f, "carol-web02", "acme", r, NULL);
	struct orgrbac_host nores = host;
	struct orgrbac_decision d;

	(void)state;
	add_scope(g, "resource:web02.example.com");
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	/* an unknown scope form covers nothing, even if its name is this host's */
	g = add_grant(f, "carol-odd", "acme", r, NULL);
	add_scope(g, "host:web01.example.com");
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	/* host names compare without regard to case */
	g = add_grant(f, "carol-web01", "acme", r, NULL);
	add_scope(g, "resource:WEB01.Example.COM");
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_ptr_equal(d.matches[0].grant, g);
	nores.resource = NULL;
	judge_as(f, &nores, "host:login", "2FA-exempt", "common:org:cross", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	orgrbac_facts_free(f);
}

static void test_grant_covers(void **state)
{
	char *scopes[2] = {NULL, NULL};
	struct orgrbac_grant g = {.scopes = scopes};
	struct orgrbac_host h = host;

	(void)state;
	assert_true(orgrbac_grant_covers(&g, &host));
	assert_false(orgrbac_grant_covers(NULL, &host));
	assert_false(orgrbac_grant_covers(&g, NULL));
	g.n_scopes = 1;
	scopes[0] = "service:payments";
	assert_true(orgrbac_grant_covers(&g, &host));
	scopes[0] = "service:";
	assert_false(orgrbac_grant_covers(&g, &host));
	scopes[0] = "resource:";
	assert_false(orgrbac_grant_covers(&g, &host));
	scopes[0] = "Service:payments";
	assert_false(orgrbac_grant_covers(&g, &host));
	scopes[0] = "service:payments";
	h.services = NULL; /* a count without an array is no service at all */
	assert_false(orgrbac_grant_covers(&g, &h));
	/* a scope entry missing from a counted list voids the grant, even beside one that covers */
	g.n_scopes = 2;
	scopes[0] = NULL;
	scopes[1] = "resource:web01.example.com";
	assert_false(orgrbac_grant_covers(&g, &host));
	scopes[0] = "service:payments";
	assert_true(orgrbac_grant_covers(&g, &host));
	/* a scoped grant whose scopes cannot be read is not organization-wide */
	g.scopes = NULL;
	assert_false(orgrbac_grant_covers(&g, &host));
}

static void test_window_contains(void **state)
{
	struct orgrbac_window w = {0};

	(void)state;
	assert_true(orgrbac_window_contains(&w, NOW));
	assert_false(orgrbac_window_contains(NULL, NOW));
	w.has_not_before = true;
	w.not_before = NOW;
	assert_false(orgrbac_window_contains(&w, NOW - 1));
	assert_true(orgrbac_window_contains(&w, NOW));
	assert_true(orgrbac_window_contains(&w, INT64_MAX));
	w.has_not_before = false;
	w.has_not_after = true;
	w.not_after = NOW;
	assert_true(orgrbac_window_contains(&w, INT64_MIN));
	assert_true(orgrbac_window_contains(&w, NOW - 1));
	assert_false(orgrbac_window_contains(&w, NOW));
	/* bounds the wrong way round contain nothing */
	set_window(&w, NOW + 10, NOW - 10);
	assert_false(orgrbac_window_contains(&w, NOW));
	assert_false(orgrbac_window_contains(&w, NOW + 10));
	assert_false(orgrbac_window_contains(&w, NOW - 11));
	set_window(&w, NOW - 10, NOW + 10);
	assert_true(orgrbac_window_contains(&w, NOW));
	w.malformed = true;
	assert_false(orgrbac_window_contains(&w, NOW));
	w.has_not_before = w.has_not_after = false;
	assert_false(orgrbac_window_contains(&w, NOW));
}

static void test_grant_window(void **state)
{
	struct orgrbac_facts *f = member();
	struct orgrbac_grant *g = &f->grants[0];
	struct orgrbac_decision d;

	(void)state;
	set_window(&g->window, NOV_01, NOV_30);
	judge(f, "host:login", NOV_01 - 1, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	judge(f, "host:login", NOV_01, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	judge(f, "host:login", NOV_30 - 1, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	judge(f, "host:login", NOV_30, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_string_equal(d.reason, "lacks privileges: host:login");
	judge(f, "host:login", DEC_01, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);

	/* a bound that did not parse closes the grant whatever the other says */
	g->window.malformed = true;
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	g->window.has_not_before = false;
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_false(orgrbac_grant_effective(g, &host, NOW));
	g->window = (struct orgrbac_window){.has_not_after = true, .not_after = NOV_30};
	assert_true(orgrbac_grant_effective(g, &host, NOW));
	orgrbac_facts_free(f);
}

static void test_missing_role(void **state)
{
	struct orgrbac_facts *f = facts_new("dave", "acme");
	struct orgrbac_decision d;

	(void)state;
	add_grant(f, "dave-gone", "acme", NULL, NULL);
	add_grant(f, "dave-2fa-gone", "acme", NULL, NULL);
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_false(d.mfa_exempt);
	assert_false(orgrbac_grant_effective(&f->grants[0], &host, NOW));
	assert_false(orgrbac_grant_effective(NULL, &host, NOW));
	orgrbac_facts_free(f);
}

static void test_grant_via_group(void **state)
{
	struct orgrbac_facts *f = facts_new("erin", "acme");
	struct orgrbac_role *r = add_role(f, "Org Admin", "host:login", "host:sudo");
	struct orgrbac_decision d;
	char upper[256];

	(void)state;
	add_grant(f, "admins-admin", "acme", r, ADMINS);
	judge(f, "host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_string_equal(d.reason, "host:sudo from role 'Org Admin' via grant 'admins-admin'"
				      " through group " ADMINS);
	assert_string_equal(d.matches[0].granted, "host:sudo");

	/* the user's own DN, spelt in another case, is not a group */
	free(f->grants[0].via);
	snprintf(upper, sizeof(upper), "UID=erin,%s", "OU=People,O=ACME,DC=example,DC=com");
	f->grants[0].via = xdup(upper);
	judge(f, "host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_null(strstr(d.reason, "through group"));
	orgrbac_facts_free(f);
}

static void test_union_of_roles(void **state)
{
	struct orgrbac_facts *f = facts_new("frank", "acme");
	struct orgrbac_role *login = add_role(f, "Member", "host:login", "API_READ");
	struct orgrbac_role *sudo = add_role(f, "Operator", "host:sudo", NULL);
	struct orgrbac_decision d;

	(void)state;
	add_grant(f, "frank-member", "acme", login, NULL);
	judge(f, "host:login && host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_string_equal(d.reason, "lacks privileges: host:login && host:sudo");
	assert_int_equal(d.n_matches, 0);

	add_grant(f, "ops-operator", "acme", sudo, ADMINS);
	judge(f, "host:login && host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_int_equal(d.n_matches, 2);
	assert_string_equal(d.matches[0].required, "host:login");
	assert_ptr_equal(d.matches[0].grant, &f->grants[0]);
	assert_string_equal(d.matches[1].required, "host:sudo");
	assert_ptr_equal(d.matches[1].grant, &f->grants[1]);
	assert_string_equal(d.reason, "host:login from role 'Member' via grant 'frank-member', "
				      "host:sudo from role 'Operator' via grant 'ops-operator'"
				      " through group " ADMINS);
	/* the role's second privilege counts as much as its first */
	judge(f, "API_READ && host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_string_equal(d.matches[0].granted, "API_READ");
	orgrbac_facts_free(f);
}

static void test_first_grant_wins(void **state)
{
	struct orgrbac_facts *f = facts_new("gina", "acme");
	struct orgrbac_role *wide = add_role(f, "Wide", "host:*", NULL);
	struct orgrbac_role *exact = add_role(f, "Exact", "host:login", NULL);
	struct orgrbac_grant *out_of_window;
	struct orgrbac_decision d;

	(void)state;
	out_of_window = add_grant(f, "gina-old", "acme", exact, NULL);
	set_window(&out_of_window->window, NOV_01 - 100, NOV_01);
	add_grant(f, "gina-wide", "acme", wide, NULL);
	add_grant(f, "gina-exact", "acme", exact, NULL);
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_ptr_equal(d.matches[0].grant, &f->grants[1]);
	assert_string_equal(d.matches[0].granted, "host:*");
	assert_string_equal(d.reason, "host:login from role 'Wide' (host:*) via grant 'gina-wide'");
	orgrbac_facts_free(f);
}

static void test_or_operators(void **state)
{
	struct orgrbac_facts *f = member();
	struct orgrbac_decision d;

	(void)state;
	judge(f, "host:sudo + host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_int_equal(d.n_matches, 1);
	assert_string_equal(d.matches[0].required, "host:login");
	judge(f, "host:sudo || host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_int_equal(d.n_matches, 1);
	assert_string_equal(d.matches[0].required, "host:login");
	judge(f, "host:sudo || common:org:own", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_string_equal(d.reason, "lacks privileges: host:sudo || common:org:own");
	/* && binds tighter than || */
	judge(f, "host:sudo && host:login || host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	judge(f, "host:sudo && (host:login || host:login)", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	orgrbac_facts_free(f);
}

static void test_none(void **state)
{
	struct orgrbac_facts *f = facts_new("hank", "acme");
	struct orgrbac_external *x;
	struct orgrbac_decision d;

	(void)state;
	judge(f, "none", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_string_equal(d.reason, "no privilege required");
	assert_int_equal(d.n_matches, 0);
	/* "none" does not excuse an external user from its window */
	x = set_external(f, "Initech", ORGRBAC_EXT_PARTNER, ORGRBAC_MODE_WINDOW);
	set_window(&x->window, DEC_01, DEC_01 + 86400);
	judge(f, "none", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_EXPIRED);
	judge(f, "none", DEC_01, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	/* nor a stranger from needing to cross */
	judge_as(f, &(struct orgrbac_host){.org = "globex"}, "none", "2FA-exempt",
		 "common:org:cross", DEC_01, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	orgrbac_facts_free(f);
}

static void test_wildcard_privileges(void **state)
{
	struct orgrbac_facts *f = facts_new("ivan", "acme");
	struct orgrbac_role *hosts = add_role(f, "Host Admin", "host:*", NULL);
	struct orgrbac_role *owner = add_role(f, "Org Owner", "*", NULL);
	struct orgrbac_decision d;

	(void)state;
	add_grant(f, "ivan-hosts", "acme", hosts, NULL);
	judge(f, "host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_string_equal(d.matches[0].granted, "host:*");
	judge(f, "iam:invitation:create", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);

	add_grant(f, "ivan-owner", "acme", owner, NULL);
	judge(f, "iam:invitation:create", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_string_equal(d.matches[0].granted, "*");
	assert_ptr_equal(d.matches[0].grant, &f->grants[1]);
	assert_contains(d.reason, "from role 'Org Owner' (*) via grant 'ivan-owner'");
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
	struct orgrbac_decision d;

	(void)state;
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_false(d.full_access);
	/* a window left on a continuous entry is not in force, even a broken one */
	set_window(&x->window, NOV_01, NOV_01 + 1);
	x->window.malformed = true;
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	/* role management on: only granted roles count */
	judge(f, "host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	orgrbac_facts_free(f);
}

static void test_external_partner_window(void **state)
{
	struct orgrbac_facts *f = partner(ORGRBAC_MODE_WINDOW);
	struct orgrbac_decision d;

	(void)state;
	add_grant(f, "initech-2fa", "acme", add_role(f, "2FA-exempt", NULL, NULL), NULL);
	set_window(&f->external->window, DEC_01, DEC_01 + 30 * 86400);
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_EXPIRED);
	assert_string_equal(d.reason, "access for partner Initech begins on 2026-12-01T00:00:00Z");
	assert_false(d.mfa_exempt);
	assert_null(d.mfa_grant);
	assert_int_equal(d.n_matches, 0);
	judge(f, "host:login", DEC_01 - 1, &d);
	assert_int_equal(d.verdict, ORGRBAC_EXPIRED);
	judge(f, "host:login", DEC_01, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_true(d.mfa_exempt);

	set_window(&f->external->window, NOV_01, NOV_30);
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	judge(f, "host:login", NOV_30, &d);
	assert_int_equal(d.verdict, ORGRBAC_EXPIRED);
	assert_string_equal(d.reason, "access for partner Initech ended on 2026-11-30T00:00:00Z");
	assert_false(d.mfa_exempt);
	judge(f, "none", DEC_01, &d);
	assert_int_equal(d.verdict, ORGRBAC_EXPIRED);
	orgrbac_facts_free(f);
}

static void test_external_window_incomplete(void **state)
{
	struct orgrbac_facts *f = partner(ORGRBAC_MODE_WINDOW);
	struct orgrbac_window *w = &f->external->window;
	struct orgrbac_decision d;

	(void)state;
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_EXPIRED);
	assert_string_equal(d.reason,
			    "access window of partner Initech is malformed or incomplete");
	w->has_not_before = true;
	w->not_before = NOV_01;
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_EXPIRED);
	*w = (struct orgrbac_window){.has_not_after = true, .not_after = NOV_30};
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_EXPIRED);
	set_window(w, NOV_01, NOV_30);
	w->malformed = true;
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_EXPIRED);
	assert_contains(d.reason, "malformed or incomplete");
	w->malformed = false;
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	orgrbac_facts_free(f);
}

static void test_external_disabled_and_unknown(void **state)
{
	struct orgrbac_facts *f = member();
	struct orgrbac_external *x =
	    set_external(f, "Hooli", ORGRBAC_EXT_VENDOR, ORGRBAC_MODE_DISABLED);
	struct orgrbac_decision d;

	(void)state;
	set_window(&x->window, NOV_01, NOV_30); /* a window does not revive it */
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_EXPIRED);
	assert_string_equal(d.reason, "access for vendor Hooli is disabled");
	x->role_management = false; /* nor does full access */
	judge(f, "none", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_EXPIRED);
	assert_false(d.full_access);

	x->mode = ORGRBAC_MODE_UNKNOWN;
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_EXPIRED);
	assert_string_equal(d.reason, "external access 'Hooli' has an unknown access mode");
	x->mode = (enum orgrbac_ext_mode)42;
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_EXPIRED);

	x->mode = ORGRBAC_MODE_CONTINUOUS;
	x->kind = ORGRBAC_EXT_KIND_UNKNOWN;
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_EXPIRED);
	assert_string_equal(d.reason, "external access 'Hooli' has an unknown kind");
	x->kind = (enum orgrbac_ext_kind)7;
	judge(f, "none", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_EXPIRED);
	x->kind = ORGRBAC_EXT_VENDOR;
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	orgrbac_facts_free(f);
}

static void test_full_access(void **state)
{
	struct orgrbac_facts *f = facts_new("hooli-support", "acme");
	struct orgrbac_external *x =
	    set_external(f, "Hooli", ORGRBAC_EXT_VENDOR, ORGRBAC_MODE_CONTINUOUS);
	struct orgrbac_decision d;

	(void)state;
	judge(f, "host:sudo && iam:invitation:create", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	x->role_management = false;
	judge(f, "host:sudo && iam:invitation:create", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_true(d.full_access);
	assert_int_equal(d.n_matches, 2);
	assert_null(d.matches[0].grant);
	assert_string_equal(d.matches[0].granted, "*");
	assert_string_equal(d.matches[1].required, "iam:invitation:create");
	assert_contains(d.reason, "full access: external 'Hooli' has role management off");
	/* holding everything is not holding the 2FA-exempt role */
	assert_false(d.mfa_exempt);
	assert_null(d.mfa_grant);
	/* only a real grant of the role exempts, and its own grant is then named */
	add_grant(f, "hooli-2fa", "acme", add_role(f, "2FA-exempt", NULL, NULL), NULL);
	add_grant(f, "hooli-login", "acme", add_role(f, "Member", "host:login", NULL), NULL);
	judge(f, "host:login && host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_true(d.mfa_exempt);
	assert_ptr_equal(d.mfa_grant, &f->grants[0]);
	assert_ptr_equal(d.matches[0].grant, &f->grants[1]);
	assert_null(d.matches[1].grant);
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
	struct orgrbac_decision d;

	(void)state;
	add_grant(f, "mallory-member", "globex", login, NULL);
	add_grant(f, "mallory-2fa", "globex", mfa, NULL);
	/* its own organization cannot send it across, not even with the literal privilege */
	add_grant(f, "mallory-cross-home", "globex", cross, ADMINS);
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_string_equal(d.reason,
			    "member of organization globex: cross-organization access needs a "
			    "platform grant of a role holding common:org:cross");
	assert_false(d.cross_org);
	assert_false(d.mfa_exempt);
	assert_null(d.mfa_grant);
	judge_as(f, &host, "none", "2FA-exempt", NULL, NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	judge_as(f, &host, "none", "2FA-exempt", "", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);

	add_platform_grant(f, "mallory-cross", cross, ADMINS);
	/* across, only platform-granted privileges: the home Member role gives nothing */
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_contains(d.reason, "lacks privileges: host:login");
	assert_true(d.cross_org);
	/* and a home 2FA exemption never counts abroad */
	assert_false(d.mfa_exempt);
	judge(f, "none", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_false(d.mfa_exempt);
	add_platform_grant(f, "mallory-login", login, NULL);
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_true(d.cross_org);
	assert_ptr_equal(d.matches[0].grant, &f->grants[4]);
	assert_string_equal(d.reason, "host:login from role 'Member' via grant 'mallory-login'"
				      " (cross-organization from globex by platform grant)");
	/* a platform-granted exemption does not count abroad either */
	add_platform_grant(f, "mallory-2fa-platform", mfa, NULL);
	judge(f, "host:login", NOW, &d);
	assert_false(d.mfa_exempt);
	/* the configured name is the one that counts and the one reported */
	judge_as(f, &host, "host:login", "2FA-exempt", "tenant:cross", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_contains(d.reason, "a role holding tenant:cross");
	/* the host's organization compares without regard to case: at home, home grants */
	judge_as(f, &(struct orgrbac_host){.org = "GLOBEX"}, "host:login", "2FA-exempt",
		 "common:org:cross", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_false(d.cross_org);
	assert_true(d.mfa_exempt);
	orgrbac_facts_free(f);
}

static void test_cross_org_wildcard(void **state)
{
	struct orgrbac_facts *f = stranger();
	struct orgrbac_decision d;

	(void)state;
	/* a wildcard does not confer the cross privilege, even from a platform grant */
	add_platform_grant(f, "mallory-common", add_role(f, "Common", "common:*", "host:login"),
			   NULL);
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_false(d.cross_org);
	assert_contains(d.reason, "needs a platform grant");
	add_platform_grant(f, "mallory-owner", add_role(f, "Org Owner", "*", NULL), NULL);
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_false(d.cross_org);
	judge_as(f, &host, "none", "2FA-exempt", "", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	judge_as(f, &host, "none", "2FA-exempt", NULL, NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_false(d.cross_org);
	orgrbac_facts_free(f);
}

static void test_cross_org_scoped_platform_grant(void **state)
{
	struct orgrbac_facts *f = stranger();
	struct orgrbac_role *cross = add_role(f, "Global Admin", "common:org:cross", "host:login");
	struct orgrbac_role *ops = add_role(f, "Operator", "host:sudo", NULL);
	struct orgrbac_grant *g = add_platform_grant(f, "mallory-cross-db", cross, NULL);
	struct orgrbac_decision d;

	(void)state;
	/* a platform grant's scope is matched against this host: "db" is not one of its services */
	add_scope(g, "service:db");
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_contains(d.reason, "needs a platform grant");

	g = add_platform_grant(f, "mallory-cross-web", cross, NULL);
	add_scope(g, "service:web");
	g = add_platform_grant(f, "mallory-ops-db02", ops, NULL);
	add_scope(g, "resource:db02.example.com");
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_ptr_equal(d.matches[0].grant, &f->grants[1]);
	judge(f, "host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	/* a scoped home grant brings nothing across, even naming this very host */
	g = add_grant(f, "mallory-ops-web01", "globex", ops, NULL);
	add_scope(g, "resource:web01.example.com");
	judge(f, "host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	g = add_platform_grant(f, "mallory-ops-web01-platform", ops, NULL);
	add_scope(g, "resource:WEB01.example.com");
	judge(f, "host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	orgrbac_facts_free(f);
}

static void test_cross_org_windowed_platform_grant(void **state)
{
	struct orgrbac_facts *f = stranger();
	struct orgrbac_role *cross = add_role(f, "Global Admin", "common:org:cross", "host:login");
	struct orgrbac_grant *g = add_platform_grant(f, "mallory-cross", cross, NULL);
	struct orgrbac_decision d;

	(void)state;
	set_window(&g->window, NOV_01, NOV_30);
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_true(d.cross_org);
	judge(f, "host:login", NOV_30, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_false(d.cross_org);
	assert_contains(d.reason, "needs a platform grant");
	judge(f, "host:login", NOV_01 - 1, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	/* a role out of reach carries nothing either */
	g->role = NULL;
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	orgrbac_facts_free(f);
}

static void test_cross_org_full_access_stays_home(void **state)
{
	struct orgrbac_facts *f = stranger();
	struct orgrbac_external *x =
	    set_external(f, "Hooli", ORGRBAC_EXT_VENDOR, ORGRBAC_MODE_CONTINUOUS);
	struct orgrbac_decision d;

	(void)state;
	x->role_management = false;
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_contains(d.reason, "needs a platform grant");
	assert_false(d.full_access);

	add_platform_grant(f, "hooli-cross",
			   add_role(f, "Global Admin", "common:org:cross", "host:login"), NULL);
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_true(d.cross_org);
	/* across, the user has its granted roles, not everything */
	judge(f, "host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_false(d.full_access);
	/* an expired external entry is refused before any crossing */
	x->mode = ORGRBAC_MODE_DISABLED;
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_EXPIRED);
	assert_false(d.cross_org);
	orgrbac_facts_free(f);
}

/* A role of its own organization named like the exemption, with every privilege. */
static void test_tenant_role_stays_home(void **state)
{
	struct orgrbac_facts *f = stranger();
	struct orgrbac_role *all = add_role(f, "2FA-exempt", "*", NULL);
	struct orgrbac_decision d;

	(void)state;
	free(all->dn);
	all->dn = xdup("cn=2FA-exempt,ou=roles,o=globex,dc=example,dc=com");
	add_grant(f, "mallory-everything", "globex", all, NULL);
	judge(f, "host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_false(d.mfa_exempt);
	judge(f, "none", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	/* at home it is that organization's own business */
	judge_as(f, &(struct orgrbac_host){.org = "globex"}, "host:sudo", "2FA-exempt",
		 "common:org:cross", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_true(d.mfa_exempt);
	orgrbac_facts_free(f);
}

/* Unreadable data narrows: a void grant gives nothing, and the reason names it. */
static void test_void_grant(void **state)
{
	struct orgrbac_facts *f = member();
	struct orgrbac_role *sudo = add_role(f, "Ops", "host:sudo", NULL);
	struct orgrbac_grant *g = add_grant(f, "alice-ops", "acme", sudo, NULL);
	struct orgrbac_decision d;

	(void)state;
	judge(f, "host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	snprintf(g->unreadable, sizeof(g->unreadable), "orgScope;lang-en has options");
	assert_false(orgrbac_grant_covers(g, &host));
	assert_false(orgrbac_grant_effective(g, &host, NOW));
	judge(f, "host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_contains(d.reason, "grant 'alice-ops' is void: orgScope;lang-en has options");
	/* a scope of an unknown kind voids the whole grant, even beside one that covers */
	g->unreadable[0] = '\0';
	add_scope(g, "service:web");
	add_scope(g, "host:web01");
	judge(f, "host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_contains(d.reason, "is void: an orgScope value is not service:NAME");
	/* a malformed window, as a void grant, never an open one */
	free(g->scopes[1]);
	g->scopes[1] = NULL;
	g->n_scopes = 1;
	judge(f, "host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	g->window.malformed = true;
	judge(f, "host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_contains(d.reason, "is void");
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
	struct orgrbac_decision d;

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
	judge(f, "host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_EXPIRED);
	assert_string_equal(d.reason, "access for vendor Hooli is disabled");
	assert_false(d.full_access);
	/* the outer one open, with role management on: no full access */
	x[1].mode = ORGRBAC_MODE_CONTINUOUS;
	judge(f, "host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_false(d.full_access);
	/* off on both: full access */
	x[1].role_management = false;
	judge(f, "host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_true(d.full_access);
	/* an outer window that is over closes the inner continuous entry */
	x[1].mode = ORGRBAC_MODE_WINDOW;
	set_window(&x[1].window, NOV_01, NOV_30);
	judge(f, "host:login", DEC_01, &d);
	assert_int_equal(d.verdict, ORGRBAC_EXPIRED);
	assert_contains(d.reason, "ended on");
	/* an entry that cannot be read is closed, whatever its mode says */
	x[1].mode = ORGRBAC_MODE_CONTINUOUS;
	snprintf(x[0].unreadable, sizeof(x[0].unreadable), "orgAccessMode;lang-en has options");
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_EXPIRED);
	assert_string_equal(d.reason,
			    "external access 'team' is closed: orgAccessMode;lang-en has options");
	orgrbac_facts_free(f);
}

static void test_third_org_ignored(void **state)
{
	struct orgrbac_facts *f = facts_new("judy", "acme");
	struct orgrbac_role *all = add_role(f, "Org Owner", "*", NULL);
	struct orgrbac_host upper = host;
	struct orgrbac_decision d;

	(void)state;
	add_grant(f, "judy-initech", "initech", all, NULL);
	add_grant(f, "judy-2fa-initech", "initech", add_role(f, "2FA-exempt", NULL, NULL), NULL);
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_false(d.mfa_exempt);

	/* organizations are o= values: case does not matter */
	add_grant(f, "judy-acme", "ACME", add_role(f, "Member", "host:login", NULL), NULL);
	upper.org = "Acme";
	judge_as(f, &upper, "host:login", "2FA-exempt", "common:org:cross", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_false(d.cross_org);
	assert_ptr_equal(d.matches[0].grant, &f->grants[2]);
	judge(f, "host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);

	/* grants of the host's organization do not let a stranger in */
	free(f->org);
	f->org = xdup("globex");
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_contains(d.reason, "member of organization globex");
	orgrbac_facts_free(f);
}

static void test_mfa_exempt(void **state)
{
	struct orgrbac_facts *f = member();
	struct orgrbac_role *mfa = add_role(f, "2fa-EXEMPT", NULL, NULL);
	struct orgrbac_grant *g = add_grant(f, "alice-2fa-db", "acme", mfa, NULL);
	struct orgrbac_decision d;

	(void)state;
	add_scope(g, "service:db");
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_false(d.mfa_exempt);

	g = add_grant(f, "alice-2fa", "acme", mfa, NULL);
	set_window(&g->window, NOV_01, NOV_30);
	judge(f, "host:login", NOV_30, &d);
	assert_false(d.mfa_exempt);
	assert_null(d.mfa_grant);
	judge(f, "host:login", NOW, &d);
	assert_true(d.mfa_exempt);
	assert_ptr_equal(d.mfa_grant, g);
	/* computed even when the login itself is refused */
	judge(f, "host:sudo", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_true(d.mfa_exempt);
	judge(f, NULL, NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_true(d.mfa_exempt);
	/* the configured role name is the only one */
	judge_as(f, &host, "host:login", "Break-Glass", "common:org:cross", NOW, &d);
	assert_false(d.mfa_exempt);
	judge_as(f, &host, "host:login", NULL, "common:org:cross", NOW, &d);
	assert_false(d.mfa_exempt);
	judge_as(f, &host, "host:login", "", "common:org:cross", NOW, &d);
	assert_false(d.mfa_exempt);

	set_external(f, "Initech", ORGRBAC_EXT_PARTNER, ORGRBAC_MODE_DISABLED);
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_EXPIRED);
	assert_false(d.mfa_exempt);
	assert_null(d.mfa_grant);
	orgrbac_facts_free(f);
}

static void test_no_requirement(void **state)
{
	struct orgrbac_facts *f = facts_new("kim", "acme");
	struct orgrbac_decision d;

	(void)state;
	add_grant(f, "kim-owner", "acme", add_role(f, "Org Owner", "*", NULL), NULL);
	judge(f, NULL, NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_string_equal(d.reason, "no requirement configured");
	assert_int_equal(d.n_matches, 0);
	orgrbac_facts_free(f);
}

static void test_missing_configuration(void **state)
{
	struct orgrbac_facts *f = member();
	struct orgrbac_policy p = {.require = NULL};
	struct orgrbac_host noorg = host;
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
	judge_as(f, &noorg, "none", "2FA-exempt", "common:org:cross", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_string_equal(d.reason, "the host has no organization configured");
	noorg.org = "";
	judge_as(f, &noorg, "none", "2FA-exempt", "common:org:cross", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	free(f->org);
	f->org = NULL;
	judge(f, "none", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
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
	struct orgrbac_decision d;

	(void)state;
	assert_non_null(f);
	f->org = xdup("acme");
	f->n_groups = 4;
	f->n_roles = 4;
	f->n_grants = 7;
	judge(f, "host:login", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	judge(f, "none", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	orgrbac_facts_free(f);
	orgrbac_facts_free(NULL);

	judge_as(&shaky, &h, "host:login", "Member", "common:org:cross", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_true(d.mfa_exempt); /* the role is granted, whatever it holds */
	/* a hole in a counted privilege list is skipped */
	r.privileges = holes;
	judge_as(&shaky, &h, "host:login", "Member", "common:org:cross", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_ALLOW);
	assert_string_equal(d.matches[0].granted, "host:login");
	g.n_scopes = 2;
	judge_as(&shaky, &h, "host:login", "Member", "common:org:cross", NOW, &d);
	assert_int_equal(d.verdict, ORGRBAC_DENY);
	assert_false(d.mfa_exempt);
	/* a role without a name is not the 2FA-exempt role, even when none is configured */
	g.n_scopes = 0;
	r.name = "";
	judge_as(&shaky, &h, "host:login", "", "common:org:cross", NOW, &d);
	assert_false(d.mfa_exempt);
	r.name = NULL;
	judge_as(&shaky, &h, "host:login", NULL, "common:org:cross", NOW, &d);
	assert_false(d.mfa_exempt);
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
	(void)state;
	assert_string_equal(orgrbac_verdict_name(ORGRBAC_ALLOW), "allow");
	assert_string_equal(orgrbac_verdict_name(ORGRBAC_DENY), "deny");
	assert_string_equal(orgrbac_verdict_name(ORGRBAC_EXPIRED), "expired");
	assert_string_equal(orgrbac_verdict_name(ORGRBAC_UNKNOWN), "unknown");
	assert_string_equal(orgrbac_verdict_name((enum orgrbac_verdict)9), "invalid");
	assert_string_equal(orgrbac_ext_kind_name(ORGRBAC_EXT_VENDOR), "vendor");
	assert_string_equal(orgrbac_ext_kind_name(ORGRBAC_EXT_PARTNER), "partner");
	assert_string_equal(orgrbac_ext_kind_name(ORGRBAC_EXT_KIND_UNKNOWN), "unknown");
	assert_string_equal(orgrbac_ext_kind_name((enum orgrbac_ext_kind)9), "unknown");
	assert_string_equal(orgrbac_ext_mode_name(ORGRBAC_MODE_CONTINUOUS), "continuous");
	assert_string_equal(orgrbac_ext_mode_name(ORGRBAC_MODE_WINDOW), "window");
	assert_string_equal(orgrbac_ext_mode_name(ORGRBAC_MODE_DISABLED), "disabled");
	assert_string_equal(orgrbac_ext_mode_name(ORGRBAC_MODE_UNKNOWN), "unknown");
	assert_string_equal(orgrbac_ext_mode_name((enum orgrbac_ext_mode)9), "unknown");
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

	return cmocka_run_group_tests(tests, NULL, NULL);
}
