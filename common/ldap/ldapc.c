/* SPDX-License-Identifier: BSD-2-Clause */
/* The LDAP client: failover across URIs, TLS policy, timeouts, bounded searches. */
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

#define DEFAULT_CA_FILE "/etc/ssl/certs/ca-certificates.crt"

struct orgrbac_ldap {
	LDAP *ld;
	char *uri;
	int timeout;
	unsigned long round_trips;
	struct orgrbac_watchdog dog;
	struct ldap_conncb conncb; /* tells the watchdog the socket; outlives ld */
};

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

static bool is_unavailable(int rc)
{
	return rc == LDAP_SERVER_DOWN || rc == LDAP_TIMEOUT || rc == LDAP_CONNECT_ERROR ||
	       rc == LDAP_UNAVAILABLE || rc == LDAP_BUSY;
}

enum orgrbac_ldap_status orgrbac_ldap_result_status(int rc, int sizelimit, int entries)
{
	if (rc == LDAP_SUCCESS)
		return ORGRBAC_LDAP_OK;
	if (rc == LDAP_NO_SUCH_OBJECT && entries == 0)
		return ORGRBAC_LDAP_NOOBJECT;
	/* our own limit, or the server's: only the count of what came tells them apart */
	if (rc == LDAP_SIZELIMIT_EXCEEDED && sizelimit > 0 && entries >= sizelimit)
		return ORGRBAC_LDAP_TOOMANY;
	if (rc == LDAP_SIZELIMIT_EXCEEDED || rc == LDAP_TIMELIMIT_EXCEEDED ||
	    rc == LDAP_ADMINLIMIT_EXCEEDED || is_unavailable(rc))
		return ORGRBAC_LDAP_UNAVAIL;
	return ORGRBAC_LDAP_ERROR;
}

/* A search, as its failures name it. */
struct search_what {
	const char *what, *base, *filter;
	size_t before; /* entries of earlier pages */
};

/* The server's limit that stopped a search, and the setting that raises it; NULL: none. */
static const char *server_limit(int rc, const char **setting)
{
	switch (rc) {
	case LDAP_SIZELIMIT_EXCEEDED: *setting = "olcSizeLimit/olcLimits"; return "size limit";
	case LDAP_TIMELIMIT_EXCEEDED:
		*setting = "olcTimeLimit/olcLimits ([ldap] timeout is the most asked)";
		return "time limit";
	case LDAP_ADMINLIMIT_EXCEEDED: *setting = "olcLimits"; return "administrative limit";
	}
	return NULL;
}

/*
 * Why a search that ended with `rc` gives no answer we may use. A referral
 * (resultCode 10) is never followed: LDAP_OPT_REFERRALS is off, so libldap
 * hands it back instead of connecting anywhere, over TLS or not. Our own
 * size limit, the server's limits and any other failure after some entries
 * make a partial answer, never a complete one.
 */
static void search_failed(orgrbac_error *err, const struct search_what *w, int rc, int sizelimit,
			  int entries)
{
	const char *setting = NULL, *limit = server_limit(rc, &setting);
	const char *what = w->what, *base = w->base, *filter = w->filter;
	size_t flen = strlen(filter), before = w->before;

	if (rc == LDAP_REFERRAL)
		orgrbac_seterr(err,
			       "%s under %s: the server answered with a referral, not followed",
			       what, base);
	else if (orgrbac_ldap_result_status(rc, sizelimit, entries) == ORGRBAC_LDAP_TOOMANY)
		orgrbac_seterr(err, "%s under %s matched more than %d entries (orgrbac's limit)",
			       what, base, sizelimit);
	else if (limit != NULL)
		orgrbac_seterr(err,
			       "the server's %s stopped the %s for %.160s%s under %s after %zu "
			       "entries; raise %s for the bind DN",
			       limit, what, filter, flen > 160 ? "..." : "", base,
			       before + (size_t)entries, setting);
	else if (entries > 0)
		orgrbac_seterr(err, "%s under %s: a partial answer of %d entries, then: %s", what,
			       base, entries, ldap_err2string(rc));
	else
		orgrbac_seterr(err, "%s under %s failed: %s", what, base, ldap_err2string(rc));
}

/*
 * noSuchObject: the server does not hold the base of the search, or an ACL
 * hides it. For a base that must exist (the configured base, the user's
 * organization) the caller reads it as a server that cannot answer (a replica
 * not yet initialized, another suffix), never as an empty answer: that would
 * make a user unknown, or a vendor's closed access entry absent.
 */
static void no_base(const struct orgrbac_ldap *l, const char *base, orgrbac_error *err)
{
	orgrbac_seterr(err, "%s does not hold the base %s (no such object)", l->uri, base);
}

/* Entries and search references in a result chain. */
static int count_answers(LDAP *ld, LDAPMessage *res)
{
	int n = 0;

	for (LDAPMessage *m = ldap_first_message(ld, res); m != NULL; m = ldap_next_message(ld, m))
		if (ldap_msgtype(m) == LDAP_RES_SEARCH_ENTRY ||
		    ldap_msgtype(m) == LDAP_RES_SEARCH_REFERENCE)
			n++;
	return n;
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

	*refused = !is_unavailable(rc);
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
					const char *secret, struct orgrbac_ldap *l, bool *refused,
					orgrbac_error *err)
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
	rc = ldap_sasl_bind_s(ld, cfg->bind_dn != NULL ? cfg->bind_dn : "", LDAP_SASL_SIMPLE, &cred,
			      NULL, NULL, NULL);
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
					struct orgrbac_ldap *l, orgrbac_error *err)
{
	char refused_list[sizeof(err->msg)] = "", tried[sizeof(err->msg)] = "";
	enum orgrbac_ldap_status status = ORGRBAC_LDAP_ERROR;

	for (size_t i = 0; i < cfg->n_uris; i++) {
		orgrbac_error one;
		bool refused = false;
		enum orgrbac_ldap_status rc = try_uri(cfg, cfg->uris[i], secret, l, &refused, &one);

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

enum orgrbac_ldap_status orgrbac_ldap_open(const struct orgrbac_config *cfg, bool trust_any_owner,
					   struct orgrbac_ldap **out, orgrbac_error *err)
{
	struct orgrbac_ldap *l;
	struct orgrbac_sigpipe_guard guard;
	char *secret = NULL;
	enum orgrbac_ldap_status status = ORGRBAC_LDAP_ERROR;

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
	l = calloc(1, sizeof(*l));
	if (l == NULL) {
		orgrbac_seterr(err, "out of memory");
		goto out;
	}
	l->timeout = cfg->timeout;
	l->conncb = orgrbac_watchdog_conncb(&l->dog);
	if (orgrbac_watchdog_start(&l->dog) != 0) {
		orgrbac_seterr(err, "cannot start the timeout watchdog");
		free(l);
		l = NULL;
		goto out;
	}
	orgrbac_sigpipe_block(&guard);
	status = try_all(cfg, secret, l, err);
	orgrbac_sigpipe_restore(&guard);
	if (status == ORGRBAC_LDAP_OK) {
		*out = l;
	} else {
		orgrbac_watchdog_stop(&l->dog);
		free(l);
	}
out:
	if (secret != NULL) {
		orgrbac_wipe(secret, strlen(secret));
		free(secret);
	}
	return status;
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

/*
 * One search exchange, under the watchdog and with SIGPIPE held: libldap's
 * code, or LDAP_TIMEOUT when the deadline passed. *res may hold a partial
 * answer.
 */
static int exchange(struct orgrbac_ldap *l, const char *base, int scope, const char *filter,
		    char **attrs, LDAPControl **ctrls, int sizelimit, LDAPMessage **res)
{
	struct timeval tv = {l->timeout, 0};
	struct orgrbac_sigpipe_guard guard;
	int rc;

	l->round_trips++;
	orgrbac_sigpipe_block(&guard);
	orgrbac_watchdog_arm(&l->dog, l->timeout);
	rc = ldap_search_ext_s(l->ld, base, scope, filter, attrs, 0, ctrls, NULL, &tv, sizelimit,
			       res);
	if (orgrbac_watchdog_disarm(&l->dog))
		rc = LDAP_TIMEOUT;
	orgrbac_sigpipe_restore(&guard);
	return rc;
}

/*
 * What an exchange that ended with `rc` gives: OK, NOOBJECT for a base that
 * does not exist or is hidden (and no answer at all), else UNAVAIL or ERROR
 * with err. Only the caller knows whether a missing base means "nothing
 * there" or "unusable". On anything but OK, *res is freed.
 */
static enum orgrbac_ldap_status answered(struct orgrbac_ldap *l, const struct search_what *w,
					 int rc, int sizelimit, LDAPMessage **res,
					 orgrbac_error *err)
{
	enum orgrbac_ldap_status st;
	int answers;

	if (rc == LDAP_SUCCESS)
		return ORGRBAC_LDAP_OK;
	answers = *res != NULL ? count_answers(l->ld, *res) : 0;
	st = orgrbac_ldap_result_status(rc, sizelimit, answers);
	if (st == ORGRBAC_LDAP_NOOBJECT)
		no_base(l, w->base, err);
	else
		search_failed(err, w, rc, sizelimit, answers);
	ldap_msgfree(*res);
	*res = NULL;
	return st;
}

static void reference_refused(orgrbac_error *err, const char *base)
{
	orgrbac_seterr(
	    err, "search under %s returned a search reference (a referral), not followed", base);
}

enum orgrbac_ldap_status orgrbac_ldap_search(struct orgrbac_ldap *l, const char *base, int scope,
					     const char *filter, char **attrs, int sizelimit,
					     LDAPMessage **res, orgrbac_error *err)
{
	const struct search_what w = {"search", base, filter, 0};
	enum orgrbac_ldap_status st;
	int rc;

	*res = NULL;
	if (sizelimit <= 0) {
		orgrbac_seterr(err, "internal error: search without a size limit");
		return ORGRBAC_LDAP_ERROR;
	}
	rc = exchange(l, base, scope, filter, attrs, NULL, sizelimit, res);
	st = answered(l, &w, rc, sizelimit, res, err);
	if (st != ORGRBAC_LDAP_OK)
		return st;
	for (LDAPMessage *m = ldap_first_message(l->ld, *res); m != NULL;
	     m = ldap_next_message(l->ld, m)) {
		if (ldap_msgtype(m) == LDAP_RES_SEARCH_REFERENCE) {
			reference_refused(err, base);
			ldap_msgfree(*res);
			*res = NULL;
			return ORGRBAC_LDAP_ERROR;
		}
	}
	return ORGRBAC_LDAP_OK;
}

/* A paged search: what it asks, and what it hands each entry to. */
struct paged {
	const char *base;
	int scope;
	const char *filter;
	char **attrs;
	int page_size;
	size_t max_entries, total;
	orgrbac_entry_fn fn;
	void *ctx;
};

/*
 * Ask for one page, after the one `cookie` ends (NULL: the first). A base
 * that does not exist or is hidden, on any page, is a server that cannot
 * answer.
 */
static enum orgrbac_ldap_status page_search(struct orgrbac_ldap *l, const struct paged *q,
					    struct berval *cookie, LDAPMessage **res,
					    orgrbac_error *err)
{
	const struct search_what w = {"paged search", q->base, q->filter, q->total};
	LDAPControl *page = NULL, *ctrls[2] = {NULL, NULL};
	enum orgrbac_ldap_status st;
	int rc;

	*res = NULL;
	if (ldap_create_page_control(l->ld, q->page_size, cookie, 1, &page) != LDAP_SUCCESS) {
		orgrbac_seterr(err, "cannot create a paged-results control");
		return ORGRBAC_LDAP_ERROR;
	}
	ctrls[0] = page;
	rc = exchange(l, q->base, q->scope, q->filter, q->attrs, ctrls, 0, res);
	ldap_control_free(page);
	st = answered(l, &w, rc, 0, res, err);
	return st == ORGRBAC_LDAP_NOOBJECT ? ORGRBAC_LDAP_UNAVAIL : st;
}

/* Hand each entry of a page to q->fn, in order; a search reference is an error. */
static enum orgrbac_ldap_status page_entries(struct orgrbac_ldap *l, struct paged *q,
					     LDAPMessage *res, orgrbac_error *err)
{
	for (LDAPMessage *m = ldap_first_message(l->ld, res); m != NULL;
	     m = ldap_next_message(l->ld, m)) {
		int type = ldap_msgtype(m);

		if (type == LDAP_RES_SEARCH_REFERENCE) {
			reference_refused(err, q->base);
			return ORGRBAC_LDAP_ERROR;
		}
		if (type != LDAP_RES_SEARCH_ENTRY)
			continue;
		if (++q->total > q->max_entries) {
			orgrbac_seterr(err,
				       "search under %s matched more than %zu entries (orgrbac's "
				       "limit)",
				       q->base, q->max_entries);
			return ORGRBAC_LDAP_TOOMANY;
		}
		if (q->fn(q->ctx, l->ld, m) != 0) {
			orgrbac_seterr(err, "cannot keep an entry of %s (out of memory)", q->base);
			return ORGRBAC_LDAP_ERROR;
		}
	}
	return ORGRBAC_LDAP_OK;
}

/* The page's own result, and the cookie of the next page in *next: NULL after the last. */
static enum orgrbac_ldap_status page_next(struct orgrbac_ldap *l, const char *base,
					  LDAPMessage *res, struct berval **next,
					  orgrbac_error *err)
{
	LDAPControl **rctrls = NULL, *resp;
	struct berval cookie = {0, NULL};
	ber_int_t estimate = 0;
	int result = LDAP_SUCCESS;

	*next = NULL;
	if (ldap_parse_result(l->ld, res, &result, NULL, NULL, NULL, &rctrls, 0) != LDAP_SUCCESS ||
	    result != LDAP_SUCCESS) {
		orgrbac_seterr(err, "paged search under %s: %s", base, ldap_err2string(result));
		ldap_controls_free(rctrls);
		return ORGRBAC_LDAP_ERROR;
	}
	resp = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, rctrls, NULL);
	/* A server that ignores the control sends everything at once: that is the end. */
	if (resp == NULL) {
		ldap_controls_free(rctrls);
		return ORGRBAC_LDAP_OK;
	}
	/* A page that cannot say what follows must not pass for the last one. */
	if (ldap_parse_pageresponse_control(l->ld, resp, &estimate, &cookie) != LDAP_SUCCESS) {
		orgrbac_seterr(err, "paged search under %s: unreadable paging control", base);
		ldap_controls_free(rctrls);
		return ORGRBAC_LDAP_ERROR;
	}
	if (cookie.bv_len > 0 && (*next = ber_bvdup(&cookie)) == NULL)
		orgrbac_seterr(err, "paged search under %s: out of memory", base);
	ber_memfree(cookie.bv_val);
	ldap_controls_free(rctrls);
	return cookie.bv_len > 0 && *next == NULL ? ORGRBAC_LDAP_ERROR : ORGRBAC_LDAP_OK;
}

enum orgrbac_ldap_status orgrbac_ldap_search_paged(struct orgrbac_ldap *l, const char *base,
						   int scope, const char *filter, char **attrs,
						   int page_size, size_t max_entries,
						   orgrbac_entry_fn fn, void *ctx,
						   orgrbac_error *err)
{
	struct paged q = {base, scope, filter, attrs, page_size, max_entries, 0, fn, ctx};
	struct berval *cookie = NULL;
	enum orgrbac_ldap_status st;

	do {
		LDAPMessage *res = NULL;
		struct berval *next = NULL;

		st = page_search(l, &q, cookie, &res, err);
		if (st == ORGRBAC_LDAP_OK)
			st = page_entries(l, &q, res, err);
		if (st == ORGRBAC_LDAP_OK)
			st = page_next(l, base, res, &next, err);
		ldap_msgfree(res);
		ber_bvfree(cookie);
		cookie = next;
	} while (st == ORGRBAC_LDAP_OK && cookie != NULL);
	ber_bvfree(cookie);
	return st;
}
