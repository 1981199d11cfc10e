/* SPDX-License-Identifier: BSD-2-Clause */
/* The policy engine: the one place a login is decided, from facts and a time. */
#ifndef ORGRBAC_POLICY_H
#define ORGRBAC_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "expr.h"

/* [not_before, not_after); a missing bound is open. */
struct orgrbac_window {
	bool has_not_before;
	bool has_not_after;
	int64_t not_before;
	int64_t not_after;
	bool malformed; /* a bound was present but not valid GeneralizedTime */
};

struct orgrbac_role {
	char *dn;
	char *name; /* cn */
	char **privileges;
	size_t n_privileges;
};

/* Room for why a grant or an external-access entry cannot be read. */
#define ORGRBAC_UNREADABLE_MAX 160

struct orgrbac_grant {
	char *dn;
	char *name;    /* cn */
	char *org;     /* the organization the grant lives in; NULL for a platform grant */
	bool platform; /* kept in ou=grants beneath the base: applies on every host */
	char unreadable[ORGRBAC_UNREADABLE_MAX]; /* non-empty: void, and why */
	char *role_dn;
	const struct orgrbac_role *role; /* NULL: missing or out of reach */
	char **scopes;			 /* "service:NAME" / "resource:NAME"; none: org-wide */
	size_t n_scopes;
	struct orgrbac_window window;
	char *via; /* the grantee that matched: the user's DN or a group's */
};

enum orgrbac_ext_kind {
	ORGRBAC_EXT_VENDOR,
	ORGRBAC_EXT_PARTNER,
	ORGRBAC_EXT_KIND_UNKNOWN,
};

enum orgrbac_ext_mode {
	ORGRBAC_MODE_CONTINUOUS,
	ORGRBAC_MODE_WINDOW,
	ORGRBAC_MODE_DISABLED,
	ORGRBAC_MODE_UNKNOWN,
};

struct orgrbac_external {
	char *dn;
	char *name; /* cn */
	enum orgrbac_ext_kind kind;
	enum orgrbac_ext_mode mode;
	struct orgrbac_window window;
	bool role_management; /* FALSE: the external users hold every privilege */
	char unreadable[ORGRBAC_UNREADABLE_MAX]; /* non-empty: closed, and why */
};

/* What the directory says about one principal. */
struct orgrbac_facts {
	char *user; /* uid, equal byte for byte to the login name */
	char *dn;
	char *org;     /* home organization: the o= directly beneath the base */
	char **groups; /* DNs of every group it belongs to, transitively */
	size_t n_groups;
	struct orgrbac_role *roles;
	size_t n_roles;
	struct orgrbac_grant *grants; /* grants naming the user or its groups */
	size_t n_grants;
	/* Every external-access entry above the principal, nearest first; NULL: internal. */
	struct orgrbac_external *external;
	size_t n_external;
	/* Non-NULL: every string and array above lives in it, and goes with it. */
	struct orgrbac_arena *arena;
};

struct orgrbac_host {
	const char *org;
	const char *const *services;
	size_t n_services;
	const char *resource;
};

struct orgrbac_policy {
	const struct orgrbac_expr *require;
	const char *mfa_exempt_role;
	const char *cross_org_privilege;
};

enum orgrbac_verdict {
	ORGRBAC_DENY = 0, /* lacks the required privileges */
	ORGRBAC_ALLOW,
	ORGRBAC_EXPIRED, /* external access disabled or outside its window */
	ORGRBAC_UNKNOWN, /* no such principal */
};

/* One privilege of the requirement and where the principal got it. */
struct orgrbac_match {
	const char *required;		   /* the requirement's term */
	const char *granted;		   /* the role privilege that covered it */
	const struct orgrbac_grant *grant; /* NULL with full access */
};

struct orgrbac_decision {
	enum orgrbac_verdict verdict;
	bool full_access; /* an external entry with orgRoleManagement FALSE */
	bool cross_org;	  /* another organization's principal, crossing by a platform grant */
	bool mfa_exempt;  /* holds mfa_exempt_role in scope and window */
	const struct orgrbac_grant *mfa_grant;
	struct orgrbac_match matches[ORGRBAC_EXPR_MAX_TERMS];
	size_t n_matches;
	char reason[512]; /* one line, for syslog and the CLI */
};

/*
 * Decide. `facts` NULL means the principal was not found. Pure: no I/O, no
 * clock but `now`. Starts from deny; every path sets a reason.
 */
void orgrbac_decide(const struct orgrbac_facts *facts, const struct orgrbac_host *host,
		    const struct orgrbac_policy *policy, int64_t now, struct orgrbac_decision *out);

/* notBefore <= now < notAfter; a malformed window contains nothing. */
bool orgrbac_window_contains(const struct orgrbac_window *w, int64_t now);

/* Is `scope` a scope we can read: "service:NAME" or "resource:NAME"? */
bool orgrbac_scope_valid(const char *scope);

/*
 * Why a grant grants nothing whatever the host and time (unreadable data, a
 * scope of an unknown kind), or NULL when it is readable.
 */
const char *orgrbac_grant_void_reason(const struct orgrbac_grant *g);

/* Does the grant's scope cover this host? No scope: organization-wide. */
bool orgrbac_grant_covers(const struct orgrbac_grant *g, const struct orgrbac_host *host);

/* Is this grant in force for the host at `now` (readable, role present, scope, window)? */
bool orgrbac_grant_effective(const struct orgrbac_grant *g, const struct orgrbac_host *host,
			     int64_t now);

const char *orgrbac_verdict_name(enum orgrbac_verdict v);
const char *orgrbac_ext_kind_name(enum orgrbac_ext_kind k);
const char *orgrbac_ext_mode_name(enum orgrbac_ext_mode m);

void orgrbac_facts_free(struct orgrbac_facts *f);

#endif
