/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: privilege expressions, privilege syntax and privilege matching. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The principal holds a privilege when the input's seed bit for its first byte is set. */
static bool holds(void *ctx, const char *privilege)
{
	const uint8_t *seed = ctx;

	return (seed[(unsigned char)privilege[0] % 8] &
		(1u << ((unsigned char)privilege[1] % 8))) != 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t seed[8] = {0};
	struct orgrbac_expr *e = NULL;
	struct orgrbac_witness w;
	orgrbac_error err = {{0}};
	char *text, *half;
	size_t cut;

	/* The first bytes decide which privileges are held; the rest is the text. */
	if (size >= sizeof(seed)) {
		memcpy(seed, data, sizeof(seed));
		data += sizeof(seed);
		size -= sizeof(seed);
	}
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	if (orgrbac_expr_parse(text, &e, &err) == 0) {
		if (orgrbac_expr_eval(e, holds, seed, &w)) {
			if (!orgrbac_expr_is_none(e) && (w.n == 0 || w.n > ORGRBAC_EXPR_MAX_TERMS))
				abort();
			/* every witness term is a held, well-formed privilege */
			for (size_t i = 0; i < w.n; i++)
				if (!orgrbac_privilege_valid(w.terms[i], false) ||
				    !holds(seed, w.terms[i]))
					abort();
		} else if (w.n != 0) {
			abort();
		}
		if (strcmp(orgrbac_expr_text(e), text) != 0)
			abort();
		orgrbac_expr_free(e);
	} else if (e != NULL || err.msg[0] == '\0') {
		abort();
	}

	/* The text cut in two: a role privilege and a required one. */
	cut = size / 2;
	half = text + cut;
	if (cut < size)
		text[cut] = '\0';
	if (orgrbac_privilege_covers(text, half)) {
		if (!orgrbac_privilege_valid(text, true) || !orgrbac_privilege_valid(half, false))
			abort();
		/* a concrete privilege covers exactly itself */
		if (orgrbac_privilege_valid(text, false) && strcmp(text, half) != 0)
			abort();
	}
	if (orgrbac_privilege_valid(half, false) && !orgrbac_privilege_covers(half, half))
		abort();
	free(text);
	return 0;
}
