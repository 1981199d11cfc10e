/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of common/who.c: each principal's facts from the whole directory, and who meets what.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "expr.h"
#include "image.h"
#include "who.h"

#define T0 ((int64_t)1794744000) /* 2026-11-14 */

/*
 * The directory: the comment at each entry says what a host of acme
 * (service web, resource web01) makes of it for "host:login" at T0.
 */
static void sample(struct orgrbac_image *img)
{
	struct orgrbac_img_grant *g;
	struct orgrbac_img_external *x;

	memset(img, 0, sizeof(*img));
	img->base = img_dup(BASE);
	img_role(img, "cn=member," GROLES, "Member", 20003, "host:login");
	img_role(img, "cn=sudo," GROLES, "Sudo", 20004, "host:sudo");
	img_role(img, "cn=owner,ou=roles," ACME, "Owner", 21001, "host:*");
	img_role(img, "cn=cross," GROLES, "Cross", -1, "common:org:cross");
	img_role(img, "cn=globex login,ou=roles," GLOBEX, "Globex Login", -1, "host:login");

	img_user(img, "alice", "uid=alice,ou=people," ACME);		 /* listed: direct grant */
	img_user(img, "bob", "uid=bob,ou=people," ACME);		 /* listed: team in eng */
	img_user(img, "carol", "uid=carol,ou=people," ACME);		 /* service:payments only */
	img_user(img, "dave", "uid=dave,ou=people," ACME);		 /* resource:db01 only */
	img_user(img, "frank", "uid=frank,ou=people," ACME);		 /* grant ended */
	img_user(img, "judy", "uid=judy,ou=people," ACME);		 /* role missing */
	img_user(img, "pat", "uid=pat,cn=contoso,ou=external," ACME);	 /* window closed */
	img_user(img, "hank", "uid=hank,cn=hooli,ou=external," ACME);	 /* full access */
	img_user(img, "olga", "uid=olga,ou=people," GLOBEX);		 /* platform cross */
	img_user(img, "gus", "uid=gus,ou=people," GLOBEX);		 /* home grant only */
	img_user(img, "twin", "uid=twin,ou=people," ACME);		 /* two entries */
	img_user(img, "twin", "uid=twin2,ou=people," ACME);		 /* ... here */
	img_user(img, "bad\x01name", "uid=bad\\01name,ou=people," ACME); /* no login name */

	img_group(img, "cn=team,ou=groups," ACME, "uid=bob,ou=people," ACME, NULL);
	img_group(img, "cn=eng,ou=groups," ACME, "cn=team,ou=groups," ACME, NULL);

	img_grant(img, "cn=alice-owner,ou=grants," ACME, "cn=owner,ou=roles," ACME,
		  "uid=alice,ou=people," ACME, NULL);
	img_grant(img, "cn=eng-members,ou=grants," ACME, "cn=member," GROLES,
		  "cn=eng,ou=groups," ACME, NULL);
	img_grant(img, "cn=carol-pay,ou=grants," ACME, "cn=member," GROLES,
		  "uid=carol,ou=people," ACME, "service:payments");
	img_grant(img, "cn=dave-db01,ou=grants," ACME, "cn=member," GROLES,
		  "uid=dave,ou=people," ACME, "resource:db01");
	g = img_grant(img, "cn=frank-old,ou=grants," ACME, "cn=member," GROLES,
		      "uid=frank,ou=people," ACME, NULL);
	img_window(&g->window, T0 - 200, T0 - 100);
	img_grant(img, "cn=judy-missing,ou=grants," ACME, "cn=nope," GROLES,
		  "uid=judy,ou=people," ACME, NULL);
	img_grant(img, "cn=pat-member,ou=grants," ACME, "cn=member," GROLES,
		  "uid=pat,cn=contoso,ou=external," ACME, NULL);
	img_grant(img, "cn=olga-cross," PGRANT, "cn=cross," GROLES, "uid=olga,ou=people," GLOBEX,
		  NULL);
	img_grant(img, "cn=olga-member," PGRANT, "cn=member," GROLES, "uid=olga,ou=people," GLOBEX,
		  NULL);
	img_grant(img, "cn=gus-login,ou=grants," GLOBEX, "cn=globex login,ou=roles," GLOBEX,
		  "uid=gus,ou=people," GLOBEX, NULL);
	img_grant(img, "cn=gus-cross,ou=grants," GLOBEX, "cn=cross," GROLES,
		  "uid=gus,ou=people," GLOBEX, NULL);

	x = img_external(img, "cn=contoso,ou=external," ACME, ORGRBAC_EXT_PARTNER,
			 ORGRBAC_MODE_WINDOW);
	img_window(&x->access.window, T0 - 300, T0 - 10);
	x = img_external(img, "cn=hooli,ou=external," ACME, ORGRBAC_EXT_PARTNER,
			 ORGRBAC_MODE_CONTINUOUS);
	x->access.role_management = false;
}

/* The names who lists for `text` on acme with `service` and `resource`, joined by ' '. */
static void who_names(const char *text, const char *service, const char *resource, char *buf,
		      size_t len)
{
	struct orgrbac_image img;
	struct orgrbac_expr *e = NULL;
	struct orgrbac_who_result r;
	const char *svc[] = {service};
	struct orgrbac_host host = {
	    .org = "acme", .services = svc, .n_services = 1, .resource = resource};
	struct orgrbac_policy policy = {.mfa_exempt_role = "2FA-exempt",
					.cross_org_privilege = "common:org:cross"};
	orgrbac_error err;

	sample(&img);
	assert_int_equal(orgrbac_expr_parse(text, &e, &err), 0);
	policy.require = e;
	assert_int_equal(orgrbac_who(&img, &host, &policy, T0, &r, &err), 0);
	buf[0] = '\0';
	for (size_t i = 0; i < r.n; i++) {
		assert_int_equal(r.e[i].decision.verdict, ORGRBAC_ALLOW);
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i > 0 ? " " : "",
			 r.e[i].facts->user);
	}
	orgrbac_who_free(&r);
	orgrbac_expr_free(e);
	orgrbac_image_free(&img);
}

static void test_who_scopes(void **state)
{
	char names[512];

	(void)state;
	who_names("host:login", "web", "web01", names, sizeof(names));
	assert_string_equal(names, "alice bob hank olga");
	who_names("host:login", "payments", "web01", names, sizeof(names));
	assert_string_equal(names, "alice bob carol hank olga");
	who_names("host:login", "web", "db01", names, sizeof(names));
	assert_string_equal(names, "alice bob dave hank olga");
	who_names("host:sudo", "web", "web01", names, sizeof(names));
	assert_string_equal(names, "alice hank");
	who_names("host:login && host:sudo", "web", "web01", names, sizeof(names));
	assert_string_equal(names, "alice hank");
	/* nothing required: every principal that exists here and is inside its window */
	who_names("none", "web", "web01", names, sizeof(names));
	assert_string_equal(names, "alice bob carol dave frank hank judy olga");
	who_names("nothing:holds:this", "web", "web01", names, sizeof(names));
	assert_string_equal(names, "hank");
}

/* The path of a listed principal: the role, the grant, the group it came through. */
static void test_who_path(void **state)
{
	struct orgrbac_image img;
	struct orgrbac_expr *e = NULL;
	struct orgrbac_who_result r;
	const char *svc[] = {"web"};
	struct orgrbac_host host = {
	    .org = "acme", .services = svc, .n_services = 1, .resource = "web01"};
	struct orgrbac_policy policy = {.cross_org_privilege = "common:org:cross"};
	orgrbac_error err;

	(void)state;
	sample(&img);
	assert_int_equal(orgrbac_expr_parse("host:login", &e, &err), 0);
	policy.require = e;
	assert_int_equal(orgrbac_who(&img, &host, &policy, T0, &r, &err), 0);
	assert_int_equal(r.n, 4);
	/* bob: Member by eng-members through eng, which holds team, which holds him */
	assert_string_equal(r.e[1].facts->user, "bob");
	assert_int_equal(r.e[1].decision.n_matches, 1);
	assert_string_equal(r.e[1].decision.matches[0].grant->name, "eng-members");
	assert_string_equal(r.e[1].decision.matches[0].grant->role->name, "Member");
	assert_string_equal(r.e[1].decision.matches[0].grant->via, "cn=eng,ou=groups," ACME);
	assert_int_equal(r.e[1].facts->n_groups, 2);
	/* hank: full access, no grant */
	assert_true(r.e[2].decision.full_access);
	assert_null(r.e[2].decision.matches[0].grant);
	assert_string_equal(r.e[2].facts->external[0].name, "hooli");
	/* olga crosses by the platform grant */
	assert_true(r.e[3].decision.cross_org);
	assert_true(r.e[3].decision.matches[0].grant->platform);
	/* judged: every valid, unambiguous login name (pat too: she is refused) */
	assert_int_equal(r.judged, 10);
	orgrbac_who_free(&r);
	orgrbac_expr_free(e);
	orgrbac_image_free(&img);
}

static void test_image_facts(void **state)
{
	struct orgrbac_image img;
	struct orgrbac_facts *f = NULL;
	orgrbac_error err;

	(void)state;
	sample(&img);
	assert_int_equal(orgrbac_image_facts(&img, "acme", "twin", &f, &err), 1);
	assert_null(f);
	assert_non_null(strstr(err.msg, "2 entries hold this uid"));
	assert_int_equal(orgrbac_image_facts(&img, "acme", "ghost", &f, &err), 1);
	/* judy: her grant is read, its role is not */
	assert_int_equal(orgrbac_image_facts(&img, "acme", "judy", &f, &err), 0);
	assert_string_equal(f->org, "acme");
	assert_int_equal(f->n_grants, 1);
	assert_null(f->grants[0].role);
	assert_int_equal(f->n_roles, 0);
	orgrbac_facts_free(f);
	/* gus: globex's own grants, with the org of each, and his org */
	assert_int_equal(orgrbac_image_facts(&img, "acme", "gus", &f, &err), 0);
	assert_string_equal(f->org, "globex");
	assert_int_equal(f->n_grants, 2);
	assert_false(f->grants[0].platform);
	assert_string_equal(f->grants[0].org, "globex");
	orgrbac_facts_free(f);
	/* pat: the external entry above, nearest first */
	assert_int_equal(orgrbac_image_facts(&img, "acme", "pat", &f, &err), 0);
	assert_int_equal(f->n_external, 1);
	assert_string_equal(f->external[0].dn, "cn=contoso,ou=external," ACME);
	orgrbac_facts_free(f);
	orgrbac_image_free(&img);
}

static void test_dn_helpers(void **state)
{
	char *v;

	(void)state;
	assert_true(orgrbac_img_below("cn=a," ACME, ACME));
	assert_false(orgrbac_img_below(ACME, ACME));
	assert_false(orgrbac_img_below("cn=a\\,o=acme,dc=example,dc=com", ACME));
	assert_string_equal(orgrbac_img_org_dn("uid=x,ou=people," ACME, BASE), ACME);
	assert_null(orgrbac_img_org_dn("uid=x,ou=people," BASE, BASE));
	assert_null(orgrbac_img_org_dn("cn=x\\,o=acme,dc=example,dc=com", BASE));
	v = orgrbac_img_rdn_value("cn=a\\,b,ou=x");
	assert_string_equal(v, "a\\,b");
	free(v);
}

/* The groups from the principal to the grantee its grant names. */
static void test_group_chain(void **state)
{
	struct orgrbac_image img;
	char *c;

	(void)state;
	sample(&img);
	img_group(&img, "cn=top,ou=groups," ACME, "cn=eng,ou=groups," ACME, NULL);
	/* a shortcut beside the chain: the shortest one is named */
	img_group(&img, "cn=side,ou=groups," ACME, "uid=bob,ou=people," ACME, NULL);
	img_group(&img, "cn=top2,ou=groups," ACME, "cn=side,ou=groups," ACME, NULL);
	c = orgrbac_img_group_chain(&img, "uid=bob,ou=people," ACME, "cn=top,ou=groups," ACME);
	assert_non_null(c);
	assert_string_equal(c, "cn=team,ou=groups," ACME " > cn=eng,ou=groups," ACME
			       " > cn=top,ou=groups," ACME);
	free(c);
	c = orgrbac_img_group_chain(&img, "uid=bob,ou=people," ACME, "cn=team,ou=groups," ACME);
	assert_string_equal(c, "cn=team,ou=groups," ACME);
	free(c);
	c = orgrbac_img_group_chain(&img, "uid=bob,ou=people," ACME, "uid=bob,ou=people," ACME);
	assert_string_equal(c, "");
	free(c);
	/* not a group of his: none */
	assert_null(
	    orgrbac_img_group_chain(&img, "uid=alice,ou=people," ACME, "cn=top,ou=groups," ACME));
	orgrbac_image_free(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_who_scopes),	cmocka_unit_test(test_who_path),
	    cmocka_unit_test(test_image_facts), cmocka_unit_test(test_dn_helpers),
	    cmocka_unit_test(test_group_chain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
