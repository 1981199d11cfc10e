/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of common/offline.c: account decisions from a snapshot written for the test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "offline.h"
#include "view.h"

#define T0 ((int64_t)1794744000) /* 2026-11-15T12:00:00Z: the sync */

static char dir[] = "/tmp/test_offline.XXXXXX";
static char path[sizeof(dir) + 32];
static struct orgrbac_snapshot *snap;

/*
 * alice: admins (host:*); bob: members (host:login) until T0 + 100;
 * carol: external until T0 + 50, members; dave: known, no roles; olga: of
 * another organization, members from T0 + 200 (her platform grant's window).
 */
static int setup(void **state)
{
	struct orgrbac_view v;
	orgrbac_error err;

	memset(&v, 0, sizeof(v));
	add_user(&v, "alice", ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX);
	add_user(&v, "bob", ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX);
	add_user(&v, "carol", T0 - 1000, T0 + 50);
	add_user(&v, "dave", ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX);
	add_user(&v, "olga", ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX);
	v.users[4].foreign = true;
	add_role(&v, "admins", 5000, "host:* iam:read");
	add_role(&v, "members", 5001, "host:login");
	add_member(&v, 0, 0, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX);
	add_member(&v, 1, 1, ORGRBAC_TIME_MIN, T0 + 100);
	add_member(&v, 2, 1, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX);
	add_member(&v, 4, 1, T0 + 200, ORGRBAC_TIME_MAX);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/snapshot.db", dir);
	assert_int_equal(orgrbac_snapshot_write(path, &v, 1, T0, 3600, &err), 0);
	orgrbac_view_free(&v);
	assert_int_equal(orgrbac_snapshot_open(
			     path, geteuid() != 0 ? ORGRBAC_SNAP_TRUST_ANY_OWNER : 0, &snap, &err),
			 0);
	return 0;
}

static int teardown(void **state)
{
	orgrbac_snapshot_close(snap);
	unlink(path);
	return rmdir(dir);
}

static enum orgrbac_offline_verdict decide(const char *user, const char *require, int64_t now,
					   int64_t max_age, char *why, size_t len)
{
	struct orgrbac_expr *e = NULL;
	orgrbac_error err;
	enum orgrbac_offline_verdict v;

	assert_int_equal(orgrbac_expr_parse(require, &e, &err), 0);
	v = orgrbac_offline_decide(snap, user, e, now, max_age, why, len);
	orgrbac_expr_free(e);
	return v;
}

static void test_allow_and_deny(void **state)
{
	char why[256];

	assert_int_equal(decide("alice", "host:sudo", T0 + 10, 3600, why, sizeof(why)),
			 ORGRBAC_OFFLINE_ALLOWED);
	assert_non_null(strstr(why, "offline"));
	assert_int_equal(decide("alice", "host:login && iam:read", T0, 3600, why, sizeof(why)),
			 ORGRBAC_OFFLINE_ALLOWED);
	assert_int_equal(decide("alice", "iam:write", T0, 3600, why, sizeof(why)),
			 ORGRBAC_OFFLINE_DENIED);
	assert_non_null(strstr(why, "lacks privileges: iam:write"));
	assert_int_equal(decide("bob", "host:login", T0, 3600, why, sizeof(why)),
			 ORGRBAC_OFFLINE_ALLOWED);
	assert_int_equal(decide("bob", "host:sudo || iam:read", T0, 3600, why, sizeof(why)),
			 ORGRBAC_OFFLINE_DENIED);
	assert_int_equal(decide("dave", "host:login", T0, 3600, why, sizeof(why)),
			 ORGRBAC_OFFLINE_DENIED);
	assert_int_equal(decide("dave", "none", T0, 3600, why, sizeof(why)),
			 ORGRBAC_OFFLINE_ALLOWED);
}

static void test_windows_close_on_time(void **state)
{
	char why[256];

	/* bob's membership ends at T0 + 100 */
	assert_int_equal(decide("bob", "host:login", T0 + 99, 3600, why, sizeof(why)),
			 ORGRBAC_OFFLINE_ALLOWED);
	assert_int_equal(decide("bob", "host:login", T0 + 100, 3600, why, sizeof(why)),
			 ORGRBAC_OFFLINE_DENIED);
	/* carol's external access ends at T0 + 50: not allowed, and not even known */
	assert_int_equal(decide("carol", "host:login", T0 + 49, 3600, why, sizeof(why)),
			 ORGRBAC_OFFLINE_ALLOWED);
	assert_int_equal(decide("carol", "host:login", T0 + 50, 3600, why, sizeof(why)),
			 ORGRBAC_OFFLINE_UNDECIDED);
	assert_int_equal(decide("carol", "none", T0 + 50, 3600, why, sizeof(why)),
			 ORGRBAC_OFFLINE_UNDECIDED);
}

/*
 * A user of another organization is in the snapshot only through platform
 * grants that carry it across: until one is in force, even "none" is not
 * proven, as live refuses it without cross access.
 */
static void test_foreign_user(void **state)
{
	char why[256];

	assert_int_equal(decide("olga", "none", T0, 3600, why, sizeof(why)),
			 ORGRBAC_OFFLINE_UNDECIDED);
	assert_int_equal(decide("olga", "host:login", T0, 3600, why, sizeof(why)),
			 ORGRBAC_OFFLINE_UNDECIDED);
	assert_int_equal(decide("olga", "none", T0 + 200, 3600, why, sizeof(why)),
			 ORGRBAC_OFFLINE_ALLOWED);
	assert_int_equal(decide("olga", "host:login", T0 + 200, 3600, why, sizeof(why)),
			 ORGRBAC_OFFLINE_ALLOWED);
	/* a home user with no role is known: "none" holds for it as live says */
	assert_int_equal(decide("dave", "none", T0, 3600, why, sizeof(why)),
			 ORGRBAC_OFFLINE_ALLOWED);
}

static void test_unknown_and_stale(void **state)
{
	char why[256];

	assert_int_equal(decide("nobody", "none", T0, 3600, why, sizeof(why)),
			 ORGRBAC_OFFLINE_UNDECIDED);
	assert_non_null(strstr(why, "nobody"));
	assert_int_equal(decide("ALICE", "host:login", T0, 3600, why, sizeof(why)),
			 ORGRBAC_OFFLINE_UNDECIDED);
	assert_int_equal(decide("alice", "host:login", T0 + 3601, 3600, why, sizeof(why)),
			 ORGRBAC_OFFLINE_UNDECIDED);
	assert_non_null(strstr(why, "older than 3600"));
	/* a snapshot from the future (clock set back) is not trusted either */
	assert_int_equal(decide("alice", "host:login", T0 - 1, 3600, why, sizeof(why)),
			 ORGRBAC_OFFLINE_UNDECIDED);
}

/*
 * A hostile header: the sync time is the file's word, the clock may be
 * anywhere. Ages saturate; none wraps into "fresh enough to decide".
 */
static void extreme_sync_times(void **state)
{
	static const struct {
		int64_t synced_at, now, max_age;
		enum orgrbac_offline_verdict want;
	} cases[] = {
	    {T0, T0 + 3600, 3600, ORGRBAC_OFFLINE_ALLOWED}, /* the bound itself */
	    {T0, T0 + 3601, 3600, ORGRBAC_OFFLINE_UNDECIDED},
	    {T0 + 1, T0, 3600, ORGRBAC_OFFLINE_UNDECIDED}, /* synced in the future */
	    {INT64_MIN, T0, 3600, ORGRBAC_OFFLINE_UNDECIDED},
	    {INT64_MIN, T0, INT64_MAX, ORGRBAC_OFFLINE_UNDECIDED},
	    {INT64_MIN, INT64_MAX, INT64_MAX, ORGRBAC_OFFLINE_UNDECIDED},
	    {INT64_MIN + 1, 0, INT64_MAX, ORGRBAC_OFFLINE_UNDECIDED}, /* INT64_MAX: the clamp */
	    {-1, INT64_MAX, INT64_MAX, ORGRBAC_OFFLINE_UNDECIDED},
	    {INT64_MAX, T0, 3600, ORGRBAC_OFFLINE_UNDECIDED},
	    {INT64_MAX, T0, INT64_MAX, ORGRBAC_OFFLINE_UNDECIDED},
	    {INT64_MAX, INT64_MIN, INT64_MAX, ORGRBAC_OFFLINE_UNDECIDED},
	    {T0, INT64_MIN, INT64_MAX, ORGRBAC_OFFLINE_UNDECIDED},
	    {T0, INT64_MAX, 3600, ORGRBAC_OFFLINE_UNDECIDED},
	    {T0, T0, 0, ORGRBAC_OFFLINE_UNDECIDED},
	    {T0, T0, -1, ORGRBAC_OFFLINE_UNDECIDED},
	    {T0, T0, INT64_MIN, ORGRBAC_OFFLINE_UNDECIDED},
	};
	char p[sizeof(dir) + 32], why[256];

	snprintf(p, sizeof(p), "%s/extreme.db", dir);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct orgrbac_snapshot *s = NULL;
		struct orgrbac_expr *e = NULL;
		struct orgrbac_view v;
		orgrbac_error err;
		enum orgrbac_offline_verdict got;

		memset(&v, 0, sizeof(v));
		add_user(&v, "alice", ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX);
		add_role(&v, "admins", 5000, "host:*");
		add_member(&v, 0, 0, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX);
		assert_int_equal(
		    orgrbac_snapshot_write(p, &v, 1, cases[i].synced_at, cases[i].max_age, &err),
		    0);
		orgrbac_view_free(&v);
		assert_int_equal(
		    orgrbac_snapshot_open(p, geteuid() != 0 ? ORGRBAC_SNAP_TRUST_ANY_OWNER : 0, &s,
					  &err),
		    0);
		assert_int_equal(orgrbac_expr_parse("host:login", &e, &err), 0);
		got = orgrbac_offline_decide(s, "alice", e, cases[i].now, cases[i].max_age, why,
					     sizeof(why));
		if (got != cases[i].want)
			fail_msg("case %zu: synced_at %lld, now %lld, max_age %lld: got %d (%s)", i,
				 (long long)cases[i].synced_at, (long long)cases[i].now,
				 (long long)cases[i].max_age, (int)got, why);
		orgrbac_expr_free(e);
		orgrbac_snapshot_close(s);
	}
	unlink(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_allow_and_deny), cmocka_unit_test(test_windows_close_on_time),
	    cmocka_unit_test(test_foreign_user),   cmocka_unit_test(test_unknown_and_stale),
	    cmocka_unit_test(extreme_sync_times),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
