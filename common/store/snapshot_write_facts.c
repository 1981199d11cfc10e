/* SPDX-License-Identifier: BSD-2-Clause */
/* The snapshot's decision part: each principal's facts as one record (format: snapshot_facts.c). */
#include <stdlib.h>
#include <string.h>

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

/* A shared role's record: str dn, str name, list privileges. */
static void put_role(struct out *o, const struct orgrbac_role *r)
{
	put_str(o, r->dn);
	put_str(o, r->name);
	put_strv(o, r->privileges, r->n_privileges);
}

/* A shared grant's record: all of the grant but its role's place and its via. */
static void put_grant(struct out *o, const struct orgrbac_grant *g)
{
	put_str(o, g->dn);
	put_str(o, g->name);
	put_u32(o, g->platform ? 1 : 0);
	put_str(o, g->org);
	put_str(o, g->unreadable);
	put_u32(o, g->role_dn != NULL ? 1 : 0);
	put_str(o, g->role_dn);
	put_strv(o, g->scopes, g->n_scopes);
	put_window(o, &g->window);
}

/* Distinct records of one kind (the shared roles or grants), each once, found by content. */
struct pool {
	struct out bytes; /* the records, end to end */
	struct pool_rec {
		size_t off, len;
		uint64_t hash;
	} * recs;
	size_t n, cap;
	uint32_t *slots; /* open addressing: a record's number + 1; 0 is free */
	size_t n_slots;	 /* a power of 2, more than twice n */
};

static void pool_free(struct pool *pl)
{
	free(pl->bytes.p);
	free(pl->recs);
	free(pl->slots);
}

/* A hash's first slot: its bits mixed, so that records alike in their low bits spread too. */
static size_t home_slot(uint64_t hash, size_t n_slots)
{
	return (size_t)((hash * 0x9e3779b97f4a7c15ULL) >> 32) & (n_slots - 1);
}

/* Slot of the record equal to [p, p + len) with that hash, or the free slot it would take. */
static size_t pool_slot(const struct pool *pl, const unsigned char *p, size_t len, uint64_t hash)
{
	size_t i = home_slot(hash, pl->n_slots);

	for (; pl->slots[i] != 0; i = (i + 1) & (pl->n_slots - 1)) {
		const struct pool_rec *r = &pl->recs[pl->slots[i] - 1];

		if (r->hash == hash && r->len == len && memcmp(pl->bytes.p + r->off, p, len) == 0)
			break;
	}
	return i;
}

/* Twice the slots (at least 64), every record placed again; false when out of memory. */
static bool pool_rehash(struct pool *pl)
{
	size_t n = pl->n_slots != 0 ? pl->n_slots * 2 : 64;
	uint32_t *slots = calloc(n, sizeof(*slots));

	if (slots == NULL)
		return false;
	free(pl->slots);
	pl->slots = slots;
	pl->n_slots = n;
	for (size_t k = 0; k < pl->n; k++) {
		size_t i = home_slot(pl->recs[k].hash, n);

		while (slots[i] != 0)
			i = (i + 1) & (n - 1);
		slots[i] = (uint32_t)(k + 1);
	}
	return true;
}

/* A new record's place in the pool; false when out of memory or room. */
static bool pool_append(struct pool *pl, const unsigned char *p, size_t len, uint64_t hash)
{
	if (pl->n == pl->cap) {
		struct pool_rec *r = orgrbac_grow(pl->recs, &pl->cap, pl->n + 1, sizeof(*r));

		if (r == NULL)
			return false;
		pl->recs = r;
	}
	if (!orgrbac_out_room(&pl->bytes, pl->bytes.len + len))
		return false;
	memcpy(pl->bytes.p + pl->bytes.len, p, len);
	pl->recs[pl->n++] = (struct pool_rec){pl->bytes.len, len, hash};
	pl->bytes.len += len;
	return true;
}

/* The number of the record equal to `rec` byte for byte, added when new; UINT32_MAX: failed. */
static uint32_t pool_intern(struct pool *pl, const struct out *rec)
{
	uint64_t hash = orgrbac_snap_checksum4(rec->p, rec->len);
	size_t i;

	if (rec->failed || pl->n >= UINT32_MAX - 1 ||
	    (pl->n * 2 >= pl->n_slots && !pool_rehash(pl)))
		return UINT32_MAX;
	i = pool_slot(pl, rec->p, rec->len, hash);
	if (pl->slots[i] == 0) {
		if (!pool_append(pl, rec->p, rec->len, hash))
			return UINT32_MAX;
		pl->slots[i] = (uint32_t)pl->n;
	}
	return pl->slots[i] - 1;
}

/* The decision part's records as principals are sealed (snapshot_write.h). */
struct orgrbac_snap_records {
	struct out tails; /* each sealed principal's record after its posix part, end to end */
	struct out one;	  /* a shared record being serialized */
	struct pool roles, grants;
};

struct orgrbac_snap_records *orgrbac_snap_records_new(void)
{
	return calloc(1, sizeof(struct orgrbac_snap_records));
}

void orgrbac_snap_records_free(struct orgrbac_snap_records *r)
{
	if (r == NULL)
		return;
	free(r->tails.p);
	free(r->one.p);
	pool_free(&r->roles);
	pool_free(&r->grants);
	free(r);
}

/* The shared record of role r (of grant g when r is NULL), as a u32 reference in o. */
static void put_ref(struct orgrbac_snap_records *rec, struct out *o, const struct orgrbac_role *r,
		    const struct orgrbac_grant *g)
{
	uint32_t ref;

	rec->one.len = 0;
	if (r != NULL)
		put_role(&rec->one, r);
	else
		put_grant(&rec->one, g);
	ref = pool_intern(r != NULL ? &rec->roles : &rec->grants, &rec->one);
	if (ref == UINT32_MAX)
		o->failed = true;
	put_u32(o, ref);
}

static void put_roles(struct orgrbac_snap_records *rec, struct out *o,
		      const struct orgrbac_facts *f)
{
	put_u32(o, (uint32_t)f->n_roles);
	for (size_t i = 0; i < f->n_roles; i++)
		put_ref(rec, o, &f->roles[i], NULL);
}

static void put_grants(struct orgrbac_snap_records *rec, struct out *o,
		       const struct orgrbac_facts *f)
{
	put_u32(o, (uint32_t)f->n_grants);
	for (size_t i = 0; i < f->n_grants; i++) {
		const struct orgrbac_grant *g = &f->grants[i];
		/* The role by its place among the principal's roles; none: UINT32_MAX. */
		uint32_t role =
		    g->role != NULL && g->role >= f->roles && g->role < f->roles + f->n_roles
			? (uint32_t)(g->role - f->roles)
			: UINT32_MAX;

		put_ref(rec, o, NULL, g);
		put_u32(o, role);
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

/* The part of a principal's record that follows its posix fields. */
static void put_tail(struct orgrbac_snap_records *rec, struct out *o, const struct orgrbac_facts *f)
{
	put_str(o, f->dn);
	put_str(o, f->org);
	put_externals(o, f);
	put_roles(rec, o, f);
	put_grants(rec, o, f);
}

int orgrbac_snap_records_seal(struct orgrbac_snap_records *r, struct orgrbac_view_principal *p,
			      orgrbac_error *err)
{
	size_t start = r->tails.len;

	if (p->facts == NULL) {
		orgrbac_seterr(err, "snapshot: principal %s has no facts to seal", p->uid);
		return -1;
	}
	put_tail(r, &r->tails, p->facts);
	if (r->tails.failed) {
		orgrbac_seterr(err, "snapshot: larger than %lu bytes or out of memory",
			       SNAP_FILE_MAX);
		return -1;
	}
	p->sealed = true;
	p->tail_off = start;
	p->tail_len = r->tails.len - start;
	return 0;
}

/* A principal the host knows: with its facts, or sealed; else refused. */
static bool known(const struct orgrbac_view_principal *p)
{
	return p->facts != NULL || p->sealed;
}

/* Where each principal's tail lies in rec->tails. */
struct span {
	size_t off, len;
};

static void put_principal(struct out *o, const struct orgrbac_snap_records *rec,
			  const struct orgrbac_view_principal *p, const struct span *tail)
{
	put_str(o, p->uid);
	if (!known(p)) {
		put_u32(o, SNAP_REC_REFUSED);
		put_str(o, p->refused != NULL ? p->refused : "refused");
		return;
	}
	put_u32(o, SNAP_REC_FACTS);
	put_posix(o, &p->posix);
	put_bytes(o, rec->tails.p + tail->off, tail->len);
}

static void put_identity(struct out *o, const struct orgrbac_view_identity *id)
{
	put_str(o, id->org);
	put_str(o, id->resource);
	put_strv(o, id->services, id->n_services);
}

/* Index order: by the hash of the uid with its case folded, then byte for byte. */
static int cmp_principal(const void *a, const void *b)
{
	const struct orgrbac_view_principal *x = a, *y = b;
	uint64_t hx = orgrbac_snap_uid_hash(x->uid), hy = orgrbac_snap_uid_hash(y->uid);

	return hx != hy ? (hx < hy ? -1 : 1) : strcmp(x->uid, y->uid);
}

/* The record appended since `start`, as an entry of an index; false when out of room. */
static bool close_record(struct out *o, size_t facts_at, size_t start,
			 struct orgrbac_snap_shared *e)
{
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
		n += known(&v->principals[i]) && v->principals[i].posix.served;
	at = orgrbac_out_reserve(o, n * SNAP_PASSWD_SIZE);
	if (o->failed)
		return 0; /* the caller reports the size */
	t = (struct orgrbac_snap_passwd *)(o->p + at);
	n = 0;
	for (size_t i = 0; i < v->n_principals; i++)
		if (known(&v->principals[i]) && v->principals[i].posix.served)
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

/* The principals' sort, each uid once; -1 with err. */
static int sort_principals(struct orgrbac_view *v, orgrbac_error *err)
{
	size_t n = v->n_principals;

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
	return 0;
}

/*
 * Each principal's tail: its seal in rec, or its facts sealed now into rec
 * (the principal untouched, so that a view can be written twice). A sealed
 * principal without facts can be written only with the records it was
 * sealed in (own: rec is the writer's own). -1 with err.
 */
static int tails(struct orgrbac_snap_records *rec, bool own, const struct orgrbac_view *v,
		 struct span *out, orgrbac_error *err)
{
	for (size_t i = 0; i < v->n_principals; i++) {
		struct orgrbac_view_principal p = v->principals[i];

		if (p.sealed && !own) {
			out[i] = (struct span){p.tail_off, p.tail_len};
			if (p.tail_off > rec->tails.len ||
			    p.tail_len > rec->tails.len - p.tail_off) {
				orgrbac_seterr(err, "snapshot: principal %s: seal out of range",
					       p.uid);
				return -1;
			}
			continue;
		}
		if (p.facts == NULL) {
			if (p.sealed) {
				orgrbac_seterr(err, "snapshot: principal %s: sealed elsewhere",
					       p.uid);
				return -1;
			}
			continue;
		}
		if (orgrbac_snap_records_seal(rec, &p, err) != 0)
			return -1;
		out[i] = (struct span){p.tail_off, p.tail_len};
	}
	return 0;
}

/* A pool's records appended, their index (reserved at index_at) filled. */
static void put_pool(struct out *o, size_t facts_at, const struct pool *pl, size_t index_at)
{
	struct orgrbac_snap_shared e;

	for (size_t i = 0; i < pl->n; i++) {
		size_t start = o->len;

		put_bytes(o, pl->bytes.p + pl->recs[i].off, pl->recs[i].len);
		if (!close_record(o, facts_at, start, &e))
			return;
		memcpy(o->p + index_at + i * SNAP_SHARED_SIZE, &e, sizeof(e));
	}
}

/* The principals' records appended, their index entries filled, then its block checksums. */
static void put_principals(struct out *o, const struct orgrbac_snap_records *rec,
			   const struct orgrbac_view *v, const struct span *tail, size_t facts_at,
			   size_t index_at)
{
	size_t n = v->n_principals;
	struct orgrbac_snap_shared e;

	for (size_t i = 0; i < n; i++) {
		size_t start = o->len;
		struct orgrbac_snap_principal pe;

		put_principal(o, rec, &v->principals[i], &tail[i]);
		if (!close_record(o, facts_at, start, &e))
			return;
		pe = (struct orgrbac_snap_principal){orgrbac_snap_uid_hash(v->principals[i].uid),
						     e.off, e.len, e.sum};
		memcpy(o->p + index_at + i * SNAP_PRINCIPAL_SIZE, &pe, sizeof(pe));
	}
	for (size_t first = 0; first < n && !o->failed; first += SNAP_BLOCK) {
		size_t at = index_at + first * SNAP_PRINCIPAL_SIZE;
		size_t bytes =
		    (n - first < SNAP_BLOCK ? n - first : SNAP_BLOCK) * SNAP_PRINCIPAL_SIZE;
		uint64_t sum = orgrbac_snap_region_sum(o->p + at, at, bytes);

		memcpy(o->p + index_at + n * SNAP_PRINCIPAL_SIZE + first / SNAP_BLOCK * 8, &sum, 8);
	}
}

/* The sections after the passwd table: the shared records' indexes, then the facts. */
static void put_records(struct out *o, const struct orgrbac_snap_records *rec,
			const struct orgrbac_view *v, const struct span *tail,
			struct orgrbac_snap_header *h, size_t index_at)
{
	size_t roles_at = orgrbac_out_reserve(o, rec->roles.n * SNAP_SHARED_SIZE);
	size_t grants_at = orgrbac_out_reserve(o, rec->grants.n * SNAP_SHARED_SIZE);
	size_t facts_at = orgrbac_out_reserve(o, 0);
	struct orgrbac_snap_shared e;

	h->shared_roles = (struct orgrbac_snap_section){(uint32_t)roles_at, (uint32_t)rec->roles.n};
	h->shared_grants =
	    (struct orgrbac_snap_section){(uint32_t)grants_at, (uint32_t)rec->grants.n};
	if (v->identity.org != NULL) {
		size_t start = o->len;

		put_identity(o, &v->identity);
		if (!close_record(o, facts_at, start, &e))
			return;
		h->host = (struct orgrbac_snap_section){e.off, e.len};
		h->host_sum = e.sum;
	}
	put_pool(o, facts_at, &rec->roles, roles_at);
	put_pool(o, facts_at, &rec->grants, grants_at);
	put_principals(o, rec, v, tail, facts_at, index_at);
	if (o->len - facts_at > UINT32_MAX)
		o->failed = true;
	h->facts = (struct orgrbac_snap_section){(uint32_t)facts_at, (uint32_t)(o->len - facts_at)};
}

int orgrbac_snap_put_facts(struct out *o, struct orgrbac_view *v, struct orgrbac_snap_records *rec,
			   struct orgrbac_snap_header *h, orgrbac_error *err)
{
	struct orgrbac_snap_records *own = rec == NULL ? orgrbac_snap_records_new() : NULL;
	struct span *tail = calloc(v->n_principals + 1, sizeof(*tail));
	size_t index_at;
	int rc = -1;

	if (tail == NULL || (rec == NULL && own == NULL)) {
		orgrbac_seterr(err, "out of memory");
		goto out;
	}
	if (own != NULL)
		rec = own;
	if (sort_principals(v, err) != 0 || tails(rec, own != NULL, v, tail, err) != 0)
		goto out;
	index_at = orgrbac_out_reserve(o, orgrbac_snap_principals_size(v->n_principals));
	h->principals =
	    (struct orgrbac_snap_section){(uint32_t)index_at, (uint32_t)v->n_principals};
	if (put_passwd(o, v, h, err) != 0)
		goto out;
	put_records(o, rec, v, tail, h, index_at);
	if (o->failed) {
		orgrbac_seterr(err, "snapshot: larger than %lu bytes or out of memory",
			       SNAP_FILE_MAX);
		goto out;
	}
	rc = 0;
out:
	orgrbac_snap_records_free(own);
	free(tail);
	return rc;
}
