/* SPDX-License-Identifier: BSD-2-Clause */
/* What the last sync left out of the snapshot, and why: writer and strict reader of the record. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "leftout.h"
#include "replace.h"

#define LEFT_OUT_MAGIC "orgrbac-left-out 1"

static const char *const kinds[] = {"role", "user", "entry"};

static bool kind_known(const char *k, size_t n)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strlen(kinds[i]) == n && memcmp(kinds[i], k, n) == 0)
			return true;
	return false;
}

/* Copy at most ORGRBAC_LEFT_OUT_TEXT_MAX bytes of s, anything unprintable as '?'. */
static void put_field(char *dst, const char *s)
{
	size_t i = 0;

	for (; s != NULL && s[i] != '\0' && i < ORGRBAC_LEFT_OUT_TEXT_MAX; i++)
		dst[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	if (i == 0)
		dst[i++] = '?';
	dst[i] = '\0';
}

int orgrbac_left_out_add(struct orgrbac_left_out *lo, const char *kind, const char *name,
			 const char *why)
{
	struct orgrbac_left_out_entry *e;

	if (lo->count < SIZE_MAX)
		lo->count++;
	if (lo->n >= ORGRBAC_LEFT_OUT_MAX || !kind_known(kind, strlen(kind)))
		return 0;
	e = orgrbac_grow(lo->e, &lo->cap, lo->n + 1, sizeof(*e));
	if (e == NULL)
		return -1;
	lo->e = e;
	e = &lo->e[lo->n++];
	snprintf(e->kind, sizeof(e->kind), "%s", kind);
	put_field(e->name, name);
	put_field(e->why, why);
	return 0;
}

void orgrbac_left_out_free(struct orgrbac_left_out *lo)
{
	free(lo->e);
	memset(lo, 0, sizeof(*lo));
}

char *orgrbac_left_out_path(const char *snapshot)
{
	char *path;

	if (asprintf(&path, "%s%s", snapshot, ORGRBAC_LEFT_OUT_SUFFIX) < 0)
		return NULL;
	return path;
}

int orgrbac_left_out_write(const char *path, const struct orgrbac_left_out *lo, orgrbac_error *err)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	int rc = -1;

	if (f == NULL) {
		orgrbac_seterr(err, "out of memory");
		return -1;
	}
	fprintf(f, "%s\ngeneration %" PRIu64 "\nsynced %" PRId64 "\ncount %zu\n", LEFT_OUT_MAGIC,
		lo->generation, lo->synced_at < 0 ? 0 : lo->synced_at, lo->count);
	for (size_t i = 0; i < lo->n && i < ORGRBAC_LEFT_OUT_MAX; i++)
		fprintf(f, "%s\t%s\t%s\n", lo->e[i].kind, lo->e[i].name, lo->e[i].why);
	fputs("end\n", f);
	if (fclose(f) != 0 || text == NULL)
		orgrbac_seterr(err, "out of memory");
	else
		rc = orgrbac_replace_file(path, text, size, 0644, err);
	free(text);
	return rc;
}

/* The reader's place in the text. */
struct cursor {
	const char *p, *end;
	unsigned line;
	const char *s; /* the current line, without its newline */
	size_t n;
};

/* The next complete line; false at the end or on a line without its newline. */
static bool next_line(struct cursor *c)
{
	const char *nl = c->p < c->end ? memchr(c->p, '\n', (size_t)(c->end - c->p)) : NULL;

	if (nl == NULL)
		return false;
	c->s = c->p;
	c->n = (size_t)(nl - c->p);
	c->p = nl + 1;
	c->line++;
	return true;
}

/* "KEY DIGITS" with the value at most max; false when the line is anything else. */
static bool keyed_number(const struct cursor *c, const char *key, uint64_t max, uint64_t *v)
{
	size_t k = strlen(key), i;

	if (c->n <= k + 1 || c->n > k + 21 || memcmp(c->s, key, k) != 0 || c->s[k] != ' ')
		return false;
	*v = 0;
	for (i = k + 1; i < c->n; i++) {
		unsigned d = (unsigned char)c->s[i] - '0';

		if (d > 9 || *v > (max - d) / 10)
			return false;
		*v = *v * 10 + d;
	}
	return true;
}

/* A field of an entry line: non-empty, printable, not too long. */
static bool field_ok(const char *s, size_t n)
{
	if (n == 0 || n > ORGRBAC_LEFT_OUT_TEXT_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

/* One "KIND<TAB>NAME<TAB>WHY" line into lo; false when malformed. */
static bool entry_line(const struct cursor *c, struct orgrbac_left_out *lo)
{
	const char *t1 = memchr(c->s, '\t', c->n), *t2, *end = c->s + c->n;
	struct orgrbac_left_out_entry *e;

	if (t1 == NULL || !kind_known(c->s, (size_t)(t1 - c->s)))
		return false;
	t2 = memchr(t1 + 1, '\t', (size_t)(end - t1 - 1));
	if (t2 == NULL || !field_ok(t1 + 1, (size_t)(t2 - t1 - 1)) ||
	    !field_ok(t2 + 1, (size_t)(end - t2 - 1)) ||
	    memchr(t2 + 1, '\t', (size_t)(end - t2 - 1)))
		return false;
	e = &lo->e[lo->n++];
	memcpy(e->kind, c->s, (size_t)(t1 - c->s));
	e->kind[t1 - c->s] = '\0';
	memcpy(e->name, t1 + 1, (size_t)(t2 - t1 - 1));
	e->name[t2 - t1 - 1] = '\0';
	memcpy(e->why, t2 + 1, (size_t)(end - t2 - 1));
	e->why[end - t2 - 1] = '\0';
	return true;
}

/* The four header lines; false with err. */
static bool header(struct cursor *c, struct orgrbac_left_out *lo, orgrbac_error *err)
{
	uint64_t v;

	if (!next_line(c) || c->n != strlen(LEFT_OUT_MAGIC) ||
	    memcmp(c->s, LEFT_OUT_MAGIC, c->n) != 0) {
		orgrbac_seterr(err, "line 1: not a record of entries left out");
		return false;
	}
	if (!next_line(c) || !keyed_number(c, "generation", UINT64_MAX, &lo->generation)) {
		orgrbac_seterr(err, "line 2: expected 'generation N'");
		return false;
	}
	if (!next_line(c) || !keyed_number(c, "synced", INT64_MAX, &v)) {
		orgrbac_seterr(err, "line 3: expected 'synced SECONDS'");
		return false;
	}
	lo->synced_at = (int64_t)v;
	if (!next_line(c) || !keyed_number(c, "count", SIZE_MAX, &v)) {
		orgrbac_seterr(err, "line 4: expected 'count N'");
		return false;
	}
	lo->count = (size_t)v;
	return true;
}

int orgrbac_left_out_parse(const char *text, size_t len, struct orgrbac_left_out *lo,
			   orgrbac_error *err)
{
	struct cursor c = {text, text + len, 0, NULL, 0};

	memset(lo, 0, sizeof(*lo));
	if (memchr(text, '\0', len) != NULL) {
		orgrbac_seterr(err, "a NUL byte in the record");
		return -1;
	}
	if (!header(&c, lo, err))
		goto bad;
	lo->cap = lo->count < ORGRBAC_LEFT_OUT_MAX ? lo->count : ORGRBAC_LEFT_OUT_MAX;
	lo->e = calloc(lo->cap + 1, sizeof(*lo->e));
	if (lo->e == NULL) {
		orgrbac_seterr(err, "out of memory");
		goto bad;
	}
	while (next_line(&c)) {
		if (c.n == 3 && memcmp(c.s, "end", 3) == 0) {
			if (c.p != c.end) {
				orgrbac_seterr(err, "line %u: text after 'end'", c.line + 1);
				goto bad;
			}
			return 0;
		}
		if (lo->n >= lo->cap || !entry_line(&c, lo)) {
			orgrbac_seterr(err, "line %u: %s", c.line,
				       lo->n >= lo->cap ? "more entries than counted"
							: "expected KIND<TAB>NAME<TAB>WHY");
			goto bad;
		}
	}
	orgrbac_seterr(err, "line %u: the record ends without 'end'", c.line + 1);
bad:
	orgrbac_left_out_free(lo);
	return -1;
}

enum orgrbac_left_out_read orgrbac_left_out_read(const char *path, bool trust_any_owner,
						 struct orgrbac_left_out *lo, orgrbac_error *err)
{
	char *text = NULL;
	size_t len = 0;
	int checks = ORGRBAC_FILE_ROOT | (trust_any_owner ? ORGRBAC_FILE_ANY_OWNER : 0);
	orgrbac_error why;
	struct stat st;

	memset(lo, 0, sizeof(*lo));
	if (lstat(path, &st) != 0 && errno == ENOENT)
		return ORGRBAC_LEFT_OUT_ABSENT;
	if (orgrbac_read_file(path, checks, ORGRBAC_FILE_MAX, &text, &len, err) != 0)
		return ORGRBAC_LEFT_OUT_INVALID;
	if (orgrbac_left_out_parse(text, len, lo, &why) != 0) {
		orgrbac_seterr(err, "%s: %s", path, why.msg);
		free(text);
		return ORGRBAC_LEFT_OUT_INVALID;
	}
	free(text);
	return ORGRBAC_LEFT_OUT_READ;
}
