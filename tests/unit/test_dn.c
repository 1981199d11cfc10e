/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of common/ldap/dn.c: DN normalization, containment and the organization of a DN. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dn.h"
#include "write.h"

#define BASE "dc=example,dc=com"

/* org NULL: the DN lies in no organization. */
static const struct {
	const char *dn;
	const char *org;
	const char *org_dn;
} org_cases[] = {
    {"uid=alice,ou=people,o=acme," BASE, "acme", "o=acme," BASE},
    {"uid=alice,o=acme," BASE, "acme", "o=acme," BASE},
    /* odd spacing around separators and values */
    {"uid=alice , ou=people ,  o=acme,dc=example, dc=com", "acme", "o=acme," BASE},
    {" uid=alice,o=acme,dc=example,dc=com ", "acme", "o=acme," BASE},
    {"uid=a,o=  acme ," BASE, "acme", "o=acme," BASE},
    /* case: the base matches without it, the name keeps it */
    {"UID=Alice,OU=People,O=Acme,DC=Example,DC=COM", "Acme", "O=Acme,DC=Example,DC=COM"},
    /* escaped commas, in the name and below it */
    {"uid=a\\,b,o=ac\\,me," BASE, "ac,me", "o=ac\\2Cme," BASE},
    {"uid=a,o=ac\\2Cme," BASE, "ac,me", "o=ac\\2Cme," BASE},
    {"uid=a,o=\"acme\"," BASE, "acme", "o=acme," BASE},
    /* multi-valued RDNs: fine below the organization, never as it */
    {"uid=a+cn=b,o=acme," BASE, "acme", "o=acme," BASE},
    {"uid=a,o=acme+ou=x," BASE, NULL, NULL},
    {"uid=a,ou=x+o=acme," BASE, NULL, NULL},
    /* the RDN beneath the base is not o= */
    {"uid=a,ou=people," BASE, NULL, NULL},
    {"uid=a,o=acme,ou=orgs," BASE, NULL, NULL},
    {"uid=a,2.5.4.10=acme," BASE, NULL, NULL},
    /* outside the base, or not below an organization entry */
    {"uid=a,o=acme,dc=other,dc=com", NULL, NULL},
    {"uid=a,o=acme," BASE ",dc=extra", NULL, NULL},
    {"o=acme," BASE, NULL, NULL},
    {BASE, NULL, NULL},
    {"dc=com", NULL, NULL},
    {"", NULL, NULL},
    /* not a DN, or a value that holds a NUL */
    {"garbage", NULL, NULL},
    {"uid=a,o=acme,=x," BASE, NULL, NULL},
    {"uid=a,o=ac\\00me," BASE, NULL, NULL},
};

static void org_of_table(void **state)
{
	struct orgrbac_dn base;

	assert_int_equal(orgrbac_dn_parse(BASE, &base), 0);
	for (size_t i = 0; i < sizeof(org_cases) / sizeof(org_cases[0]); i++) {
		char *org = (char *)1, *org_dn = (char *)1, *alone = (char *)1;
		int rc = orgrbac_dn_org_of(&base, org_cases[i].dn, &org, &org_dn);

		if (org_cases[i].org == NULL) {
			if (rc != -1 || org != NULL || org_dn != NULL)
				fail_msg("'%s': in an organization", org_cases[i].dn);
		} else {
			if (rc != 0)
				fail_msg("'%s': in no organization", org_cases[i].dn);
			assert_string_equal(org, org_cases[i].org);
			assert_string_equal(org_dn, org_cases[i].org_dn);
		}
		/* without org_dn: the same answer */
		assert_int_equal(orgrbac_dn_org_of(&base, org_cases[i].dn, &alone, NULL), rc);
		if (rc == 0)
			assert_string_equal(alone, org);
		else
			assert_null(alone);
		free(org);
		free(alone);
		if (org_dn != NULL)
			ldap_memfree(org_dn);
	}
	orgrbac_dn_free(&base);
}

/* The name beneath the base holds at most ORGRBAC_VALUE_MAX bytes; the DN itself is not bounded. */
static void org_of_long(void **state)
{
	size_t len = ORGRBAC_VALUE_MAX + 1;
	char *value = malloc(len + 1), *dn = malloc(len + 64), *org, *org_dn;
	struct orgrbac_dn base;

	assert_non_null(value);
	assert_non_null(dn);
	assert_int_equal(orgrbac_dn_parse(BASE, &base), 0);
	memset(value, 'a', len);
	value[len] = '\0';
	snprintf(dn, len + 64, "uid=a,o=%s," BASE, value);
	assert_int_equal(orgrbac_dn_org_of(&base, dn, &org, &org_dn), -1);
	assert_null(org);
	assert_null(org_dn);

	value[len - 1] = '\0';
	snprintf(dn, len + 64, "uid=a,o=%s," BASE, value);
	assert_int_equal(orgrbac_dn_org_of(&base, dn, &org, &org_dn), 0);
	assert_string_equal(org, value);
	free(org);
	ldap_memfree(org_dn);

	/* a long name below the organization is no concern of it */
	snprintf(dn, len + 64, "uid=%s,o=acme," BASE, value);
	assert_int_equal(orgrbac_dn_org_of(&base, dn, &org, NULL), 0);
	assert_string_equal(org, "acme");
	free(org);
	orgrbac_dn_free(&base);
	free(value);
	free(dn);
}

/* norm NULL: not a DN. */
static const struct {
	const char *dn;
	const char *norm;
	size_t n;
} norm_cases[] = {
    {"uid=alice,o=acme," BASE, "uid=alice,o=acme," BASE, 4},
    {"UID=Alice , O=ACME,DC=Example,  dc=COM", "uid=alice,o=acme," BASE, 4},
    {"uid=a\\,b," BASE, "uid=a\\2cb," BASE, 3},
    {"cn=b+uid=a," BASE, "cn=b+uid=a," BASE, 3},
    {"uid=a;o=acme;dc=example;dc=com", "uid=a,o=acme," BASE, 4},
    {"uid=a,o=\"acme\"," BASE, "uid=a,o=acme," BASE, 4},
    {"", "", 0},
    {"garbage", NULL, 0},
    {"uid=a,=x", NULL, 0},
    {"uid=a\\", NULL, 0},
};

static void norm_table(void **state)
{
	for (size_t i = 0; i < sizeof(norm_cases) / sizeof(norm_cases[0]); i++) {
		struct orgrbac_dn d;
		char *norm = orgrbac_dn_norm(norm_cases[i].dn);
		int rc = orgrbac_dn_parse(norm_cases[i].dn, &d);

		if (norm_cases[i].norm == NULL) {
			if (norm != NULL || rc != -1)
				fail_msg("'%s' parsed as '%s'", norm_cases[i].dn, norm);
			assert_null(d.str);
			assert_int_equal(d.n, 0);
			continue;
		}
		if (norm == NULL || rc != 0)
			fail_msg("'%s' did not parse", norm_cases[i].dn);
		assert_string_equal(norm, norm_cases[i].norm);
		assert_string_equal(d.str, norm_cases[i].norm);
		assert_int_equal(d.n, norm_cases[i].n);
		assert_true(orgrbac_dn_same(norm_cases[i].dn, norm_cases[i].norm));
		free(norm);
		orgrbac_dn_free(&d);
	}
	assert_null(orgrbac_dn_norm(NULL));
}

static void below_and_same(void **state)
{
	static const struct {
		const char *child, *parent;
		bool below;
	} cases[] = {
	    {"uid=a,o=acme," BASE, BASE, true},
	    {"uid=a,o=acme," BASE, "o=ACME,DC=example , dc=com", true},
	    {"o=acme," BASE, "o=acme," BASE, false}, /* strictly */
	    {BASE, "o=acme," BASE, false},
	    {"uid=a,o=acme2," BASE, "o=acme," BASE, false},
	    {"uid=a,o=acme,dc=example,dc=org", BASE, false},
	    {"uid=a,o=x\\,o=acme," BASE, "o=acme," BASE, false}, /* an escaped comma */
	    {"uid=a," BASE, "", true},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct orgrbac_dn c, p;

		assert_int_equal(orgrbac_dn_parse(cases[i].child, &c), 0);
		assert_int_equal(orgrbac_dn_parse(cases[i].parent, &p), 0);
		if (orgrbac_dn_below(&c, &p) != cases[i].below)
			fail_msg("'%s' below '%s': expected %d", cases[i].child, cases[i].parent,
				 cases[i].below);
		orgrbac_dn_free(&c);
		orgrbac_dn_free(&p);
	}
	assert_true(orgrbac_dn_same("uid=a,o=acme," BASE, "UID=a , O=Acme,dc=EXAMPLE,dc=com"));
	assert_false(orgrbac_dn_same("uid=a,o=acme," BASE, "uid=b,o=acme," BASE));
	assert_false(orgrbac_dn_same("garbage", "garbage"));
	assert_false(orgrbac_dn_same(NULL, BASE));
}

static void value_dup(void **state)
{
	char buf[ORGRBAC_VALUE_MAX + 1];
	struct berval ok = {3, "abc"}, nul = {3, "a\0c"}, empty = {0, ""};
	struct berval max = {ORGRBAC_VALUE_MAX, buf}, over = {ORGRBAC_VALUE_MAX + 1, buf};
	char *v;

	memset(buf, 'x', sizeof(buf));
	v = orgrbac_value_dup(&ok);
	assert_string_equal(v, "abc");
	free(v);
	v = orgrbac_value_dup(&empty);
	assert_string_equal(v, "");
	free(v);
	assert_null(orgrbac_value_dup(&nul));
	v = orgrbac_value_dup(&max);
	assert_non_null(v);
	assert_int_equal(strlen(v), ORGRBAC_VALUE_MAX);
	free(v);
	assert_null(orgrbac_value_dup(&over));
}

/* A child DN's RDN value comes back byte for byte, whatever it holds; the rest is the parent. */
static void child_escapes(void **state)
{
	static const char *const values[] = {
	    "plain", "*",	    "x)(cn=*", "a,b=c+d", "\\", "#lead", " lead",	   "trail ",
	    "\"<>;", "caf\xc3\xa9", "a\\2a",   "=",	  "+",	",",	 "dc=evil,dc=com",
	};
	const char *parent = "ou=roles,o=acme,dc=example,dc=com";

	(void)state;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char *dn = orgrbac_dn_child("cn", values[i], parent);
		LDAPDN parsed = NULL;
		size_t n = 0;

		assert_non_null(dn);
		assert_int_equal(ldap_str2dn(dn, &parsed, LDAP_DN_FORMAT_LDAPV3), LDAP_SUCCESS);
		while (parsed[n] != NULL)
			n++;
		assert_int_equal(n, 5);	   /* cn=..., then the parent's four */
		assert_null(parsed[0][1]); /* one AVA: no '+' made a second */
		assert_int_equal(parsed[0][0]->la_value.bv_len, strlen(values[i]));
		assert_memory_equal(parsed[0][0]->la_value.bv_val, values[i], strlen(values[i]));
		ldap_dnfree(parsed);
		free(dn);
	}
	assert_null(orgrbac_dn_child("cn", "x", "not a dn"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(org_of_table), cmocka_unit_test(org_of_long),
	    cmocka_unit_test(norm_table),   cmocka_unit_test(below_and_same),
	    cmocka_unit_test(value_dup),    cmocka_unit_test(child_escapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
