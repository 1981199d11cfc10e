/* SPDX-License-Identifier: BSD-2-Clause */
/* Small helpers shared by every part of orgrbac: errors, secrets, safe file reads, names. */
#ifndef ORGRBAC_UTIL_H
#define ORGRBAC_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ORGRBAC_GROUP_NAME_MAX 255	     /* bytes of a group name */
#define ORGRBAC_TIME_MIN       INT64_MIN     /* an open notBefore */
#define ORGRBAC_TIME_MAX       INT64_MAX     /* an open notAfter */
#define ORGRBAC_USER_MAX       256	     /* bytes, without the terminator */
#define ORGRBAC_FILE_MAX       (1024 * 1024) /* no config or secret file is larger */

/* An error message for the caller to log; every failing function fills one. */
typedef struct {
	char msg[512];
} orgrbac_error;

void orgrbac_seterr(orgrbac_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Overwrite memory that held a secret; the compiler may not drop it. */
void orgrbac_wipe(void *p, size_t n);

/* Duplicate a string; NULL stays NULL. Aborts nothing: returns NULL on ENOMEM. */
char *orgrbac_strdup(const char *s);

enum orgrbac_file_check {
	ORGRBAC_FILE_ROOT = 1,	    /* owned by root, not group/world writable */
	ORGRBAC_FILE_PRIVATE = 2,   /* and no group/world access at all */
	ORGRBAC_FILE_ANY_OWNER = 4, /* drop "owned by root" (a test's or user's own file) */
};

struct stat;

/*
 * Open a file to read it with O_RDONLY|O_CLOEXEC|O_NOFOLLOW|O_NOCTTY|O_NONBLOCK
 * (a symbolic link is refused, a FIFO is not waited on), fstat it into *st
 * and check it: a regular file, and whatever `checks` (enum
 * orgrbac_file_check) asks. Returns the descriptor, or -1 with err naming
 * the path and what is wrong.
 */
int orgrbac_open_checked(const char *path, int checks, struct stat *st, orgrbac_error *err);

/*
 * Read up to n bytes, until n or the end of the file, whatever signals
 * interrupt. Returns the bytes read, or -1 with errno.
 */
ssize_t orgrbac_read_full(int fd, void *buf, size_t n);

/*
 * Read a whole file opened with orgrbac_open_checked() and at most `max` bytes. The buffer is
 * NUL-terminated; *len excludes the terminator. 0 on success, -1 with err set.
 */
int orgrbac_read_file(const char *path, int checks, size_t max, char **out, size_t *len,
		      orgrbac_error *err);

/*
 * The length of the well-formed UTF-8 sequence at s (Unicode's table 3-7),
 * 0 when the byte at s begins none: a stray continuation byte, an overlong
 * form, a surrogate, a code point above U+10FFFF, or a sequence cut short
 * (a NUL ends it, so a NUL-terminated string is never read past its end).
 */
size_t orgrbac_utf8_len(const unsigned char *s);
/* Is the sequence at s of length n a C1 control character (U+0080 to U+009F)? */
bool orgrbac_utf8_c1(const unsigned char *s, size_t n);

/*
 * Is `name` acceptable as a login name before any query? Refuses empty, over
 * ORGRBAC_USER_MAX bytes, invalid UTF-8, control characters, white space, a
 * leading '-', and ":,*()\\/". On refusal *why says what was wrong.
 */
bool orgrbac_username_valid(const char *name, const char **why);

/*
 * Escape a value for an LDAP search filter (RFC 4515): '*', '(', ')', '\\',
 * NUL and every byte >= 0x80 become \XX. Returns the length written, or -1
 * when `out` (of `outlen` bytes including the terminator) is too small.
 */
int orgrbac_filter_escape(const char *in, char *out, size_t outlen);

/*
 * Copy untrusted text for a log line: at most `len` - 1 bytes, anything
 * outside printable ASCII as '?', "..." when cut. Returns out.
 */
char *orgrbac_printable(const char *in, char *out, size_t len);

/*
 * Saturating arithmetic for times and sizes read from files or the directory:
 * a result beyond int64_t is clamped to INT64_MIN or INT64_MAX, never
 * wrapped. A caller that compares against a bound treats a clamped result
 * as "at least that far", never as in range.
 */
int64_t orgrbac_sat_add(int64_t a, int64_t b);
int64_t orgrbac_sat_sub(int64_t a, int64_t b);
int64_t orgrbac_sat_mul(int64_t a, int64_t b);

/*
 * Seconds from `then` to `now`, saturated: negative when `then` lies in the
 * future, INT64_MAX (or INT64_MIN) when the distance does not fit.
 */
static inline int64_t orgrbac_age(int64_t now, int64_t then)
{
	return orgrbac_sat_sub(now, then);
}

/*
 * Room for `need` elements of `size` bytes in the array `v` of *cap elements:
 * `v` itself when it is large enough, else a larger copy (doubling from 16,
 * the new room zeroed, *cap updated). NULL on overflow or out of memory, and
 * `v` is left as it was.
 */
void *orgrbac_grow(void *v, size_t *cap, size_t need, size_t size);

/*
 * An index entry: a string key (a DN, a uid) and the place of what holds it.
 * A table of them sorted with orgrbac_keyed_sort is in key order, byte for
 * byte, the entries of one key together in idx order.
 */
struct orgrbac_keyed {
	const char *key;
	size_t idx;
};

struct orgrbac_keyed orgrbac_keyed(const char *key, size_t idx);
void orgrbac_keyed_sort(struct orgrbac_keyed *v, size_t n);
/* The first entry with `key`, or where it would be (n at most). */
size_t orgrbac_keyed_lower(const struct orgrbac_keyed *v, size_t n, const char *key);
/* The idx of the first entry with `key`, or -1. */
long orgrbac_keyed_find(const struct orgrbac_keyed *v, size_t n, const char *key);

/*
 * Many small allocations freed at once: blocks of `block` bytes filled in
 * turn, a request of more than a quarter of one in a block of its own.
 * Counted references: the last orgrbac_arena_free frees it all.
 */
struct orgrbac_arena;
struct orgrbac_arena *orgrbac_arena_new(size_t block);
struct orgrbac_arena *orgrbac_arena_ref(struct orgrbac_arena *a);
/* `n` zeroed bytes aligned for any type; NULL out of memory. */
void *orgrbac_arena_alloc(struct orgrbac_arena *a, size_t n);
/* A copy of `s` (at most `n` bytes of it for strndup); NULL out of memory. */
char *orgrbac_arena_strdup(struct orgrbac_arena *a, const char *s);
char *orgrbac_arena_strndup(struct orgrbac_arena *a, const char *s, size_t n);
/* One reference to `a` dropped; with the last, every allocation and `a`. NULL is none. */
void orgrbac_arena_free(struct orgrbac_arena *a);

/* Split `s` on commas and/or white space into a NULL-terminated array. */
char **orgrbac_split_list(const char *s, size_t *n);
void orgrbac_strv_free(char **v);

#endif
