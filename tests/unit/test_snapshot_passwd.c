/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests of the passwd database from the snapshot: who sync serves
 * ([nss] users, uid_min, hostile values, a uidNumber twice, windows), and
 * the reader: by name, by uid, in uid order, ERANGE at every short buffer,
 * and corrupt or hostile tables and records refused, never read outside.
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

#include "replica.h"
#include "snapshot_format.h"
#include "snapshot_passwd.h"
#include "facts.h"
#include "snapshot_write.h"

#define T0 ((int64_t)1794744000)

static char dir[] = "/tmp/test_snapshot_passwd.XXXXXX";
static char path[sizeof(dir) + 32];
static const char *const services[] = {"web"};
static char *shells[] = {"/bin/bash", "/bin/sh", NULL};
static const struct orgrbac_local_group local[] = {
    {"root", 0}, {"daemon", 1}, {"localuser", 4000}, {"selfuser", 10040}};

struct told {
	char what[16][200];
	size_t n;
};

static void tell(void *ctx, const char *kind, const char *name, const char *why)
{
	struct told *t = ctx;

	if (t->n < 16)
		snprintf(t->what[t->n++], sizeof(t->what[0]), "%s %s: %s", kind, name, why);
}

static bool was_told(const struct told *t, const char *name, const char *why)
{
	char want[200];

	snprintf(want, sizeof(want), "user %s: ", name);
	for (size_t i = 0; i < t->n; i++)
		if (strncmp(t->what[i], want, strlen(want)) == 0 && strstr(t->what[i], why) != NULL)
			return true;
	return false;
}

/* A principal of `org` with posix attributes; a grant of role login when `holds`. */
static void add(struct orgrbac_view *v, const char *uid, const char *org, bool holds, int64_t nb,
		int64_t na, uint32_t uidn, const char *gecos, const char *home, const char *shell)
{
	struct orgrbac_facts *f = tf_new(uid, org);
	struct orgrbac_view_posix *px;

	if (holds)
		tf_grant(f, tf_role(f, "login", "host:login"), false, nb, na);
	tf_add(v, uid, f, NULL);
	px = &v->principals[v->n_principals - 1].posix;
	*px = (struct orgrbac_view_posix){.present = true,
					  .uid = uidn,
					  .gid = 10000,
					  .gecos = gecos != NULL ? strdup(gecos) : NULL,
					  .home = home != NULL ? strdup(home) : NULL,
					  .shell = shell != NULL ? strdup(shell) : NULL};
}

static void sample(struct orgrbac_view *v)
{
	memset(v, 0, sizeof(*v));
	tf_identity(v, "acme", "web01", "web");
	add(v, "alice", "acme", true, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX, 10001, "Alice A",
	    "/home/alice", "/bin/bash");
	add(v, "bob", "acme", false, 0, 0, 10002, "Bob", "/home/bob", "/bin/bash");
	add(v, "carol", "acme", true, T0 + 100, T0 + 200, 10003, "Carol", "/home/carol", "");
	add(v, "erin", "other", true, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX, 10005, "Erin",
	    "/home/erin", "/bin/sh");
	add(v, "gus", "acme", true, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX, 10007, "a:b\nc",
	    "/home/gus", "/bin/sh");
	/* the hostile ones */
	add(v, "zero", "acme", true, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX, 0, "", "/root", "/bin/sh");
	add(v, "low", "acme", true, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX, 999, "", "/home/l", "");
	add(v, "root", "acme", true, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX, 10020, "", "/home/r", "");
	add(v, "localuser", "acme", true, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX, 10021, "", "/home/x",
	    "");
	add(v, "shadow4000", "acme", true, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX, 4000, "", "/home/x",
	    "");
	/* its own local account: files answers for it, nothing to say */
	add(v, "selfuser", "acme", true, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX, 10040, "", "/home/s",
	    "");
	add(v, "slash", "acme", true, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX, 10022, "", "/", "");
	add(v, "dots", "acme", true, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX, 10023, "", "/home/../etc",
	    "");
	add(v, "relhome", "acme", true, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX, 10024, "", "home", "");
	add(v, "nohome", "acme", true, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX, 10025, "", NULL, "");
	add(v, "csh", "acme", true, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX, 10026, "", "/home/c",
	    "/bin/csh");
	add(v, "colon", "acme", true, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX, 10027, "", "/home/a:b",
	    "");
	add(v, "twin1", "acme", true, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX, 10030, "", "/home/t1",
	    "");
	add(v, "twin2", "acme", false, 0, 0, 10030, "", "/home/t2", "");
	tf_add(v, "dave", NULL, "uid 'dave' is ambiguous: 2 entries hold it");
}

/* The sample, decided with `users`, written; what was told into *t. */
static void write_sample(enum orgrbac_nss_users users, struct told *t)
{
	struct orgrbac_view v;
	struct orgrbac_view_params vp = {
	    .host = {.org = "acme", .services = services, .n_services = 1, .resource = "web01"},
	    .left_out = tell,
	    .left_out_ctx = t};
	struct orgrbac_passwd_params pp = {.view = &vp,
					   .users = users,
					   .uid_min = 1000,
					   .local = local,
					   .n_local = sizeof(local) / sizeof(local[0]),
					   .shells = shells,
					   .n_shells = 2};
	orgrbac_error err;

	memset(t, 0, sizeof(*t));
	sample(&v);
	orgrbac_replica_passwd(&v, &pp);
	assert_int_equal(orgrbac_snapshot_write(path, &v, 1, T0, 3600, &err), 0);
	orgrbac_view_free(&v);
}

static struct orgrbac_snapshot *open_it(void)
{
	struct orgrbac_snapshot *s;
	orgrbac_error err;

	assert_int_equal(orgrbac_snapshot_open(
			     path, geteuid() != 0 ? ORGRBAC_SNAP_TRUST_ANY_OWNER : 0, &s, &err),
			 0);
	return s;
}

static int setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/snapshot.db", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	return 0;
}

static enum orgrbac_pw_status by_name(struct orgrbac_snapshot *s, const char *name, int64_t now,
				      struct passwd *pw)
{
	static char buf[1024];

	return orgrbac_snapshot_getpwnam(s, name, now, pw, buf, sizeof(buf));
}

static void holders(void **state)
{
	struct told t;
	struct orgrbac_snapshot *s;
	struct passwd pw;
	char buf[1024];
	static const char *const refused[][2] = {{"zero", "uidNumber 0"},
						 {"low", "below [nss] uid_min 1000"},
						 {"root", "the name root"},
						 {"localuser", "in /etc/passwd"},
						 {"shadow4000", "in /etc/passwd"},
						 {"slash", "homeDirectory"},
						 {"dots", "homeDirectory"},
						 {"relhome", "homeDirectory"},
						 {"nohome", "homeDirectory"},
						 {"csh", "not in /etc/shells"},
						 {"colon", "homeDirectory"},
						 {"twin1", "uidNumber 10030 is 2 users'"},
						 {"twin2", "uidNumber 10030 is 2 users'"}};

	(void)state;
	write_sample(ORGRBAC_NSS_USERS_HOLDERS, &t);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (!was_told(&t, refused[i][0], refused[i][1]))
			fail_msg("%s was not left out for '%s'", refused[i][0], refused[i][1]);
	assert_int_equal(t.n, sizeof(refused) / sizeof(refused[0]));
	s = open_it();
	assert_int_not_equal(by_name(s, "selfuser", T0, &pw), ORGRBAC_PW_OK);
	assert_int_equal(by_name(s, "alice", T0, &pw), ORGRBAC_PW_OK);
	assert_string_equal(pw.pw_name, "alice");
	assert_string_equal(pw.pw_passwd, "*");
	assert_int_equal(pw.pw_uid, 10001);
	assert_int_equal(pw.pw_gid, 10000);
	assert_string_equal(pw.pw_gecos, "Alice A");
	assert_string_equal(pw.pw_dir, "/home/alice");
	assert_string_equal(pw.pw_shell, "/bin/bash");
	/* a gecos with ':' or a newline is served empty, the user kept */
	assert_int_equal(by_name(s, "gus", T0, &pw), ORGRBAC_PW_OK);
	assert_string_equal(pw.pw_gecos, "");
	/* no role here, another organization, refused, unknown, another case */
	assert_int_equal(by_name(s, "bob", T0, &pw), ORGRBAC_PW_NOTFOUND);
	assert_int_equal(by_name(s, "erin", T0, &pw), ORGRBAC_PW_NOTFOUND);
	assert_int_equal(by_name(s, "dave", T0, &pw), ORGRBAC_PW_NOTFOUND);
	assert_int_equal(by_name(s, "nobody", T0, &pw), ORGRBAC_PW_NOTFOUND);
	assert_int_equal(by_name(s, "ALICE", T0, &pw), ORGRBAC_PW_NOTFOUND);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		assert_int_equal(by_name(s, refused[i][0], T0, &pw), ORGRBAC_PW_NOTFOUND);
	assert_int_equal(orgrbac_snapshot_getpwuid(s, 0, T0, &pw, buf, sizeof(buf)),
			 ORGRBAC_PW_NOTFOUND);
	assert_int_equal(orgrbac_snapshot_getpwuid(s, 10030, T0, &pw, buf, sizeof(buf)),
			 ORGRBAC_PW_NOTFOUND);
	/* carol: only inside her grant's window */
	assert_int_equal(by_name(s, "carol", T0 + 99, &pw), ORGRBAC_PW_NOTFOUND);
	assert_int_equal(by_name(s, "carol", T0 + 100, &pw), ORGRBAC_PW_OK);
	assert_string_equal(pw.pw_shell, "");
	assert_int_equal(by_name(s, "carol", T0 + 200, &pw), ORGRBAC_PW_NOTFOUND);
	assert_int_equal(orgrbac_snapshot_getpwuid(s, 10003, T0 + 150, &pw, buf, sizeof(buf)),
			 ORGRBAC_PW_OK);
	assert_string_equal(pw.pw_name, "carol");
	assert_int_equal(orgrbac_snapshot_getpwuid(s, 10003, T0, &pw, buf, sizeof(buf)),
			 ORGRBAC_PW_NOTFOUND);
	/* in uid order: alice, carol, gus */
	assert_int_equal(orgrbac_snapshot_count_passwd(s), 3);
	assert_int_equal(orgrbac_snapshot_passwd_at(s, 0, T0, &pw, buf, sizeof(buf)),
			 ORGRBAC_PW_OK);
	assert_string_equal(pw.pw_name, "alice");
	assert_int_equal(orgrbac_snapshot_passwd_at(s, 1, T0, &pw, buf, sizeof(buf)),
			 ORGRBAC_PW_NOTFOUND);
	assert_int_equal(orgrbac_snapshot_passwd_at(s, 2, T0, &pw, buf, sizeof(buf)),
			 ORGRBAC_PW_OK);
	assert_string_equal(pw.pw_name, "gus");
	assert_int_equal(orgrbac_snapshot_passwd_at(s, 3, T0, &pw, buf, sizeof(buf)),
			 ORGRBAC_PW_NOTFOUND);
	orgrbac_snapshot_close(s);
}

static void all(void **state)
{
	struct told t;
	struct orgrbac_snapshot *s;
	struct passwd pw;

	(void)state;
	write_sample(ORGRBAC_NSS_USERS_ALL, &t);
	s = open_it();
	assert_int_equal(orgrbac_snapshot_count_passwd(s), 4); /* alice, bob, carol, gus */
	assert_int_equal(by_name(s, "bob", T0, &pw), ORGRBAC_PW_OK);
	assert_int_equal(by_name(s, "carol", T0, &pw), ORGRBAC_PW_OK);
	assert_int_equal(by_name(s, "erin", T0, &pw), ORGRBAC_PW_NOTFOUND);
	assert_int_equal(by_name(s, "zero", T0, &pw), ORGRBAC_PW_NOTFOUND);
	orgrbac_snapshot_close(s);
}

/* Every buffer shorter than the entry: ERANGE, never a partial entry; the exact size: OK. */
static void erange(void **state)
{
	struct told t;
	struct orgrbac_snapshot *s;
	struct passwd pw;
	size_t need = strlen("alice") + 1 + 2 + strlen("Alice A") + 1 + strlen("/home/alice") + 1 +
		      strlen("/bin/bash") + 1;
	char *buf;

	(void)state;
	write_sample(ORGRBAC_NSS_USERS_HOLDERS, &t);
	s = open_it();
	for (size_t n = 0; n < need; n++) {
		buf = n > 0 ? malloc(n) : NULL; /* ASan: any write past n is caught */
		assert_int_equal(orgrbac_snapshot_getpwnam(s, "alice", T0, &pw, buf, n),
				 ORGRBAC_PW_ERANGE);
		assert_int_equal(orgrbac_snapshot_getpwuid(s, 10001, T0, &pw, buf, n),
				 ORGRBAC_PW_ERANGE);
		assert_int_equal(orgrbac_snapshot_passwd_at(s, 0, T0, &pw, buf, n),
				 ORGRBAC_PW_ERANGE);
		free(buf);
	}
	buf = malloc(need);
	assert_int_equal(orgrbac_snapshot_getpwnam(s, "alice", T0, &pw, buf, need), ORGRBAC_PW_OK);
	assert_string_equal(pw.pw_shell, "/bin/bash");
	free(buf);
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

/* Every lookup on a buffer: the count of CORRUPT answers; no crash, no read outside (ASan). */
static unsigned lookup_all(const unsigned char *b, size_t len)
{
	static const char *const names[] = {"alice", "carol", "gus", "bob", "dave", "zero", ""};
	static const uint32_t uids[] = {10001, 10003, 10007, 10002, 0, 10030, UINT32_MAX};
	struct orgrbac_snapshot *s;
	struct passwd pw;
	char buf[256];
	orgrbac_error err;
	unsigned corrupt = 0;

	if (orgrbac_snapshot_from_buffer(b, len, &s, &err) != 0)
		return 1000;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		corrupt += orgrbac_snapshot_getpwnam(s, names[i], T0, &pw, buf, sizeof(buf)) ==
			   ORGRBAC_PW_CORRUPT;
	for (size_t i = 0; i < sizeof(uids) / sizeof(uids[0]); i++)
		corrupt += orgrbac_snapshot_getpwuid(s, uids[i], T0, &pw, buf, sizeof(buf)) ==
			   ORGRBAC_PW_CORRUPT;
	for (size_t i = 0; i < orgrbac_snapshot_count_passwd(s) && i < 64; i++)
		corrupt += orgrbac_snapshot_passwd_at(s, i, T0, &pw, buf, sizeof(buf)) ==
			   ORGRBAC_PW_CORRUPT;
	orgrbac_snapshot_close(s);
	return corrupt;
}

/* Any byte of the decision part changed: a lookup that reads it says corrupt, or it is unread. */
static void flipped_bytes(void **state)
{
	struct told t;
	size_t len;
	unsigned char *good, *b;
	const struct orgrbac_snap_header *h;

	(void)state;
	write_sample(ORGRBAC_NSS_USERS_HOLDERS, &t);
	good = load(&len);
	b = aligned_alloc(8, (len + 7) & ~(size_t)7);
	h = (const void *)good;
	assert_non_null(b);
	assert_int_equal(lookup_all(good, len), 0);
	for (size_t i = h->principals.off; i < len; i++) {
		memcpy(b, good, len);
		b[i] ^= 0x5a;
		(void)lookup_all(b, len);
	}
	/* the table's entries, each: never a wrong user, a corrupt one said so */
	for (size_t i = h->passwd.off; i < h->passwd.off + h->passwd.n * SNAP_PASSWD_SIZE; i++) {
		memcpy(b, good, len);
		b[i] ^= 0x01;
		assert_true(lookup_all(b, len) > 0);
	}
	free(b);
	free(good);
}

/* A record sealed with a valid checksum that serves what sync never would: corrupt. */
static void hostile_records(void **state)
{
	static const struct {
		uint32_t uid;
		const char *gecos, *home, *shell;
	} bad[] = {{0, "", "/home/x", ""},	 {10001, "a:b", "/home/x", ""},
		   {10001, "", "/", ""},	 {10001, "", "/home/x", "sh"},
		   {10001, "", "/home/x:y", ""}, {10001, "", "/home/x", "/bin/sh\n"}};
	struct orgrbac_view v;
	struct orgrbac_snapshot *s;
	struct passwd pw;
	char buf[256];
	orgrbac_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&v, 0, sizeof(v));
		tf_identity(&v, "acme", "web01", "web");
		add(&v, "alice", "acme", true, ORGRBAC_TIME_MIN, ORGRBAC_TIME_MAX, bad[i].uid,
		    bad[i].gecos, bad[i].home, bad[i].shell);
		v.principals[0].posix.served = true;
		v.principals[0].posix.from = ORGRBAC_TIME_MIN;
		v.principals[0].posix.until = ORGRBAC_TIME_MAX;
		assert_int_equal(orgrbac_snapshot_write(path, &v, 1, T0, 3600, &err), 0);
		orgrbac_view_free(&v);
		s = open_it();
		assert_int_equal(by_name(s, "alice", T0, &pw), ORGRBAC_PW_CORRUPT);
		assert_int_equal(orgrbac_snapshot_passwd_at(s, 0, T0, &pw, buf, sizeof(buf)),
				 ORGRBAC_PW_CORRUPT);
		orgrbac_snapshot_close(s);
	}
}

/* The table's place out of range (after the checksum is resealed): corrupt, never read. */
static void table_ranges(void **state)
{
	static const uint32_t offs[] = {0, 8, 160, UINT32_MAX - 7};
	struct told t;
	size_t len;
	unsigned char *good, *b;
	struct orgrbac_snap_header *h;

	(void)state;
	write_sample(ORGRBAC_NSS_USERS_HOLDERS, &t);
	good = load(&len);
	b = aligned_alloc(8, (len + 7) & ~(size_t)7);
	assert_non_null(b);
	h = (void *)b;
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		memcpy(b, good, len);
		h->passwd.off = offs[i];
		h->checksum = orgrbac_snap_checksum(b + 32, h->principals.off - 32);
		assert_true(lookup_all(b, len) > 0);
		assert_true(lookup_all(b, len) < 1000);
	}
	memcpy(b, good, len);
	h->passwd.n = UINT32_MAX;
	h->checksum = orgrbac_snap_checksum(b + 32, h->principals.off - 32);
	assert_true(lookup_all(b, len) > 0);
	free(b);
	free(good);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(holders),	       cmocka_unit_test(all),
	    cmocka_unit_test(erange),	       cmocka_unit_test(flipped_bytes),
	    cmocka_unit_test(hostile_records), cmocka_unit_test(table_ranges),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
