/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the policy engine over facts, host, requirement and time made from the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct in {
	const uint8_t *p;
	size_t n;
};

static unsigned byte(struct in *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

static int64_t when(struct in *in)
{
	/* a few days around 2026-01-01, where the test clock sits */
	return 1767225600 + ((int64_t)byte(in) - 128) * 86400 + (int64_t)byte(in) * 60;
}

static const char *pick(struct in *in, const char *const *v, size_t n)
{
	return v[byte(in) % n];
}

#define PICK(in, v) pick(in, v, sizeof(v) / sizeof(v[0]))

static const char *const privileges[] = {
    "host:login",	"host:sudo", "host:*",	    "*",	  "iam:*",     "common:org:own",
    "common:org:cross", "host",	     "host:login:", "HOST:LOGIN", "host:log*", "",
    "mfa:exempt",	"a:b:c",
};
static const char *const scopes[] = {
    "service:web",
    "service:payments",
    "service:",
    "resource:web01.example.com",
    "resource:WEB01.EXAMPLE.COM",
    "resource:db01",
    "web",
    "service:WEB",
};
static const char *const orgs[] = {"acme", "ACME", "globex", ""};
static const char *const requirements[] = {
    "host:login || common:org:own", "host:sudo && host:login", "none", "host:login",
    "(a:b && c) + host:sudo",	    "common:org:cross",
};
static const char *const role_names[] = {"Member", "2FA-exempt", "2fa-EXEMPT", "Admin"};

static void window(struct in *in, struct orgrbac_window *w)
{
	unsigned f = byte(in);

	w->has_not_before = f & 1;
	w->has_not_after = f & 2;
	w->malformed = (f & 12) == 12;
	w->not_before = when(in);
	w->not_after = when(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = {data, size};
	struct orgrbac_role roles[3];
	char *privs[3][4];
	struct orgrbac_grant grants[6];
	char *grant_scopes[6][2];
	struct orgrbac_external ext;
	struct orgrbac_facts f;
	static const char *const services[] = {"payments", "web"};
	struct orgrbac_host host = {"acme", services, 2, "web01.example.com"};
	struct orgrbac_policy policy = {NULL, "2FA-exempt", "common:org:cross"};
	struct orgrbac_expr *e = NULL;
	struct orgrbac_decision d;
	orgrbac_error err;
	int64_t now = when(&in);

	memset(&f, 0, sizeof(f));
	memset(grants, 0, sizeof(grants));
	f.user = "u";
	f.dn = "uid=u,ou=people,o=acme,dc=example,dc=com";
	f.org = (char *)PICK(&in, orgs);
	for (size_t r = 0; r < 3; r++) {
		roles[r] =
		    (struct orgrbac_role){.dn = "cn=r", .name = (char *)PICK(&in, role_names)};
		roles[r].n_privileges = byte(&in) % 5;
		for (size_t k = 0; k < roles[r].n_privileges; k++)
			privs[r][k] = (char *)PICK(&in, privileges);
		roles[r].privileges = privs[r];
	}
	f.roles = roles;
	f.n_roles = 3;
	f.n_grants = byte(&in) % 7;
	for (size_t i = 0; i < f.n_grants; i++) {
		struct orgrbac_grant *g = &grants[i];
		unsigned r = byte(&in) % 4;

		g->name = "g";
		g->dn = "cn=g";
		g->org = (char *)PICK(&in, orgs);
		g->role = r < 3 ? &roles[r] : NULL;
		g->n_scopes = byte(&in) % 3;
		for (size_t k = 0; k < g->n_scopes; k++)
			grant_scopes[i][k] = (char *)PICK(&in, scopes);
		g->scopes = grant_scopes[i];
		window(&in, &g->window);
		g->via = f.dn;
	}
	f.grants = grants;
	if (byte(&in) & 1) {
		memset(&ext, 0, sizeof(ext));
		ext.name = "x";
		ext.kind = (enum orgrbac_ext_kind)(byte(&in) % 3);
		ext.mode = (enum orgrbac_ext_mode)(byte(&in) % 4);
		ext.role_management = byte(&in) & 1;
		window(&in, &ext.window);
		f.external = &ext;
		f.n_external = 1;
	}
	if (orgrbac_expr_parse(PICK(&in, requirements), &e, &err) != 0)
		abort();
	policy.require = e;

	orgrbac_decide(byte(&in) == 0xff ? NULL : &f, &host, &policy, now, &d);

	/* every decision says why, on one line */
	if (d.reason[0] == '\0' || strnlen(d.reason, sizeof(d.reason)) == sizeof(d.reason))
		abort();
	for (const char *p = d.reason; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			abort();
	if (d.verdict == ORGRBAC_ALLOW) {
		if (f.external != NULL && (f.external->mode == ORGRBAC_MODE_DISABLED ||
					   f.external->mode == ORGRBAC_MODE_UNKNOWN ||
					   f.external->kind == ORGRBAC_EXT_KIND_UNKNOWN))
			abort();
		if (!orgrbac_expr_is_none(e) && d.n_matches == 0)
			abort();
		/* each privilege shown is covered by a grant in force */
		for (size_t i = 0; i < d.n_matches; i++) {
			const struct orgrbac_match *m = &d.matches[i];

			if (m->grant == NULL) {
				if (!d.full_access)
					abort();
				continue;
			}
			if (!orgrbac_privilege_covers(m->granted, m->required) ||
			    m->grant->role == NULL ||
			    !orgrbac_window_contains(&m->grant->window, now))
				abort();
			if (!d.cross_org && !orgrbac_grant_covers(m->grant, &host))
				abort();
		}
		if (strcasecmp(f.org, host.org) != 0 && !d.cross_org)
			abort();
	}
	/* the 2FA exemption is only ever a grant of that role, in force */
	if (d.mfa_exempt && (d.mfa_grant == NULL || d.mfa_grant->role == NULL ||
			     strcasecmp(d.mfa_grant->role->name, policy.mfa_exempt_role) != 0 ||
			     !orgrbac_window_contains(&d.mfa_grant->window, now)))
		abort();
	orgrbac_expr_free(e);
	return 0;
}
