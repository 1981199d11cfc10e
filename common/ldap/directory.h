/* SPDX-License-Identifier: BSD-2-Clause */
/* The directory model: what LDAP says about one principal, as policy facts. */
#ifndef ORGRBAC_DIRECTORY_H
#define ORGRBAC_DIRECTORY_H

#include "config.h"
#include "hostview.h"
#include "ldapc.h"
#include "policy.h"

#define ORGRBAC_MAX_GROUPS	1024 /* transitive groups of one principal */
#define ORGRBAC_MAX_GROUP_DEPTH 16   /* nesting followed without memberOf */
#define ORGRBAC_MAX_GRANTS	4096 /* grants naming one principal */
#define ORGRBAC_MAX_EXTERNAL	1024 /* external-access entries in one organization */

enum orgrbac_dir_status {
	ORGRBAC_DIR_FOUND = 0,
	ORGRBAC_DIR_NOUSER = 1,	  /* no such principal (or a malformed name) */
	ORGRBAC_DIR_REFUSED = 2,  /* an entry that may not log in: err says why */
	ORGRBAC_DIR_ERROR = -1,	  /* bad data or an answer we cannot trust: deny */
	ORGRBAC_DIR_UNAVAIL = -2, /* no server answered */
};

/*
 * Read the principal `user` and everything the policy needs: its entry
 * (uid equal byte for byte; of several, the host organization's), home
 * organization, transitive groups within that organization (memberOf where
 * the server keeps it, else a bounded level-by-level search), the grants of
 * its home organization and the platform grants naming it or its groups,
 * their roles, and every external-access entry above it. A fixed number of
 * round trips where memberOf is available. On FOUND *out holds facts to free
 * with orgrbac_facts_free; on NOUSER and REFUSED err says why: REFUSED for an
 * entry that matches only case-insensitively, lies outside every
 * organization, or a name that several entries hold.
 */
int orgrbac_directory_load(struct orgrbac_ldap *l, const struct orgrbac_config *cfg,
			   const char *user, struct orgrbac_facts **out, orgrbac_error *err);

/*
 * Read every user, group, role, grant and external-access entry under the
 * base, in pages, for the host snapshot (orgrbac_view_compute). FOUND, or
 * ERROR / UNAVAIL with err and *img empty.
 */
int orgrbac_directory_image(struct orgrbac_ldap *l, const struct orgrbac_config *cfg,
			    struct orgrbac_image *img, orgrbac_error *err);

#endif
