/* SPDX-License-Identifier: BSD-2-Clause */
/* Decisions from the snapshot: [pam] source = snapshot, and offline = snapshot when no server
 * answers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "offline.h"

enum orgrbac_eval_status orgrbac_offline_decide(const struct orgrbac_snapshot *s, const char *user,
						const struct orgrbac_host *host,
						const struct orgrbac_policy *policy, int64_t now,
						int64_t max_age, struct orgrbac_facts **facts,
						struct orgrbac_decision *out, orgrbac_error *err)
{
	/* The header's time is the file's word: saturated, a hostile one cannot wrap into range. */
	int64_t age = orgrbac_age(now, orgrbac_snapshot_synced_at(s));
	const char *why;
	orgrbac_error ferr = {""};

	*facts = NULL;
	memset(out, 0, sizeof(*out));
	out->verdict = ORGRBAC_DENY;
	if (!orgrbac_username_valid(user, &why)) {
		orgrbac_seterr(err, "%s", why);
		return ORGRBAC_EVAL_BADNAME;
	}
	/* A sync in the future (the clock set back) is not trusted; a clamped age is too old. */
	if (age < 0 || age == INT64_MAX || max_age <= 0 || age > max_age) {
		orgrbac_seterr(err,
			       "the snapshot synced %lld s ago is older than %lld s (or from the "
			       "future)",
			       (long long)age, (long long)max_age);
		return ORGRBAC_EVAL_UNAVAIL;
	}
	if (orgrbac_snapshot_host_check(s, host, err) != ORGRBAC_SNAPF_FOUND)
		return ORGRBAC_EVAL_UNAVAIL;
	switch (orgrbac_snapshot_facts(s, user, facts, &ferr)) {
	case ORGRBAC_SNAPF_FOUND: orgrbac_decide(*facts, host, policy, now, out); break;
	case ORGRBAC_SNAPF_NOUSER:
		orgrbac_decide(NULL, host, policy, now, out);
		snprintf(out->reason, sizeof(out->reason),
			 "not in the snapshot: no entry with uid '%.200s'", user);
		break;
	case ORGRBAC_SNAPF_REFUSED:
		/* A known name that may not log in: a denial, never "unknown". */
		out->verdict = ORGRBAC_DENY;
		snprintf(out->reason, sizeof(out->reason), "refused: %.400s", ferr.msg);
		break;
	case ORGRBAC_SNAPF_NOMEM: orgrbac_seterr(err, "out of memory"); return ORGRBAC_EVAL_UNAVAIL;
	default: *err = ferr; return ORGRBAC_EVAL_UNAVAIL;
	}
	return ORGRBAC_EVAL_DECIDED;
}

void orgrbac_snapshot_evaluate(const struct orgrbac_config *cfg, const char *user,
			       const char *require, int64_t now, bool trust_any_owner,
			       struct orgrbac_evaluation *ev)
{
	struct orgrbac_host host;
	struct orgrbac_policy policy;
	struct orgrbac_snapshot *s = NULL;
	orgrbac_error err;

	if (orgrbac_gate_setup(cfg, user, require, ev, &host, &policy) != 0)
		return;
	snprintf(ev->server, sizeof(ev->server), "snapshot %.200s", cfg->snapshot);
	if (orgrbac_snapshot_open(cfg->snapshot,
				  ORGRBAC_SNAP_FACTS_ONLY |
				      (trust_any_owner ? ORGRBAC_SNAP_TRUST_ANY_OWNER : 0),
				  &s, &err) != 0) {
		ev->status = ORGRBAC_EVAL_UNAVAIL;
		orgrbac_seterr(&ev->err, "snapshot: %.900s", err.msg);
		return;
	}
	ev->status = orgrbac_offline_decide(s, user, &host, &policy, now, cfg->offline_max_age,
					    &ev->facts, &ev->decision, &err);
	if (ev->status != ORGRBAC_EVAL_DECIDED)
		orgrbac_seterr(&ev->err, "snapshot %.400s: %.500s", cfg->snapshot, err.msg);
	orgrbac_snapshot_close(s);
}
