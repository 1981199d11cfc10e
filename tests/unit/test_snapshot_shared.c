/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests of the decision part's shared records (format 4): facts round
 * trip equal to the input, written from their facts or from their seals;
 * roles and grants shared by principals written
 * once, told apart by content and never by DN alone; a corrupt shared record
 * fails only the principals referring to it; references, counts and sizes
 * out of range refused even under valid checksums.
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
#include "snapshot_write.h"
#include "facts.h"
#include "reseal.h"

#define T0 ((int64_t)1794744000)

static char dir[] = "/tmp/test_snapshot_shared.XXXXXX";

static int setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rmdir(dir);
	return 0;
}

/* Principal `uid` with roles login and ops (privileges `privs`), a grant of each. */
static struct orgrbac_facts *principal(const char *uid, const char *privs)
{
	struct orgrbac_facts *f = tf_new(uid, "acme");
	size_t login = tf_role(f, "login", "host:login");
	size_t ops = tf_role(f, "ops", privs);

	tf_grant(f, login, true, T0 - 10, ORGRBAC_TIME_MAX);
	tf_grant(f, ops, false, ORGRBAC_TIME_MIN, T0 + 100);
	orgrbac_strv_free(f->grants[1].scopes);
	f->grants[1].scopes = orgrbac_split_list("service:web", &f->grants[1].n_scopes);
	free(f->grants[1].via);
	f->grants[1].via = strdup("cn=ops,ou=groups,o=acme,dc=example,dc=com");
	return f;
}

/* n principals u0.. with the same roles and grants, then `extra` (owned) if not NULL. */
static void view(struct orgrbac_view *v, size_t n, struct orgrbac_facts *extra)
{
	char uid[32];

	memset(v, 0, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		snprintf(uid, sizeof(uid), "u%zu", i);
		tf_add(v, uid, principal(uid, "host:sudo"), NULL);
	}
	if (extra != NULL)
		tf_add(v, extra->user, extra, NULL);
	tf_identity(v, "acme", "web01", "web");
}

/* The view written (its sealed principals from rec), then read back into an aligned buffer. */
static unsigned char *written_sealed(struct orgrbac_view *v, struct orgrbac_snap_records *rec,
				     size_t *len)
{
	char path[sizeof(dir) + 16], *text;
	unsigned char *buf;
	orgrbac_error err;

	snprintf(path, sizeof(path), "%s/snap.db", dir);
	assert_int_equal(orgrbac_snapshot_write_sealed(path, v, rec, 1, T0, 3600, &err), 0);
	orgrbac_view_free(v);
	assert_int_equal(orgrbac_read_file(path, 0, ORGRBAC_FILE_MAX, &text, len, &err), 0);
	unlink(path);
	buf = aligned_alloc(8, (*len + 7) & ~(size_t)7);
	assert_non_null(buf);
	memcpy(buf, text, *len);
	free(text);
	return buf;
}

/* The view written, then read back into an aligned buffer; its size in *len. */
static unsigned char *written(struct orgrbac_view *v, size_t *len)
{
	return written_sealed(v, NULL, len);
}

static struct orgrbac_snap_header *hdr(unsigned char *b)
{
	return (struct orgrbac_snap_header *)(void *)b;
}

static enum orgrbac_snap_facts_status lookup(const unsigned char *b, size_t len, const char *uid,
					     struct orgrbac_facts **f)
{
	struct orgrbac_snapshot *s;
	orgrbac_error err;
	enum orgrbac_snap_facts_status st;

	*f = NULL;
	assert_int_equal(orgrbac_snapshot_from_buffer(b, len, &s, &err), 0);
	st = orgrbac_snapshot_facts(s, uid, f, &err);
	orgrbac_snapshot_close(s);
	return st;
}

/* Status of a lookup of uid, its facts dropped. */
static enum orgrbac_snap_facts_status status(const unsigned char *b, size_t len, const char *uid)
{
	struct orgrbac_facts *f;
	enum orgrbac_snap_facts_status st = lookup(b, len, uid, &f);

	orgrbac_facts_free(f);
	return st;
}

static void same_strv(char *const *a, size_t na, char *const *b, size_t nb)
{
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++)
		assert_string_equal(a[i], b[i]);
}

static void same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void same_window(const struct orgrbac_window *a, const struct orgrbac_window *b)
{
	assert_int_equal(a->has_not_before, b->has_not_before);
	assert_int_equal(a->has_not_after, b->has_not_after);
	assert_int_equal(a->malformed, b->malformed);
	assert_int_equal(a->not_before, b->not_before);
	assert_int_equal(a->not_after, b->not_after);
}

static void same_grant(const struct orgrbac_facts *a, const struct orgrbac_grant *x,
		       const struct orgrbac_facts *b, const struct orgrbac_grant *y)
{
	same_str(x->dn, y->dn);
	same_str(x->name, y->name);
	assert_int_equal(x->platform, y->platform);
	same_str(x->org, y->org);
	assert_string_equal(x->unreadable, y->unreadable);
	same_str(x->role_dn, y->role_dn);
	assert_int_equal(x->role != NULL ? x->role - a->roles : -1,
			 y->role != NULL ? y->role - b->roles : -1);
	same_strv(x->scopes, x->n_scopes, y->scopes, y->n_scopes);
	same_window(&x->window, &y->window);
	same_str(x->via, y->via);
}

/* Every field of b is a's. */
static void same_facts(const struct orgrbac_facts *a, const struct orgrbac_facts *b)
{
	assert_string_equal(a->user, b->user);
	assert_string_equal(a->dn, b->dn);
	same_str(a->org, b->org);
	assert_int_equal(a->n_external, b->n_external);
	for (size_t i = 0; i < a->n_external; i++) {
		assert_string_equal(a->external[i].dn, b->external[i].dn);
		assert_int_equal(a->external[i].mode, b->external[i].mode);
		same_window(&a->external[i].window, &b->external[i].window);
	}
	assert_int_equal(a->n_roles, b->n_roles);
	for (size_t i = 0; i < a->n_roles; i++) {
		assert_string_equal(a->roles[i].dn, b->roles[i].dn);
		assert_string_equal(a->roles[i].name, b->roles[i].name);
		same_strv(a->roles[i].privileges, a->roles[i].n_privileges, b->roles[i].privileges,
			  b->roles[i].n_privileges);
	}
	assert_int_equal(a->n_grants, b->n_grants);
	for (size_t i = 0; i < a->n_grants; i++)
		same_grant(a, &a->grants[i], b, &b->grants[i]);
}

/*
 * Facts of every shape round trip equal to the input, each principal its own
 * via; with `seal`, each principal's facts sealed and dropped before the
 * write, as sync does.
 */
static void round_trip_as(bool seal)
{
	struct orgrbac_view v;
	struct orgrbac_facts *odd = principal("Odd", "host:sudo host:login"), *got;
	struct orgrbac_snap_records *rec = seal ? orgrbac_snap_records_new() : NULL;
	orgrbac_error err;
	size_t len;
	unsigned char *b;

	tf_external(odd, ORGRBAC_MODE_WINDOW, T0 - 100, T0 + 50);
	odd->grants[0].role = NULL; /* a grant whose role is not among the principal's */
	snprintf(odd->grants[0].unreadable, sizeof(odd->grants[0].unreadable), "two roles");
	odd->grants[1].window.malformed = true;
	view(&v, 3, odd);
	for (size_t i = 0; seal && i < v.n_principals; i++) {
		assert_int_equal(orgrbac_snap_records_seal(rec, &v.principals[i], &err), 0);
		orgrbac_facts_free(v.principals[i].facts);
		v.principals[i].facts = NULL;
	}
	b = written_sealed(&v, rec, &len);
	orgrbac_snap_records_free(rec);
	for (size_t i = 0; i < 4; i++) {
		char uid[32];
		struct orgrbac_facts *want;

		snprintf(uid, sizeof(uid), "u%zu", i);
		want =
		    i < 3 ? principal(uid, "host:sudo") : principal("Odd", "host:sudo host:login");
		if (i == 3) {
			tf_external(want, ORGRBAC_MODE_WINDOW, T0 - 100, T0 + 50);
			want->grants[0].role = NULL;
			snprintf(want->grants[0].unreadable, sizeof(want->grants[0].unreadable),
				 "two roles");
			want->grants[1].window.malformed = true;
		}
		assert_int_equal(lookup(b, len, want->user, &got), ORGRBAC_SNAPF_FOUND);
		same_facts(want, got);
		orgrbac_facts_free(got);
		orgrbac_facts_free(want);
	}
	free(b);
}

static void round_trip(void **state)
{
	(void)state;
	round_trip_as(false);
}

static void round_trip_sealed(void **state)
{
	(void)state;
	round_trip_as(true);
}

/*
 * A principal sealed, its facts gone, written without the records it was
 * sealed in, or with a seal out of their range: refused, and no file. A refused principal has
 * nothing to seal.
 */
static void sealed_elsewhere(void **state)
{
	struct orgrbac_view v;
	struct orgrbac_snap_records *rec = orgrbac_snap_records_new();
	struct orgrbac_view_principal refused = {.uid = (char *)"nobody"};
	char path[sizeof(dir) + 16];
	orgrbac_error err;

	(void)state;
	assert_non_null(rec);
	view(&v, 2, NULL);
	assert_int_equal(orgrbac_snap_records_seal(rec, &v.principals[1], &err), 0);
	orgrbac_facts_free(v.principals[1].facts);
	v.principals[1].facts = NULL;
	snprintf(path, sizeof(path), "%s/snap.db", dir);
	assert_int_equal(orgrbac_snapshot_write(path, &v, 1, T0, 3600, &err), -1);
	assert_non_null(strstr(err.msg, "u1: sealed elsewhere"));
	assert_int_equal(access(path, F_OK), -1);
	v.principals[1].tail_len = 1 << 20; /* a seal past the records' end */
	assert_int_equal(orgrbac_snapshot_write_sealed(path, &v, rec, 1, T0, 3600, &err), -1);
	assert_non_null(strstr(err.msg, "u1: seal out of range"));
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(orgrbac_snap_records_seal(rec, &refused, &err), -1);
	assert_non_null(strstr(err.msg, "nobody has no facts"));
	assert_false(refused.sealed);
	orgrbac_view_free(&v);
	orgrbac_snap_records_free(rec);
}

/* Many principals with the same roles and grants: each written once. */
static void shared_once(void **state)
{
	struct orgrbac_view v;
	size_t one, many;
	unsigned char *b;

	(void)state;
	view(&v, 1, NULL);
	free(written(&v, &one));
	view(&v, 64, NULL);
	b = written(&v, &many);
	assert_int_equal(hdr(b)->shared_roles.n, 2);
	assert_int_equal(hdr(b)->shared_grants.n, 2);
	/* the 63 more principals cost their own records only: less than half of the first */
	assert_true(many - one < 63 * (one - SNAP_HEADER_SIZE) / 2);
	assert_int_equal(status(b, many, "u17"), ORGRBAC_SNAPF_FOUND);
	free(b);
}

/* One DN, other content: two shared records, each principal reading its own. */
static void same_dn_other_content(void **state)
{
	struct orgrbac_view v;
	struct orgrbac_facts *f, *other = principal("other", "host:login host:sudo");
	size_t len;
	unsigned char *b;

	(void)state;
	other->grants[1].window.not_after = T0 + 999; /* the same grant DN, another window */
	view(&v, 2, other);
	b = written(&v, &len);
	assert_int_equal(hdr(b)->shared_roles.n, 3);
	assert_int_equal(hdr(b)->shared_grants.n, 3);
	assert_int_equal(lookup(b, len, "other", &f), ORGRBAC_SNAPF_FOUND);
	assert_int_equal(f->roles[1].n_privileges, 2);
	assert_int_equal(f->grants[1].window.not_after, T0 + 999);
	orgrbac_facts_free(f);
	assert_int_equal(lookup(b, len, "u1", &f), ORGRBAC_SNAPF_FOUND);
	assert_int_equal(f->roles[1].n_privileges, 1);
	assert_int_equal(f->grants[1].window.not_after, T0 + 100);
	orgrbac_facts_free(f);
	free(b);
}

/* Shared record i of a table (shared_roles or shared_grants): its index entry. */
static struct orgrbac_snap_shared *shared(unsigned char *b, struct orgrbac_snap_section t, size_t i)
{
	assert_true(i < t.n);
	return (struct orgrbac_snap_shared *)(void *)(b + t.off + i * SNAP_SHARED_SIZE);
}

/* The principals' index entry whose record holds uid. */
static struct orgrbac_snap_principal *entry_of(unsigned char *b, const char *uid)
{
	struct orgrbac_snap_header *h = hdr(b);

	for (size_t i = 0; i < h->principals.n; i++) {
		struct orgrbac_snap_principal *e =
		    (void *)(b + h->principals.off + i * SNAP_PRINCIPAL_SIZE);

		if (strcmp((const char *)b + h->facts.off + e->off + 4, uid) == 0)
			return e;
	}
	fail_msg("no principal %s", uid);
	return NULL;
}

/* A record's checksum in its entry, after its bytes or size changed. */
static void reseal(unsigned char *b, uint32_t off, uint32_t len, uint64_t *sum)
{
	*sum = orgrbac_snap_record_sum(b + hdr(b)->facts.off + off, off, len);
	reseal_index(b);
}

/* A shared grant's byte flipped: its principals fail, the others answer. */
static void corrupt_shared(void **state)
{
	struct orgrbac_view v;
	struct orgrbac_facts *other = principal("other", "host:login host:sudo");
	size_t len;
	unsigned char *b;
	struct orgrbac_snap_shared *e;

	(void)state;
	view(&v, 2, other);
	b = written(&v, &len);
	/* other's own ops role, the longest of the three (one more privilege): its last string */
	e = shared(b, hdr(b)->shared_roles, 0);
	for (size_t i = 1; i < hdr(b)->shared_roles.n; i++)
		if (shared(b, hdr(b)->shared_roles, i)->len > e->len)
			e = shared(b, hdr(b)->shared_roles, i);
	b[hdr(b)->facts.off + e->off + e->len - 2] ^= 0x20;
	assert_int_equal(status(b, len, "other"), ORGRBAC_SNAPF_CORRUPT);
	assert_int_equal(status(b, len, "u0"), ORGRBAC_SNAPF_FOUND);
	assert_int_equal(status(b, len, "u1"), ORGRBAC_SNAPF_FOUND);
	b[hdr(b)->facts.off + e->off + e->len - 2] ^= 0x20;
	/* the grant every principal has: all fail */
	e = shared(b, hdr(b)->shared_grants, 0);
	b[hdr(b)->facts.off + e->off] ^= 1;
	assert_int_equal(status(b, len, "other"), ORGRBAC_SNAPF_CORRUPT);
	assert_int_equal(status(b, len, "u0"), ORGRBAC_SNAPF_CORRUPT);
	free(b);
}

/* The offset of principal uid's roles count in its record (after uid, kind, posix, dn, org). */
static size_t roles_at(const unsigned char *rec)
{
	size_t at = 0;
	uint32_t n;

	for (int k = 0; k < 5; k++) {
		memcpy(&n, rec + at, 4);
		at += k == 1 || k == 2 ? 4 : 4 + n + 1; /* kind and posix (0) are words */
		if (k == 2)
			assert_int_equal(n, 0);
	}
	memcpy(&n, rec + at, 4);
	assert_int_equal(n, 0); /* no externals */
	return at + 4;
}

/* A word of principal u0's record set, the record resealed: u0 refused as corrupt, u1 not. */
static void word_refused(const unsigned char *good, size_t len, size_t at_roles, uint32_t value)
{
	unsigned char *b = aligned_alloc(8, (len + 7) & ~(size_t)7);
	struct orgrbac_snap_principal *e;

	assert_non_null(b);
	memcpy(b, good, len);
	e = entry_of(b, "u0");
	memcpy(b + hdr(b)->facts.off + e->off + roles_at(b + hdr(b)->facts.off + e->off) + at_roles,
	       &value, 4);
	reseal(b, e->off, e->len, &e->sum);
	assert_int_equal(status(b, len, "u0"), ORGRBAC_SNAPF_CORRUPT);
	assert_int_equal(status(b, len, "u1"), ORGRBAC_SNAPF_FOUND);
	free(b);
}

/* References and counts out of range under valid checksums: the principal is corrupt. */
static void refs_out_of_range(void **state)
{
	struct orgrbac_view v;
	size_t len;
	unsigned char *b;

	(void)state;
	view(&v, 2, NULL);
	b = written(&v, &len);
	/* record: n roles, role refs, n grants, (grant ref, role index, via)... */
	word_refused(b, len, 0, SNAP_REC_MAX_ROLES + 1);   /* roles count */
	word_refused(b, len, 0, 1000);			   /* more roles than the record holds */
	word_refused(b, len, 4, 2);			   /* role ref: 2 shared roles */
	word_refused(b, len, 4, UINT32_MAX);		   /* role ref */
	word_refused(b, len, 12, SNAP_REC_MAX_GRANTS + 1); /* grants count */
	word_refused(b, len, 16, 2);			   /* grant ref: 2 shared grants */
	word_refused(b, len, 16, UINT32_MAX);		   /* grant ref */
	word_refused(b, len, 20, 2);			   /* role index: 2 roles */
	word_refused(b, len, 20, UINT32_MAX - 1);	   /* role index */
	free(b);
}

/* A shared record cut short or run long (resealed): its principals corrupt, never read beyond. */
static void truncated_shared(void **state)
{
	struct orgrbac_view v;
	size_t len;
	unsigned char *good, *b;

	(void)state;
	view(&v, 2, NULL);
	good = written(&v, &len);
	b = aligned_alloc(8, (len + 7) & ~(size_t)7);
	assert_non_null(b);
	for (int kind = 0; kind < 2; kind++)
		for (uint32_t d = 1; d < 40; d++) {
			struct orgrbac_snap_header *h;
			struct orgrbac_snap_shared *e;

			memcpy(b, good, len);
			h = hdr(b);
			e = shared(b, kind == 0 ? h->shared_roles : h->shared_grants, 0);
			if (d >= e->len)
				break;
			e->len -= d;
			reseal(b, e->off, e->len, &e->sum);
			assert_int_equal(status(b, len, "u0"), ORGRBAC_SNAPF_CORRUPT);
			e->len += 2 * d; /* into the next record */
			reseal(b, e->off, e->len, &e->sum);
			assert_int_equal(status(b, len, "u1"), ORGRBAC_SNAPF_CORRUPT);
		}
	free(b);
	free(good);
}

/* A block of the principals' index changed: the lookups reading it fail, not "no such user". */
static void index_block(void **state)
{
	struct orgrbac_view v;
	size_t len;
	unsigned char *b;
	struct orgrbac_snap_principal *e;

	(void)state;
	view(&v, 2, NULL);
	b = written(&v, &len);
	e = entry_of(b, "u1");
	e->hash ^= 1; /* hides u1 from a search by its hash */
	assert_int_equal(status(b, len, "u1"), ORGRBAC_SNAPF_CORRUPT);
	assert_int_equal(status(b, len, "nobody"), ORGRBAC_SNAPF_CORRUPT);
	assert_int_equal(status(b, len, "u0"), ORGRBAC_SNAPF_CORRUPT); /* in the same block */
	e->hash ^= 1;
	assert_int_equal(status(b, len, "u0"), ORGRBAC_SNAPF_FOUND);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_trip),
	    cmocka_unit_test(round_trip_sealed),
	    cmocka_unit_test(sealed_elsewhere),
	    cmocka_unit_test(shared_once),
	    cmocka_unit_test(same_dn_other_content),
	    cmocka_unit_test(corrupt_shared),
	    cmocka_unit_test(refs_out_of_range),
	    cmocka_unit_test(truncated_shared),
	    cmocka_unit_test(index_block),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
