/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the snapshot's reader and writer: round trip, corruptions, buffers, windows. */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "snapshot.h"
/* The records, so that corruptions can reach past the checksum and carry a valid one. */
#include "snapshot_format.h"
#include "view.h"

#define T0 ((int64_t)1794744000) /* 2026-11-15T12:00:00Z: the sync */
#define T1 (T0 + 100)		 /* bob's membership opens */
#define T2 (T0 + 200)		 /* and closes */

static char dir[] = "/tmp/test_snapshot.XXXXXX";
static char path[sizeof(dir) + 32];

static int trust(void)
{
	return geteuid() != 0 ? ORGRBAC_SNAP_TRUST_ANY_OWNER : 0;
}

/*
 * users: zed (0), alice (1), bob (2), carol (3, external until T2)
 * groups: members 5001 (0), admins 5000 (1), ops 5002 (2, nobody)
 * alice: admins; bob: members in [T1, T2), admins twice; carol: members
 * The view is given unsorted on purpose: the writer sorts it.
 */
static void sample(struct orgrbac_view *v)
{
	memset(v, 0, sizeof(*v));
	add_user(v, "zed", ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX);
	add_user(v, "alice", ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX);
	add_user(v, "bob", ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX);
	add_user(v, "carol", T0 - 1000, T2);
	add_role(v, "members", 5001, "host:login");
	add_role(v, "admins", 5000, "host:login host:sudo");
	add_role(v, "ops", 5002, "");
	add_member(v, 1, 1, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX);
	add_member(v, 2, 0, T1, T2);
	add_member(v, 2, 1, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX);
	add_member(v, 2, 1, T0, ORGRBAC_TIME_MAX);
	add_member(v, 3, 0, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX);
	add_member(v, 0, 1, ORGRBAC_TIME_MIN, T0 - 1); /* ended before the sync */
}

static int setup(void **state)
{
	struct orgrbac_view v;
	orgrbac_error err;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/snapshot.db", dir);
	sample(&v);
	assert_int_equal(orgrbac_snapshot_write(path, &v, 7, T0, 3600, &err), 0);
	orgrbac_view_free(&v);
	return 0;
}

static int teardown(void **state)
{
	char cmd[sizeof(dir) + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct orgrbac_snapshot *open_ok(void)
{
	struct orgrbac_snapshot *s = NULL;
	orgrbac_error err;

	if (orgrbac_snapshot_open(path, trust(), &s, &err) != 0)
		fail_msg("%s", err.msg);
	return s;
}

static const char *members_at(struct orgrbac_snapshot *s, const char *group, int64_t now, char *out,
			      size_t len)
{
	struct group gr;
	char buf[1024];
	long idx = orgrbac_snapshot_find_name(s, group);

	assert_true(idx >= 0);
	assert_int_equal(orgrbac_snapshot_group(s, (size_t)idx, now, &gr, buf, sizeof(buf)),
			 ORGRBAC_SNAP_OK);
	assert_string_equal(gr.gr_name, group);
	out[0] = '\0';
	for (char **m = gr.gr_mem; *m != NULL; m++) {
		strncat(out, *m, len - strlen(out) - 1);
		strncat(out, " ", len - strlen(out) - 1);
	}
	return out;
}

static void round_trip(void **state)
{
	struct orgrbac_snapshot *s = open_ok();
	const char *cn;
	uint32_t gid;
	char m[256];

	assert_int_equal(orgrbac_snapshot_generation(s), 7);
	assert_int_equal(orgrbac_snapshot_synced_at(s), T0);
	assert_int_equal(orgrbac_snapshot_max_age(s), 3600);
	assert_int_equal(orgrbac_snapshot_count_users(s), 4);
	assert_int_equal(orgrbac_snapshot_count_roles(s), 3);
	assert_int_equal(orgrbac_snapshot_count_members(s), 6);
	/* in gid order */
	assert_string_equal(orgrbac_snapshot_role(s, 0, &gid, &cn), "admins");
	assert_int_equal(gid, 5000);
	assert_string_equal(cn, "admins");
	assert_string_equal(orgrbac_snapshot_role(s, 2, &gid, NULL), "ops");
	assert_null(orgrbac_snapshot_role(s, 3, &gid, NULL));
	assert_int_equal(orgrbac_snapshot_find_gid(s, 5001), 1);
	assert_int_equal(orgrbac_snapshot_find_gid(s, 4999), -1);
	assert_int_equal(orgrbac_snapshot_find_gid(s, 6000), -1);
	assert_int_equal(orgrbac_snapshot_find_name(s, "ops"), 2);
	assert_int_equal(orgrbac_snapshot_find_name(s, "op"), -1);
	assert_int_equal(orgrbac_snapshot_find_name(s, ""), -1);
	/* bob holds admins twice: listed once */
	assert_string_equal(members_at(s, "admins", T0, m, sizeof(m)), "alice bob ");
	assert_string_equal(members_at(s, "ops", T0, m, sizeof(m)), "");
	orgrbac_snapshot_close(s);
}

static void time_windows(void **state)
{
	struct orgrbac_snapshot *s = open_ok();
	char m[256];

	assert_string_equal(members_at(s, "members", T0, m, sizeof(m)), "carol ");
	assert_string_equal(members_at(s, "members", T1 - 1, m, sizeof(m)), "carol ");
	assert_string_equal(members_at(s, "members", T1, m, sizeof(m)), "bob carol ");
	assert_string_equal(members_at(s, "members", T2 - 1, m, sizeof(m)), "bob carol ");
	/* bob's window closes at T2, and carol's external access with it */
	assert_string_equal(members_at(s, "members", T2, m, sizeof(m)), "");
	/* zed's membership ended before the sync */
	assert_string_equal(members_at(s, "admins", T0 - 2, m, sizeof(m)), "alice bob zed ");
	assert_string_equal(members_at(s, "admins", T0 - 1, m, sizeof(m)), "alice bob ");
	orgrbac_snapshot_close(s);
}

static void offline_queries(void **state)
{
	struct orgrbac_snapshot *s = open_ok();
	long admins = orgrbac_snapshot_find_name(s, "admins");
	long members = orgrbac_snapshot_find_name(s, "members");

	assert_string_equal(orgrbac_snapshot_privilege(s, (size_t)admins, 0), "host:login");
	assert_string_equal(orgrbac_snapshot_privilege(s, (size_t)admins, 1), "host:sudo");
	assert_null(orgrbac_snapshot_privilege(s, (size_t)admins, 2));
	assert_null(orgrbac_snapshot_privilege(s, 99, 0));
	assert_true(orgrbac_snapshot_holds_role(s, (size_t)admins, "alice", T0));
	assert_false(orgrbac_snapshot_holds_role(s, (size_t)members, "alice", T0));
	assert_false(orgrbac_snapshot_holds_role(s, (size_t)members, "bob", T0));
	assert_true(orgrbac_snapshot_holds_role(s, (size_t)members, "bob", T1));
	assert_true(orgrbac_snapshot_holds_role(s, (size_t)members, "carol", T1));
	assert_false(orgrbac_snapshot_holds_role(s, (size_t)members, "carol", T2));
	assert_false(orgrbac_snapshot_holds_role(s, (size_t)members, "nobody", T1));
	assert_false(orgrbac_snapshot_holds_role(s, 99, "alice", T1));
	orgrbac_snapshot_close(s);
}

static void fresh(void **state)
{
	struct orgrbac_snapshot *s = open_ok();

	assert_true(orgrbac_snapshot_fresh(s, T0));
	assert_true(orgrbac_snapshot_fresh(s, T0 + 3600));
	assert_false(orgrbac_snapshot_fresh(s, T0 + 3601));
	assert_false(orgrbac_snapshot_fresh(s, T0 - 3601));
	orgrbac_snapshot_close(s);
}

static void erange(void **state)
{
	struct orgrbac_snapshot *s = open_ok();
	struct group gr;
	char buf[512];
	size_t need = 0;

	/* Every size below the one that fits is ERANGE, never a write past it. */
	for (size_t len = 0; len < sizeof(buf); len++) {
		enum orgrbac_snap_status st;

		memset(buf, 0xa5, sizeof(buf));
		st = orgrbac_snapshot_group(s, 0, T0, &gr, buf, len);
		for (size_t i = len; i < sizeof(buf); i++)
			assert_int_equal((unsigned char)buf[i], 0xa5);
		if (st == ORGRBAC_SNAP_OK) {
			need = len;
			break;
		}
		assert_int_equal(st, ORGRBAC_SNAP_ERANGE);
	}
	assert_true(need > 0);
	assert_string_equal(gr.gr_name, "admins");
	assert_string_equal(gr.gr_passwd, "x");
	assert_int_equal(gr.gr_gid, 5000);
	assert_string_equal(gr.gr_mem[0], "alice");
	assert_string_equal(gr.gr_mem[1], "bob");
	assert_null(gr.gr_mem[2]);
	assert_int_equal(orgrbac_snapshot_group(s, 3, T0, &gr, buf, sizeof(buf)),
			 ORGRBAC_SNAP_NOTFOUND);
	orgrbac_snapshot_close(s);
}

static void initgroups_growth(void **state)
{
	struct orgrbac_snapshot *s = open_ok();
	long start = 1, size = 1;
	gid_t *groups = malloc(sizeof(*groups));

	assert_non_null(groups);
	groups[0] = 100;
	/* bob at T1: admins (twice) and members; the array doubles from 1 to 4 */
	assert_int_equal(orgrbac_snapshot_initgroups(s, "bob", 100, T1, &start, &size, &groups, 0),
			 ORGRBAC_SNAP_OK);
	assert_int_equal(start, 3);
	assert_int_equal(size, 4);
	assert_int_equal(groups[1], 5000);
	assert_int_equal(groups[2], 5001);
	/* again: nothing is added twice */
	assert_int_equal(orgrbac_snapshot_initgroups(s, "bob", 100, T1, &start, &size, &groups, 0),
			 ORGRBAC_SNAP_OK);
	assert_int_equal(start, 3);
	free(groups);

	/* the primary group is skipped */
	start = 0;
	size = 0;
	groups = NULL;
	assert_int_equal(orgrbac_snapshot_initgroups(s, "bob", 5000, T1, &start, &size, &groups, 0),
			 ORGRBAC_SNAP_OK);
	assert_int_equal(start, 1);
	assert_int_equal(groups[0], 5001);
	free(groups);

	/* the limit stops it quietly, and the array never grows beyond it */
	start = 1;
	size = 1;
	groups = malloc(sizeof(*groups));
	groups[0] = 100;
	assert_int_equal(orgrbac_snapshot_initgroups(s, "bob", 100, T1, &start, &size, &groups, 2),
			 ORGRBAC_SNAP_OK);
	assert_int_equal(start, 2);
	assert_int_equal(size, 2);
	assert_int_equal(groups[1], 5000);
	free(groups);

	/* outside bob's window only admins; unknown users and closed windows: NOTFOUND */
	start = 0;
	size = 4;
	groups = calloc(4, sizeof(*groups));
	assert_int_equal(orgrbac_snapshot_initgroups(s, "bob", 100, T2, &start, &size, &groups, 0),
			 ORGRBAC_SNAP_OK);
	assert_int_equal(start, 1);
	assert_int_equal(groups[0], 5000);
	start = 0;
	assert_int_equal(
	    orgrbac_snapshot_initgroups(s, "nobody", 100, T1, &start, &size, &groups, 0),
	    ORGRBAC_SNAP_NOTFOUND);
	assert_int_equal(
	    orgrbac_snapshot_initgroups(s, "carol", 100, T2, &start, &size, &groups, 0),
	    ORGRBAC_SNAP_NOTFOUND);
	assert_int_equal(start, 0);
	free(groups);
	orgrbac_snapshot_close(s);
}

/* The file, in a buffer aligned as a mapping is. */
static size_t h_sums(const unsigned char *b)
{
	struct orgrbac_snap_header h;

	memcpy(&h, b, sizeof(h));
	return h.sums.off;
}

static unsigned char *load(size_t *len)
{
	char *text;
	unsigned char *buf;
	orgrbac_error err;

	assert_int_equal(orgrbac_read_file(path, 0, ORGRBAC_FILE_MAX, &text, len, &err), 0);
	buf = aligned_alloc(8, (*len + 7) & ~(size_t)7);
	assert_non_null(buf);
	memcpy(buf, text, *len);
	free(text);
	return buf;
}

/* The header's checksum, over the header and its section table only, as the writer sets it. */
static void reseal(unsigned char *buf, size_t len)
{
	struct orgrbac_snap_header h;

	(void)len;
	memcpy(&h, buf, sizeof(h));
	h.checksum =
	    orgrbac_snap_checksum(buf + SNAP_HEADER_SUMMED, SNAP_HEADER_SIZE - SNAP_HEADER_SUMMED);
	memcpy(buf, &h, sizeof(h));
}

static struct orgrbac_snap_header *hdr(unsigned char *b)
{
	return (struct orgrbac_snap_header *)(void *)b;
}

static struct orgrbac_snap_role *role_entry(unsigned char *b, size_t i)
{
	return (struct orgrbac_snap_role *)(void *)(b + hdr(b)->roles.off) + i;
}

static struct orgrbac_snap_user *user_entry(unsigned char *b, size_t i)
{
	return (struct orgrbac_snap_user *)(void *)(b + hdr(b)->users.off) + i;
}

/* Role i's record, in the file. */
static unsigned char *role_record(unsigned char *b, size_t i)
{
	return b + hdr(b)->regions.off + role_entry(b, i)->off;
}

/* The user record named `name`. */
static unsigned char *user_record(unsigned char *b, const char *name, size_t *k)
{
	for (size_t i = 0; i < hdr(b)->users.n; i++) {
		unsigned char *r = b + hdr(b)->regions.off + user_entry(b, i)->off;
		struct orgrbac_snap_uhead u;

		memcpy(&u, r, sizeof(u));
		if (strcmp((const char *)r + u.name.off, name) == 0) {
			*k = i;
			return r;
		}
	}
	fail_msg("no user %s", name);
	return NULL;
}

/* One table's block checksums, from sums[*k] on, as the writer computes them. */
static void reseal_table(unsigned char *b, uint32_t off, size_t n, size_t size, size_t *k)
{
	uint64_t *sums = (uint64_t *)(void *)(b + hdr(b)->sums.off);

	for (size_t first = 0; first < n; first += SNAP_BLOCK, (*k)++) {
		size_t bytes = (n - first < SNAP_BLOCK ? n - first : SNAP_BLOCK) * size;

		sums[*k] =
		    orgrbac_snap_region_sum(b + off + first * size, off + first * size, bytes);
	}
}

/* Role i's record checksum, then every table block, then the header. */
static void reseal_role(unsigned char *b, size_t len, size_t i)
{
	struct orgrbac_snap_role *e = role_entry(b, i);

	e->sum = orgrbac_snap_region_sum(role_record(b, i), hdr(b)->regions.off + (uint64_t)e->off,
					 e->len);
}

static void reseal_tables(unsigned char *b, size_t len)
{
	struct orgrbac_snap_header *h = hdr(b);
	size_t k = 0;

	reseal_table(b, h->users.off, h->users.n, SNAP_USER_SIZE, &k);
	reseal_table(b, h->roles.off, h->roles.n, SNAP_ROLE_SIZE, &k);
	reseal_table(b, h->by_name.off, h->by_name.n, SNAP_NAME_SIZE, &k);
	reseal(b, len);
}

/* Refused with a message containing `why`. */
static void refused(const unsigned char *buf, size_t len, const char *why)
{
	struct orgrbac_snapshot *s = NULL;
	orgrbac_error err = {""};

	assert_int_equal(orgrbac_snapshot_from_buffer(buf, len, &s, &err), -1);
	assert_null(s);
	if (strstr(err.msg, why) == NULL)
		fail_msg("wanted '%s', got '%s'", why, err.msg);
}

/*
 * The header's sync time and max_age are the file's word: every extreme
 * value, with the checksum resealed, must saturate, never wrap into fresh.
 */
static void fresh_extremes(void **state)
{
	static const struct {
		int64_t synced_at, max_age, now;
		bool fresh;
	} cases[] = {
	    /* the ordinary bounds, for reference */
	    {T0, 3600, T0 + 3600, true},
	    {T0, 3600, T0 + 3601, false},
	    {T0, 3600, T0 - 3600, true},
	    {T0, 3600, T0 - 3601, false},
	    /* a sync at the dawn of int64: now - synced_at does not fit */
	    {INT64_MIN, 3600, T0, false},
	    {INT64_MIN, INT64_MAX, T0, false},
	    {INT64_MIN, INT64_MAX, INT64_MAX, false},
	    {INT64_MIN + 2, INT64_MAX, 0, true},  /* INT64_MAX - 1 s old: fits, and is in */
	    {INT64_MIN + 1, INT64_MAX, 0, false}, /* INT64_MAX is the clamp: never fresh */
	    {INT64_MIN + 1, INT64_MAX, 1, false}, /* one more does not fit */
	    {-1, INT64_MAX, INT64_MAX, false},
	    /* a sync at the end of int64: in the future, far beyond max_age */
	    {INT64_MAX, 3600, T0, false},
	    {INT64_MAX, 3600, INT64_MIN, false},
	    {INT64_MAX, INT64_MAX, INT64_MIN, false},
	    /* a clock set to the extremes against an ordinary header */
	    {T0, 3600, INT64_MAX, false},
	    {T0, 3600, INT64_MIN, false},
	    {T0, INT64_MAX, INT64_MIN, false},
	    {T0, INT64_MAX, INT64_MAX, true}, /* INT64_MAX - T0 s old fits, and is in */
	    /* no usable max_age */
	    {T0, 0, T0, false},
	    {T0, -1, T0, false},
	    {T0, INT64_MIN, T0, false},
	    {INT64_MIN, INT64_MIN, INT64_MAX, false},
	};
	size_t len;
	unsigned char *good = load(&len), *b = aligned_alloc(8, (len + 7) & ~(size_t)7);
	struct orgrbac_snap_header *h = (struct orgrbac_snap_header *)(void *)b;

	assert_non_null(b);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct orgrbac_snapshot *s = NULL;
		orgrbac_error err;

		memcpy(b, good, len);
		h->synced_at = cases[i].synced_at;
		h->max_age = cases[i].max_age;
		reseal(b, len);
		assert_int_equal(orgrbac_snapshot_from_buffer(b, len, &s, &err), 0);
		if (orgrbac_snapshot_fresh(s, cases[i].now) != cases[i].fresh)
			fail_msg("case %zu: synced_at %lld, max_age %lld, now %lld: wanted %s", i,
				 (long long)cases[i].synced_at, (long long)cases[i].max_age,
				 (long long)cases[i].now, cases[i].fresh ? "fresh" : "stale");
		orgrbac_snapshot_close(s);
	}
	free(b);
	free(good);
}

static void corruptions(void **state)
{
	size_t len;
	unsigned char *good = load(&len), *b = aligned_alloc(8, (len + 7) & ~(size_t)7);
	struct orgrbac_snap_header *h = (struct orgrbac_snap_header *)(void *)b;
	struct orgrbac_snapshot *s;
	orgrbac_error err;

	assert_non_null(b);
	assert_int_equal(orgrbac_snapshot_from_buffer(good, len, &s, &err), 0);
	orgrbac_snapshot_close(s);

#define FRESH() memcpy(b, good, len)
	FRESH();
	refused(b, 0, "truncated");
	refused(b, 100, "truncated");
	refused(b, len - 1, "truncated");
	refused(b, len - 8, "truncated");
	FRESH();
	memcpy(b, "ORGRBSNQ", 8);
	refused(b, len, "bad magic");
	FRESH();
	h->version = SNAP_VERSION + 1;
	reseal(b, len);
	refused(b, len, "unknown version");
	/* the last format: refused, saying what writes the one this reader reads */
	FRESH();
	h->version = 3;
	reseal(b, len);
	refused(b, len,
		"unknown version 3: this orgrbac reads version 4 only, which the next "
		"`orgrbac sync` (or publication of `orgrbac follow`) writes");
	FRESH();
	h->version = 2;
	reseal(b, len);
	refused(b, len, "unknown version 2: this orgrbac reads version 4 only");
	FRESH();
	b[40] ^= 1; /* the sync time, covered by the checksum */
	refused(b, len, "bad checksum");
	FRESH();
	b[60] ^= 1; /* the section table, covered too */
	refused(b, len, "bad checksum");

	/* Sections out of range, overlapping or out of order, with a valid checksum. */
	FRESH();
	h->users.off = (uint32_t)len;
	reseal(b, len);
	refused(b, len, "section");
	FRESH();
	h->users.n = 1000000;
	reseal(b, len);
	refused(b, len, "section");
	FRESH();
	h->roles.off += 4; /* misaligned */
	reseal(b, len);
	refused(b, len, "section");
	FRESH();
	h->roles.off = h->users.off; /* overlapping the users' index */
	reseal(b, len);
	refused(b, len, "section");
	FRESH();
	h->regions.n = h->principals.off; /* into the decision part */
	reseal(b, len);
	refused(b, len, "section");
	FRESH();
	h->by_name.n--;
	reseal(b, len);
	refused(b, len, "counts disagree");
	FRESH();
	h->sums.n--;
	reseal(b, len);
	refused(b, len, "counts disagree");
	/* The decision part's sections out of range, overlapping or out of order. */
	FRESH();
	h->shared_roles.off = h->principals.off - 8; /* before the principals' index */
	reseal(b, len);
	refused(b, len, "decision part is out of range");
	FRESH();
	h->shared_grants.off += 4; /* misaligned */
	reseal(b, len);
	refused(b, len, "decision part is out of range");
	FRESH();
	h->shared_grants.n = 1000000; /* into the facts */
	reseal(b, len);
	refused(b, len, "decision part is out of range");
	FRESH();
	h->principals.n = 1000000;
	reseal(b, len);
	refused(b, len, "decision part is out of range");
	/* Reserved header bytes must be zero. */
	FRESH();
	h->zero3 = 1;
	reseal(b, len);
	refused(b, len, "unknown header fields");
	free(b);
	free(good);
}

/* Open b, which must open: its corruption lies beyond the header. */
static struct orgrbac_snapshot *opens(unsigned char *b, size_t len)
{
	struct orgrbac_snapshot *s = NULL;
	orgrbac_error err;

	if (orgrbac_snapshot_from_buffer(b, len, &s, &err) != 0)
		fail_msg("%s", err.msg);
	return s;
}

static enum orgrbac_snap_status group_named(struct orgrbac_snapshot *s, const char *name)
{
	struct group gr;
	char buf[1024];

	return orgrbac_snapshot_group_by_name(s, name, T1, &gr, buf, sizeof(buf));
}

static enum orgrbac_snap_status groups_of(struct orgrbac_snapshot *s, const char *user)
{
	long start = 0, size = 0;
	gid_t *groups = NULL;
	enum orgrbac_snap_status st =
	    orgrbac_snapshot_initgroups(s, user, 0, T1, &start, &size, &groups, 0);

	free(groups);
	return st;
}

/*
 * A corrupt record is that lookup's UNAVAIL (CORRUPT), not the file's: the
 * other groups and users still answer. Roles in gid order: admins 5000 (0),
 * members 5001 (1), ops 5002 (2).
 */
static void corrupt_regions(void **state)
{
	size_t len, k;
	unsigned char *good = load(&len), *b = aligned_alloc(8, (len + 7) & ~(size_t)7);
	struct orgrbac_snapshot *s;
	struct group gr;
	char buf[1024];

	assert_non_null(b);
	/* a byte of members' record (a member's name): that group only */
	FRESH();
	role_record(b, 1)[role_entry(b, 1)->len - 2] ^= 0x20;
	s = opens(b, len);
	assert_int_equal(group_named(s, "members"), ORGRBAC_SNAP_CORRUPT);
	assert_int_equal(orgrbac_snapshot_group(s, 1, T1, &gr, buf, sizeof(buf)),
			 ORGRBAC_SNAP_CORRUPT);
	assert_int_equal(orgrbac_snapshot_group_by_gid(s, 5001, T1, &gr, buf, sizeof(buf)),
			 ORGRBAC_SNAP_CORRUPT);
	assert_int_equal(orgrbac_snapshot_find_name(s, "members"), -2);
	assert_null(orgrbac_snapshot_role(s, 1, NULL, NULL));
	assert_int_equal(group_named(s, "admins"), ORGRBAC_SNAP_OK);
	assert_int_equal(group_named(s, "ops"), ORGRBAC_SNAP_OK);
	assert_int_equal(groups_of(s, "bob"), ORGRBAC_SNAP_OK); /* users' records are apart */
	orgrbac_snapshot_close(s);

	/* a byte of bob's record: bob's groups only */
	FRESH();
	user_record(b, "bob", &k)[SNAP_UHEAD_SIZE] ^= 1;
	s = opens(b, len);
	assert_int_equal(groups_of(s, "bob"), ORGRBAC_SNAP_CORRUPT);
	assert_false(orgrbac_snapshot_holds_role(s, 0, "bob", T1));
	assert_int_equal(groups_of(s, "alice"), ORGRBAC_SNAP_OK);
	assert_true(orgrbac_snapshot_holds_role(s, 0, "alice", T1));
	assert_int_equal(group_named(s, "admins"), ORGRBAC_SNAP_OK);
	orgrbac_snapshot_close(s);

	/* a byte of the roles' table: every lookup that reads its block */
	FRESH();
	role_entry(b, 2)->gid ^= 0x10;
	s = opens(b, len);
	assert_int_equal(orgrbac_snapshot_find_gid(s, 5002), -2);
	assert_int_equal(group_named(s, "ops"), ORGRBAC_SNAP_CORRUPT);
	assert_int_equal(groups_of(s, "bob"), ORGRBAC_SNAP_OK);
	orgrbac_snapshot_close(s);

	/* the block checksums themselves */
	FRESH();
	b[h_sums(b)] ^= 1;
	s = opens(b, len);
	assert_int_equal(groups_of(s, "bob"), ORGRBAC_SNAP_CORRUPT);
	assert_int_equal(group_named(s, "ops"), ORGRBAC_SNAP_OK);
	orgrbac_snapshot_close(s);
	free(b);
	free(good);
}

/*
 * Records that check out (resealed) but point where they must not: outside
 * the records, at another role's record, counts and strings beyond their
 * record. Each is CORRUPT for its lookup, never a read outside.
 */
static void forged_regions(void **state)
{
	size_t len;
	unsigned char *good = load(&len), *b = aligned_alloc(8, (len + 7) & ~(size_t)7);
	struct orgrbac_snapshot *s;
	struct orgrbac_snap_rhead rh;
	struct orgrbac_snap_member m;
	static const struct {
		uint32_t off, len;
	} outside[] = {{0xfffffff8, 16}, {8, 0xffffffff}, {0, 0}, {0, 8}, {4, 64}};

	assert_non_null(b);
	for (size_t i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
		FRESH();
		if (outside[i].off == 0xfffffff8 || outside[i].len == 0xffffffff) {
			role_entry(b, 2)->off = outside[i].off;
			role_entry(b, 2)->len = outside[i].len;
		} else {
			role_entry(b, 2)->off = outside[i].off;
			role_entry(b, 2)->len = outside[i].len;
			if (outside[i].off % 8 == 0)
				reseal_role(b, len, 2);
		}
		reseal_tables(b, len);
		s = opens(b, len);
		assert_int_equal(group_named(s, "ops"), ORGRBAC_SNAP_CORRUPT);
		assert_int_equal(group_named(s, "admins"), ORGRBAC_SNAP_OK);
		orgrbac_snapshot_close(s);
	}
	/* a region the size of the records, from their start: beyond them by one byte */
	FRESH();
	role_entry(b, 2)->off = 8;
	role_entry(b, 2)->len = hdr(b)->regions.n;
	reseal_tables(b, len);
	s = opens(b, len);
	assert_int_equal(group_named(s, "ops"), ORGRBAC_SNAP_CORRUPT);
	orgrbac_snapshot_close(s);

	/* overlapping: ops's entry points at admins's record, checksum and all */
	FRESH();
	role_entry(b, 2)->off = role_entry(b, 0)->off;
	role_entry(b, 2)->len = role_entry(b, 0)->len;
	role_entry(b, 2)->sum = role_entry(b, 0)->sum;
	reseal_tables(b, len);
	s = opens(b, len);
	assert_int_equal(group_named(s, "ops"), ORGRBAC_SNAP_CORRUPT); /* its gid is not 5002 */
	assert_int_equal(orgrbac_snapshot_find_gid(s, 5002), 2);
	assert_int_equal(group_named(s, "admins"), ORGRBAC_SNAP_OK);
	orgrbac_snapshot_close(s);

	/* counts beyond the record, at the ends of uint32_t */
	for (int which = 0; which < 4; which++) {
		static const uint32_t n[] = {0xffffffff, 0x0aaaaaab, 0x80000000, 1000};

		FRESH();
		memcpy(&rh, role_record(b, 0), sizeof(rh));
		if (which % 2 == 0)
			rh.n_members = n[which];
		else
			rh.n_privileges = n[which];
		memcpy(role_record(b, 0), &rh, sizeof(rh));
		reseal_role(b, len, 0);
		reseal_tables(b, len);
		s = opens(b, len);
		assert_int_equal(group_named(s, "admins"), ORGRBAC_SNAP_CORRUPT);
		assert_null(orgrbac_snapshot_privilege(s, 0, 0));
		assert_int_equal(group_named(s, "members"), ORGRBAC_SNAP_OK);
		orgrbac_snapshot_close(s);
	}
	/* strings beyond the record, or without their NUL */
	for (int which = 0; which < 4; which++) {
		static const struct orgrbac_snap_str bad[] = {
		    {0xffffffff, 1}, {0, 0xffffffff}, {8, 0x7fffffff}, {0, 3}};

		FRESH();
		memcpy(&m, role_record(b, 0) + SNAP_RHEAD_SIZE, sizeof(m));
		m.name = bad[which];
		memcpy(role_record(b, 0) + SNAP_RHEAD_SIZE, &m, sizeof(m));
		reseal_role(b, len, 0);
		reseal_tables(b, len);
		s = opens(b, len);
		assert_int_equal(group_named(s, "admins"), ORGRBAC_SNAP_CORRUPT);
		orgrbac_snapshot_close(s);
	}
	/* the name index pointing past the roles */
	FRESH();
	((struct orgrbac_snap_name *)(void *)(b + hdr(b)->by_name.off))[0].role = 3;
	reseal_tables(b, len);
	s = opens(b, len);
	assert_true(orgrbac_snapshot_find_name(s, "admins") == -2 ||
		    orgrbac_snapshot_find_name(s, "members") == -2 ||
		    orgrbac_snapshot_find_name(s, "ops") == -2);
	orgrbac_snapshot_close(s);
	free(b);
	free(good);
}

/*
 * Section offsets and counts are the file's words: at the ends of uint32_t
 * their sums and products must not wrap into range (they are computed in 64
 * bits), and the file size at the end of uint64_t is a size mismatch.
 */
static void offsets_at_the_limits(void **state)
{
	enum { REGIONS, USERS, ROLES, NAMES, SUMS, SIZE };
	static const struct {
		int what;
		uint32_t a, b;
		const char *why;
	} cases[] = {
	    {REGIONS, 0xfffffff8, 16, "section"},
	    {REGIONS, 160, 0xffffffff, "section"},
	    {USERS, 0xfffffff8, 1, "section"},
	    {USERS, 160, 0x0aaaaaab, "section"}, /* 24 * n wraps to 8 in 32 bits */
	    {USERS, 160, 0xffffffff, "section"},
	    {ROLES, 0xfffffff8, 0xffffffff, "section"},
	    {NAMES, 160, 0x10000000, "section"}, /* 16 * 2^28 = 2^32 */
	    {SUMS, 160, 0x20000000, "section"},	 /* 8 * 2^29 = 2^32 */
	    {SIZE, 0xffffffff, 0xffffffff, "truncated or padded"},
	};
	size_t len;
	unsigned char *good = load(&len), *b = aligned_alloc(8, (len + 7) & ~(size_t)7);
	struct orgrbac_snap_header *h = (struct orgrbac_snap_header *)(void *)b;

	assert_non_null(b);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct orgrbac_snap_section *sec = NULL;

		memcpy(b, good, len);
		switch (cases[i].what) {
		case REGIONS: sec = &h->regions; break;
		case USERS: sec = &h->users; break;
		case ROLES: sec = &h->roles; break;
		case NAMES: sec = &h->by_name; break;
		case SUMS: sec = &h->sums; break;
		case SIZE: h->file_size = UINT64_MAX; break;
		}
		if (sec != NULL) {
			sec->off = cases[i].a;
			sec->n = cases[i].b;
		}
		reseal(b, len);
		refused(b, len, cases[i].why);
	}
	free(b);
	free(good);
}

/*
 * Every header byte set to a few values, resealed: refused, or accepted and
 * then answering lookups without a crash (run under ASan to see it).
 */
static void header_bytes(void **state)
{
	static const unsigned char values[] = {0x00, 0x01, 0x7f, 0x80, 0xff};
	size_t len;
	unsigned char *good = load(&len), *b = aligned_alloc(8, (len + 7) & ~(size_t)7);

	assert_non_null(b);
	for (size_t i = 0; i < SNAP_HEADER_SIZE; i++) {
		if (i >= 24 && i < 32)
			continue; /* the checksum itself */
		for (size_t k = 0; k < sizeof(values); k++) {
			struct orgrbac_snapshot *s = NULL;
			orgrbac_error err;
			struct group gr;
			char buf[256];
			long start = 0, size = 0;
			gid_t *groups = NULL;

			memcpy(b, good, len);
			b[i] = values[k];
			reseal(b, len);
			if (orgrbac_snapshot_from_buffer(b, len, &s, &err) != 0)
				continue;
			for (size_t r = 0; r < orgrbac_snapshot_count_roles(s); r++)
				orgrbac_snapshot_group(s, r, T1, &gr, buf, sizeof(buf));
			orgrbac_snapshot_find_name(s, "admins");
			orgrbac_snapshot_find_gid(s, 5001);
			orgrbac_snapshot_initgroups(s, "bob", 0, T1, &start, &size, &groups, 0);
			free(groups);
			orgrbac_snapshot_close(s);
		}
	}
	free(b);
	free(good);
}

static void file_checks(void **state)
{
	struct orgrbac_snapshot *s = NULL;
	orgrbac_error err;
	char link[sizeof(path) + 8], copy[sizeof(path) + 8];

	/* Only root's, unwritable snapshots are read: tests as root see the owner check too. */
	assert_int_equal(chmod(path, 0664), 0);
	assert_int_equal(orgrbac_snapshot_open(path, 0, &s, &err), -1);
	assert_non_null(strstr(err.msg, "must not be writable by group or others"));
	assert_int_equal(chmod(path, 0644), 0);
	if (geteuid() == 0) {
		assert_int_equal(chown(path, 65534, 0), 0);
		assert_int_equal(orgrbac_snapshot_open(path, 0, &s, &err), -1);
		assert_non_null(strstr(err.msg, "owned by root"));
		assert_int_equal(chown(path, 0, 0), 0);
	}
	/* a directory others may write is refused too */
	if (geteuid() == 0) {
		assert_int_equal(chmod(dir, 0777), 0);
		assert_int_equal(orgrbac_snapshot_open(path, 0, &s, &err), -1);
		assert_non_null(strstr(err.msg, "directory must be owned by root"));
		assert_int_equal(chmod(dir, 0700), 0);
	}
	snprintf(link, sizeof(link), "%s.link", path);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(orgrbac_snapshot_open(link, trust(), &s, &err), -1);
	unlink(link);
	assert_int_equal(orgrbac_snapshot_open(dir, trust(), &s, &err), -1);
	snprintf(copy, sizeof(copy), "%s.none", path);
	assert_int_equal(orgrbac_snapshot_open(copy, trust(), &s, &err), -1);
	assert_non_null(strstr(err.msg, "cannot open"));
	/* a FIFO in the file's place is refused at once, not waited on for a writer */
	assert_int_equal(mkfifo(copy, 0644), 0);
	assert_int_equal(orgrbac_snapshot_open(copy, trust(), &s, &err), -1);
	assert_non_null(strstr(err.msg, "not a regular file"));
	unlink(copy);
	/* the module notices a replacement by inode, size, mtime or ctime */
	s = open_ok();
	{
		struct stat st;

		struct stat again;

		assert_int_equal(lstat(path, &st), 0);
		assert_true(orgrbac_snapshot_is_file(s, &st));
		assert_int_equal(lstat(path, &again), 0);
		assert_true(orgrbac_snapshot_same_file(&st, &again));
		/* a chmod changes the ctime: no longer the file that was checked */
		usleep(10000);
		assert_int_equal(chmod(path, 0600), 0);
		assert_int_equal(chmod(path, 0644), 0);
		assert_int_equal(lstat(path, &again), 0);
		assert_false(orgrbac_snapshot_same_file(&st, &again));
		assert_false(orgrbac_snapshot_is_file(s, &again));
		st.st_ino++;
		assert_false(orgrbac_snapshot_is_file(s, &st));
		assert_false(orgrbac_snapshot_same_file(&st, &again));
	}
	orgrbac_snapshot_close(s);
}

static void writer(void **state)
{
	struct orgrbac_view v;
	struct orgrbac_snapshot *s;
	orgrbac_error err;
	struct stat before, after;
	char bad[sizeof(dir) + 32];

	/* A view the reader would refuse is never written; the old file stays. */
	assert_int_equal(stat(path, &before), 0);
	sample(&v);
	v.roles[2].gid = 5000;
	assert_int_equal(orgrbac_snapshot_write(path, &v, 8, T0, 3600, &err), -1);
	assert_non_null(strstr(err.msg, "gid 5000 appears twice"));
	orgrbac_view_free(&v);
	sample(&v);
	free(v.roles[2].group);
	v.roles[2].group = strdup("admins");
	assert_int_equal(orgrbac_snapshot_write(path, &v, 8, T0, 3600, &err), -1);
	assert_non_null(strstr(err.msg, "group admins appears twice"));
	orgrbac_view_free(&v);
	sample(&v);
	v.members[0].user = 99;
	assert_int_equal(orgrbac_snapshot_write(path, &v, 8, T0, 3600, &err), -1);
	orgrbac_view_free(&v);
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	s = open_ok();
	assert_int_equal(orgrbac_snapshot_generation(s), 7);
	orgrbac_snapshot_close(s);

	/* An unwritable place fails without leaving anything. */
	snprintf(bad, sizeof(bad), "%s/none/snapshot.db", dir);
	sample(&v);
	assert_int_equal(orgrbac_snapshot_write(bad, &v, 8, T0, 3600, &err), -1);
	orgrbac_view_free(&v);

	/* A good write replaces the file (a new inode), mode 0644. */
	sample(&v);
	assert_int_equal(orgrbac_snapshot_write(path, &v, 8, T0, 60, &err), 0);
	orgrbac_view_free(&v);
	assert_int_equal(stat(path, &after), 0);
	assert_int_not_equal(before.st_ino, after.st_ino);
	assert_int_equal(after.st_mode & 07777, 0644);
	s = open_ok();
	assert_int_equal(orgrbac_snapshot_generation(s), 8);
	assert_int_equal(orgrbac_snapshot_max_age(s), 60);
	orgrbac_snapshot_close(s);

	/* An empty view is a valid snapshot: no groups. */
	memset(&v, 0, sizeof(v));
	assert_int_equal(orgrbac_snapshot_write(path, &v, 9, T0, 60, &err), 0);
	s = open_ok();
	assert_int_equal(orgrbac_snapshot_count_roles(s), 0);
	assert_int_equal(orgrbac_snapshot_find_name(s, "admins"), -1);
	orgrbac_snapshot_close(s);
}

/* Entries of the snapshot's directory: no temporary left behind. */
static int dir_entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

/*
 * A file system without room for the snapshot (here a file size limit):
 * an error naming the temporary and why, not a signal; the old file stays
 * and no temporary is left. In a child, for the limit.
 */
static void no_room(void **state)
{
	struct stat before, after;
	int n = dir_entries(), status;
	pid_t pid;

	assert_int_equal(stat(path, &before), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit lim = {4096, 4096};
		struct orgrbac_view v;
		orgrbac_error err;
		int rc;

		signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
			_exit(2);
		sample(&v);
		rc = orgrbac_snapshot_write(path, &v, 10, T0, 3600, &err);
		orgrbac_view_free(&v);
		_exit(rc == -1 && strstr(err.msg, "cannot write: File too large") != NULL &&
			      strstr(err.msg, dir) != NULL
			  ? 0
			  : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	assert_int_equal(dir_entries(), n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_trip),      cmocka_unit_test(time_windows),
	    cmocka_unit_test(fresh),	       cmocka_unit_test(fresh_extremes),
	    cmocka_unit_test(erange),	       cmocka_unit_test(initgroups_growth),
	    cmocka_unit_test(corruptions),     cmocka_unit_test(corrupt_regions),
	    cmocka_unit_test(forged_regions),  cmocka_unit_test(offsets_at_the_limits),
	    cmocka_unit_test(header_bytes),    cmocka_unit_test(file_checks),
	    cmocka_unit_test(offline_queries), cmocka_unit_test(writer),
	    cmocka_unit_test(no_room),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
