/* SPDX-License-Identifier: BSD-2-Clause */
/* Privilege expressions: a bounded parser, a short-circuit evaluator and privilege matching. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"

/* A binary tree over at most MAX_TERMS leaves has fewer than twice as many nodes. */
#define EXPR_MAX_NODES (ORGRBAC_EXPR_MAX_TERMS * 2)

enum node_kind { NODE_TERM, NODE_AND, NODE_OR };

struct node {
	enum node_kind kind;
	const char *term; /* NODE_TERM: NUL-terminated, inside the expression's buffer */
	int left, right;  /* NODE_AND, NODE_OR: indices into nodes[] */
};

struct orgrbac_expr {
	bool none;
	int root;
	size_t n_nodes;
	size_t n_terms;
	struct node nodes[EXPR_MAX_NODES];
	const char *text; /* the original text, as given */
	/*
	 * Two copies of the text: the first is returned by orgrbac_expr_text, the
	 * second is cut into NUL-terminated privileges the leaves point to.
	 */
	char buf[];
};

enum tok_kind { TOK_NONE, TOK_PRIV, TOK_AND, TOK_OR, TOK_PLUS, TOK_LPAREN, TOK_RPAREN, TOK_END };

struct token {
	enum tok_kind kind;
	size_t start; /* byte offset in the text; the column is start + 1 */
	size_t len;
};

struct parser {
	const char *s;
	size_t pos;
	struct token tok;  /* the token being looked at */
	struct token prev; /* the one before it, to say what a missing privilege followed */
	char *scratch;	   /* the copy of the text cut into privileges */
	struct orgrbac_expr *e;
	orgrbac_error *err;
};

static bool is_segment_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

/* Tabs count as white space so that a requirement may be aligned in a config file. */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static unsigned long col(size_t off)
{
	return (unsigned long)off + 1;
}

static const char *describe(enum tok_kind k)
{
	switch (k) {
	case TOK_PRIV: return "a privilege";
	case TOK_AND: return "'&&'";
	case TOK_OR: return "'||'";
	case TOK_PLUS: return "'+'";
	case TOK_LPAREN: return "'('";
	case TOK_RPAREN: return "')'";
	case TOK_END: return "the end of the expression";
	case TOK_NONE: break;
	}
	return "nothing";
}

/* A privilege starts at p->pos, on a segment character. */
static int lex_privilege(struct parser *p)
{
	const char *s = p->s;
	size_t start = p->pos;
	size_t i = start;

	for (;;) {
		while (is_segment_char(s[i]))
			i++;
		if (s[i] != ':')
			break;
		i++;
		if (is_segment_char(s[i]))
			continue;
		if (s[i] == '*') {
			orgrbac_seterr(p->err, "column %lu: '*' is not allowed in a requirement",
				       col(i));
			return -1;
		}
		orgrbac_seterr(p->err, "column %lu: expected a segment after ':'", col(i));
		return -1;
	}
	if (i - start > ORGRBAC_PRIVILEGE_MAX) {
		orgrbac_seterr(p->err, "column %lu: privilege longer than %d bytes", col(start),
			       ORGRBAC_PRIVILEGE_MAX);
		return -1;
	}
	/* The whole expression "none" was recognised before lexing; anywhere else it is wrong. */
	if (i - start == 4 && memcmp(s + start, "none", 4) == 0) {
		orgrbac_seterr(p->err, "column %lu: 'none' must stand alone", col(start));
		return -1;
	}
	p->tok.kind = TOK_PRIV;
	p->tok.len = i - start;
	p->pos = i;
	return 0;
}

/* Move to the next token. */
static int lex(struct parser *p)
{
	const char *s = p->s;
	char c;

	p->prev = p->tok;
	while (is_blank(s[p->pos]))
		p->pos++;
	p->tok.start = p->pos;
	p->tok.len = 1;
	c = s[p->pos];
	switch (c) {
	case '\0':
		p->tok.kind = TOK_END;
		p->tok.len = 0;
		return 0;
	case '(': p->tok.kind = TOK_LPAREN; break;
	case ')': p->tok.kind = TOK_RPAREN; break;
	case '+': p->tok.kind = TOK_PLUS; break;
	case '|':
		if (s[p->pos + 1] != '|') {
			orgrbac_seterr(p->err, "column %lu: single '|', expected '||' or '+'",
				       col(p->pos));
			return -1;
		}
		p->tok.kind = TOK_OR;
		p->tok.len = 2;
		break;
	case '&':
		if (s[p->pos + 1] != '&') {
			orgrbac_seterr(p->err, "column %lu: single '&', expected '&&'",
				       col(p->pos));
			return -1;
		}
		p->tok.kind = TOK_AND;
		p->tok.len = 2;
		break;
	case '*':
		orgrbac_seterr(p->err, "column %lu: '*' is not allowed in a requirement",
			       col(p->pos));
		return -1;
	case ':':
		orgrbac_seterr(p->err, "column %lu: expected a segment before ':'", col(p->pos));
		return -1;
	default:
		if (is_segment_char(c))
			return lex_privilege(p);
		/* Only printable ASCII is left: the text was screened before lexing. */
		orgrbac_seterr(p->err, "column %lu: unexpected character '%c'", col(p->pos), c);
		return -1;
	}
	p->pos += p->tok.len;
	return 0;
}

static int new_node(struct parser *p, enum node_kind kind, int left, int right, int *out)
{
	struct orgrbac_expr *e = p->e;
	struct node *n;

	/* Unreachable while MAX_TERMS is enforced; kept so a change there cannot overflow. */
	if (e->n_nodes >= EXPR_MAX_NODES) {
		orgrbac_seterr(p->err, "column %lu: expression too complex", col(p->tok.start));
		return -1;
	}
	n = &e->nodes[e->n_nodes];
	n->kind = kind;
	n->term = NULL;
	n->left = left;
	n->right = right;
	*out = (int)e->n_nodes++;
	return 0;
}

static int parse_or(struct parser *p, unsigned depth, int *out);

static int parse_term(struct parser *p, unsigned depth, int *out)
{
	struct token t = p->tok;
	struct token open;
	int inner;

	if (t.kind == TOK_PRIV) {
		if (p->e->n_terms >= ORGRBAC_EXPR_MAX_TERMS) {
			orgrbac_seterr(p->err, "column %lu: more than %d privileges", col(t.start),
				       ORGRBAC_EXPR_MAX_TERMS);
			return -1;
		}
		if (new_node(p, NODE_TERM, -1, -1, out) != 0)
			return -1;
		/* The byte after the privilege in the scratch copy is not part of it. */
		p->scratch[t.start + t.len] = '\0';
		p->e->nodes[*out].term = p->scratch + t.start;
		p->e->n_terms++;
		return lex(p);
	}
	if (t.kind == TOK_LPAREN) {
		if (depth >= ORGRBAC_EXPR_MAX_DEPTH) {
			orgrbac_seterr(p->err, "column %lu: nesting deeper than %d", col(t.start),
				       ORGRBAC_EXPR_MAX_DEPTH);
			return -1;
		}
		open = t;
		if (lex(p) != 0 || parse_or(p, depth + 1, &inner) != 0)
			return -1;
		if (p->tok.kind == TOK_END) {
			orgrbac_seterr(p->err,
				       "column %lu: expected ')' to close '(' at column %lu",
				       col(p->tok.start), col(open.start));
			return -1;
		}
		if (p->tok.kind != TOK_RPAREN) {
			orgrbac_seterr(p->err,
				       "column %lu: expected '&&', '||', '+' or ')', found %s",
				       col(p->tok.start), describe(p->tok.kind));
			return -1;
		}
		*out = inner;
		return lex(p);
	}
	if (p->prev.kind != TOK_NONE) {
		orgrbac_seterr(p->err, "column %lu: expected a privilege after %s", col(t.start),
			       describe(p->prev.kind));
		return -1;
	}
	if (t.kind == TOK_RPAREN) {
		orgrbac_seterr(p->err, "column %lu: unbalanced ')'", col(t.start));
		return -1;
	}
	orgrbac_seterr(p->err, "column %lu: expected a privilege, found %s", col(t.start),
		       describe(t.kind));
	return -1;
}

static int parse_and(struct parser *p, unsigned depth, int *out)
{
	int left, right;

	if (parse_term(p, depth, &left) != 0)
		return -1;
	while (p->tok.kind == TOK_AND) {
		if (lex(p) != 0 || parse_term(p, depth, &right) != 0 ||
		    new_node(p, NODE_AND, left, right, &left) != 0)
			return -1;
	}
	*out = left;
	return 0;
}

static int parse_or(struct parser *p, unsigned depth, int *out)
{
	int left, right;

	if (parse_and(p, depth, &left) != 0)
		return -1;
	while (p->tok.kind == TOK_OR || p->tok.kind == TOK_PLUS) {
		if (lex(p) != 0 || parse_and(p, depth, &right) != 0 ||
		    new_node(p, NODE_OR, left, right, &left) != 0)
			return -1;
	}
	*out = left;
	return 0;
}

/* Refuse bytes that could hide text from a log reader before any token is read. */
static int screen(const char *text, size_t len, orgrbac_error *err)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c >= 0x80) {
			orgrbac_seterr(err, "column %lu: non-ASCII byte 0x%02x", col(i), c);
			return -1;
		}
		if ((c < 0x20 || c == 0x7f) && !is_blank((char)c)) {
			orgrbac_seterr(err, "column %lu: control character 0x%02x", col(i), c);
			return -1;
		}
	}
	return 0;
}

static bool is_none(const char *text, size_t len)
{
	size_t a = 0, b = len;

	while (a < b && is_blank(text[a]))
		a++;
	while (b > a && is_blank(text[b - 1]))
		b--;
	return b - a == 4 && memcmp(text + a, "none", 4) == 0;
}

int orgrbac_expr_parse(const char *text, struct orgrbac_expr **out, orgrbac_error *err)
{
	struct orgrbac_expr *e;
	struct parser p;
	size_t len, size;
	char *copy;

	if (out == NULL) {
		orgrbac_seterr(err, "no place to store the parsed expression");
		return -1;
	}
	*out = NULL;
	if (text == NULL) {
		orgrbac_seterr(err, "no expression given");
		return -1;
	}
	len = strnlen(text, ORGRBAC_EXPR_MAX_LEN + 1);
	if (len > ORGRBAC_EXPR_MAX_LEN) {
		orgrbac_seterr(err, "expression longer than %d bytes", ORGRBAC_EXPR_MAX_LEN);
		return -1;
	}
	if (screen(text, len, err) != 0)
		return -1;
	/* len is at most MAX_LEN, but the sum is checked as if it were not. */
	if (len > (SIZE_MAX - sizeof(*e)) / 2 - 1) {
		orgrbac_seterr(err, "expression too large");
		return -1;
	}
	size = sizeof(*e) + 2 * (len + 1);
	e = calloc(1, size);
	if (e == NULL) {
		orgrbac_seterr(err, "out of memory parsing an expression");
		return -1;
	}
	copy = e->buf;
	memcpy(copy, text, len);
	copy[len] = '\0';
	e->text = copy;
	e->root = -1;
	if (is_none(text, len)) {
		e->none = true;
		*out = e;
		return 0;
	}

	memset(&p, 0, sizeof(p));
	p.s = e->text;
	p.e = e;
	p.err = err;
	p.scratch = e->buf + len + 1;
	memcpy(p.scratch, text, len);
	p.scratch[len] = '\0';
	p.tok.kind = TOK_NONE;

	while (is_blank(text[p.pos]))
		p.pos++;
	if (text[p.pos] == '\0') {
		orgrbac_seterr(err, "column 1: empty expression");
		goto fail;
	}
	if (lex(&p) != 0 || parse_or(&p, 0, &e->root) != 0)
		goto fail;
	if (p.tok.kind == TOK_RPAREN) {
		orgrbac_seterr(err, "column %lu: unbalanced ')'", col(p.tok.start));
		goto fail;
	}
	if (p.tok.kind != TOK_END) {
		orgrbac_seterr(err, "column %lu: expected '&&', '||' or '+', found %s",
			       col(p.tok.start), describe(p.tok.kind));
		goto fail;
	}
	*out = e;
	return 0;
fail:
	free(e);
	return -1;
}

void orgrbac_expr_free(struct orgrbac_expr *e)
{
	free(e);
}

bool orgrbac_expr_is_none(const struct orgrbac_expr *e)
{
	return e != NULL && e->none;
}

const char *orgrbac_expr_text(const struct orgrbac_expr *e)
{
	return e == NULL ? NULL : e->text;
}

/*
 * On false the witness is put back as it was, so a failed branch leaves no
 * terms behind and an "or" reports only the branch that held.
 */
static bool eval_node(const struct orgrbac_expr *e, int i, orgrbac_holds_fn holds, void *ctx,
		      struct orgrbac_witness *w)
{
	const struct node *n;
	size_t mark = w->n;

	if (i < 0 || (size_t)i >= e->n_nodes)
		return false;
	n = &e->nodes[i];
	switch (n->kind) {
	case NODE_TERM:
		if (w->n >= ORGRBAC_EXPR_MAX_TERMS || !holds(ctx, n->term))
			return false;
		w->terms[w->n++] = n->term;
		return true;
	case NODE_AND:
		if (eval_node(e, n->left, holds, ctx, w) && eval_node(e, n->right, holds, ctx, w))
			return true;
		break;
	case NODE_OR:
		if (eval_node(e, n->left, holds, ctx, w))
			return true;
		if (eval_node(e, n->right, holds, ctx, w))
			return true;
		break;
	}
	w->n = mark;
	return false;
}

bool orgrbac_expr_eval(const struct orgrbac_expr *e, orgrbac_holds_fn holds, void *ctx,
		       struct orgrbac_witness *w)
{
	struct orgrbac_witness local;
	bool ok;

	if (w == NULL)
		w = &local;
	memset(w, 0, sizeof(*w));
	if (e == NULL)
		return false;
	if (e->none)
		return true;
	if (holds == NULL)
		return false;
	ok = eval_node(e, e->root, holds, ctx, w);
	if (!ok)
		memset(w, 0, sizeof(*w));
	return ok;
}

/* A concrete privilege of exactly `len` bytes: segment(:segment)*. */
static bool concrete_valid(const char *p, size_t len)
{
	bool at_segment_start = true;

	if (len == 0 || len > ORGRBAC_PRIVILEGE_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (p[i] == ':') {
			if (at_segment_start)
				return false;
			at_segment_start = true;
		} else if (is_segment_char(p[i])) {
			at_segment_start = false;
		} else {
			return false;
		}
	}
	return !at_segment_start;
}

bool orgrbac_privilege_valid(const char *p, bool pattern)
{
	size_t len;

	if (p == NULL)
		return false;
	len = strnlen(p, ORGRBAC_PRIVILEGE_MAX + 1);
	if (len > ORGRBAC_PRIVILEGE_MAX)
		return false;
	if (pattern) {
		if (len == 1 && p[0] == '*')
			return true;
		if (len >= 3 && p[len - 2] == ':' && p[len - 1] == '*')
			return concrete_valid(p, len - 2);
	}
	return concrete_valid(p, len);
}

bool orgrbac_privilege_covers(const char *granted, const char *required)
{
	size_t glen, prefix;

	/* A malformed requirement is never satisfied, not even by "*". */
	if (!orgrbac_privilege_valid(granted, true) || !orgrbac_privilege_valid(required, false))
		return false;
	if (strcmp(granted, "*") == 0)
		return true;
	glen = strlen(granted);
	if (glen >= 2 && granted[glen - 1] == '*') {
		/* "host:*": the prefix with its ':', then at least one more byte. */
		prefix = glen - 1;
		return strncmp(granted, required, prefix) == 0 && required[prefix] != '\0';
	}
	return strcmp(granted, required) == 0;
}
