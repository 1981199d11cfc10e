/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the pure parts of directory administration: times, grant names, sets, LDIF. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "admin_grant.h"
#include "admin_ldif.h"

#define NOW ((int64_t)1795000000)
#define B   "dc=example,dc=com"
#define BOB "uid=bob,ou=people,o=acme," B
#define CAR "uid=carol,ou=people,o=acme," B
#define RUN "cn=Service Runner,ou=roles,o=acme," B

static void test_time(void **state)
{
	int64_t t = 0;

	(void)state;
	assert_int_equal(orgrbac_admin_time_parse("2026-12-24T18:00:00Z", NOW, &t), 0);
	assert_int_equal(t, 1798135200);
	assert_int_equal(orgrbac_admin_time_parse("2026-12-24", NOW, &t), 0);
	assert_int_equal(t, 1798070400);
	assert_int_equal(orgrbac_admin_time_parse("+2h", NOW, &t), 0);
	assert_int_equal(t, NOW + 7200);
	assert_int_equal(orgrbac_admin_time_parse("+7d", NOW, &t), 0);
	assert_int_equal(t, NOW + 7 * 86400);
	assert_int_equal(orgrbac_admin_time_parse("+30m", NOW, &t), 0);
	assert_int_equal(t, NOW + 1800);
	/* saturates, never wraps */
	assert_int_equal(orgrbac_admin_time_parse("+99999999999999999999d", NOW, &t), 0);
	assert_int_equal(t, INT64_MAX);
	assert_int_equal(orgrbac_admin_time_parse("+", NOW, &t), -1);
	assert_int_equal(orgrbac_admin_time_parse("+7", NOW, &t), -1);
	assert_int_equal(orgrbac_admin_time_parse("+-7d", NOW, &t), -1);
	assert_int_equal(orgrbac_admin_time_parse("7d", NOW, &t), -1);
	assert_int_equal(orgrbac_admin_time_parse("tomorrow", NOW, &t), -1);
	assert_int_equal(orgrbac_admin_time_parse("2026-13-01", NOW, &t), -1);
	assert_int_equal(orgrbac_admin_time_parse("", NOW, &t), -1);
	assert_int_equal(orgrbac_admin_time_parse(NULL, NOW, &t), -1);
}

static void test_cn(void **state)
{
	char *names[] = {"bob", "carol"}, *dns[] = {BOB, CAR}, *rdns[] = {CAR, BOB};
	char *upper[] = {"UID=Bob,OU=People,O=acme,DC=example,DC=com"};
	char *scopes[] = {"service:payments", "resource:db01.example.com"};
	char *rscopes[] = {"resource:db01.example.com", "service:payments"};
	char a[ORGRBAC_GRANT_CN_MAX + 1], b[ORGRBAC_GRANT_CN_MAX + 1];
	char long_name[300];

	(void)state;
	assert_int_equal(
	    orgrbac_grant_cn("Service Runner", RUN, names, dns, 1, scopes, 1, a, sizeof(a)), 0);
	assert_int_equal(strncmp(a, "bob-service-runner-payments-", 28), 0);
	assert_int_equal(strlen(a), 28 + 8);
	/* stable: the same grant, the same name */
	assert_int_equal(
	    orgrbac_grant_cn("Service Runner", RUN, names, dns, 1, scopes, 1, b, sizeof(b)), 0);
	assert_string_equal(a, b);
	/* a grantee's DN as written does not matter, only the entry it names */
	assert_int_equal(
	    orgrbac_grant_cn("Service Runner", RUN, names, upper, 1, scopes, 1, b, sizeof(b)), 0);
	assert_string_equal(a, b);
	/* another scope: another hash */
	assert_int_equal(
	    orgrbac_grant_cn("Service Runner", RUN, names, dns, 1, NULL, 0, b, sizeof(b)), 0);
	assert_int_equal(strncmp(b, "bob-service-runner-", 19), 0);
	assert_string_not_equal(a + strlen(a) - 8, b + strlen(b) - 8);
	/* several grantees and scopes: order does not matter to the hash */
	assert_int_equal(
	    orgrbac_grant_cn("Service Runner", RUN, names, dns, 2, scopes, 2, a, sizeof(a)), 0);
	assert_int_equal(strncmp(a, "bob-and-1-more-service-runner-payments-db01-example-com-", 56),
			 0);
	assert_int_equal(
	    orgrbac_grant_cn("Service Runner", RUN, names, rdns, 2, rscopes, 2, b, sizeof(b)), 0);
	assert_string_equal(a + strlen(a) - 8, b + strlen(b) - 8);
	/* long and odd names: bounded, only [a-z0-9-] */
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	names[0] = long_name;
	assert_int_equal(orgrbac_grant_cn("*)(cn=*", RUN, names, dns, 1, NULL, 0, a, sizeof(a)), 0);
	assert_true(strlen(a) <= ORGRBAC_GRANT_CN_MAX);
	assert_int_equal(strspn(a, "abcdefghijklmnopqrstuvwxyz0123456789-"), strlen(a));
	names[0] = "é*)(";
	assert_int_equal(orgrbac_grant_cn("***", RUN, names, dns, 1, NULL, 0, a, sizeof(a)), 0);
	assert_int_equal(strlen(a), 8);
	/* a buffer too small, a role DN that is not one */
	assert_int_equal(orgrbac_grant_cn("r", RUN, names, dns, 1, NULL, 0, a, 10), -1);
	assert_int_equal(orgrbac_grant_cn("r", "not a dn", names, dns, 1, NULL, 0, a, sizeof(a)),
			 -1);
}

static void test_sets(void **state)
{
	char *a[] = {BOB, CAR}, *b[] = {"UID=carol,ou=people,o=acme," B, BOB}, *c[] = {BOB};
	char *s1[] = {"service:a", "resource:b"}, *s2[] = {"resource:b", "service:a"};
	char *s3[] = {"service:A", "resource:b"};

	(void)state;
	assert_true(orgrbac_dn_sets_equal(a, 2, b, 2));
	assert_false(orgrbac_dn_sets_equal(a, 2, c, 1));
	assert_false(orgrbac_dn_sets_equal(c, 1, a, 2));
	assert_true(orgrbac_dn_sets_equal(NULL, 0, NULL, 0));
	assert_true(orgrbac_str_sets_equal(s1, 2, s2, 2));
	assert_false(orgrbac_str_sets_equal(s1, 2, s3, 2)); /* scopes are case-exact */
	assert_false(orgrbac_str_sets_equal(s1, 2, NULL, 0));
}

static void test_ldif(void **state)
{
	struct orgrbac_change ch;
	enum orgrbac_admin_status st = ORGRBAC_ADMIN_DONE;
	orgrbac_error err;
	char *vals[] = {"plain", " leading", "é", "a\nb", NULL}, *text;

	(void)state;
	assert_int_equal(orgrbac_change_open(&ch), 0);
	orgrbac_change_begin(&ch, "cn=x,ou=grants," B, ORGRBAC_CHANGE_MODIFY);
	orgrbac_change_mod(&ch, LDAP_MOD_ADD, "orgGrantee", vals, NULL);
	orgrbac_change_mod(&ch, LDAP_MOD_DELETE, "orgNotBefore", NULL, NULL);
	orgrbac_change_mod(&ch, LDAP_MOD_REPLACE, "orgNotAfter", NULL, "20261224180000Z");
	assert_int_equal(ch.n, 3);
	assert_null(ch.mods[3]);
	assert_null(ch.mod[1].mod_values[0]); /* delete every value */
	text = orgrbac_change_close(&ch, &st, &err);
	assert_int_equal(st, ORGRBAC_ADMIN_DONE);
	assert_string_equal(text, "dn: cn=x,ou=grants," B "\n"
				  "changetype: modify\n"
				  "add: orgGrantee\n"
				  "orgGrantee: plain\n"
				  "orgGrantee:: IGxlYWRpbmc=\n"
				  "orgGrantee:: w6k=\n"
				  "orgGrantee:: YQpi\n"
				  "-\n"
				  "delete: orgNotBefore\n"
				  "-\n"
				  "replace: orgNotAfter\n"
				  "orgNotAfter: 20261224180000Z\n"
				  "-\n");
	free(text);
	assert_int_equal(orgrbac_change_open(&ch), 0);
	orgrbac_change_begin(&ch, "cn=é,ou=grants," B, ORGRBAC_CHANGE_ADD);
	orgrbac_change_mod(&ch, LDAP_MOD_ADD, "cn", NULL, "x:");
	text = orgrbac_change_close(&ch, &st, &err);
	assert_string_equal(text, "dn:: Y249w6ksb3U9Z3JhbnRzLGRjPWV4YW1wbGUsZGM9Y29t\n"
				  "changetype: add\n"
				  "cn: x:\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_time),
	    cmocka_unit_test(test_cn),
	    cmocka_unit_test(test_sets),
	    cmocka_unit_test(test_ldif),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
