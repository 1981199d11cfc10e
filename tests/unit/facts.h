/* SPDX-License-Identifier: BSD-2-Clause */
/* Test helpers that build principals' facts into a host view's decision part. */
#ifndef ORGRBAC_TEST_FACTS_H
#define ORGRBAC_TEST_FACTS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostview.h"
#include "policy.h"
#include "util.h"

/* Include after <cmocka.h>. Roles first, then grants (they point into the roles). */
static inline struct orgrbac_facts *tf_new(const char *uid, const char *org)
{
	struct orgrbac_facts *f = calloc(1, sizeof(*f));
	char dn[256];

	assert_non_null(f);
	snprintf(dn, sizeof(dn), "uid=%s,ou=people,o=%s,dc=example,dc=com", uid, org);
	f->user = strdup(uid);
	f->dn = strdup(dn);
	f->org = strdup(org);
	f->roles = calloc(8, sizeof(*f->roles));
	f->grants = calloc(8, sizeof(*f->grants));
	assert_non_null(f->roles);
	assert_non_null(f->grants);
	return f;
}

static inline size_t tf_role(struct orgrbac_facts *f, const char *name, const char *privs)
{
	struct orgrbac_role *r = &f->roles[f->n_roles];
	char dn[256];

	assert_true(f->n_roles < 8);
	snprintf(dn, sizeof(dn), "cn=%s,ou=roles,dc=example,dc=com", name);
	r->dn = strdup(dn);
	r->name = strdup(name);
	r->privileges = orgrbac_split_list(privs, &r->n_privileges);
	return f->n_roles++;
}

/* A grant of role `role` (an index), platform or of the principal's organization. */
static inline void tf_grant(struct orgrbac_facts *f, size_t role, bool platform, int64_t nb,
			    int64_t na)
{
	struct orgrbac_grant *g = &f->grants[f->n_grants];
	char dn[256];

	assert_true(f->n_grants < 8);
	snprintf(dn, sizeof(dn), "cn=g%zu,ou=grants,%sdc=example,dc=com", f->n_grants,
		 platform ? "" : "o=acme,");
	g->dn = strdup(dn);
	g->name = strdup(dn + 3);
	g->name[strcspn(g->name, ",")] = '\0';
	g->platform = platform;
	g->org = platform ? NULL : strdup(f->org);
	g->role_dn = strdup(f->roles[role].dn);
	g->role = &f->roles[role];
	g->scopes = orgrbac_split_list("", &g->n_scopes);
	g->window = (struct orgrbac_window){.has_not_before = nb != ORGRBAC_TIME_MIN,
					    .not_before = nb,
					    .has_not_after = na != ORGRBAC_TIME_MAX,
					    .not_after = na};
	g->via = strdup(f->dn);
	f->n_grants++;
}

static inline void tf_external(struct orgrbac_facts *f, enum orgrbac_ext_mode mode, int64_t nb,
			       int64_t na)
{
	f->external = calloc(1, sizeof(*f->external));
	assert_non_null(f->external);
	f->n_external = 1;
	f->external[0] = (struct orgrbac_external){
	    .dn = strdup("o=vendor,ou=external,o=acme,dc=example,dc=com"),
	    .name = strdup("vendor"),
	    .kind = ORGRBAC_EXT_VENDOR,
	    .mode = mode,
	    .role_management = true,
	    .window = {
		.has_not_before = true, .not_before = nb, .has_not_after = true, .not_after = na}};
}

/* The principal into the view's decision part; facts NULL: refused with `why`. */
static inline void tf_add(struct orgrbac_view *v, const char *uid, struct orgrbac_facts *f,
			  const char *why)
{
	struct orgrbac_view_principal *p;

	v->principals = reallocarray(v->principals, v->n_principals + 1, sizeof(*p));
	assert_non_null(v->principals);
	p = &v->principals[v->n_principals++];
	memset(p, 0, sizeof(*p));
	p->uid = strdup(uid);
	p->facts = f;
	p->refused = why != NULL ? strdup(why) : NULL;
}

/* The host identity the decision part is written for. */
static inline void tf_identity(struct orgrbac_view *v, const char *org, const char *resource,
			       const char *services)
{
	v->identity.org = strdup(org);
	v->identity.resource = strdup(resource);
	v->identity.services = orgrbac_split_list(services, &v->identity.n_services);
}

#endif
