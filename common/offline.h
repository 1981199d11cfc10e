/* SPDX-License-Identifier: BSD-2-Clause */
/* Offline decisions: the account question answered from the host snapshot when no server answers.
 */
#ifndef ORGRBAC_OFFLINE_H
#define ORGRBAC_OFFLINE_H

#include <stddef.h>
#include <stdint.h>

#include "expr.h"
#include "snapshot.h"

enum orgrbac_offline_verdict {
	ORGRBAC_OFFLINE_UNDECIDED = 0, /* the snapshot cannot say: deny as unavailable */
	ORGRBAC_OFFLINE_ALLOWED,
	ORGRBAC_OFFLINE_DENIED,
};

/*
 * Decide `require` for `user` at `now` from a snapshot synced at most
 * `max_age` seconds before `now`. The snapshot holds only the roles that are
 * groups on this host, so an allow needs positive proof from them: a user
 * the snapshot does not know (or whose external access is closed at `now`)
 * and a stale snapshot are UNDECIDED, never allowed. `reason` gets one line.
 */
enum orgrbac_offline_verdict orgrbac_offline_decide(const struct orgrbac_snapshot *s,
						    const char *user,
						    const struct orgrbac_expr *require, int64_t now,
						    int64_t max_age, char *reason, size_t len);

#endif
