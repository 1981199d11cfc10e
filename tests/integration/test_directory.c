/* SPDX-License-Identifier: BSD-2-Clause */
/* Integration tests of the LDAP client and directory model against a throwaway slapd. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "testdir.h"

#include "config.h"
#include "directory.h"
#include "ldapc.h"
#include "policy.h"

static const char *ldap_uri, *ldaps_uri, *ldapi_uri, *ca_file, *wrong_ca, *admin_dn, *admin_pw;
static bool memberof;
static char dir[] = "/tmp/orgrbac-dirtest-XXXXXX";

static const char *env(const char *name)
{
	const char *v = getenv(name);

	if (v == NULL || *v == '\0') {
		fprintf(stderr, "test_directory: %s is not set (run through run.sh)\n", name);
		exit(2);
	}
	return v;
}

/* Write a config with these URIs and extra [ldap] lines, and load it. */
static struct orgrbac_config *config(const char *uris, const char *ldap_extra)
{
	static int serial;
	struct orgrbac_config *cfg = NULL;
	orgrbac_error err;
	char *path;
	FILE *f;

	assert_true(asprintf(&path, "%s/orgrbac-%d.conf", dir, serial++) > 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f,
		"[ldap]\nuri = %s\nbase = dc=example,dc=com\ntimeout = 2\ntls_ca_file = %s\n%s\n"
		"[host]\norg = acme\nservices = payments, web\nresource = web01.example.com\n"
		"[pam]\ndefault_require = host:login\n",
		uris, ca_file, ldap_extra ? ldap_extra : "");
	fclose(f);
	if (orgrbac_config_load(path, true, &cfg, &err) != 0)
		fail_msg("config: %s", err.msg);
	free(path);
	return cfg;
}

struct loaded {
	struct orgrbac_config *cfg;
	struct orgrbac_ldap *l;
	struct orgrbac_facts *f;
	enum orgrbac_dir_status rc;
	unsigned long trips;
	orgrbac_error err;
};

static void load(struct loaded *x, const char *user)
{
	memset(x, 0, sizeof(*x));
	x->cfg = config(ldap_uri, NULL);
	assert_int_equal(orgrbac_ldap_open(x->cfg, true, &x->l, &x->err), ORGRBAC_LDAP_OK);
	x->trips = orgrbac_ldap_round_trips(x->l);
	x->rc = orgrbac_directory_load(x->l, x->cfg, user, &x->f, &x->err);
	x->trips = orgrbac_ldap_round_trips(x->l) - x->trips;
}

static void unload(struct loaded *x)
{
	orgrbac_facts_free(x->f);
	orgrbac_ldap_close(x->l);
	orgrbac_config_free(x->cfg);
}

static const struct orgrbac_grant *grant(const struct orgrbac_facts *f, const char *name)
{
	for (size_t i = 0; i < f->n_grants; i++)
		if (strcmp(f->grants[i].name, name) == 0)
			return &f->grants[i];
	return NULL;
}

static bool in_group(const struct orgrbac_facts *f, const char *cn)
{
	char prefix[128];

	snprintf(prefix, sizeof(prefix), "cn=%s,", cn);
	for (size_t i = 0; i < f->n_groups; i++)
		if (strncasecmp(f->groups[i], prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

static void direct_grant(void **state)
{
	struct loaded x;
	const struct orgrbac_grant *g;

	load(&x, "alice");
	assert_int_equal(x.rc, ORGRBAC_DIR_FOUND);
	assert_string_equal(x.f->user, "alice");
	assert_string_equal(x.f->org, "acme");
	assert_int_equal(x.f->n_groups, 0);
	assert_null(x.f->external);
	g = grant(x.f, "alice-org-admin");
	assert_non_null(g);
	assert_non_null(g->role);
	assert_string_equal(g->role->name, "Org Admin");
	assert_int_equal(g->role->n_privileges, 3);
	assert_true(strcasecmp(g->via, x.f->dn) == 0);
	assert_string_equal(g->org, "acme");
	unload(&x);
}

static void nested_groups(void **state)
{
	struct loaded x;
	const struct orgrbac_grant *g;

	load(&x, "bob");
	assert_int_equal(x.rc, ORGRBAC_DIR_FOUND);
	assert_int_equal(x.f->n_groups, 2);
	assert_true(in_group(x.f, "payments-team"));
	assert_true(in_group(x.f, "engineering"));
	g = grant(x.f, "engineering-members");
	assert_non_null(g);
	assert_non_null(strstr(g->via, "engineering"));
	assert_string_equal(g->role->name, "Member");
	unload(&x);
}

static void group_cycle(void **state)
{
	struct loaded x;

	load(&x, "ivan");
	assert_int_equal(x.rc, ORGRBAC_DIR_FOUND);
	assert_int_equal(x.f->n_groups, 2);
	assert_true(in_group(x.f, "cycle-a"));
	assert_true(in_group(x.f, "cycle-b"));
	assert_non_null(grant(x.f, "cycle-members"));
	unload(&x);
}

/*
 * One search per level of nesting, whatever the server's memberOf: the round
 * trips grow with the depth, never with the organization.
 */
static void round_trips(void **state)
{
	struct loaded flat, nested;

	load(&flat, "alice");
	load(&nested, "bob");
	assert_int_equal(flat.rc, ORGRBAC_DIR_FOUND);
	assert_int_equal(nested.rc, ORGRBAC_DIR_FOUND);
	/* user, groups, grants of the organization and of the platform, roles, external */
	assert_int_equal(flat.trips, 6);
	/* one search per level of nesting, plus the empty last one */
	assert_int_equal(nested.trips, flat.trips + 2);
	print_message("round trips: flat %lu, nested %lu (memberOf %s)\n", flat.trips, nested.trips,
		      memberof ? "on" : "off");
	unload(&flat);
	unload(&nested);
}

static void windows_and_scopes(void **state)
{
	struct loaded x;
	const struct orgrbac_grant *g;

	load(&x, "frank");
	g = grant(x.f, "frank-member-2025");
	assert_non_null(g);
	assert_true(g->window.has_not_before && g->window.has_not_after);
	assert_false(g->window.malformed);
	assert_int_equal(g->window.not_before, 1735689600); /* 2025-01-01T00:00:00Z */
	assert_int_equal(g->window.not_after, 1748736000);  /* 2025-06-01T00:00:00Z */
	unload(&x);

	load(&x, "carol");
	g = grant(x.f, "carol-payments-owner");
	assert_non_null(g);
	assert_int_equal(g->n_scopes, 1);
	assert_string_equal(g->scopes[0], "service:payments");
	unload(&x);
}

static void missing_role(void **state)
{
	struct loaded x;
	const struct orgrbac_grant *g;

	load(&x, "judy");
	assert_int_equal(x.rc, ORGRBAC_DIR_FOUND);
	g = grant(x.f, "missing-role-grant");
	assert_non_null(g);
	assert_null(g->role);
	assert_non_null(g->role_dn);
	unload(&x);
}

static void externals(void **state)
{
	static const struct {
		const char *user, *name;
		enum orgrbac_ext_kind kind;
		enum orgrbac_ext_mode mode;
		bool role_management;
	} cases[] = {
	    {"vic", "Flexera", ORGRBAC_EXT_VENDOR, ORGRBAC_MODE_CONTINUOUS, true},
	    {"pat", "Contoso", ORGRBAC_EXT_PARTNER, ORGRBAC_MODE_WINDOW, true},
	    {"ian", "Initech", ORGRBAC_EXT_PARTNER, ORGRBAC_MODE_WINDOW, true},
	    {"uma", "Umbrella", ORGRBAC_EXT_PARTNER, ORGRBAC_MODE_DISABLED, true},
	    {"hank", "Hooli", ORGRBAC_EXT_PARTNER, ORGRBAC_MODE_CONTINUOUS, false},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct loaded x;

		load(&x, cases[i].user);
		assert_int_equal(x.rc, ORGRBAC_DIR_FOUND);
		assert_non_null(x.f->external);
		assert_string_equal(x.f->external->name, cases[i].name);
		assert_int_equal(x.f->external->kind, cases[i].kind);
		assert_int_equal(x.f->external->mode, cases[i].mode);
		assert_int_equal(x.f->external->role_management, cases[i].role_management);
		unload(&x);
	}
	{
		struct loaded x;

		load(&x, "pat");
		assert_true(x.f->external->window.has_not_after);
		assert_int_equal(x.f->external->window.not_after, 2082758400); /* 2036-01-01 */
		unload(&x);
	}
}

static void other_organization(void **state)
{
	struct loaded x;
	const struct orgrbac_grant *g;

	load(&x, "olga");
	assert_int_equal(x.rc, ORGRBAC_DIR_FOUND);
	assert_string_equal(x.f->org, "globex");
	g = grant(x.f, "olga-cross");
	assert_non_null(g);
	assert_true(g->platform);
	assert_null(g->org);
	assert_string_equal(g->unreadable, "");
	assert_string_equal(g->role->name, "Cross-Org Admin");
	unload(&x);
}

static void unknown_and_hostile(void **state)
{
	static const char *names[] = {"nobody",	   "alice ", " alice", "*",   "alice)(uid=*",
				      "al\x01ice", "-alice", "",       "a,b", "alice\\2a"};
	/* known names in another case: refused, never unknown */
	static const char *variants[] = {"ALICE", "Alice", "aLiCe"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct loaded x;

		load(&x, names[i]);
		assert_int_equal(x.rc, ORGRBAC_DIR_NOUSER);
		assert_null(x.f);
		assert_true(strlen(x.err.msg) > 0);
		unload(&x);
	}
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		struct loaded x;

		load(&x, variants[i]);
		assert_int_equal(x.rc, ORGRBAC_DIR_REFUSED);
		assert_null(x.f);
		assert_non_null(strstr(x.err.msg, "only without regard to case"));
		unload(&x);
	}
}

static void failover(void **state)
{
	struct orgrbac_config *cfg;
	struct orgrbac_ldap *l = NULL;
	orgrbac_error err;
	char uris[512];

	snprintf(uris, sizeof(uris), "ldap://127.0.0.1:1/ %s", ldap_uri);
	cfg = config(uris, NULL);
	assert_int_equal(orgrbac_ldap_open(cfg, true, &l, &err), ORGRBAC_LDAP_OK);
	assert_string_equal(orgrbac_ldap_uri(l), ldap_uri);
	orgrbac_ldap_close(l);
	orgrbac_config_free(cfg);

	cfg = config("ldap://127.0.0.1:1/ ldap://127.0.0.1:2/", NULL);
	assert_int_equal(orgrbac_ldap_open(cfg, true, &l, &err), ORGRBAC_LDAP_UNAVAIL);
	assert_null(l);
	assert_non_null(strstr(err.msg, "127.0.0.1:1"));
	assert_non_null(strstr(err.msg, "127.0.0.1:2"));
	orgrbac_config_free(cfg);
}

/* A server that accepts the connection and never answers holds us no longer than the timeout. */
static void silent_server(void **state)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t len = sizeof(sa);
	struct orgrbac_config *cfg;
	struct orgrbac_ldap *l = NULL;
	orgrbac_error err;
	struct timespec t0, t1;
	char uris[128];
	int s = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(s, 8), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&sa, &len), 0);
	snprintf(uris, sizeof(uris), "ldap://127.0.0.1:%u/", ntohs(sa.sin_port));
	cfg = config(uris, NULL); /* timeout = 2 */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(orgrbac_ldap_open(cfg, true, &l, &err), ORGRBAC_LDAP_UNAVAIL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* a bound, not a speed: connect plus one operation, each within the timeout */
	assert_true(t1.tv_sec - t0.tv_sec <= 2 * cfg->timeout + 1);
	orgrbac_config_free(cfg);

	snprintf(uris, sizeof(uris), "ldaps://127.0.0.1:%u/", ntohs(sa.sin_port));
	cfg = config(uris, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(orgrbac_ldap_open(cfg, true, &l, &err), ORGRBAC_LDAP_UNAVAIL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec <= 2 * cfg->timeout + 1);
	orgrbac_config_free(cfg);
	close(s);
}

static void tls(void **state)
{
	struct orgrbac_config *cfg;
	struct orgrbac_ldap *l = NULL;
	struct orgrbac_facts *f = NULL;
	orgrbac_error err;

	cfg = config(ldaps_uri, NULL);
	assert_int_equal(orgrbac_ldap_open(cfg, true, &l, &err), ORGRBAC_LDAP_OK);
	assert_int_equal(orgrbac_directory_load(l, cfg, "alice", &f, &err), ORGRBAC_DIR_FOUND);
	orgrbac_facts_free(f);
	orgrbac_ldap_close(l);
	orgrbac_config_free(cfg);

	cfg = config(ldap_uri, "starttls = yes");
	assert_int_equal(orgrbac_ldap_open(cfg, true, &l, &err), ORGRBAC_LDAP_OK);
	orgrbac_ldap_close(l);
	orgrbac_config_free(cfg);

	/* the wrong CA: refused, even with LDAPTLS_REQCERT=never in the environment */
	cfg = config(ldaps_uri, NULL);
	free(cfg->tls_ca_file);
	cfg->tls_ca_file = strdup(wrong_ca);
	assert_int_equal(orgrbac_ldap_open(cfg, true, &l, &err), ORGRBAC_LDAP_UNAVAIL);
	assert_null(l);
	orgrbac_config_free(cfg);

	cfg = config(ldap_uri, "starttls = yes");
	free(cfg->tls_ca_file);
	cfg->tls_ca_file = strdup(wrong_ca);
	assert_int_equal(orgrbac_ldap_open(cfg, true, &l, &err), ORGRBAC_LDAP_UNAVAIL);
	assert_non_null(strstr(err.msg, "StartTLS"));
	orgrbac_config_free(cfg);
}

static void plaintext_refused(void **state)
{
	struct orgrbac_config *cfg;
	struct orgrbac_ldap *l = NULL;
	orgrbac_error err;

	/* refused before any lookup or connection */
	cfg = config("ldap://ldap.invalid/", NULL);
	assert_int_equal(orgrbac_ldap_open(cfg, true, &l, &err), ORGRBAC_LDAP_ERROR);
	assert_non_null(strstr(err.msg, "plaintext"));
	assert_non_null(strstr(err.msg, "ldap.invalid"));
	orgrbac_config_free(cfg);
	assert_true(orgrbac_uri_is_local("ldap://127.0.0.1:389/"));
	assert_true(orgrbac_uri_is_local("ldap://localhost/"));
	assert_true(orgrbac_uri_is_local("ldapi:///"));
	assert_false(orgrbac_uri_is_local("ldap://ldap.example.com/"));
	assert_false(orgrbac_uri_is_local("ldap://127.example.com/"));
}

static void ldapi_socket(void **state)
{
	struct orgrbac_config *cfg = config(ldapi_uri, NULL);
	struct orgrbac_ldap *l = NULL;
	struct orgrbac_facts *f = NULL;
	orgrbac_error err;

	assert_int_equal(orgrbac_ldap_open(cfg, true, &l, &err), ORGRBAC_LDAP_OK);
	assert_int_equal(orgrbac_directory_load(l, cfg, "bob", &f, &err), ORGRBAC_DIR_FOUND);
	assert_int_equal(f->n_groups, 2);
	orgrbac_facts_free(f);
	orgrbac_ldap_close(l);
	orgrbac_config_free(cfg);
}

static void bind_with_secret(void **state)
{
	struct orgrbac_config *cfg;
	struct orgrbac_ldap *l = NULL;
	orgrbac_error err;
	char extra[1024], uris[1024], *secret;
	FILE *f;

	assert_true(asprintf(&secret, "%s/secret", dir) > 0);
	f = fopen(secret, "w");
	assert_non_null(f);
	fprintf(f, "%s\n", admin_pw);
	fclose(f);
	assert_int_equal(chmod(secret, 0600), 0);
	snprintf(extra, sizeof(extra), "bind_dn = %s\nbind_password_file = %s", admin_dn, secret);
	cfg = config(ldap_uri, extra);
	assert_int_equal(orgrbac_ldap_open(cfg, true, &l, &err), ORGRBAC_LDAP_OK);
	orgrbac_ldap_close(l);
	orgrbac_config_free(cfg);

	f = fopen(secret, "w");
	fprintf(f, "wrong-password\n");
	fclose(f);
	cfg = config(ldap_uri, extra);
	assert_int_equal(orgrbac_ldap_open(cfg, true, &l, &err), ORGRBAC_LDAP_UNAVAIL);
	/* the server answered: it refused us, which is no silence */
	assert_non_null(strstr(err.msg, "bind refused: invalid credentials"));
	assert_null(strstr(err.msg, "no directory server answered"));
	assert_true(orgrbac_ldap_bind_refused(&err));
	orgrbac_config_free(cfg);

	/* a server down first, then one that refuses: the refusal leads */
	snprintf(uris, sizeof(uris), "ldap://127.0.0.1:1/ %s", ldap_uri);
	cfg = config(uris, extra);
	assert_int_equal(orgrbac_ldap_open(cfg, true, &l, &err), ORGRBAC_LDAP_UNAVAIL);
	assert_true(orgrbac_ldap_bind_refused(&err));
	assert_non_null(strstr(err.msg, "127.0.0.1:1"));
	orgrbac_config_free(cfg);

	/* readable by others: refused before any connection */
	assert_int_equal(chmod(secret, 0644), 0);
	cfg = config(ldap_uri, extra);
	assert_int_equal(orgrbac_ldap_open(cfg, true, &l, &err), ORGRBAC_LDAP_ERROR);
	assert_non_null(strstr(err.msg, secret));
	orgrbac_config_free(cfg);
	unlink(secret);
	free(secret);
}

static int setup(void **state)
{
	return mkdtemp(dir) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
	return orgrbac_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(direct_grant),	   cmocka_unit_test(nested_groups),
	    cmocka_unit_test(group_cycle),	   cmocka_unit_test(round_trips),
	    cmocka_unit_test(windows_and_scopes),  cmocka_unit_test(missing_role),
	    cmocka_unit_test(externals),	   cmocka_unit_test(other_organization),
	    cmocka_unit_test(unknown_and_hostile), cmocka_unit_test(failover),
	    cmocka_unit_test(silent_server),	   cmocka_unit_test(tls),
	    cmocka_unit_test(plaintext_refused),   cmocka_unit_test(ldapi_socket),
	    cmocka_unit_test(bind_with_secret),
	};

	ldap_uri = env("LDAP_URI");
	ldaps_uri = env("LDAPS_URI");
	ldapi_uri = env("LDAPI_URI");
	ca_file = env("TLS_CA_FILE");
	wrong_ca = env("WRONG_CA_FILE");
	admin_dn = env("LDAP_ADMIN_DN");
	admin_pw = env("LDAP_ADMIN_PW");
	memberof = strcmp(env("MEMBEROF"), "yes") == 0;
	/* The host process's environment must not steer the client. */
	setenv("LDAPTLS_REQCERT", "never", 1);
	setenv("LDAPURI", "ldap://127.0.0.1:1/", 1);
	setenv("LDAPTLS_CACERT", wrong_ca, 1);
	return cmocka_run_group_tests_name(
	    memberof ? "directory (memberOf)" : "directory (no memberOf)", tests, setup, teardown);
}
