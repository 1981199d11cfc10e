/* SPDX-License-Identifier: BSD-2-Clause */
/* The policy engine: decides one login from directory facts, host, policy and a time. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gtime.h"
#include "policy.h"

/* A bounded, always NUL-terminated reason being written; excess is cut. */
struct text {
	char *s;
	size_t cap;
	size_t len;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->len + 1 >= t->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		t->s[t->len] = '\0';
	else if ((size_t)n >= t->cap - t->len)
		t->len = t->cap - 1;
	else
		t->len += (size_t)n;
}

/* Directory values may hold anything but NUL; the reason goes to syslog as one line. */
static void one_line(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

static const char *str(const char *s)
{
	return s != NULL ? s : "?";
}

static bool same_ci(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcasecmp(a, b) == 0;
}

static bool present(const char *s)
{
	return s != NULL && s[0] != '\0';
}

bool orgrbac_window_contains(const struct orgrbac_window *w, int64_t now)
{
	if (w == NULL || w->malformed)
		return false;
	if (w->has_not_before && now < w->not_before)
		return false;
	if (w->has_not_after && now >= w->not_after)
		return false;
	return true;
}

static bool scope_covers(const char *scope, const struct orgrbac_host *host)
{
	static const char service[] = "service:", resource[] = "resource:";
	const char *name;

	if (scope == NULL)
		return false;
	if (strncmp(scope, service, sizeof(service) - 1) == 0) {
		name = scope + sizeof(service) - 1;
		if (name[0] == '\0' || host->services == NULL)
			return false;
		for (size_t i = 0; i < host->n_services; i++)
			if (host->services[i] != NULL && strcmp(host->services[i], name) == 0)
				return true;
		return false;
	}
	if (strncmp(scope, resource, sizeof(resource) - 1) == 0) {
		name = scope + sizeof(resource) - 1;
		/* host names compare without regard to case */
		return name[0] != '\0' && same_ci(name, host->resource);
	}
	return false;
}

bool orgrbac_grant_covers(const struct orgrbac_grant *g, const struct orgrbac_host *host)
{
	if (g == NULL || host == NULL)
		return false;
	if (g->n_scopes == 0)
		return true;
	/* A scope list we cannot read must not widen into organization-wide. */
	if (g->scopes == NULL)
		return false;
	for (size_t i = 0; i < g->n_scopes; i++)
		if (scope_covers(g->scopes[i], host))
			return true;
	return false;
}

bool orgrbac_grant_effective(const struct orgrbac_grant *g, const struct orgrbac_host *host,
			     int64_t now)
{
	return g != NULL && g->role != NULL && orgrbac_grant_covers(g, host) &&
	       orgrbac_window_contains(&g->window, now);
}

const char *orgrbac_verdict_name(enum orgrbac_verdict v)
{
	switch (v) {
	case ORGRBAC_DENY: return "deny";
	case ORGRBAC_ALLOW: return "allow";
	case ORGRBAC_EXPIRED: return "expired";
	case ORGRBAC_UNKNOWN: return "unknown";
	}
	return "invalid";
}

const char *orgrbac_ext_kind_name(enum orgrbac_ext_kind k)
{
	switch (k) {
	case ORGRBAC_EXT_VENDOR: return "vendor";
	case ORGRBAC_EXT_PARTNER: return "partner";
	case ORGRBAC_EXT_KIND_UNKNOWN: break;
	}
	return "unknown";
}

const char *orgrbac_ext_mode_name(enum orgrbac_ext_mode m)
{
	switch (m) {
	case ORGRBAC_MODE_CONTINUOUS: return "continuous";
	case ORGRBAC_MODE_WINDOW: return "window";
	case ORGRBAC_MODE_DISABLED: return "disabled";
	case ORGRBAC_MODE_UNKNOWN: break;
	}
	return "unknown";
}

/* Everything one decision looks at, for the privilege callback. */
struct judge {
	const struct orgrbac_facts *f;
	const struct orgrbac_host *host;
	const struct orgrbac_policy *policy;
	int64_t now;
	bool cross;	  /* host of another organization: home grants count */
	bool full_access; /* an external entry of this organization with role management off */
};

/*
 * Does this grant count for the decision? On the home organization's hosts,
 * its grants in force there; elsewhere, only home grants that are
 * organization-wide, because a home grant's scope names hosts of the home
 * organization and means nothing here.
 */
static bool counted(const struct judge *j, const struct orgrbac_grant *g)
{
	if (j->cross)
		return same_ci(g->org, j->f->org) && g->n_scopes == 0 && g->role != NULL &&
		       orgrbac_window_contains(&g->window, j->now);
	return same_ci(g->org, j->host->org) && orgrbac_grant_effective(g, j->host, j->now);
}

/* The first counted grant, in order, with a role privilege that covers `p`. */
static bool find_cover(const struct judge *j, const char *p, const struct orgrbac_grant **grant,
		       const char **granted)
{
	const struct orgrbac_facts *f = j->f;

	if (p == NULL || f->grants == NULL)
		return false;
	for (size_t i = 0; i < f->n_grants; i++) {
		const struct orgrbac_grant *g = &f->grants[i];
		const struct orgrbac_role *r = g->role;

		if (!counted(j, g) || r->privileges == NULL)
			continue;
		for (size_t k = 0; k < r->n_privileges; k++) {
			if (r->privileges[k] == NULL ||
			    !orgrbac_privilege_covers(r->privileges[k], p))
				continue;
			*grant = g;
			*granted = r->privileges[k];
			return true;
		}
	}
	return false;
}

static bool holds(void *ctx, const char *p)
{
	const struct judge *j = ctx;
	const struct orgrbac_grant *g;
	const char *granted;

	return j->full_access || find_cover(j, p, &g, &granted);
}

/* External access: may users beneath this entry log in at all, now? */
static bool external_open(const struct judge *j, struct orgrbac_decision *out, struct text *t)
{
	const struct orgrbac_external *x = j->f->external;
	const char *kind = orgrbac_ext_kind_name(x->kind), *name = str(x->name);
	char when[32];

	out->verdict = ORGRBAC_EXPIRED;
	if (x->mode != ORGRBAC_MODE_CONTINUOUS && x->mode != ORGRBAC_MODE_WINDOW &&
	    x->mode != ORGRBAC_MODE_DISABLED) {
		put(t, "external access '%s' has an unknown access mode", name);
		return false;
	}
	if (x->kind != ORGRBAC_EXT_VENDOR && x->kind != ORGRBAC_EXT_PARTNER) {
		put(t, "external access '%s' has an unknown kind", name);
		return false;
	}
	if (x->mode == ORGRBAC_MODE_DISABLED) {
		put(t, "access for %s %s is disabled", kind, name);
		return false;
	}
	/* A window left on a continuous entry is not in force. */
	if (x->mode == ORGRBAC_MODE_WINDOW) {
		if (x->window.malformed || !x->window.has_not_before || !x->window.has_not_after) {
			put(t, "access window of %s %s is malformed or incomplete", kind, name);
			return false;
		}
		if (j->now < x->window.not_before) {
			orgrbac_time_format(x->window.not_before, when, sizeof(when));
			put(t, "access for %s %s begins on %s", kind, name, when);
			return false;
		}
		if (j->now >= x->window.not_after) {
			orgrbac_time_format(x->window.not_after, when, sizeof(when));
			put(t, "access for %s %s ended on %s", kind, name, when);
			return false;
		}
	}
	out->verdict = ORGRBAC_DENY;
	return true;
}

/* A principal of another organization crosses only with cross_org_privilege at home. */
static bool may_cross(struct judge *j, struct text *t)
{
	const char *priv = j->policy->cross_org_privilege;
	const struct orgrbac_grant *g;
	const char *granted;

	j->cross = true;
	if (present(priv) && find_cover(j, priv, &g, &granted))
		return true;
	if (present(priv))
		put(t, "member of organization %s without %s", str(j->f->org), priv);
	else
		put(t, "member of organization %s: no cross-organization privilege is configured",
		    str(j->f->org));
	return false;
}

static void explain_allow(const struct judge *j, const struct orgrbac_decision *out, struct text *t)
{
	const struct orgrbac_external *x = j->f->external;

	for (size_t i = 0; i < out->n_matches; i++) {
		const struct orgrbac_match *m = &out->matches[i];
		const struct orgrbac_grant *g = m->grant;

		put(t, "%s%s ", i > 0 ? ", " : "", m->required);
		if (g == NULL) {
			put(t, "from full access: external '%s' has role management off",
			    str(x != NULL ? x->name : NULL));
			continue;
		}
		put(t, "from role '%s'", str(g->role->name));
		if (strcmp(m->granted, m->required) != 0)
			put(t, " (%s)", m->granted);
		put(t, " via grant '%s'", str(g->name));
		if (g->via != NULL && !same_ci(g->via, j->f->dn))
			put(t, " through group %s", g->via);
	}
}

/* The requirement, over the grants that count. */
static void check_requirement(struct judge *j, struct orgrbac_decision *out, struct text *t)
{
	const struct orgrbac_expr *e = j->policy->require;
	struct orgrbac_witness w;

	if (e == NULL) {
		put(t, "no requirement configured");
		return;
	}
	if (orgrbac_expr_is_none(e)) {
		out->verdict = ORGRBAC_ALLOW;
		put(t, "no privilege required");
		return;
	}
	memset(&w, 0, sizeof(w));
	if (!orgrbac_expr_eval(e, holds, j, &w)) {
		put(t, "lacks privileges: %s", str(orgrbac_expr_text(e)));
		return;
	}
	/* An answer we cannot explain is not an answer: stay denied. */
	if (w.n == 0 || w.n > ORGRBAC_EXPR_MAX_TERMS) {
		put(t, "requirement %s gave no privileges to show", str(orgrbac_expr_text(e)));
		return;
	}
	for (size_t i = 0; i < w.n; i++) {
		struct orgrbac_match *m = &out->matches[i];

		m->required = w.terms[i];
		if (find_cover(j, w.terms[i], &m->grant, &m->granted))
			continue;
		if (!j->full_access || w.terms[i] == NULL) {
			memset(out->matches, 0, sizeof(out->matches));
			put(t, "privilege %s of the requirement is not held", str(w.terms[i]));
			return;
		}
		m->grant = NULL;
		m->granted = "*";
	}
	out->n_matches = w.n;
	out->verdict = ORGRBAC_ALLOW;
	explain_allow(j, out, t);
}

/* 2FA exemption needs positive confirmation: a real grant of the role, in force. */
static void mfa(const struct judge *j, struct orgrbac_decision *out)
{
	const char *role = j->policy->mfa_exempt_role;
	const struct orgrbac_facts *f = j->f;

	if (!present(role) || f->grants == NULL)
		return;
	for (size_t i = 0; i < f->n_grants; i++) {
		const struct orgrbac_grant *g = &f->grants[i];

		if (counted(j, g) && same_ci(g->role->name, role)) {
			out->mfa_exempt = true;
			out->mfa_grant = g;
			return;
		}
	}
}

static void decide(struct judge *j, struct orgrbac_decision *out, struct text *t)
{
	const struct orgrbac_facts *f = j->f;

	if (f == NULL) {
		out->verdict = ORGRBAC_UNKNOWN;
		put(t, "not in the directory");
		return;
	}
	if (j->host == NULL || j->policy == NULL) {
		put(t, "no host or policy configuration");
		return;
	}
	if (f->external != NULL && !external_open(j, out, t))
		return;
	if (!present(j->host->org)) {
		put(t, "the host has no organization configured");
		return;
	}
	if (!present(f->org)) {
		put(t, "the principal has no home organization");
		return;
	}
	if (!same_ci(f->org, j->host->org)) {
		if (!may_cross(j, t))
			return;
		out->cross_org = true;
	} else if (f->external != NULL && !f->external->role_management) {
		/* The entry's organization gave full access to itself, not to others. */
		j->full_access = true;
		out->full_access = true;
	}
	check_requirement(j, out, t);
	mfa(j, out);
	if (out->cross_org)
		put(t, " (cross-organization from %s)", f->org);
}

void orgrbac_decide(const struct orgrbac_facts *facts, const struct orgrbac_host *host,
		    const struct orgrbac_policy *policy, int64_t now, struct orgrbac_decision *out)
{
	struct judge j = {.f = facts, .host = host, .policy = policy, .now = now};
	struct text t;

	if (out == NULL)
		return;
	memset(out, 0, sizeof(*out));
	out->verdict = ORGRBAC_DENY;
	t = (struct text){.s = out->reason, .cap = sizeof(out->reason), .len = 0};
	decide(&j, out, &t);
	if (t.len == 0)
		put(&t, "denied");
	one_line(out->reason);
}

void orgrbac_facts_free(struct orgrbac_facts *f)
{
	if (f == NULL)
		return;
	free(f->user);
	free(f->dn);
	free(f->org);
	for (size_t i = 0; f->groups != NULL && i < f->n_groups; i++)
		free(f->groups[i]);
	free(f->groups);
	for (size_t i = 0; f->roles != NULL && i < f->n_roles; i++) {
		struct orgrbac_role *r = &f->roles[i];

		free(r->dn);
		free(r->name);
		for (size_t k = 0; r->privileges != NULL && k < r->n_privileges; k++)
			free(r->privileges[k]);
		free(r->privileges);
	}
	free(f->roles);
	for (size_t i = 0; f->grants != NULL && i < f->n_grants; i++) {
		struct orgrbac_grant *g = &f->grants[i];

		free(g->dn);
		free(g->name);
		free(g->org);
		free(g->role_dn);
		for (size_t k = 0; g->scopes != NULL && k < g->n_scopes; k++)
			free(g->scopes[k]);
		free(g->scopes);
		free(g->via);
	}
	free(f->grants);
	if (f->external != NULL) {
		free(f->external->dn);
		free(f->external->name);
		free(f->external);
	}
	free(f);
}
