/* SPDX-License-Identifier: BSD-2-Clause */
/* orgrbac follow: the snapshot kept current by LDAP content synchronisation (RFC 4533). */
#ifndef ORGRBAC_FOLLOW_H
#define ORGRBAC_FOLLOW_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"

/* The follower's limits: entries kept, and values over all of them (as sync reads at most). */
#define ORGRBAC_FOLLOW_MAX_ENTRIES 5000000
#define ORGRBAC_FOLLOW_MAX_VALUES  50000000

enum orgrbac_follow_status {
	ORGRBAC_FOLLOW_STOPPED = 0, /* a signal asked it to stop; or --once published */
	ORGRBAC_FOLLOW_UNAVAIL,	    /* --once: no server answered */
	ORGRBAC_FOLLOW_ERROR,	    /* --once: the refresh or the publication failed */
};

struct orgrbac_follow_params {
	bool once;		/* one full refresh, published, then return */
	bool trust_any_owner;	/* a non-root caller (tests): its own secret, snapshot and state */
	const char *group_file; /* NULL: ORGRBAC_GROUP_FILE */
	/* Each event worth a log line, with a syslog priority; never NULL. */
	void (*log)(void *ctx, int priority, const char *msg);
	void *log_ctx;
};

/*
 * Follow the directory until orgrbac_follow_stop: connect (failover across
 * cfg->uris, TLS policy, timeouts, bind as sync does, TCP keepalive), run a
 * refreshAndPersist search of the base, keep each entry by its entryUUID,
 * publish the snapshot (orgrbac_publish) at the end of each full refresh,
 * then within a second of each change (at most four times a second), and
 * again while quiet, well within max_age. A lost connection, a server that
 * ends the search (e-syncRefreshRequired too) or a refresh that cannot be
 * kept: reconnect after an exponential backoff with jitter and refresh in
 * full; nothing is published meanwhile, so the snapshot ages honestly. The
 * state file (orgrbac_follow_state_path) says where it stands.
 */
enum orgrbac_follow_status orgrbac_follow(const struct orgrbac_config *cfg,
					  const struct orgrbac_follow_params *p,
					  orgrbac_error *err);

/* Ask the follower to stop; async-signal-safe (a signal handler calls it). */
void orgrbac_follow_stop(void);

/* The delay before reconnect attempt `attempt` (0, 1, ...), in ms: doubling from 500 ms up to
 * max_ms (at least 500 ms; `[follow] retry_max`), each drawn from its upper half by `rnd`
 * (jitter). Pure. */
uint32_t orgrbac_follow_backoff_ms(unsigned attempt, uint32_t max_ms, uint32_t rnd);

/* The follower's state, as its state file holds it. */
struct orgrbac_follow_state {
	char state[16];	      /* refreshing, following, reconnecting, stopped */
	char server[256];     /* the URI in use or last tried, or "" */
	int64_t since;	      /* when this state began */
	int64_t last_change;  /* when a change was last applied (0: none yet) */
	int64_t last_publish; /* when the snapshot was last published (0: none yet) */
	uint64_t generation;  /* of that snapshot */
	long pid;
	char error[512]; /* the last error, or "" */
};

/* The state file: SNAPSHOT.follow beside the snapshot (malloc'd; NULL on ENOMEM). */
char *orgrbac_follow_state_path(const char *snapshot);

enum orgrbac_follow_state_status {
	ORGRBAC_FOLLOW_STATE_READ = 0,
	ORGRBAC_FOLLOW_STATE_ABSENT,  /* no follower has run (the timer keeps the snapshot) */
	ORGRBAC_FOLLOW_STATE_INVALID, /* not root's, or not a state file: err says why */
};

/* Write it atomically (root's, 0644); 0 or -1 with err. Read it back strictly. */
int orgrbac_follow_state_write(const char *path, const struct orgrbac_follow_state *s,
			       orgrbac_error *err);
enum orgrbac_follow_state_status orgrbac_follow_state_read(const char *path, bool trust_any_owner,
							   struct orgrbac_follow_state *s,
							   orgrbac_error *err);

/* Is the follower keeping the snapshot current? What `orgrbac status` concludes from the state
 * file, whether its pid runs, the time and max_age. */
enum orgrbac_follow_verdict {
	ORGRBAC_FOLLOW_CURRENT = 0,  /* following, publishing on time */
	ORGRBAC_FOLLOW_CATCHING_UP,  /* refreshing or reconnecting, for less than the grace */
	ORGRBAC_FOLLOW_DISCONNECTED, /* refreshing or reconnecting for longer than the grace */
	ORGRBAC_FOLLOW_LATE,	     /* following, but not published for twice its interval */
	ORGRBAC_FOLLOW_NOT_RUNNING,  /* stopped, or its process is gone */
};

/* How long a follower may be refreshing or reconnecting and still count as current. */
#define ORGRBAC_FOLLOW_GRACE 60

/* How often a quiet, connected follower re-publishes, in seconds: max_age / 4, 1 s to 1 h. */
long orgrbac_follow_fresh_interval(long max_age);

/* The verdict; *age is how long it has been so (seconds, 0 when current). Pure. */
enum orgrbac_follow_verdict orgrbac_follow_judge(const struct orgrbac_follow_state *s, bool alive,
						 int64_t now, long max_age, int64_t *age);

#endif
