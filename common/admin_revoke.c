/* SPDX-License-Identifier: BSD-2-Clause */
/* `orgrbac revoke`: a grant by name, or grantees taken off a role's grants; one write per entry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin_grant.h"
#include "admin_ldif.h"
#include "dn.h"

/* What to do to one grant. */
struct step {
	const struct orgrbac_grant_info *g;
	char *drop[ORGRBAC_GRANT_MAX_GRANTEES + 1]; /* grantees to remove; none: the whole grant */
	size_t n_drop;
};

static int note(struct orgrbac_grant_result *r, const char *what, const char *dn)
{
	char **v = realloc(r->changed, (r->n_changed + 2) * sizeof(*v));
	size_t len = strlen(what) + strlen(dn) + 2;

	if (v == NULL)
		return -1;
	r->changed = v;
	v[r->n_changed] = malloc(len);
	if (v[r->n_changed] == NULL)
		return -1;
	snprintf(v[r->n_changed++], len, "%s %s", what, dn);
	v[r->n_changed] = NULL;
	return 0;
}

/* One step as one operation (or its LDIF appended); `at` set: end the grant then. */
static enum orgrbac_admin_status apply(const struct orgrbac_admin *a, const struct step *s,
				       const char *at, bool dry_run, FILE *ldif,
				       struct orgrbac_grant_result *r)
{
	struct orgrbac_change ch;
	enum orgrbac_admin_status st = ORGRBAC_ADMIN_DONE;
	char *text;
	const char *what;

	if (orgrbac_change_open(&ch) != 0) {
		orgrbac_seterr(&r->err, "out of memory");
		return ORGRBAC_ADMIN_ERROR;
	}
	if (s->n_drop > 0) {
		orgrbac_change_begin(&ch, s->g->dn, ORGRBAC_CHANGE_MODIFY);
		orgrbac_change_mod(&ch, LDAP_MOD_DELETE, "orgGrantee", (char **)s->drop, NULL);
		what = "removed grantees from";
	} else if (at != NULL) {
		orgrbac_change_begin(&ch, s->g->dn, ORGRBAC_CHANGE_MODIFY);
		orgrbac_change_mod(&ch, LDAP_MOD_REPLACE, "orgNotAfter", NULL, at);
		what = "ended";
	} else {
		orgrbac_change_begin(&ch, s->g->dn, ORGRBAC_CHANGE_DELETE);
		what = "deleted";
	}
	if (!dry_run)
		st = orgrbac_change_send(a, &ch, s->g->dn, &r->err);
	text = orgrbac_change_close(&ch, &st, &r->err);
	if (text != NULL)
		fprintf(ldif, "%s%s", ftell(ldif) > 0 ? "\n" : "", text);
	free(text);
	if (st == ORGRBAC_ADMIN_DONE && note(r, what, s->g->dn) != 0) {
		orgrbac_seterr(&r->err, "out of memory");
		st = ORGRBAC_ADMIN_ERROR;
	}
	return st;
}

/* The grant NAME of the place. */
static enum orgrbac_admin_status by_name(const struct orgrbac_admin *a, const char *name,
					 struct orgrbac_grant_info **g, size_t *n,
					 orgrbac_error *err)
{
	const char *why;
	char *filter;
	enum orgrbac_admin_status st;

	if (!orgrbac_admin_name_valid(name, &why)) {
		orgrbac_seterr(err, "grant name refused: %s", why);
		return ORGRBAC_ADMIN_REFUSED;
	}
	filter = orgrbac_admin_filter_eq("orgRoleGrant", "cn", name);
	if (filter == NULL) {
		orgrbac_seterr(err, "out of memory");
		return ORGRBAC_ADMIN_ERROR;
	}
	st = orgrbac_grant_find(a, filter, g, n, err);
	free(filter);
	if (st == ORGRBAC_ADMIN_DONE && *n == 0) {
		orgrbac_seterr(err, "no grant named '%.200s' here: `orgrbac grants` lists them",
			       name);
		st = ORGRBAC_ADMIN_REFUSED;
	} else if (st == ORGRBAC_ADMIN_DONE && *n > 1) {
		orgrbac_seterr(err, "%zu grants named '%.200s': revoke by their role and grantees",
			       *n, name);
		st = ORGRBAC_ADMIN_REFUSED;
	}
	return st;
}

/* The steps for ROLE and grantees: each grant of the role naming one of them. */
static enum orgrbac_admin_status plan(const struct orgrbac_grant_info *g, size_t n, char **dns,
				      size_t n_dns, bool at, struct step *steps, size_t *n_steps,
				      orgrbac_error *err)
{
	*n_steps = 0;
	for (size_t i = 0; i < n; i++) {
		struct step *s = &steps[*n_steps];
		size_t hit = 0;

		memset(s, 0, sizeof(*s));
		s->g = &g[i];
		for (size_t j = 0; j < g[i].v.n_grantees; j++) {
			bool named = false;

			for (size_t k = 0; k < n_dns && !named; k++)
				named = orgrbac_dn_same(g[i].v.grantees[j], dns[k]);
			if (named && hit < ORGRBAC_GRANT_MAX_GRANTEES)
				s->drop[hit++] = g[i].v.grantees[j];
		}
		if (hit == 0)
			continue;
		if (hit < g[i].v.n_grantees) {
			if (at) {
				orgrbac_seterr(
				    err,
				    "grant %.300s names other grantees too: --at would "
				    "end it for them; revoke without --at, or by its name",
				    g[i].dn);
				return ORGRBAC_ADMIN_REFUSED;
			}
			s->n_drop = hit;
		}
		(*n_steps)++;
	}
	if (*n_steps == 0) {
		orgrbac_seterr(err, "no grant of that role names those grantees");
		return ORGRBAC_ADMIN_REFUSED;
	}
	return ORGRBAC_ADMIN_DONE;
}

/* The grants the request names, and what to do to each. */
static enum orgrbac_admin_status steps_of(const struct orgrbac_admin *a,
					  const struct orgrbac_revoke_request *q,
					  struct orgrbac_grant_info **g, size_t *n,
					  struct step **steps, size_t *n_steps, orgrbac_error *err)
{
	char *role_dn = NULL, *dns[ORGRBAC_GRANT_MAX_GRANTEES] = {0}, *filter = NULL;
	enum orgrbac_admin_status st;
	size_t i;

	if (q->role == NULL) {
		st = by_name(a, q->name, g, n, err);
		if (st == ORGRBAC_ADMIN_DONE && (*steps = calloc(1, sizeof(**steps))) == NULL) {
			orgrbac_seterr(err, "out of memory");
			st = ORGRBAC_ADMIN_ERROR;
		}
		if (st == ORGRBAC_ADMIN_DONE) {
			(*steps)[0].g = *g;
			*n_steps = 1;
		}
		return st;
	}
	if (q->n_grantees == 0 || q->n_grantees > ORGRBAC_GRANT_MAX_GRANTEES) {
		orgrbac_seterr(err, "give 1 to %d grantees", ORGRBAC_GRANT_MAX_GRANTEES);
		return ORGRBAC_ADMIN_REFUSED;
	}
	st = orgrbac_grant_role_dn(a, q->role, &role_dn, err);
	for (i = 0; st == ORGRBAC_ADMIN_DONE && i < q->n_grantees; i++)
		st = orgrbac_grant_grantee_dn(a, &q->grantees[i], &dns[i], err);
	if (st == ORGRBAC_ADMIN_DONE) {
		filter = orgrbac_admin_filter_eq("orgRoleGrant", "orgGrantedRole", role_dn);
		st =
		    filter != NULL ? orgrbac_grant_find(a, filter, g, n, err) : ORGRBAC_ADMIN_ERROR;
	}
	if (st == ORGRBAC_ADMIN_DONE && (*steps = calloc(*n + 1, sizeof(**steps))) == NULL) {
		orgrbac_seterr(err, "out of memory");
		st = ORGRBAC_ADMIN_ERROR;
	}
	if (st == ORGRBAC_ADMIN_DONE)
		st = plan(*g, *n, dns, q->n_grantees, q->at != NULL, *steps, n_steps, err);
	free(role_dn);
	free(filter);
	for (i = 0; i < q->n_grantees && i < ORGRBAC_GRANT_MAX_GRANTEES; i++)
		free(dns[i]);
	return st;
}

/* --at as GeneralizedTime into `at` (17 bytes). */
static bool at_time(const struct orgrbac_revoke_request *q, char *at, orgrbac_error *err)
{
	struct tm tm;
	time_t tt;
	int64_t t;

	if (orgrbac_admin_time_parse(q->at, q->now, &t) != 0) {
		orgrbac_seterr(err,
			       "--at '%.64s' is not a time (2026-12-24T18:00:00Z, "
			       "2026-12-24, +2h, +7d)",
			       q->at);
		return false;
	}
	tt = (time_t)t;
	if (gmtime_r(&tt, &tm) == NULL || strftime(at, 17, "%Y%m%d%H%M%SZ", &tm) == 0) {
		orgrbac_seterr(err, "--at '%.64s' is out of range", q->at);
		return false;
	}
	return true;
}

enum orgrbac_admin_status orgrbac_grant_revoke(const struct orgrbac_admin *a,
					       const struct orgrbac_revoke_request *q,
					       struct orgrbac_grant_result *r)
{
	struct orgrbac_grant_info *g = NULL;
	struct step *steps = NULL;
	char at[17] = "";
	size_t n = 0, n_steps = 0, len = 0;
	enum orgrbac_admin_status st;
	FILE *ldif;

	memset(r, 0, sizeof(*r));
	if (q->at != NULL && !at_time(q, at, &r->err))
		return ORGRBAC_ADMIN_REFUSED;
	ldif = open_memstream(&r->ldif, &len);
	if (ldif == NULL) {
		orgrbac_seterr(&r->err, "out of memory");
		return ORGRBAC_ADMIN_ERROR;
	}
	/* every grant checked before the first write */
	st = steps_of(a, q, &g, &n, &steps, &n_steps, &r->err);
	for (size_t i = 0; st == ORGRBAC_ADMIN_DONE && i < n_steps; i++)
		st = apply(a, &steps[i], q->at != NULL ? at : NULL, q->dry_run, ldif, r);
	if (fclose(ldif) != 0 && st == ORGRBAC_ADMIN_DONE) {
		orgrbac_seterr(&r->err, "out of memory");
		st = ORGRBAC_ADMIN_ERROR;
	}
	free(steps);
	orgrbac_grant_list_free(g, n);
	return st;
}
