/* SPDX-License-Identifier: BSD-2-Clause */
/* The snapshot's decision part (format version 4): each principal's facts, read where asked. */
#ifndef ORGRBAC_SNAPSHOT_FACTS_H
#define ORGRBAC_SNAPSHOT_FACTS_H

#include "policy.h"
#include "snapshot.h"

enum orgrbac_snap_facts_status {
	ORGRBAC_SNAPF_FOUND = 0,
	ORGRBAC_SNAPF_NOUSER,  /* the snapshot knows no such principal */
	ORGRBAC_SNAPF_REFUSED, /* a known name that may not log in: err says why */
	ORGRBAC_SNAPF_CORRUPT, /* a record that does not check out, or no decision part: err */
	ORGRBAC_SNAPF_NOMEM,
};

/*
 * Was the snapshot built for this host: the same [host] org, set of
 * services and resource? FOUND, or CORRUPT with err saying what differs
 * (or that the snapshot holds no decisions).
 */
enum orgrbac_snap_facts_status orgrbac_snapshot_host_check(const struct orgrbac_snapshot *s,
							   const struct orgrbac_host *host,
							   orgrbac_error *err);

/*
 * The facts of the principal `user` as sync stored them, for orgrbac_decide:
 * FOUND with *out (free with orgrbac_facts_free); NOUSER; REFUSED for a name
 * that may not log in (one that matches only case-insensitively, several
 * entries, ...), err saying why; CORRUPT for any record read on the way that
 * fails its checksum or its bounds. Never reads outside the mapping.
 */
enum orgrbac_snap_facts_status orgrbac_snapshot_facts(const struct orgrbac_snapshot *s,
						      const char *user, struct orgrbac_facts **out,
						      orgrbac_error *err);

/* The principals the decision part holds. */
size_t orgrbac_snapshot_count_principals(const struct orgrbac_snapshot *s);

#endif
