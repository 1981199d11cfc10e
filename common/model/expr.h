/* SPDX-License-Identifier: BSD-2-Clause */
/* Privilege expressions: the requirement a service puts on a login. */
#ifndef ORGRBAC_EXPR_H
#define ORGRBAC_EXPR_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/*
 * Grammar (DESIGN.md section 1):
 *
 *   requirement := "none" | or
 *   or          := and { ( "||" | "+" ) and }
 *   and         := term { "&&" term }
 *   term        := PRIVILEGE | "(" or ")"
 *   PRIVILEGE   := segment { ":" segment },  segment := [A-Za-z0-9_.-]+
 *
 * "&&" binds tighter than "||" and "+". White space between tokens is
 * ignored. "none" (no privilege required) must stand alone.
 */
#define ORGRBAC_EXPR_MAX_LEN   1024 /* bytes of text */
#define ORGRBAC_EXPR_MAX_DEPTH 16   /* nested parentheses */
#define ORGRBAC_EXPR_MAX_TERMS 64   /* privileges named */
#define ORGRBAC_PRIVILEGE_MAX  255  /* bytes of one privilege */

struct orgrbac_expr;

/*
 * Parse `text`. On error returns -1 with err naming the 1-based column, e.g.
 * "column 12: expected a privilege after '&&'".
 */
int orgrbac_expr_parse(const char *text, struct orgrbac_expr **out, orgrbac_error *err);
void orgrbac_expr_free(struct orgrbac_expr *e);

/* True for the requirement "none". */
bool orgrbac_expr_is_none(const struct orgrbac_expr *e);

/* The text the expression was parsed from. */
const char *orgrbac_expr_text(const struct orgrbac_expr *e);

/* Answers whether the principal holds one concrete privilege. */
typedef bool (*orgrbac_holds_fn)(void *ctx, const char *privilege);

/* The privileges that made an expression true: the terms of the satisfying branch. */
struct orgrbac_witness {
	const char *terms[ORGRBAC_EXPR_MAX_TERMS];
	size_t n;
};

/*
 * Evaluate. "none" is true. `w` may be NULL; otherwise on a true result it
 * holds exactly the terms of the branch that satisfied it, in order.
 */
bool orgrbac_expr_eval(const struct orgrbac_expr *e, orgrbac_holds_fn holds, void *ctx,
		       struct orgrbac_witness *w);

/*
 * Is `p` a well-formed privilege? With `pattern`, a role's privilege may also
 * be "*" alone or end in ":*".
 */
bool orgrbac_privilege_valid(const char *p, bool pattern);

/*
 * Does the role privilege `granted` ("host:login", "host:*", "*") cover the
 * concrete privilege `required`? Case-sensitive. "host:*" covers
 * "host:login" and "host:a:b" but not "host" nor "hostile:x".
 */
bool orgrbac_privilege_covers(const char *granted, const char *required);

#endif
