/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Do the live decision and the snapshot agree on who holds which role group?
 *
 *   groups_agree CONFIG EPOCH USER...
 *
 * For each user of the host's organization and each role the snapshot
 * exposes: the live facts (orgrbac_evaluate) hold it when a grant in force
 * on this host at EPOCH gives it and the user's external access is open;
 * the snapshot when orgrbac_snapshot_holds_role says so. Prints one line per
 * membership held ("USER ROLE") and one per disagreement ("DIFFER USER ROLE
 * live=L snapshot=S"); exit 0 when they agree, 1 when not, 2 on an error.
 * Users of other organizations are skipped ("SKIP USER"): the snapshot holds
 * them only while they may cross, which their decision says, not their facts.
 * "# USER round trips N" gives the live decision's exchanges with the server.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "evaluate.h"
#include "snapshot.h"

static bool live_holds(const struct orgrbac_evaluation *ev, const struct orgrbac_host *host,
		       const char *cn, int64_t now)
{
	const struct orgrbac_facts *f = ev->facts;

	if (ev->decision.verdict == ORGRBAC_EXPIRED || f == NULL)
		return false;
	for (size_t i = 0; i < f->n_grants; i++) {
		const struct orgrbac_grant *g = &f->grants[i];

		if (g->role != NULL && strcmp(g->role->name, cn) == 0 &&
		    orgrbac_grant_effective(g, host, now))
			return true;
	}
	return false;
}

/* One user against every role of the snapshot: 0 agree, 1 differ, 2 error. */
static int one_user(const struct orgrbac_config *cfg, const struct orgrbac_snapshot *s,
		    const char *user, int64_t now, bool trust)
{
	struct orgrbac_host host = orgrbac_config_host(cfg);
	struct orgrbac_evaluation ev;
	int rc = 0;

	orgrbac_evaluate(cfg, user, "none", now, trust, &ev);
	printf("# %s round trips %lu\n", user, ev.round_trips);
	if (ev.status != ORGRBAC_EVAL_DECIDED) {
		fprintf(stderr, "groups_agree: %s: %s\n", user, ev.err.msg);
		orgrbac_evaluation_free(&ev);
		return 2;
	}
	if (ev.facts != NULL && strcasecmp(ev.facts->org, cfg->org) != 0) {
		printf("SKIP %s\n", user);
		orgrbac_evaluation_free(&ev);
		return 0;
	}
	for (size_t i = 0; i < orgrbac_snapshot_count_roles(s); i++) {
		const char *cn = NULL;
		uint32_t gid;
		bool live, snap;

		if (orgrbac_snapshot_role(s, i, &gid, &cn) == NULL || cn == NULL)
			continue;
		live = live_holds(&ev, &host, cn, now);
		snap = orgrbac_snapshot_holds_role(s, i, user, now);
		if (live != snap) {
			printf("DIFFER %s %s live=%d snapshot=%d\n", user, cn, live, snap);
			rc = 1;
		} else if (live) {
			printf("%s %s\n", user, cn);
		}
	}
	orgrbac_evaluation_free(&ev);
	return rc;
}

int main(int argc, char **argv)
{
	struct orgrbac_config *cfg = NULL;
	struct orgrbac_snapshot *s = NULL;
	bool trust = geteuid() != 0;
	orgrbac_error err;
	int64_t now;
	int rc = 0;

	if (argc < 4) {
		fprintf(stderr, "usage: groups_agree CONFIG EPOCH USER...\n");
		return 2;
	}
	now = strtoll(argv[2], NULL, 10);
	if (orgrbac_config_load(argv[1], trust, &cfg, &err) != 0 ||
	    orgrbac_snapshot_open(cfg->snapshot, trust ? ORGRBAC_SNAP_TRUST_ANY_OWNER : 0, &s,
				  &err) != 0) {
		fprintf(stderr, "groups_agree: %s\n", err.msg);
		orgrbac_config_free(cfg);
		return 2;
	}
	for (int i = 3; i < argc; i++) {
		int one = one_user(cfg, s, argv[i], now, trust);

		if (one > rc)
			rc = one;
	}
	orgrbac_snapshot_close(s);
	orgrbac_config_free(cfg);
	return rc;
}
