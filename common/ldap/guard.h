/* SPDX-License-Identifier: BSD-2-Clause */
/* What guards each exchange with the server: a deadline watchdog, SIGPIPE kept from the host. */
#ifndef ORGRBAC_GUARD_H
#define ORGRBAC_GUARD_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <time.h>
#include <ldap.h>

/*
 * libldap bounds connect() and the wait for each result, but with GnuTLS it
 * spins forever in the TLS handshake with a peer that accepts the connection
 * and never answers (ldaps://, and after StartTLS). So every exchange with
 * the server runs under a watchdog: a thread that shuts the socket down at
 * the deadline, which turns any blocked or spinning read into an end of file
 * and the operation into "server down". The thread lives as long as the
 * handle, never beyond one call of ours, and takes no signals.
 */
struct orgrbac_watchdog {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	int fd; /* the connection's socket while libldap has one, else -1 */
	bool armed;
	bool fired;
	bool stop;
	struct timespec deadline; /* CLOCK_MONOTONIC */
};

/* Start the thread (0), or -1; stop it and free what it holds. */
int orgrbac_watchdog_start(struct orgrbac_watchdog *w);
void orgrbac_watchdog_stop(struct orgrbac_watchdog *w);

/* Arm for `seconds` from now. Disarm: true when the deadline passed and the socket was shut. */
void orgrbac_watchdog_arm(struct orgrbac_watchdog *w, int seconds);
bool orgrbac_watchdog_disarm(struct orgrbac_watchdog *w);

/* The connection callbacks that tell the watchdog the socket; they must outlive the handle. */
struct ldap_conncb orgrbac_watchdog_conncb(struct orgrbac_watchdog *w);

/*
 * A peer that resets the connection must not kill the host with SIGPIPE:
 * block it for the duration of our calls and swallow any we raised.
 */
struct orgrbac_sigpipe_guard {
	sigset_t old;
	bool was_pending;
};

void orgrbac_sigpipe_block(struct orgrbac_sigpipe_guard *g);
void orgrbac_sigpipe_restore(struct orgrbac_sigpipe_guard *g);

#endif
