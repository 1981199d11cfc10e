/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for common/store/config.c: loading, defaults, every kind of error, secrets, lookups.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <netdb.h>
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

#include "config.h"
#include "config_keys.h"
#include "config_parse.h"

static char dir[] = "/tmp/orgrbac-config-XXXXXX";
static bool as_root;

/* Write `text` to a new file of the test directory; the caller frees the path. */
static char *write_file(const char *text, size_t len, mode_t mode)
{
	static unsigned serial;
	char *path;
	int fd;

	assert_true(asprintf(&path, "%s/f%u.conf", dir, serial++) > 0);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(close(fd), 0);
	return path;
}

static char *write_conf(const char *text)
{
	return write_file(text, strlen(text), 0644);
}

/* Files written by root are root-owned: root runs the real checks, others cannot. */
static int load(const char *path, struct orgrbac_config **cfg, orgrbac_error *err)
{
	memset(err, 0, sizeof(*err));
	return orgrbac_config_load(path, !as_root, cfg, err);
}

static struct orgrbac_config *load_ok(const char *text)
{
	struct orgrbac_config *cfg = NULL;
	orgrbac_error err;
	char *path = write_conf(text);

	if (load(path, &cfg, &err) != 0)
		fail_msg("%s", err.msg);
	assert_non_null(cfg);
	assert_string_equal(cfg->path, path);
	free(path);
	return cfg;
}

/* The load fails, and the message starts "PATH:LINE: " (or "PATH: " for line 0). */
static void check_error_len(const char *text, size_t len, unsigned line, const char *where,
			    const char *what)
{
	struct orgrbac_config *cfg = (struct orgrbac_config *)1;
	orgrbac_error err;
	char *path = write_file(text, len, 0644);
	char prefix[256];

	assert_int_equal(load(path, &cfg, &err), -1);
	assert_null(cfg);
	if (line > 0)
		snprintf(prefix, sizeof(prefix), "%s:%u: ", path, line);
	else
		snprintf(prefix, sizeof(prefix), "%s: ", path);
	if (strncmp(err.msg, prefix, strlen(prefix)) != 0)
		fail_msg("expected prefix '%s' in '%s'", prefix, err.msg);
	if (where != NULL && strstr(err.msg, where) == NULL)
		fail_msg("expected '%s' in '%s'", where, err.msg);
	if (what != NULL && strstr(err.msg, what) == NULL)
		fail_msg("expected '%s' in '%s'", what, err.msg);
	free(path);
}

static void check_error(const char *text, unsigned line, const char *where, const char *what)
{
	check_error_len(text, strlen(text), line, where, what);
}

#define LDAP_OK "[ldap]\nuri = ldap://127.0.0.1/\nbase = dc=example,dc=com\n" /* 3 lines */
#define HOST_OK "[host]\norg = acme\nresource = web01.example.com\n"	      /* 3 lines */

static const char design_example[] =
    "[ldap]\n"
    "uri = ldaps://ldap1.example.com ldaps://ldap2.example.com   ; tried in order, failover\n"
    "base = dc=example,dc=com\n"
    "bind_dn = cn=host-web01,ou=hosts,dc=example,dc=com          ; absent = anonymous\n"
    "bind_password_file = /etc/orgrbac.secret                    ; must be root-owned, not "
    "group/world readable\n"
    "tls_ca_file = /etc/ssl/certs/ca-certificates.crt\n"
    "starttls = yes                  ; ldap:// to a non-loopback host without TLS is refused "
    "unless allow_insecure = yes\n"
    "timeout = 3                     ; seconds, connect and each operation\n"
    "\n"
    "[host]\n"
    "org = acme\n"
    "services = payments, web        ; host groups this host is part of\n"
    "resource = web01.example.com    ; default: gethostname(), never DNS\n"
    "\n"
    "[pam]\n"
    "default_require = host:login\n"
    "mfa_exempt_role = 2FA-exempt\n"
    "cross_org_privilege = common:org:cross\n"
    "ignore_users = root             ; never judged: PAM_IGNORE\n"
    "offline = deny                  ; or: snapshot (decide from the local snapshot when no "
    "server answers)\n"
    "offline_max_age = 3600\n"
    "\n"
    "[service sshd]\n"
    "require = host:login || common:org:own\n"
    "[service sudo]\n"
    "require = host:sudo || common:org:own\n"
    "\n"
    "[nss]\n"
    "snapshot = /var/lib/orgrbac/snapshot.db\n"
    "group_prefix =                  ; prepended to derived group names\n"
    "max_age = 3600                  ; older snapshot: NSS answers UNAVAIL\n";

static void design_example_loads(void **state)
{
	struct orgrbac_config *cfg = load_ok(design_example);

	(void)state;
	assert_int_equal(cfg->n_uris, 2);
	assert_string_equal(cfg->uris[0], "ldaps://ldap1.example.com");
	assert_string_equal(cfg->uris[1], "ldaps://ldap2.example.com");
	assert_null(cfg->uris[2]);
	assert_string_equal(cfg->base, "dc=example,dc=com");
	assert_string_equal(cfg->bind_dn, "cn=host-web01,ou=hosts,dc=example,dc=com");
	assert_string_equal(cfg->bind_password_file, "/etc/orgrbac.secret");
	assert_string_equal(cfg->tls_ca_file, "/etc/ssl/certs/ca-certificates.crt");
	assert_true(cfg->starttls);
	assert_false(cfg->allow_insecure);
	assert_int_equal(cfg->timeout, 3);
	assert_string_equal(cfg->org, "acme");
	assert_int_equal(cfg->n_services, 2);
	assert_string_equal(cfg->services[0], "payments");
	assert_string_equal(cfg->services[1], "web");
	assert_null(cfg->services[2]);
	assert_string_equal(cfg->resource, "web01.example.com");
	assert_string_equal(cfg->default_require, "host:login");
	assert_string_equal(cfg->mfa_exempt_role, "2FA-exempt");
	assert_string_equal(cfg->cross_org_privilege, "common:org:cross");
	assert_int_equal(cfg->n_ignore_users, 1);
	assert_string_equal(cfg->ignore_users[0], "root");
	assert_int_equal(cfg->offline, ORGRBAC_OFFLINE_DENY);
	assert_int_equal(cfg->source, ORGRBAC_SOURCE_LIVE);
	assert_int_equal(cfg->offline_max_age, 3600);
	assert_int_equal(cfg->n_svc, 2);
	assert_string_equal(cfg->svc[0].name, "sshd");
	assert_string_equal(cfg->svc[0].require, "host:login || common:org:own");
	assert_string_equal(cfg->svc[1].name, "sudo");
	assert_string_equal(cfg->svc[1].require, "host:sudo || common:org:own");
	assert_string_equal(cfg->snapshot, "/var/lib/orgrbac/snapshot.db");
	assert_string_equal(cfg->group_prefix, "");
	assert_int_equal(cfg->max_age, 3600);
	assert_int_equal(cfg->gid_min, 1000);
	assert_int_equal(cfg->users, ORGRBAC_NSS_USERS_HOLDERS);
	assert_int_equal(cfg->uid_min, 1000);
	orgrbac_config_free(cfg);
}

/* The host's name as gethostname() gives it: the documented default resource. */
static char *host_name(void)
{
	char host[HOST_NAME_MAX + 1] = "";
	char *name;

	assert_int_equal(gethostname(host, sizeof(host) - 1), 0);
	name = strdup(host);
	assert_non_null(name);
	return name;
}

/*
 * This binary is linked with -Wl,--wrap= for the resolver's entry points:
 * a call from the configuration reader lands here and is counted, and fails.
 */
static int resolver_calls;
int __wrap_getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
		       struct addrinfo **res);
int __wrap_getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
		       struct addrinfo **res)
{
	resolver_calls++;
	return EAI_FAIL;
}
int __wrap_getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hostlen,
		       char *serv, socklen_t servlen, int flags);
int __wrap_getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hostlen,
		       char *serv, socklen_t servlen, int flags)
{
	resolver_calls++;
	return EAI_FAIL;
}
struct hostent *__wrap_gethostbyname(const char *name);
struct hostent *__wrap_gethostbyname(const char *name)
{
	resolver_calls++;
	return NULL;
}

/*
 * Without [host] resource the host's resource is gethostname(), never a
 * DNS answer (a spoofed CNAME would pick another host's resource grants),
 * and reading the configuration asks no resolver.
 */
static void resource_is_the_host_name(void **state)
{
	struct orgrbac_config *cfg;
	char *host = host_name();

	(void)state;
	resolver_calls = 0;
	cfg = load_ok("[ldap]\nuri = ldapi://\nbase = dc=example,dc=com\n[host]\norg = acme\n");
	assert_string_equal(cfg->resource, host);
	assert_int_equal(resolver_calls, 0);
	orgrbac_config_free(cfg);
	/* a resource that is set is taken as written */
	cfg = load_ok("[ldap]\nuri = ldapi://\nbase = dc=example,dc=com\n[host]\norg = acme\n"
		      "resource = web01.example.com\n");
	assert_string_equal(cfg->resource, "web01.example.com");
	assert_int_equal(resolver_calls, 0);
	orgrbac_config_free(cfg);
	free(host);
}

static void defaults(void **state)
{
	struct orgrbac_config *cfg =
	    load_ok("[ldap]\nuri = ldapi://\nbase = dc=example,dc=com\n[host]\norg = acme\n");
	char *host = host_name();

	(void)state;
	assert_int_equal(cfg->n_uris, 1);
	assert_string_equal(cfg->uris[0], "ldapi://");
	assert_null(cfg->bind_dn);
	assert_null(cfg->bind_password_file);
	assert_null(cfg->tls_ca_file);
	assert_false(cfg->starttls);
	assert_false(cfg->allow_insecure);
	assert_int_equal(cfg->timeout, 3);
	assert_non_null(cfg->services);
	assert_int_equal(cfg->n_services, 0);
	assert_null(cfg->services[0]);
	assert_string_equal(cfg->resource, host);
	assert_null(cfg->default_require);
	assert_string_equal(cfg->mfa_exempt_role, "2FA-exempt");
	assert_string_equal(cfg->cross_org_privilege, "common:org:cross");
	assert_int_equal(cfg->n_ignore_users, 1);
	assert_string_equal(cfg->ignore_users[0], "root");
	assert_null(cfg->ignore_users[1]);
	assert_int_equal(cfg->offline, ORGRBAC_OFFLINE_DENY);
	assert_int_equal(cfg->offline_max_age, 3600);
	assert_int_equal(cfg->n_svc, 0);
	assert_string_equal(cfg->snapshot, "/var/lib/orgrbac/snapshot.db");
	assert_string_equal(cfg->group_prefix, "");
	assert_int_equal(cfg->max_age, 3600);
	assert_int_equal(cfg->gid_min, 1000);
	free(host);
	orgrbac_config_free(cfg);
}

static void default_path(void **state)
{
	struct orgrbac_config *cfg = NULL;
	orgrbac_error err;

	(void)state;
	if (orgrbac_config_load(NULL, true, &cfg, &err) == 0) {
		assert_string_equal(cfg->path, ORGRBAC_CONFIG_PATH);
		orgrbac_config_free(cfg);
	} else {
		assert_null(cfg);
		assert_non_null(strstr(err.msg, ORGRBAC_CONFIG_PATH));
	}
}

static void values(void **state)
{
	struct orgrbac_config *cfg =
	    load_ok("# a comment\n"
		    "; another\n"
		    "[LDAP]\n"
		    "  URI = LDAP://a ldaps://b, ldapi://%2Frun%2Fslapd ldap://d ldap://e ldap://f "
		    "ldap://g ldap://h\n"
		    "base = \"o=quoted; really\"\n"
		    "starttls = TRUE\n"
		    "allow_insecure = 1\n"
		    "timeout = 60 # the most\n"
		    "[host]\n"
		    "org = a.b_c-9\n"
		    "services =\tweb\n"
		    "resource = h1\n"
		    "[pam]\n"
		    "ignore_users = ;nobody\n"
		    "source = SNAPSHOT\n"
		    "offline = Snapshot\n"
		    "offline_max_age = 31536000\n"
		    "mfa_exempt_role = No Second Factor\n"
		    "default_require = none\n"
		    "[Service SSHD]\n"
		    "require = a && (b || c)\n"
		    "[nss]\n"
		    "group_prefix = org-_\n"
		    "max_age = 1\n"
		    "gid_min = 4294967294\n");

	(void)state;
	assert_int_equal(cfg->n_uris, ORGRBAC_MAX_URIS);
	assert_string_equal(cfg->uris[0], "LDAP://a");
	assert_string_equal(cfg->uris[2], "ldapi://%2Frun%2Fslapd");
	assert_string_equal(cfg->uris[7], "ldap://h");
	assert_string_equal(cfg->base, "o=quoted; really");
	assert_true(cfg->starttls);
	assert_true(cfg->allow_insecure);
	assert_int_equal(cfg->timeout, 60);
	assert_string_equal(cfg->org, "a.b_c-9");
	assert_int_equal(cfg->n_services, 1);
	assert_string_equal(cfg->services[0], "web");
	assert_int_equal(cfg->source, ORGRBAC_SOURCE_SNAPSHOT);
	assert_int_equal(cfg->n_ignore_users, 0);
	assert_null(cfg->ignore_users[0]);
	assert_int_equal(cfg->offline, ORGRBAC_OFFLINE_SNAPSHOT);
	assert_int_equal(cfg->offline_max_age, 31536000);
	assert_string_equal(cfg->mfa_exempt_role, "No Second Factor");
	assert_string_equal(cfg->default_require, "none");
	assert_int_equal(cfg->n_svc, 1);
	assert_string_equal(cfg->svc[0].name, "sshd");
	assert_string_equal(cfg->svc[0].require, "a && (b || c)");
	assert_string_equal(cfg->group_prefix, "org-_");
	assert_int_equal(cfg->max_age, 1);
	if (LONG_MAX >= 4294967294L)
		assert_int_equal(cfg->gid_min, 4294967294L);
	orgrbac_config_free(cfg);

	cfg = load_ok(LDAP_OK "starttls = No\nallow_insecure = false\ntimeout = 1\n" HOST_OK
			      "[nss]\ngid_min = 1\nusers = ALL\nuid_min = 500\n");
	assert_false(cfg->starttls);
	assert_false(cfg->allow_insecure);
	assert_int_equal(cfg->timeout, 1);
	assert_int_equal(cfg->gid_min, 1);
	assert_int_equal(cfg->users, ORGRBAC_NSS_USERS_ALL);
	assert_int_equal(cfg->uid_min, 500);
	orgrbac_config_free(cfg);

	/* a line ending in '\\' goes on on the next, a comment too: the next is not a key */
	cfg = load_ok(LDAP_OK HOST_OK "[pam]\n; was: \\\noffline = snapshot\noffline = deny\n"
				      "mfa_exempt_role = two \\\n  words\n");
	assert_int_equal(cfg->offline, ORGRBAC_OFFLINE_DENY);
	assert_string_equal(cfg->mfa_exempt_role, "two   words");
	orgrbac_config_free(cfg);
	check_error(LDAP_OK HOST_OK "[pam]\noffline = deny \\\n\noffline = deny\n", 10,
		    "[pam] offline", "set twice (first on line 8)");
}

struct bad_case {
	const char *text;
	unsigned line;
	const char *where;
	const char *what;
};

static void run_cases(const struct bad_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		check_error(c[i].text, c[i].line, c[i].where, c[i].what);
}

static void bad_structure(void **state)
{
	static const struct bad_case c[] = {
	    {LDAP_OK HOST_OK "[ldapx]\nfoo = 1\n", 7, "[ldapx]", "unknown section"},
	    {LDAP_OK "frobnicate = 1\n" HOST_OK, 4, "[ldap] frobnicate", "unknown key"},
	    {"org = acme\n" LDAP_OK HOST_OK, 1, "org", "outside any [section]"},
	    {LDAP_OK HOST_OK "[pam]\ntimeout = 3\n", 8, "[pam] timeout", "unknown key"},
	    {LDAP_OK "timeout = 3\n" HOST_OK "[ldap]\ntimeout = 4\n", 9, "[ldap] timeout",
	     "set twice (first on line 4)"},
	    {LDAP_OK HOST_OK "[service sshd]\nrequire = a\n[service SSHD]\nrequire = b\n", 10,
	     "[service sshd] require", "set twice"},
	    {LDAP_OK HOST_OK "[service sshd]\n[pam]\n", 7, "[service sshd] require", "missing"},
	    {LDAP_OK HOST_OK "[service sshd]\nrequire = a\nenable = yes\n", 9,
	     "[service sshd] enable", "unknown key"},
	    {LDAP_OK HOST_OK "[service]\nrequire = a\n", 7, "[service]", "[service NAME]"},
	    {LDAP_OK HOST_OK "[service a b]\nrequire = a\n", 7, "[service a b]", "[service NAME]"},
	    {LDAP_OK HOST_OK "[service  sshd]\nrequire = a\n", 7, "[service  sshd]",
	     "[service NAME]"},
	    {LDAP_OK HOST_OK "[service ss/hd]\nrequire = a\n", 7, "[service ss/hd]",
	     "[service NAME]"},
	    {LDAP_OK HOST_OK "[ ]\nx = 1\n", 7, NULL, "empty section name"},
	    {LDAP_OK HOST_OK "[ldap:uri]\n", 7, NULL, "':' in a section name"},
	    {LDAP_OK "uri:x = 1\n" HOST_OK, 4, "[ldap] uri:x", "unknown key"},
	    {LDAP_OK HOST_OK "[pam]\nthis line has no equals sign\n", 8, NULL, "syntax error"},
	    {LDAP_OK HOST_OK "[nss] ; comment\n", 7, NULL, "syntax error"},
	    {LDAP_OK "\n\n= 5\n" HOST_OK, 6, NULL, "syntax error"},
	};

	(void)state;
	run_cases(c, sizeof(c) / sizeof(c[0]));
}

static void bad_ldap(void **state)
{
	static const struct bad_case c[] = {
	    {"[ldap]\nuri = ldap://x\n" HOST_OK, 1, "[ldap] base", "missing"},
	    {"[ldap]\nuri = ldap://x\nbase =\n" HOST_OK, 3, "[ldap] base", "empty"},
	    {"[ldap]\nbase = dc=x\n" HOST_OK, 1, "[ldap] uri", "missing"},
	    {HOST_OK, 0, "[ldap] uri", "missing"},
	    {"[ldap]\nuri = http://x\nbase = dc=x\n" HOST_OK, 2, "[ldap] uri", "http://x"},
	    {"[ldap]\nuri = ldap://x ldapx://y\nbase = dc=x\n" HOST_OK, 2, "[ldap] uri", "URI 2"},
	    {"[ldap]\nuri =\nbase = dc=x\n" HOST_OK, 2, "[ldap] uri", "1 to 8"},
	    {"[ldap]\nuri = ldap://1 ldap://2 ldap://3 ldap://4 ldap://5 ldap://6 ldap://7 "
	     "ldap://8 ldap://9\nbase = dc=x\n" HOST_OK,
	     2, "[ldap] uri", "1 to 8"},
	    {LDAP_OK "bind_dn = cn=h,dc=x\n" HOST_OK, 4, "[ldap] bind_dn",
	     "without bind_password_file"},
	    {LDAP_OK "bind_password_file = /etc/s\n" HOST_OK, 4, "[ldap] bind_password_file",
	     "without bind_dn"},
	    {LDAP_OK "bind_dn = cn=h\nbind_password_file = etc/s\n" HOST_OK, 5,
	     "[ldap] bind_password_file", "absolute"},
	    {LDAP_OK "tls_ca_file = ca.pem\n" HOST_OK, 4, "[ldap] tls_ca_file", "absolute"},
	    {LDAP_OK "starttls = maybe\n" HOST_OK, 4, "[ldap] starttls", "value 'maybe'"},
	    {LDAP_OK "starttls = on\n" HOST_OK, 4, "[ldap] starttls", "yes, no"},
	    {LDAP_OK "allow_insecure =\n" HOST_OK, 4, "[ldap] allow_insecure", "yes, no"},
	    {LDAP_OK "timeout = 3s\n" HOST_OK, 4, "[ldap] timeout", "value '3s'"},
	    {LDAP_OK "timeout =\n" HOST_OK, 4, "[ldap] timeout", "from 1 to 60"},
	    {LDAP_OK "timeout = 0\n" HOST_OK, 4, "[ldap] timeout", "from 1 to 60"},
	    {LDAP_OK "timeout = -1\n" HOST_OK, 4, "[ldap] timeout", "value '-1'"},
	    {LDAP_OK "timeout = 61\n" HOST_OK, 4, "[ldap] timeout", "from 1 to 60"},
	    {LDAP_OK "timeout = +3\n" HOST_OK, 4, "[ldap] timeout", "from 1 to 60"},
	    {LDAP_OK "timeout = 99999999999999999999\n" HOST_OK, 4, "[ldap] timeout",
	     "from 1 to 60"},
	};

	(void)state;
	run_cases(c, sizeof(c) / sizeof(c[0]));
}

static void bad_host_pam_nss(void **state)
{
	static const struct bad_case c[] = {
	    {LDAP_OK "[host]\nresource = h\n", 4, "[host] org", "missing"},
	    {LDAP_OK "[host]\norg = ac me\nresource = h\n", 5, "[host] org", "'ac me'"},
	    {LDAP_OK "[host]\norg =\nresource = h\n", 5, "[host] org", "A-Z a-z"},
	    {LDAP_OK "[host]\norg = o\nresource = a/b\n", 6, "[host] resource", "a/b"},
	    {LDAP_OK "[host]\norg = o\nservices = web, pay(ments)\nresource = h\n", 6,
	     "[host] services", "pay(ments)"},
	    {LDAP_OK HOST_OK "[pam]\ndefault_require = host:login ||\n", 8, "[pam] default_require",
	     "column"},
	    {LDAP_OK HOST_OK "[pam]\ndefault_require =\n", 8, "[pam] default_require",
	     "invalid expression"},
	    {LDAP_OK HOST_OK "[service sshd]\nrequire = host:login && && x\n", 8,
	     "[service sshd] require", "column 15"},
	    {LDAP_OK HOST_OK "[pam]\ncross_org_privilege = common::cross\n", 8,
	     "[pam] cross_org_privilege", "not a privilege"},
	    {LDAP_OK HOST_OK "[pam]\ncross_org_privilege = common:*\n", 8,
	     "[pam] cross_org_privilege", "not a privilege"},
	    {LDAP_OK HOST_OK "[pam]\nmfa_exempt_role =\n", 8, "[pam] mfa_exempt_role", "empty"},
	    {LDAP_OK HOST_OK "[pam]\nignore_users = root, a:b\n", 8, "[pam] ignore_users", "'a:b'"},
	    {LDAP_OK HOST_OK "[pam]\noffline = allow\n", 8, "[pam] offline", "deny or snapshot"},
	    {LDAP_OK HOST_OK "[pam]\nsource = ldap\n", 8, "[pam] source", "live or snapshot"},
	    {LDAP_OK HOST_OK "[pam]\noffline_max_age = 0\n", 8, "[pam] offline_max_age",
	     "from 1 to 31536000"},
	    {LDAP_OK HOST_OK "[pam]\noffline_max_age = 31536001\n", 8, "[pam] offline_max_age",
	     "from 1 to 31536000"},
	    {LDAP_OK HOST_OK "[nss]\nsnapshot = snapshot.db\n", 8, "[nss] snapshot", "absolute"},
	    {LDAP_OK HOST_OK "[nss]\ngroup_prefix = Org_\n", 8, "[nss] group_prefix",
	     "value 'Org_'"},
	    {LDAP_OK HOST_OK "[nss]\ngroup_prefix = o.\n", 8, "[nss] group_prefix", "a-z 0-9 _ -"},
	    {LDAP_OK HOST_OK "[nss]\nmax_age = 1h\n", 8, "[nss] max_age", "value '1h'"},
	    {LDAP_OK HOST_OK "[nss]\ngid_min = 0\n", 8, "[nss] gid_min", "from 1 to"},
	    {LDAP_OK HOST_OK "[nss]\ngid_min = 4294967295\n", 8, "[nss] gid_min", "from 1 to"},
	    {LDAP_OK HOST_OK "[nss]\nusers = everyone\n", 8, "[nss] users",
	     "must be holders or all (value 'everyone')"},
	    {LDAP_OK HOST_OK "[nss]\nusers =\n", 8, "[nss] users", "holders or all"},
	    {LDAP_OK HOST_OK "[nss]\nuid_min = 0\n", 8, "[nss] uid_min", "from 1 to"},
	    {LDAP_OK HOST_OK "[nss]\nuid_min = 4294967295\n", 8, "[nss] uid_min", "from 1 to"},
	};

	(void)state;
	run_cases(c, sizeof(c) / sizeof(c[0]));
}

static void bad_text(void **state)
{
	static const char nul[] = LDAP_OK HOST_OK "[pam]\nignore_users = root\0\n";
	char *longline, *path;
	struct orgrbac_config *cfg = NULL;
	orgrbac_error err;
	size_t n;

	(void)state;
	/* a NUL byte would hide the rest of its line from any C string */
	path = write_file(nul, sizeof(nul) - 1, 0644);
	assert_int_equal(load(path, &cfg, &err), -1);
	assert_null(cfg);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, ":8: contains a NUL byte"));
	free(path);

	n = strlen(LDAP_OK HOST_OK "[pam]\nmfa_exempt_role = ") + 1100;
	longline = malloc(n + 2);
	assert_non_null(longline);
	strcpy(longline, LDAP_OK HOST_OK "[pam]\nmfa_exempt_role = ");
	memset(longline + strlen(longline), 'x', n - strlen(longline));
	memcpy(longline + n, "\n", 2);
	check_error(longline, 8, NULL, "line longer than 1022 characters");
	free(longline);
}

/* The scanner's reading of `len` bytes, one "[section]@LINE", "key=<value>@LINE" or "!ERROR@LINE"
 * each. */
static char *scanned(const char *text, size_t len)
{
	static const char *const names[] = {
	    [ORGRBAC_INI_SYNTAX] = "SYNTAX",	     [ORGRBAC_INI_JOINED_LONG] = "JOINED_LONG",
	    [ORGRBAC_INI_EMPTY_NAME] = "EMPTY_NAME", [ORGRBAC_INI_COLON_NAME] = "COLON_NAME",
	    [ORGRBAC_INI_LONG_LINE] = "LONG_LINE",   [ORGRBAC_INI_NUL] = "NUL",
	};
	struct orgrbac_ini_scan s;
	struct orgrbac_ini_item it;
	enum orgrbac_ini_kind kind;
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);

	assert_non_null(f);
	orgrbac_ini_start(&s, text, len);
	while ((kind = orgrbac_ini_next(&s, &it)) != ORGRBAC_INI_END) {
		if (kind == ORGRBAC_INI_SECTION)
			fprintf(f, " [%s]@%u", it.section, it.line);
		else if (kind == ORGRBAC_INI_VALUE)
			fprintf(f, " %s=<%s>@%u", it.key, it.value, it.line);
		else if (kind == ORGRBAC_INI_SYNTAX)
			fprintf(f, " !SYNTAX(%.*s)@%u", (int)it.text_len, it.text, it.line);
		else
			fprintf(f, " !%s@%u", names[kind], it.line);
	}
	assert_int_equal(fclose(f), 0);
	return out;
}

static void expect_scan(const char *text, const char *want)
{
	char *got = scanned(text, strlen(text));

	if (strcmp(got[0] == ' ' ? got + 1 : got, want) != 0)
		fail_msg("scanning '%s': got '%s', want '%s'", text, got, want);
	free(got);
}

/* The line scanner alone: each line in iniparser 4.1's syntax, and its number. */
static void scanner(void **state)
{
	static const struct {
		const char *text, *want;
	} c[] = {
	    {"", ""},
	    {"\n\n  \n\t\n", ""},
	    {"# c\n; c\n  # indented\n", ""},
	    {"[a]\nk = v\n", "[a]@1 k=<v>@2"},
	    /* the last line needs no newline */
	    {"[a]\nk = v", "[a]@1 k=<v>@2"},
	    {"[a]\r\nk = v\r\n", "[a]@1 k=<v>@2"},
	    {"k = v\n[a]\n", "k=<v>@1 [a]@2"},
	    {"\n# c\n\n[ Sec  Tion ]\n", "[sec  tion]@4"},
	    {"[a]b]\n", "[a]@1"},
	    {"KeY = VaLue\n", "key=<VaLue>@1"},
	    {"k=v\n", "k=<v>@1"},
	    {"k = a=b\n", "k=<a=b>@1"},
	    {"k = a ; c\nl = b # c\n", "k=<a>@1 l=<b>@2"},
	    {"k =\nl = ;c\nm = #c\nn = \"\"\no = ''\n", "k=<>@1 l=<>@2 m=<>@3 n=<>@4 o=<>@5"},
	    {"k = \"a;b # c\" ; d\n", "k=<a;b # c>@1"},
	    {"k = ' x '\n", "k=< x >@1"},
	    {"k = \"abc\n", "k=<abc>@1"},
	    {"k = \"\n", "k=<\">@1"},
	    {"k = \"\"x\n", "k=<\"\"x>@1"},
	    {"a b = c d\n", "a b=<c d>@1"},
	    {"uri:x = 1\n", "uri:x=<1>@1"},
	    /* a line ending in '\' goes on on the next one, comments too */
	    {"k = a \\\n  b\nl = c\n", "k=<a   b>@1 l=<c>@3"},
	    {"; c \\\nk = v\nl = w\n", "l=<w>@3"},
	    {"[ser\\\nvice x]\n", "[service x]@1"},
	    {"\\\n[a]\n", "[a]@2"},
	    {"k = a\\\n\\\nb\n", "k=<ab>@1"},
	    /* and the last one with nothing */
	    {"k = v \\", "k=<v>@1"},
	    {"k = v \\\n", "k=<v>@1"},
	    /* errors, and the scan goes on */
	    {"[a]\nno equals sign\nk = v\n", "[a]@1 !SYNTAX(no equals sign)@2 k=<v>@3"},
	    {"= 5\n", "!SYNTAX(= 5)@1"},
	    {"[nss] ; c\n", "!SYNTAX([nss] ; c)@1"},
	    {"[a\n", "!SYNTAX([a)@1"},
	    {"x", "!SYNTAX(x)@1"},
	    {"[a]\nx", "[a]@1 !SYNTAX(x)@2"},
	    {"no \\\n  equals  \n", "!SYNTAX(equals)@2"},
	    {"[]\n[ ]\n[a:b]\n", "!EMPTY_NAME@1 !EMPTY_NAME@2 !COLON_NAME@3"},
	};
	char line[ORGRBAC_INI_LINE_MAX + 16];
	char *got;

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		expect_scan(c[i].text, c[i].want);

	/* a line of ORGRBAC_INI_LINE_MAX characters, a carriage return counted */
	memset(line, 'x', sizeof(line));
	memcpy(line, "k = ", 4);
	strcpy(line + ORGRBAC_INI_LINE_MAX - 1, "\r\n");
	got = scanned(line, strlen(line));
	assert_non_null(strstr(got, "k=<xxx"));
	free(got);
	/* one more is too long, with or without a newline, and stops nothing */
	strcpy(line + ORGRBAC_INI_LINE_MAX, "\r\nk = v\n");
	expect_scan(line, "!LONG_LINE@1 k=<v>@2");
	line[ORGRBAC_INI_LINE_MAX + 1] = '\0';
	expect_scan(line, "!LONG_LINE@1");

	/* lines joined by '\' share the room of one */
	memset(line, 'x', sizeof(line));
	memcpy(line, "k = ", 4);
	strcpy(line + 1000, "\\\n");
	memset(line + 1002, 'y', 22);
	strcpy(line + 1024, "\nl = v\n");
	got = scanned(line, strlen(line));
	assert_non_null(strstr(got, "yyyyyyyyyyyyyyyyyyyyyy>@1 l=<v>@3"));
	free(got);
	line[1024] = 'y';
	strcpy(line + 1025, "\n");
	expect_scan(line, "!JOINED_LONG@2");

	/* a NUL byte, on the line it is on */
	got = scanned("k = v\nl = a\0b\nm = c\n", 20);
	assert_string_equal(got, " k=<v>@1 !NUL@2 m=<c>@3");
	free(got);
}

/* Which error the loader names when a file has several: the worst, then the first. */
static void severity(void **state)
{
	(void)state;
	assert_int_equal(orgrbac_ini_severity(ORGRBAC_INI_END), 0);
	assert_int_equal(orgrbac_ini_severity(ORGRBAC_INI_SECTION), 0);
	assert_int_equal(orgrbac_ini_severity(ORGRBAC_INI_VALUE), 0);
	assert_true(orgrbac_ini_severity(ORGRBAC_INI_SYNTAX) > 0);
	assert_int_equal(orgrbac_ini_severity(ORGRBAC_INI_SYNTAX),
			 orgrbac_ini_severity(ORGRBAC_INI_JOINED_LONG));
	assert_true(orgrbac_ini_severity(ORGRBAC_INI_EMPTY_NAME) >
		    orgrbac_ini_severity(ORGRBAC_INI_SYNTAX));
	assert_int_equal(orgrbac_ini_severity(ORGRBAC_INI_EMPTY_NAME),
			 orgrbac_ini_severity(ORGRBAC_INI_COLON_NAME));
	assert_true(orgrbac_ini_severity(ORGRBAC_INI_NUL) >
		    orgrbac_ini_severity(ORGRBAC_INI_EMPTY_NAME));
	assert_int_equal(orgrbac_ini_severity(ORGRBAC_INI_NUL),
			 orgrbac_ini_severity(ORGRBAC_INI_LONG_LINE));

	check_error(LDAP_OK "oops\n" HOST_OK "[ ]\n", 8, NULL, "empty section name");
	check_error(LDAP_OK "[a:b]\n[ ]\n" HOST_OK, 4, NULL, "':' in a section name");
	check_error(LDAP_OK "oops\n" HOST_OK "more oops\n", 4, NULL, "(found 'oops')");
	{
		static const char nul[] = LDAP_OK "[ ]\n" HOST_OK "x = \0\n";
		struct orgrbac_config *cfg = NULL;
		orgrbac_error err;
		char *path = write_file(nul, sizeof(nul) - 1, 0644);

		assert_int_equal(load(path, &cfg, &err), -1);
		assert_non_null(strstr(err.msg, ":8: contains a NUL byte"));
		free(path);
	}
}

/*
 * Lines joined by '\' are one line, as in iniparser 4.1's syntax: a key or a
 * header split in two is found, on the line where it starts.
 */
static void joined_lines(void **state)
{
	struct orgrbac_config *cfg;

	(void)state;
	cfg = load_ok(LDAP_OK "[ho\\\nst]\norg = ac\\\nme\n");
	assert_string_equal(cfg->org, "acme");
	orgrbac_config_free(cfg);
	check_error(LDAP_OK HOST_OK "[pam]\noffline \\\n = deny\noffline = snapshot\n", 10,
		    "[pam] offline", "set twice (first on line 8)");
	check_error(LDAP_OK "[ho\\\nst]\norg = acme\norg = b\n", 7, "[host] org",
		    "set twice (first on line 6)");
	check_error(LDAP_OK "\\\n[host]\norg = acme\nuri = ldap://x\n", 7, "[host] uri",
		    "unknown key");
	check_error(LDAP_OK HOST_OK "[pam]\nignore_users = a \\\n\\\n  b\ntimeout = 3\n", 11,
		    "[pam] timeout", "unknown key");
}

/* The last line is a line like any other, with or without its newline. */
static void last_line(void **state)
{
	struct orgrbac_config *cfg;

	(void)state;
	cfg = load_ok(LDAP_OK "[host]\norg = acme");
	assert_string_equal(cfg->org, "acme");
	orgrbac_config_free(cfg);
	cfg = load_ok(LDAP_OK HOST_OK "[pam]\noffline = snapshot \\");
	assert_int_equal(cfg->offline, ORGRBAC_OFFLINE_SNAPSHOT);
	orgrbac_config_free(cfg);
	check_error(LDAP_OK HOST_OK "x", 7, NULL, "syntax error");
	check_error(LDAP_OK HOST_OK "[pam]\ntimeout = 3", 8, "[pam] timeout", "unknown key");
}

/* LDAP_OK HOST_OK then `count` sections [service sN], each with `body` (a key line or ""). */
static char *repeated(const char *body, unsigned count)
{
	size_t cap = strlen(LDAP_OK HOST_OK) + (size_t)count * (strlen(body) + 32) + 1, len;
	char *text = malloc(cap);

	assert_non_null(text);
	strcpy(text, LDAP_OK HOST_OK);
	len = strlen(text);
	for (unsigned i = 0; i < count; i++) {
		int n = snprintf(text + len, cap - len, "[service s%u]\n%s", i, body);

		assert_true(n > 0 && (size_t)n < cap - len);
		len += (size_t)n;
	}
	return text;
}

static void limits(void **state)
{
	struct orgrbac_config *cfg;
	char *text;

	(void)state;
	text = repeated("require = host:login\n", 256);
	cfg = load_ok(text);
	assert_int_equal(cfg->n_svc, 256);
	assert_string_equal(orgrbac_config_require(cfg, "s255"), "host:login");
	orgrbac_config_free(cfg);
	free(text);

	/* the 257th section is on line 6 + 2 * 256 + 1 */
	text = repeated("require = host:login\n", 257);
	check_error(text, 6 + 2 * 256 + 1, "[service s256]", "more than 256");
	free(text);

	/* sections without their require: still the 257th is refused first */
	text = repeated("", 600);
	check_error(text, 6 + 256 + 1, "[service s256]", "more than 256");
	free(text);
}

/* The text and its lines: LDAP_OK HOST_OK (6 entries), then `count` lines "[service sN]". */
static char *entries(unsigned count, const char *tail)
{
	char *head = repeated("", count), *text;

	assert_true(asprintf(&text, "%s%s", head, tail) > 0);
	free(head);
	return text;
}

/*
 * The table of sections and settings: up to its bound, the file is judged
 * as any other; one more, and the line of the first one without room is named,
 * after the scanner's errors, before any value's.
 */
static void table_bound(void **state)
{
	const unsigned most = ORGRBAC_CONF_ENTRIES_MAX, last = 6 + (most - 6) + 1;
	char *text;

	(void)state;
	/* a valid file always fits */
	assert_true(5 + orgrbac_conf_n_keys() + 2 * 256 <= most);
	/* exactly the bound: the error is the 257th service's */
	text = entries(most - 6, "");
	check_error(text, 6 + 256 + 1, "[service s256]", "more than 256");
	free(text);
	/* one more: named by its line, before the services are counted */
	text = entries(most - 6 + 1, "");
	check_error(text, last, NULL, "more than 1024 sections and keys");
	free(text);
	/* a section or a key met again takes no room */
	text = entries(most - 6, "[service s0]\n[ldap]\n[service s1]\n");
	check_error(text, 6 + 256 + 1, "[service s256]", "more than 256");
	free(text);
	text = entries(most - 6, "[ldap]\nuri = ldap://127.0.0.2/\n");
	check_error(text, last + 1, "[ldap] uri", "set twice (first on line 2)");
	free(text);
	/* a key is one more entry: the first one that does not fit is named */
	text = entries(most - 6, "[ldap]\ntimeout = 3\nstarttls = yes\n");
	check_error(text, last + 1, NULL, "more than 1024 sections and keys");
	free(text);
	/* a later syntax error, or a NUL byte, is reported before the table's */
	text = entries(most - 6 + 3, "this is no setting\n");
	check_error(text, last + 3, NULL, "syntax error");
	free(text);
	text = entries(most - 6 + 3, "a = b\n");
	text[strlen(text) - 3] = '\0';
	check_error_len(text, strlen(text) + 3, last + 3, NULL, "contains a NUL byte");
	free(text);
}

/* A key set twice, then again: the second setting is named, whatever the values. */
static void set_twice(void **state)
{
	struct orgrbac_config *cfg;

	(void)state;
	check_error(LDAP_OK HOST_OK "[pam]\noffline = deny\noffline = deny\n", 9, "[pam] offline",
		    "set twice (first on line 8)");
	check_error(LDAP_OK HOST_OK "[pam]\noffline = deny\noffline = x\noffline = y\n", 9,
		    "[pam] offline", "set twice (first on line 8)");
	/* in a section met again, and with a bad first value: set twice comes first */
	check_error(LDAP_OK HOST_OK "[pam]\noffline = maybe\n[nss]\n[pam]\noffline = deny\n", 11,
		    "[pam] offline", "set twice (first on line 8)");
	/* a section met again is no error: its keys are merged */
	cfg = load_ok("[ldap]\nuri = ldap://127.0.0.1/\n" HOST_OK "[ldap]\nbase = dc=x\n[ldap]\n");
	assert_string_equal(cfg->base, "dc=x");
	assert_string_equal(cfg->org, "acme");
	orgrbac_config_free(cfg);
	/* a key and a section of the same name are two entries */
	check_error(LDAP_OK HOST_OK "[pam]\npam = 1\n", 8, "[pam] pam", "unknown key");
}

/*
 * Errors are judged in the order sections and settings are first met: a key
 * set on line 8 then again is reported before an unknown key of line 9.
 */
static void order_of_errors(void **state)
{
	(void)state;
	check_error(LDAP_OK HOST_OK "[pam]\nfoo = 1\noffline = maybe\n", 8, "[pam] foo",
		    "unknown key");
	check_error(LDAP_OK HOST_OK "[pam]\noffline = maybe\nfoo = 1\n", 8, "[pam] offline", NULL);
	check_error(LDAP_OK HOST_OK "[pam]\noffline = deny\nfoo = 1\n[pam]\noffline = x\n", 11,
		    "[pam] offline", "set twice (first on line 8)");
	/* an unknown section is met at its header, before the keys that follow it */
	check_error(LDAP_OK HOST_OK "[nope]\nx = 1\n[pam]\nfoo = 1\n", 7, "[nope]",
		    "unknown section");
	check_error(LDAP_OK HOST_OK "[pam]\nfoo = 1\n[nope]\nx = 1\n", 8, "[pam] foo",
		    "unknown key");
	/* a section's header met late still places its keys where they are first met */
	check_error("[pam]\nfoo = 1\n" LDAP_OK HOST_OK, 2, "[pam] foo", "unknown key");
}

static void bad_files(void **state)
{
	struct orgrbac_config *cfg = (struct orgrbac_config *)1;
	orgrbac_error err;
	char *path, *link, *good;

	(void)state;
	assert_true(asprintf(&path, "%s/does-not-exist.conf", dir) > 0);
	assert_int_equal(load(path, &cfg, &err), -1);
	assert_null(cfg);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "cannot open"));
	free(path);

	assert_int_equal(load(dir, &cfg, &err), -1);
	assert_null(cfg);
	assert_non_null(strstr(err.msg, dir));
	assert_non_null(strstr(err.msg, "not a regular file"));

	good = write_conf(LDAP_OK HOST_OK);
	assert_true(asprintf(&link, "%s.link", good) > 0);
	assert_int_equal(symlink(good, link), 0);
	assert_int_equal(load(good, &cfg, &err), 0);
	orgrbac_config_free(cfg);
	assert_int_equal(load(link, &cfg, &err), -1);
	assert_null(cfg);
	assert_non_null(strstr(err.msg, link));
	assert_non_null(strstr(err.msg, "symbolic link"));
	free(link);
	free(good);
}

static void unreadable_file(void **state)
{
	struct orgrbac_config *cfg = (struct orgrbac_config *)1;
	orgrbac_error err;
	char *good;

	(void)state;
	/* root reads anything: an unreadable file only exists for others */
	if (as_root)
		skip();
	good = write_conf(LDAP_OK HOST_OK);
	assert_int_equal(chmod(good, 0), 0);
	assert_int_equal(load(good, &cfg, &err), -1);
	assert_null(cfg);
	assert_non_null(strstr(err.msg, good));
	assert_non_null(strstr(err.msg, "Permission denied"));
	free(good);
}

static void ownership(void **state)
{
	struct orgrbac_config *cfg = NULL;
	orgrbac_error err;
	char *path;

	(void)state;
	if (!as_root)
		skip();
	path = write_conf(LDAP_OK HOST_OK);
	assert_int_equal(orgrbac_config_load(path, false, &cfg, &err), 0);
	orgrbac_config_free(cfg);

	assert_int_equal(chmod(path, 0664), 0);
	assert_int_equal(orgrbac_config_load(path, false, &cfg, &err), -1);
	assert_null(cfg);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "writable by group or others (mode 0664)"));
	assert_int_equal(orgrbac_config_load(path, true, &cfg, &err), 0);
	orgrbac_config_free(cfg);

	assert_int_equal(chmod(path, 0646), 0);
	assert_int_equal(orgrbac_config_load(path, false, &cfg, &err), -1);
	assert_null(cfg);

	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(chown(path, 1, 1), 0);
	assert_int_equal(orgrbac_config_load(path, false, &cfg, &err), -1);
	assert_null(cfg);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "owned by root"));
	assert_int_equal(orgrbac_config_load(path, true, &cfg, &err), 0);
	orgrbac_config_free(cfg);
	free(path);
}

/* A config whose bind_password_file is `secret`. */
static struct orgrbac_config *with_secret(const char *secret)
{
	char *text;
	struct orgrbac_config *cfg;

	assert_true(asprintf(&text,
			     LDAP_OK "bind_dn = cn=h,dc=x\nbind_password_file = %s\n" HOST_OK,
			     secret) > 0);
	cfg = load_ok(text);
	free(text);
	return cfg;
}

static void expect_secret(const char *content, size_t len, mode_t mode, const char *want)
{
	char *path = write_file(content, len, mode);
	struct orgrbac_config *cfg = with_secret(path);
	char *secret = (char *)1;
	orgrbac_error err;

	if (want != NULL) {
		if (orgrbac_config_read_secret(cfg, !as_root, &secret, &err) != 0)
			fail_msg("%s", err.msg);
		assert_string_equal(secret, want);
		orgrbac_wipe(secret, strlen(secret));
		free(secret);
	} else {
		assert_int_equal(orgrbac_config_read_secret(cfg, !as_root, &secret, &err), -1);
		assert_null(secret);
		assert_non_null(strstr(err.msg, path));
	}
	orgrbac_config_free(cfg);
	free(path);
}

static void secrets(void **state)
{
	char big[1100];

	(void)state;
	expect_secret("s3cret\n", 7, 0600, "s3cret");
	expect_secret("s3cret", 6, 0400, "s3cret");
	expect_secret("s3cret\r\n", 8, 0600, "s3cret");
	expect_secret("first\nsecond\n", 13, 0600, "first");
	expect_secret(" spaced pass \n", 14, 0600, " spaced pass ");
	expect_secret("s3cret\n", 7, 0644, NULL); /* world-readable */
	expect_secret("s3cret\n", 7, 0640, NULL); /* group-readable */
	expect_secret("s3cret\n", 7, 0601, NULL); /* any other bit */
	expect_secret("", 0, 0600, NULL);
	expect_secret("\n", 1, 0600, NULL);
	expect_secret("\r\nx\n", 4, 0600, NULL);
	expect_secret("a\0b\n", 4, 0600, NULL);
	memset(big, 'p', sizeof(big));
	expect_secret(big, 1025, 0600, NULL);
	big[1024] = '\n';
	{
		char *want = strndup(big, 1024);

		expect_secret(big, 1025, 0600, want);
		free(want);
	}
}

static void secret_refusals(void **state)
{
	struct orgrbac_config *cfg;
	orgrbac_error err;
	char *secret = NULL, *path, *link;

	(void)state;
	cfg = load_ok(LDAP_OK HOST_OK);
	assert_int_equal(orgrbac_config_read_secret(cfg, true, &secret, &err), -1);
	assert_null(secret);
	assert_non_null(strstr(err.msg, "bind_password_file"));
	orgrbac_config_free(cfg);

	assert_true(asprintf(&path, "%s/missing.secret", dir) > 0);
	cfg = with_secret(path);
	assert_int_equal(orgrbac_config_read_secret(cfg, true, &secret, &err), -1);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "cannot open"));
	orgrbac_config_free(cfg);
	free(path);

	path = write_file("pw\n", 3, 0600);
	assert_true(asprintf(&link, "%s.link", path) > 0);
	assert_int_equal(symlink(path, link), 0);
	cfg = with_secret(link);
	assert_int_equal(orgrbac_config_read_secret(cfg, true, &secret, &err), -1);
	assert_non_null(strstr(err.msg, "symbolic link"));
	orgrbac_config_free(cfg);
	free(link);
	free(path);

	/* each mode refused says what is wrong with it */
	path = write_file("pw\n", 3, 0640);
	cfg = with_secret(path);
	assert_int_equal(orgrbac_config_read_secret(cfg, true, &secret, &err), -1);
	assert_non_null(strstr(err.msg, "must not be accessible by group or others (mode 0640)"));
	assert_int_equal(chmod(path, 0660), 0);
	assert_int_equal(orgrbac_config_read_secret(cfg, true, &secret, &err), -1);
	assert_non_null(strstr(err.msg, "must not be writable by group or others (mode 0660)"));
	orgrbac_config_free(cfg);
	free(path);

	/* a FIFO in the file's place is refused, not waited on for a writer */
	assert_true(asprintf(&path, "%s/fifo.secret", dir) > 0);
	assert_int_equal(mkfifo(path, 0600), 0);
	cfg = with_secret(path);
	alarm(10);
	assert_int_equal(orgrbac_config_read_secret(cfg, true, &secret, &err), -1);
	alarm(0);
	assert_null(secret);
	assert_non_null(strstr(err.msg, "not a regular file"));
	orgrbac_config_free(cfg);
	free(path);
}

static void secret_owner(void **state)
{
	struct orgrbac_config *cfg;
	orgrbac_error err;
	char *secret = NULL, *path;

	(void)state;
	if (!as_root)
		skip();
	path = write_file("pw\n", 3, 0600);
	assert_int_equal(chown(path, 1, 1), 0);
	cfg = with_secret(path);
	assert_int_equal(orgrbac_config_read_secret(cfg, false, &secret, &err), -1);
	assert_null(secret);
	assert_non_null(strstr(err.msg, "owned by root"));
	assert_int_equal(orgrbac_config_read_secret(cfg, true, &secret, &err), 0);
	assert_string_equal(secret, "pw");
	free(secret);
	orgrbac_config_free(cfg);
	free(path);
}

static void require_lookup(void **state)
{
	struct orgrbac_config *cfg = load_ok(design_example);

	(void)state;
	assert_string_equal(orgrbac_config_require(cfg, "sshd"), "host:login || common:org:own");
	assert_string_equal(orgrbac_config_require(cfg, "SSHD"), "host:login || common:org:own");
	assert_string_equal(orgrbac_config_require(cfg, "sudo"), "host:sudo || common:org:own");
	assert_string_equal(orgrbac_config_require(cfg, "login"), "host:login");
	assert_string_equal(orgrbac_config_require(cfg, "ssh"), "host:login");
	assert_string_equal(orgrbac_config_require(cfg, NULL), "host:login");
	orgrbac_config_free(cfg);

	cfg = load_ok(LDAP_OK HOST_OK "[service sudo-i]\nrequire = host:sudo\n");
	assert_string_equal(orgrbac_config_require(cfg, "sudo-i"), "host:sudo");
	assert_null(orgrbac_config_require(cfg, "sudo"));
	assert_null(orgrbac_config_require(cfg, "sshd"));
	assert_null(orgrbac_config_require(NULL, "sshd"));
	orgrbac_config_free(cfg);
}

static void ignored(void **state)
{
	struct orgrbac_config *cfg = load_ok(LDAP_OK HOST_OK);

	(void)state;
	assert_true(orgrbac_config_ignored(cfg, "root"));
	assert_false(orgrbac_config_ignored(cfg, "Root"));
	assert_false(orgrbac_config_ignored(cfg, "root "));
	assert_false(orgrbac_config_ignored(cfg, "alice"));
	assert_false(orgrbac_config_ignored(cfg, NULL));
	orgrbac_config_free(cfg);

	cfg = load_ok(LDAP_OK HOST_OK "[pam]\nignore_users = backup, admin monitor\n");
	assert_int_equal(cfg->n_ignore_users, 3);
	assert_true(orgrbac_config_ignored(cfg, "backup"));
	assert_true(orgrbac_config_ignored(cfg, "monitor"));
	assert_false(orgrbac_config_ignored(cfg, "root"));
	assert_false(orgrbac_config_ignored(cfg, "back"));
	orgrbac_config_free(cfg);

	cfg = load_ok(LDAP_OK HOST_OK "[pam]\nignore_users =\n");
	assert_false(orgrbac_config_ignored(cfg, "root"));
	assert_false(orgrbac_config_ignored(cfg, ""));
	orgrbac_config_free(cfg);
	assert_false(orgrbac_config_ignored(NULL, "root"));
	orgrbac_config_free(NULL);
}

/* Read the sample shipped in etc/ (from $srcdir under make check). */
static char *read_sample(void)
{
	const char *srcdir = getenv("srcdir");
	char *path, *text = NULL;
	size_t len = 0;
	FILE *f;

	assert_true(asprintf(&path, "%s/etc/orgrbac.conf", srcdir ? srcdir : ".") > 0);
	f = fopen(path, "r");
	if (f == NULL)
		fail_msg("cannot read the sample %s (run from the source tree or set srcdir)",
			 path);
	assert_true(getdelim(&text, &len, '\0', f) > 0);
	fclose(f);
	free(path);
	return text;
}

/* The sample parses as it is, and every setting it shows, uncommented, is valid. */
static void sample_config(void **state)
{
	char *text = read_sample(), *p;
	struct orgrbac_config *cfg;

	(void)state;
	check_error(text, 12, "[ldap] uri", "missing");
	/* "#key = value" and "#[section]" become settings; prose comments stay */
	for (p = text; (p = strchr(p, '#')) != NULL; p++) {
		size_t n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz_");

		if ((p == text || p[-1] == '\n') &&
		    ((n > 0 && strncmp(p + 1 + n, " =", 2) == 0) || p[1] == '['))
			*p = ' ';
	}
	cfg = load_ok(text);
	assert_int_equal(cfg->n_uris, 2);
	assert_string_equal(cfg->uris[1], "ldaps://ldap2.example.com");
	assert_string_equal(cfg->base, "dc=example,dc=com");
	assert_string_equal(cfg->bind_password_file, "/etc/orgrbac.secret");
	assert_false(cfg->starttls);
	assert_false(cfg->allow_insecure);
	assert_int_equal(cfg->timeout, 3);
	assert_string_equal(cfg->org, "acme");
	assert_int_equal(cfg->n_services, 2);
	assert_string_equal(cfg->default_require, "host:login");
	assert_string_equal(cfg->mfa_exempt_role, "2FA-exempt");
	assert_string_equal(cfg->cross_org_privilege, "common:org:cross");
	assert_int_equal(cfg->n_ignore_users, 1);
	assert_string_equal(cfg->ignore_users[0], "root");
	assert_int_equal(cfg->offline, ORGRBAC_OFFLINE_DENY);
	assert_int_equal(cfg->offline_max_age, 3600);
	assert_string_equal(orgrbac_config_require(cfg, "sudo"), "host:sudo || common:org:own");
	assert_string_equal(cfg->snapshot, "/var/lib/orgrbac/snapshot.db");
	assert_string_equal(cfg->group_prefix, "");
	assert_int_equal(cfg->max_age, 3600);
	assert_int_equal(cfg->gid_min, 1000);
	orgrbac_config_free(cfg);
	free(text);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	(void)state;
	as_root = geteuid() == 0;
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(design_example_loads),
	    cmocka_unit_test(defaults),
	    cmocka_unit_test(resource_is_the_host_name),
	    cmocka_unit_test(default_path),
	    cmocka_unit_test(values),
	    cmocka_unit_test(bad_structure),
	    cmocka_unit_test(bad_ldap),
	    cmocka_unit_test(bad_host_pam_nss),
	    cmocka_unit_test(bad_text),
	    cmocka_unit_test(scanner),
	    cmocka_unit_test(severity),
	    cmocka_unit_test(joined_lines),
	    cmocka_unit_test(last_line),
	    cmocka_unit_test(limits),
	    cmocka_unit_test(table_bound),
	    cmocka_unit_test(set_twice),
	    cmocka_unit_test(order_of_errors),
	    cmocka_unit_test(bad_files),
	    cmocka_unit_test(unreadable_file),
	    cmocka_unit_test(ownership),
	    cmocka_unit_test(secrets),
	    cmocka_unit_test(secret_refusals),
	    cmocka_unit_test(secret_owner),
	    cmocka_unit_test(require_lookup),
	    cmocka_unit_test(ignored),
	    cmocka_unit_test(sample_config),
	};

	return cmocka_run_group_tests_name("config", tests, setup, teardown);
}
