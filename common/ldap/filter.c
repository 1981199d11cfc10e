/* SPDX-License-Identifier: BSD-2-Clause */
/* Search filters that match any of many values: escaped, bounded. */
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "util.h"

#define FILTER_MAX (256 * 1024)

/* A growing filter string with a hard bound. */
struct filter {
	char *s;
	size_t len, cap;
	bool failed;
};

static void filter_add(struct filter *f, const char *text)
{
	size_t n = strlen(text);
	char *s;

	if (f->failed)
		return;
	if (f->len + n + 1 > FILTER_MAX ||
	    (s = orgrbac_grow(f->s, &f->cap, f->len + n + 1, 1)) == NULL) {
		f->failed = true;
		return;
	}
	f->s = s;
	memcpy(f->s + f->len, text, n + 1);
	f->len += n;
}

static void filter_add_value(struct filter *f, const char *value)
{
	size_t need = strlen(value) * 3 + 1;
	char *esc = malloc(need);

	if (esc == NULL || orgrbac_filter_escape(value, esc, need) < 0)
		f->failed = true;
	else
		filter_add(f, esc);
	free(esc);
}

char *orgrbac_filter_any(const char *cls, const char *attr, char *const *values, size_t count)
{
	struct filter f = {0};

	filter_add(&f, "(&(objectClass=");
	filter_add(&f, cls);
	filter_add(&f, ")(|");
	for (size_t i = 0; i < count; i++) {
		filter_add(&f, "(");
		filter_add(&f, attr);
		filter_add(&f, "=");
		filter_add_value(&f, values[i]);
		filter_add(&f, ")");
	}
	filter_add(&f, "))");
	if (f.failed) {
		free(f.s);
		return NULL;
	}
	return f.s;
}
