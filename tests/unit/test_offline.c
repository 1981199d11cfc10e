/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of common/offline.c: decisions from a snapshot's decision part written for the test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "facts.h"
#include "offline.h"
#include "snapshot_write.h"

#define T0 ((int64_t)1794744000) /* 2026-11-15T12:00:00Z: the sync */

static char dir[] = "/tmp/test_offline.XXXXXX";
static char path[sizeof(dir) + 32];
static struct orgrbac_snapshot *snap;
static const char *const services[] = {"web"};
static const struct orgrbac_host host = {
    .org = "acme", .services = services, .n_services = 1, .resource = "web01"};

/*
 * alice: admins (host:*, iam:read) and 2FA-exempt; bob: members (host:login)
 * until T0 + 100; carol: external until T0 + 50, members; dave: known, no
 * roles; olga: of another organization, cross (common:org:cross,
 * host:login) by a platform grant from T0 + 200; pete: another
 * organization's, no platform grant; zoe: several entries hold it.
 */
static void sample(struct orgrbac_view *v)
{
	struct orgrbac_facts *f;

	memset(v, 0, sizeof(*v));
	f = tf_new("alice", "acme");
	tf_role(f, "admins", "host:* iam:read");
	tf_role(f, "2FA-exempt", "");
	tf_grant(f, 0, false, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX);
	tf_grant(f, 1, true, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX);
	tf_add(v, "alice", f, NULL);
	f = tf_new("bob", "acme");
	tf_role(f, "members", "host:login");
	tf_grant(f, 0, false, ORGRBAC_TIME_MIN, T0 + 100);
	tf_add(v, "bob", f, NULL);
	f = tf_new("carol", "acme");
	tf_role(f, "members", "host:login");
	tf_grant(f, 0, false, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX);
	tf_external(f, ORGRBAC_MODE_WINDOW, T0 - 1000, T0 + 50);
	tf_add(v, "carol", f, NULL);
	tf_add(v, "dave", tf_new("dave", "acme"), NULL);
	f = tf_new("olga", "other");
	tf_role(f, "cross", "common:org:cross host:login");
	tf_grant(f, 0, true, T0 + 200, ORGRBAC_TIME_MAX);
	tf_add(v, "olga", f, NULL);
	tf_add(v, "pete", tf_new("pete", "other"), NULL);
	tf_add(v, "zoe", NULL, "uid 'zoe' is ambiguous: 2 entries hold it");
	tf_identity(v, "acme", "web01", "web");
}

static int setup(void **state)
{
	struct orgrbac_view v;
	orgrbac_error err;

	sample(&v);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/snapshot.db", dir);
	assert_int_equal(orgrbac_snapshot_write(path, &v, 1, T0, 3600, &err), 0);
	orgrbac_view_free(&v);
	assert_int_equal(
	    orgrbac_snapshot_open(
		path, ORGRBAC_SNAP_FACTS_ONLY | (geteuid() != 0 ? ORGRBAC_SNAP_TRUST_ANY_OWNER : 0),
		&snap, &err),
	    0);
	return 0;
}

static int teardown(void **state)
{
	orgrbac_snapshot_close(snap);
	unlink(path);
	return rmdir(dir);
}

struct answer {
	enum orgrbac_eval_status status;
	enum orgrbac_verdict verdict;
	bool exempt;
	char why[600];
};

static struct answer decide_on(const struct orgrbac_snapshot *s, const struct orgrbac_host *h,
			       const char *user, const char *require, int64_t now, int64_t max_age)
{
	struct orgrbac_expr *e = NULL;
	struct orgrbac_facts *f = NULL;
	struct orgrbac_decision d;
	struct answer a = {0};
	orgrbac_error err = {""};
	struct orgrbac_policy pol = {.mfa_exempt_role = "2FA-exempt",
				     .cross_org_privilege = "common:org:cross"};

	assert_int_equal(orgrbac_expr_parse(require, &e, &err), 0);
	pol.require = e;
	a.status = orgrbac_offline_decide(s, user, h, &pol, now, max_age, &f, &d, &err);
	a.verdict = d.verdict;
	a.exempt = d.mfa_exempt;
	snprintf(a.why, sizeof(a.why), "%s", a.status == ORGRBAC_EVAL_DECIDED ? d.reason : err.msg);
	orgrbac_facts_free(f);
	orgrbac_expr_free(e);
	return a;
}

static struct answer decide(const char *user, const char *require, int64_t now)
{
	return decide_on(snap, &host, user, require, now, 3600);
}

#define VERDICT(user, req, now, want)                                                              \
	do {                                                                                       \
		struct answer a_ = decide(user, req, now);                                         \
		if (a_.status != ORGRBAC_EVAL_DECIDED || a_.verdict != (want))                     \
			fail_msg("%s / %s at %lld: status %d verdict %d (%s)", user, req,          \
				 (long long)(now), a_.status, a_.verdict, a_.why);                 \
	} while (0)

static void test_allow_and_deny(void **state)
{
	VERDICT("alice", "host:sudo", T0 + 10, ORGRBAC_ALLOW);
	VERDICT("alice", "host:login && iam:read", T0, ORGRBAC_ALLOW);
	VERDICT("alice", "iam:write", T0, ORGRBAC_DENY);
	VERDICT("bob", "host:login", T0, ORGRBAC_ALLOW);
	VERDICT("bob", "host:sudo || iam:read", T0, ORGRBAC_DENY);
	VERDICT("dave", "host:login", T0, ORGRBAC_DENY);
	VERDICT("dave", "none", T0, ORGRBAC_ALLOW);
	assert_true(decide("alice", "none", T0).exempt);
	assert_false(decide("bob", "none", T0).exempt);
}

static void test_windows_close_on_time(void **state)
{
	VERDICT("bob", "host:login", T0 + 99, ORGRBAC_ALLOW);
	VERDICT("bob", "host:login", T0 + 100, ORGRBAC_DENY);
	VERDICT("carol", "host:login", T0 + 49, ORGRBAC_ALLOW);
	VERDICT("carol", "host:login", T0 + 50, ORGRBAC_EXPIRED);
	VERDICT("carol", "none", T0 + 50, ORGRBAC_EXPIRED);
}

/* Another organization's principals: refused as live refuses them, until a platform grant. */
static void test_foreign_user(void **state)
{
	VERDICT("olga", "none", T0, ORGRBAC_DENY);
	VERDICT("olga", "none", T0 + 200, ORGRBAC_ALLOW);
	VERDICT("olga", "host:login", T0 + 200, ORGRBAC_ALLOW);
	VERDICT("pete", "none", T0, ORGRBAC_DENY);
	assert_non_null(strstr(decide("pete", "none", T0).why, "cross-organization"));
}

static void test_unknown_refused_and_stale(void **state)
{
	struct answer a;

	VERDICT("nobody", "none", T0, ORGRBAC_UNKNOWN);
	VERDICT("ALICE", "host:login", T0, ORGRBAC_DENY);
	VERDICT("zoe", "none", T0, ORGRBAC_DENY);
	assert_non_null(strstr(decide("zoe", "none", T0).why, "ambiguous"));
	a = decide("al\nice", "none", T0);
	assert_int_equal(a.status, ORGRBAC_EVAL_BADNAME);
	a = decide("alice", "host:login", T0 + 3601);
	assert_int_equal(a.status, ORGRBAC_EVAL_UNAVAIL);
	assert_non_null(strstr(a.why, "older than 3600"));
	/* a snapshot from the future (clock set back) is not trusted either */
	assert_int_equal(decide("alice", "host:login", T0 - 1).status, ORGRBAC_EVAL_UNAVAIL);
}

/* A snapshot built for another host identity decides nothing. */
static void test_other_host(void **state)
{
	static const char *const other[] = {"db"};
	const struct orgrbac_host hosts[] = {
	    {.org = "other", .services = services, .n_services = 1, .resource = "web01"},
	    {.org = "acme", .services = other, .n_services = 1, .resource = "web01"},
	    {.org = "acme", .services = services, .n_services = 1, .resource = "web02"},
	};

	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		struct answer a = decide_on(snap, &hosts[i], "alice", "none", T0, 3600);

		assert_int_equal(a.status, ORGRBAC_EVAL_UNAVAIL);
		assert_non_null(strstr(a.why, "built for"));
	}
}

/*
 * A hostile header: the sync time is the file's word, the clock may be
 * anywhere. Ages saturate; none wraps into "fresh enough to decide".
 */
static void extreme_sync_times(void **state)
{
	static const struct {
		int64_t synced_at, now, max_age;
		bool decided;
	} cases[] = {
	    {T0, T0 + 3600, 3600, true}, /* the bound itself */
	    {T0, T0 + 3601, 3600, false},
	    {T0 + 1, T0, 3600, false}, /* synced in the future */
	    {INT64_MIN, T0, 3600, false},
	    {INT64_MIN, T0, INT64_MAX, false},
	    {INT64_MIN, INT64_MAX, INT64_MAX, false},
	    {INT64_MIN + 1, 0, INT64_MAX, false}, /* INT64_MAX: the clamp */
	    {-1, INT64_MAX, INT64_MAX, false},
	    {INT64_MAX, T0, 3600, false},
	    {INT64_MAX, T0, INT64_MAX, false},
	    {INT64_MAX, INT64_MIN, INT64_MAX, false},
	    {T0, INT64_MIN, INT64_MAX, false},
	    {T0, INT64_MAX, 3600, false},
	    {T0, T0, 0, false},
	    {T0, T0, -1, false},
	    {T0, T0, INT64_MIN, false},
	};
	char p[sizeof(dir) + 32];

	snprintf(p, sizeof(p), "%s/extreme.db", dir);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct orgrbac_snapshot *s = NULL;
		struct orgrbac_view v;
		orgrbac_error err;
		struct answer a;

		sample(&v);
		assert_int_equal(
		    orgrbac_snapshot_write(p, &v, 1, cases[i].synced_at, cases[i].max_age, &err),
		    0);
		orgrbac_view_free(&v);
		assert_int_equal(
		    orgrbac_snapshot_open(p, geteuid() != 0 ? ORGRBAC_SNAP_TRUST_ANY_OWNER : 0, &s,
					  &err),
		    0);
		a = decide_on(s, &host, "alice", "host:login", cases[i].now, cases[i].max_age);
		if ((a.status == ORGRBAC_EVAL_DECIDED) != cases[i].decided)
			fail_msg("case %zu: synced_at %lld, now %lld, max_age %lld: status %d (%s)",
				 i, (long long)cases[i].synced_at, (long long)cases[i].now,
				 (long long)cases[i].max_age, (int)a.status, a.why);
		orgrbac_snapshot_close(s);
	}
	unlink(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_allow_and_deny), cmocka_unit_test(test_windows_close_on_time),
	    cmocka_unit_test(test_foreign_user),   cmocka_unit_test(test_unknown_refused_and_stale),
	    cmocka_unit_test(test_other_host),	   cmocka_unit_test(extreme_sync_times),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
