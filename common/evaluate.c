/* SPDX-License-Identifier: BSD-2-Clause */
/* One live decision end to end: connect, read the principal, decide (the CLI, the live library). */
#include <stdio.h>
#include <string.h>

#include "directory.h"
#include "evaluate.h"
#include "ldapc.h"

void orgrbac_evaluate(const struct orgrbac_config *cfg, const char *user, const char *require,
		      int64_t now, bool trust_any_owner, struct orgrbac_evaluation *ev)
{
	struct orgrbac_host host;
	struct orgrbac_policy policy;
	struct orgrbac_ldap *l = NULL;
	enum orgrbac_ldap_status lrc;
	enum orgrbac_dir_status rc;

	if (orgrbac_gate_setup(cfg, user, require, ev, &host, &policy) != 0)
		return;
	lrc = orgrbac_ldap_open(cfg, trust_any_owner, &l, &ev->err);
	if (lrc != ORGRBAC_LDAP_OK) {
		/* no server to ask, or [ldap] settings we refuse to use */
		ev->status =
		    lrc == ORGRBAC_LDAP_UNAVAIL ? ORGRBAC_EVAL_UNAVAIL : ORGRBAC_EVAL_CONFIG;
		return;
	}
	snprintf(ev->server, sizeof(ev->server), "%s", orgrbac_ldap_uri(l));
	rc = orgrbac_directory_load(l, cfg, user, &ev->facts, &ev->err);
	ev->round_trips = orgrbac_ldap_round_trips(l);
	orgrbac_ldap_close(l);
	switch (rc) {
	case ORGRBAC_DIR_FOUND:
	case ORGRBAC_DIR_NOUSER:
		ev->status = ORGRBAC_EVAL_DECIDED;
		orgrbac_decide(ev->facts, &host, &policy, now, &ev->decision);
		if (rc == ORGRBAC_DIR_NOUSER)
			snprintf(ev->decision.reason, sizeof(ev->decision.reason),
				 "not in the directory: %.400s", ev->err.msg);
		break;
	case ORGRBAC_DIR_REFUSED:
		/* A known name that may not log in: a denial, never "unknown". */
		ev->status = ORGRBAC_EVAL_DECIDED;
		ev->decision.verdict = ORGRBAC_DENY;
		snprintf(ev->decision.reason, sizeof(ev->decision.reason), "refused: %.400s",
			 ev->err.msg);
		break;
	case ORGRBAC_DIR_UNAVAIL: ev->status = ORGRBAC_EVAL_UNAVAIL; break;
	default: ev->status = ORGRBAC_EVAL_ERROR; break;
	}
}
