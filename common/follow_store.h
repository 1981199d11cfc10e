/* SPDX-License-Identifier: BSD-2-Clause */
/* The follower's copy of the directory: each entry's part of the image, keyed by its entryUUID. */
#ifndef ORGRBAC_FOLLOW_STORE_H
#define ORGRBAC_FOLLOW_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "hostview.h"

#define ORGRBAC_UUID_LEN 16 /* an entryUUID as the sync state control carries it */

enum orgrbac_store_status {
	ORGRBAC_STORE_OK = 0,
	ORGRBAC_STORE_NOMEM,   /* out of memory: the store is as it was */
	ORGRBAC_STORE_TOOMANY, /* more entries, or values, than the store's limits */
	ORGRBAC_STORE_BADUUID, /* a UUID that is not 16 bytes */
};

/* The limits: entries held, and values (users, members, grantees, ...) over all of them. */
struct orgrbac_store_limits {
	size_t max_entries;
	size_t max_values;
};

struct orgrbac_store_entry;

struct orgrbac_store {
	struct orgrbac_store_entry **slots; /* open addressing, linear probing; NULL: free */
	size_t n_slots;			    /* a power of two, or 0 */
	size_t n_entries;
	size_t n_values;
	struct orgrbac_store_limits limits;
};

void orgrbac_store_init(struct orgrbac_store *s, const struct orgrbac_store_limits *limits);

/* Forget every entry (a full refresh starts from nothing); the limits stay. */
void orgrbac_store_clear(struct orgrbac_store *s);

/*
 * Add or replace the entry `uuid` (an add and a modify alike): `piece` is
 * that entry's part of the image (orgrbac_image_add_entry into an empty
 * image), its DN the entry's normalized DN. The store takes `piece`'s
 * contents on OK and leaves them to the caller otherwise; a DN never keys
 * anything (a rename keeps its UUID).
 */
enum orgrbac_store_status orgrbac_store_upsert(struct orgrbac_store *s, const unsigned char *uuid,
					       size_t uuid_len, const char *dn,
					       struct orgrbac_image *piece);

/* Remove the entry `uuid`; true when there was one. */
bool orgrbac_store_delete(struct orgrbac_store *s, const unsigned char *uuid, size_t uuid_len);

/*
 * The whole image the store holds, its entries in DN order (then UUID),
 * sharing their values: free it with orgrbac_image_release before the store
 * changes. `base` is copied. OK or NOMEM.
 */
enum orgrbac_store_status orgrbac_store_image(const struct orgrbac_store *s, const char *base,
					      struct orgrbac_image *out);

#endif
