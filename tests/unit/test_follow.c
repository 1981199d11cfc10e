/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the follower: its entry store (by entryUUID, bounded), backoff and state file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "directory.h"
#include "follow.h"
#include "follow_store.h"

static const struct orgrbac_store_limits roomy = {1000, 100000};

/* A UUID from a number. */
static void uuid_of(unsigned n, unsigned char u[ORGRBAC_UUID_LEN])
{
	memset(u, 0xa5, ORGRBAC_UUID_LEN);
	memcpy(u, &n, sizeof(n));
}

/* An entry's part of the image: one user with this uid, or a group with n members. */
static struct orgrbac_image user_piece(const char *dn, const char *uid)
{
	struct orgrbac_image p = {0};

	p.users = calloc(1, sizeof(*p.users));
	assert_non_null(p.users);
	p.users[0].dn = strdup(dn);
	p.users[0].uid = strdup(uid);
	p.n_users = p.cap_users = 1;
	return p;
}

static struct orgrbac_image group_piece(const char *dn, size_t n)
{
	struct orgrbac_image p = {0};

	p.groups = calloc(1, sizeof(*p.groups));
	assert_non_null(p.groups);
	p.groups[0].dn = strdup(dn);
	p.groups[0].members = calloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		p.groups[0].members[i] = strdup("uid=x,o=acme,dc=example,dc=com");
	p.groups[0].n_members = n;
	p.n_groups = p.cap_groups = 1;
	return p;
}

/* A piece's arrays cut to what they hold: the room they grew by is given back, nothing lost. */
static void image_trim(void **state)
{
	struct orgrbac_image p = user_piece("uid=a,o=acme,dc=example,dc=com", "a");
	struct orgrbac_img_user *grown;

	(void)state;
	grown = orgrbac_grow(p.users, &p.cap_users, 5, sizeof(*p.users));
	assert_non_null(grown);
	p.users = grown;
	p.groups = orgrbac_grow(NULL, &p.cap_groups, 1, sizeof(*p.groups));
	assert_non_null(p.groups);
	assert_true(p.cap_users >= 5);
	orgrbac_image_trim(&p);
	assert_int_equal(p.n_users, 1);
	assert_int_equal(p.cap_users, 1);
	assert_string_equal(p.users[0].uid, "a");
	assert_string_equal(p.users[0].dn, "uid=a,o=acme,dc=example,dc=com");
	assert_null(p.groups); /* an array that holds nothing goes */
	assert_int_equal(p.cap_groups, 0);
	orgrbac_image_free(&p);
}

static enum orgrbac_store_status put_user(struct orgrbac_store *s, unsigned id, const char *dn,
					  const char *uid)
{
	unsigned char u[ORGRBAC_UUID_LEN];
	struct orgrbac_image p = user_piece(dn, uid);
	enum orgrbac_store_status st;

	uuid_of(id, u);
	st = orgrbac_store_upsert(s, u, sizeof(u), dn, &p);
	orgrbac_image_free(&p);
	return st;
}

/* The uids of the store's image, in its order, joined by commas. */
static void uids(const struct orgrbac_store *s, char *out, size_t size)
{
	struct orgrbac_image img;

	assert_int_equal(orgrbac_store_image(s, "dc=example,dc=com", &img), ORGRBAC_STORE_OK);
	out[0] = '\0';
	for (size_t i = 0; i < img.n_users; i++)
		snprintf(out + strlen(out), size - strlen(out), "%s%s", i ? "," : "",
			 img.users[i].uid);
	orgrbac_image_release(&img);
}

static void upsert_and_delete_by_uuid(void **state)
{
	struct orgrbac_store s;
	unsigned char u[ORGRBAC_UUID_LEN];
	char got[256];

	(void)state;
	orgrbac_store_init(&s, &roomy);
	assert_int_equal(put_user(&s, 1, "uid=b,o=acme", "b"), ORGRBAC_STORE_OK);
	assert_int_equal(put_user(&s, 2, "uid=a,o=acme", "a"), ORGRBAC_STORE_OK);
	uids(&s, got, sizeof(got));
	assert_string_equal(got, "a,b"); /* in DN order, whatever the arrival */
	/* a modify replaces; a rename keeps the UUID: the old DN is gone */
	assert_int_equal(put_user(&s, 1, "uid=c,o=acme", "c"), ORGRBAC_STORE_OK);
	assert_int_equal(s.n_entries, 2);
	uids(&s, got, sizeof(got));
	assert_string_equal(got, "a,c");
	/* a second entry with the same DN under another UUID is another entry */
	assert_int_equal(put_user(&s, 3, "uid=a,o=acme", "a2"), ORGRBAC_STORE_OK);
	assert_int_equal(s.n_entries, 3);
	uuid_of(2, u);
	assert_true(orgrbac_store_delete(&s, u, sizeof(u)));
	assert_false(orgrbac_store_delete(&s, u, sizeof(u)));
	uids(&s, got, sizeof(got));
	assert_string_equal(got, "a2,c");
	/* a UUID of another length keys nothing */
	assert_false(orgrbac_store_delete(&s, u, 15));
	assert_int_equal(put_user(&s, 9, "uid=z", "z") == ORGRBAC_STORE_OK, 1);
	{
		struct orgrbac_image p = user_piece("uid=y", "y");

		assert_int_equal(orgrbac_store_upsert(&s, u, 15, "uid=y", &p),
				 ORGRBAC_STORE_BADUUID);
		orgrbac_image_free(&p);
	}
	orgrbac_store_clear(&s);
	assert_int_equal(s.n_entries, 0);
	uids(&s, got, sizeof(got));
	assert_string_equal(got, "");
}

/* Many entries: growth and backward-shift deletion keep every other entry findable. */
static void many_entries(void **state)
{
	struct orgrbac_store s;
	unsigned char u[ORGRBAC_UUID_LEN];
	char dn[64];

	(void)state;
	orgrbac_store_init(&s, &roomy);
	for (unsigned i = 0; i < 900; i++) {
		snprintf(dn, sizeof(dn), "uid=u%04u", i);
		assert_int_equal(put_user(&s, i, dn, dn + 4), ORGRBAC_STORE_OK);
	}
	for (unsigned i = 0; i < 900; i += 3) {
		uuid_of(i, u);
		assert_true(orgrbac_store_delete(&s, u, sizeof(u)));
	}
	assert_int_equal(s.n_entries, 600);
	for (unsigned i = 0; i < 900; i++) {
		uuid_of(i, u);
		assert_int_equal(orgrbac_store_delete(&s, u, sizeof(u)), i % 3 != 0);
	}
	assert_int_equal(s.n_entries, 0);
	assert_int_equal(s.n_values, 0);
	orgrbac_store_clear(&s);
}

static void bounds(void **state)
{
	struct orgrbac_store_limits tight = {2, 10};
	struct orgrbac_store s;
	unsigned char u[ORGRBAC_UUID_LEN];
	struct orgrbac_image p;

	(void)state;
	orgrbac_store_init(&s, &tight);
	assert_int_equal(put_user(&s, 1, "uid=a", "a"), ORGRBAC_STORE_OK);
	assert_int_equal(put_user(&s, 2, "uid=b", "b"), ORGRBAC_STORE_OK);
	/* a third entry: refused, the store as it was */
	assert_int_equal(put_user(&s, 3, "uid=c", "c"), ORGRBAC_STORE_TOOMANY);
	assert_int_equal(s.n_entries, 2);
	/* replacing one is no new entry */
	assert_int_equal(put_user(&s, 2, "uid=b", "b2"), ORGRBAC_STORE_OK);
	/* values: 1 (a) + 9 members = 10 fits, 10 members does not */
	p = group_piece("cn=g", 10);
	uuid_of(2, u);
	assert_int_equal(orgrbac_store_upsert(&s, u, sizeof(u), "cn=g", &p), ORGRBAC_STORE_TOOMANY);
	orgrbac_image_free(&p);
	p = group_piece("cn=g", 9);
	assert_int_equal(orgrbac_store_upsert(&s, u, sizeof(u), "cn=g", &p), ORGRBAC_STORE_OK);
	assert_int_equal(s.n_values, 10);
	orgrbac_image_free(&p);
	orgrbac_store_clear(&s);
}

static void backoff(void **state)
{
	(void)state;
	/* doubling from 500 ms, each in its upper half, never beyond the maximum */
	assert_int_equal(orgrbac_follow_backoff_ms(0, 60000, 0), 250);
	assert_int_equal(orgrbac_follow_backoff_ms(0, 60000, 250), 500);
	assert_int_equal(orgrbac_follow_backoff_ms(1, 60000, 0), 500);
	assert_int_equal(orgrbac_follow_backoff_ms(3, 60000, 0), 2000);
	for (unsigned a = 0; a < 100; a++)
		for (uint32_t r = 0; r < 4000000000u; r += 123456789u) {
			uint32_t d = orgrbac_follow_backoff_ms(a, 60000, r);

			assert_true(d >= 250 && d <= 60000);
			/* the default maximum: back within 4 s of the server */
			d = orgrbac_follow_backoff_ms(a, 4000, r);
			assert_true(d >= 250 && d <= 4000);
		}
	assert_int_equal(orgrbac_follow_backoff_ms(40, 60000, 0), 30000);
	assert_int_equal(orgrbac_follow_backoff_ms(40, 4000, 0), 2000);
	assert_int_equal(orgrbac_follow_backoff_ms(4000000000u, 60000, UINT32_MAX) <= 60000, 1);
	/* a maximum below the first delay is the first delay; the largest does not wrap */
	assert_int_equal(orgrbac_follow_backoff_ms(5, 0, 0), 250);
	assert_true(orgrbac_follow_backoff_ms(40, UINT32_MAX, 0) >= UINT32_MAX / 4);
}

static void state_file(void **state)
{
	char dir[] = "/tmp/test_follow.XXXXXX", path[64];
	struct orgrbac_follow_state s = {.pid = 42,
					 .since = 1,
					 .last_change = 2,
					 .last_publish = 3,
					 .generation = 7},
				    back;
	orgrbac_error err;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/snapshot.db.follow", dir);
	assert_int_equal(orgrbac_follow_state_read(path, true, &back, &err),
			 ORGRBAC_FOLLOW_STATE_ABSENT);
	strcpy(s.state, "following");
	strcpy(s.server, "ldaps://a.example.com/");
	strcpy(s.error, "two\nlines\x1b");
	assert_int_equal(orgrbac_follow_state_write(path, &s, &err), 0);
	assert_int_equal(orgrbac_follow_state_read(path, true, &back, &err),
			 ORGRBAC_FOLLOW_STATE_READ);
	assert_string_equal(back.state, "following");
	assert_string_equal(back.server, "ldaps://a.example.com/");
	assert_string_equal(back.error, "two?lines?");
	assert_int_equal(back.generation, 7);
	assert_int_equal(back.last_publish, 3);
	/* anything else is refused */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("orgrbac-follow 1\nstate following\npid 1x\n", f);
	fclose(f);
	assert_int_equal(orgrbac_follow_state_read(path, true, &back, &err),
			 ORGRBAC_FOLLOW_STATE_INVALID);
	unlink(path);
	rmdir(dir);
}

/* The verdict of orgrbac status on a follower's state file, the time, its process. */
static void judge(void **state)
{
	static const struct {
		const char *state;
		bool alive;
		int64_t since, last_publish, now;
		long max_age;
		enum orgrbac_follow_verdict want;
		int64_t age;
	} cases[] = {
	    /* following and published within twice its interval (max_age / 4) + 2 s */
	    {"following", true, 100, 1000, 1000, 3600, ORGRBAC_FOLLOW_CURRENT, 0},
	    {"following", true, 100, 1000, 2802, 3600, ORGRBAC_FOLLOW_CURRENT, 0},
	    {"following", true, 100, 1000, 2803, 3600, ORGRBAC_FOLLOW_LATE, 1803},
	    {"following", true, 100, 1000, 1004, 4, ORGRBAC_FOLLOW_CURRENT, 0},
	    {"following", true, 100, 1000, 1005, 4, ORGRBAC_FOLLOW_LATE, 5},
	    /* never published yet: counted from since */
	    {"following", true, 100, 0, 110, 4, ORGRBAC_FOLLOW_LATE, 10},
	    /* a clock set back is no time */
	    {"following", true, 100, 1000, 50, 4, ORGRBAC_FOLLOW_CURRENT, 0},
	    /* refreshing or reconnecting: fine for the grace, then disconnected */
	    {"reconnecting", true, 1000, 900, 1060, 3600, ORGRBAC_FOLLOW_CATCHING_UP, 60},
	    {"reconnecting", true, 1000, 900, 1061, 3600, ORGRBAC_FOLLOW_DISCONNECTED, 61},
	    {"refreshing", true, 1000, 0, 1030, 3600, ORGRBAC_FOLLOW_CATCHING_UP, 30},
	    {"refreshing", true, 1000, 0, 2000, 3600, ORGRBAC_FOLLOW_DISCONNECTED, 1000},
	    {"newstate", true, 1000, 0, 2000, 3600, ORGRBAC_FOLLOW_DISCONNECTED, 1000},
	    /* stopped, or its process gone, whatever the file says */
	    {"stopped", true, 1000, 1000, 1000, 3600, ORGRBAC_FOLLOW_NOT_RUNNING, 0},
	    {"stopped", false, 1000, 1000, 1500, 3600, ORGRBAC_FOLLOW_NOT_RUNNING, 500},
	    {"following", false, 1000, 1000, 1000, 3600, ORGRBAC_FOLLOW_NOT_RUNNING, 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct orgrbac_follow_state s = {.since = cases[i].since,
						 .last_publish = cases[i].last_publish};
		int64_t age = -1;

		snprintf(s.state, sizeof(s.state), "%s", cases[i].state);
		if (orgrbac_follow_judge(&s, cases[i].alive, cases[i].now, cases[i].max_age,
					 &age) != cases[i].want ||
		    age != cases[i].age)
			fail_msg("case %zu: verdict %d, age %lld", i,
				 (int)orgrbac_follow_judge(&s, cases[i].alive, cases[i].now,
							   cases[i].max_age, &age),
				 (long long)age);
	}
	assert_int_equal(orgrbac_follow_fresh_interval(0), 1);
	assert_int_equal(orgrbac_follow_fresh_interval(3600), 900);
	assert_int_equal(orgrbac_follow_fresh_interval(31536000), 3600);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(image_trim),   cmocka_unit_test(upsert_and_delete_by_uuid),
	    cmocka_unit_test(many_entries), cmocka_unit_test(bounds),
	    cmocka_unit_test(backoff),	    cmocka_unit_test(state_file),
	    cmocka_unit_test(judge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
