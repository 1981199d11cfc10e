/* SPDX-License-Identifier: BSD-2-Clause */
/* What the follower's files (follow.c: its callbacks and publication; follow_run.c) share. */
#ifndef ORGRBAC_FOLLOW_INT_H
#define ORGRBAC_FOLLOW_INT_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <ldap.h>

#include "directory.h"
#include "follow.h"
#include "follow_store.h"
#include "guard.h"
#include "ldapc.h"

#define COALESCE_MS	 50  /* a burst of changes is published once */
#define MIN_INTERVAL_MS	 250 /* at most four publications a second */
#define POLL_MAX_MS	 1000
#define KEEPALIVE_PROBES 3 /* after [follow] keepalive_idle, a third of it apart */

/* Everything one follower keeps across connections. */
struct follower {
	const struct orgrbac_config *cfg;
	const struct orgrbac_follow_params *p;
	struct orgrbac_store store;
	struct orgrbac_follow_state st;
	char *state_path;
	LDAP *ld;
	struct orgrbac_watchdog dog; /* the refresh's: a server silent too long */
	bool refreshing;
	bool failed;	      /* an entry could not be kept: this refresh is void */
	bool ended;	      /* the server ended the search */
	bool unavail;	      /* the refresh failed as a server that cannot answer does */
	int result_code;      /* with this code */
	uint64_t warned[256]; /* the warnings logged already (their hashes) */
	size_t n_warned;
	bool dirty;	/* changes not yet published */
	int64_t due_ms; /* when they will be */
	int64_t published_ms;
	orgrbac_error err;
};

extern volatile sig_atomic_t stop_asked;
extern volatile sig_atomic_t conn_fd; /* the connection's socket, or -1 */

int64_t now_ms(void); /* CLOCK_MONOTONIC */
void follow_log(struct follower *f, int prio, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The state file rewritten with `state` (and `error` unless NULL); failures logged. */
void set_state(struct follower *f, const char *state, const char *error);
/* The store's image published as the snapshot; true when it is. */
bool publish(struct follower *f);

/* libldap's callbacks (ldap_sync_t, ls_private = the follower) */
int on_entry(ldap_sync_t *ls, LDAPMessage *msg, struct berval *uuid, ldap_sync_refresh_t phase);
int on_intermediate(ldap_sync_t *ls, LDAPMessage *msg, BerVarray uuids, ldap_sync_refresh_t phase);
int on_result(ldap_sync_t *ls, LDAPMessage *msg, int refresh_deletes);
int on_reference(ldap_sync_t *ls, LDAPMessage *msg);

#endif
