/* SPDX-License-Identifier: BSD-2-Clause */
/* Offline decisions: the account question answered from the host snapshot when no server answers.
 */
#include <stdio.h>
#include <stdlib.h>

#include "offline.h"

struct holder {
	const struct orgrbac_snapshot *s;
	const char *user;
	int64_t now;
};

static bool holds(void *ctx, const char *privilege)
{
	struct holder *h = ctx;
	size_t n = orgrbac_snapshot_count_roles(h->s);

	for (size_t i = 0; i < n; i++) {
		const char *granted;
		bool covers = false;

		for (size_t k = 0;
		     !covers && (granted = orgrbac_snapshot_privilege(h->s, i, k)) != NULL; k++)
			covers = orgrbac_privilege_covers(granted, privilege);
		if (covers && orgrbac_snapshot_holds_role(h->s, i, h->user, h->now))
			return true;
	}
	return false;
}

/*
 * Known to the snapshot, with any external access open at `now`? A user of
 * another organization is in it only for its memberships through platform
 * grants that carry it across, so it is known only while one is in force.
 */
static bool known(const struct orgrbac_snapshot *s, const char *user, int64_t now)
{
	long start = 0, size = 4;
	gid_t *groups = calloc((size_t)size, sizeof(*groups));
	enum orgrbac_snap_status st;

	if (groups == NULL)
		return false;
	st = orgrbac_snapshot_initgroups(s, user, (gid_t)-1, now, &start, &size, &groups, 1);
	free(groups);
	return st == ORGRBAC_SNAP_OK && (start > 0 || !orgrbac_snapshot_user_foreign(s, user));
}

enum orgrbac_offline_verdict orgrbac_offline_decide(const struct orgrbac_snapshot *s,
						    const char *user,
						    const struct orgrbac_expr *require, int64_t now,
						    int64_t max_age, char *reason, size_t len)
{
	struct holder h = {.s = s, .user = user, .now = now};
	/* The header's time is the file's word: saturated, a hostile one cannot wrap into range. */
	int64_t age = orgrbac_age(now, orgrbac_snapshot_synced_at(s));

	/* A sync in the future (the clock set back) is not trusted; a clamped age is too old. */
	if (age < 0 || age == INT64_MAX || max_age <= 0 || age > max_age) {
		snprintf(reason, len,
			 "offline: the snapshot synced %lld s ago is older than %lld s "
			 "(or from the future)",
			 (long long)age, (long long)max_age);
		return ORGRBAC_OFFLINE_UNDECIDED;
	}
	if (!known(s, user, now)) {
		snprintf(reason, len, "offline: the snapshot has no user '%s' with access open now",
			 user);
		return ORGRBAC_OFFLINE_UNDECIDED;
	}
	if (!orgrbac_expr_eval(require, holds, &h, NULL)) {
		snprintf(reason, len, "offline: lacks privileges: %s", orgrbac_expr_text(require));
		return ORGRBAC_OFFLINE_DENIED;
	}
	snprintf(reason, len, "offline: meets %s from the snapshot's roles",
		 orgrbac_expr_text(require));
	return ORGRBAC_OFFLINE_ALLOWED;
}
