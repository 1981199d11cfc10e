/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of common/model/osgroup.c: group names from roles, usable names, /etc/group. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "osgroup.h"

static void names(void **state)
{
	static const struct {
		const char *prefix, *cn, *want;
	} cases[] = {
	    {"", "Org Admin", "org-admin"},
	    {"", "2FA-exempt", "2fa-exempt"},
	    {"org-", "Service  Owner", "org-service-owner"},
	    {"", "a__b", "a__b"},
	    {"", "Ä b", "-b"}, /* a run of non-ASCII bytes and the space: one '-' */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *n = orgrbac_group_name_derive(cases[i].prefix, cases[i].cn);

		assert_string_equal(n, cases[i].want);
		free(n);
	}
	assert_true(orgrbac_group_name_valid("org-admin"));
	assert_true(orgrbac_group_name_valid("Org.Admin_1"));
	assert_false(orgrbac_group_name_valid("-b"));
	assert_false(orgrbac_group_name_valid(""));
	assert_false(orgrbac_group_name_valid("a:b"));
	assert_false(orgrbac_group_name_valid("a b"));
}

static void local_groups(void **state)
{
	struct orgrbac_local_group *g;
	size_t n;

	assert_int_equal(orgrbac_local_groups_parse("root:x:0:\nsudo:x:27:alice,bob\n"
						    "broken line\nnogid:x::\nbig:x:99999999999:\n"
						    "docker:x:998:",
						    &g, &n),
			 0);
	assert_int_equal(n, 3);
	assert_string_equal(g[0].name, "root");
	assert_int_equal(g[0].gid, 0);
	assert_string_equal(g[1].name, "sudo");
	assert_int_equal(g[1].gid, 27);
	assert_string_equal(g[2].name, "docker");
	assert_int_equal(g[2].gid, 998);
	orgrbac_local_groups_free(g, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(names),
	    cmocka_unit_test(local_groups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
