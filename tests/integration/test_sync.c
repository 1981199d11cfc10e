/* SPDX-License-Identifier: BSD-2-Clause */
/* Integration tests of common/sync.c: one sync against a throwaway slapd, and each way it fails. */
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

#include "testdir.h"

#include "config.h"
#include "snapshot.h"
#include "snapshot_write.h"
#include "sync.h"

static const char *ldap_uri;
static char dir[] = "/tmp/orgrbac-synctest-XXXXXX";
static char snap[sizeof(dir) + 32], groups[sizeof(dir) + 32];
static char warnings[8192];

static const char *env(const char *name)
{
	const char *v = getenv(name);

	if (v == NULL || *v == '\0') {
		fprintf(stderr, "test_sync: %s is not set (run through run.sh)\n", name);
		exit(2);
	}
	return v;
}

static void collect(void *ctx, const char *msg)
{
	(void)ctx;
	strncat(warnings, msg, sizeof(warnings) - strlen(warnings) - 2);
	strcat(warnings, "\n");
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/*
 * A configuration for the sample organization's host web01 of acme, writing
 * `snapshot`, with `ldap` (if not NULL) added to its [ldap] section.
 */
static struct orgrbac_config *config(const char *uri, const char *ldap, const char *snapshot)
{
	static int serial;
	struct orgrbac_config *cfg = NULL;
	orgrbac_error err;
	char path[sizeof(dir) + 32], text[2048];

	snprintf(path, sizeof(path), "%s/orgrbac-%d.conf", dir, serial++);
	snprintf(text, sizeof(text),
		 "[ldap]\nuri = %s\nbase = dc=example,dc=com\ntimeout = 2\n%s\n"
		 "[host]\norg = acme\nservices = payments, web\nresource = web01.example.com\n"
		 "[nss]\nsnapshot = %s\n",
		 uri, ldap != NULL ? ldap : "", snapshot);
	write_file(path, text);
	if (orgrbac_config_load(path, geteuid() != 0, &cfg, &err) != 0)
		fail_msg("config: %s", err.msg);
	return cfg;
}

static enum orgrbac_sync_status sync_with(const char *uri, const char *ldap, const char *snapshot,
					  struct orgrbac_sync_result *r)
{
	struct orgrbac_config *cfg = config(uri, ldap, snapshot);
	struct orgrbac_sync_params p = {
	    .trust_any_owner = geteuid() != 0, .group_file = groups, .warn = collect};

	warnings[0] = '\0';
	orgrbac_sync(cfg, &p, r);
	/* the server is the configuration's: copy what the test keeps before freeing it */
	if (r->server != NULL)
		assert_string_equal(r->server, uri);
	r->server = NULL;
	orgrbac_config_free(cfg);
	return r->status;
}

static uint64_t generation_of(const char *path)
{
	struct orgrbac_snapshot *s;
	orgrbac_error err;
	uint64_t g;

	if (orgrbac_snapshot_open(path, geteuid() != 0 ? ORGRBAC_SNAP_TRUST_ANY_OWNER : 0, &s,
				  &err) != 0)
		fail_msg("%s", err.msg);
	g = orgrbac_snapshot_generation(s);
	orgrbac_snapshot_close(s);
	return g;
}

/* Runs first: the snapshot's directory does not exist yet. */
static void first_sync(void **state)
{
	struct orgrbac_sync_result r;
	struct orgrbac_snapshot *s;
	orgrbac_error err;
	struct stat st;

	assert_int_equal(sync_with(ldap_uri, NULL, snap, &r), ORGRBAC_SYNC_WRITTEN);
	assert_int_equal(r.generation, 1);
	assert_int_equal(r.users, 13);
	assert_int_equal(r.groups, 12);
	assert_int_equal(r.memberships, 14);
	assert_true(r.read_users >= r.users && r.read_roles >= r.groups);
	assert_true(r.read_groups > 0 && r.read_grants > 0);
	assert_non_null(strstr(warnings, "the NSS module reads only"));
	/* the first sync made the directory, and wrote what it says it wrote */
	assert_int_equal(stat(snap, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(orgrbac_snapshot_open(
			     snap, geteuid() != 0 ? ORGRBAC_SNAP_TRUST_ANY_OWNER : 0, &s, &err),
			 0);
	assert_int_equal(orgrbac_snapshot_count_users(s), r.users);
	assert_int_equal(orgrbac_snapshot_count_roles(s), r.groups);
	assert_int_equal(orgrbac_snapshot_count_members(s), r.memberships);
	assert_true(orgrbac_snapshot_find_name(s, "org-admin") >= 0);
	orgrbac_snapshot_close(s);
}

static void generations(void **state)
{
	struct orgrbac_sync_result r;
	struct orgrbac_view empty = {0};
	orgrbac_error err;

	assert_int_equal(sync_with(ldap_uri, NULL, snap, &r), ORGRBAC_SYNC_WRITTEN);
	assert_int_equal(r.generation, 2);
	assert_int_equal(generation_of(snap), 2);
	/* the last generation there is: kept, never wrapped back to 0 */
	assert_int_equal(orgrbac_snapshot_write(snap, &empty, UINT64_MAX, 0, 60, &err), 0);
	assert_int_equal(sync_with(ldap_uri, NULL, snap, &r), ORGRBAC_SYNC_WRITTEN);
	assert_int_equal(r.generation, UINT64_MAX);
}

static void local_groups(void **state)
{
	struct orgrbac_sync_result r;

	/* a role whose group name the host already has is left out, with a warning */
	write_file(groups, "root:x:0:\nmember:x:5:\n");
	assert_int_equal(sync_with(ldap_uri, NULL, snap, &r), ORGRBAC_SYNC_WRITTEN);
	assert_int_equal(r.groups, 11);
	assert_non_null(strstr(warnings, "group member or gid 20003 exists in /etc/group"));
	/* an unreadable group file fails the sync before the directory is asked */
	assert_int_equal(unlink(groups), 0);
	assert_int_equal(sync_with(ldap_uri, NULL, snap, &r), ORGRBAC_SYNC_LOCAL_GROUPS);
	assert_non_null(strstr(r.err.msg, groups));
	assert_null(r.server);
	write_file(groups, "root:x:0:\n");
}

/* Every failure leaves the snapshot as it was. */
static void failures(void **state)
{
	struct orgrbac_sync_result r;
	struct stat before, after;
	char path[sizeof(dir) + 128];
	uint64_t g = generation_of(snap);

	assert_int_equal(stat(snap, &before), 0);
	assert_int_equal(sync_with("ldap://127.0.0.1:1/", NULL, snap, &r), ORGRBAC_SYNC_UNAVAIL);
	assert_non_null(strstr(r.err.msg, "127.0.0.1:1"));
	/* a server that answers, with a setting the client cannot use */
	snprintf(path, sizeof(path),
		 "bind_dn = cn=host,dc=example,dc=com\n"
		 "bind_password_file = %s/none",
		 dir);
	assert_int_equal(sync_with(ldap_uri, path, snap, &r), ORGRBAC_SYNC_DIRECTORY);
	assert_non_null(strstr(r.err.msg, "/none"));
	assert_int_equal(stat(snap, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	assert_int_equal(generation_of(snap), g);

	/* no directory for the lock: a file stands where it would be made */
	snprintf(path, sizeof(path), "%s/plain", dir);
	write_file(path, "");
	snprintf(path, sizeof(path), "%s/plain/sub/snapshot.db", dir);
	assert_int_equal(sync_with(ldap_uri, NULL, path, &r), ORGRBAC_SYNC_LOCK);
	assert_non_null(strstr(warnings, "/plain/sub: cannot create"));
	assert_non_null(strstr(r.err.msg, "snapshot.db.lock: cannot open"));

	/* a directory in the snapshot's place: the view is computed, the rename refused */
	snprintf(path, sizeof(path), "%s/taken", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/taken/x", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/taken", dir);
	assert_int_equal(sync_with(ldap_uri, NULL, path, &r), ORGRBAC_SYNC_WRITE);
	assert_non_null(strstr(r.err.msg, "cannot replace"));
}

static int setup(void **state)
{
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(snap, sizeof(snap), "%s/state/snapshot.db", dir);
	snprintf(groups, sizeof(groups), "%s/group", dir);
	write_file(groups, "root:x:0:\nsudo:x:27:\n");
	return 0;
}

static int teardown(void **state)
{
	return orgrbac_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(first_sync),
	    cmocka_unit_test(generations),
	    cmocka_unit_test(local_groups),
	    cmocka_unit_test(failures),
	};

	ldap_uri = env("LDAP_URI");
	/* The host process's environment must not steer the client. */
	setenv("LDAPURI", "ldap://127.0.0.1:1/", 1);
	return cmocka_run_group_tests_name("sync", tests, setup, teardown);
}
