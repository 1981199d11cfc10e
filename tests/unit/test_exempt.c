/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for common/store/exempt.c: who pam_orgrbac leaves unjudged, read or not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "exempt.h"

/* The passwd database of the tests: who is uid 0, and who was asked. */
static const char *superuser = "root";
static int asked;

static bool fake_uid0(const char *user)
{
	asked++;
	return superuser != NULL && strcmp(user, superuser) == 0;
}

enum conf { NONE, DEFAULT, EMPTY, OPS };

static const struct orgrbac_config *conf(enum conf which)
{
	static char *root[] = {"root", NULL}, *empty[] = {NULL}, *ops[] = {"backup", "ops", NULL};
	static struct orgrbac_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	switch (which) {
	case DEFAULT: cfg.ignore_users = root, cfg.n_ignore_users = 1; break;
	case EMPTY: cfg.ignore_users = empty, cfg.n_ignore_users = 0; break;
	case OPS: cfg.ignore_users = ops, cfg.n_ignore_users = 2; break;
	default: return NULL;
	}
	return &cfg;
}

static void decisions(void **state)
{
	static const struct {
		enum conf cfg;
		const char *args, *user;
		enum orgrbac_exempt want;
	} cases[] = {
	    /* no configuration: root (uid 0) and the argument's names only */
	    {NONE, NULL, "root", ORGRBAC_EXEMPT_FLOOR},
	    {NONE, NULL, "alice", ORGRBAC_JUDGED},
	    {NONE, NULL, "Root", ORGRBAC_JUDGED},
	    {NONE, NULL, "root ", ORGRBAC_JUDGED},
	    {NONE, NULL, "roo", ORGRBAC_JUDGED},
	    {NONE, NULL, "", ORGRBAC_JUDGED},
	    {NONE, NULL, NULL, ORGRBAC_JUDGED},
	    {NONE, "ops", "ops", ORGRBAC_EXEMPT_ARGUMENT},
	    {NONE, "backup,ops", "ops", ORGRBAC_EXEMPT_ARGUMENT},
	    {NONE, "backup,ops", "backup", ORGRBAC_EXEMPT_ARGUMENT},
	    {NONE, "backup,ops", "op", ORGRBAC_JUDGED},
	    {NONE, "backup,ops", "backup,ops", ORGRBAC_JUDGED},
	    {NONE, "backup,ops", "alice", ORGRBAC_JUDGED},
	    {NONE, "ops", "root", ORGRBAC_EXEMPT_FLOOR},
	    {NONE, "root", "root", ORGRBAC_EXEMPT_ARGUMENT},
	    /* a configuration read: its ignore_users and the argument, no floor */
	    {DEFAULT, NULL, "root", ORGRBAC_EXEMPT_CONFIG},
	    {DEFAULT, NULL, "alice", ORGRBAC_JUDGED},
	    {EMPTY, NULL, "root", ORGRBAC_JUDGED},
	    {EMPTY, "root", "root", ORGRBAC_EXEMPT_ARGUMENT},
	    {OPS, NULL, "root", ORGRBAC_JUDGED},
	    {OPS, NULL, "ops", ORGRBAC_EXEMPT_CONFIG},
	    {OPS, "alice", "alice", ORGRBAC_EXEMPT_ARGUMENT},
	    {OPS, "alice", "bob", ORGRBAC_JUDGED},
	    {DEFAULT, "alice", "", ORGRBAC_JUDGED},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum orgrbac_exempt got =
		    orgrbac_exempt(conf(cases[i].cfg), cases[i].args, cases[i].user, fake_uid0);

		if (got != cases[i].want)
			fail_msg("case %zu (user %s, argument %s): %d, expected %d", i,
				 cases[i].user != NULL ? cases[i].user : "(null)",
				 cases[i].args != NULL ? cases[i].args : "(none)", got,
				 cases[i].want);
		assert_true(got == ORGRBAC_JUDGED || orgrbac_exempt_reason(got)[0] != '\0');
	}
}

/* A "root" that the passwd database does not know as uid 0 is judged; only root is asked. */
static void floor_needs_uid0(void **state)
{
	asked = 0;
	superuser = NULL;
	assert_int_equal(orgrbac_exempt(NULL, NULL, "root", fake_uid0), ORGRBAC_JUDGED);
	assert_int_equal(asked, 1);
	superuser = "toor";
	assert_int_equal(orgrbac_exempt(NULL, NULL, "root", fake_uid0), ORGRBAC_JUDGED);
	assert_int_equal(orgrbac_exempt(NULL, NULL, "toor", fake_uid0), ORGRBAC_JUDGED);
	assert_int_equal(asked, 2);
	assert_int_equal(orgrbac_exempt(NULL, NULL, "root", NULL), ORGRBAC_JUDGED);
	/* the argument and a configuration read need no lookup */
	asked = 0;
	assert_int_equal(orgrbac_exempt(NULL, "root", "root", fake_uid0), ORGRBAC_EXEMPT_ARGUMENT);
	assert_int_equal(orgrbac_exempt(conf(DEFAULT), NULL, "root", fake_uid0),
			 ORGRBAC_EXEMPT_CONFIG);
	assert_int_equal(orgrbac_exempt(conf(EMPTY), NULL, "root", fake_uid0), ORGRBAC_JUDGED);
	assert_int_equal(asked, 0);
	superuser = "root";
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(decisions),
	    cmocka_unit_test(floor_needs_uid0),
	};

	return cmocka_run_group_tests_name("exempt", tests, NULL, NULL);
}
