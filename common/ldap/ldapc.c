/* SPDX-License-Identifier: BSD-2-Clause */
/* The LDAP client: failover across URIs, TLS policy, timeouts, bounded searches. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <time.h>

#include "ldapc.h"

#define DEFAULT_CA_FILE "/etc/ssl/certs/ca-certificates.crt"

/*
 * libldap bounds connect() and the wait for each result, but with GnuTLS it
 * spins forever in the TLS handshake with a peer that accepts the connection
 * and never answers (ldaps://, and after StartTLS). So every exchange with
 * the server runs under a watchdog: a thread that shuts the socket down at
 * the deadline, which turns any blocked or spinning read into an end of file
 * and the operation into "server down". The thread lives as long as the
 * handle, never beyond one call of ours, and takes no signals.
 */
struct watchdog {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	int fd; /* the connection's socket while libldap has one, else -1 */
	bool armed;
	bool fired;
	bool stop;
	struct timespec deadline; /* CLOCK_MONOTONIC */
};

struct orgrbac_ldap {
	LDAP *ld;
	char *uri;
	int timeout;
	unsigned long round_trips;
	struct watchdog dog;
	struct ldap_conncb conncb; /* tells the watchdog the socket; outlives ld */
};

static void *watchdog_run(void *arg)
{
	struct watchdog *w = arg;
	struct timespec now;

	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		if (!w->armed) {
			pthread_cond_wait(&w->cv, &w->mu);
			continue;
		}
		pthread_cond_timedwait(&w->cv, &w->mu, &w->deadline);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (w->armed && !w->stop &&
		    (now.tv_sec > w->deadline.tv_sec ||
		     (now.tv_sec == w->deadline.tv_sec && now.tv_nsec >= w->deadline.tv_nsec))) {
			if (w->fd >= 0)
				shutdown(w->fd, SHUT_RDWR);
			w->fired = true;
			w->armed = false;
		}
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static int watchdog_start(struct watchdog *w)
{
	pthread_condattr_t ca;
	sigset_t all, old;
	int rc;

	w->fd = -1;
	if (pthread_condattr_init(&ca) != 0)
		return -1;
	if (pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&w->cv, &ca) != 0) {
		pthread_condattr_destroy(&ca);
		return -1;
	}
	pthread_condattr_destroy(&ca);
	if (pthread_mutex_init(&w->mu, NULL) != 0) {
		pthread_cond_destroy(&w->cv);
		return -1;
	}
	/* The host's signals stay with the host's threads. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&w->thread, NULL, watchdog_run, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
		return -1;
	}
	return 0;
}

static void watchdog_stop(struct watchdog *w)
{
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
}

static void watchdog_arm(struct watchdog *w, int seconds)
{
	pthread_mutex_lock(&w->mu);
	clock_gettime(CLOCK_MONOTONIC, &w->deadline);
	w->deadline.tv_sec += seconds;
	w->armed = true;
	w->fired = false;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

/* Returns true when the deadline passed and the socket was shut down. */
static bool watchdog_disarm(struct watchdog *w)
{
	bool fired;

	pthread_mutex_lock(&w->mu);
	w->armed = false;
	fired = w->fired;
	w->fired = false;
	pthread_mutex_unlock(&w->mu);
	return fired;
}

static int conn_added(LDAP *ld, Sockbuf *sb, LDAPURLDesc *srv, struct sockaddr *addr,
		      struct ldap_conncb *ctx)
{
	struct watchdog *w = ctx->lc_arg;
	ber_socket_t fd = -1;

	if (ber_sockbuf_ctrl(sb, LBER_SB_OPT_GET_FD, &fd) != 1)
		fd = -1;
	pthread_mutex_lock(&w->mu);
	w->fd = fd;
	pthread_mutex_unlock(&w->mu);
	return 0;
}

static void conn_deleted(LDAP *ld, Sockbuf *sb, struct ldap_conncb *ctx)
{
	struct watchdog *w = ctx->lc_arg;

	pthread_mutex_lock(&w->mu);
	w->fd = -1;
	pthread_mutex_unlock(&w->mu);
}

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

/*
 * A peer that resets the connection must not kill the host with SIGPIPE:
 * block it for the duration of our calls and swallow any we raised.
 */
struct sigpipe_guard {
	sigset_t old;
	bool was_pending;
};

static void sigpipe_block(struct sigpipe_guard *g)
{
	sigset_t set, pending;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigpending(&pending);
	g->was_pending = sigismember(&pending, SIGPIPE) == 1;
	pthread_sigmask(SIG_BLOCK, &set, &g->old);
}

static void sigpipe_restore(struct sigpipe_guard *g)
{
	sigset_t set, pending;
	struct timespec zero = {0, 0};

	sigpending(&pending);
	if (!g->was_pending && sigismember(&pending, SIGPIPE) == 1) {
		sigemptyset(&set);
		sigaddset(&set, SIGPIPE);
		while (sigtimedwait(&set, NULL, &zero) < 0 && errno == EINTR)
			;
	}
	pthread_sigmask(SIG_SETMASK, &g->old, NULL);
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

/*
 * Why a search that ended with `rc` gives no answer we may use. A referral
 * (resultCode 10) is never followed: LDAP_OPT_REFERRALS is off, so libldap
 * hands it back instead of connecting anywhere, over TLS or not. Limits
 * (sizeLimitExceeded, timeLimitExceeded, adminLimitExceeded) and any other
 * failure after some entries make a partial answer, never a complete one.
 */
static void search_failed(orgrbac_error *err, const char *what, const char *base, int rc,
			  int sizelimit, int entries)
{
	if (rc == LDAP_REFERRAL)
		orgrbac_seterr(err,
			       "%s under %s: the server answered with a referral, not followed",
			       what, base);
	else if (rc == LDAP_SIZELIMIT_EXCEEDED && sizelimit > 0)
		orgrbac_seterr(err, "%s under %s matched more than %d entries", what, base,
			       sizelimit);
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

/* Connect and bind to one server: OK, UNAVAIL (try the next) or ERROR (refused by policy). */
static int try_uri(const struct orgrbac_config *cfg, const char *uri, const char *secret,
		   struct orgrbac_ldap *l, orgrbac_error *err)
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
		watchdog_arm(&l->dog, cfg->timeout);
		rc = ldap_start_tls_s(ld, NULL, NULL);
		if (watchdog_disarm(&l->dog))
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
	watchdog_arm(&l->dog, cfg->timeout);
	rc = ldap_sasl_bind_s(ld, cfg->bind_dn != NULL ? cfg->bind_dn : "", LDAP_SASL_SIMPLE, &cred,
			      NULL, NULL, NULL);
	if (watchdog_disarm(&l->dog))
		rc = LDAP_TIMEOUT;
	if (rc != LDAP_SUCCESS) {
		orgrbac_seterr(err, "%s: bind%s%s failed: %s", uri, cfg->bind_dn ? " as " : "",
			       cfg->bind_dn ? cfg->bind_dn : "", ldap_err2string(rc));
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

int orgrbac_ldap_open(const struct orgrbac_config *cfg, bool trust_any_owner,
		      struct orgrbac_ldap **out, orgrbac_error *err)
{
	struct orgrbac_ldap *l;
	struct sigpipe_guard guard;
	char *secret = NULL;
	char tried[sizeof(err->msg)] = "";
	int status = ORGRBAC_LDAP_ERROR;

	*out = NULL;
	pthread_once(&global_once, global_init);
	if (cfg->n_uris == 0) {
		orgrbac_seterr(err, "%s: [ldap] uri: no server configured", cfg->path);
		return ORGRBAC_LDAP_ERROR;
	}
	if (cfg->bind_dn != NULL &&
	    orgrbac_config_read_secret(cfg, trust_any_owner, &secret, err) != 0)
		return ORGRBAC_LDAP_ERROR;
	l = calloc(1, sizeof(*l));
	if (l == NULL) {
		orgrbac_seterr(err, "out of memory");
		goto out;
	}
	l->timeout = cfg->timeout;
	l->conncb = (struct ldap_conncb){conn_added, conn_deleted, &l->dog};
	if (watchdog_start(&l->dog) != 0) {
		orgrbac_seterr(err, "cannot start the timeout watchdog");
		free(l);
		l = NULL;
		goto out;
	}
	sigpipe_block(&guard);
	for (size_t i = 0; i < cfg->n_uris; i++) {
		orgrbac_error one;
		int rc = try_uri(cfg, cfg->uris[i], secret, l, &one);
		size_t used = strlen(tried);

		if (rc == ORGRBAC_LDAP_OK) {
			status = ORGRBAC_LDAP_OK;
			break;
		}
		if (rc == ORGRBAC_LDAP_UNAVAIL)
			status = ORGRBAC_LDAP_UNAVAIL;
		/* a list too long for the message is cut, which is fine */
		if (snprintf(tried + used, sizeof(tried) - used, "%s%s", used > 0 ? "; " : "",
			     one.msg) < 0)
			tried[used] = '\0';
	}
	sigpipe_restore(&guard);
	if (status == ORGRBAC_LDAP_OK) {
		*out = l;
	} else {
		orgrbac_seterr(
		    err, "%s%s",
		    status == ORGRBAC_LDAP_UNAVAIL ? "no directory server answered: " : "", tried);
		watchdog_stop(&l->dog);
		free(l);
	}
out:
	if (secret != NULL) {
		orgrbac_wipe(secret, strlen(secret));
		free(secret);
	}
	return status;
}

void orgrbac_ldap_close(struct orgrbac_ldap *l)
{
	struct sigpipe_guard guard;

	if (l == NULL)
		return;
	if (l->ld != NULL) {
		sigpipe_block(&guard);
		watchdog_arm(&l->dog, l->timeout);
		ldap_unbind_ext_s(l->ld, NULL, NULL);
		watchdog_disarm(&l->dog);
		sigpipe_restore(&guard);
	}
	watchdog_stop(&l->dog);
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

int orgrbac_ldap_search(struct orgrbac_ldap *l, const char *base, int scope, const char *filter,
			char **attrs, int sizelimit, LDAPMessage **res, orgrbac_error *err)
{
	struct timeval tv = {l->timeout, 0};
	struct sigpipe_guard guard;
	LDAPMessage *m;
	int rc, answers;

	*res = NULL;
	if (sizelimit <= 0) {
		orgrbac_seterr(err, "internal error: search without a size limit");
		return ORGRBAC_LDAP_ERROR;
	}
	l->round_trips++;
	sigpipe_block(&guard);
	watchdog_arm(&l->dog, l->timeout);
	rc = ldap_search_ext_s(l->ld, base, scope, filter, attrs, 0, NULL, NULL, &tv, sizelimit,
			       res);
	if (watchdog_disarm(&l->dog))
		rc = LDAP_TIMEOUT;
	sigpipe_restore(&guard);
	answers = *res != NULL ? count_answers(l->ld, *res) : 0;
	/* Only the caller knows whether a missing base means "nothing there" or "unusable". */
	if (rc == LDAP_NO_SUCH_OBJECT && answers == 0) {
		no_base(l, base, err);
		ldap_msgfree(*res);
		*res = NULL;
		return ORGRBAC_LDAP_NOOBJECT;
	}
	if (rc != LDAP_SUCCESS) {
		search_failed(err, "search", base, rc, sizelimit, answers);
		ldap_msgfree(*res);
		*res = NULL;
		return is_unavailable(rc) ? ORGRBAC_LDAP_UNAVAIL : ORGRBAC_LDAP_ERROR;
	}
	for (m = ldap_first_message(l->ld, *res); m != NULL; m = ldap_next_message(l->ld, m)) {
		if (ldap_msgtype(m) == LDAP_RES_SEARCH_REFERENCE) {
			orgrbac_seterr(err,
				       "search under %s returned a search reference (a referral), "
				       "not followed",
				       base);
			ldap_msgfree(*res);
			*res = NULL;
			return ORGRBAC_LDAP_ERROR;
		}
	}
	return ORGRBAC_LDAP_OK;
}

int orgrbac_ldap_search_paged(struct orgrbac_ldap *l, const char *base, int scope,
			      const char *filter, char **attrs, int page_size, size_t max_entries,
			      orgrbac_entry_fn fn, void *ctx, orgrbac_error *err)
{
	struct timeval tv = {l->timeout, 0};
	struct berval *cookie = NULL;
	size_t total = 0;
	int status = ORGRBAC_LDAP_ERROR;

	do {
		LDAPControl *page = NULL, *ctrls[2] = {NULL, NULL}, **rctrls = NULL, *resp;
		struct sigpipe_guard guard;
		LDAPMessage *res = NULL, *m;
		struct berval next = {0, NULL};
		ber_int_t estimate = 0;
		int rc, result = LDAP_SUCCESS, answers;

		if (ldap_create_page_control(l->ld, page_size, cookie, 1, &page) != LDAP_SUCCESS) {
			orgrbac_seterr(err, "cannot create a paged-results control");
			goto out;
		}
		ctrls[0] = page;
		l->round_trips++;
		sigpipe_block(&guard);
		watchdog_arm(&l->dog, l->timeout);
		rc = ldap_search_ext_s(l->ld, base, scope, filter, attrs, 0, ctrls, NULL, &tv, 0,
				       &res);
		if (watchdog_disarm(&l->dog))
			rc = LDAP_TIMEOUT;
		sigpipe_restore(&guard);
		ldap_control_free(page);
		answers = res != NULL ? count_answers(l->ld, res) : 0;
		if (rc == LDAP_NO_SUCH_OBJECT && answers == 0) {
			no_base(l, base, err);
			ldap_msgfree(res);
			status = ORGRBAC_LDAP_UNAVAIL;
			goto out;
		}
		if (rc != LDAP_SUCCESS) {
			search_failed(err, "paged search", base, rc, 0, answers);
			ldap_msgfree(res);
			status = is_unavailable(rc) ? ORGRBAC_LDAP_UNAVAIL : ORGRBAC_LDAP_ERROR;
			goto out;
		}
		for (m = ldap_first_message(l->ld, res); m != NULL;
		     m = ldap_next_message(l->ld, m)) {
			int type = ldap_msgtype(m);

			if (type == LDAP_RES_SEARCH_REFERENCE) {
				orgrbac_seterr(err,
					       "search under %s returned a search reference (a "
					       "referral), not followed",
					       base);
				ldap_msgfree(res);
				goto out;
			}
			if (type != LDAP_RES_SEARCH_ENTRY)
				continue;
			if (++total > max_entries) {
				orgrbac_seterr(err, "search under %s matched more than %zu entries",
					       base, max_entries);
				ldap_msgfree(res);
				goto out;
			}
			if (fn(ctx, l->ld, m) != 0) {
				orgrbac_seterr(err, "cannot keep an entry of %s (out of memory)",
					       base);
				ldap_msgfree(res);
				goto out;
			}
		}
		if (ldap_parse_result(l->ld, res, &result, NULL, NULL, NULL, &rctrls, 0) !=
			LDAP_SUCCESS ||
		    result != LDAP_SUCCESS) {
			orgrbac_seterr(err, "paged search under %s: %s", base,
				       ldap_err2string(result));
			ldap_controls_free(rctrls);
			ldap_msgfree(res);
			goto out;
		}
		ldap_msgfree(res);
		resp = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, rctrls, NULL);
		ber_bvfree(cookie);
		cookie = NULL;
		/* A server that ignores the control sends everything at once: that is the end. */
		if (resp != NULL && ldap_parse_pageresponse_control(l->ld, resp, &estimate,
								    &next) == LDAP_SUCCESS) {
			if (next.bv_len > 0)
				cookie = ber_bvdup(&next);
			ber_memfree(next.bv_val);
		}
		ldap_controls_free(rctrls);
	} while (cookie != NULL);
	status = ORGRBAC_LDAP_OK;
out:
	ber_bvfree(cookie);
	return status;
}
