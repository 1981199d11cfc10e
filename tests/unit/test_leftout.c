/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the record of what a sync left out: round trip, bounds, the strict reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "leftout.h"

static char dir[] = "/tmp/test_leftout.XXXXXX";
static char path[sizeof(dir) + 32];

static int setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/snapshot.db.left-out", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	return 0;
}

static void round_trip(void **state)
{
	struct orgrbac_left_out lo = {.generation = 42, .synced_at = 1794744000}, back;
	orgrbac_error err;
	char *p = orgrbac_left_out_path("/var/lib/orgrbac/snapshot.db");

	(void)state;
	assert_string_equal(p, "/var/lib/orgrbac/snapshot.db.left-out");
	free(p);
	assert_int_equal(orgrbac_left_out_add(&lo, "role", "Dup A", "gid 20001 is claimed twice"),
			 0);
	/* tabs and newlines from the directory cannot split a line of the record */
	assert_int_equal(orgrbac_left_out_add(&lo, "user", "ev\til", "a\nb"), 0);
	assert_int_equal(orgrbac_left_out_add(&lo, "entry", "", "uid empty"), 0);
	assert_int_equal(orgrbac_left_out_write(path, &lo, &err), 0);
	assert_int_equal(orgrbac_left_out_read(path, true, &back, &err), ORGRBAC_LEFT_OUT_READ);
	assert_int_equal(back.generation, 42);
	assert_int_equal(back.synced_at, 1794744000);
	assert_int_equal(back.count, 3);
	assert_int_equal(back.n, 3);
	assert_string_equal(back.e[0].kind, "role");
	assert_string_equal(back.e[0].name, "Dup A");
	assert_string_equal(back.e[0].why, "gid 20001 is claimed twice");
	assert_string_equal(back.e[1].name, "ev?il");
	assert_string_equal(back.e[1].why, "a?b");
	assert_string_equal(back.e[2].name, "?");
	orgrbac_left_out_free(&back);
	orgrbac_left_out_free(&lo);
}

/* Past ORGRBAC_LEFT_OUT_MAX entries are counted, not listed; long fields are cut. */
static void bounded(void **state)
{
	struct orgrbac_left_out lo = {.generation = 1}, back;
	char longname[1000];
	orgrbac_error err;

	(void)state;
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	for (int i = 0; i < ORGRBAC_LEFT_OUT_MAX + 10; i++)
		assert_int_equal(orgrbac_left_out_add(&lo, "role", longname, longname), 0);
	assert_int_equal(lo.count, ORGRBAC_LEFT_OUT_MAX + 10);
	assert_int_equal(lo.n, ORGRBAC_LEFT_OUT_MAX);
	assert_int_equal(orgrbac_left_out_write(path, &lo, &err), 0);
	assert_int_equal(orgrbac_left_out_read(path, true, &back, &err), ORGRBAC_LEFT_OUT_READ);
	assert_int_equal(back.count, ORGRBAC_LEFT_OUT_MAX + 10);
	assert_int_equal(back.n, ORGRBAC_LEFT_OUT_MAX);
	assert_int_equal(strlen(back.e[0].name), ORGRBAC_LEFT_OUT_TEXT_MAX);
	orgrbac_left_out_free(&back);
	orgrbac_left_out_free(&lo);
}

#define HEAD "orgrbac-left-out 1\ngeneration 7\nsynced 100\n"

static void strict(void **state)
{
	static const struct {
		const char *text;
		int ok;
		const char *err; /* part of the complaint */
	} cases[] = {
	    {HEAD "count 0\nend\n", 1, NULL},
	    {HEAD "count 1\nrole\tViewer\tgroup viewer exists\nend\n", 1, NULL},
	    {HEAD "count 5\nrole\tViewer\tgroup viewer exists\nend\n", 1, NULL}, /* 4 unlisted */
	    {"", 0, "line 1"},
	    {"orgrbac-left-out 2\ngeneration 7\nsynced 100\ncount 0\nend\n", 0, "line 1"},
	    {"orgrbac-left-out 1\ngeneration -7\nsynced 100\ncount 0\nend\n", 0, "line 2"},
	    {"orgrbac-left-out 1\ngeneration 7x\nsynced 100\ncount 0\nend\n", 0, "line 2"},
	    {"orgrbac-left-out 1\ngeneration 18446744073709551616\nsynced 1\ncount 0\nend\n", 0,
	     "line 2"},
	    {"orgrbac-left-out 1\ngeneration 7\nsynced\ncount 0\nend\n", 0, "line 3"},
	    {HEAD "count 0\n", 0, "without 'end'"},
	    {HEAD "count 0\nend", 0, "without 'end'"},
	    {HEAD "count 0\nend\nmore\n", 0, "after 'end'"},
	    {HEAD "count 0\nrole\tViewer\twhy\nend\n", 0, "more entries than counted"},
	    {HEAD "count 1\ngroup\tViewer\twhy\nend\n", 0, "KIND<TAB>NAME<TAB>WHY"},
	    {HEAD "count 1\nrole\t\twhy\nend\n", 0, "KIND<TAB>NAME<TAB>WHY"},
	    {HEAD "count 1\nrole\tViewer\nend\n", 0, "KIND<TAB>NAME<TAB>WHY"},
	    {HEAD "count 1\nrole\tViewer\twhy\textra\nend\n", 0, "KIND<TAB>NAME<TAB>WHY"},
	    {HEAD "count 1\nrole\tVi\x01ewer\twhy\nend\n", 0, "KIND<TAB>NAME<TAB>WHY"},
	    {HEAD "count 1\r\nend\n", 0, "line 4"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct orgrbac_left_out lo;
		orgrbac_error err = {{0}};
		int rc = orgrbac_left_out_parse(cases[i].text, strlen(cases[i].text), &lo, &err);

		if ((rc == 0) != cases[i].ok)
			fail_msg("case %zu: parse returned %d (%s)", i, rc, err.msg);
		if (!cases[i].ok && strstr(err.msg, cases[i].err) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].err);
		orgrbac_left_out_free(&lo);
	}
	/* a NUL inside */
	{
		struct orgrbac_left_out lo;
		orgrbac_error err;
		const char text[] = HEAD "count 0\nend\n\0";

		assert_int_equal(orgrbac_left_out_parse(text, sizeof(text) - 1, &lo, &err), -1);
	}
}

static void absent_and_unsafe(void **state)
{
	struct orgrbac_left_out lo;
	orgrbac_error err;
	FILE *f;

	(void)state;
	unlink(path);
	assert_int_equal(orgrbac_left_out_read(path, true, &lo, &err), ORGRBAC_LEFT_OUT_ABSENT);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(HEAD "count 0\nend\n", f);
	fclose(f);
	/* writable by others: never trusted, whoever owns it */
	assert_int_equal(chmod(path, 0666), 0);
	assert_int_equal(orgrbac_left_out_read(path, true, &lo, &err), ORGRBAC_LEFT_OUT_INVALID);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(orgrbac_left_out_read(path, true, &lo, &err), ORGRBAC_LEFT_OUT_READ);
	orgrbac_left_out_free(&lo);
	if (geteuid() != 0) {
		/* not root's: refused unless the caller trusts any owner */
		assert_int_equal(orgrbac_left_out_read(path, false, &lo, &err),
				 ORGRBAC_LEFT_OUT_INVALID);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_trip),
	    cmocka_unit_test(bounded),
	    cmocka_unit_test(strict),
	    cmocka_unit_test(absent_and_unsafe),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
