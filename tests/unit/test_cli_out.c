/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for tools/cli_out.c: untrusted text escaped for a terminal and as JSON strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"

/* What put(s) printed, in a buffer the caller frees. */
static char *printed(void (*put)(FILE *, const char *), const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	put(f, s);
	assert_int_equal(fclose(f), 0);
	return buf;
}

struct out_case {
	const char *what, *in, *text, *json;
};

static const struct out_case cases[] = {
    {"plain ASCII", "alice", "alice", "\"alice\""},
    {"empty", "", "", "\"\""},
    {"quote and backslash", "a\"b\\c", "a\"b\\x5cc", "\"a\\\"b\\\\c\""},
    {"C0 controls and DEL", "a\tb\x1b[2J\x7f", "a\\x09b\\x1b[2J\\x7f",
     "\"a\\u0009b\\u001b[2J\\u007f\""},
    {"two-byte letter", "\xc3\xa6r\xc3\xb8", "\xc3\xa6r\xc3\xb8", "\"\xc3\xa6r\xc3\xb8\""},
    {"three-byte sign", "\xe2\x82\xac", "\xe2\x82\xac", "\"\xe2\x82\xac\""},
    {"four-byte emoji", "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\""},
    {"U+10FFFF, the last code point", "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf",
     "\"\xf4\x8f\xbf\xbf\""},
    {"U+0800, the first three-byte", "\xe0\xa0\x80", "\xe0\xa0\x80", "\"\xe0\xa0\x80\""},
    {"U+D7FF and U+E000 around the surrogates", "\xed\x9f\xbf\xee\x80\x80",
     "\xed\x9f\xbf\xee\x80\x80", "\"\xed\x9f\xbf\xee\x80\x80\""},
    {"C1 control CSI (U+009B)",
     "a\xc2\x9b"
     "2Jb",
     "a\\xc2\\x9b2Jb", "\"a\\u009b2Jb\""},
    {"U+00A0, just past C1", "\xc2\xa0", "\xc2\xa0", "\"\xc2\xa0\""},
    {"stray continuation byte", "a\x80z", "a\\x80z", "\"a\\ufffdz\""},
    {"Latin-1 byte alone", "caf\xe9", "caf\\xe9", "\"caf\\ufffd\""},
    {"overlong slash C0 AF", "\xc0\xaf", "\\xc0\\xaf", "\"\\ufffd\\ufffd\""},
    {"overlong C1 BF", "\xc1\xbf", "\\xc1\\xbf", "\"\\ufffd\\ufffd\""},
    {"overlong three-byte E0 80 AF", "\xe0\x80\xaf", "\\xe0\\x80\\xaf",
     "\"\\ufffd\\ufffd\\ufffd\""},
    {"overlong four-byte F0 80 80 AF", "\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf",
     "\"\\ufffd\\ufffd\\ufffd\\ufffd\""},
    {"surrogate U+D800", "\xed\xa0\x80", "\\xed\\xa0\\x80", "\"\\ufffd\\ufffd\\ufffd\""},
    {"surrogate U+DFFF", "\xed\xbf\xbf", "\\xed\\xbf\\xbf", "\"\\ufffd\\ufffd\\ufffd\""},
    {"above U+10FFFF (F4 90)", "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80",
     "\"\\ufffd\\ufffd\\ufffd\\ufffd\""},
    {"F5 lead byte", "\xf5\x80\x80\x80", "\\xf5\\x80\\x80\\x80",
     "\"\\ufffd\\ufffd\\ufffd\\ufffd\""},
    {"FF byte", "\xff", "\\xff", "\"\\ufffd\""},
    {"cut short by the end", "ab\xe2\x82", "ab\\xe2\\x82", "\"ab\\ufffd\\ufffd\""},
    {"cut short by ASCII", "\xe2\x82z", "\\xe2\\x82z", "\"\\ufffd\\ufffdz\""},
    {"four-byte cut after three", "\xf0\x9f\x98!", "\\xf0\\x9f\\x98!",
     "\"\\ufffd\\ufffd\\ufffd!\""},
    {"valid after invalid", "\xff\xc3\xa6", "\\xff\xc3\xa6", "\"\\ufffd\xc3\xa6\""},
};

static void terminal_text(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = printed(put_safe, cases[i].in);

		if (strcmp(got, cases[i].text) != 0)
			fail_msg("put_safe, %s: got '%s', wanted '%s'", cases[i].what, got,
				 cases[i].text);
		free(got);
	}
}

static void json_strings(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = printed(put_json, cases[i].in);

		if (strcmp(got, cases[i].json) != 0)
			fail_msg("put_json, %s: got '%s', wanted '%s'", cases[i].what, got,
				 cases[i].json);
		free(got);
	}
}

static void json_null(void **state)
{
	char *got = printed(put_json, NULL);

	(void)state;
	assert_string_equal(got, "null");
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(terminal_text),
	    cmocka_unit_test(json_strings),
	    cmocka_unit_test(json_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
