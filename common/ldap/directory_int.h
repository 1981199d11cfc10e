/* SPDX-License-Identifier: BSD-2-Clause */
/* What one principal's load and the whole directory share, beyond the public directory.h. */
#ifndef ORGRBAC_DIRECTORY_INT_H
#define ORGRBAC_DIRECTORY_INT_H

#include "directory.h"

/*
 * Does the server hold the base entry? One that does not (a replica not yet
 * initialized, another suffix) answers "no such object" to every search,
 * which must read as an unusable server, never as "no such user" or as a
 * directory without roles. FOUND, or UNAVAIL / ERROR with err.
 */
enum orgrbac_dir_status orgrbac_dir_base_held(struct orgrbac_ldap *l, const char *base,
					      orgrbac_error *err);

#endif
