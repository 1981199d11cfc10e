/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One live decision end to end: connect, read the principal, decide. The
 * CLI links it; the PAM module reaches it only through the live library
 * (live.h), which it opens when the configuration says `source = live`.
 */
#ifndef ORGRBAC_EVALUATE_H
#define ORGRBAC_EVALUATE_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "gate.h"

/*
 * Decide whether `user` meets `require` (expression text) on this host at
 * `now`. `trust_any_owner` relaxes ownership checks of the password file
 * (a non-root CLI only). Fills ev; free it with orgrbac_evaluation_free.
 */
void orgrbac_evaluate(const struct orgrbac_config *cfg, const char *user, const char *require,
		      int64_t now, bool trust_any_owner, struct orgrbac_evaluation *ev);

#endif
