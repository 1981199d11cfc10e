/* SPDX-License-Identifier: BSD-2-Clause */
/* orgrbac follow's connections: keepalive, one refreshAndPersist session, the reconnect loop. */
#include <errno.h>
#include <stdarg.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

#include "follow_int.h"
#include "notify.h"

/*
 * TCP keepalive and a user timeout on every connection the process makes:
 * a dead link is noticed while the follower only listens. `[follow]
 * keepalive_idle` seconds quiet, then 3 probes a third of that apart (at
 * least 1 s); the user timeout (unacknowledged data, or probes, this long)
 * is their sum, so a silent link is dropped within twice keepalive_idle.
 * Set as libldap's defaults, which each new handle copies; libldap's files
 * and environment are not read (as ldapc.c), whoever initializes it first.
 */
static void link_options(const struct orgrbac_config *cfg)
{
	int idle = (int)cfg->keepalive_idle, probes = KEEPALIVE_PROBES;
	int intvl = idle / KEEPALIVE_PROBES > 0 ? idle / KEEPALIVE_PROBES : 1;
	unsigned int user_timeout = (unsigned int)(idle + probes * intvl) * 1000U;
	bool set_env = getenv("LDAPNOINIT") == NULL;

	if (set_env && setenv("LDAPNOINIT", "1", 1) != 0)
		return;
	ldap_set_option(NULL, LDAP_OPT_X_KEEPALIVE_IDLE, &idle);
	ldap_set_option(NULL, LDAP_OPT_X_KEEPALIVE_PROBES, &probes);
	ldap_set_option(NULL, LDAP_OPT_X_KEEPALIVE_INTERVAL, &intvl);
	ldap_set_option(NULL, LDAP_OPT_TCP_USER_TIMEOUT, &user_timeout);
	if (set_env)
		unsetenv("LDAPNOINIT");
}

/* How often a quiet, connected follower re-publishes: a quarter of max_age, 1 s to 1 h. */
static int64_t fresh_interval_ms(const struct orgrbac_config *cfg)
{
	return (int64_t)orgrbac_follow_fresh_interval(cfg->max_age) * 1000;
}

static bool ready_sent;	   /* READY=1 went to the service manager */
static bool notify_warned; /* its socket failed once: logged, not again */

/*
 * Tell the service manager (Type=notify) where the follower stands: a STATUS=
 * line, after READY=1 the first time `ready` is true (the first refresh
 * published, or the first attempt failed: the snapshot in place, if any,
 * keeps serving meanwhile), or after STOPPING=1.
 */
static void notify_status(struct follower *f, bool ready, bool stopping, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void notify_status(struct follower *f, bool ready, bool stopping, const char *fmt, ...)
{
	char status[512], msg[ORGRBAC_NOTIFY_MAX];
	orgrbac_error err;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(status, sizeof(status), fmt, ap);
	va_end(ap);
	for (char *c = status; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20)
			*c = ' ';
	snprintf(msg, sizeof(msg), "%s%sSTATUS=%s", ready && !ready_sent ? "READY=1\n" : "",
		 stopping ? "STOPPING=1\n" : "", status);
	if (orgrbac_notify(msg, &err) != 0) {
		if (!notify_warned)
			follow_log(f, LOG_WARNING, "%s", err.msg);
		notify_warned = true;
		return;
	}
	ready_sent = ready_sent || ready;
}

/* Has libldap read more than it handed out (a message already in its buffer)? */
static bool buffered(LDAP *ld)
{
	Sockbuf *sb = NULL;

	return ldap_get_option(ld, LDAP_OPT_SOCKBUF, &sb) == LDAP_OPT_SUCCESS && sb != NULL &&
	       ber_sockbuf_ctrl(sb, LBER_SB_OPT_DATA_READY, NULL) > 0;
}

/*
 * The socket is readable: the messages that came, applied, then any libldap
 * already holds. ldap_sync_poll waits at most ls_timeout (1 s) for the rest
 * of a message. False when the session must end.
 */
static bool drain(struct follower *f, ldap_sync_t *ls)
{
	int rc;

	do {
		rc = ldap_sync_poll(ls);
	} while (rc == LDAP_SUCCESS && !f->ended && !f->failed && buffered(f->ld));
	if (rc != LDAP_SUCCESS && !f->ended && !f->failed) {
		int code = LDAP_SERVER_DOWN;

		ldap_get_option(f->ld, LDAP_OPT_RESULT_CODE, &code);
		orgrbac_seterr(&f->err, "%s: connection lost: %s", f->st.server,
			       ldap_err2string(code));
	}
	return rc == LDAP_SUCCESS && !f->ended && !f->failed;
}

/* Changes as they come, published coalesced, and again while quiet; until an error or a stop. */
static void persist(struct follower *f, ldap_sync_t *ls, int fd)
{
	int64_t fresh = fresh_interval_ms(f->cfg);

	ls->ls_timeout = 1; /* poll() waits; ldap_sync_poll only for the rest of a message */
	while (!stop_asked) {
		int64_t now = now_ms(), wait = POLL_MAX_MS;
		struct pollfd pfd = {.fd = fd, .events = POLLIN};

		if (f->dirty && f->due_ms - now < wait)
			wait = f->due_ms > now ? f->due_ms - now : 0;
		if (f->published_ms + fresh - now < wait)
			wait = f->published_ms + fresh > now ? f->published_ms + fresh - now : 0;
		if (poll(&pfd, 1, (int)wait) < 0 && errno != EINTR) {
			orgrbac_seterr(&f->err, "poll: %s", strerror(errno));
			return;
		}
		if (stop_asked || (pfd.revents != 0 && !drain(f, ls)))
			return;
		now = now_ms();
		if ((f->dirty && now >= f->due_ms) || now >= f->published_ms + fresh) {
			if (!publish(f))
				return;
			set_state(f, "following", "");
		}
	}
}

/* A code that says the server could not answer in full (or at all), not that it refused. */
static bool code_unavailable(int rc)
{
	return rc == LDAP_SERVER_DOWN || rc == LDAP_TIMEOUT || rc == LDAP_CONNECT_ERROR ||
	       rc == LDAP_UNAVAILABLE || rc == LDAP_BUSY || rc == LDAP_SIZELIMIT_EXCEEDED ||
	       rc == LDAP_TIMELIMIT_EXCEEDED || rc == LDAP_ADMINLIMIT_EXCEEDED;
}

/* Why a refresh ended without its end: the server's word, or libldap's. */
static void refresh_failed(struct follower *f, int rc)
{
	if (f->failed)
		return;
	f->unavail = code_unavailable(f->ended ? f->result_code : rc);
	if (f->ended && f->result_code == LDAP_SYNC_REFRESH_REQUIRED)
		orgrbac_seterr(&f->err, "%s: the server asks for a full refresh", f->st.server);
	else
		orgrbac_seterr(&f->err, "%s: refresh failed: %s", f->st.server,
			       ldap_err2string(f->ended ? f->result_code : rc));
}

/* A search over the base with the image's filter and attributes, calling back into f. */
static ldap_sync_t *new_sync(struct follower *f)
{
	ldap_sync_t *ls = ldap_sync_initialize(NULL);
	int no_limit = LDAP_NO_LIMIT;

	if (ls == NULL)
		return NULL;
	/*
	 * No time limit asked of the server for the sync search (the connection's
	 * is `timeout`, for the gate's short searches): a large directory's refresh
	 * outlasts it, and the watchdog bounds silence instead (4 x timeout).
	 */
	if (ldap_set_option(f->ld, LDAP_OPT_TIMELIMIT, &no_limit) != LDAP_OPT_SUCCESS) {
		ldap_sync_destroy(ls, 1);
		return NULL;
	}
	ls->ls_base = (char *)f->cfg->base;
	ls->ls_scope = LDAP_SCOPE_SUBTREE;
	ls->ls_filter = (char *)orgrbac_image_filter();
	ls->ls_attrs = orgrbac_image_attrs();
	ls->ls_timelimit = 0;
	ls->ls_sizelimit = 0;
	ls->ls_timeout = -1;
	ls->ls_search_entry = on_entry;
	ls->ls_search_reference = on_reference;
	ls->ls_intermediate = on_intermediate;
	ls->ls_search_result = on_result;
	ls->ls_private = f;
	ls->ls_ld = f->ld;
	return ls;
}

/* The search's strings and handle are ours and ldapc's: libldap frees only the rest. */
static void end_sync(ldap_sync_t *ls)
{
	ls->ls_base = NULL;
	ls->ls_filter = NULL;
	ls->ls_attrs = NULL;
	ls->ls_ld = NULL;
	ldap_sync_destroy(ls, 1);
}

/* The refresh, under the watchdog (re-armed at each message); true when published. */
static bool refresh(struct follower *f, ldap_sync_t *ls, int fd)
{
	struct timespec t0, t1;
	int rc;

	pthread_mutex_lock(&f->dog.mu);
	f->dog.fd = fd;
	pthread_mutex_unlock(&f->dog.mu);
	orgrbac_store_clear(&f->store);
	f->failed = f->ended = false;
	set_state(f, "refreshing", NULL);
	notify_status(f, false, false, "refreshing from %s", f->st.server);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	f->refreshing = true;
	orgrbac_watchdog_arm(&f->dog, f->cfg->timeout * 4);
	rc = ldap_sync_init(ls, LDAP_SYNC_REFRESH_AND_PERSIST);
	f->refreshing = false;
	f->unavail = false;
	if (orgrbac_watchdog_disarm(&f->dog) && !stop_asked) {
		f->unavail = true;
		orgrbac_seterr(&f->err, "%s: refresh: the server went silent", f->st.server);
	} else if (rc != LDAP_SUCCESS || f->failed || f->ended)
		refresh_failed(f, rc);
	else if (!stop_asked && publish(f)) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		follow_log(f, LOG_INFO, "refreshed from %s: %zu entries in %.3f s, generation %llu",
			   f->st.server, f->store.n_entries,
			   (double)(t1.tv_sec - t0.tv_sec) +
			       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
			   (unsigned long long)f->st.generation);
		set_state(f, "following", "");
		notify_status(f, true, false, "following %s: %zu entries, generation %llu",
			      f->st.server, f->store.n_entries,
			      (unsigned long long)f->st.generation);
		return true;
	}
	return false;
}

/* One connection: open, refresh, follow. UNAVAIL (no server), ERROR, or STOPPED. */
static enum orgrbac_follow_status session(struct follower *f, bool *reached)
{
	struct orgrbac_ldap *l = NULL;
	enum orgrbac_ldap_status lst =
	    orgrbac_ldap_open(f->cfg, f->p->trust_any_owner, &l, &f->err);
	enum orgrbac_follow_status st = ORGRBAC_FOLLOW_ERROR;
	ldap_sync_t *ls;
	int fd = -1;

	if (lst != ORGRBAC_LDAP_OK)
		return lst == ORGRBAC_LDAP_UNAVAIL ? ORGRBAC_FOLLOW_UNAVAIL : ORGRBAC_FOLLOW_ERROR;
	snprintf(f->st.server, sizeof(f->st.server), "%s", orgrbac_ldap_uri(l));
	f->ld = orgrbac_ldap_handle(l);
	ldap_get_option(f->ld, LDAP_OPT_DESC, &fd);
	conn_fd = fd;
	/* asked to stop while connecting: no refresh to run */
	ls = stop_asked ? NULL : new_sync(f);
	if (ls == NULL) {
		if (!stop_asked)
			orgrbac_seterr(&f->err, "out of memory");
	} else if (refresh(f, ls, fd)) {
		*reached = true;
		st = ORGRBAC_FOLLOW_STOPPED;
		if (!f->p->once) {
			persist(f, ls, fd);
			st = stop_asked ? ORGRBAC_FOLLOW_STOPPED : ORGRBAC_FOLLOW_ERROR;
		}
	} else if (f->unavail) {
		st = ORGRBAC_FOLLOW_UNAVAIL;
	}
	if (ls != NULL)
		end_sync(ls);
	pthread_mutex_lock(&f->dog.mu);
	f->dog.fd = -1;
	pthread_mutex_unlock(&f->dog.mu);
	conn_fd = -1;
	orgrbac_ldap_close(l);
	f->ld = NULL;
	return stop_asked ? ORGRBAC_FOLLOW_STOPPED : st;
}

/* Sleep `ms`, or less when asked to stop. */
static void pause_ms(uint32_t ms)
{
	int64_t end = now_ms() + ms;

	while (!stop_asked && now_ms() < end) {
		int64_t left = end - now_ms();

		poll(NULL, 0, left > 100 ? 100 : (int)left);
	}
}

/* Reconnect after `attempt` failures in a row: log, state, the backoff's wait. */
static void back_off(struct follower *f, unsigned attempt)
{
	uint32_t rnd = 0;
	uint32_t ms;

	if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd))
		rnd = (uint32_t)now_ms();
	ms = orgrbac_follow_backoff_ms(attempt, (uint32_t)f->cfg->retry_max * 1000U, rnd);
	follow_log(f, LOG_WARNING, "%s; retrying in %.1f s", f->err.msg, ms / 1000.0);
	set_state(f, "reconnecting", f->err.msg);
	notify_status(f, true, false, "reconnecting in %.1f s: %s (the snapshot in place serves)",
		      ms / 1000.0, f->err.msg);
	pause_ms(ms);
}

enum orgrbac_follow_status orgrbac_follow(const struct orgrbac_config *cfg,
					  const struct orgrbac_follow_params *p, orgrbac_error *err)
{
	struct orgrbac_store_limits limits = {ORGRBAC_FOLLOW_MAX_ENTRIES,
					      ORGRBAC_FOLLOW_MAX_VALUES};
	struct follower f = {.cfg = cfg, .p = p};
	enum orgrbac_follow_status st = ORGRBAC_FOLLOW_STOPPED;
	unsigned attempt = 0;

	orgrbac_store_init(&f.store, &limits);
	f.state_path = orgrbac_follow_state_path(cfg->snapshot);
	f.st.pid = (long)getpid();
	if (f.state_path == NULL || orgrbac_watchdog_start(&f.dog) != 0) {
		free(f.state_path);
		orgrbac_seterr(err, "cannot start: out of memory or threads");
		return ORGRBAC_FOLLOW_ERROR;
	}
	link_options(cfg);
	while (!stop_asked) {
		bool reached = false;

		st = session(&f, &reached);
		if (stop_asked || p->once)
			break;
		attempt = reached ? 0 : attempt + 1;
		back_off(&f, attempt > 0 ? attempt - 1 : 0);
	}
	if (stop_asked)
		st = ORGRBAC_FOLLOW_STOPPED;
	set_state(&f, "stopped", st == ORGRBAC_FOLLOW_STOPPED ? NULL : f.err.msg);
	notify_status(&f, false, true, "stopped%s%s", st == ORGRBAC_FOLLOW_STOPPED ? "" : ": ",
		      st == ORGRBAC_FOLLOW_STOPPED ? "" : f.err.msg);
	*err = f.err;
	orgrbac_watchdog_stop(&f.dog);
	orgrbac_store_clear(&f.store);
	free(f.state_path);
	return st;
}
