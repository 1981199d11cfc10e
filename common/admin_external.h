/* SPDX-License-Identifier: BSD-2-Clause */
/* `orgrbac external`: an organization's external-access entries, read and changed. */
#ifndef ORGRBAC_ADMIN_EXTERNAL_H
#define ORGRBAC_ADMIN_EXTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "admin.h"
#include "policy.h"

#define ORGRBAC_EXTERNAL_MAX	     10000 /* external entries, or entries beneath one, read at once */
#define ORGRBAC_EXTERNAL_DOMAINS_MAX 64	   /* --domain values of one add */
#define ORGRBAC_EXTERNAL_TIME_MAX    32 /* bytes of a GeneralizedTime the tool writes, with NUL */

/* One external-access entry as the directory holds it, and what the gate makes of it. */
struct orgrbac_external_info {
	char *dn, *name;
	struct orgrbac_external access; /* read by the gate's own reader (entry.c) */
	char **domains;			/* orgDomain, every value */
	size_t n_domains;
	char *description; /* NULL: none */
	bool managed;	   /* orgManaged: TRUE */
	char **users;	   /* show: the uid of every user beneath it, sorted */
	size_t n_users;
	size_t n_beneath; /* show: every entry beneath it (users, their groups, nested entries) */
	struct orgrbac_admin_stamps stamps; /* who made and changed it, and when */
	bool open;			    /* the gate lets its users in at `now` */
	char why[512];			    /* the gate's words: why open or closed */
};
void orgrbac_external_info_free(struct orgrbac_external_info *x);
void orgrbac_external_list_free(struct orgrbac_external_info *x, size_t n);

/*
 * Every external-access entry of the organization (a->org; the platform has
 * none), sorted by name, each judged by the gate at `now`.
 */
enum orgrbac_admin_status orgrbac_external_list(const struct orgrbac_admin *a, int64_t now,
						struct orgrbac_external_info **out, size_t *n,
						orgrbac_error *err);

/* The entry NAME with the users beneath it: REFUSED when there is none. */
enum orgrbac_admin_status orgrbac_external_show(const struct orgrbac_admin *a, const char *name,
						int64_t now, struct orgrbac_external_info *out,
						orgrbac_error *err);

/*
 * Would the gate let a user directly beneath this entry in at `now`? The
 * answer of orgrbac_decide itself for such a user needing no privilege, so
 * `show` and the PAM module never disagree; `why` gets its reason.
 */
bool orgrbac_external_open(const struct orgrbac_external *x, const char *org, int64_t now,
			   char *why, size_t len);

enum orgrbac_external_op { ORGRBAC_EXTERNAL_ADD, ORGRBAC_EXTERNAL_SET, ORGRBAC_EXTERNAL_DELETE };

/* What `external add`, `set` or `delete` asks; NULL: not given. */
struct orgrbac_external_change {
	enum orgrbac_external_op op;
	const char *name;
	const char *kind, *mode;     /* vendor|partner; continuous|window|disabled */
	const char *from, *until;    /* ISO 8601, or +DURATION from `now` */
	const char *role_management; /* on|off */
	char **domains;		     /* add only */
	size_t n_domains;
	const char *description; /* add only */
	int64_t now;
	bool dry_run;
};

/* The values a valid change writes; empty strings: left as they are. */
struct orgrbac_external_plan {
	const char *kind, *mode; /* the directory's spelling */
	char not_before[ORGRBAC_EXTERNAL_TIME_MAX], not_after[ORGRBAC_EXTERNAL_TIME_MAX];
	const char *role_management; /* "TRUE", "FALSE" or NULL */
};

/*
 * Pure validation of a change against the entry as it is (`cur`, NULL for
 * add): kind and mode known; a window with an end after its start and after
 * `now` (--until alone starts it now; a window without an end is closed to
 * the gate, so it is refused); --from/--until only where the mode is window;
 * role management on or off; domains; orgManaged entries refused; vendors
 * never deleted. DONE with `p` filled, or REFUSED with err naming the fix.
 */
enum orgrbac_admin_status orgrbac_external_plan(const struct orgrbac_external_change *c,
						const struct orgrbac_external_info *cur,
						struct orgrbac_external_plan *p,
						orgrbac_error *err);

/* What a change did, or would do. */
struct orgrbac_external_result {
	char *dn;     /* the entry */
	char *ldif;   /* the change as LDIF */
	char **users; /* delete refused: what lies beneath the entry (DNs) */
	size_t n_users;
	size_t n_beneath;  /* delete refused: how many entries lie beneath it */
	orgrbac_error err; /* refused or failed: why */
};
void orgrbac_external_result_free(struct orgrbac_external_result *r);

/*
 * Validate the change against the directory (the entry there or not, the
 * plan above, nothing beneath an entry to delete), then send it as one
 * operation, or (dry_run) only build its LDIF.
 */
enum orgrbac_admin_status orgrbac_external_change(const struct orgrbac_admin *a,
						  const struct orgrbac_external_change *c,
						  struct orgrbac_external_result *r);

#endif
