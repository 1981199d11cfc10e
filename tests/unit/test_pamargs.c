/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for pam_orgrbac/pamargs.c: the arguments of pam_orgrbac's PAM lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pamargs.h"

#define ARGV(...)                                                                                  \
	(const char *[])                                                                           \
	{                                                                                          \
		__VA_ARGS__                                                                        \
	}
#define N(...)	      ((int)(sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)))
#define PARSE(a, ...) orgrbac_pam_args_parse(N(__VA_ARGS__), ARGV(__VA_ARGS__), a, &err)

static void every_argument(void **state)
{
	struct orgrbac_pam_args a;
	orgrbac_error err;

	assert_int_equal(orgrbac_pam_args_parse(0, NULL, &a, &err), 0);
	assert_null(a.require);
	assert_null(a.config);
	assert_null(a.service);
	assert_false(a.ignore_unknown_user || a.debug || a.mfa_exempt);

	assert_int_equal(PARSE(&a, "require=host:login || x", "config=/etc/o.conf", "service=sshd",
			       "ignore_unknown_user", "debug", "mfa_exempt"),
			 0);
	assert_string_equal(a.require, "host:login || x");
	assert_string_equal(a.config, "/etc/o.conf");
	assert_string_equal(a.service, "sshd");
	assert_true(a.ignore_unknown_user && a.debug && a.mfa_exempt);
}

static void refused(void **state)
{
	static const struct {
		const char *args[2];
		int n;
		const char *why;
	} bad[] = {
	    {{"frobnicate"}, 1, "unknown argument 'frobnicate'"},
	    {{"require="}, 1, "needs a value"},
	    {{"config="}, 1, "needs a value"},
	    {{"service="}, 1, "needs a value"},
	    {{"config=etc/orgrbac.conf"}, 1, "absolute path"},
	    {{"debug", "debug"}, 2, "given twice"},
	    {{"require=a", "require=b"}, 2, "given twice"},
	    {{"mfa_exempt=yes"}, 1, "unknown argument"},
	    {{"DEBUG"}, 1, "unknown argument"},
	    {{"debug", NULL}, 2, "missing"},
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct orgrbac_pam_args a;
		orgrbac_error err = {""};

		assert_int_equal(
		    orgrbac_pam_args_parse(bad[i].n, (const char **)bad[i].args, &a, &err), -1);
		if (strstr(err.msg, bad[i].why) == NULL)
			fail_msg("%s: '%s' does not say '%s'", bad[i].args[0], err.msg, bad[i].why);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_argument),
	    cmocka_unit_test(refused),
	};

	return cmocka_run_group_tests_name("pamargs", tests, NULL, NULL);
}
