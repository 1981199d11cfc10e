/* SPDX-License-Identifier: BSD-2-Clause */
/* `orgrbac who`: every principal who meets an expression on a host, decided by the policy engine.
 */
#ifndef ORGRBAC_WHO_H
#define ORGRBAC_WHO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "directory.h"
#include "hostview.h"
#include "policy.h"

/*
 * The facts of the principal `uid` as the live decision reads them, from the
 * whole directory: its login entry (of several, the host organization's),
 * its organization, its groups there (ORGRBAC_MAX_GROUP_DEPTH levels,
 * ORGRBAC_MAX_GROUPS in all), the grants of that organization and the
 * platform grants naming it or its groups, the roles they may use, and the
 * external-access entries above it, nearest first. 0 with *out (free with
 * orgrbac_facts_free), 1 when no entry is its login here (err says why), -1
 * out of memory.
 */
int orgrbac_image_facts(const struct orgrbac_image *img, const char *host_org, const char *uid,
			struct orgrbac_facts **out, orgrbac_error *err);

/*
 * An index of the image for orgrbac_image_facts_ix: the groups naming a
 * value, the grants naming one, the entries of a uid, roles and
 * external-access entries by DN; it points into the image, which must
 * outlive it. NULL out of memory.
 */
struct orgrbac_img_index;
struct orgrbac_img_index *orgrbac_img_index_new(const struct orgrbac_image *img);
void orgrbac_img_index_free(struct orgrbac_img_index *x);

/*
 * orgrbac_image_facts through the index `x` of `img` (NULL: by scanning),
 * with the same result; the index turns the scans of every group, grant
 * and user for each principal into lookups, so that the facts of every
 * principal cost about the image's size, not its square.
 */
int orgrbac_image_facts_ix(const struct orgrbac_image *img, const struct orgrbac_img_index *x,
			   const char *host_org, const char *uid, struct orgrbac_facts **out,
			   orgrbac_error *err);

/*
 * orgrbac_image_facts_ix with the facts' strings and arrays in `arena`
 * (they take a reference to it), shared by many principals' facts that go
 * together: no block of its own for each. NULL: one of their own.
 */
int orgrbac_image_facts_in(const struct orgrbac_image *img, const struct orgrbac_img_index *x,
			   struct orgrbac_arena *arena, const char *host_org, const char *uid,
			   struct orgrbac_facts **out, orgrbac_error *err);

/* The first user entry of `img` with this DN and uid and posixAccount attributes, or -1. */
long orgrbac_img_index_posix(const struct orgrbac_image *img, const struct orgrbac_img_index *x,
			     const char *dn, const char *uid);

/* One principal who meets the expression, and the decision that says how. */
struct orgrbac_who_entry {
	struct orgrbac_facts *facts;
	struct orgrbac_decision decision; /* points into facts */
};

struct orgrbac_who_result {
	struct orgrbac_who_entry *e; /* sorted by login name */
	size_t n, cap;
	size_t judged; /* principals decided */
};

/*
 * Every principal of the image (all organizations: another's may cross by a
 * platform grant) that orgrbac_decide allows on `host` at `now` under
 * `policy`. 0, or -1 with err (out of memory).
 */
int orgrbac_who(const struct orgrbac_image *img, const struct orgrbac_host *host,
		const struct orgrbac_policy *policy, int64_t now, struct orgrbac_who_result *out,
		orgrbac_error *err);
void orgrbac_who_free(struct orgrbac_who_result *r);

/*
 * The whole directory (orgrbac_directory_image) from the first server of
 * cfg's [ldap] that answers; FOUND, or UNAVAIL / ERROR with err.
 */
enum orgrbac_dir_status orgrbac_read_image(const struct orgrbac_config *cfg, bool trust_any_owner,
					   struct orgrbac_image *img, orgrbac_error *err);

/*
 * How `user_dn` reaches the group `group_dn` of its organization: the
 * groups from the one naming the user to group_dn, joined by " > ", along
 * a shortest chain of member values (as deep as ORGRBAC_MAX_GROUP_DEPTH).
 * "" when group_dn is the user; NULL when out of memory or not reached.
 */
char *orgrbac_img_group_chain(const struct orgrbac_image *img, const char *user_dn,
			      const char *group_dn);

/* Is normalized `child` strictly beneath normalized `parent`? */
bool orgrbac_img_below(const char *child, const char *parent);

/* The value of a normalized DN's first RDN ("cn=x,o=..." -> "x"), or NULL when out of memory. */
char *orgrbac_img_rdn_value(const char *dn);

/* The organization DN ("o=NAME,<base>") a normalized DN lies in, a suffix of dn; or NULL. */
const char *orgrbac_img_org_dn(const char *dn, const char *base);

#endif
