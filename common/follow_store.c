/* SPDX-License-Identifier: BSD-2-Clause */
/* The follower's copy of the directory: each entry's part of the image, keyed by its entryUUID. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "directory.h"
#include "follow_store.h"
#include "util.h"

struct orgrbac_store_entry {
	unsigned char uuid[ORGRBAC_UUID_LEN];
	char *dn;
	size_t values;
	struct orgrbac_image piece;
};

void orgrbac_store_init(struct orgrbac_store *s, const struct orgrbac_store_limits *limits)
{
	memset(s, 0, sizeof(*s));
	s->limits = *limits;
}

static void entry_free(struct orgrbac_store_entry *e)
{
	if (e == NULL)
		return;
	free(e->dn);
	orgrbac_image_free(&e->piece);
	free(e);
}

void orgrbac_store_clear(struct orgrbac_store *s)
{
	for (size_t i = 0; i < s->n_slots; i++)
		entry_free(s->slots[i]);
	free(s->slots);
	s->slots = NULL;
	s->n_slots = 0;
	s->n_entries = 0;
	s->n_values = 0;
}

/* FNV-1a over the UUID: the server chooses UUIDs, but a slow probe costs only time. */
static size_t hash(const unsigned char *uuid)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < ORGRBAC_UUID_LEN; i++) {
		h ^= uuid[i];
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

/* The slot holding `uuid`, or the free slot where it would go. */
static size_t find(const struct orgrbac_store *s, const unsigned char *uuid)
{
	size_t mask = s->n_slots - 1, i = hash(uuid) & mask;

	while (s->slots[i] != NULL && memcmp(s->slots[i]->uuid, uuid, ORGRBAC_UUID_LEN) != 0)
		i = (i + 1) & mask;
	return i;
}

/* Room for one more entry at a load of at most one half; false on ENOMEM. */
static bool reserve(struct orgrbac_store *s)
{
	struct orgrbac_store_entry **old = s->slots;
	size_t n_old = s->n_slots, n = n_old != 0 ? n_old * 2 : 64;

	if ((s->n_entries + 1) * 2 <= n_old)
		return true;
	if (n < n_old || n > SIZE_MAX / sizeof(*old))
		return false;
	s->slots = calloc(n, sizeof(*old));
	if (s->slots == NULL) {
		s->slots = old;
		return false;
	}
	s->n_slots = n;
	for (size_t i = 0; i < n_old; i++)
		if (old[i] != NULL)
			s->slots[find(s, old[i]->uuid)] = old[i];
	free(old);
	return true;
}

static size_t sat_add(size_t a, size_t b)
{
	return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

/* The values an entry's part brings: each user, member, privilege, grantee, scope, external. */
static size_t piece_values(const struct orgrbac_image *p)
{
	size_t n = sat_add(p->n_users, p->n_externals);

	for (size_t i = 0; i < p->n_groups; i++)
		n = sat_add(n, p->groups[i].n_members);
	for (size_t i = 0; i < p->n_roles; i++)
		n = sat_add(n, p->roles[i].n_privileges);
	for (size_t i = 0; i < p->n_grants; i++)
		n = sat_add(n, sat_add(p->grants[i].n_grantees, p->grants[i].n_scopes));
	return n;
}

enum orgrbac_store_status orgrbac_store_upsert(struct orgrbac_store *s, const unsigned char *uuid,
					       size_t uuid_len, const char *dn,
					       struct orgrbac_image *piece)
{
	size_t values = piece_values(piece), i, others;
	struct orgrbac_store_entry *e;
	char *copy;

	if (uuid_len != ORGRBAC_UUID_LEN)
		return ORGRBAC_STORE_BADUUID;
	i = s->n_slots != 0 ? find(s, uuid) : 0;
	e = s->n_slots != 0 ? s->slots[i] : NULL;
	others = s->n_values - (e != NULL ? e->values : 0);
	if ((e == NULL && s->n_entries >= s->limits.max_entries) || values > s->limits.max_values ||
	    others > s->limits.max_values - values)
		return ORGRBAC_STORE_TOOMANY;
	copy = strdup(dn);
	if (copy == NULL || (e == NULL && (!reserve(s) || (e = calloc(1, sizeof(*e))) == NULL))) {
		free(copy);
		return ORGRBAC_STORE_NOMEM;
	}
	if (e->dn == NULL) { /* new */
		memcpy(e->uuid, uuid, ORGRBAC_UUID_LEN);
		s->slots[find(s, uuid)] = e;
		s->n_entries++;
	} else {
		free(e->dn);
		orgrbac_image_free(&e->piece);
	}
	e->dn = copy;
	e->values = values;
	orgrbac_image_trim(piece);
	e->piece = *piece;
	memset(piece, 0, sizeof(*piece));
	s->n_values = others + values;
	return ORGRBAC_STORE_OK;
}

bool orgrbac_store_delete(struct orgrbac_store *s, const unsigned char *uuid, size_t uuid_len)
{
	size_t mask = s->n_slots - 1, i, j;

	if (uuid_len != ORGRBAC_UUID_LEN || s->n_slots == 0)
		return false;
	i = find(s, uuid);
	if (s->slots[i] == NULL)
		return false;
	s->n_values -= s->slots[i]->values;
	s->n_entries--;
	entry_free(s->slots[i]);
	s->slots[i] = NULL;
	/* Backward shift: each later entry of the run moves up if its home allows. */
	for (j = (i + 1) & mask; s->slots[j] != NULL; j = (j + 1) & mask) {
		size_t home = hash(s->slots[j]->uuid) & mask;

		if (((j - home) & mask) >= ((j - i) & mask)) {
			s->slots[i] = s->slots[j];
			s->slots[j] = NULL;
			i = j;
		}
	}
	return true;
}

static int by_dn(const void *a, const void *b)
{
	const struct orgrbac_store_entry *x = *(const struct orgrbac_store_entry *const *)a;
	const struct orgrbac_store_entry *y = *(const struct orgrbac_store_entry *const *)b;
	int c = strcmp(x->dn, y->dn);

	return c != 0 ? c : memcmp(x->uuid, y->uuid, ORGRBAC_UUID_LEN);
}

enum orgrbac_store_status orgrbac_store_image(const struct orgrbac_store *s, const char *base,
					      struct orgrbac_image *out)
{
	const struct orgrbac_store_entry **v = calloc(s->n_entries + 1, sizeof(*v));
	size_t n = 0;
	enum orgrbac_store_status st = ORGRBAC_STORE_OK;

	memset(out, 0, sizeof(*out));
	out->base = strdup(base);
	if (v == NULL || out->base == NULL) {
		free(v);
		orgrbac_image_release(out);
		return ORGRBAC_STORE_NOMEM;
	}
	for (size_t i = 0; i < s->n_slots; i++)
		if (s->slots[i] != NULL)
			v[n++] = s->slots[i];
	qsort(v, n, sizeof(*v), by_dn);
	for (size_t i = 0; i < n && st == ORGRBAC_STORE_OK; i++)
		if (orgrbac_image_append(out, &v[i]->piece) != 0)
			st = ORGRBAC_STORE_NOMEM;
	free(v);
	if (st != ORGRBAC_STORE_OK)
		orgrbac_image_release(out);
	return st;
}
