/* SPDX-License-Identifier: BSD-2-Clause */
/* The passwd database from the snapshot's decision part: by name, by uid, in uid order. */
#ifndef ORGRBAC_SNAPSHOT_PASSWD_H
#define ORGRBAC_SNAPSHOT_PASSWD_H

#include <pwd.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"

enum orgrbac_pw_status {
	ORGRBAC_PW_OK = 0,
	ORGRBAC_PW_NOTFOUND, /* not served, or not at this time */
	ORGRBAC_PW_ERANGE,   /* the caller's buffer is too small */
	ORGRBAC_PW_CORRUPT,  /* a table entry or record read on the way does not check out */
};

/*
 * Why these passwd fields must not be served, or NULL: uid or gid 0, a name
 * orgrbac_username_valid refuses or `root`, a home that is not an absolute
 * path other than `/` (or holds a `..` component), a shell that is neither
 * empty nor an absolute path, or any field with ':' or a control character.
 * Sync refuses such a user; the reader, finding one, calls the snapshot
 * corrupt.
 */
const char *orgrbac_passwd_refusal(const char *name, uint32_t uid, uint32_t gid, const char *gecos,
				   const char *home, const char *shell);

/* May this gecos be served as it is (no ':', no control character)? */
bool orgrbac_passwd_gecos_ok(const char *gecos);

/* The users the passwd table lists (some may be out of their window at a given time). */
size_t orgrbac_snapshot_count_passwd(const struct orgrbac_snapshot *s);

/*
 * Fill pw (strings in buf) for the user named `name` (byte for byte), the
 * user of uidNumber `uid`, or the table's i-th user (uid order), if sync
 * chose to serve it and `now` lies in the window it is served in. Reads the
 * table entry and one record (by name: log2(n) records), each checked.
 */
enum orgrbac_pw_status orgrbac_snapshot_getpwnam(const struct orgrbac_snapshot *s, const char *name,
						 int64_t now, struct passwd *pw, char *buf,
						 size_t buflen);
enum orgrbac_pw_status orgrbac_snapshot_getpwuid(const struct orgrbac_snapshot *s, uint32_t uid,
						 int64_t now, struct passwd *pw, char *buf,
						 size_t buflen);
enum orgrbac_pw_status orgrbac_snapshot_passwd_at(const struct orgrbac_snapshot *s, size_t i,
						  int64_t now, struct passwd *pw, char *buf,
						  size_t buflen);

#endif
