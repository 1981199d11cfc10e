/* SPDX-License-Identifier: BSD-2-Clause */
/* What the last sync left out of the snapshot, and why: a small record beside it. */
#ifndef ORGRBAC_LEFTOUT_H
#define ORGRBAC_LEFTOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define ORGRBAC_LEFT_OUT_MAX	  256 /* entries the record lists; more are only counted */
#define ORGRBAC_LEFT_OUT_TEXT_MAX 256 /* bytes of a name or a reason; longer ones are cut */
#define ORGRBAC_LEFT_OUT_SUFFIX	  ".left-out"

/* One entry left out: a role, a user (a login name), or an entry (a user entry's DN). */
struct orgrbac_left_out_entry {
	char kind[8]; /* "role", "user" or "entry" */
	char name[ORGRBAC_LEFT_OUT_TEXT_MAX + 1];
	char why[ORGRBAC_LEFT_OUT_TEXT_MAX + 1];
};

struct orgrbac_left_out {
	uint64_t generation; /* of the snapshot it describes */
	int64_t synced_at;
	size_t count; /* entries left out in all, listed or not */
	struct orgrbac_left_out_entry *e;
	size_t n, cap; /* listed: at most ORGRBAC_LEFT_OUT_MAX */
};

/*
 * Note one entry left out. `kind` is "role", "user" or "entry"; name and why
 * are cut to ORGRBAC_LEFT_OUT_TEXT_MAX bytes and anything unprintable
 * (tabs and newlines included) becomes '?'. Past ORGRBAC_LEFT_OUT_MAX
 * entries only `count` grows. 0, or -1 when out of memory.
 */
int orgrbac_left_out_add(struct orgrbac_left_out *lo, const char *kind, const char *name,
			 const char *why);
void orgrbac_left_out_free(struct orgrbac_left_out *lo);

/* The record's path beside the snapshot `snapshot`, to free; NULL when out of memory. */
char *orgrbac_left_out_path(const char *snapshot);

/*
 * Write the record to `path` atomically (orgrbac_replace_file), mode 0644:
 *   orgrbac-left-out 1
 *   generation G
 *   synced T
 *   count N
 *   KIND<TAB>NAME<TAB>WHY          (one line per listed entry)
 *   end
 * 0, or -1 with err.
 */
int orgrbac_left_out_write(const char *path, const struct orgrbac_left_out *lo, orgrbac_error *err);

/*
 * Parse a record strictly: the exact header, decimal numbers, every line
 * complete, known kinds, no empty or unprintable field, no more lines than
 * `count` nor than ORGRBAC_LEFT_OUT_MAX, "end" last. 0, or -1 with err
 * naming the line.
 */
int orgrbac_left_out_parse(const char *text, size_t len, struct orgrbac_left_out *lo,
			   orgrbac_error *err);

enum orgrbac_left_out_read {
	ORGRBAC_LEFT_OUT_READ = 0,
	ORGRBAC_LEFT_OUT_ABSENT,  /* no record: no sync of this version wrote one */
	ORGRBAC_LEFT_OUT_INVALID, /* unreadable, not root's (unless allowed), or malformed */
};

/*
 * Read the record at `path`: a regular file, owned by root and not writable
 * by group or others unless `trust_any_owner`, at most 1 MiB, parsed strictly.
 */
enum orgrbac_left_out_read orgrbac_left_out_read(const char *path, bool trust_any_owner,
						 struct orgrbac_left_out *lo, orgrbac_error *err);

#endif
