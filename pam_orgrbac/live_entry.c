/* SPDX-License-Identifier: BSD-2-Clause */
/* The live library's one entry point (common/live.h): the live decision, for pam_orgrbac.so. */
#include <stdio.h>
#include <string.h>

#include "evaluate.h"
#include "live.h"

void orgrbac_live_evaluate_v1(size_t cfg_size, size_t ev_size, const struct orgrbac_config *cfg,
			      const char *user, const char *require, int64_t now,
			      bool trust_any_owner, struct orgrbac_evaluation *ev)
{
	if (ev_size != sizeof(*ev))
		return; /* not even the caller's evaluation can be trusted: it keeps its denial */
	if (cfg_size != sizeof(*cfg)) {
		memset(ev, 0, sizeof(*ev));
		ev->decision.verdict = ORGRBAC_DENY;
		ev->status = ORGRBAC_EVAL_CONFIG;
		orgrbac_seterr(&ev->err, "the live library " ORGRBAC_LIVE_LIBRARY
					 " was built from other sources than the module");
		return;
	}
	orgrbac_evaluate(cfg, user, require, now, trust_any_owner, ev);
}
