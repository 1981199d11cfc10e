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
	assert_null(a.ignore_users);
	assert_false(a.ignore_unknown_user || a.debug || a.mfa_exempt);

	assert_int_equal(PARSE(&a, "require=host:login || x", "config=/etc/o.conf", "service=sshd",
			       "ignore_unknown_user", "debug", "mfa_exempt", "ignore_users=root"),
			 0);
	assert_string_equal(a.ignore_users, "root");
	assert_string_equal(a.require, "host:login || x");
	assert_string_equal(a.config, "/etc/o.conf");
	assert_string_equal(a.service, "sshd");
	assert_true(a.ignore_unknown_user && a.debug && a.mfa_exempt);
	assert_int_equal(PARSE(&a, "ignore_users=root,backup,ops"), 0);
	assert_string_equal(a.ignore_users, "root,backup,ops");
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
	    {{"ignore_users="}, 1, "needs a value"},
	    {{"ignore_users=root", "ignore_users=ops"}, 2, "given twice"},
	    {{"ignore_users=root,"}, 1, "'': empty user name"},
	    {{"ignore_users=,root"}, 1, "'': empty user name"},
	    {{"ignore_users=root,,ops"}, 1, "empty user name"},
	    {{"ignore_users=root, ops"}, 1, "' ops': user name contains white space"},
	    {{"ignore_users=root ops"}, 1, "white space"},
	    {{"ignore_users=-root"}, 1, "starts with '-'"},
	    {{"ignore_users=ro:ot"}, 1, "one of"},
	    {{"ignore_users=r\x01"}, 1, "control character"},
	    {{"IGNORE_USERS=root"}, 1, "unknown argument"},
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

/* Of arguments that do not parse, a valid ignore_users= given once still counts. */
static void users_of_a_bad_line(void **state)
{
	assert_null(orgrbac_pam_args_ignore_users(0, NULL));
	assert_null(orgrbac_pam_args_ignore_users(N("frobnicate"), ARGV("frobnicate")));
	assert_string_equal(orgrbac_pam_args_ignore_users(
				N("frobnicate", "ignore_users=root,ops", "debug", "debug"),
				ARGV("frobnicate", "ignore_users=root,ops", "debug", "debug")),
			    "root,ops");
	assert_null(
	    orgrbac_pam_args_ignore_users(N("ignore_users=ops,"), ARGV("ignore_users=ops,")));
	assert_null(orgrbac_pam_args_ignore_users(N("ignore_users="), ARGV("ignore_users=")));
	assert_null(orgrbac_pam_args_ignore_users(N("ignore_users=a", "ignore_users=b"),
						  ARGV("ignore_users=a", "ignore_users=b")));
	/* a missing argument is skipped */
	assert_string_equal(orgrbac_pam_args_ignore_users(2, ARGV("ignore_users=a", NULL)), "a");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_argument),
	    cmocka_unit_test(refused),
	    cmocka_unit_test(users_of_a_bad_line),
	};

	return cmocka_run_group_tests_name("pamargs", tests, NULL, NULL);
}
