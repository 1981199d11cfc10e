/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the two decisions share, live (evaluate.c, in the live library) and
 * from the snapshot (offline.c, in the module): the evaluation they fill,
 * its setup from the configuration, and its release.
 */
#ifndef ORGRBAC_GATE_H
#define ORGRBAC_GATE_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "policy.h"

enum orgrbac_eval_status {
	ORGRBAC_EVAL_DECIDED = 0, /* see decision.verdict */
	ORGRBAC_EVAL_BADNAME,	  /* the user name was refused before any query */
	ORGRBAC_EVAL_CONFIG,	  /* no or a bad requirement, an unusable [ldap] setting or
				     live library */
	ORGRBAC_EVAL_UNAVAIL,	  /* no directory server answered */
	ORGRBAC_EVAL_ERROR,	  /* the directory answered with something we cannot trust */
};

struct orgrbac_evaluation {
	enum orgrbac_eval_status status;
	struct orgrbac_decision decision; /* valid when DECIDED */
	struct orgrbac_facts *facts;	  /* NULL for an unknown user */
	struct orgrbac_expr *require;
	char server[256]; /* the URI that answered */
	unsigned long round_trips;
	orgrbac_error err; /* why, when not DECIDED; why unknown */
};

/* The host as the policy sees it, from the configuration. */
struct orgrbac_host orgrbac_config_host(const struct orgrbac_config *cfg);

/*
 * The start of every decision: ev emptied (a denial, CONFIG, until decided),
 * `user` checked (BADNAME), `require` parsed into ev->require (CONFIG when
 * missing or bad), *host and *policy set from cfg with that requirement.
 * Returns 0 to go on, -1 with ev's status and reason set.
 */
int orgrbac_gate_setup(const struct orgrbac_config *cfg, const char *user, const char *require,
		       struct orgrbac_evaluation *ev, struct orgrbac_host *host,
		       struct orgrbac_policy *policy);

/* Free what an evaluation holds (either source); ev may be reused. */
void orgrbac_evaluation_free(struct orgrbac_evaluation *ev);

#endif
