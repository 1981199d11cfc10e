/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of common/model/expr.c: grammar, errors, limits, witnesses and privilege matching. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "expr.h"

/* The principal of a test: the privileges it holds, and every question it was asked. */
struct principal {
	const char *const *held;
	const char *asked[2 * ORGRBAC_EXPR_MAX_TERMS];
	size_t n_asked;
};

static bool holds(void *ctx, const char *privilege)
{
	struct principal *p = ctx;

	assert_non_null(privilege);
	assert_true(p->n_asked < sizeof(p->asked) / sizeof(p->asked[0]));
	p->asked[p->n_asked++] = privilege;
	for (size_t i = 0; p->held != NULL && p->held[i] != NULL; i++)
		if (strcmp(p->held[i], privilege) == 0)
			return true;
	return false;
}

static bool never_called(void *ctx, const char *privilege)
{
	(void)ctx;
	(void)privilege;
	fail_msg("a requirement of 'none' asked for a privilege");
	return true;
}

static struct orgrbac_expr *parse_ok(const char *text)
{
	struct orgrbac_expr *e = NULL;
	orgrbac_error err = {{0}};

	if (orgrbac_expr_parse(text, &e, &err) != 0)
		fail_msg("'%s' refused: %s", text, err.msg);
	assert_non_null(e);
	return e;
}

static void assert_refused(const char *text, const char *message)
{
	struct orgrbac_expr *e = (struct orgrbac_expr *)&e; /* must be reset to NULL */
	orgrbac_error err = {{0}};

	assert_int_equal(orgrbac_expr_parse(text, &e, &err), -1);
	assert_null(e);
	assert_string_equal(err.msg, message);
}

/* Parse `text`, evaluate it for a principal holding `held`, and compare the witness. */
static void check_eval(const char *text, const char *const *held, bool expect,
		       const char *const *witness)
{
	struct orgrbac_expr *e = parse_ok(text);
	struct principal p = {.held = held};
	struct orgrbac_witness w;
	size_t n = 0;

	memset(&w, 0xa5, sizeof(w)); /* stale content must not leak through */
	assert_int_equal(orgrbac_expr_eval(e, holds, &p, &w), expect);
	while (witness != NULL && witness[n] != NULL)
		n++;
	assert_int_equal(w.n, expect ? n : 0);
	for (size_t i = 0; i < w.n; i++)
		assert_string_equal(w.terms[i], witness[i]);
	/* The same answer without a witness. */
	p.n_asked = 0;
	assert_int_equal(orgrbac_expr_eval(e, holds, &p, NULL), expect);
	orgrbac_expr_free(e);
}

#define L(...)	  ((const char *const[]){__VA_ARGS__, NULL})
#define NONE_HELD ((const char *const[]){NULL})

static void single_privilege(void **state)
{
	struct orgrbac_expr *e = parse_ok("host:login");

	(void)state;
	assert_false(orgrbac_expr_is_none(e));
	assert_string_equal(orgrbac_expr_text(e), "host:login");
	orgrbac_expr_free(e);
	check_eval("host:login", L("host:login"), true, L("host:login"));
	check_eval("host:login", L("host:sudo"), false, NULL);
	check_eval("host:login", NONE_HELD, false, NULL);
	/* Case-sensitive, and no prefix matching at this level. */
	check_eval("host:login", L("Host:login"), false, NULL);
	check_eval("API_READ", L("API_READ"), true, L("API_READ"));
	check_eval("a.b-c_d:9", L("a.b-c_d:9"), true, L("a.b-c_d:9"));
}

static void or_operators(void **state)
{
	(void)state;
	check_eval("a || b", L("a"), true, L("a"));
	check_eval("a || b", L("b"), true, L("b"));
	check_eval("a || b", NONE_HELD, false, NULL);
	check_eval("a + b", L("b"), true, L("b"));
	check_eval("a+b", L("a"), true, L("a"));
	check_eval("a + b || c", L("c"), true, L("c"));
	check_eval("a||b+c", L("x", "y"), false, NULL);
}

static void and_operator(void **state)
{
	(void)state;
	check_eval("a && b", L("a", "b"), true, L("a", "b"));
	check_eval("a && b", L("b", "a"), true, L("a", "b"));
	check_eval("a && b", L("a"), false, NULL);
	check_eval("a && b", L("b"), false, NULL);
	check_eval("a&&b&&c", L("a", "b", "c"), true, L("a", "b", "c"));
	check_eval("a&&b&&c", L("a", "c"), false, NULL);
}

static void and_binds_tighter(void **state)
{
	(void)state;
	/* a || (b && c) */
	check_eval("a || b && c", L("a"), true, L("a"));
	check_eval("a || b && c", L("b"), false, NULL);
	check_eval("a || b && c", L("c"), false, NULL);
	check_eval("a || b && c", L("b", "c"), true, L("b", "c"));
	/* (a && b) || c */
	check_eval("a && b || c", L("c"), true, L("c"));
	check_eval("a && b || c", L("a"), false, NULL);
	check_eval("a && b + c", L("a", "b"), true, L("a", "b"));
	check_eval("a + b && c", L("a"), true, L("a"));
}

static void parentheses(void **state)
{
	(void)state;
	check_eval("(a || b) && c", L("a"), false, NULL);
	check_eval("(a || b) && c", L("b", "c"), true, L("b", "c"));
	check_eval("(a)", L("a"), true, L("a"));
	check_eval("((a))", L("a"), true, L("a"));
	check_eval("(a || b) && (c || d)", L("b", "d"), true, L("b", "d"));
	check_eval("a && (b + c) && d", L("a", "c", "d"), true, L("a", "c", "d"));
	check_eval("a && (b + c) && d", L("a", "c"), false, NULL);
	check_eval("(a && (b || (c && d)))", L("a", "c", "d"), true, L("a", "c", "d"));
}

static void white_space(void **state)
{
	struct orgrbac_expr *e = parse_ok("  a\t||\tb  ");

	(void)state;
	/* The text is kept as given, white space included. */
	assert_string_equal(orgrbac_expr_text(e), "  a\t||\tb  ");
	orgrbac_expr_free(e);
	check_eval("  a\t||\tb  ", L("b"), true, L("b"));
	check_eval("a&&b", L("a", "b"), true, L("a", "b"));
	check_eval(" ( a ) && ( b ) ", L("a", "b"), true, L("a", "b"));
	check_eval("\ta", L("a"), true, L("a"));
}

static void none_alone(void **state)
{
	const char *texts[] = {"none", "  none", "none  ", "\tnone\t"};
	struct orgrbac_witness w;

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct orgrbac_expr *e = parse_ok(texts[i]);

		assert_true(orgrbac_expr_is_none(e));
		assert_string_equal(orgrbac_expr_text(e), texts[i]);
		memset(&w, 0xa5, sizeof(w));
		assert_true(orgrbac_expr_eval(e, never_called, NULL, &w));
		assert_int_equal(w.n, 0);
		assert_true(orgrbac_expr_eval(e, never_called, NULL, NULL));
		orgrbac_expr_free(e);
	}
}

static void none_is_only_a_keyword_alone(void **state)
{
	(void)state;
	assert_refused("none || a", "column 1: 'none' must stand alone");
	assert_refused("a || none", "column 6: 'none' must stand alone");
	assert_refused("a+none", "column 3: 'none' must stand alone");
	assert_refused("(none)", "column 2: 'none' must stand alone");
	assert_refused("none none", "column 1: 'none' must stand alone");
	/* Only the exact word: these are ordinary privileges. */
	check_eval("None", L("None"), true, L("None"));
	check_eval("none:x", L("none:x"), true, L("none:x"));
	check_eval("x:none", L("x:none"), true, L("x:none"));
	check_eval("nonexistent", NONE_HELD, false, NULL);
}

static void missing_privilege_errors(void **state)
{
	(void)state;
	assert_refused(NULL, "no expression given");
	assert_refused("", "column 1: empty expression");
	assert_refused("   \t ", "column 1: empty expression");
	assert_refused("a &&", "column 5: expected a privilege after '&&'");
	assert_refused("a && ", "column 6: expected a privilege after '&&'");
	assert_refused("host:login && || b", "column 15: expected a privilege after '&&'");
	assert_refused("a ||", "column 5: expected a privilege after '||'");
	assert_refused("a || && b", "column 6: expected a privilege after '||'");
	assert_refused("a +", "column 4: expected a privilege after '+'");
	assert_refused("a ++ b", "column 4: expected a privilege after '+'");
	assert_refused("(", "column 2: expected a privilege after '('");
	assert_refused("()", "column 2: expected a privilege after '('");
	assert_refused("a && ()", "column 7: expected a privilege after '('");
	assert_refused("(a && )", "column 7: expected a privilege after '&&'");
	assert_refused("|| a", "column 1: expected a privilege, found '||'");
	assert_refused("&& a", "column 1: expected a privilege, found '&&'");
	assert_refused("  + a", "column 3: expected a privilege, found '+'");
}

static void parenthesis_errors(void **state)
{
	(void)state;
	assert_refused(")", "column 1: unbalanced ')'");
	assert_refused("a||b)", "column 5: unbalanced ')'");
	assert_refused("(a))", "column 4: unbalanced ')'");
	assert_refused("(a) && b) || c", "column 9: unbalanced ')'");
	assert_refused("(a||b", "column 6: expected ')' to close '(' at column 1");
	assert_refused("a && ((b)  ", "column 12: expected ')' to close '(' at column 6");
	assert_refused("(a b)", "column 4: expected '&&', '||', '+' or ')', found a privilege");
	assert_refused("(a (b))", "column 4: expected '&&', '||', '+' or ')', found '('");
}

static void operator_errors(void **state)
{
	(void)state;
	assert_refused("a b", "column 3: expected '&&', '||' or '+', found a privilege");
	assert_refused("a (b)", "column 3: expected '&&', '||' or '+', found '('");
	assert_refused("(a) b", "column 5: expected '&&', '||' or '+', found a privilege");
	assert_refused("a | b", "column 3: single '|', expected '||' or '+'");
	assert_refused("a|b", "column 2: single '|', expected '||' or '+'");
	assert_refused("a ||| b", "column 5: single '|', expected '||' or '+'");
	assert_refused("a & b", "column 3: single '&', expected '&&'");
	assert_refused("a &b", "column 3: single '&', expected '&&'");
	assert_refused("a &", "column 3: single '&', expected '&&'");
	assert_refused("a ! b", "column 3: unexpected character '!'");
	assert_refused("a,b", "column 2: unexpected character ','");
	assert_refused("a = b", "column 3: unexpected character '='");
	assert_refused("\"a\"", "column 1: unexpected character '\"'");
}

static void privilege_errors(void **state)
{
	(void)state;
	assert_refused("host:*", "column 6: '*' is not allowed in a requirement");
	assert_refused("a || b && *", "column 11: '*' is not allowed in a requirement");
	assert_refused("*", "column 1: '*' is not allowed in a requirement");
	assert_refused("a*", "column 2: '*' is not allowed in a requirement");
	assert_refused("a::b", "column 3: expected a segment after ':'");
	assert_refused("a:", "column 3: expected a segment after ':'");
	assert_refused("a: b", "column 3: expected a segment after ':'");
	assert_refused("a:|| b", "column 3: expected a segment after ':'");
	assert_refused(":a", "column 1: expected a segment before ':'");
	assert_refused("a && :b", "column 6: expected a segment before ':'");
	assert_refused("a : b", "column 3: expected a segment before ':'");
}

static void byte_errors(void **state)
{
	(void)state;
	assert_refused("a\nb", "column 2: control character 0x0a");
	assert_refused("a || b\r", "column 7: control character 0x0d");
	assert_refused("\x01", "column 1: control character 0x01");
	assert_refused("a\x7f", "column 2: control character 0x7f");
	assert_refused("h\xc3\xa9llo", "column 2: non-ASCII byte 0xc3");
	assert_refused("a || \xff", "column 6: non-ASCII byte 0xff");
	assert_refused("ab\x80", "column 3: non-ASCII byte 0x80");
	/* Screened before parsing: a bad byte is named even after a syntax error. */
	assert_refused("&& \x1b[0m", "column 4: control character 0x1b");
	assert_refused("none\n", "column 5: control character 0x0a");
}

static void length_limit(void **state)
{
	char text[ORGRBAC_EXPR_MAX_LEN + 2];
	struct orgrbac_expr *e;

	(void)state;
	memset(text, ' ', sizeof(text));
	text[0] = 'a';
	text[ORGRBAC_EXPR_MAX_LEN] = '\0';
	e = parse_ok(text);
	assert_int_equal(strlen(orgrbac_expr_text(e)), ORGRBAC_EXPR_MAX_LEN);
	assert_memory_equal(orgrbac_expr_text(e), text, ORGRBAC_EXPR_MAX_LEN + 1);
	orgrbac_expr_free(e);
	text[ORGRBAC_EXPR_MAX_LEN] = ' ';
	text[ORGRBAC_EXPR_MAX_LEN + 1] = '\0';
	assert_refused(text, "expression longer than 1024 bytes");
}

static void privilege_length_limit(void **state)
{
	char text[ORGRBAC_PRIVILEGE_MAX + 16];
	char longest[ORGRBAC_PRIVILEGE_MAX + 1];

	(void)state;
	memset(longest, 'p', ORGRBAC_PRIVILEGE_MAX);
	longest[ORGRBAC_PRIVILEGE_MAX] = '\0';
	check_eval(longest, L(longest), true, L(longest));

	snprintf(text, sizeof(text), "x || %sq", longest);
	assert_refused(text, "column 6: privilege longer than 255 bytes");
	snprintf(text, sizeof(text), "%s:q", longest + 2);
	assert_int_equal(strlen(text), ORGRBAC_PRIVILEGE_MAX);
	check_eval(text, L(text), true, L(text));
	snprintf(text, sizeof(text), "%s:q", longest + 1);
	assert_refused(text, "column 1: privilege longer than 255 bytes");
}

/* "(((...(a)...)))" nested `depth` deep, after `prefix`. */
static void nested(char *buf, size_t len, const char *prefix, unsigned depth)
{
	size_t n = strlen(prefix);

	assert_true(n + 2 * depth + 2 < len);
	memcpy(buf, prefix, n);
	memset(buf + n, '(', depth);
	buf[n + depth] = 'a';
	memset(buf + n + depth + 1, ')', depth);
	buf[n + 2 * depth + 1] = '\0';
}

static void depth_limit(void **state)
{
	char text[128];

	(void)state;
	nested(text, sizeof(text), "", ORGRBAC_EXPR_MAX_DEPTH);
	check_eval(text, L("a"), true, L("a"));
	nested(text, sizeof(text), "", ORGRBAC_EXPR_MAX_DEPTH + 1);
	assert_refused(text, "column 17: nesting deeper than 16");
	nested(text, sizeof(text), "b && c || ", ORGRBAC_EXPR_MAX_DEPTH + 3);
	assert_refused(text, "column 27: nesting deeper than 16");
	/* Depth is nesting, not the number of groups. */
	snprintf(text, sizeof(text), "%s",
		 "(a)&&(a)&&(a)&&(a)&&(a)&&(a)&&(a)&&(a)&&(a)&&(a)&&"
		 "(a)&&(a)&&(a)&&(a)&&(a)&&(a)&&(a)&&(a)&&(a)&&(a)");
	check_eval(text, L("a"), true,
		   L("a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a",
		     "a", "a", "a", "a"));
}

/* "p0 <op> p1 <op> ... p(n-1)"; *col is the column of the last privilege. */
static void chain(char *buf, size_t len, size_t n, const char *op, size_t *col)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w;

		*col = used + 1 + (i > 0 ? strlen(op) : 0);
		w = snprintf(buf + used, len - used, "%sp%zu", i > 0 ? op : "", i);
		assert_true(w > 0 && (size_t)w < len - used);
		used += (size_t)w;
	}
}

static void terms_limit(void **state)
{
	char text[ORGRBAC_EXPR_MAX_LEN + 1];
	char message[64];
	char names[ORGRBAC_EXPR_MAX_TERMS][8];
	const char *held[ORGRBAC_EXPR_MAX_TERMS + 1];
	struct orgrbac_expr *e;
	struct principal p = {.held = held};
	struct orgrbac_witness w;
	size_t col;

	(void)state;
	for (size_t i = 0; i < ORGRBAC_EXPR_MAX_TERMS; i++) {
		snprintf(names[i], sizeof(names[i]), "p%zu", i);
		held[i] = names[i];
	}
	held[ORGRBAC_EXPR_MAX_TERMS] = NULL;

	/* 64 privileges all required: the witness holds every one, in order. */
	chain(text, sizeof(text), ORGRBAC_EXPR_MAX_TERMS, " && ", &col);
	e = parse_ok(text);
	assert_true(orgrbac_expr_eval(e, holds, &p, &w));
	assert_int_equal(w.n, ORGRBAC_EXPR_MAX_TERMS);
	for (size_t i = 0; i < ORGRBAC_EXPR_MAX_TERMS; i++)
		assert_string_equal(w.terms[i], names[i]);
	orgrbac_expr_free(e);

	/* 64 alternatives, only the last held: every one asked, the witness is the last. */
	chain(text, sizeof(text), ORGRBAC_EXPR_MAX_TERMS, "||", &col);
	e = parse_ok(text);
	held[0] = names[ORGRBAC_EXPR_MAX_TERMS - 1];
	held[1] = NULL;
	p.n_asked = 0;
	assert_true(orgrbac_expr_eval(e, holds, &p, &w));
	assert_int_equal(p.n_asked, ORGRBAC_EXPR_MAX_TERMS);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.terms[0], names[ORGRBAC_EXPR_MAX_TERMS - 1]);
	orgrbac_expr_free(e);

	chain(text, sizeof(text), ORGRBAC_EXPR_MAX_TERMS + 1, "||", &col);
	snprintf(message, sizeof(message), "column %zu: more than 64 privileges", col);
	assert_refused(text, message);
	chain(text, sizeof(text), ORGRBAC_EXPR_MAX_TERMS + 1, " + ", &col);
	snprintf(message, sizeof(message), "column %zu: more than 64 privileges", col);
	assert_refused(text, message);
}

static void witness_branches(void **state)
{
	(void)state;
	/* The satisfied "and" branch fails on b; only c is the witness. */
	check_eval("(a && b) || c", L("a", "c"), true, L("c"));
	check_eval("(a && b) || c", L("a", "b", "c"), true, L("a", "b"));
	check_eval("(a && b) || (a && c)", L("a", "c"), true, L("a", "c"));
	check_eval("a || b", L("a", "b"), true, L("a"));
	check_eval("(a || b) && (c || d)", L("a", "b", "c", "d"), true, L("a", "c"));
	check_eval("((a && b) || c) && d", L("a", "c", "d"), true, L("c", "d"));
	check_eval("((a && b) || c) && d", L("a", "b", "c"), false, NULL);
}

static void short_circuit(void **state)
{
	struct orgrbac_expr *e = parse_ok("(a && b) || c");
	struct principal p = {.held = L("a", "c")};
	struct orgrbac_witness w;

	(void)state;
	assert_true(orgrbac_expr_eval(e, holds, &p, &w));
	assert_int_equal(p.n_asked, 3);
	assert_string_equal(p.asked[0], "a");
	assert_string_equal(p.asked[1], "b");
	assert_string_equal(p.asked[2], "c");
	orgrbac_expr_free(e);

	e = parse_ok("a || b");
	p.held = L("a");
	p.n_asked = 0;
	assert_true(orgrbac_expr_eval(e, holds, &p, &w));
	assert_int_equal(p.n_asked, 1);
	orgrbac_expr_free(e);

	e = parse_ok("a && b && c");
	p.held = L("b", "c");
	p.n_asked = 0;
	assert_false(orgrbac_expr_eval(e, holds, &p, &w));
	assert_int_equal(p.n_asked, 1);
	assert_string_equal(p.asked[0], "a");
	orgrbac_expr_free(e);
}

static void witness_points_into_expression(void **state)
{
	struct orgrbac_expr *e = parse_ok("x:read && y:write");
	struct principal p = {.held = L("x:read", "y:write")};
	struct orgrbac_witness w, again;
	const char *text = orgrbac_expr_text(e);
	size_t len = strlen(text);

	(void)state;
	assert_true(orgrbac_expr_eval(e, holds, &p, &w));
	assert_int_equal(w.n, 2);
	/* The terms are NUL-terminated privileges of their own, not pieces of the text. */
	assert_string_equal(w.terms[0], "x:read");
	assert_string_equal(w.terms[1], "y:write");
	assert_string_equal(text, "x:read && y:write");
	assert_int_equal(strlen(text), len);
	/* Stable: the same pointers on every evaluation, and what holds() was given. */
	assert_ptr_equal(p.asked[0], w.terms[0]);
	assert_true(orgrbac_expr_eval(e, holds, &p, &again));
	assert_ptr_equal(again.terms[0], w.terms[0]);
	assert_ptr_equal(again.terms[1], w.terms[1]);
	orgrbac_expr_free(e);
}

static void null_arguments(void **state)
{
	struct orgrbac_expr *e = parse_ok("a");
	struct principal p = {.held = L("a")};
	struct orgrbac_witness w;
	orgrbac_error err = {{0}};

	(void)state;
	memset(&w, 0xa5, sizeof(w));
	assert_false(orgrbac_expr_eval(NULL, holds, &p, &w));
	assert_int_equal(w.n, 0);
	memset(&w, 0xa5, sizeof(w));
	assert_false(orgrbac_expr_eval(e, NULL, &p, &w));
	assert_int_equal(w.n, 0);
	orgrbac_expr_free(e);
	assert_false(orgrbac_expr_is_none(NULL));
	assert_null(orgrbac_expr_text(NULL));
	assert_int_equal(orgrbac_expr_parse("a", NULL, &err), -1);
	assert_true(strlen(err.msg) > 0);
	/* A NULL error sink is allowed. */
	assert_int_equal(orgrbac_expr_parse("a b", &e, NULL), -1);
	assert_null(e);
	orgrbac_expr_free(NULL);
}

static void privilege_valid_table(void **state)
{
	static const struct {
		const char *p;
		bool concrete, pattern;
	} table[] = {
	    {"host:login", true, true},	 {"iam:invitation:create", true, true},
	    {"API_READ", true, true},	 {"a", true, true},
	    {"a.b-c_d:9", true, true},	 {"-", true, true},
	    {"..:__", true, true},	 {"*", false, true},
	    {"host:*", false, true},	 {"a:b:*", false, true},
	    {"", false, false},		 {":", false, false},
	    {":a", false, false},	 {"a:", false, false},
	    {"a::b", false, false},	 {"a b", false, false},
	    {" a", false, false},	 {"a*", false, false},
	    {"**", false, false},	 {":*", false, false},
	    {"*:a", false, false},	 {"a:*:b", false, false},
	    {"a::*", false, false},	 {"a:**", false, false},
	    {"host:log*", false, false}, {"h\xc3\xa9", false, false},
	    {"a\n", false, false},	 {"a/b", false, false},
	};
	char longest[ORGRBAC_PRIVILEGE_MAX + 2];

	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (orgrbac_privilege_valid(table[i].p, false) != table[i].concrete)
			fail_msg("'%s' as a privilege: expected %d", table[i].p, table[i].concrete);
		if (orgrbac_privilege_valid(table[i].p, true) != table[i].pattern)
			fail_msg("'%s' as a pattern: expected %d", table[i].p, table[i].pattern);
	}
	assert_false(orgrbac_privilege_valid(NULL, false));
	assert_false(orgrbac_privilege_valid(NULL, true));

	memset(longest, 'a', sizeof(longest));
	longest[ORGRBAC_PRIVILEGE_MAX] = '\0';
	assert_true(orgrbac_privilege_valid(longest, false));
	longest[ORGRBAC_PRIVILEGE_MAX - 2] = ':';
	longest[ORGRBAC_PRIVILEGE_MAX - 1] = '*';
	assert_true(orgrbac_privilege_valid(longest, true));
	assert_false(orgrbac_privilege_valid(longest, false));
	memset(longest, 'a', sizeof(longest));
	longest[ORGRBAC_PRIVILEGE_MAX + 1] = '\0';
	assert_false(orgrbac_privilege_valid(longest, false));
	assert_false(orgrbac_privilege_valid(longest, true));
	longest[ORGRBAC_PRIVILEGE_MAX - 1] = ':';
	longest[ORGRBAC_PRIVILEGE_MAX] = '*';
	assert_false(orgrbac_privilege_valid(longest, true));
}

static void privilege_covers_table(void **state)
{
	static const struct {
		const char *granted, *required;
		bool covers;
	} table[] = {
	    {"host:login", "host:login", true},
	    {"host:login", "host:Login", false},
	    {"Host:login", "host:login", false},
	    {"host:login", "host:login:x", false},
	    {"host:login", "host", false},
	    {"host", "host:login", false},
	    {"host:*", "host:login", true},
	    {"host:*", "host:a:b", true},
	    {"host:*", "host", false},
	    {"host:*", "hostile:x", false},
	    {"host:*", "HOST:login", false},
	    {"host:*", "xhost:login", false},
	    {"a:b:*", "a:b:c", true},
	    {"a:b:*", "a:b", false},
	    {"a:b:*", "a:bc", false},
	    {"a:b:*", "a:c:d", false},
	    {"*", "host:login", true},
	    {"*", "API_READ", true},
	    {"*", "x", true},
	    /* Malformed on either side: nothing is covered. */
	    {"*", "", false},
	    {"*", "host:", false},
	    {"*", "host:*", false},
	    {"host:*", "host:", false},
	    {"host:*", "host::x", false},
	    {"host:l*", "host:login", false},
	    {"host*", "host:login", false},
	    {"a:*:b", "a:x:b", false},
	    {":*", ":x", false},
	    {"**", "x", false},
	    {"", "", false},
	    {" host:login", "host:login", false},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (orgrbac_privilege_covers(table[i].granted, table[i].required) !=
		    table[i].covers)
			fail_msg("'%s' covers '%s': expected %d", table[i].granted,
				 table[i].required, table[i].covers);
	assert_false(orgrbac_privilege_covers(NULL, "a"));
	assert_false(orgrbac_privilege_covers("a", NULL));
	assert_false(orgrbac_privilege_covers("*", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(single_privilege),
	    cmocka_unit_test(or_operators),
	    cmocka_unit_test(and_operator),
	    cmocka_unit_test(and_binds_tighter),
	    cmocka_unit_test(parentheses),
	    cmocka_unit_test(white_space),
	    cmocka_unit_test(none_alone),
	    cmocka_unit_test(none_is_only_a_keyword_alone),
	    cmocka_unit_test(missing_privilege_errors),
	    cmocka_unit_test(parenthesis_errors),
	    cmocka_unit_test(operator_errors),
	    cmocka_unit_test(privilege_errors),
	    cmocka_unit_test(byte_errors),
	    cmocka_unit_test(length_limit),
	    cmocka_unit_test(privilege_length_limit),
	    cmocka_unit_test(depth_limit),
	    cmocka_unit_test(terms_limit),
	    cmocka_unit_test(witness_branches),
	    cmocka_unit_test(short_circuit),
	    cmocka_unit_test(witness_points_into_expression),
	    cmocka_unit_test(null_arguments),
	    cmocka_unit_test(privilege_valid_table),
	    cmocka_unit_test(privilege_covers_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
