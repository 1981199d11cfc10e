/* SPDX-License-Identifier: BSD-2-Clause */
/* The host snapshot's reader: the mapped file, validated, answering NSS and offline questions. */
#ifndef ORGRBAC_SNAPSHOT_H
#define ORGRBAC_SNAPSHOT_H

#include <grp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "util.h"

#ifndef ORGRBAC_SNAPSHOT_PATH
#define ORGRBAC_SNAPSHOT_PATH "/var/lib/orgrbac/snapshot.db"
#endif

/* A mapped snapshot whose header was checked; every read is checked where it is made. */
struct orgrbac_snapshot;

enum {
	ORGRBAC_SNAP_TRUST_ANY_OWNER = 1, /* tests run as non-root only */
	/*
	 * The decision part only (PAM): the group part is neither checked nor
	 * read (its tables look empty), and nothing is read at open beyond the
	 * header; each record is checked where it is read (snapshot_facts.h).
	 */
	ORGRBAC_SNAP_FACTS_ONLY = 2,
};

/*
 * Open and map `path` (O_RDONLY|O_CLOEXEC|O_NOFOLLOW|O_NOCTTY): a regular
 * file owned by root, not group/world writable, at most SNAP_FILE_MAX bytes
 * (snapshot_format.h), whose header is checked: magic, version (another
 * version is refused, naming it), size, the header's checksum, and every
 * section within the file and in order. Nothing else is read at open: each
 * lookup checks the blocks and records it reads (snapshot.c). 0, or -1 with
 * err.
 */
int orgrbac_snapshot_open(const char *path, int flags, struct orgrbac_snapshot **out,
			  orgrbac_error *err);

/* The same checks over a buffer the caller owns and keeps while in use. */
int orgrbac_snapshot_from_buffer(const void *buf, size_t len, struct orgrbac_snapshot **out,
				 orgrbac_error *err);

void orgrbac_snapshot_close(struct orgrbac_snapshot *s);

/*
 * Is the file at `st` the one that was opened, unchanged (device, inode,
 * size, mtime, ctime: a chmod or chown since the open changes the ctime)?
 */
bool orgrbac_snapshot_is_file(const struct orgrbac_snapshot *s, const struct stat *st);

/* The same comparison between two stats of a snapshot file (one refused earlier, say). */
bool orgrbac_snapshot_same_file(const struct stat *a, const struct stat *b);

uint64_t orgrbac_snapshot_generation(const struct orgrbac_snapshot *s);
int64_t orgrbac_snapshot_synced_at(const struct orgrbac_snapshot *s);
int64_t orgrbac_snapshot_max_age(const struct orgrbac_snapshot *s);
size_t orgrbac_snapshot_count_users(const struct orgrbac_snapshot *s);
size_t orgrbac_snapshot_count_roles(const struct orgrbac_snapshot *s);
size_t orgrbac_snapshot_count_members(const struct orgrbac_snapshot *s);

/* Younger than its max_age at `now`? */
bool orgrbac_snapshot_fresh(const struct orgrbac_snapshot *s, int64_t now);

enum orgrbac_snap_status {
	ORGRBAC_SNAP_OK = 0,
	ORGRBAC_SNAP_NOTFOUND, /* no such group or user */
	ORGRBAC_SNAP_ERANGE,   /* the caller's buffer is too small */
	ORGRBAC_SNAP_NOMEM,    /* growing the caller's array failed */
	ORGRBAC_SNAP_CORRUPT,  /* a block or record this lookup reads is corrupt */
};

/*
 * Group index by name or gid, by binary search; -1 when absent, -2 when a
 * block or record on the way is corrupt.
 */
long orgrbac_snapshot_find_name(const struct orgrbac_snapshot *s, const char *name);
long orgrbac_snapshot_find_gid(const struct orgrbac_snapshot *s, uint32_t gid);

/*
 * Fill `gr` for group `idx` (0 .. count_roles - 1, in gid order) with the
 * members in force at `now`, every string and the member array in `buf`.
 * ERANGE when buflen is too small, NOTFOUND for an index out of range,
 * CORRUPT when the role's record is.
 */
enum orgrbac_snap_status orgrbac_snapshot_group(const struct orgrbac_snapshot *s, size_t idx,
						int64_t now, struct group *gr, char *buf,
						size_t buflen);

/* The same for the group named `name`, or of gid `gid`, the record read and checked once. */
enum orgrbac_snap_status orgrbac_snapshot_group_by_name(const struct orgrbac_snapshot *s,
							const char *name, int64_t now,
							struct group *gr, char *buf, size_t buflen);
enum orgrbac_snap_status orgrbac_snapshot_group_by_gid(const struct orgrbac_snapshot *s,
						       uint32_t gid, int64_t now, struct group *gr,
						       char *buf, size_t buflen);

/* The group name, gid and directory name of role `idx`; NULL when out of range or corrupt. */
const char *orgrbac_snapshot_role(const struct orgrbac_snapshot *s, size_t idx, uint32_t *gid,
				  const char **cn);

/*
 * For offline decisions: the k-th privilege of role `idx` (NULL past the
 * last), and whether `user` holds role `idx` at `now` (a membership and the
 * user's external window both in force). The snapshot holds only the roles
 * that are groups on this host.
 */
const char *orgrbac_snapshot_privilege(const struct orgrbac_snapshot *s, size_t idx, size_t k);
bool orgrbac_snapshot_holds_role(const struct orgrbac_snapshot *s, size_t idx, const char *user,
				 int64_t now);

/* Is `user` in the snapshot as a principal of another organization than the host's? */
bool orgrbac_snapshot_user_foreign(const struct orgrbac_snapshot *s, const char *user);

/*
 * Add to (*groups)[*start ..] the gids of the groups `user` is a member of at
 * `now`, except `skip` and gids already present, growing *groups as glibc's
 * initgroups_dyn expects: double *size, never beyond `limit` when limit > 0,
 * and stop quietly when the limit is reached. NOTFOUND for an unknown user,
 * or one whose external access is closed at `now`; NOMEM when growing fails;
 * CORRUPT when the user's record (or a block on the way to it) is.
 */
enum orgrbac_snap_status orgrbac_snapshot_initgroups(const struct orgrbac_snapshot *s,
						     const char *user, gid_t skip, int64_t now,
						     long *start, long *size, gid_t **groups,
						     long limit);

#endif
