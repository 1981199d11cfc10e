/* SPDX-License-Identifier: BSD-2-Clause */
/* orgrbac doctor: each directory server alone - answers, binds, holds and shows what sync reads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor_int.h"
#include "ldapc.h"

#define PROBE_PAGE 500
#define PROBE_MAX  10000000

#define FIX_SERVER                                                                                 \
	"check uri, tls_ca_file, bind_dn and bind_password_file; try `ldapwhoami -H URI -D "       \
	"BIND_DN -y SECRET`"
#define FIX_ACL                                                                                    \
	"let the host's bind DN read the whole base (etc/slapd-acl.ldif), and raise its size "     \
	"limits (olcLimits)"

static int count_entry(void *ctx, LDAP *ld, LDAPMessage *entry)
{
	(void)ld;
	(void)entry;
	(*(size_t *)ctx)++;
	return 0;
}

/* How many entries of `filter` the bind DN reads under `base`; false with a finding. */
static bool probe(struct orgrbac_ldap *l, const char *uri, const char *base, const char *filter,
		  const char *what, struct orgrbac_findings *out)
{
	char *attrs[] = {"1.1", NULL};
	size_t n = 0;
	orgrbac_error err;

	if (orgrbac_ldap_search_paged(l, base, LDAP_SCOPE_SUBTREE, filter, attrs, PROBE_PAGE,
				      PROBE_MAX, count_entry, &n, &err) != ORGRBAC_LDAP_OK) {
		orgrbac_finding_add(out, ORGRBAC_SEV_ERROR, "ldap", uri, 0, FIX_ACL,
				    "cannot read the %s under %s: %s", what, base, err.msg);
		return false;
	}
	if (n == 0)
		orgrbac_finding_add(out, ORGRBAC_SEV_WARNING, "ldap", uri, 0, FIX_ACL,
				    "reads no %s under %s: none exist, or an ACL hides them from "
				    "this bind DN",
				    what, base);
	return true;
}

/* Does the entry `dn` exist and show itself to us? false with a finding. */
static bool entry_held(struct orgrbac_ldap *l, const char *uri, const char *dn, const char *what,
		       struct orgrbac_findings *out)
{
	char *attrs[] = {"1.1", NULL};
	LDAPMessage *res = NULL;
	orgrbac_error err;
	enum orgrbac_ldap_status st;

	st = orgrbac_ldap_search(l, dn, LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 1, &res, &err);
	if (res != NULL)
		ldap_msgfree(res);
	if (st == ORGRBAC_LDAP_OK)
		return true;
	if (st == ORGRBAC_LDAP_NOOBJECT)
		orgrbac_finding_add(out, ORGRBAC_SEV_ERROR, "ldap", uri, 0,
				    "correct [ldap] base or [host] org, or let the bind DN read it",
				    "does not hold the %s %s (or an ACL hides it)", what, dn);
	else
		orgrbac_finding_add(out, ORGRBAC_SEV_ERROR, "ldap", uri, 0, FIX_SERVER,
				    "cannot read the %s %s: %s", what, dn, err.msg);
	return false;
}

/* One server: what decisions (its organization, users, grants) and sync (roles) need. */
static void one_server(const struct orgrbac_config *cfg, size_t i, bool trust,
		       struct orgrbac_findings *out)
{
	struct orgrbac_config one = *cfg;
	char *uris[2] = {cfg->uris[i], NULL}, *org_dn = NULL;
	const char *uri = cfg->uris[i];
	struct orgrbac_ldap *l = NULL;
	orgrbac_error err;

	one.uris = uris;
	one.n_uris = 1;
	if (orgrbac_ldap_open(&one, trust, &l, &err) != ORGRBAC_LDAP_OK) {
		orgrbac_finding_add(out, ORGRBAC_SEV_ERROR, "ldap", uri, 0, FIX_SERVER,
				    "cannot be used: %s", err.msg);
		return;
	}
	if (asprintf(&org_dn, "o=%s,%s", cfg->org, cfg->base) < 0) {
		out->oom = true;
		org_dn = NULL;
	} else if (entry_held(l, uri, cfg->base, "base", out) &&
		   entry_held(l, uri, org_dn, "organization", out)) {
		probe(l, uri, cfg->base, "(objectClass=orgRole)", "roles", out);
		probe(l, uri, cfg->base, "(objectClass=orgRoleGrant)", "grants", out);
		probe(l, uri, org_dn, "(uid=*)", "users of the organization", out);
	}
	free(org_dn);
	orgrbac_ldap_close(l);
}

void orgrbac_doctor_servers(const struct orgrbac_config *cfg, bool trust_any_owner,
			    struct orgrbac_findings *out)
{
	for (size_t i = 0; i < cfg->n_uris; i++)
		one_server(cfg, i, trust_any_owner, out);
}
