/* SPDX-License-Identifier: BSD-2-Clause */
/* The host's view of the whole directory: which users hold which role groups, and when. */
#ifndef ORGRBAC_HOSTVIEW_H
#define ORGRBAC_HOSTVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "osgroup.h"
#include "policy.h"
#include "util.h"

/*
 * One principal's groups, live (common/ldap/groups.c) and in the view alike:
 * the groups of its organization reached through member values, at most
 * ORGRBAC_MAX_GROUP_DEPTH levels of nesting from the principal and at most
 * ORGRBAC_MAX_GROUPS in all (more: the principal is refused, and left out of
 * the view).
 */
#define ORGRBAC_MAX_GROUPS	1024
#define ORGRBAC_MAX_GROUP_DEPTH 16

/*
 * The host's view, as sync computes it and the writer takes it. Windows are
 * [not_before, not_after) with ORGRBAC_TIME_MIN / ORGRBAC_TIME_MAX for an
 * open bound. Indexes refer to the arrays of the same view.
 */
struct orgrbac_view_user {
	char *name;	    /* login name (uid) */
	bool external;	    /* beneath an external-access entry */
	bool foreign;	    /* of another organization: a member only while it may cross */
	int64_t not_before; /* external access window; open for internal users */
	int64_t not_after;
};

struct orgrbac_view_role {
	char *group; /* the OS group name */
	char *cn;    /* the role's name in the directory */
	uint32_t gid;
	char **privileges;
	size_t n_privileges;
};

struct orgrbac_view_member {
	size_t user, role;
	int64_t not_before, not_after;
};

/*
 * One principal the host can see, with everything orgrbac_decide reads about
 * it (format version 4): its facts, grants kept only where they count on
 * this host (scope covering the host, or void), or the reason a known name
 * may not log in. Sorted by uid when written.
 */
struct orgrbac_view_posix {
	bool present; /* the entry is a posixAccount with a usable uidNumber and gidNumber */
	uint32_t uid, gid;
	char *gecos, *home, *shell;
	/* the passwd database serves it while from <= now < until (orgrbac_replica_passwd) */
	bool served;
	bool candidate; /* it passed every check but its uidNumber's being its own */
	int64_t from, until;
};

struct orgrbac_view_principal {
	char *uid;
	struct orgrbac_facts *facts; /* NULL when refused, or once sealed */
	char *refused;		     /* non-NULL: a known name that may not log in, and why */
	struct orgrbac_view_posix posix;
	/* its facts serialized in the writer's records (orgrbac_snap_records_seal) */
	bool sealed;
	size_t tail_off, tail_len;
};

/* The host the decision part was built for: [host] org, services (sorted), resource. */
struct orgrbac_view_identity {
	char *org;
	char **services;
	size_t n_services;
	char *resource;
};

struct orgrbac_view {
	struct orgrbac_view_principal *principals; /* empty: a snapshot without decisions */
	size_t n_principals, cap_principals;
	struct orgrbac_view_identity identity;
	struct orgrbac_view_user *users;
	size_t n_users, cap_users;
	struct orgrbac_view_role *roles;
	size_t n_roles, cap_roles;
	struct orgrbac_view_member *members;
	size_t n_members, cap_members;
};

void orgrbac_view_free(struct orgrbac_view *v);
void orgrbac_view_principal_free(struct orgrbac_view_principal *p);

/*
 * The directory as sync read it. Every DN is normalized: RDNs in LDAPv3
 * string form, lower-cased, joined by ','; so a DN is beneath another when
 * it ends with ',' and the other's string at an RDN boundary.
 */
struct orgrbac_img_user {
	char *dn;
	char *uid;
	struct orgrbac_view_posix posix; /* the entry's posixAccount attributes, when usable */
};

struct orgrbac_img_group {
	char *dn;
	char **members; /* normalized DNs of users or groups */
	size_t n_members;
};

struct orgrbac_img_role {
	char *dn;
	char *cn;
	char **privileges;
	size_t n_privileges;
	bool has_gid;
	long long gid;	  /* as read; range-checked by the view */
	char *group_name; /* orgGroupName, or NULL */
};

struct orgrbac_img_grant {
	char *dn;
	char unreadable[ORGRBAC_UNREADABLE_MAX]; /* non-empty: void, and why */
	char *role_dn;				 /* NULL: none or several */
	char **grantees;
	size_t n_grantees;
	char **scopes;
	size_t n_scopes;
	struct orgrbac_window window;
	/* Who made and last changed it, when (operational attributes); NULL when unread. */
	char *creator, *created, *modifier, *modified;
};

struct orgrbac_img_external {
	char *dn;
	struct orgrbac_external access; /* kind, mode, window, role management, unreadable */
};

struct orgrbac_image {
	char *base; /* normalized base DN */
	struct orgrbac_img_user *users;
	size_t n_users, cap_users;
	struct orgrbac_img_group *groups;
	size_t n_groups, cap_groups;
	struct orgrbac_img_role *roles;
	size_t n_roles, cap_roles;
	struct orgrbac_img_grant *grants;
	size_t n_grants, cap_grants;
	struct orgrbac_img_external *externals;
	size_t n_externals, cap_externals;
};

void orgrbac_image_free(struct orgrbac_image *img);

struct orgrbac_view_params {
	struct orgrbac_host host;
	const char *cross_org_privilege; /* NULL or "": nobody crosses */
	const char *group_prefix;
	long gid_min;
	const struct orgrbac_local_group *local;
	size_t n_local;
	/* Called once per entry left out, with the reason; may be NULL. */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;
	/*
	 * Called too for each entry left out, with its kind ("role", "user" or
	 * "entry"), name (a role's cn, a login name, a user entry's DN) and the
	 * reason, each on one printable line; may be NULL.
	 */
	void (*left_out)(void *ctx, const char *kind, const char *name, const char *why);
	void *left_out_ctx;
};

/*
 * Tell the caller that an entry is left out, and why (fmt and what follows):
 * a warning on one printable line ("role 'NAME' left out: WHY", "user NAME
 * left out: WHY", "user entry DN left out: WHY") and the left_out callback.
 * `kind` is "role", "user" or "entry".
 */
void orgrbac_view_leave_out(const struct orgrbac_view_params *p, const char *kind, const char *name,
			    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Compute the host's view: every role with a usable gidNumber becomes a
 * group (minus those below gid_min, clashing with a local group or with each
 * other), and a user is a member while a grant of its home organization gives
 * it the role directly or through (nested) groups of that organization,
 * under the rules of orgrbac_decide: on the host's organization, grants whose
 * scope covers the host; from another organization, only organization-wide
 * home grants, and only while the user also holds cross_org_privilege there.
 * Each membership keeps its window; external users keep their access window
 * and are left out while their access is disabled. Pure. 0, or -1 with err.
 */
int orgrbac_view_compute(const struct orgrbac_image *img, const struct orgrbac_view_params *p,
			 struct orgrbac_view *out, orgrbac_error *err);

#endif
