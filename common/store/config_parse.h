/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The lines of /etc/orgrbac.conf in iniparser 4.1's syntax, each with its
 * number, in one pass: a file that iniparser 4.1 read means the same here.
 */
#ifndef ORGRBAC_CONFIG_PARSE_H
#define ORGRBAC_CONFIG_PARSE_H

#include <stddef.h>

/*
 * iniparser 4.1 read a line into 1024 bytes with fgets(): at most 1022
 * characters and the newline. Lines joined by a final '\' share that room.
 */
#define ORGRBAC_INI_LINE_MAX 1022

enum orgrbac_ini_kind {
	ORGRBAC_INI_END,     /* the whole text is read */
	ORGRBAC_INI_SECTION, /* "[name]" */
	ORGRBAC_INI_VALUE,   /* "key = value" */
	/* errors; the scan goes on after any of them */
	ORGRBAC_INI_SYNTAX,	 /* not a section, a setting, a comment or blank */
	ORGRBAC_INI_JOINED_LONG, /* lines joined by '\' longer than ORGRBAC_INI_LINE_MAX */
	ORGRBAC_INI_EMPTY_NAME,	 /* "[ ]" */
	ORGRBAC_INI_COLON_NAME,	 /* ':' in a section name, where it would join section and key */
	/* errors after which the loader reads no further */
	ORGRBAC_INI_LONG_LINE, /* a line longer than ORGRBAC_INI_LINE_MAX */
	ORGRBAC_INI_NUL,       /* a NUL byte */
};

/* What is left of the text, and the line being put together. */
struct orgrbac_ini_scan {
	const char *p, *end;
	unsigned line;	  /* the number of the last line read, from 1 */
	unsigned first;	  /* the first of the lines being joined */
	size_t joined;	  /* bytes of buf that lines ending in '\' left */
	const char *last; /* the last line read, as it is in the text */
	size_t last_len;  /* without its newline */
	char buf[ORGRBAC_INI_LINE_MAX + 1];
};

/* One line of the file, valid until the next call. */
struct orgrbac_ini_item {
	unsigned line;	     /* where it starts; an error: the line found wrong */
	const char *section; /* ORGRBAC_INI_SECTION: the name, trimmed, in lower case */
	const char *key;     /* ORGRBAC_INI_VALUE: trimmed, in lower case */
	const char *value;   /* ORGRBAC_INI_VALUE: trimmed, or as written between quotes */
	const char *text;    /* ORGRBAC_INI_SYNTAX: the line, trimmed, not NUL-terminated */
	size_t text_len;
};

/* Read `len` bytes of `text`, which must outlive the scan. */
void orgrbac_ini_start(struct orgrbac_ini_scan *s, const char *text, size_t len);

/*
 * The next section, setting or error; blank lines and comments are skipped.
 * Lines are read as iniparser 4.1 read them: white space (ASCII, whatever
 * the locale) trimmed at both ends; ';' or '#' first is a comment; a line
 * ending in '\' is joined with the next one, even a comment, and the last
 * line of the text with nothing; section names and keys are lower-cased; a
 * value in double or single quotes is taken as written up to its closing
 * quote, else it ends at the first ';' or '#' and is trimmed; "" and ''
 * are empty.
 */
enum orgrbac_ini_kind orgrbac_ini_next(struct orgrbac_ini_scan *s, struct orgrbac_ini_item *it);

/*
 * How serious an error is, 0 for none. The loader reports the most serious
 * error of the file, the first one of its kind: a NUL byte or an over-long
 * line, then a section name, then any other syntax error.
 */
int orgrbac_ini_severity(enum orgrbac_ini_kind kind);

#endif
