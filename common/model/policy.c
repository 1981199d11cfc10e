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

static const char scope_service[] = "service:", scope_resource[] = "resource:";

bool orgrbac_scope_valid(const char *scope)
{
	const char *name;

	if (scope == NULL)
		return false;
	if (strncmp(scope, scope_service, sizeof(scope_service) - 1) == 0)
		name = scope + sizeof(scope_service) - 1;
	else if (strncmp(scope, scope_resource, sizeof(scope_resource) - 1) == 0)
		name = scope + sizeof(scope_resource) - 1;
	else
		return false;
	if (name[0] == '\0')
		return false;
	for (; *name != '\0'; name++)
		if ((unsigned char)*name <= 0x20 || *name == 0x7f)
			return false;
	return true;
}

const char *orgrbac_grant_void_reason(const struct orgrbac_grant *g)
{
	if (g == NULL)
		return "no grant";
	if (g->unreadable[0] != '\0')
		return g->unreadable;
	/* A scope list we cannot read must not widen into organization-wide. */
	if (g->n_scopes > 0 && g->scopes == NULL)
		return "its scopes cannot be read";
	for (size_t i = 0; i < g->n_scopes; i++)
		if (!orgrbac_scope_valid(g->scopes[i]))
			return "an orgScope value is not service:NAME or resource:NAME";
	if (g->window.malformed)
		return "its window is not valid GeneralizedTime";
	return NULL;
}

static bool scope_covers(const char *scope, const struct orgrbac_host *host)
{
	const char *name;

	if (!orgrbac_scope_valid(scope))
		return false;
	if (strncmp(scope, scope_service, sizeof(scope_service) - 1) == 0) {
		name = scope + sizeof(scope_service) - 1;
		if (host->services == NULL)
			return false;
		for (size_t i = 0; i < host->n_services; i++)
			if (host->services[i] != NULL && strcmp(host->services[i], name) == 0)
				return true;
		return false;
	}
	name = scope + sizeof(scope_resource) - 1;
	/* host names compare without regard to case */
	return same_ci(name, host->resource);
}

bool orgrbac_grant_covers(const struct orgrbac_grant *g, const struct orgrbac_host *host)
{
	if (g == NULL || host == NULL || orgrbac_grant_void_reason(g) != NULL)
		return false;
	if (g->n_scopes == 0)
		return true;
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
	bool cross;	  /* host of another organization: platform grants only */
	bool full_access; /* role management off on every external entry above the user */
};

/*
 * Does this grant count for the decision? Platform grants in force on this
 * host always do; a grant of the principal's organization only on that
 * organization's own hosts, never abroad.
 */
static bool counted(const struct judge *j, const struct orgrbac_grant *g)
{
	if (!orgrbac_grant_effective(g, j->host, j->now))
		return false;
	if (g->platform)
		return true;
	return !j->cross && same_ci(g->org, j->host->org) && same_ci(g->org, j->f->org);
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
static bool external_open(const struct judge *j, const struct orgrbac_external *x, struct text *t)
{
	const char *kind = orgrbac_ext_kind_name(x->kind), *name = str(x->name);
	char when[32];

	if (x->unreadable[0] != '\0') {
		put(t, "external access '%s' is closed: %s", name, x->unreadable);
		return false;
	}
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
	return true;
}

/* Every external entry above the principal must be open; the most restrictive wins. */
static bool externals_open(const struct judge *j, struct orgrbac_decision *out, struct text *t)
{
	const struct orgrbac_facts *f = j->f;

	for (size_t i = f->n_external; i-- > 0;)
		if (!external_open(j, &f->external[i], t)) {
			out->verdict = ORGRBAC_EXPIRED;
			return false;
		}
	return true;
}

/* Full access needs role management off on every external entry above the principal. */
static bool externals_full_access(const struct orgrbac_facts *f)
{
	if (f->external == NULL || f->n_external == 0)
		return false;
	for (size_t i = 0; i < f->n_external; i++)
		if (f->external[i].role_management || f->external[i].unreadable[0] != '\0')
			return false;
	return true;
}

/*
 * A principal of another organization crosses only through a platform grant
 * in force on this host whose role holds cross_org_privilege literally: a
 * wildcard does not confer it, and nothing its own organization wrote can.
 */
static bool may_cross(struct judge *j, struct text *t)
{
	const char *priv = j->policy->cross_org_privilege;
	const struct orgrbac_facts *f = j->f;

	j->cross = true;
	if (!present(priv)) {
		put(t, "member of organization %s: no cross-organization privilege is configured",
		    str(f->org));
		return false;
	}
	for (size_t i = 0; f->grants != NULL && i < f->n_grants; i++) {
		const struct orgrbac_grant *g = &f->grants[i];

		if (!g->platform || !counted(j, g) || g->role->privileges == NULL)
			continue;
		for (size_t k = 0; k < g->role->n_privileges; k++)
			if (g->role->privileges[k] != NULL &&
			    strcmp(g->role->privileges[k], priv) == 0)
				return true;
	}
	put(t,
	    "member of organization %s: cross-organization access needs a platform grant "
	    "of a role holding %s",
	    str(f->org), priv);
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

	/* A home organization's exemption never counts abroad. */
	if (!present(role) || f->grants == NULL || j->cross)
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

/* On a deny, name the grants that gave nothing because they cannot be read. */
static void explain_void(const struct judge *j, struct text *t)
{
	const struct orgrbac_facts *f = j->f;
	size_t shown = 0;

	for (size_t i = 0; f->grants != NULL && i < f->n_grants && shown < 3; i++) {
		const char *why = orgrbac_grant_void_reason(&f->grants[i]);

		if (why == NULL)
			continue;
		put(t, "; grant '%s' is void: %s", str(f->grants[i].name), why);
		shown++;
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
	if (!externals_open(j, out, t))
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
	} else if (externals_full_access(f)) {
		/* The entries' organization gave full access to itself, not to others. */
		j->full_access = true;
		out->full_access = true;
	}
	check_requirement(j, out, t);
	mfa(j, out);
	if (out->verdict != ORGRBAC_ALLOW)
		explain_void(j, t);
	if (out->cross_org)
		put(t, " (cross-organization from %s by platform grant)", f->org);
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

/* An array of n strings, each freed, then the array. */
static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
}

void orgrbac_facts_free(struct orgrbac_facts *f)
{
	if (f == NULL)
		return;
	if (f->arena != NULL) {
		orgrbac_arena_free(f->arena);
		free(f);
		return;
	}
	free(f->user);
	free(f->dn);
	free(f->org);
	free_strings(f->groups, f->n_groups);
	for (size_t i = 0; f->roles != NULL && i < f->n_roles; i++) {
		free(f->roles[i].dn);
		free(f->roles[i].name);
		free_strings(f->roles[i].privileges, f->roles[i].n_privileges);
	}
	free(f->roles);
	for (size_t i = 0; f->grants != NULL && i < f->n_grants; i++) {
		struct orgrbac_grant *g = &f->grants[i];

		free(g->dn);
		free(g->name);
		free(g->org);
		free(g->role_dn);
		free_strings(g->scopes, g->n_scopes);
		free(g->via);
	}
	free(f->grants);
	for (size_t i = 0; f->external != NULL && i < f->n_external; i++) {
		free(f->external[i].dn);
		free(f->external[i].name);
	}
	free(f->external);
	free(f);
}
