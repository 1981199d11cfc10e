/* SPDX-License-Identifier: BSD-2-Clause */
/* One sync: the whole directory in, this host's snapshot out. The CLI's `sync` calls it. */
#ifndef ORGRBAC_SYNC_H
#define ORGRBAC_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

#ifndef ORGRBAC_GROUP_FILE
#define ORGRBAC_GROUP_FILE  "/etc/group"
#define ORGRBAC_PASSWD_FILE "/etc/passwd"
#define ORGRBAC_SHELLS_FILE "/etc/shells"
#endif

enum orgrbac_sync_status {
	ORGRBAC_SYNC_WRITTEN = 0,  /* the snapshot was replaced */
	ORGRBAC_SYNC_LOCK,	   /* the lock beside the snapshot could not be taken */
	ORGRBAC_SYNC_LOCAL_GROUPS, /* the host's group file could not be read */
	ORGRBAC_SYNC_UNAVAIL,	   /* no directory server answered */
	ORGRBAC_SYNC_DIRECTORY,	   /* the directory could not be read: settings or answers */
	ORGRBAC_SYNC_VIEW,	   /* the host's view could not be computed */
	ORGRBAC_SYNC_WRITE,	   /* the snapshot (or the record beside it) could not be written */
};

struct orgrbac_sync_params {
	bool trust_any_owner;	 /* a non-root caller: the secret and old snapshot may be its own */
	const char *group_file;	 /* the host's groups; NULL: ORGRBAC_GROUP_FILE */
	const char *passwd_file; /* the host's users; NULL: ORGRBAC_PASSWD_FILE */
	const char *shells_file; /* the host's login shells; NULL: ORGRBAC_SHELLS_FILE */
	/* Called once for each warning (an entry left out, the state directory); may be NULL. */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;
};

struct orgrbac_sync_result {
	enum orgrbac_sync_status status;
	uint64_t generation;			    /* of the snapshot written */
	size_t users, groups, memberships;	    /* in the snapshot written */
	size_t read_users, read_groups, read_roles; /* entries read from the directory */
	size_t read_grants;
	size_t left_out;    /* roles and users the snapshot written leaves out (each warned) */
	const char *server; /* the URI that answered (one of cfg->uris), or NULL */
	orgrbac_error err;  /* why, when not WRITTEN */
};

/*
 * Replace cfg->snapshot with this host's view of the directory. One sync at
 * a time: a second one waits for the lock beside the snapshot, then reads
 * the directory afresh. The local groups are read before the directory; the
 * generation is one more than the old snapshot's (never wrapping), or 1.
 * What the view leaves out, and why, is written first to the record beside
 * the snapshot (leftout.h), tagged with the new generation; then the
 * snapshot. On any failure the old snapshot is left as it was (a record
 * whose generation is not the snapshot's describes no snapshot). Fills r.
 */
void orgrbac_sync(const struct orgrbac_config *cfg, const struct orgrbac_sync_params *p,
		  struct orgrbac_sync_result *r);

struct orgrbac_image;

/*
 * The second half of orgrbac_sync for a directory image already in memory
 * (the follower's): the lock, the host's groups, the host's view of `img`,
 * the record of what it left out, the snapshot and its generation, with the
 * same care and the same statuses (never UNAVAIL nor DIRECTORY); r->server
 * stays NULL. `img` is only read.
 */
void orgrbac_publish(const struct orgrbac_config *cfg, const struct orgrbac_sync_params *p,
		     const struct orgrbac_image *img, struct orgrbac_sync_result *r);

#endif
