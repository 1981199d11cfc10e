/* SPDX-License-Identifier: BSD-2-Clause */
/* The live library (common/live.h), found beside the module, checked, then opened. */
#ifndef ORGRBAC_LIVE_LOAD_H
#define ORGRBAC_LIVE_LOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "gate.h"

/*
 * orgrbac_evaluate through the live library, which lies in the directory of
 * the module's own file (dladdr): opened on the first call, kept open for
 * the rest of the process (libldap and its TLS are set up once), never
 * found through the environment. Before dlopen the file must be a regular
 * file owned by root and not writable by group or others, in a directory
 * owned by root and not writable by group or others (any owner with
 * `trust_any_owner`, the test build). When it cannot be found, is not
 * trusted or does not load, ev is a denial with status CONFIG and the path
 * and the reason in ev->err.
 */
void orgrbac_live_evaluate(const struct orgrbac_config *cfg, const char *user, const char *require,
			   int64_t now, bool trust_any_owner, struct orgrbac_evaluation *ev);

#endif
