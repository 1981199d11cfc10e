/* SPDX-License-Identifier: BSD-2-Clause */
/* The LDAP client's connection: failover across URIs, TLS policy, the bind. (search.c: searches) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "guard.h"
#include "ldapc.h"
#include "ldapc_int.h"

#define DEFAULT_CA_FILE "/etc/ssl/certs/ca-certificates.crt"

/*
 * libldap reads ldap.conf, ~/.ldaprc, ./ldaprc and the LDAP* variables once,
 * at its first use in the process. The host process's environment must not
 * steer us (LDAPURI, LDAPTLS_REQCERT=never, ...), so that first use happens
 * here with LDAPNOINIT set; every option we rely on is also set per handle.
 */
static pthread_once_t global_once = PTHREAD_ONCE_INIT;

static void global_init(void)
{
	int version;

	if (getenv("LDAPNOINIT") == NULL) {
		if (setenv("LDAPNOINIT", "1", 1) == 0) {
			ldap_get_option(NULL, LDAP_OPT_PROTOCOL_VERSION, &version);
			unsetenv("LDAPNOINIT");
		}
	} else {
		ldap_get_option(NULL, LDAP_OPT_PROTOCOL_VERSION, &version);
	}
}

/* An address literal in 127.0.0.0/8 or ::1, or "localhost"; never a name like 127.example.com. */
static bool is_loopback_host(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return strcasecmp(host, "localhost") == 0;
}

bool orgrbac_uri_is_local(const char *uri)
{
	LDAPURLDesc *lud = NULL;
	bool local = false;

	if (ldap_url_parse(uri, &lud) != LDAP_URL_SUCCESS)
		return false;
	if (strcasecmp(lud->lud_scheme, "ldapi") == 0)
		local = true;
	else if (lud->lud_host != NULL)
		local = is_loopback_host(lud->lud_host);
	ldap_free_urldesc(lud);
	return local;
}

bool orgrbac_ldap_code_unavailable(int rc)
{
	return rc == LDAP_SERVER_DOWN || rc == LDAP_TIMEOUT || rc == LDAP_CONNECT_ERROR ||
	       rc == LDAP_UNAVAILABLE || rc == LDAP_BUSY;
}

/*
 * `tls`: this connection will use TLS. Only then is a TLS context built: it
 * loads the whole CA bundle, which would cost every plaintext loopback or
 * ldapi decision milliseconds for nothing.
 */
static int set_options(LDAP *ld, const struct orgrbac_config *cfg, struct orgrbac_ldap *l, bool tls,
		       orgrbac_error *err)
{
	struct timeval tv = {cfg->timeout, 0};
	int version = LDAP_VERSION3;
	int deref = LDAP_DEREF_NEVER;
	int reqcert = LDAP_OPT_X_TLS_DEMAND;
	int tls_min = LDAP_OPT_X_TLS_PROTOCOL_TLS1_2;
	int zero = 0;
	const char *ca = cfg->tls_ca_file != NULL ? cfg->tls_ca_file : DEFAULT_CA_FILE;

	if (ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(ld, LDAP_OPT_RESTART, LDAP_OPT_ON) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(ld, LDAP_OPT_DEREF, &deref) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &tv) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(ld, LDAP_OPT_TIMEOUT, &tv) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(ld, LDAP_OPT_TIMELIMIT, &cfg->timeout) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(ld, LDAP_OPT_SIZELIMIT, &zero) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(ld, LDAP_OPT_CONNECT_CB, &l->conncb) != LDAP_OPT_SUCCESS) {
		orgrbac_seterr(err, "cannot set LDAP options");
		return -1;
	}
	if (!tls)
		return 0;
	if (ldap_set_option(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &reqcert) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(ld, LDAP_OPT_X_TLS_PROTOCOL_MIN, &tls_min) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTFILE, ca) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTDIR, NULL) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(ld, LDAP_OPT_X_TLS_CERTFILE, NULL) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(ld, LDAP_OPT_X_TLS_KEYFILE, NULL) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &zero) != LDAP_OPT_SUCCESS) {
		orgrbac_seterr(err, "cannot set LDAP options (TLS CA file %s)", ca);
		return -1;
	}
	return 0;
}

/*
 * A bind that failed: a server that did not answer, or one that answered and
 * refused us (a wrong password, an identity it does not know or will not
 * bind anonymously): that server is up, and saying so matters.
 */
static void bind_failed(const struct orgrbac_config *cfg, const char *uri, int rc, bool *refused,
			orgrbac_error *err)
{
	const char *as = cfg->bind_dn != NULL ? cfg->bind_dn : "anonymous";

	*refused = !orgrbac_ldap_code_unavailable(rc);
	if (!*refused)
		orgrbac_seterr(err, "%s: bind as %s failed: %s", uri, as, ldap_err2string(rc));
	else if (rc == LDAP_INVALID_CREDENTIALS)
		orgrbac_seterr(err, "%s invalid credentials (%s as %s; check %s)",
			       ORGRBAC_BIND_REFUSED, uri, as,
			       cfg->bind_password_file != NULL ? cfg->bind_password_file
							       : "[ldap] bind_dn");
	else
		orgrbac_seterr(err, "%s %s (%s as %s)", ORGRBAC_BIND_REFUSED, ldap_err2string(rc),
			       uri, as);
}

/*
 * Connect and bind to one server: OK, UNAVAIL (try the next; *refused when it
 * answered and refused the bind) or ERROR (refused by policy).
 */
static enum orgrbac_ldap_status try_uri(const struct orgrbac_config *cfg, const char *uri,
					const char *secret, bool external, struct orgrbac_ldap *l,
					bool *refused, orgrbac_error *err)
{
	LDAPURLDesc *lud = NULL;
	struct berval cred = {0, NULL};
	bool plain, ldapi, starttls;
	LDAP *ld = NULL;
	int rc;

	if (ldap_url_parse(uri, &lud) != LDAP_URL_SUCCESS) {
		orgrbac_seterr(err, "%s: not an LDAP URI", uri);
		return ORGRBAC_LDAP_ERROR;
	}
	plain = strcasecmp(lud->lud_scheme, "ldap") == 0;
	ldapi = strcasecmp(lud->lud_scheme, "ldapi") == 0;
	ldap_free_urldesc(lud);
	if (plain && !cfg->starttls && !cfg->allow_insecure && !orgrbac_uri_is_local(uri)) {
		orgrbac_seterr(err,
			       "%s: plaintext LDAP to a non-loopback host refused "
			       "(use ldaps://, starttls = yes, or allow_insecure = yes)",
			       uri);
		return ORGRBAC_LDAP_ERROR;
	}
	rc = ldap_initialize(&ld, uri);
	if (rc != LDAP_SUCCESS) {
		orgrbac_seterr(err, "%s: %s", uri, ldap_err2string(rc));
		return ORGRBAC_LDAP_ERROR;
	}
	starttls = plain && cfg->starttls && !ldapi;
	if (set_options(ld, cfg, l, (!plain && !ldapi) || starttls, err) != 0) {
		ldap_unbind_ext_s(ld, NULL, NULL);
		return ORGRBAC_LDAP_ERROR;
	}
	if (starttls) {
		l->round_trips++;
		orgrbac_watchdog_arm(&l->dog, cfg->timeout);
		rc = ldap_start_tls_s(ld, NULL, NULL);
		if (orgrbac_watchdog_disarm(&l->dog))
			rc = LDAP_TIMEOUT;
		if (rc != LDAP_SUCCESS) {
			orgrbac_seterr(err, "%s: StartTLS failed: %s", uri, ldap_err2string(rc));
			ldap_unbind_ext_s(ld, NULL, NULL);
			return ORGRBAC_LDAP_UNAVAIL;
		}
	}
	if (secret != NULL) {
		cred.bv_val = (char *)secret;
		cred.bv_len = strlen(secret);
	}
	/* An anonymous bind too: it proves the server answers before we commit to it. */
	l->round_trips++;
	orgrbac_watchdog_arm(&l->dog, cfg->timeout);
	/* SASL EXTERNAL: the identity is the connection's (ldapi:// peer credentials) */
	if (external) {
		/* an empty initial response: no authorization identity of our own */
		cred.bv_val = (char *)"";
		cred.bv_len = 0;
		rc = ldap_sasl_bind_s(ld, NULL, "EXTERNAL", &cred, NULL, NULL, NULL);
	} else {
		rc = ldap_sasl_bind_s(ld, cfg->bind_dn != NULL ? cfg->bind_dn : "",
				      LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
	}
	if (orgrbac_watchdog_disarm(&l->dog))
		rc = LDAP_TIMEOUT;
	if (rc != LDAP_SUCCESS) {
		bind_failed(cfg, uri, rc, refused, err);
		ldap_unbind_ext_s(ld, NULL, NULL);
		return ORGRBAC_LDAP_UNAVAIL;
	}
	l->uri = strdup(uri);
	if (l->uri == NULL) {
		orgrbac_seterr(err, "out of memory");
		ldap_unbind_ext_s(ld, NULL, NULL);
		return ORGRBAC_LDAP_ERROR;
	}
	l->ld = ld;
	return ORGRBAC_LDAP_OK;
}

/* Append "; msg" (or msg) to a list of failures; a list too long for it is cut. */
static void list_add(char *list, size_t size, const char *msg)
{
	size_t used = strlen(list);

	if (snprintf(list + used, size - used, "%s%s", used > 0 ? "; " : "", msg) < 0)
		list[used] = '\0';
}

/*
 * Each server in order, until one binds: OK, UNAVAIL or ERROR with err.
 * A server that answered and refused the bind comes first in the message:
 * "bind refused: ...", never "no directory server answered".
 */
static enum orgrbac_ldap_status try_all(const struct orgrbac_config *cfg, const char *secret,
					bool external, struct orgrbac_ldap *l, orgrbac_error *err)
{
	char refused_list[sizeof(err->msg)] = "", tried[sizeof(err->msg)] = "";
	enum orgrbac_ldap_status status = ORGRBAC_LDAP_ERROR;

	for (size_t i = 0; i < cfg->n_uris; i++) {
		orgrbac_error one;
		bool refused = false;
		enum orgrbac_ldap_status rc =
		    try_uri(cfg, cfg->uris[i], secret, external, l, &refused, &one);

		if (rc == ORGRBAC_LDAP_OK)
			return ORGRBAC_LDAP_OK;
		if (rc == ORGRBAC_LDAP_UNAVAIL)
			status = ORGRBAC_LDAP_UNAVAIL;
		if (refused)
			list_add(refused_list, sizeof(refused_list), one.msg);
		else
			list_add(tried, sizeof(tried), one.msg);
	}
	if (refused_list[0] != '\0')
		orgrbac_seterr(err, "%s%s%s", refused_list, tried[0] != '\0' ? "; " : "", tried);
	else
		orgrbac_seterr(
		    err, "%s%s",
		    status == ORGRBAC_LDAP_UNAVAIL ? "no directory server answered: " : "", tried);
	return status;
}

/*
 * The bind secret could not be read: when it is root's and we are not root,
 * say that first, not what the open saw.
 */
static void secret_unreadable(const struct orgrbac_config *cfg, orgrbac_error *err)
{
	const char *path = cfg->bind_password_file;
	struct stat st;

	if (path != NULL && geteuid() != 0 && stat(path, &st) == 0 && st.st_uid == 0 &&
	    access(path, R_OK) != 0)
		orgrbac_seterr(err, "run as root: the bind secret %.300s is root's", path);
}

/* Connect with the bind `secret` (or none), or SASL EXTERNAL. */
static enum orgrbac_ldap_status open_with(const struct orgrbac_config *cfg, const char *secret,
					  bool external, struct orgrbac_ldap **out,
					  orgrbac_error *err)
{
	struct orgrbac_ldap *l;
	struct orgrbac_sigpipe_guard guard;
	enum orgrbac_ldap_status status;

	l = calloc(1, sizeof(*l));
	if (l == NULL) {
		orgrbac_seterr(err, "out of memory");
		return ORGRBAC_LDAP_ERROR;
	}
	l->timeout = cfg->timeout;
	l->conncb = orgrbac_watchdog_conncb(&l->dog);
	if (orgrbac_watchdog_start(&l->dog) != 0) {
		orgrbac_seterr(err, "cannot start the timeout watchdog");
		free(l);
		return ORGRBAC_LDAP_ERROR;
	}
	orgrbac_sigpipe_block(&guard);
	status = try_all(cfg, secret, external, l, err);
	orgrbac_sigpipe_restore(&guard);
	if (status == ORGRBAC_LDAP_OK) {
		*out = l;
	} else {
		orgrbac_watchdog_stop(&l->dog);
		free(l);
	}
	return status;
}

enum orgrbac_ldap_status orgrbac_ldap_open(const struct orgrbac_config *cfg, bool trust_any_owner,
					   struct orgrbac_ldap **out, orgrbac_error *err)
{
	char *secret = NULL;
	enum orgrbac_ldap_status status;

	*out = NULL;
	pthread_once(&global_once, global_init);
	if (cfg->n_uris == 0) {
		orgrbac_seterr(err, "%s: [ldap] uri: no server configured", cfg->path);
		return ORGRBAC_LDAP_ERROR;
	}
	if (cfg->bind_dn != NULL &&
	    orgrbac_config_read_secret(cfg, trust_any_owner, &secret, err) != 0) {
		secret_unreadable(cfg, err);
		return ORGRBAC_LDAP_ERROR;
	}
	status = open_with(cfg, secret, false, out, err);
	if (secret != NULL) {
		orgrbac_wipe(secret, strlen(secret));
		free(secret);
	}
	return status;
}

enum orgrbac_ldap_status orgrbac_ldap_open_as(const struct orgrbac_config *cfg,
					      const struct orgrbac_ldap_cred *cred,
					      struct orgrbac_ldap **out, orgrbac_error *err)
{
	struct orgrbac_config c = *cfg;

	*out = NULL;
	pthread_once(&global_once, global_init);
	if (cfg->n_uris == 0) {
		orgrbac_seterr(err, "%s: [ldap] uri: no server configured", cfg->path);
		return ORGRBAC_LDAP_ERROR;
	}
	/* with EXTERNAL, the name only says who failed in a message */
	c.bind_dn = cred->sasl_external ? (char *)"SASL EXTERNAL" : (char *)cred->bind_dn;
	c.bind_password_file = (char *)"the password given"; /* named in a refusal only */
	return open_with(&c, cred->secret, cred->sasl_external, out, err);
}

bool orgrbac_ldap_bind_refused(const orgrbac_error *err)
{
	return strncmp(err->msg, ORGRBAC_BIND_REFUSED, strlen(ORGRBAC_BIND_REFUSED)) == 0;
}

void orgrbac_ldap_close(struct orgrbac_ldap *l)
{
	struct orgrbac_sigpipe_guard guard;

	if (l == NULL)
		return;
	if (l->ld != NULL) {
		orgrbac_sigpipe_block(&guard);
		orgrbac_watchdog_arm(&l->dog, l->timeout);
		ldap_unbind_ext_s(l->ld, NULL, NULL);
		orgrbac_watchdog_disarm(&l->dog);
		orgrbac_sigpipe_restore(&guard);
	}
	orgrbac_watchdog_stop(&l->dog);
	free(l->uri);
	free(l);
}

const char *orgrbac_ldap_uri(const struct orgrbac_ldap *l)
{
	return l->uri != NULL ? l->uri : "?";
}

unsigned long orgrbac_ldap_round_trips(const struct orgrbac_ldap *l)
{
	return l->round_trips;
}

LDAP *orgrbac_ldap_handle(struct orgrbac_ldap *l)
{
	return l->ld;
}
