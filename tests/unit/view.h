/* SPDX-License-Identifier: BSD-2-Clause */
/* Test helpers that build a host view (struct orgrbac_view) for the snapshot writer. */
#ifndef ORGRBAC_TEST_VIEW_H
#define ORGRBAC_TEST_VIEW_H

#include <stdlib.h>
#include <string.h>

#include "snapshot_write.h"
#include "util.h"

/* Include after <cmocka.h>. An external user is one with a bounded notBefore. */
static void add_user(struct orgrbac_view *v, const char *name, int64_t nb, int64_t na)
{
	v->users = reallocarray(v->users, v->n_users + 1, sizeof(*v->users));
	assert_non_null(v->users);
	v->users[v->n_users++] = (struct orgrbac_view_user){.name = strdup(name),
							    .external = nb != ORGRBAC_TIME_MIN,
							    .not_before = nb,
							    .not_after = na};
}

static void add_role(struct orgrbac_view *v, const char *group, uint32_t gid, const char *priv)
{
	struct orgrbac_view_role *r;

	v->roles = reallocarray(v->roles, v->n_roles + 1, sizeof(*v->roles));
	assert_non_null(v->roles);
	r = &v->roles[v->n_roles++];
	memset(r, 0, sizeof(*r));
	r->group = strdup(group);
	r->cn = strdup(group);
	r->gid = gid;
	r->privileges = orgrbac_split_list(priv, &r->n_privileges);
}

static void add_member(struct orgrbac_view *v, size_t user, size_t role, int64_t nb, int64_t na)
{
	v->members = reallocarray(v->members, v->n_members + 1, sizeof(*v->members));
	assert_non_null(v->members);
	v->members[v->n_members++] = (struct orgrbac_view_member){
	    .user = user, .role = role, .not_before = nb, .not_after = na};
}

#endif
