/* SPDX-License-Identifier: BSD-2-Clause */
/* The snapshot's decision part: each principal's facts as one record (format: snapshot_facts.c). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "snapshot_write_int.h"

static void put_bytes(struct out *o, const void *p, size_t n)
{
	if (n > SNAP_FILE_MAX || !orgrbac_out_room(o, o->len + n))
		return;
	memcpy(o->p + o->len, p, n);
	o->len += n;
}

static void put_u32(struct out *o, uint32_t v)
{
	put_bytes(o, &v, sizeof(v));
}

static void put_i64(struct out *o, int64_t v)
{
	put_bytes(o, &v, sizeof(v));
}

/* u32 length, the bytes, a NUL; NULL is written as "" (the reader's NULL where it allows one). */
static void put_str(struct out *o, const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n > UINT32_MAX - 1) {
		o->failed = true;
		return;
	}
	put_u32(o, (uint32_t)n);
	put_bytes(o, s != NULL ? s : "", n + 1);
}

static void put_strv(struct out *o, char *const *v, size_t n)
{
	put_u32(o, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		put_str(o, v[i]);
}

static void put_window(struct out *o, const struct orgrbac_window *w)
{
	put_u32(o, (w->has_not_before ? SNAP_WIN_NOT_BEFORE : 0) |
		       (w->has_not_after ? SNAP_WIN_NOT_AFTER : 0) |
		       (w->malformed ? SNAP_WIN_MALFORMED : 0));
	put_i64(o, w->not_before);
	put_i64(o, w->not_after);
}

static void put_externals(struct out *o, const struct orgrbac_facts *f)
{
	put_u32(o, (uint32_t)f->n_external);
	for (size_t i = 0; i < f->n_external; i++) {
		const struct orgrbac_external *x = &f->external[i];

		put_str(o, x->dn);
		put_str(o, x->name);
		put_u32(o, (uint32_t)x->kind);
		put_u32(o, (uint32_t)x->mode);
		put_u32(o, x->role_management ? 1 : 0);
		put_window(o, &x->window);
		put_str(o, x->unreadable);
	}
}

static void put_roles(struct out *o, const struct orgrbac_facts *f)
{
	put_u32(o, (uint32_t)f->n_roles);
	for (size_t i = 0; i < f->n_roles; i++) {
		put_str(o, f->roles[i].dn);
		put_str(o, f->roles[i].name);
		put_strv(o, f->roles[i].privileges, f->roles[i].n_privileges);
	}
}

static void put_grants(struct out *o, const struct orgrbac_facts *f)
{
	put_u32(o, (uint32_t)f->n_grants);
	for (size_t i = 0; i < f->n_grants; i++) {
		const struct orgrbac_grant *g = &f->grants[i];
		/* The role by its place among the principal's roles; none: UINT32_MAX. */
		uint32_t role =
		    g->role != NULL && g->role >= f->roles && g->role < f->roles + f->n_roles
			? (uint32_t)(g->role - f->roles)
			: UINT32_MAX;

		put_str(o, g->dn);
		put_str(o, g->name);
		put_u32(o, g->platform ? 1 : 0);
		put_str(o, g->org);
		put_str(o, g->unreadable);
		put_u32(o, g->role_dn != NULL ? 1 : 0);
		put_str(o, g->role_dn);
		put_u32(o, role);
		put_strv(o, g->scopes, g->n_scopes);
		put_window(o, &g->window);
		put_str(o, g->via);
	}
}

static void put_posix(struct out *o, const struct orgrbac_view_posix *px)
{
	put_u32(o, px->present ? 1 : 0);
	if (!px->present)
		return;
	put_u32(o, px->uid);
	put_u32(o, px->gid);
	put_str(o, px->gecos);
	put_str(o, px->home);
	put_str(o, px->shell);
	put_u32(o, px->served ? 1 : 0);
	put_i64(o, px->served ? px->from : 0);
	put_i64(o, px->served ? px->until : 0);
}

static void put_principal(struct out *o, const struct orgrbac_view_principal *p)
{
	const struct orgrbac_facts *f = p->facts;

	put_str(o, p->uid);
	if (f == NULL) {
		put_u32(o, SNAP_REC_REFUSED);
		put_str(o, p->refused != NULL ? p->refused : "refused");
		return;
	}
	put_u32(o, SNAP_REC_FACTS);
	put_posix(o, &p->posix);
	put_str(o, f->dn);
	put_str(o, f->org);
	put_externals(o, f);
	put_roles(o, f);
	put_grants(o, f);
}

static void put_identity(struct out *o, const struct orgrbac_view_identity *id)
{
	put_str(o, id->org);
	put_str(o, id->resource);
	put_strv(o, id->services, id->n_services);
}

/* Index order: case-insensitively, then byte for byte (the reader finds both). */
static int cmp_principal(const void *a, const void *b)
{
	const struct orgrbac_view_principal *x = a, *y = b;
	int c = strcasecmp(x->uid, y->uid);

	return c != 0 ? c : strcmp(x->uid, y->uid);
}

/* Append one record; its index entry, or false when out of room. */
static bool put_record(struct out *o, size_t facts_at, const struct orgrbac_view_principal *p,
		       const struct orgrbac_view_identity *id, struct orgrbac_snap_principal *e)
{
	size_t start = o->len;

	if (p != NULL)
		put_principal(o, p);
	else
		put_identity(o, id);
	if (o->failed || o->len - facts_at > UINT32_MAX)
		return false;
	e->off = (uint32_t)(start - facts_at);
	e->len = (uint32_t)(o->len - start);
	e->sum = orgrbac_snap_record_sum(o->p + start, e->off, e->len);
	return true;
}

static int cmp_passwd(const void *a, const void *b)
{
	const struct orgrbac_snap_passwd *x = a, *y = b;

	return x->uid != y->uid ? (x->uid < y->uid ? -1 : 1) : 0;
}

/* The passwd table: the principals served, by uidNumber; -1 with err for a uidNumber twice. */
static int put_passwd(struct out *o, const struct orgrbac_view *v, struct orgrbac_snap_header *h,
		      orgrbac_error *err)
{
	size_t n = 0, at;
	struct orgrbac_snap_passwd *t;

	for (size_t i = 0; i < v->n_principals; i++)
		n += v->principals[i].facts != NULL && v->principals[i].posix.served;
	at = orgrbac_out_reserve(o, n * SNAP_PASSWD_SIZE);
	if (o->failed)
		return 0; /* the caller reports the size */
	t = (struct orgrbac_snap_passwd *)(o->p + at);
	n = 0;
	for (size_t i = 0; i < v->n_principals; i++)
		if (v->principals[i].facts != NULL && v->principals[i].posix.served)
			t[n++] =
			    (struct orgrbac_snap_passwd){v->principals[i].posix.uid, (uint32_t)i};
	if (n > 1)
		qsort(t, n, sizeof(*t), cmp_passwd);
	for (size_t i = 1; i < n; i++)
		if (t[i - 1].uid == t[i].uid) {
			orgrbac_seterr(err, "snapshot: uidNumber %u is served twice", t[i].uid);
			return -1;
		}
	h->passwd = (struct orgrbac_snap_section){(uint32_t)at, (uint32_t)n};
	return 0;
}

int orgrbac_snap_put_facts(struct out *o, struct orgrbac_view *v, struct orgrbac_snap_header *h,
			   orgrbac_error *err)
{
	size_t n = v->n_principals, index_at, facts_at;
	struct orgrbac_snap_principal e;

	if (n > UINT32_MAX / SNAP_PRINCIPAL_SIZE) {
		orgrbac_seterr(err, "snapshot: too many principals");
		return -1;
	}
	if (n > 0)
		qsort(v->principals, n, sizeof(*v->principals), cmp_principal);
	for (size_t i = 1; i < n; i++)
		if (strcmp(v->principals[i - 1].uid, v->principals[i].uid) == 0) {
			orgrbac_seterr(err, "snapshot: principal %s appears twice",
				       v->principals[i].uid);
			return -1;
		}
	index_at = orgrbac_out_reserve(o, n * SNAP_PRINCIPAL_SIZE);
	h->principals = (struct orgrbac_snap_section){(uint32_t)index_at, (uint32_t)n};
	if (put_passwd(o, v, h, err) != 0)
		return -1;
	facts_at = orgrbac_out_reserve(o, 0);
	if (v->identity.org != NULL) {
		if (!put_record(o, facts_at, NULL, &v->identity, &e))
			goto big;
		h->host = (struct orgrbac_snap_section){e.off, e.len};
		h->host_sum = e.sum;
	}
	for (size_t i = 0; i < n; i++) {
		if (!put_record(o, facts_at, &v->principals[i], NULL, &e))
			goto big;
		memcpy(o->p + index_at + i * SNAP_PRINCIPAL_SIZE, &e, sizeof(e));
	}
	if (o->len - facts_at > UINT32_MAX)
		goto big;
	h->facts = (struct orgrbac_snap_section){(uint32_t)facts_at, (uint32_t)(o->len - facts_at)};
	return 0;
big:
	orgrbac_seterr(err, "snapshot: larger than %lu bytes or out of memory", SNAP_FILE_MAX);
	return -1;
}
