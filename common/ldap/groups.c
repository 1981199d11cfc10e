/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The groups one principal belongs to, transitively, within its organization:
 * from the groups' member values, level by level, whatever the server's
 * memberOf (absent, stale, computed by an overlay or by dynlist). sync reads
 * the same member values and bounds the closure the same way (hostview).
 */
#include <stdlib.h>
#include <string.h>

#include "entry.h"
#include "filter.h"
#include "principal.h"

/* Append a string to a NULL-terminated array that has room for `cap` entries. */
static int strv_push(char ***v, size_t *n, size_t *cap, char *s)
{
	char **nv = orgrbac_grow(*v, cap, *n + 2, sizeof(**v));

	if (nv == NULL)
		return -1;
	*v = nv;
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
	return 0;
}

bool orgrbac_load_is_group(const struct orgrbac_load *s, const char *norm)
{
	for (size_t i = 0; i < s->f->n_groups; i++)
		if (strcmp(s->group_norm[i], norm) == 0)
			return true;
	return false;
}

/* Record a group of the home organization once; 1 if new, 0 if not, -1 on error. */
static int add_group(struct orgrbac_load *s, const char *dn)
{
	struct orgrbac_dn d;
	char *copy, *norm;
	size_t n = s->f->n_groups;

	if (orgrbac_dn_parse(dn, &d) != 0)
		return 0;
	/* Groups of other organizations give nothing here: on every path alike. */
	if (!orgrbac_dn_below(&d, &s->org) || orgrbac_load_is_group(s, d.str)) {
		orgrbac_dn_free(&d);
		return 0;
	}
	orgrbac_dn_free(&d);
	if (n >= ORGRBAC_MAX_GROUPS)
		return orgrbac_load_fail(s, -1,
					 "%s belongs to more than %d groups (orgrbac's limit)",
					 s->f->user, ORGRBAC_MAX_GROUPS);
	copy = strdup(dn);
	norm = orgrbac_dn_parse(dn, &d) == 0 ? strdup(d.str) : NULL;
	orgrbac_dn_free(&d);
	/* group_norm may end one longer than groups on failure; both stay freeable. */
	if (copy == NULL || norm == NULL ||
	    strv_push(&s->group_norm, &n, &s->cap_norm, norm) != 0) {
		free(copy);
		free(norm);
		return orgrbac_load_fail(s, -1, "out of memory");
	}
	n = s->f->n_groups;
	if (strv_push(&s->f->groups, &n, &s->cap_groups, copy) != 0) {
		free(copy);
		return orgrbac_load_fail(s, -1, "out of memory");
	}
	s->f->n_groups = n;
	return 1;
}

/* A group whose member is in the frontier. */
static enum orgrbac_dir_status add_member_of(struct orgrbac_load *s, LDAPMessage *e, void *ctx)
{
	char *dn = ldap_get_dn(s->ld, e);
	int added = dn != NULL ? add_group(s, dn) : 0;

	ldap_memfree(dn);
	return added < 0 ? ORGRBAC_DIR_ERROR : ORGRBAC_DIR_FOUND;
}

/*
 * Search level by level for the groups whose member is in the frontier: the
 * user, then the groups found at the level before, ORGRBAC_FILTER_BATCH
 * values to a search (indexed `member eq`). The round trips grow with the
 * nesting depth and the user's groups, never with the organization's size.
 * Cycles end because a group is visited once; depth is bounded.
 */
enum orgrbac_dir_status orgrbac_load_groups(struct orgrbac_load *s)
{
	static char *attrs[] = {"1.1", NULL};
	/* one more than the groups a user may have: a search that finds more says so */
	const struct orgrbac_any_query q = {.base = s->org_dn,
					    .cls = "groupOfNames",
					    .attr = "member",
					    .attrs = attrs,
					    .limit = ORGRBAC_MAX_GROUPS + 1,
					    .what = "group"};
	size_t prev_start = 0, prev_end = 0;

	for (int depth = 0; depth < ORGRBAC_MAX_GROUP_DEPTH; depth++) {
		size_t count = depth == 0 ? 1 : prev_end - prev_start;
		size_t next_start = s->f->n_groups;
		/* a copy of the frontier: add_group may move s->f->groups, never the strings */
		char **level = count > 0 ? calloc(count, sizeof(*level)) : NULL;
		enum orgrbac_dir_status rc;

		if (count == 0)
			break;
		if (level == NULL)
			return orgrbac_load_fail(s, ORGRBAC_DIR_ERROR, "out of memory");
		memcpy(level, depth == 0 ? &s->f->dn : s->f->groups + prev_start,
		       count * sizeof(*level));
		rc = orgrbac_load_search_any(s, &q, level, count, add_member_of, NULL);
		free(level);
		if (rc != ORGRBAC_DIR_FOUND && s->over_limit)
			return orgrbac_load_fail(
			    s, rc, "%s belongs to more than %d groups (orgrbac's limit)",
			    s->f->user, ORGRBAC_MAX_GROUPS);
		if (rc != ORGRBAC_DIR_FOUND)
			return rc;
		prev_start = next_start;
		prev_end = s->f->n_groups;
	}
	return ORGRBAC_DIR_FOUND;
}
