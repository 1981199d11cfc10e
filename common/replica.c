/* SPDX-License-Identifier: BSD-2-Clause */
/* The snapshot's decision part: every principal the host can see, with its facts, from the image.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "replica.h"
#include "review.h"
#include "snapshot_passwd.h"
#include "snapshot_write.h"
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
			if (f->arena == NULL) /* else the arena holds its strings till the end */
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

static void passwd_one(struct orgrbac_view_principal *q, const struct orgrbac_passwd_params *p);
static void passwd_clashes(struct orgrbac_view *v, const struct orgrbac_passwd_params *p);

/* One login name of the image into v, sealed in rec; 0, or -1 with err. */
static int one(const struct orgrbac_image *img, const struct orgrbac_img_index *x,
	       const struct orgrbac_host *host, const struct orgrbac_passwd_params *pp,
	       struct orgrbac_snap_records *rec, const char *uid, struct orgrbac_view *v,
	       orgrbac_error *err)
{
	/* each principal's facts in an arena of their own, gone once sealed */
	struct orgrbac_facts *f = NULL;
	struct orgrbac_view_principal *p;
	orgrbac_error ferr;
	int rc = orgrbac_image_facts_in(img, x, NULL, host->org, uid, &f, &ferr);

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
	if (pp != NULL)
		passwd_one(p, pp);
	rc = orgrbac_snap_records_seal(rec, p, err);
	orgrbac_facts_free(p->facts);
	p->facts = NULL;
	return rc;
}

int orgrbac_replica_fill(const struct orgrbac_image *img, const struct orgrbac_host *host,
			 const struct orgrbac_passwd_params *pp, struct orgrbac_snap_records *rec,
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
		if (one(img, x, host, pp, rec, uid, v, err) != 0)
			goto out;
	}
	if (pp != NULL)
		passwd_clashes(v, pp);
	rc = 0;
out:
	orgrbac_img_index_free(x);
	free(order);
	return rc;
}

/*
 * When a principal of the host's organization holds a role on the host:
 * from the first grant's window opening to the last one's closing (or its
 * external access's window, when that gives it full access), within its
 * external access; false when it holds none.
 */
static bool holder_window(const struct orgrbac_facts *f, const struct orgrbac_host *host,
			  int64_t *from, int64_t *until)
{
	int64_t xf, xu;
	bool full, any = false;

	if (!orgrbac_external_window(f, &xf, &xu, &full))
		return false;
	if (full) {
		*from = xf;
		*until = xu;
		return true;
	}
	for (size_t i = 0; i < f->n_grants; i++) {
		const struct orgrbac_grant *g = &f->grants[i];
		int64_t gf = g->window.has_not_before ? g->window.not_before : ORGRBAC_TIME_MIN;
		int64_t gu = g->window.has_not_after ? g->window.not_after : ORGRBAC_TIME_MAX;

		if (orgrbac_grant_void_reason(g) != NULL || g->role == NULL ||
		    g->window.malformed || !orgrbac_grant_covers(g, host))
			continue;
		gf = gf > xf ? gf : xf;
		gu = gu < xu ? gu : xu;
		if (gf >= gu)
			continue;
		*from = any && *from < gf ? *from : gf;
		*until = any && *until > gu ? *until : gu;
		any = true;
	}
	return any;
}

static bool local_holds(const struct orgrbac_passwd_params *p, const char *name, uint32_t uid)
{
	for (size_t i = 0; i < p->n_local; i++)
		if (p->local[i].gid == uid || strcmp(p->local[i].name, name) == 0)
			return true;
	return false;
}

/* /etc/passwd holds the user itself (its name with its uidNumber): files answers for it. */
static bool local_is(const struct orgrbac_passwd_params *p, const char *name, uint32_t uid)
{
	for (size_t i = 0; i < p->n_local; i++)
		if (p->local[i].gid == uid && strcmp(p->local[i].name, name) == 0)
			return true;
	return false;
}

static bool shell_listed(const struct orgrbac_passwd_params *p, const char *shell)
{
	if (shell[0] == '\0')
		return true;
	for (size_t i = 0; i < p->n_shells; i++)
		if (strcmp(p->shells[i], shell) == 0)
			return true;
	return false;
}

/* Why the principal's passwd entry is refused, or NULL; a bad gecos is dropped, not refused. */
static const char *passwd_refusal(const struct orgrbac_passwd_params *p,
				  struct orgrbac_view_principal *v, char *buf, size_t len)
{
	struct orgrbac_view_posix *px = &v->posix;
	const char *why;

	if (px->gecos != NULL && !orgrbac_passwd_gecos_ok(px->gecos)) {
		free(px->gecos);
		px->gecos = NULL;
	}
	why = orgrbac_passwd_refusal(v->uid, px->uid, px->gid, px->gecos != NULL ? px->gecos : "",
				     px->home, px->shell != NULL ? px->shell : "");
	if (why != NULL)
		return why;
	if ((long long)px->uid < p->uid_min) {
		snprintf(buf, len, "uidNumber %u is below [nss] uid_min %ld", px->uid, p->uid_min);
		return buf;
	}
	if (local_holds(p, v->uid, px->uid)) {
		snprintf(buf, len, "its name or uidNumber %u is in /etc/passwd", px->uid);
		return buf;
	}
	if (!shell_listed(p, px->shell != NULL ? px->shell : ""))
		return "loginShell is not in /etc/shells";
	return NULL;
}

static int cmp_posix_uid(const void *a, const void *b)
{
	const struct orgrbac_view_principal *x = *(struct orgrbac_view_principal *const *)a;
	const struct orgrbac_view_principal *y = *(struct orgrbac_view_principal *const *)b;

	return x->posix.uid != y->posix.uid ? (x->posix.uid < y->posix.uid ? -1 : 1)
					    : strcmp(x->uid, y->uid);
}

/* No uidNumber is served for two users: each of them is left out. */
static void drop_shared_uids(struct orgrbac_view_principal **c, size_t n,
			     const struct orgrbac_passwd_params *p)
{
	if (n > 1)
		qsort(c, n, sizeof(*c), cmp_posix_uid);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;

		while (j < n && c[j]->posix.uid == c[i]->posix.uid)
			j++;
		for (size_t k = i; j - i > 1 && k < j; k++) {
			c[k]->posix.served = false;
			orgrbac_view_leave_out(p->view, "user", c[k]->uid,
					       "uidNumber %u is %zu users'; none gets a passwd "
					       "entry",
					       c[k]->posix.uid, j - i);
		}
		i = j;
	}
}

/* Whether q's passwd entry is served, and when (its facts read), but for a uidNumber clash. */
static void passwd_one(struct orgrbac_view_principal *q, const struct orgrbac_passwd_params *p)
{
	const struct orgrbac_host *host = &p->view->host;
	const struct orgrbac_facts *f = q->facts;
	char buf[160];
	const char *why;
	bool full;

	q->posix.served = q->posix.candidate = false;
	if (f == NULL || !q->posix.present || host->org == NULL || f->org == NULL ||
	    strcasecmp(f->org, host->org) != 0)
		return;
	if (local_is(p, q->uid, q->posix.uid))
		return; /* a local account of the same user: not a conflict */
	if ((why = passwd_refusal(p, q, buf, sizeof(buf))) != NULL) {
		orgrbac_view_leave_out(p->view, "user", q->uid, "no passwd entry: %s", why);
		return;
	}
	if (p->users == ORGRBAC_NSS_USERS_ALL)
		q->posix.served =
		    orgrbac_external_window(f, &q->posix.from, &q->posix.until, &full);
	else
		q->posix.served = holder_window(f, host, &q->posix.from, &q->posix.until);
	q->posix.candidate = true;
}

/* No uidNumber served for two of the candidates; out of memory, none served. */
static void passwd_clashes(struct orgrbac_view *v, const struct orgrbac_passwd_params *p)
{
	struct orgrbac_view_principal **cand = calloc(v->n_principals + 1, sizeof(*cand));
	size_t n = 0;

	for (size_t i = 0; i < v->n_principals; i++) {
		struct orgrbac_view_principal *q = &v->principals[i];

		if (!q->posix.candidate)
			continue;
		if (cand != NULL)
			cand[n++] = q;
		else
			q->posix.served = false; /* no entry is safer than two */
	}
	if (cand != NULL)
		drop_shared_uids(cand, n, p);
	free(cand);
}

void orgrbac_replica_passwd(struct orgrbac_view *v, const struct orgrbac_passwd_params *p)
{
	for (size_t i = 0; i < v->n_principals; i++)
		passwd_one(&v->principals[i], p);
	passwd_clashes(v, p);
}
