/* SPDX-License-Identifier: BSD-2-Clause */
/* One decision end to end: connect, read the principal, decide. Shared by PAM and the CLI. */
#ifndef ORGRBAC_EVALUATE_H
#define ORGRBAC_EVALUATE_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "policy.h"

enum orgrbac_eval_status {
	ORGRBAC_EVAL_DECIDED = 0, /* see decision.verdict */
	ORGRBAC_EVAL_BADNAME,	  /* the user name was refused before any query */
	ORGRBAC_EVAL_CONFIG,	  /* no or a bad requirement, or an unusable [ldap] setting */
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

/*
 * Decide whether `user` meets `require` (expression text) on this host at
 * `now`. `trust_any_owner` relaxes ownership checks of the password file
 * (a non-root CLI only). Fills ev; free it with orgrbac_evaluation_free.
 */
void orgrbac_evaluate(const struct orgrbac_config *cfg, const char *user, const char *require,
		      int64_t now, bool trust_any_owner, struct orgrbac_evaluation *ev);
void orgrbac_evaluation_free(struct orgrbac_evaluation *ev);

/* The host as the policy sees it, from the configuration. */
struct orgrbac_host orgrbac_config_host(const struct orgrbac_config *cfg);

#endif
