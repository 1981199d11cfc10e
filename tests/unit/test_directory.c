/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of common/ldap/directory.c: what an LDAP status means to the directory model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "directory.h"

static void status_from_ldap(void **state)
{
	static const struct {
		enum orgrbac_ldap_status ldap;
		enum orgrbac_dir_status dir;
	} cases[] = {
	    {ORGRBAC_LDAP_OK, ORGRBAC_DIR_FOUND},
	    /* a base that must exist and does not: that server cannot answer */
	    {ORGRBAC_LDAP_NOOBJECT, ORGRBAC_DIR_UNAVAIL},
	    {ORGRBAC_LDAP_UNAVAIL, ORGRBAC_DIR_UNAVAIL},
	    {ORGRBAC_LDAP_ERROR, ORGRBAC_DIR_ERROR},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(orgrbac_dir_status_from_ldap(cases[i].ldap), cases[i].dir);
}

/* A value no status has (memory gone wrong, a future status) denies. */
static void unknown_status(void **state)
{
	assert_int_equal(orgrbac_dir_status_from_ldap((enum orgrbac_ldap_status)42),
			 ORGRBAC_DIR_ERROR);
	assert_int_equal(orgrbac_dir_status_from_ldap((enum orgrbac_ldap_status) - 42),
			 ORGRBAC_DIR_ERROR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(status_from_ldap),
	    cmocka_unit_test(unknown_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
