/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of common/ldap/directory.c: what an LDAP status means to the directory model; and
 * of common/ldap/image.c: which attributes the image asks for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

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
	    /* more entries than our own limit: a decision, never "unavailable" */
	    {ORGRBAC_LDAP_TOOMANY, ORGRBAC_DIR_ERROR},
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

/*
 * A search's result code, the caller's size limit and the entries that came:
 * our own limit denies, the server's limits are "unavailable" (offline may
 * decide), never a denial that reads like a decision.
 */
static void result_status(void **state)
{
	static const struct {
		int rc, sizelimit, entries;
		enum orgrbac_ldap_status st;
	} cases[] = {
	    {LDAP_SUCCESS, 16, 3, ORGRBAC_LDAP_OK},
	    {LDAP_NO_SUCH_OBJECT, 16, 0, ORGRBAC_LDAP_NOOBJECT},
	    /* no such object after entries: a partial answer */
	    {LDAP_NO_SUCH_OBJECT, 16, 2, ORGRBAC_LDAP_ERROR},
	    /* as many entries as we asked for: our limit */
	    {LDAP_SIZELIMIT_EXCEEDED, 16, 16, ORGRBAC_LDAP_TOOMANY},
	    {LDAP_SIZELIMIT_EXCEEDED, 1025, 1025, ORGRBAC_LDAP_TOOMANY},
	    /* fewer: the server's olcSizeLimit stopped it */
	    {LDAP_SIZELIMIT_EXCEEDED, 1025, 500, ORGRBAC_LDAP_UNAVAIL},
	    {LDAP_SIZELIMIT_EXCEEDED, 16, 0, ORGRBAC_LDAP_UNAVAIL},
	    /* a paged search asks for no size limit of its own */
	    {LDAP_SIZELIMIT_EXCEEDED, 0, 500, ORGRBAC_LDAP_UNAVAIL},
	    {LDAP_TIMELIMIT_EXCEEDED, 16, 0, ORGRBAC_LDAP_UNAVAIL},
	    {LDAP_TIMELIMIT_EXCEEDED, 1025, 7, ORGRBAC_LDAP_UNAVAIL},
	    {LDAP_ADMINLIMIT_EXCEEDED, 1025, 0, ORGRBAC_LDAP_UNAVAIL},
	    {LDAP_SERVER_DOWN, 16, 0, ORGRBAC_LDAP_UNAVAIL},
	    {LDAP_TIMEOUT, 16, 0, ORGRBAC_LDAP_UNAVAIL},
	    {LDAP_BUSY, 16, 0, ORGRBAC_LDAP_UNAVAIL},
	    {LDAP_UNAVAILABLE, 16, 0, ORGRBAC_LDAP_UNAVAIL},
	    {LDAP_REFERRAL, 16, 0, ORGRBAC_LDAP_ERROR},
	    {LDAP_INSUFFICIENT_ACCESS, 16, 0, ORGRBAC_LDAP_ERROR},
	    {LDAP_OTHER, 16, 4, ORGRBAC_LDAP_ERROR},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(
		    orgrbac_ldap_result_status(cases[i].rc, cases[i].sizelimit, cases[i].entries),
		    cases[i].st);
}

static const char *const stamps[] = {"creatorsName", "createTimestamp", "modifiersName",
				     "modifyTimestamp"};

static bool holds(char **attrs, const char *name)
{
	for (; attrs != NULL && *attrs != NULL; attrs++)
		if (strcasecmp(*attrs, name) == 0)
			return true;
	return false;
}

/* Sync and the follower decide nothing on who made a grant: they never ask for it. */
static void image_attrs_without_stamps(void **state)
{
	static const char *const classes[] = {"orgRole", "orgRoleGrant", "orgExternalAccess",
					      "groupOfNames", "posixAccount"};

	(void)state;
	for (size_t c = 0; c < sizeof(classes) / sizeof(classes[0]); c++) {
		char **attrs = orgrbac_image_search_attrs(classes[c], 0);

		assert_non_null(attrs);
		for (size_t i = 0; i < sizeof(stamps) / sizeof(stamps[0]); i++)
			if (holds(attrs, stamps[i]))
				fail_msg("%s's search asks for %s", classes[c], stamps[i]);
	}
	for (size_t i = 0; i < sizeof(stamps) / sizeof(stamps[0]); i++)
		assert_false(holds(orgrbac_image_attrs(), stamps[i]));
	/* what the decision reads is still asked for */
	assert_true(holds(orgrbac_image_search_attrs("orgRoleGrant", 0), "orgGrantee"));
	assert_true(holds(orgrbac_image_attrs(), "orgNotAfter"));
	assert_null(orgrbac_image_search_attrs("device", 0));
}

/* The access review asks for them on grants, with everything else the decision reads. */
static void image_attrs_with_stamps(void **state)
{
	char **plain = orgrbac_image_search_attrs("orgRoleGrant", 0);
	char **stamped = orgrbac_image_search_attrs("orgRoleGrant", ORGRBAC_IMAGE_STAMPS);

	(void)state;
	for (size_t i = 0; i < sizeof(stamps) / sizeof(stamps[0]); i++)
		assert_true(holds(stamped, stamps[i]));
	for (; *plain != NULL; plain++)
		assert_true(holds(stamped, *plain));
	assert_ptr_equal(orgrbac_image_search_attrs("orgRole", ORGRBAC_IMAGE_STAMPS),
			 orgrbac_image_search_attrs("orgRole", 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(status_from_ldap),	       cmocka_unit_test(unknown_status),
	    cmocka_unit_test(result_status),	       cmocka_unit_test(image_attrs_without_stamps),
	    cmocka_unit_test(image_attrs_with_stamps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
