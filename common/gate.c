/* SPDX-License-Identifier: BSD-2-Clause */
/* What the live decision and the snapshot's share: the setup of an evaluation, its release. */
#include <string.h>

#include "gate.h"

struct orgrbac_host orgrbac_config_host(const struct orgrbac_config *cfg)
{
	struct orgrbac_host host = {
	    .org = cfg->org,
	    .services = (const char *const *)cfg->services,
	    .n_services = cfg->n_services,
	    .resource = cfg->resource,
	};

	return host;
}

int orgrbac_gate_setup(const struct orgrbac_config *cfg, const char *user, const char *require,
		       struct orgrbac_evaluation *ev, struct orgrbac_host *host,
		       struct orgrbac_policy *policy)
{
	const char *why;

	memset(ev, 0, sizeof(*ev));
	ev->decision.verdict = ORGRBAC_DENY;
	ev->status = ORGRBAC_EVAL_CONFIG;
	*host = orgrbac_config_host(cfg);
	*policy = (struct orgrbac_policy){
	    .mfa_exempt_role = cfg->mfa_exempt_role,
	    .cross_org_privilege = cfg->cross_org_privilege,
	};
	if (!orgrbac_username_valid(user, &why)) {
		ev->status = ORGRBAC_EVAL_BADNAME;
		orgrbac_seterr(&ev->err, "%s", why);
		return -1;
	}
	if (require == NULL) {
		orgrbac_seterr(&ev->err, "no requirement configured");
		return -1;
	}
	if (orgrbac_expr_parse(require, &ev->require, &ev->err) != 0)
		return -1;
	policy->require = ev->require;
	return 0;
}

void orgrbac_evaluation_free(struct orgrbac_evaluation *ev)
{
	orgrbac_facts_free(ev->facts);
	orgrbac_expr_free(ev->require);
	ev->facts = NULL;
	ev->require = NULL;
}
