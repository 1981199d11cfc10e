/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of common/model/gtime.c: GeneralizedTime and ISO 8601 parsing, calendar checks,
 * formatting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "gtime.h"

/*
 * Expected values were computed with `date -u -d TIME +%s` when the tests were
 * written, not with the code under test.
 */
#define T_2026_12_01_0900 ((int64_t)1796115600)	  /* 2026-12-01T09:00:00Z */
#define T_2026_12_01_0000 ((int64_t)1796083200)	  /* 2026-12-01T00:00:00Z */
#define T_2026_03_10_1030 ((int64_t)1773138600)	  /* 2026-03-10T10:30:00Z */
#define T_YEAR_0	  ((int64_t)-62167219200) /* 0000-01-01T00:00:00Z */
#define T_YEAR_9999_END	  ((int64_t)253402300799) /* 9999-12-31T23:59:59Z */
#define SENTINEL	  ((int64_t)0x5a5a5a5a)

static void assert_gtime(const char *s, int64_t expect)
{
	int64_t t = SENTINEL;

	if (orgrbac_gtime_parse(s, &t) != 0)
		fail_msg("'%s' refused", s);
	if (t != expect)
		fail_msg("'%s' gave %lld, expected %lld", s, (long long)t, (long long)expect);
}

static void assert_gtime_refused(const char *s)
{
	int64_t t = SENTINEL;

	if (orgrbac_gtime_parse(s, &t) != -1)
		fail_msg("'%s' accepted as %lld", s != NULL ? s : "(null)", (long long)t);
	assert_int_equal(t, SENTINEL); /* not touched on failure */
}

static void assert_iso(const char *s, int64_t expect)
{
	int64_t t = SENTINEL;

	if (orgrbac_iso8601_parse(s, &t) != 0)
		fail_msg("'%s' refused", s);
	if (t != expect)
		fail_msg("'%s' gave %lld, expected %lld", s, (long long)t, (long long)expect);
}

static void assert_iso_refused(const char *s)
{
	int64_t t = SENTINEL;

	if (orgrbac_iso8601_parse(s, &t) != -1)
		fail_msg("'%s' accepted as %lld", s != NULL ? s : "(null)", (long long)t);
	assert_int_equal(t, SENTINEL);
}

static void assert_format(int64_t t, const char *expect)
{
	char buf[64];

	orgrbac_time_format(t, buf, sizeof(buf));
	assert_string_equal(buf, expect);
}

static void epoch_values(void **state)
{
	(void)state;
	assert_gtime("19700101000000Z", 0);
	assert_gtime("19691231235959Z", -1);
	assert_gtime("20261201090000Z", T_2026_12_01_0900);
	assert_gtime("20261201000000Z", T_2026_12_01_0000);
	assert_gtime("20380119031408Z", (int64_t)2147483648);
	assert_gtime("19690720201740Z", (int64_t)-14182940);
	assert_gtime("19000301000000Z", (int64_t)-2203891200);
	assert_gtime("21000228000000Z", (int64_t)4107456000);
	assert_gtime("00000101000000Z", T_YEAR_0);
	assert_gtime("99991231235959Z", T_YEAR_9999_END);
}

/*
 * Times come from the directory: the extremes the grammar allows (year 0000
 * and 9999, offsets of 23:59 either way, fractions of any length) stay far
 * inside int64_t, and so does every window built from them; a longer year
 * is refused rather than carried.
 */
static void extremes(void **state)
{
	static const struct {
		const char *s;
		int64_t t;
	} gt[] =
	    {
		{"99991231235959-2359", T_YEAR_9999_END + 23 * 3600 + 59 * 60},
		{"00000101000000+2359", T_YEAR_0 - 23 * 3600 - 59 * 60},
		{"9999123123.99999999999999999999999999999999999999Z", T_YEAR_9999_END},
		{"99991231235959,99999999999999999999999999999999999999-2359",
		 T_YEAR_9999_END + 23 * 3600 + 59 * 60},
		{"0000010100.0000000000000000000000000000000001+2359",
		 T_YEAR_0 - 23 * 3600 - 59 * 60},
	    },
	  iso[] = {
	      {"9999-12-31T23:59:59-23:59", T_YEAR_9999_END + 23 * 3600 + 59 * 60},
	      {"0000-01-01T00:00+23:59", T_YEAR_0 - 23 * 3600 - 59 * 60},
	      {"9999-12-31", T_YEAR_9999_END - 86399},
	  };
	static const char *const refused[] = {
	    "999991231235959Z",	   "-00010101000000Z",	   "+99991231235959Z",
	    "99991231235959-2400", "9223372036854775807Z", "00000101000000+9999",
	};
	char longest[4096];

	for (size_t i = 0; i < sizeof(gt) / sizeof(gt[0]); i++)
		assert_gtime(gt[i].s, gt[i].t);
	for (size_t i = 0; i < sizeof(iso) / sizeof(iso[0]); i++)
		assert_iso(iso[i].s, iso[i].t);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		assert_gtime_refused(refused[i]);
	/* a fraction of four thousand digits: truncated, not accumulated */
	memcpy(longest, "99991231235959.", 15);
	memset(longest + 15, '9', sizeof(longest) - 17);
	memcpy(longest + sizeof(longest) - 2, "Z", 2);
	assert_gtime(longest, T_YEAR_9999_END);
}

static void minutes_and_seconds_optional(void **state)
{
	(void)state;
	assert_gtime("2026120109Z", T_2026_12_01_0900);
	assert_gtime("202612010900Z", T_2026_12_01_0900);
	assert_gtime("20261201090000Z", T_2026_12_01_0900);
	assert_gtime("202612010930Z", (int64_t)1796117400);
	assert_gtime("20261201090001Z", (int64_t)1796115601);
}

static void fractions(void **state)
{
	(void)state;
	/* Of a second: truncated. */
	assert_gtime("20261201090000.5Z", T_2026_12_01_0900);
	assert_gtime("20261201090000,999999Z", T_2026_12_01_0900);
	assert_gtime("20261201090001.0Z", (int64_t)1796115601);
	assert_gtime("19691231235959.9Z", -1);
	/* Of a minute or an hour: the part of it, truncated to the second. */
	assert_gtime("202612010930.5Z", (int64_t)1796117430);
	assert_gtime("202612010930,5Z", (int64_t)1796117430);
	assert_gtime("2026120109.5Z", (int64_t)1796117400);
	assert_gtime("2026120109,25Z", (int64_t)1796116500);
	assert_gtime("2026120109.999999Z", T_2026_12_01_0900 + 3599);
	/* A long fraction is taken exactly: 1/3600 of an hour is one second, a hair less is not. */
	assert_gtime("2026120109.000277777777777777777777778Z", T_2026_12_01_0900 + 1);
	assert_gtime("2026120109.000277777777777777777777777Z", T_2026_12_01_0900);
	assert_gtime("202612010900.0166666666666666666666667Z", T_2026_12_01_0900 + 1);
	/* With an offset. */
	assert_gtime("20261201100000.75+0100", T_2026_12_01_0900);
}

static void offsets(void **state)
{
	(void)state;
	/* 2026-03-10 10:30 local in each zone. */
	assert_gtime("20260310103000Z", T_2026_03_10_1030);
	assert_gtime("20260310103000+0100", (int64_t)1773135000);
	assert_gtime("20260310103000-0530", (int64_t)1773158400);
	assert_gtime("20260310103000+05", (int64_t)1773120600);
	assert_gtime("20260310103000-05", (int64_t)1773156600);
	assert_gtime("20260310103000+0000", T_2026_03_10_1030);
	assert_gtime("20260310103000-0000", T_2026_03_10_1030);
	assert_gtime("20260310103000+00", T_2026_03_10_1030);
	assert_gtime("20260310103000+2359", (int64_t)1773052260);
	assert_gtime("2026031010+0100", (int64_t)1773133200);
	assert_gtime("202603101030-0530", (int64_t)1773158400);
	/* An offset that crosses midnight and the year. */
	assert_gtime("20270101003000+0100", (int64_t)1798759800);
}

static void leap_years(void **state)
{
	(void)state;
	assert_gtime("20240229000000Z", (int64_t)1709164800);
	assert_gtime("20000229000000Z", (int64_t)951782400);
	assert_gtime("16000229000000Z", (int64_t)-11670998400);
	assert_gtime("20241231235959Z", (int64_t)1735689599);
	assert_gtime("00000229000000Z", T_YEAR_0 + (31 + 28) * 86400);
	assert_gtime_refused("20230229000000Z");
	assert_gtime_refused("19000229000000Z");
	assert_gtime_refused("21000229000000Z");
	assert_gtime_refused("20240230000000Z");
	assert_gtime_refused("20230230000000Z");
	assert_gtime_refused("00010229000000Z");
}

static void calendar_ranges(void **state)
{
	static const char *const bad[] = {
	    "20260001000000Z",			      /* month 0 */
	    "20261301000000Z",			      /* month 13 */
	    "20269901000000Z",	   "20261200000000Z", /* day 0 */
	    "20261232000000Z",	   "20260431000000Z", /* April has 30 */
	    "20260631000000Z",	   "20260931000000Z",	  "20261131000000Z",
	    "20261201240000Z", /* hour 24 */
	    "20261201096000Z", /* minute 60 */
	    "20261201090060Z", /* leap second */
	    "20261201090099Z",	   "20261201090000+2400", "20261201090000+0060",
	    "20261201090000-2400", "20261201090000+24",	  "20261201090000+9999",
	};
	int64_t t = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_gtime_refused(bad[i]);
	/* The last day of every month is fine. */
	assert_int_equal(orgrbac_gtime_parse("20260131000000Z", &t), 0);
	assert_int_equal(orgrbac_gtime_parse("20260430000000Z", &t), 0);
	assert_int_equal(orgrbac_gtime_parse("20261231000000Z", &t), 0);
	assert_int_equal(orgrbac_gtime_parse("20261201235959Z", &t), 0);
}

static void malformed(void **state)
{
	static const char *const bad[] = {
	    "",
	    "Z",
	    "20261201090000",	/* no zone: never guessed */
	    "20261201090000.5", /* nor after a fraction */
	    "2026120109",
	    "20261201090000z",
	    "20261201090000Z ",
	    " 20261201090000Z",
	    "20261201090000Zx",
	    "20261201090000ZZ",
	    "20261201090000Z\n",
	    "2026120109000Z", /* odd digits */
	    "202612010Z",
	    "20261201Z", /* no hour */
	    "2026120109000000Z",
	    "20261201090000.Z", /* fraction without digits */
	    "20261201090000,Z",
	    "20261201090000.+0100",
	    "2026120109.Z",
	    "20261201090000+", /* sign without digits */
	    "20261201090000-",
	    "20261201090000+1",
	    "20261201090000+123",
	    "20261201090000+01000",
	    "20261201090000+01:00",
	    "20261201090000 +0100",
	    "20261201090000Z+0100",
	    "20261201090000+0100Z",
	    "+20261201090000Z",
	    "-20261201090000Z",
	    "2026-12-01T09:00:00Z",
	    "2026120109:00Z",
	    "2026120109.5.5Z",
	    "\357\274\2220261201090000Z", /* a full-width digit (octal stops at 3) */
	    "20261201090000.\xd9\xa5Z",
	    "202612010900a0Z",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_gtime_refused(bad[i]);
	assert_gtime_refused(NULL);
	assert_int_equal(orgrbac_gtime_parse("20261201090000Z", NULL), -1);
}

/* The result may not depend on the process's time zone. */
static void independent_of_tz(void **state)
{
	const char *old = getenv("TZ");
	char *saved = old != NULL ? strdup(old) : NULL;
	int64_t t = 0;

	(void)state;
	assert_int_equal(setenv("TZ", "Pacific/Chatham", 1), 0);
	tzset();
	assert_gtime("20260310103000Z", T_2026_03_10_1030);
	assert_iso("2026-12-01", T_2026_12_01_0000);
	assert_format(T_2026_12_01_0900, "2026-12-01T09:00:00Z");
	assert_int_equal(setenv("TZ", "EST5EDT", 1), 0);
	tzset();
	assert_int_equal(orgrbac_gtime_parse("20260704120000Z", &t), 0);
	assert_int_equal(t, (int64_t)1783166400);
	if (saved != NULL) {
		setenv("TZ", saved, 1);
		free(saved);
	} else {
		unsetenv("TZ");
	}
	tzset();
}

static void iso8601_valid(void **state)
{
	(void)state;
	assert_iso("2026-12-01T09:00:00Z", T_2026_12_01_0900);
	assert_iso("2026-12-01T09:00Z", T_2026_12_01_0900);
	assert_iso("2026-12-01", T_2026_12_01_0000);
	assert_iso("1970-01-01", 0);
	assert_iso("1970-01-01T00:00:00Z", 0);
	assert_iso("1969-12-31T23:59:59Z", -1);
	assert_iso("2026-03-10T10:30:00+01:00", (int64_t)1773135000);
	assert_iso("2026-03-10T10:30-05:30", (int64_t)1773158400);
	assert_iso("2026-03-10T10:30:00+00:00", T_2026_03_10_1030);
	assert_iso("2026-03-10T10:30:00-00:00", T_2026_03_10_1030);
	assert_iso("2024-02-29", (int64_t)1709164800);
	assert_iso("0000-01-01", T_YEAR_0);
	assert_iso("9999-12-31T23:59:59Z", T_YEAR_9999_END);
}

static void iso8601_refused(void **state)
{
	static const char *const bad[] = {
	    "",
	    "2026-12-01T09:00:00", /* no zone */
	    "2026-12-01T09:00",
	    "2026-12-01T09Z", /* no minutes */
	    "2026-12-01T",
	    "2026-12-01Z",
	    "2026-12-01 09:00:00Z",
	    "2026-12-01t09:00:00Z",
	    "2026-12-01T09:00:00z",
	    "2026-12-01T09:00:00+0100",
	    "2026-12-01T09:00:00+01",
	    "2026-12-01T09:00:00+1:00",
	    "2026-12-01T09:00:00+01:0",
	    "2026-12-01T09:00:00+",
	    "2026-12-01T09:00:00.5Z",
	    "2026-12-01T09:00:00Z ",
	    "2026-12-01x",
	    " 2026-12-01",
	    "2026-12-01T09:00:0Z",
	    "2026-12-01T9:00:00Z",
	    "2026-13-01",
	    "2026-00-10",
	    "2026-02-29",
	    "2024-02-30",
	    "2026-04-31",
	    "2026-12-00",
	    "2026-12-32",
	    "2026-12-01T24:00Z",
	    "2026-12-01T09:60Z",
	    "2026-12-01T09:00:60Z",
	    "2026-12-01T09:00:00+24:00",
	    "2026-12-01T09:00:00+01:60",
	    "2026-1-01",
	    "2026-12-1",
	    "26-12-01",
	    "20261201",
	    "20261201090000Z",
	    "2026/12/01",
	    "+2026-12-01",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_iso_refused(bad[i]);
	assert_iso_refused(NULL);
	assert_int_equal(orgrbac_iso8601_parse("2026-12-01", NULL), -1);
}

static void format_values(void **state)
{
	(void)state;
	assert_format(0, "1970-01-01T00:00:00Z");
	assert_format(-1, "1969-12-31T23:59:59Z");
	assert_format(T_2026_12_01_0900, "2026-12-01T09:00:00Z");
	assert_format((int64_t)1796117430, "2026-12-01T09:30:30Z");
	assert_format((int64_t)1709164800, "2024-02-29T00:00:00Z");
	assert_format((int64_t)951782400, "2000-02-29T00:00:00Z");
	assert_format((int64_t)-11670998400, "1600-02-29T00:00:00Z");
	assert_format((int64_t)-14182940, "1969-07-20T20:17:40Z");
	assert_format(T_YEAR_0, "0000-01-01T00:00:00Z");
	assert_format(T_YEAR_9999_END, "9999-12-31T23:59:59Z");
	/* The ends of int64_t: computed independently by 400-year cycles. */
	assert_format(INT64_MAX, "292277026596-12-04T15:30:07Z");
	assert_format(INT64_MIN, "-292277022657-01-27T08:29:52Z");
}

static void format_truncates(void **state)
{
	char buf[32];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	orgrbac_time_format(T_2026_12_01_0900, buf, 21);
	assert_string_equal(buf, "2026-12-01T09:00:00Z");
	memset(buf, 'x', sizeof(buf));
	orgrbac_time_format(T_2026_12_01_0900, buf, 20);
	assert_string_equal(buf, "2026-12-01T09:00:00");
	assert_int_equal(buf[20], 'x');
	memset(buf, 'x', sizeof(buf));
	orgrbac_time_format(T_2026_12_01_0900, buf, 5);
	assert_string_equal(buf, "2026");
	assert_int_equal(buf[5], 'x');
	memset(buf, 'x', sizeof(buf));
	orgrbac_time_format(T_2026_12_01_0900, buf, 1);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'x');
	memset(buf, 'x', sizeof(buf));
	orgrbac_time_format(T_2026_12_01_0900, buf, 0);
	assert_int_equal(buf[0], 'x');
	orgrbac_time_format(T_2026_12_01_0900, NULL, 0);
	orgrbac_time_format(T_2026_12_01_0900, NULL, 21);
	memset(buf, 'x', sizeof(buf));
	orgrbac_time_format(INT64_MAX, buf, 21);
	assert_string_equal(buf, "292277026596-12-04T1");
}

/*
 * Every day from 1600 to 2400, at a time of day that varies: the C library's
 * gmtime_r is the independent reference, and each form parses back to t.
 */
static void round_trips(void **state)
{
	const int64_t first = (int64_t)-11676096000; /* 1600-01-01 */
	const int64_t last = (int64_t)13601088000;   /* 2401-01-01 */
	char iso[64], gen[64], expect[64];
	int64_t back;

	(void)state;
	for (int64_t k = 0; first + k * 86400 < last; k++) {
		int64_t t = first + k * 86400 + (k * 7919) % 86400;
		time_t tt = (time_t)t;
		struct tm tm;

		assert_non_null(gmtime_r(&tt, &tm));
		snprintf(expect, sizeof(expect), "%04d-%02d-%02dT%02d:%02d:%02dZ",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			 tm.tm_sec);
		orgrbac_time_format(t, iso, sizeof(iso));
		assert_string_equal(iso, expect);

		back = SENTINEL;
		assert_int_equal(orgrbac_iso8601_parse(iso, &back), 0);
		assert_int_equal(back, t);

		snprintf(gen, sizeof(gen), "%04d%02d%02d%02d%02d%02dZ", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		back = SENTINEL;
		assert_int_equal(orgrbac_gtime_parse(gen, &back), 0);
		assert_int_equal(back, t);
	}
}

/* Across the whole range, in large irregular steps. */
static void round_trips_wide(void **state)
{
	char iso[64];
	int64_t back;

	(void)state;
	for (int64_t t = T_YEAR_0; t <= T_YEAR_9999_END; t += 7777777 + t % 13) {
		orgrbac_time_format(t, iso, sizeof(iso));
		assert_int_equal(strlen(iso), 20);
		back = SENTINEL;
		if (orgrbac_iso8601_parse(iso, &back) != 0 || back != t)
			fail_msg("%lld -> %s -> %lld", (long long)t, iso, (long long)back);
	}
	orgrbac_time_format(T_YEAR_9999_END, iso, sizeof(iso));
	assert_int_equal(orgrbac_iso8601_parse(iso, &back), 0);
	assert_int_equal(back, T_YEAR_9999_END);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(epoch_values),
	    cmocka_unit_test(extremes),
	    cmocka_unit_test(minutes_and_seconds_optional),
	    cmocka_unit_test(fractions),
	    cmocka_unit_test(offsets),
	    cmocka_unit_test(leap_years),
	    cmocka_unit_test(calendar_ranges),
	    cmocka_unit_test(malformed),
	    cmocka_unit_test(independent_of_tz),
	    cmocka_unit_test(iso8601_valid),
	    cmocka_unit_test(iso8601_refused),
	    cmocka_unit_test(format_values),
	    cmocka_unit_test(format_truncates),
	    cmocka_unit_test(round_trips),
	    cmocka_unit_test(round_trips_wide),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
