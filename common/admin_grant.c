/* SPDX-License-Identifier: BSD-2-Clause */
/* `orgrbac grant` and `orgrbac revoke`: validated, the grant found by content, one write per entry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin_grant.h"
#include "admin_ldif.h"
#include "dn.h"
#include "review.h"
#include "write.h"

#define GTIME_LEN 16 /* YYYYMMDDHHMMSSZ */

void orgrbac_grant_result_free(struct orgrbac_grant_result *r)
{
	free(r->grant.dn);
	free(r->grant.name);
	free(r->grant.description);
	orgrbac_grant_values_free(&r->grant.v);
	orgrbac_admin_stamps_free(&r->grant.stamps);
	free(r->ldif);
	for (size_t i = 0; r->changed != NULL && i < r->n_changed; i++)
		free(r->changed[i]);
	free(r->changed);
	memset(r, 0, sizeof(*r));
}

static void gtime(int64_t t, char buf[GTIME_LEN + 1])
{
	struct tm tm;
	time_t tt = (time_t)t;

	buf[0] = '\0';
	if (gmtime_r(&tt, &tm) != NULL)
		strftime(buf, GTIME_LEN + 1, "%Y%m%d%H%M%SZ", &tm);
}

/* The window asked: --from, then --until or --for (from --from, or now). */
static enum orgrbac_admin_status window_of(const struct orgrbac_grant_request *q,
					   struct orgrbac_window *w, orgrbac_error *err)
{
	int64_t d;

	memset(w, 0, sizeof(*w));
	if (q->from != NULL) {
		if (orgrbac_admin_time_parse(q->from, q->now, &w->not_before) != 0) {
			orgrbac_seterr(err,
				       "--from '%.64s' is not a time (2026-12-24T18:00:00Z, "
				       "2026-12-24, +2h, +7d)",
				       q->from);
			return ORGRBAC_ADMIN_REFUSED;
		}
		w->has_not_before = true;
	}
	if (q->until != NULL && q->for_ != NULL) {
		orgrbac_seterr(err, "--until and --for exclude each other");
		return ORGRBAC_ADMIN_REFUSED;
	}
	if (q->until != NULL && orgrbac_admin_time_parse(q->until, q->now, &w->not_after) != 0) {
		orgrbac_seterr(err,
			       "--until '%.64s' is not a time (2026-12-24T18:00:00Z, "
			       "2026-12-24, +2h, +7d)",
			       q->until);
		return ORGRBAC_ADMIN_REFUSED;
	}
	if (q->for_ != NULL) {
		if (orgrbac_duration_parse(q->for_, &d) != 0 || d <= 0) {
			orgrbac_seterr(err, "--for '%.64s' is not a duration (30m, 12h, 7d, 2w)",
				       q->for_);
			return ORGRBAC_ADMIN_REFUSED;
		}
		w->not_after = orgrbac_sat_add(w->has_not_before ? w->not_before : q->now, d);
	}
	w->has_not_after = q->until != NULL || q->for_ != NULL;
	if (w->has_not_after && w->has_not_before && w->not_after <= w->not_before) {
		orgrbac_seterr(err,
			       "the window ends before it starts (--until/--for against --from)");
		return ORGRBAC_ADMIN_REFUSED;
	}
	if (w->has_not_after && w->not_after <= q->now) {
		orgrbac_seterr(err, "the window is over already: --until lies in the past");
		return ORGRBAC_ADMIN_REFUSED;
	}
	return ORGRBAC_ADMIN_DONE;
}

static enum orgrbac_admin_status scopes_valid(char **s, size_t n, orgrbac_error *err)
{
	for (size_t i = 0; i < n; i++) {
		if (strlen(s[i]) > ORGRBAC_VALUE_MAX || !orgrbac_scope_valid(s[i])) {
			orgrbac_seterr(err,
				       "scope '%.200s' refused: --service and --resource take a "
				       "name without spaces or control characters",
				       s[i]);
			return ORGRBAC_ADMIN_REFUSED;
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(s[i], s[j]) == 0) {
				orgrbac_seterr(err, "scope '%.200s' given twice", s[i]);
				return ORGRBAC_ADMIN_REFUSED;
			}
		}
	}
	return ORGRBAC_ADMIN_DONE;
}

/* The role and every grantee as DNs; REFUSED naming the first that is not there. */
static enum orgrbac_admin_status resolve(const struct orgrbac_admin *a, const char *role,
					 const struct orgrbac_grantee_arg *g, size_t n,
					 char **role_dn, char **dns, orgrbac_error *err)
{
	enum orgrbac_admin_status st;
	orgrbac_error why;

	if (n == 0 || n > ORGRBAC_GRANT_MAX_GRANTEES) {
		orgrbac_seterr(err, "give 1 to %d grantees (--user U, --group G)",
			       ORGRBAC_GRANT_MAX_GRANTEES);
		return ORGRBAC_ADMIN_REFUSED;
	}
	st = orgrbac_grant_role_dn(a, role, role_dn, err);
	for (size_t i = 0; st == ORGRBAC_ADMIN_DONE && i < n; i++) {
		st = orgrbac_grant_grantee_dn(a, &g[i], &dns[i], &why);
		if (st != ORGRBAC_ADMIN_DONE)
			orgrbac_seterr(err, "%s '%.200s': %s", g[i].group ? "group" : "user",
				       g[i].name, why.msg);
		for (size_t j = 0; st == ORGRBAC_ADMIN_DONE && j < i; j++) {
			if (orgrbac_dn_same(dns[i], dns[j])) {
				orgrbac_seterr(err, "grantee %.300s given twice", dns[i]);
				st = ORGRBAC_ADMIN_REFUSED;
			}
		}
	}
	return st;
}

/* The window's two bounds as modifications of an existing grant, when they change. */
static void window_mods(struct orgrbac_change *ch, const struct orgrbac_window *old,
			const struct orgrbac_window *w, char *nb, char *na)
{
	if (w->has_not_before && (!old->has_not_before || old->not_before != w->not_before))
		orgrbac_change_mod(ch, LDAP_MOD_REPLACE, "orgNotBefore", NULL, nb);
	else if (!w->has_not_before && old->has_not_before)
		orgrbac_change_mod(ch, LDAP_MOD_DELETE, "orgNotBefore", NULL, NULL);
	if (w->has_not_after && (!old->has_not_after || old->not_after != w->not_after))
		orgrbac_change_mod(ch, LDAP_MOD_REPLACE, "orgNotAfter", NULL, na);
	else if (!w->has_not_after && old->has_not_after)
		orgrbac_change_mod(ch, LDAP_MOD_DELETE, "orgNotAfter", NULL, NULL);
}

/* The grant with this role, these grantees and these scopes, if any: its index, or -1. */
static long same_grant(const struct orgrbac_grant_info *g, size_t n, char **dns, size_t n_dns,
		       char **scopes, size_t n_scopes)
{
	for (size_t i = 0; i < n; i++)
		if (g[i].v.why[0] == '\0' &&
		    orgrbac_dn_sets_equal(g[i].v.grantees, g[i].v.n_grantees, dns, n_dns) &&
		    orgrbac_str_sets_equal(g[i].v.scopes, g[i].v.n_scopes, scopes, n_scopes))
			return (long)i;
	return -1;
}

/* The cn of a new grant: --name, or generated; REFUSED when an entry already holds it. */
static enum orgrbac_admin_status new_name(const struct orgrbac_admin *a,
					  const struct orgrbac_grant_request *q,
					  const char *role_dn, char **dns, char *buf, size_t len,
					  orgrbac_error *err)
{
	char *names[ORGRBAC_GRANT_MAX_GRANTEES], *filter;
	struct orgrbac_grant_info *g = NULL;
	size_t n = 0;
	enum orgrbac_admin_status st;

	char first[ORGRBAC_GRANT_CN_MAX + 1];
	const char *eq = strchr(q->grantees[0].name, '=');

	/* a grantee given as a DN is named by its first RDN's value */
	snprintf(first, sizeof(first), "%s", eq != NULL ? eq + 1 : q->grantees[0].name);
	first[strcspn(first, ",+")] = '\0';
	for (size_t i = 0; i < q->n_grantees; i++)
		names[i] = i == 0 ? first : (char *)q->grantees[i].name;
	if (q->name != NULL)
		snprintf(buf, len, "%s", q->name);
	else if (orgrbac_grant_cn(q->role, role_dn, names, dns, q->n_grantees, q->scopes,
				  q->n_scopes, buf, len) != 0) {
		orgrbac_seterr(err, "out of memory");
		return ORGRBAC_ADMIN_ERROR;
	}
	filter = orgrbac_admin_filter_eq("orgRoleGrant", "cn", buf);
	if (filter == NULL) {
		orgrbac_seterr(err, "out of memory");
		return ORGRBAC_ADMIN_ERROR;
	}
	st = orgrbac_grant_find(a, filter, &g, &n, err);
	free(filter);
	if (st == ORGRBAC_ADMIN_DONE && n > 0) {
		orgrbac_seterr(err,
			       "a grant named '%.200s' exists with another role, grantees or "
			       "scope: %.300s; give another --name",
			       buf, g[0].dn);
		st = ORGRBAC_ADMIN_REFUSED;
	}
	orgrbac_grant_list_free(g, n);
	return st;
}

/* The grant as the result shows it: what it will hold. */
static int result_grant(struct orgrbac_grant_result *r, const char *dn, const char *name,
			const char *role_dn, char **dns, size_t n_dns, char **scopes,
			size_t n_scopes, const struct orgrbac_window *w)
{
	struct orgrbac_grant_values *v = &r->grant.v;

	r->grant.dn = orgrbac_strdup(dn);
	r->grant.name = orgrbac_strdup(name);
	v->role_dn = orgrbac_strdup(role_dn);
	v->grantees = calloc(n_dns + 1, sizeof(char *));
	v->scopes = calloc(n_scopes + 1, sizeof(char *));
	v->window = *w;
	if (r->grant.dn == NULL || r->grant.name == NULL || v->role_dn == NULL ||
	    v->grantees == NULL || v->scopes == NULL)
		return -1;
	for (; v->n_grantees < n_dns; v->n_grantees++)
		if ((v->grantees[v->n_grantees] = orgrbac_strdup(dns[v->n_grantees])) == NULL)
			return -1;
	for (; v->n_scopes < n_scopes; v->n_scopes++)
		if ((v->scopes[v->n_scopes] = orgrbac_strdup(scopes[v->n_scopes])) == NULL)
			return -1;
	return 0;
}

/* A new grant entry, every value given. */
static void build_add(struct orgrbac_change *ch, const char *dn, const char *cn,
		      const char *role_dn, char **dns, char **scopes, size_t n_scopes,
		      const struct orgrbac_window *w, char *nb, char *na)
{
	static char *classes[] = {"orgRoleGrant", NULL};

	orgrbac_change_begin(ch, dn, ORGRBAC_CHANGE_ADD);
	orgrbac_change_mod(ch, LDAP_MOD_ADD, "objectClass", classes, NULL);
	orgrbac_change_mod(ch, LDAP_MOD_ADD, "cn", NULL, cn);
	orgrbac_change_mod(ch, LDAP_MOD_ADD, "orgGrantedRole", NULL, role_dn);
	orgrbac_change_mod(ch, LDAP_MOD_ADD, "orgGrantee", dns, NULL);
	if (n_scopes > 0)
		orgrbac_change_mod(ch, LDAP_MOD_ADD, "orgScope", scopes, NULL);
	if (w->has_not_before)
		orgrbac_change_mod(ch, LDAP_MOD_ADD, "orgNotBefore", NULL, nb);
	if (w->has_not_after)
		orgrbac_change_mod(ch, LDAP_MOD_ADD, "orgNotAfter", NULL, na);
}

/* With the role and grantees resolved: the same grant updated or left, or a new one added. */
static enum orgrbac_admin_status make(const struct orgrbac_admin *a,
				      const struct orgrbac_grant_request *q, const char *role_dn,
				      char **dns, const struct orgrbac_window *w,
				      struct orgrbac_change *ch, struct orgrbac_grant_result *r)
{
	struct orgrbac_grant_info *g = NULL;
	char nb[GTIME_LEN + 1], na[GTIME_LEN + 1], cn[ORGRBAC_GRANT_CN_MAX + 1], *dn = NULL;
	char *base = NULL, *parent = NULL;
	char *filter = orgrbac_admin_filter_eq("orgRoleGrant", "orgGrantedRole", role_dn);
	size_t n = 0;
	long i = -1;
	enum orgrbac_admin_status st = ORGRBAC_ADMIN_ERROR;

	gtime(w->not_before, nb);
	gtime(w->not_after, na);
	if (filter != NULL)
		st = orgrbac_grant_find(a, filter, &g, &n, &r->err);
	free(filter);
	if (st == ORGRBAC_ADMIN_DONE)
		i = same_grant(g, n, dns, q->n_grantees, q->scopes, q->n_scopes);
	if (st == ORGRBAC_ADMIN_DONE && i >= 0) {
		orgrbac_change_begin(ch, g[i].dn, ORGRBAC_CHANGE_MODIFY);
		window_mods(ch, &g[i].v.window, w, nb, na);
		r->what = ch->n > 0 ? ORGRBAC_GRANT_UPDATED : ORGRBAC_GRANT_UNCHANGED;
		if (result_grant(r, g[i].dn, g[i].name, role_dn, dns, q->n_grantees, q->scopes,
				 q->n_scopes, w) != 0)
			st = ORGRBAC_ADMIN_ERROR;
		r->grant.stamps = g[i].stamps;
		memset(&g[i].stamps, 0, sizeof(g[i].stamps));
	} else if (st == ORGRBAC_ADMIN_DONE) {
		st = new_name(a, q, role_dn, dns, cn, sizeof(cn), &r->err);
		if (st == ORGRBAC_ADMIN_DONE &&
		    orgrbac_admin_place(a, "grants", &base, &parent) != 0)
			st = ORGRBAC_ADMIN_ERROR;
		if (st == ORGRBAC_ADMIN_DONE && (dn = orgrbac_dn_child("cn", cn, parent)) == NULL)
			st = ORGRBAC_ADMIN_ERROR;
		if (st == ORGRBAC_ADMIN_DONE) {
			r->what = ORGRBAC_GRANT_ADDED;
			build_add(ch, dn, cn, role_dn, dns, q->scopes, q->n_scopes, w, nb, na);
			if (result_grant(r, dn, cn, role_dn, dns, q->n_grantees, q->scopes,
					 q->n_scopes, w) != 0)
				st = ORGRBAC_ADMIN_ERROR;
		}
	}
	if (st == ORGRBAC_ADMIN_ERROR && r->err.msg[0] == '\0')
		orgrbac_seterr(&r->err, "out of memory, or the base is not a DN");
	if (st == ORGRBAC_ADMIN_DONE && !q->dry_run && r->what != ORGRBAC_GRANT_UNCHANGED)
		st = orgrbac_change_send(a, ch, r->grant.dn, &r->err);
	orgrbac_grant_list_free(g, n);
	free(dn);
	free(base);
	free(parent);
	return st;
}

enum orgrbac_admin_status orgrbac_grant_make(const struct orgrbac_admin *a,
					     const struct orgrbac_grant_request *q,
					     struct orgrbac_grant_result *r)
{
	struct orgrbac_window w;
	struct orgrbac_change ch;
	char *role_dn = NULL, *dns[ORGRBAC_GRANT_MAX_GRANTEES + 1] = {0};
	const char *why;
	enum orgrbac_admin_status st;

	memset(r, 0, sizeof(*r));
	if (q->name != NULL && !orgrbac_admin_name_valid(q->name, &why)) {
		orgrbac_seterr(&r->err, "grant name refused: %s", why);
		return ORGRBAC_ADMIN_REFUSED;
	}
	if (q->n_scopes > ORGRBAC_GRANT_MAX_SCOPES) {
		orgrbac_seterr(&r->err, "at most %d scopes", ORGRBAC_GRANT_MAX_SCOPES);
		return ORGRBAC_ADMIN_REFUSED;
	}
	st = scopes_valid(q->scopes, q->n_scopes, &r->err);
	if (st == ORGRBAC_ADMIN_DONE)
		st = window_of(q, &w, &r->err);
	if (st == ORGRBAC_ADMIN_DONE)
		st = resolve(a, q->role, q->grantees, q->n_grantees, &role_dn, dns, &r->err);
	if (st == ORGRBAC_ADMIN_DONE && orgrbac_change_open(&ch) != 0) {
		orgrbac_seterr(&r->err, "out of memory");
		st = ORGRBAC_ADMIN_ERROR;
	} else if (st == ORGRBAC_ADMIN_DONE) {
		st = make(a, q, role_dn, dns, &w, &ch, r);
		r->ldif = orgrbac_change_close(&ch, &st, &r->err);
	}
	free(role_dn);
	for (size_t i = 0; i < q->n_grantees && i < ORGRBAC_GRANT_MAX_GRANTEES; i++)
		free(dns[i]);
	return st;
}
