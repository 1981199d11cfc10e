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
	/* doubling from 500 ms, each in its upper half, never beyond 60 s */
	assert_int_equal(orgrbac_follow_backoff_ms(0, 0), 250);
	assert_int_equal(orgrbac_follow_backoff_ms(0, 250), 500);
	assert_int_equal(orgrbac_follow_backoff_ms(1, 0), 500);
	assert_int_equal(orgrbac_follow_backoff_ms(3, 0), 2000);
	for (unsigned a = 0; a < 100; a++)
		for (uint32_t r = 0; r < 4000000000u; r += 123456789u) {
			uint32_t d = orgrbac_follow_backoff_ms(a, r);

			assert_true(d >= 250 && d <= 60000);
		}
	assert_int_equal(orgrbac_follow_backoff_ms(40, 0), 30000);
	assert_int_equal(orgrbac_follow_backoff_ms(4000000000u, UINT32_MAX) <= 60000, 1);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(upsert_and_delete_by_uuid),
	    cmocka_unit_test(many_entries),
	    cmocka_unit_test(bounds),
	    cmocka_unit_test(backoff),
	    cmocka_unit_test(state_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
