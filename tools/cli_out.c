/* SPDX-License-Identifier: BSD-2-Clause */
/* Untrusted text out: escaped for a terminal, or as a JSON string. */
#include <stdio.h>

#include "cli.h"
#include "gtime.h"

/* Print untrusted text with anything unprintable as \xNN. */
void put_safe(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			fprintf(out, "\\x%02x", *p);
		else
			fputc(*p, out);
	}
}

void put_json(FILE *out, const char *s)
{
	if (s == NULL) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

void put_gtime(FILE *out, const char *gt, bool json)
{
	char buf[32];
	int64_t t;

	if (gt != NULL && orgrbac_gtime_parse(gt, &t) == 0) {
		orgrbac_time_format(t, buf, sizeof(buf));
		gt = buf;
	}
	if (json)
		put_json(out, gt);
	else
		put_safe(out, gt != NULL ? gt : "?");
}
