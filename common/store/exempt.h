/* SPDX-License-Identifier: BSD-2-Clause */
/* Who pam_orgrbac must not judge, whatever it could read of its configuration. */
#ifndef ORGRBAC_EXEMPT_H
#define ORGRBAC_EXEMPT_H

#include <stdbool.h>

#include "config.h"

/* The one user the module leaves alone when it cannot read its configuration. */
#define ORGRBAC_FLOOR_USER "root"

enum orgrbac_exempt {
	ORGRBAC_JUDGED = 0,	 /* judge the user; with no configuration: deny */
	ORGRBAC_EXEMPT_ARGUMENT, /* listed in the module's ignore_users= argument */
	ORGRBAC_EXEMPT_CONFIG,	 /* listed in the configuration's [pam] ignore_users */
	ORGRBAC_EXEMPT_FLOOR,	 /* root (uid 0), while the configuration cannot be read */
};

/* Is `user` the superuser, uid 0, in the passwd database? The caller's lookup. */
typedef bool (*orgrbac_uid0_fn)(const char *user);

/*
 * Is `user` exempt from judgement, and why?
 * - `arg_users`: the ignore_users= argument, names separated by commas
 *   (NULL: none, or the arguments did not parse); always honoured;
 * - `cfg`: the configuration, NULL when it could not be read (missing,
 *   unreadable, not root's, invalid) or the arguments did not parse; when
 *   there is one, its ignore_users decides, and root is judged unless listed;
 * - without one, the floor: the user named root, if `uid0` says it is uid 0
 *   (a name is all PAM gives; a passwd source other than the files could
 *   hold a "root" that is not the superuser). `uid0` is called for no one else.
 * Names compare byte for byte. A NULL or empty `user` is judged.
 */
enum orgrbac_exempt orgrbac_exempt(const struct orgrbac_config *cfg, const char *arg_users,
				   const char *user, orgrbac_uid0_fn uid0);

/* Why, in words, for the log line ("" for ORGRBAC_JUDGED). */
const char *orgrbac_exempt_reason(enum orgrbac_exempt why);

#endif
