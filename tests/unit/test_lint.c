/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of common/lint.c: a clean directory, then each finding alone on its entry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "image.h"
#include "lint.h"

#define T0    ((int64_t)1794744000)
#define ALICE "uid=alice,ou=people," ACME
#define MEMB  "cn=member," GROLES

/* A clean organization: one role, granted to alice. */
static void clean(struct orgrbac_image *img)
{
	memset(img, 0, sizeof(*img));
	img->base = img_dup(BASE);
	img_role(img, MEMB, "Member", 20003, "host:login");
	img_user(img, "alice", ALICE);
	img_group(img, "cn=team,ou=groups," ACME, ALICE, NULL);
	img_grant(img, "cn=g1,ou=grants," ACME, MEMB, "cn=team,ou=groups," ACME, NULL);
}

static void t_none(struct orgrbac_image *img)
{
	(void)img;
}

static void t_missing_role(struct orgrbac_image *img)
{
	img_grant(img, "cn=bad,ou=grants," ACME, "cn=nope," GROLES, ALICE, NULL);
}

static void t_foreign_role(struct orgrbac_image *img)
{
	img_role(img, "cn=g,ou=roles," GLOBEX, "G", -1, "x");
	img_grant(img, "cn=bad,ou=grants," ACME, "cn=g,ou=roles," GLOBEX, ALICE, NULL);
}

static void t_ghost(struct orgrbac_image *img)
{
	img_grant(img, "cn=bad,ou=grants," ACME, MEMB, "uid=ghost,ou=people," ACME, NULL);
}

static void t_other_org(struct orgrbac_image *img)
{
	img_user(img, "olga", "uid=olga,ou=people," GLOBEX);
	img_grant(img, "cn=bad,ou=grants," ACME, MEMB, "uid=olga,ou=people," GLOBEX, NULL);
	/* a platform grant may name anyone */
	img_grant(img, "cn=fine," PGRANT, MEMB, "uid=olga,ou=people," GLOBEX, NULL);
}

static void t_void(struct orgrbac_image *img)
{
	struct orgrbac_img_grant *g = img_grant(img, "cn=bad,ou=grants," ACME, MEMB, ALICE, NULL);

	snprintf(g->unreadable, sizeof(g->unreadable), "orgScope;lang-en: attribute options");
}

static void t_scope_kind(struct orgrbac_image *img)
{
	img_grant(img, "cn=bad,ou=grants," ACME, MEMB, ALICE, "site:x");
}

static void t_order(struct orgrbac_image *img)
{
	struct orgrbac_img_grant *g = img_grant(img, "cn=bad,ou=grants," ACME, MEMB, ALICE, NULL);

	img_window(&g->window, T0 + 100, T0 + 50);
}

static void t_over(struct orgrbac_image *img)
{
	struct orgrbac_img_grant *g = img_grant(img, "cn=bad,ou=grants," ACME, MEMB, ALICE, NULL);

	img_window(&g->window, 0, T0);
}

static void t_uid_orgs(struct orgrbac_image *img)
{
	img_user(img, "alice", "uid=alice,ou=people," GLOBEX);
}

static void t_uid_twice(struct orgrbac_image *img)
{
	img_user(img, "alice", "uid=alice,ou=more," ACME);
}

static void t_gid_low(struct orgrbac_image *img)
{
	img_role(img, "cn=low," GROLES, "Low", 999, "x");
	img_grant(img, "cn=g2,ou=grants," ACME, "cn=low," GROLES, ALICE, NULL);
}

static void t_gid_twice(struct orgrbac_image *img)
{
	img_role(img, "cn=dup," GROLES, "Dup", 20003, "x");
	img_grant(img, "cn=g2,ou=grants," ACME, "cn=dup," GROLES, ALICE, NULL);
}

static void t_shadow(struct orgrbac_image *img)
{
	img_role(img, "cn=sudo," GROLES, "Sudo", 27001, "x");
	img_grant(img, "cn=g2,ou=grants," ACME, "cn=sudo," GROLES, ALICE, NULL);
}

static void t_unheld(struct orgrbac_image *img)
{
	img_role(img, "cn=lonely," GROLES, "Lonely", -1, "host:login");
}

static void t_no_window(struct orgrbac_image *img)
{
	struct orgrbac_img_external *x = img_external(img, "cn=acme-vendor,ou=external," ACME,
						      ORGRBAC_EXT_VENDOR, ORGRBAC_MODE_WINDOW);

	img_window(&x->access.window, T0, 0);
}

static void t_ext_over(struct orgrbac_image *img)
{
	struct orgrbac_img_external *x =
	    img_external(img, "cn=p,ou=external," ACME, ORGRBAC_EXT_PARTNER, ORGRBAC_MODE_WINDOW);

	img_window(&x->access.window, T0 - 100, T0 - 1);
}

static void t_odd_kind(struct orgrbac_image *img)
{
	img_external(img, "cn=odd,ou=external," ACME, ORGRBAC_EXT_KIND_UNKNOWN,
		     ORGRBAC_MODE_CONTINUOUS);
	img_external(img, "cn=odder,ou=external," ACME, ORGRBAC_EXT_VENDOR, ORGRBAC_MODE_UNKNOWN);
}

static void t_cycle(struct orgrbac_image *img)
{
	img_group(img, "cn=a,ou=groups," ACME, "cn=b,ou=groups," ACME, NULL);
	img_group(img, "cn=b,ou=groups," ACME, "cn=c,ou=groups," ACME, NULL);
	img_group(img, "cn=c,ou=groups," ACME, "cn=a,ou=groups," ACME, ALICE);
}

static const struct {
	void (*trap)(struct orgrbac_image *img);
	const char *require; /* [service sshd] */
	const char *want;    /* "check|dn" lines */
} cases[] = {
    {t_none, NULL, ""},
    {t_none, "host:login && (host:login || none:such)", "privilege-unheld|[service sshd]\n"},
    {t_missing_role, NULL, "grant-role|cn=bad,ou=grants," ACME "\n"},
    {t_foreign_role, NULL,
     "grant-role|cn=bad,ou=grants," ACME "\n"
     "role-unheld|cn=g,ou=roles," GLOBEX "\n"},
    {t_ghost, NULL, "grant-grantee|cn=bad,ou=grants," ACME "\n"},
    {t_other_org, NULL, "grant-grantee|cn=bad,ou=grants," ACME "\n"},
    {t_void, NULL, "void-grant|cn=bad,ou=grants," ACME "\n"},
    {t_scope_kind, NULL, "void-grant|cn=bad,ou=grants," ACME "\n"},
    {t_order, NULL, "window-order|cn=bad,ou=grants," ACME "\n"},
    {t_over, NULL, "window-over|cn=bad,ou=grants," ACME "\n"},
    {t_uid_orgs, NULL,
     "uid-orgs|" ALICE "\n"
     "uid-orgs|uid=alice,ou=people," GLOBEX "\n"},
    {t_uid_twice, NULL,
     "uid-twice|" ALICE "\n"
     "uid-twice|uid=alice,ou=more," ACME "\n"},
    {t_gid_low, NULL, "gid-low|cn=low," GROLES "\n"},
    {t_gid_twice, NULL, "gid-collision|cn=dup," GROLES "\n"},
    {t_shadow, NULL, "shadow|cn=sudo," GROLES "\n"},
    {t_unheld, NULL, "role-unheld|cn=lonely," GROLES "\n"},
    {t_none, "host:login || ghost:priv", "privilege-unheld|[service sshd]\n"},
    {t_no_window, NULL, "window-missing|cn=acme-vendor,ou=external," ACME "\n"},
    {t_ext_over, NULL, "window-over|cn=p,ou=external," ACME "\n"},
    {t_odd_kind, NULL,
     "void-external|cn=odd,ou=external," ACME "\n"
     "void-external|cn=odder,ou=external," ACME "\n"},
    {t_cycle, NULL, "group-cycle|cn=a,ou=groups," ACME "\n"},
};

static void test_cases(void **state)
{
	struct orgrbac_local_group local[] = {{(char *)"root", 0}, {(char *)"sudo", 27}};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct orgrbac_service_conf svc = {(char *)"sshd", (char *)"host:login"};
		struct orgrbac_lint_params p = {.now = T0,
						.gid_min = 1000,
						.group_prefix = "",
						.local = local,
						.n_local = 2,
						.svc = &svc,
						.n_svc = 1};
		struct orgrbac_image img;
		struct orgrbac_lint l;
		char got[2048] = "";

		if (cases[i].require != NULL)
			svc.require = (char *)cases[i].require;
		clean(&img);
		cases[i].trap(&img);
		assert_int_equal(orgrbac_lint_run(&img, &p, &l), 0);
		for (size_t k = 0; k < l.n; k++) {
			assert_non_null(l.f[k].what);
			assert_non_null(l.f[k].fix);
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s|%s\n",
				 l.f[k].check, l.f[k].dn);
		}
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu: got\n%swanted\n%s", i, got, cases[i].want);
		orgrbac_lint_free(&l);
		orgrbac_image_free(&img);
	}
}

/* The cycle finding names the other groups of the cycle, and only them. */
/* [pam] default_require is judged too */
static void test_default_require(void **state)
{
	struct orgrbac_lint_params p = {
	    .now = T0, .gid_min = 1000, .group_prefix = "", .default_require = "nobody:holds"};
	struct orgrbac_image img;
	struct orgrbac_lint l;

	(void)state;
	clean(&img);
	assert_int_equal(orgrbac_lint_run(&img, &p, &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.f[0].check, "privilege-unheld");
	assert_string_equal(l.f[0].dn, "[pam] default_require");
	orgrbac_lint_free(&l);
	orgrbac_image_free(&img);
}

static void test_cycle_text(void **state)
{
	struct orgrbac_lint_params p = {.now = T0, .gid_min = 1000, .group_prefix = ""};
	struct orgrbac_image img;
	struct orgrbac_lint l;

	(void)state;
	clean(&img);
	t_cycle(&img);
	assert_int_equal(orgrbac_lint_run(&img, &p, &l), 0);
	assert_int_equal(l.n, 1);
	assert_non_null(strstr(l.f[0].what, "cn=b,ou=groups," ACME "; cn=c,ou=groups," ACME));
	assert_null(strstr(l.f[0].what, "team"));
	orgrbac_lint_free(&l);
	orgrbac_image_free(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_cycle_text),
	    cmocka_unit_test(test_default_require),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
