/* SPDX-License-Identifier: BSD-2-Clause */
/* The decision part's records checked where read, and a principal found by name (snapshot_facts.c).
 */
#include <string.h>
#include <strings.h>

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

const char *orgrbac_snapf_uid_at(const struct orgrbac_snapshot *s, size_t i, struct orgrbac_cur *c)
{
	struct orgrbac_snap_principal e;
	const char *uid;

	memcpy(&e, s->principals + i, sizeof(e));
	if (!orgrbac_snapf_record(s, e.off, e.len, e.sum, c))
		return NULL;
	uid = orgrbac_cur_str(c);
	return c->bad ? NULL : uid;
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

/* The first index entry whose uid is not below `user` case-insensitively; SNAPF_BAD: corrupt. */
static size_t lower_bound(const struct orgrbac_snapshot *s, const char *user)
{
	size_t lo = 0, hi = s->h->principals.n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct orgrbac_cur c;
		const char *uid = orgrbac_snapf_uid_at(s, mid, &c);

		if (uid == NULL)
			return SNAPF_BAD;
		if (strcasecmp(uid, user) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t orgrbac_snapf_find(const struct orgrbac_snapshot *s, const char *user, bool *other_case,
			  struct orgrbac_cur *c)
{
	size_t n = s->h->principals.n, i = lower_bound(s, user);

	*other_case = false;
	if (i == SNAPF_BAD)
		return SNAPF_BAD;
	for (; i < n; i++) {
		const char *uid = orgrbac_snapf_uid_at(s, i, c);

		if (uid == NULL)
			return SNAPF_BAD;
		if (strcasecmp(uid, user) != 0)
			return SNAPF_NONE;
		if (strcmp(uid, user) == 0)
			return i;
		*other_case = true;
	}
	return SNAPF_NONE;
}
