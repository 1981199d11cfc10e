/* SPDX-License-Identifier: BSD-2-Clause */
/* `orgrbac review`: the access review of a host, from the whole directory. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expr.h"
#include "review.h"
#include "who.h"

int orgrbac_duration_parse(const char *s, int64_t *out)
{
	int64_t v = 0, unit;
	const char *p = s;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++)
		v = orgrbac_sat_add(orgrbac_sat_mul(v, 10), *p - '0');
	switch (*p) {
	case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	case 'w': unit = 7 * 86400; break;
	default: return -1;
	}
	if (p[1] != '\0')
		return -1;
	*out = orgrbac_sat_mul(v, unit);
	return 0;
}

bool orgrbac_external_window(const struct orgrbac_facts *f, int64_t *from, int64_t *until,
			     bool *full)
{
	*from = ORGRBAC_TIME_MIN;
	*until = ORGRBAC_TIME_MAX;
	*full = f->n_external > 0;
	for (size_t i = 0; i < f->n_external; i++) {
		const struct orgrbac_external *x = &f->external[i];

		if (x->unreadable[0] != '\0' ||
		    (x->kind != ORGRBAC_EXT_VENDOR && x->kind != ORGRBAC_EXT_PARTNER))
			return false;
		if (x->mode == ORGRBAC_MODE_WINDOW) {
			if (x->window.malformed || !x->window.has_not_before ||
			    !x->window.has_not_after)
				return false;
			if (x->window.not_before > *from)
				*from = x->window.not_before;
			if (x->window.not_after < *until)
				*until = x->window.not_after;
		} else if (x->mode != ORGRBAC_MODE_CONTINUOUS) {
			return false;
		}
		if (x->role_management)
			*full = false;
	}
	return *from < *until;
}

/* The image's grants by DN, for the rows to name who made and changed each one. */
struct grant_index {
	const struct orgrbac_img_grant **by_dn;
	size_t n;
};

static int cmp_grant_dn(const void *a, const void *b)
{
	return strcmp((*(const struct orgrbac_img_grant *const *)a)->dn,
		      (*(const struct orgrbac_img_grant *const *)b)->dn);
}

static const struct orgrbac_img_grant *grant_entry(const struct grant_index *x, const char *dn)
{
	struct orgrbac_img_grant key = {.dn = (char *)dn};
	const struct orgrbac_img_grant *k = &key, **hit;

	if (dn == NULL || x->n == 0)
		return NULL;
	hit = bsearch(&k, x->by_dn, x->n, sizeof(*x->by_dn), cmp_grant_dn);
	return hit != NULL ? *hit : NULL;
}

static int add_row(struct orgrbac_review_entry *e, const struct grant_index *x,
		   const struct orgrbac_grant *g, int64_t from, int64_t until, int64_t now,
		   int64_t horizon)
{
	struct orgrbac_review_row *r;

	if (from >= until || until <= now)
		return 0;
	r = reallocarray(e->rows, e->n_rows + 1, sizeof(*r));
	if (r == NULL)
		return -1;
	e->rows = r;
	e->rows[e->n_rows++] =
	    (struct orgrbac_review_row){.grant = g,
					.entry = g != NULL ? grant_entry(x, g->dn) : NULL,
					.from = from,
					.until = until,
					.ends_soon = horizon > 0 && until != ORGRBAC_TIME_MAX &&
						     until <= orgrbac_sat_add(now, horizon)};
	return 0;
}

/* May this principal of another organization cross into the host now? */
static bool may_cross(const struct orgrbac_facts *f, const struct orgrbac_host *host,
		      const char *cross, int64_t now)
{
	struct orgrbac_expr *none = NULL;
	struct orgrbac_policy policy = {.cross_org_privilege = cross};
	struct orgrbac_decision d;
	orgrbac_error err;

	if (orgrbac_expr_parse("none", &none, &err) != 0)
		return false;
	policy.require = none;
	orgrbac_decide(f, host, &policy, now, &d);
	orgrbac_expr_free(none);
	return d.verdict == ORGRBAC_ALLOW && d.cross_org;
}

/* The rows of one principal; -1 out of memory. */
static int review_one(struct orgrbac_review_entry *e, const struct grant_index *x,
		      const struct orgrbac_host *host, const char *cross, int64_t now,
		      int64_t horizon)
{
	const struct orgrbac_facts *f = e->facts;
	bool home = strcasecmp(f->org, host->org) == 0, full;
	int64_t xf, xu;

	if (!orgrbac_external_window(f, &xf, &xu, &full))
		return 0;
	if (!home && !may_cross(f, host, cross, now))
		return 0;
	if (full && home)
		return add_row(e, x, NULL, xf, xu, now, horizon);
	for (size_t i = 0; i < f->n_grants; i++) {
		const struct orgrbac_grant *g = &f->grants[i];
		int64_t from = g->window.has_not_before ? g->window.not_before : ORGRBAC_TIME_MIN;
		int64_t until = g->window.has_not_after ? g->window.not_after : ORGRBAC_TIME_MAX;

		if (orgrbac_grant_void_reason(g) != NULL || g->role == NULL ||
		    g->window.malformed || !orgrbac_grant_covers(g, host) ||
		    (!home && !g->platform))
			continue;
		if (xf > from)
			from = xf;
		if (xu < until)
			until = xu;
		if (add_row(e, x, g, from, until, now, horizon) != 0)
			return -1;
	}
	return 0;
}

static int cmp_uid(const void *a, const void *b, void *ctx)
{
	const struct orgrbac_image *img = ctx;

	return strcmp(img->users[*(const size_t *)a].uid, img->users[*(const size_t *)b].uid);
}

int orgrbac_review_run(const struct orgrbac_image *img, const struct orgrbac_host *host,
		       const char *cross_org_privilege, int64_t now, int64_t horizon,
		       struct orgrbac_review *out, orgrbac_error *err)
{
	size_t *order = calloc(img->n_users + 1, sizeof(*order));
	struct grant_index x = {calloc(img->n_grants + 1, sizeof(*x.by_dn)), img->n_grants};
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (order == NULL || x.by_dn == NULL || host->org == NULL) {
		free(order);
		free(x.by_dn);
		orgrbac_seterr(err, host->org == NULL ? "no host organization" : "out of memory");
		return -1;
	}
	for (size_t i = 0; i < img->n_users; i++)
		order[i] = i;
	qsort_r(order, img->n_users, sizeof(*order), cmp_uid, (void *)img);
	for (size_t i = 0; i < img->n_grants; i++)
		x.by_dn[i] = &img->grants[i];
	qsort(x.by_dn, x.n, sizeof(*x.by_dn), cmp_grant_dn);
	for (size_t i = 0; i < img->n_users; i++) {
		const char *uid = img->users[order[i]].uid, *why;
		struct orgrbac_review_entry *e;
		struct orgrbac_facts *f = NULL;
		int frc;

		if ((i > 0 && strcmp(uid, img->users[order[i - 1]].uid) == 0) ||
		    !orgrbac_username_valid(uid, &why))
			continue;
		frc = orgrbac_image_facts(img, host->org, uid, &f, err);
		if (frc < 0)
			goto out;
		if (frc > 0)
			continue;
		e = orgrbac_grow(out->e, &out->cap, out->n + 1, sizeof(*e));
		if (e == NULL) {
			orgrbac_facts_free(f);
			orgrbac_seterr(err, "out of memory");
			goto out;
		}
		out->e = e;
		e = &out->e[out->n++];
		memset(e, 0, sizeof(*e));
		e->facts = f;
		if (review_one(e, &x, host, cross_org_privilege, now, horizon) != 0) {
			orgrbac_seterr(err, "out of memory");
			goto out;
		}
		if (e->n_rows == 0) {
			orgrbac_facts_free(f);
			out->n--;
		}
	}
	rc = 0;
out:
	free(order);
	free(x.by_dn);
	if (rc != 0)
		orgrbac_review_free(out);
	return rc;
}

void orgrbac_review_free(struct orgrbac_review *r)
{
	for (size_t i = 0; r->e != NULL && i < r->n; i++) {
		orgrbac_facts_free(r->e[i].facts);
		free(r->e[i].rows);
	}
	free(r->e);
	memset(r, 0, sizeof(*r));
}
