/* SPDX-License-Identifier: BSD-2-Clause */
/* What hostview.c (roles) and hostview_members.c (members) share while computing a view. */
#ifndef ORGRBAC_HOSTVIEW_INT_H
#define ORGRBAC_HOSTVIEW_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "hostview.h"

/* One computation: the image, its indexes, and the view being built. */
struct orgrbac_view_ctx {
	const struct orgrbac_image *img;
	const struct orgrbac_view_params *p;
	struct orgrbac_view *out;
	char *global_roles;    /* "ou=roles," + base */
	char *platform_grants; /* "ou=grants," + base */
	char *host_org;	       /* "o=" + the host's organization + "," + base */
	struct orgrbac_keyed *edges, *grantees, *roles, *externals, *uids;
	size_t n_edges, n_grantees;
	long *exposed; /* per image role: view role index or -1 */
	/* per user, reused */
	unsigned char *group_seen;
	size_t *queue;
	unsigned char *grant_seen;
	size_t *grants;
};

/* Is normalized `child` strictly beneath `parent`? The ',' must not be an escaped one. */
bool orgrbac_view_dn_below(const char *child, const char *parent);

/* Every user's memberships of the exposed roles, into c->out; -1 when out of memory. */
int orgrbac_view_add_users(struct orgrbac_view_ctx *c);

#endif
