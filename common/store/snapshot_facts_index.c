/* SPDX-License-Identifier: BSD-2-Clause */
/* The decision part's records checked where read, and a principal found by name (snapshot_facts.c).
 */
#include <string.h>

#include "snapshot_facts_int.h"

void orgrbac_cur_bytes(struct orgrbac_cur *c, void *out, size_t n)
{
	if (c->bad || c->left < n) {
		c->bad = true;
		memset(out, 0, n);
		return;
	}
	memcpy(out, c->p, n);
	c->p += n;
	c->left -= n;
}

uint32_t orgrbac_cur_u32(struct orgrbac_cur *c)
{
	uint32_t v;

	orgrbac_cur_bytes(c, &v, sizeof(v));
	return v;
}

int64_t orgrbac_cur_i64(struct orgrbac_cur *c)
{
	int64_t v;

	orgrbac_cur_bytes(c, &v, sizeof(v));
	return v;
}

const char *orgrbac_cur_str(struct orgrbac_cur *c)
{
	uint32_t n = orgrbac_cur_u32(c);
	const char *s = (const char *)c->p;

	if (c->bad || n >= c->left || c->p[n] != '\0' || memchr(c->p, '\0', n) != NULL) {
		c->bad = true;
		return NULL;
	}
	c->p += (size_t)n + 1;
	c->left -= (size_t)n + 1;
	return s;
}

bool orgrbac_snapf_record(const struct orgrbac_snapshot *s, uint32_t off, uint32_t len,
			  uint64_t sum, struct orgrbac_cur *c)
{
	memset(c, 0, sizeof(*c));
	if ((uint64_t)off + len > s->h->facts.n ||
	    orgrbac_snap_record_sum(s->facts + off, off, len) != sum) {
		c->bad = true;
		return false;
	}
	c->p = s->facts + off;
	c->left = len;
	return true;
}

/* Shared role or grant i's record (table: the one of its kind), hashed once per mapping. */
static bool shared_record(const struct orgrbac_snapshot *s, const struct orgrbac_snap_section *t,
			  size_t bit, uint32_t i, struct orgrbac_cur *c)
{
	struct orgrbac_snap_shared e;

	memset(c, 0, sizeof(*c));
	c->bad = true;
	if (i >= t->n)
		return false;
	memcpy(&e, s->base + t->off + (size_t)i * SNAP_SHARED_SIZE, sizeof(e));
	if ((uint64_t)e.off + e.len > s->h->facts.n)
		return false;
	if (!orgrbac_snap_seen(s, bit + i)) {
		if (orgrbac_snap_record_sum(s->facts + e.off, e.off, e.len) != e.sum)
			return false;
		orgrbac_snap_mark_seen(s, bit + i);
	}
	*c = (struct orgrbac_cur){.p = s->facts + e.off, .left = e.len};
	return true;
}

static size_t index_blocks(const struct orgrbac_snapshot *s)
{
	return ((size_t)s->h->principals.n + SNAP_BLOCK - 1) / SNAP_BLOCK;
}

bool orgrbac_snapf_shared_role(const struct orgrbac_snapshot *s, uint32_t i, struct orgrbac_cur *c)
{
	return shared_record(s, &s->h->shared_roles, s->fbit + index_blocks(s), i, c);
}

bool orgrbac_snapf_shared_grant(const struct orgrbac_snapshot *s, uint32_t i, struct orgrbac_cur *c)
{
	return shared_record(s, &s->h->shared_grants,
			     s->fbit + index_blocks(s) + s->h->shared_roles.n, i, c);
}

/* Index entry i (< the count) into e, its block's checksum checked first; false: corrupt. */
static bool index_entry(const struct orgrbac_snapshot *s, size_t i,
			struct orgrbac_snap_principal *e)
{
	size_t n = s->h->principals.n, b = i / SNAP_BLOCK, first = b * SNAP_BLOCK;
	size_t bytes = (n - first < SNAP_BLOCK ? n - first : SNAP_BLOCK) * SNAP_PRINCIPAL_SIZE;
	uint64_t sum;

	if (!orgrbac_snap_seen(s, s->fbit + b)) {
		memcpy(&sum, s->principals + (size_t)n * SNAP_PRINCIPAL_SIZE + b * 8, 8);
		if (orgrbac_snap_region_sum(
			s->principals + first * SNAP_PRINCIPAL_SIZE,
			(uint64_t)s->h->principals.off + first * SNAP_PRINCIPAL_SIZE, bytes) != sum)
			return false;
		orgrbac_snap_mark_seen(s, s->fbit + b);
	}
	memcpy(e, s->principals + i * SNAP_PRINCIPAL_SIZE, sizeof(*e));
	return true;
}

const char *orgrbac_snapf_uid_at(const struct orgrbac_snapshot *s, size_t i, struct orgrbac_cur *c)
{
	struct orgrbac_snap_principal e;
	const char *uid;

	memset(c, 0, sizeof(*c));
	if (i >= s->h->principals.n || !index_entry(s, i, &e) ||
	    !orgrbac_snapf_record(s, e.off, e.len, e.sum, c))
		return NULL;
	uid = orgrbac_cur_str(c);
	/* the entry's hash is the uid's: a record under another's hash is corrupt */
	return c->bad || orgrbac_snap_uid_hash(uid) != e.hash ? NULL : uid;
}

void orgrbac_snapf_posix(struct orgrbac_cur *c, struct orgrbac_snap_posix *px)
{
	uint32_t present = orgrbac_cur_u32(c), served;

	memset(px, 0, sizeof(*px));
	if (present > 1)
		c->bad = true;
	if (c->bad || present == 0)
		return;
	px->present = true;
	px->uid = orgrbac_cur_u32(c);
	px->gid = orgrbac_cur_u32(c);
	px->gecos = orgrbac_cur_str(c);
	px->home = orgrbac_cur_str(c);
	px->shell = orgrbac_cur_str(c);
	served = orgrbac_cur_u32(c);
	px->from = orgrbac_cur_i64(c);
	px->until = orgrbac_cur_i64(c);
	if (served > 1)
		c->bad = true;
	px->served = served == 1 && !c->bad;
}

/*
 * Where in [lo, hi) hash h would be if the hashes between lo_hash (below
 * h) and hi_hash (not below) were evenly spread, as FNV-1a spreads them.
 */
static size_t guess(uint64_t h, size_t lo, size_t hi, uint64_t lo_hash, uint64_t hi_hash)
{
	double frac = hi_hash > lo_hash ? (double)(h - lo_hash) / (double)(hi_hash - lo_hash) : 0;
	size_t at = lo + (size_t)(frac * (double)(hi - lo));

	return at < hi ? at : hi - 1;
}

/*
 * The first index entry whose hash is not below h; SNAPF_BAD when a block
 * read on the way is corrupt. Guesses by interpolation, every other probe
 * halving instead: a few blocks read on average, 2 log2(n) probes at most.
 */
static size_t lower_bound(const struct orgrbac_snapshot *s, uint64_t h)
{
	size_t lo = 0, hi = s->h->principals.n;
	uint64_t lo_hash = 0, hi_hash = UINT64_MAX;

	for (unsigned probe = 0; lo < hi; probe++) {
		size_t mid =
		    probe % 2 == 0 ? guess(h, lo, hi, lo_hash, hi_hash) : lo + (hi - lo) / 2;
		struct orgrbac_snap_principal e;

		if (!index_entry(s, mid, &e))
			return SNAPF_BAD;
		if (e.hash < h) {
			lo = mid + 1;
			lo_hash = e.hash;
		} else {
			hi = mid;
			hi_hash = e.hash;
		}
	}
	return lo;
}

/* Does index entry i hold hash h? false at the end, and (with *bad) for a corrupt block. */
static bool has_hash(const struct orgrbac_snapshot *s, size_t i, uint64_t h, bool *bad)
{
	struct orgrbac_snap_principal e;

	if (i >= s->h->principals.n)
		return false;
	*bad = !index_entry(s, i, &e);
	return !*bad && e.hash == h;
}

/* ASCII case-insensitive equality, as the index's hash folds case. */
static bool same_folded(const char *a, const char *b)
{
	for (; *a != '\0' && orgrbac_snap_fold(*a) == orgrbac_snap_fold(*b); a++, b++)
		;
	return *a == '\0' && *b == '\0';
}

size_t orgrbac_snapf_find(const struct orgrbac_snapshot *s, const char *user, bool *other_case,
			  struct orgrbac_cur *c)
{
	uint64_t h = orgrbac_snap_uid_hash(user);
	size_t i = lower_bound(s, h);
	bool bad = false;

	*other_case = false;
	if (i == SNAPF_BAD)
		return SNAPF_BAD;
	for (; has_hash(s, i, h, &bad); i++) {
		const char *uid = orgrbac_snapf_uid_at(s, i, c);

		if (uid == NULL)
			return SNAPF_BAD;
		if (strcmp(uid, user) == 0)
			return i;
		*other_case = *other_case || same_folded(uid, user);
	}
	return bad ? SNAPF_BAD : SNAPF_NONE;
}
