/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests of the snapshot's decision part: every fact round trips and
 * decides as the original; the host identity; lookups by exact name and the
 * case-insensitive refusal; and corrupt, truncated or hostile records (even
 * with valid checksums) refused, never read outside the file.
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

#include "snapshot_facts.h"
#include "snapshot_format.h"
#include "facts.h"
#include "view.h"
#include "reseal.h"

#define T0 ((int64_t)1794744000)

static char dir[] = "/tmp/test_snapshot_facts.XXXXXX";
static char path[sizeof(dir) + 32];
static const char *const services[] = {"web", "payments"};
static const struct orgrbac_host host = {
    .org = "acme", .services = services, .n_services = 2, .resource = "web01"};

static int trust(void)
{
	return geteuid() != 0 ? ORGRBAC_SNAP_TRUST_ANY_OWNER : 0;
}

static char **strv(const char *list)
{
	size_t n;
	char **v = orgrbac_split_list(list, &n);

	assert_non_null(v);
	return v;
}

static void window(struct orgrbac_window *w, bool nb, int64_t b, bool na, int64_t a)
{
	*w = (struct orgrbac_window){
	    .has_not_before = nb, .not_before = b, .has_not_after = na, .not_after = a};
}

/* A principal of `org` with roles login (host:login) and exempt (2FA-exempt, host:sudo). */
static struct orgrbac_facts *facts(const char *uid, const char *org, bool external)
{
	struct orgrbac_facts *f = calloc(1, sizeof(*f));
	char dn[256];

	assert_non_null(f);
	snprintf(dn, sizeof(dn), "uid=%s,ou=people,o=%s,dc=example,dc=com", uid, org);
	f->user = strdup(uid);
	f->dn = strdup(dn);
	f->org = strdup(org);
	f->roles = calloc(2, sizeof(*f->roles));
	f->n_roles = 2;
	f->roles[0] = (struct orgrbac_role){.dn = strdup("cn=login,ou=roles,dc=example,dc=com"),
					    .name = strdup("login"),
					    .privileges = strv("host:login common:org:cross"),
					    .n_privileges = 2};
	f->roles[1] =
	    (struct orgrbac_role){.dn = strdup("cn=2FA-exempt,ou=roles,dc=example,dc=com"),
				  .name = strdup("2FA-exempt"),
				  .privileges = strv("host:sudo"),
				  .n_privileges = 1};
	f->grants = calloc(3, sizeof(*f->grants));
	f->n_grants = 3;
	f->grants[0] = (struct orgrbac_grant){.dn = strdup("cn=g0,ou=grants,dc=example,dc=com"),
					      .name = strdup("g0"),
					      .platform = true,
					      .role_dn = strdup(f->roles[0].dn),
					      .role = &f->roles[0],
					      .scopes = strv("service:web"),
					      .n_scopes = 1,
					      .via = strdup(dn)};
	window(&f->grants[0].window, true, T0 - 10, false, 0);
	f->grants[1] =
	    (struct orgrbac_grant){.dn = strdup("cn=g1,ou=grants,o=acme,dc=example,dc=com"),
				   .name = strdup("g1"),
				   .org = strdup("acme"),
				   .role_dn = strdup(f->roles[1].dn),
				   .role = &f->roles[1],
				   .scopes = strv(""),
				   .via = strdup("cn=ops,ou=groups,o=acme,dc=example,dc=com")};
	window(&f->grants[1].window, false, 0, true, T0 + 100);
	f->grants[2] =
	    (struct orgrbac_grant){.dn = strdup("cn=g2,ou=grants,o=acme,dc=example,dc=com"),
				   .name = strdup("g2"),
				   .org = strdup("acme"),
				   .scopes = strv("bogus:x"),
				   .n_scopes = 1,
				   .via = strdup(dn)};
	snprintf(f->grants[2].unreadable, sizeof(f->grants[2].unreadable), "two orgGrantedRole");
	if (external) {
		f->external = calloc(1, sizeof(*f->external));
		f->n_external = 1;
		f->external[0] = (struct orgrbac_external){
		    .dn = strdup("o=vendor,ou=external,o=acme,dc=example,dc=com"),
		    .name = strdup("vendor"),
		    .kind = ORGRBAC_EXT_VENDOR,
		    .mode = ORGRBAC_MODE_WINDOW,
		    .role_management = true};
		window(&f->external[0].window, true, T0 - 100, true, T0 + 50);
	}
	return f;
}

static void add_principal(struct orgrbac_view *v, const char *uid, struct orgrbac_facts *f,
			  const char *refused)
{
	struct orgrbac_view_principal *p;

	tf_add(v, uid, f, refused);
	p = &v->principals[v->n_principals - 1];
	if (f != NULL && !f->n_external) {
		p->posix = (struct orgrbac_view_posix){.present = true,
						       .uid = 10000,
						       .gid = 10000,
						       .gecos = strdup("A User"),
						       .home = strdup("/home/x"),
						       .shell = strdup("/bin/sh")};
	}
}

/* Given unsorted: the writer sorts. Alice and ALICE differ only by case. */
static void sample(struct orgrbac_view *v)
{
	memset(v, 0, sizeof(*v));
	add_principal(v, "zed", facts("zed", "acme", false), NULL);
	add_principal(v, "carol", facts("carol", "acme", true), NULL);
	add_principal(v, "alice", facts("alice", "acme", false), NULL);
	add_principal(v, "Bob", facts("Bob", "acme", false), NULL);
	add_principal(v, "dave", NULL, "uid 'dave' is ambiguous: 2 entries hold it");
	add_principal(v, "erin", facts("erin", "other", false), NULL);
	v->identity.org = strdup("acme");
	v->identity.resource = strdup("web01");
	v->identity.services = strv("payments web");
	v->identity.n_services = 2;
}

static int setup(void **state)
{
	struct orgrbac_view v;
	orgrbac_error err;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/snapshot.db", dir);
	sample(&v);
	assert_int_equal(orgrbac_snapshot_write(path, &v, 1, T0, 3600, &err), 0);
	orgrbac_view_free(&v);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	return 0;
}

static struct orgrbac_policy policy(struct orgrbac_expr **req, const char *text)
{
	orgrbac_error err;

	assert_int_equal(orgrbac_expr_parse(text, req, &err), 0);
	return (struct orgrbac_policy){.require = *req,
				       .mfa_exempt_role = "2FA-exempt",
				       .cross_org_privilege = "common:org:cross"};
}

/* The decision from the stored facts equals the decision from the originals, word for word. */
static void same_decision(const struct orgrbac_facts *a, const struct orgrbac_facts *b)
{
	static const char *const reqs[] = {"host:login", "host:sudo", "host:login && host:sudo",
					   "none"};
	static const int64_t times[] = {T0 - 200, T0 - 50, T0, T0 + 60, T0 + 200};

	for (size_t r = 0; r < 4; r++)
		for (size_t t = 0; t < 5; t++) {
			struct orgrbac_expr *req;
			struct orgrbac_policy pol = policy(&req, reqs[r]);
			struct orgrbac_decision x, y;

			orgrbac_decide(a, &host, &pol, times[t], &x);
			orgrbac_decide(b, &host, &pol, times[t], &y);
			assert_int_equal(x.verdict, y.verdict);
			assert_int_equal(x.mfa_exempt, y.mfa_exempt);
			assert_int_equal(x.cross_org, y.cross_org);
			assert_string_equal(x.reason, y.reason);
			orgrbac_expr_free(req);
		}
}

static void round_trip(void **state)
{
	static const char *const names[] = {"zed", "carol", "alice", "Bob", "erin"};
	static const char *const orgs[] = {"acme", "acme", "acme", "acme", "other"};
	struct orgrbac_snapshot *s;
	orgrbac_error err;

	(void)state;
	for (int mode = 0; mode < 2; mode++) {
		assert_int_equal(
		    orgrbac_snapshot_open(path, trust() | (mode ? ORGRBAC_SNAP_FACTS_ONLY : 0), &s,
					  &err),
		    0);
		assert_int_equal(orgrbac_snapshot_count_principals(s), 6);
		assert_int_equal(orgrbac_snapshot_host_check(s, &host, &err), ORGRBAC_SNAPF_FOUND);
		for (size_t i = 0; i < 5; i++) {
			struct orgrbac_facts *got = NULL, *want = facts(names[i], orgs[i], i == 1);

			assert_int_equal(orgrbac_snapshot_facts(s, names[i], &got, &err),
					 ORGRBAC_SNAPF_FOUND);
			assert_string_equal(got->user, names[i]);
			assert_string_equal(got->dn, want->dn);
			assert_string_equal(got->org, want->org);
			assert_int_equal(got->n_grants, 3);
			assert_int_equal(got->n_roles, 2);
			assert_int_equal(got->n_external, want->n_external);
			assert_ptr_equal(got->grants[1].role, &got->roles[1]);
			assert_null(got->grants[2].role);
			assert_null(got->grants[0].org);
			assert_string_equal(got->grants[2].unreadable, "two orgGrantedRole");
			same_decision(want, got);
			orgrbac_facts_free(got);
			orgrbac_facts_free(want);
		}
		orgrbac_snapshot_close(s);
	}
}

static void lookups(void **state)
{
	struct orgrbac_snapshot *s;
	struct orgrbac_facts *f = NULL;
	orgrbac_error err;

	(void)state;
	assert_int_equal(orgrbac_snapshot_open(path, trust() | ORGRBAC_SNAP_FACTS_ONLY, &s, &err),
			 0);
	assert_int_equal(orgrbac_snapshot_facts(s, "nobody", &f, &err), ORGRBAC_SNAPF_NOUSER);
	assert_int_equal(orgrbac_snapshot_facts(s, "", &f, &err), ORGRBAC_SNAPF_NOUSER);
	assert_int_equal(orgrbac_snapshot_facts(s, "zzz", &f, &err), ORGRBAC_SNAPF_NOUSER);
	assert_int_equal(orgrbac_snapshot_facts(s, "Alice", &f, &err), ORGRBAC_SNAPF_REFUSED);
	assert_non_null(strstr(err.msg, "without regard to case"));
	assert_int_equal(orgrbac_snapshot_facts(s, "bob", &f, &err), ORGRBAC_SNAPF_REFUSED);
	assert_int_equal(orgrbac_snapshot_facts(s, "ZED", &f, &err), ORGRBAC_SNAPF_REFUSED);
	assert_int_equal(orgrbac_snapshot_facts(s, "dave", &f, &err), ORGRBAC_SNAPF_REFUSED);
	assert_non_null(strstr(err.msg, "ambiguous"));
	assert_null(f);
	/* the group part is out of reach in this mode */
	assert_int_equal(orgrbac_snapshot_count_roles(s), 0);
	assert_int_equal(orgrbac_snapshot_count_users(s), 0);
	orgrbac_snapshot_close(s);
}

static void other_host(void **state)
{
	static const char *const one[] = {"web"};
	static const char *const twice[] = {"payments", "web", "web"};
	const struct orgrbac_host hosts[] = {
	    {.org = "other", .services = services, .n_services = 2, .resource = "web01"},
	    {.org = "acme", .services = services, .n_services = 2, .resource = "web02"},
	    {.org = "acme", .services = one, .n_services = 1, .resource = "web01"},
	    {.org = "acme", .services = NULL, .n_services = 0, .resource = "web01"},
	    {.org = NULL, .services = services, .n_services = 2, .resource = "web01"},
	};
	const struct orgrbac_host same = {
	    .org = "acme", .services = twice, .n_services = 3, .resource = "web01"};
	struct orgrbac_snapshot *s;
	orgrbac_error err;

	(void)state;
	assert_int_equal(orgrbac_snapshot_open(path, trust() | ORGRBAC_SNAP_FACTS_ONLY, &s, &err),
			 0);
	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++)
		assert_int_equal(orgrbac_snapshot_host_check(s, &hosts[i], &err),
				 ORGRBAC_SNAPF_CORRUPT);
	assert_int_equal(orgrbac_snapshot_host_check(s, &same, &err), ORGRBAC_SNAPF_FOUND);
	orgrbac_snapshot_close(s);
}

/* The file, in a buffer aligned as a mapping is. */
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

/* Every name looked up, the host checked: any status, no crash, no read outside (ASan). */
static unsigned lookup_all(const unsigned char *b, size_t len)
{
	static const char *const names[] = {"zed",  "carol",  "alice", "Bob", "dave",
					    "erin", "nobody", "ALICE", ""};
	struct orgrbac_snapshot *s;
	orgrbac_error err;
	unsigned corrupt = 0;

	if (orgrbac_snapshot_from_buffer(b, len, &s, &err) != 0)
		return 1000;
	corrupt += orgrbac_snapshot_host_check(s, &host, &err) == ORGRBAC_SNAPF_CORRUPT;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct orgrbac_facts *f = NULL;
		enum orgrbac_snap_facts_status st = orgrbac_snapshot_facts(s, names[i], &f, &err);

		corrupt += st == ORGRBAC_SNAPF_CORRUPT;
		if (st == ORGRBAC_SNAPF_FOUND) {
			struct orgrbac_expr *req;
			struct orgrbac_policy pol = policy(&req, "host:login");
			struct orgrbac_decision d;

			orgrbac_decide(f, &host, &pol, T0, &d);
			orgrbac_expr_free(req);
		}
		orgrbac_facts_free(f);
	}
	orgrbac_snapshot_close(s);
	return corrupt;
}

/* Any byte of the decision part changed: the records it touches are refused as corrupt. */
static void flipped_bytes(void **state)
{
	size_t len;
	unsigned char *good = load(&len), *b = aligned_alloc(8, (len + 7) & ~(size_t)7);
	const struct orgrbac_snap_header *h = (const void *)good;

	(void)state;
	assert_non_null(b);
	assert_int_equal(lookup_all(good, len), 0);
	for (size_t i = h->principals.off; i < len; i++) {
		memcpy(b, good, len);
		b[i] ^= 0x5a;
		assert_true(lookup_all(b, len) > 0);
	}
	free(b);
	free(good);
}

/* A record's entry (a principal's or a shared one's): where its place, size and sum lie. */
struct rec_entry {
	uint32_t *off, *len;
	uint64_t *sum;
};

/* Record k of b: the principals' first, then the shared roles', then the shared grants'. */
static bool rec_entry(unsigned char *b, size_t k, struct rec_entry *r)
{
	const struct orgrbac_snap_header *h = (const void *)b;
	struct orgrbac_snap_principal *p = (void *)(b + h->principals.off);
	struct orgrbac_snap_shared *sh;

	if (k < h->principals.n) {
		*r = (struct rec_entry){&p[k].off, &p[k].len, &p[k].sum};
		return true;
	}
	k -= h->principals.n;
	if (k < h->shared_roles.n + h->shared_grants.n) {
		sh = k < h->shared_roles.n ? (void *)(b + h->shared_roles.off)
					   : (void *)(b + h->shared_grants.off);
		k = k < h->shared_roles.n ? k : k - h->shared_roles.n;
		*r = (struct rec_entry){&sh[k].off, &sh[k].len, &sh[k].sum};
		return true;
	}
	return false;
}

/* The record of r, as it now is in b, resealed (and the index with it). */
static void reseal_rec(unsigned char *b, const struct rec_entry *r)
{
	const struct orgrbac_snap_header *h = (const void *)b;

	*r->sum = orgrbac_snap_record_sum(b + h->facts.off + *r->off, *r->off, *r->len);
	reseal_index(b);
}

/*
 * Hostile records: each 4-byte word of every record (the principals' and
 * the shared ones) set to extreme values, its checksum recomputed, so that
 * only the reader's bounds stand between it and the rest of memory.
 */
static void hostile_words(void **state)
{
	static const uint32_t values[] = {0,	  1,	      2,	  3,	     0x7f,
					  0xffff, 0x7fffffff, 0xfffffffe, 0xffffffff};
	size_t len;
	unsigned char *good = load(&len), *b = aligned_alloc(8, (len + 7) & ~(size_t)7);
	const struct orgrbac_snap_header *h = (const void *)good;
	struct rec_entry r;

	(void)state;
	assert_non_null(b);
	memcpy(b, good, len); /* rec_entry(b, ...) reads b's header */
	for (size_t k = 0; rec_entry(good, k, &r); k++) {
		uint32_t off = *r.off, n = *r.len;

		(void)rec_entry(b, k, &r);
		for (size_t at = 0; at + 4 <= n; at++)
			for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
				memcpy(b, good, len);
				memcpy(b + h->facts.off + off + at, &values[i], 4);
				reseal_rec(b, &r);
				(void)lookup_all(b, len);
			}
		/* and its size: shorter (truncated) and longer (into the next record) */
		for (uint32_t d = 1; d < 24 && d < n; d++) {
			memcpy(b, good, len);
			*r.len = n - d;
			reseal_rec(b, &r);
			assert_true(lookup_all(b, len) > 0);
			*r.len = n + d;
			/* the last record, longer, ends past the area: its bounds refuse it
			 * unsealed */
			if ((uint64_t)off + n + d <= h->facts.n)
				reseal_rec(b, &r);
			else
				reseal_index(b);
			assert_true(lookup_all(b, len) > 0);
		}
	}
	free(b);
	free(good);
}

/* Header words of the decision part out of range: refused at open. */
static void header_ranges(void **state)
{
	size_t len;
	unsigned char *good = load(&len), *b = aligned_alloc(8, (len + 7) & ~(size_t)7);
	struct orgrbac_snap_header *h = (void *)b;
	struct orgrbac_snapshot *s;
	orgrbac_error err;

	(void)state;
	assert_non_null(b);
#define FRESH() memcpy(b, good, len)
#define REFUSED()                                                                                  \
	do {                                                                                       \
		h->checksum = orgrbac_snap_checksum(b + 32, h->principals.off >= 32 &&             \
								    h->principals.off <= len       \
								? h->principals.off - 32           \
								: len - 32);                       \
		assert_int_equal(orgrbac_snapshot_from_buffer(b, len, &s, &err), -1);              \
		assert_non_null(strstr(err.msg, "out of range"));                                  \
	} while (0)
	FRESH();
	h->principals.n = 1000000;
	REFUSED();
	FRESH();
	h->facts.n += 8;
	REFUSED();
	FRESH();
	h->facts.off += 4;
	REFUSED();
	FRESH();
	h->host.off = h->facts.n;
	h->host.n = 1;
	REFUSED();
	FRESH();
	h->host.n = UINT32_MAX;
	REFUSED();
	FRESH();
	h->facts.off = h->principals.off; /* overlapping the index */
	h->facts.n = (uint32_t)(len - h->facts.off);
	REFUSED();
	free(b);
	free(good);
}

/* A snapshot written without a decision part answers nothing from it. */
static void no_decisions(void **state)
{
	struct orgrbac_view v;
	struct orgrbac_snapshot *s;
	struct orgrbac_facts *f = NULL;
	orgrbac_error err;
	char p2[sizeof(path) + 8];

	(void)state;
	snprintf(p2, sizeof(p2), "%s/old.db", dir);
	memset(&v, 0, sizeof(v));
	add_user(&v, "alice", ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX);
	add_role(&v, "staff", 5000, "host:login");
	add_member(&v, 0, 0, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX);
	assert_int_equal(orgrbac_snapshot_write(p2, &v, 1, T0, 3600, &err), 0);
	orgrbac_view_free(&v);
	assert_int_equal(orgrbac_snapshot_open(p2, trust() | ORGRBAC_SNAP_FACTS_ONLY, &s, &err), 0);
	assert_int_equal(orgrbac_snapshot_host_check(s, &host, &err), ORGRBAC_SNAPF_CORRUPT);
	assert_int_equal(orgrbac_snapshot_facts(s, "alice", &f, &err), ORGRBAC_SNAPF_CORRUPT);
	orgrbac_snapshot_close(s);
	unlink(p2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_trip),    cmocka_unit_test(lookups),
	    cmocka_unit_test(other_host),    cmocka_unit_test(flipped_bytes),
	    cmocka_unit_test(hostile_words), cmocka_unit_test(header_ranges),
	    cmocka_unit_test(no_decisions),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
