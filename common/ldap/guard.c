/* SPDX-License-Identifier: BSD-2-Clause */
/* What guards each exchange with the server: a deadline watchdog, SIGPIPE kept from the host. */
#include <errno.h>
#include <sys/socket.h>

#include "guard.h"

static void *watchdog_run(void *arg)
{
	struct orgrbac_watchdog *w = arg;
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

int orgrbac_watchdog_start(struct orgrbac_watchdog *w)
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

void orgrbac_watchdog_stop(struct orgrbac_watchdog *w)
{
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
}

void orgrbac_watchdog_arm(struct orgrbac_watchdog *w, int seconds)
{
	pthread_mutex_lock(&w->mu);
	clock_gettime(CLOCK_MONOTONIC, &w->deadline);
	w->deadline.tv_sec += seconds;
	w->armed = true;
	w->fired = false;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

bool orgrbac_watchdog_disarm(struct orgrbac_watchdog *w)
{
	bool fired;

	pthread_mutex_lock(&w->mu);
	w->armed = false;
	fired = w->fired;
	w->fired = false;
	pthread_mutex_unlock(&w->mu);
	return fired;
}

/*
 * The largest LDAP message read from a server: an entry holding a million
 * member values is about 60 MB. A message announcing more is refused by
 * liblber before it allocates the announced size (a server announcing 4 GiB
 * would otherwise have sshd or sudo allocate it), and the exchange fails.
 */
#define LDAP_MESSAGE_MAX ((ber_len_t)256 * 1024 * 1024)

static int conn_added(LDAP *ld, Sockbuf *sb, LDAPURLDesc *srv, struct sockaddr *addr,
		      struct ldap_conncb *ctx)
{
	struct orgrbac_watchdog *w = ctx->lc_arg;
	ber_len_t max = LDAP_MESSAGE_MAX;
	ber_socket_t fd = -1;

	if (ber_sockbuf_ctrl(sb, LBER_SB_OPT_SET_MAX_INCOMING, &max) != 1)
		return -1; /* fail closed: no connection without the bound */
	if (ber_sockbuf_ctrl(sb, LBER_SB_OPT_GET_FD, &fd) != 1)
		fd = -1;
	pthread_mutex_lock(&w->mu);
	w->fd = fd;
	pthread_mutex_unlock(&w->mu);
	return 0;
}

static void conn_deleted(LDAP *ld, Sockbuf *sb, struct ldap_conncb *ctx)
{
	struct orgrbac_watchdog *w = ctx->lc_arg;

	pthread_mutex_lock(&w->mu);
	w->fd = -1;
	pthread_mutex_unlock(&w->mu);
}

void orgrbac_sigpipe_block(struct orgrbac_sigpipe_guard *g)
{
	sigset_t set, pending;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigpending(&pending);
	g->was_pending = sigismember(&pending, SIGPIPE) == 1;
	pthread_sigmask(SIG_BLOCK, &set, &g->old);
}

void orgrbac_sigpipe_restore(struct orgrbac_sigpipe_guard *g)
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

struct ldap_conncb orgrbac_watchdog_conncb(struct orgrbac_watchdog *w)
{
	return (struct ldap_conncb){conn_added, conn_deleted, w};
}
