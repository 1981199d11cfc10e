/* SPDX-License-Identifier: BSD-2-Clause */
/* The snapshot's decision part: every principal the host can see, with its facts, from the image.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "replica.h"
#include "who.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The host identity: org, resource, the services sorted without repeats. */
static int identity(const struct orgrbac_host *host, struct orgrbac_view_identity *id)
{
	size_t k = 0;

	id->org = strdup(host->org != NULL ? host->org : "");
	id->resource = strdup(host->resource != NULL ? host->resource : "");
	id->services = calloc(host->n_services + 1, sizeof(*id->services));
	if (id->org == NULL || id->resource == NULL || id->services == NULL)
		return -1;
	for (size_t i = 0; i < host->n_services; i++) {
		bool dup = false;

		for (size_t j = 0; j < k && !dup; j++)
			dup = strcmp(id->services[j], host->services[i]) == 0;
		if (dup)
			continue;
		if ((id->services[k] = strdup(host->services[i])) == NULL)
			return -1;
		k++;
	}
	if (k > 1)
		qsort(id->services, k, sizeof(*id->services), cmp_str);
	id->n_services = k;
	return 0;
}

static void grant_clear(struct orgrbac_grant *g)
{
	free(g->dn);
	free(g->name);
	free(g->org);
	free(g->role_dn);
	orgrbac_strv_free(g->scopes);
	free(g->via);
}

/*
 * Keep the grants that can count on this host: the host organization's for
 * its own principals, the platform's for all, whose scope covers the host;
 * and the void ones, which explain. Roles stay (grants point into them).
 */
static void keep_grants(struct orgrbac_facts *f, const struct orgrbac_host *host)
{
	bool home = host->org != NULL && f->org != NULL && strcasecmp(host->org, f->org) == 0;
	size_t k = 0;

	for (size_t i = 0; i < f->n_grants; i++) {
		struct orgrbac_grant *g = &f->grants[i];
		bool org_ok =
		    g->platform || (home && g->org != NULL && strcasecmp(g->org, host->org) == 0);
		bool keep = org_ok &&
			    (orgrbac_grant_void_reason(g) != NULL || orgrbac_grant_covers(g, host));

		if (!keep) {
			grant_clear(g);
			continue;
		}
		if (k != i)
			f->grants[k] = *g;
		k++;
	}
	f->n_grants = k;
}

/* One more principal in v; NULL out of memory. */
static struct orgrbac_view_principal *add(struct orgrbac_view *v, const char *uid)
{
	struct orgrbac_view_principal *p =
	    orgrbac_grow(v->principals, &v->cap_principals, v->n_principals + 1, sizeof(*p));

	if (p == NULL)
		return NULL;
	v->principals = p;
	p = &v->principals[v->n_principals];
	memset(p, 0, sizeof(*p));
	p->uid = strdup(uid);
	if (p->uid == NULL)
		return NULL;
	v->n_principals++;
	return p;
}

static int cmp_uid(const void *a, const void *b, void *ctx)
{
	const struct orgrbac_image *img = ctx;

	return strcmp(img->users[*(const size_t *)a].uid, img->users[*(const size_t *)b].uid);
}

static int dup_or_null(const char *s, char **out)
{
	*out = s != NULL ? strdup(s) : NULL;
	return s != NULL && *out == NULL ? -1 : 0;
}

/* The passwd fields of the login entry `dn` holding `uid`; -1 out of memory. */
static int copy_posix(const struct orgrbac_image *img, const struct orgrbac_img_index *x,
		      const char *dn, const char *uid, struct orgrbac_view_posix *px)
{
	long i = orgrbac_img_index_posix(img, x, dn, uid);
	const struct orgrbac_img_user *u;

	if (i < 0)
		return 0;
	u = &img->users[i];
	*px =
	    (struct orgrbac_view_posix){.present = true, .uid = u->posix.uid, .gid = u->posix.gid};
	if (dup_or_null(u->posix.gecos, &px->gecos) != 0 ||
	    dup_or_null(u->posix.home, &px->home) != 0 ||
	    dup_or_null(u->posix.shell, &px->shell) != 0)
		return -1;
	return 0;
}

/* One login name of the image into v; 0, or -1 with err. */
static int one(const struct orgrbac_image *img, const struct orgrbac_img_index *x,
	       const struct orgrbac_host *host, const char *uid, struct orgrbac_view *v,
	       orgrbac_error *err)
{
	struct orgrbac_facts *f = NULL;
	struct orgrbac_view_principal *p;
	orgrbac_error ferr;
	int rc = orgrbac_image_facts_ix(img, x, host->org, uid, &f, &ferr);

	if (rc < 0) {
		*err = ferr;
		return -1;
	}
	p = add(v, uid);
	if (p == NULL) {
		orgrbac_facts_free(f);
		orgrbac_seterr(err, "out of memory");
		return -1;
	}
	if (rc > 0) {
		p->refused = strdup(ferr.msg);
		if (p->refused == NULL) {
			orgrbac_seterr(err, "out of memory");
			return -1;
		}
		return 0;
	}
	keep_grants(f, host);
	p->facts = f;
	if (copy_posix(img, x, f->dn, uid, &p->posix) != 0) {
		orgrbac_seterr(err, "out of memory");
		return -1;
	}
	return 0;
}

int orgrbac_replica_fill(const struct orgrbac_image *img, const struct orgrbac_host *host,
			 struct orgrbac_view *v, orgrbac_error *err)
{
	size_t *order = calloc(img->n_users + 1, sizeof(*order));
	struct orgrbac_img_index *x = orgrbac_img_index_new(img);
	int rc = -1;

	if (order == NULL || x == NULL || identity(host, &v->identity) != 0) {
		orgrbac_seterr(err, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < img->n_users; i++)
		order[i] = i;
	qsort_r(order, img->n_users, sizeof(*order), cmp_uid, (void *)img);
	for (size_t i = 0; i < img->n_users; i++) {
		const char *uid = img->users[order[i]].uid, *why;

		if (i > 0 && strcmp(uid, img->users[order[i - 1]].uid) == 0)
			continue;
		/* a name no login can carry is nobody's: the live decision refuses it first */
		if (!orgrbac_username_valid(uid, &why))
			continue;
		if (one(img, x, host, uid, v, err) != 0)
			goto out;
	}
	rc = 0;
out:
	orgrbac_img_index_free(x);
	free(order);
	return rc;
}
