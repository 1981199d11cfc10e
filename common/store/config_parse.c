/* SPDX-License-Identifier: BSD-2-Clause */
/* The INI line scanner of /etc/orgrbac.conf: iniparser 4.1's syntax, with line numbers. */
#include <stdbool.h>
#include <string.h>

#include "config_parse.h"

/* ASCII only: the result must not change with the locale of the host program. */
static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static char *trim_end(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && blank(s[n - 1]))
		n--;
	s[n] = '\0';
	return s;
}

static char *lower(char *s)
{
	for (char *p = s; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

void orgrbac_ini_start(struct orgrbac_ini_scan *s, const char *text, size_t len)
{
	memset(s, 0, sizeof(*s));
	s->p = text;
	s->end = text + len;
}

/*
 * The next line of the text into buf, after what lines ending in '\' left
 * there; or false and the error in *err.
 */
static bool take_line(struct orgrbac_ini_scan *s, enum orgrbac_ini_kind *err)
{
	const char *b = s->p, *nl = memchr(b, '\n', (size_t)(s->end - b));
	const char *e = nl != NULL ? nl : s->end, *z = memchr(b, '\0', (size_t)(e - b));
	size_t len = (size_t)(e - b);

	s->line++;
	s->p = nl != NULL ? nl + 1 : s->end;
	if (s->joined == 0)
		s->first = s->line;
	s->last = b;
	s->last_len = len;
	*err = ORGRBAC_INI_END;
	if ((size_t)((z != NULL ? z : e) - b) > ORGRBAC_INI_LINE_MAX)
		*err = ORGRBAC_INI_LONG_LINE;
	else if (z != NULL)
		*err = ORGRBAC_INI_NUL;
	else if (len > ORGRBAC_INI_LINE_MAX - s->joined)
		*err = ORGRBAC_INI_JOINED_LONG;
	if (*err != ORGRBAC_INI_END) {
		s->joined = 0;
		return false;
	}
	memcpy(s->buf + s->joined, b, len);
	s->buf[s->joined + len] = '\0';
	return true;
}

/* "[name]": the name between '[' and the first ']', trimmed; nothing may be empty or hold ':'. */
static enum orgrbac_ini_kind section(char *l, struct orgrbac_ini_item *it)
{
	char *name = l + 1;

	*strchr(name, ']') = '\0';
	while (blank(*name))
		name++;
	trim_end(name);
	if (name[0] == '\0')
		return ORGRBAC_INI_EMPTY_NAME;
	if (strchr(name, ':') != NULL)
		return ORGRBAC_INI_COLON_NAME;
	it->section = lower(name);
	return ORGRBAC_INI_SECTION;
}

/* What follows the first '=' of a setting. */
static const char *value(char *v)
{
	while (blank(*v))
		v++;
	/* a quoted value keeps everything up to its closing quote, or the end */
	if ((*v == '"' || *v == '\'') && v[1] != '\0' && v[1] != *v) {
		char *close = strchr(v + 1, *v);

		if (close != NULL)
			*close = '\0';
		return v + 1;
	}
	v[strcspn(v, ";#")] = '\0';
	trim_end(v);
	if (strcmp(v, "\"\"") == 0 || strcmp(v, "''") == 0)
		v[0] = '\0';
	return v;
}

/* A whole line, joined and trimmed at its end. END: blank or a comment. */
static enum orgrbac_ini_kind parse_line(struct orgrbac_ini_scan *s, struct orgrbac_ini_item *it)
{
	char *l = s->buf, *eq;
	size_t n;

	while (blank(*l))
		l++;
	n = strlen(l);
	it->line = s->first;
	if (n == 0 || l[0] == '#' || l[0] == ';')
		return ORGRBAC_INI_END;
	if (l[0] == '[' && l[n - 1] == ']')
		return section(l, it);
	eq = strchr(l, '=');
	if (eq == NULL || eq == l) {
		/* the last of joined lines is named, as iniparser 4.1 named it */
		it->line = s->line;
		it->text = s->last;
		it->text_len = s->last_len;
		while (it->text_len > 0 && blank(*it->text)) {
			it->text++;
			it->text_len--;
		}
		while (it->text_len > 0 && blank(it->text[it->text_len - 1]))
			it->text_len--;
		return ORGRBAC_INI_SYNTAX;
	}
	*eq = '\0';
	it->key = lower(trim_end(l));
	it->value = value(eq + 1);
	return ORGRBAC_INI_VALUE;
}

enum orgrbac_ini_kind orgrbac_ini_next(struct orgrbac_ini_scan *s, struct orgrbac_ini_item *it)
{
	enum orgrbac_ini_kind kind;
	size_t n;

	memset(it, 0, sizeof(*it));
	while (s->p < s->end) {
		if (!take_line(s, &kind)) {
			it->line = s->line;
			return kind;
		}
		trim_end(s->buf);
		n = strlen(s->buf);
		if (n > 0 && s->buf[n - 1] == '\\') {
			/* the next line goes where the '\' is; after the last, nothing */
			s->joined = n - 1;
			s->buf[n - 1] = '\0';
			if (s->p < s->end)
				continue;
			trim_end(s->buf);
		}
		s->joined = 0;
		kind = parse_line(s, it);
		if (kind != ORGRBAC_INI_END)
			return kind;
	}
	return ORGRBAC_INI_END;
}

int orgrbac_ini_severity(enum orgrbac_ini_kind kind)
{
	switch (kind) {
	case ORGRBAC_INI_SYNTAX:
	case ORGRBAC_INI_JOINED_LONG: return 1;
	case ORGRBAC_INI_EMPTY_NAME:
	case ORGRBAC_INI_COLON_NAME: return 2;
	case ORGRBAC_INI_LONG_LINE:
	case ORGRBAC_INI_NUL: return 3;
	default: return 0;
	}
}
