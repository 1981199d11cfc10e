/* SPDX-License-Identifier: BSD-2-Clause */
/* Decisions from the snapshot: [pam] source = snapshot, and offline = snapshot when no server
 * answers.
 */
#ifndef ORGRBAC_OFFLINE_H
#define ORGRBAC_OFFLINE_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "gate.h"
#include "policy.h"
#include "snapshot_facts.h"

/*
 * Decide `user` on `host` at `now` from the snapshot's decision part, with
 * the policy engine the live decision uses: the facts sync stored for the
 * principal, rebuilt, then orgrbac_decide. The snapshot must have been
 * synced at most `max_age` seconds before `now` (not after it), for this
 * host identity (org, services, resource). DECIDED with *facts (free with
 * orgrbac_facts_free; out points into them; NULL for a principal the
 * snapshot does not know, which is UNKNOWN, or a name it refuses, which is
 * DENY as live); BADNAME; UNAVAIL with err for a stale snapshot, one built
 * for another host, without decisions, or a corrupt record (never an allow).
 */
enum orgrbac_eval_status orgrbac_offline_decide(const struct orgrbac_snapshot *s, const char *user,
						const struct orgrbac_host *host,
						const struct orgrbac_policy *policy, int64_t now,
						int64_t max_age, struct orgrbac_facts **facts,
						struct orgrbac_decision *out, orgrbac_error *err);

/*
 * orgrbac_evaluate's counterpart over cfg's snapshot ([nss] snapshot, opened
 * for its decision part only, refused unless root's and not writable by
 * others, or any owner with `trust_any_owner`), fresh within
 * [pam] offline_max_age. No network, no libldap. Fills ev as
 * orgrbac_evaluate does (ev->server names the snapshot); a missing,
 * unreadable, stale, corrupt or other host's snapshot is UNAVAIL with the
 * reason in ev->err.
 */
void orgrbac_snapshot_evaluate(const struct orgrbac_config *cfg, const char *user,
			       const char *require, int64_t now, bool trust_any_owner,
			       struct orgrbac_evaluation *ev);

#endif
