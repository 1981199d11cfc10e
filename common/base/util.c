/* SPDX-License-Identifier: BSD-2-Clause */
/* Small helpers shared by every part of orgrbac: errors, secrets, safe file reads, names. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

void orgrbac_seterr(orgrbac_error *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

void orgrbac_wipe(void *p, size_t n)
{
	if (p != NULL)
		explicit_bzero(p, n);
}

int64_t orgrbac_sat_add(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

int64_t orgrbac_sat_sub(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_sub_overflow(a, b, &r))
		return b < 0 ? INT64_MAX : INT64_MIN;
	return r;
}

int64_t orgrbac_sat_mul(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_mul_overflow(a, b, &r))
		return (a < 0) == (b < 0) ? INT64_MAX : INT64_MIN;
	return r;
}

char *orgrbac_strdup(const char *s)
{
	return s == NULL ? NULL : strdup(s);
}

int orgrbac_open_checked(const char *path, int checks, struct stat *st, orgrbac_error *err)
{
	int fd;

	/* O_NONBLOCK: a FIFO put in the file's place is refused below, not waited on. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		orgrbac_seterr(err, "%.200s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, st) != 0) {
		orgrbac_seterr(err, "%.200s: cannot stat: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st->st_mode)) {
		orgrbac_seterr(err, "%.200s: not a regular file", path);
		goto fail;
	}
	if ((checks & (ORGRBAC_FILE_ROOT | ORGRBAC_FILE_PRIVATE)) == 0)
		return fd;
	if ((checks & ORGRBAC_FILE_ANY_OWNER) == 0 && st->st_uid != 0) {
		orgrbac_seterr(err, "%.200s: must be owned by root (owner uid %lu)", path,
			       (unsigned long)st->st_uid);
		goto fail;
	}
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		orgrbac_seterr(err, "%.200s: must not be writable by group or others (mode %04o)",
			       path, (unsigned)(st->st_mode & 07777));
		goto fail;
	}
	if ((checks & ORGRBAC_FILE_PRIVATE) != 0 && (st->st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		orgrbac_seterr(err, "%.200s: must not be accessible by group or others (mode %04o)",
			       path, (unsigned)(st->st_mode & 07777));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

ssize_t orgrbac_read_full(int fd, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, (char *)buf + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

int orgrbac_read_file(const char *path, int checks, size_t max, char **out, size_t *len,
		      orgrbac_error *err)
{
	struct stat st;
	char *buf = NULL;
	size_t got;
	ssize_t r;
	int fd;

	*out = NULL;
	fd = orgrbac_open_checked(path, checks, &st, err);
	if (fd < 0)
		return -1;
	if (st.st_size < 0 || (size_t)st.st_size > max) {
		orgrbac_seterr(err, "%.200s: larger than %zu bytes", path, max);
		goto fail;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		orgrbac_seterr(err, "%.200s: out of memory", path);
		goto fail;
	}
	r = orgrbac_read_full(fd, buf, (size_t)st.st_size);
	if (r < 0) {
		orgrbac_seterr(err, "%.200s: cannot read: %s", path, strerror(errno));
		goto fail;
	}
	got = (size_t)r;
	buf[got] = '\0';
	close(fd);
	*out = buf;
	if (len != NULL)
		*len = got;
	return 0;
fail:
	if (buf != NULL) {
		orgrbac_wipe(buf, (size_t)st.st_size + 1);
		free(buf);
	}
	close(fd);
	return -1;
}

void *orgrbac_grow(void *v, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap == 0 ? 16 : *cap;
	void *g;

	if (need <= *cap)
		return v;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return NULL;
		ncap *= 2;
	}
	/* Refused here, not by reallocarray: no allocator is asked for the impossible. */
	if (size == 0 || ncap > SIZE_MAX / size)
		return NULL;
	g = reallocarray(v, ncap, size);
	if (g == NULL)
		return NULL;
	memset((char *)g + *cap * size, 0, (ncap - *cap) * size);
	*cap = ncap;
	return g;
}

struct orgrbac_keyed orgrbac_keyed(const char *key, size_t idx)
{
	return (struct orgrbac_keyed){key, idx};
}

static int cmp_keyed(const void *a, const void *b)
{
	const struct orgrbac_keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c != 0 ? c : x->idx < y->idx ? -1 : x->idx > y->idx;
}

void orgrbac_keyed_sort(struct orgrbac_keyed *v, size_t n)
{
	if (v != NULL && n > 1)
		qsort(v, n, sizeof(*v), cmp_keyed);
}

size_t orgrbac_keyed_lower(const struct orgrbac_keyed *v, size_t n, const char *key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(v[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

long orgrbac_keyed_find(const struct orgrbac_keyed *v, size_t n, const char *key)
{
	size_t i = orgrbac_keyed_lower(v, n, key);

	return i < n && strcmp(v[i].key, key) == 0 ? (long)v[i].idx : -1;
}

/* One block: the bytes handed out follow the header. */
struct arena_block {
	struct arena_block *next;
	size_t used, size;
	max_align_t data[];
};

struct orgrbac_arena {
	struct arena_block *full; /* blocks filled, and blocks of one request */
	struct arena_block *open; /* the block being filled, or NULL */
	size_t block;		  /* the bytes of a block */
	size_t refs;
};

struct orgrbac_arena *orgrbac_arena_new(size_t block)
{
	struct orgrbac_arena *a = calloc(1, sizeof(*a));

	if (a != NULL) {
		a->block = block > sizeof(struct arena_block) + 64
			       ? block - sizeof(struct arena_block) - 16
			       : 64;
		a->refs = 1;
	}
	return a;
}

struct orgrbac_arena *orgrbac_arena_ref(struct orgrbac_arena *a)
{
	a->refs++;
	return a;
}

static struct arena_block *arena_block(size_t size)
{
	struct arena_block *b;

	if (size > SIZE_MAX - sizeof(*b))
		return NULL;
	b = malloc(sizeof(*b) + size);
	if (b != NULL)
		*b = (struct arena_block){NULL, 0, size};
	return b;
}

/* `n` zeroed bytes at a multiple of `align` (a power of two); NULL out of memory. */
static void *arena_take(struct orgrbac_arena *a, size_t n, size_t align)
{
	struct arena_block *b;
	size_t at;

	if (n > a->block / 4) {
		if ((b = arena_block(n)) == NULL)
			return NULL;
		b->next = a->full;
		a->full = b;
		return memset(b->data, 0, n);
	}
	at = a->open != NULL ? (a->open->used + align - 1) & ~(align - 1) : 0;
	if (a->open == NULL || at > a->open->size || a->open->size - at < n) {
		if ((b = arena_block(a->block)) == NULL)
			return NULL;
		if (a->open != NULL) {
			a->open->next = a->full;
			a->full = a->open;
		}
		a->open = b;
		at = 0;
	}
	a->open->used = at + n;
	return memset((unsigned char *)a->open->data + at, 0, n);
}

void *orgrbac_arena_alloc(struct orgrbac_arena *a, size_t n)
{
	return arena_take(a, n, sizeof(max_align_t));
}

char *orgrbac_arena_strndup(struct orgrbac_arena *a, const char *s, size_t n)
{
	char *c;

	n = strnlen(s, n);
	if (n == SIZE_MAX || (c = arena_take(a, n + 1, 1)) == NULL)
		return NULL;
	memcpy(c, s, n);
	return c;
}

char *orgrbac_arena_strdup(struct orgrbac_arena *a, const char *s)
{
	return orgrbac_arena_strndup(a, s, SIZE_MAX);
}

void orgrbac_arena_free(struct orgrbac_arena *a)
{
	if (a == NULL || --a->refs > 0)
		return;
	free(a->open);
	for (struct arena_block *b = a->full, *next; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

size_t orgrbac_utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	/* the second byte's range shuts out overlong forms, surrogates and > U+10FFFF */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

bool orgrbac_utf8_c1(const unsigned char *s, size_t n)
{
	return n == 2 && s[0] == 0xc2 && s[1] <= 0x9f;
}

bool orgrbac_username_valid(const char *name, const char **why)
{
	const unsigned char *p;
	size_t len;

	if (name == NULL || name[0] == '\0') {
		*why = "empty user name";
		return false;
	}
	len = strnlen(name, ORGRBAC_USER_MAX + 1);
	if (len > ORGRBAC_USER_MAX) {
		*why = "user name longer than 256 bytes";
		return false;
	}
	if (name[0] == '-') {
		*why = "user name starts with '-'";
		return false;
	}
	for (p = (const unsigned char *)name; *p != '\0';) {
		size_t n = orgrbac_utf8_len(p);

		if (n == 0 || orgrbac_utf8_c1(p, n)) {
			*why = "user name is not valid UTF-8 or contains a control character";
			return false;
		}
		if (n == 1) {
			if (*p < 0x20 || *p == 0x7f) {
				*why = "user name contains a control character";
				return false;
			}
			if (isspace(*p)) {
				*why = "user name contains white space";
				return false;
			}
			if (strchr(":,*()\\/", *p) != NULL) {
				*why = "user name contains one of : , * ( ) \\ /";
				return false;
			}
		}
		p += n;
	}
	return true;
}

int orgrbac_filter_escape(const char *in, char *out, size_t outlen)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (outlen == 0)
		return -1;
	for (const unsigned char *p = (const unsigned char *)in; *p != '\0'; p++) {
		if (*p == '*' || *p == '(' || *p == ')' || *p == '\\' || *p >= 0x80) {
			if (outlen - o < 4)
				return -1;
			out[o++] = '\\';
			out[o++] = hex[*p >> 4];
			out[o++] = hex[*p & 0xf];
		} else {
			if (outlen - o < 2)
				return -1;
			out[o++] = (char)*p;
		}
	}
	out[o] = '\0';
	return (int)o;
}

char **orgrbac_split_list(const char *s, size_t *n)
{
	const char *sep = ", \t";
	char **v;
	size_t count = 0, i = 0;
	const char *p;

	if (s == NULL)
		s = "";
	for (p = s; *p != '\0';) {
		p += strspn(p, sep);
		if (*p == '\0')
			break;
		count++;
		p += strcspn(p, sep);
	}
	v = calloc(count + 1, sizeof(*v));
	if (v == NULL)
		return NULL;
	for (p = s; *p != '\0';) {
		size_t len;

		p += strspn(p, sep);
		if (*p == '\0')
			break;
		len = strcspn(p, sep);
		v[i] = strndup(p, len);
		if (v[i] == NULL) {
			orgrbac_strv_free(v);
			return NULL;
		}
		i++;
		p += len;
	}
	if (n != NULL)
		*n = count;
	return v;
}

void orgrbac_strv_free(char **v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

char *orgrbac_printable(const char *in, char *out, size_t len)
{
	size_t o = 0;

	if (len == 0)
		return out;
	for (const unsigned char *p = (const unsigned char *)(in ? in : "(null)"); *p != '\0';
	     p++) {
		if (o + 1 >= len) {
			if (len > 4)
				memcpy(out + len - 4, "...", 3);
			o = len - 1;
			break;
		}
		out[o++] = *p >= 0x20 && *p < 0x7f ? (char)*p : '?';
	}
	out[o] = '\0';
	return out;
}
