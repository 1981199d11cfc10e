/* SPDX-License-Identifier: BSD-2-Clause */
/* Untrusted text out: escaped for a terminal, or as a JSON string; a change reported. */
#include <stdbool.h>
#include <stdio.h>

#include "cli.h"
#include "gtime.h"
#include "util.h"

/*
 * Print untrusted text with every byte of a control character (C0, DEL, C1),
 * of a backslash and of anything not well-formed UTF-8 as \xNN.
 */
void put_safe(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0') {
		size_t n = orgrbac_utf8_len(p);
		bool escape =
		    n == 0 || orgrbac_utf8_c1(p, n) || *p < 0x20 || *p == 0x7f || *p == '\\';

		if (n == 0)
			n = 1;
		for (size_t i = 0; i < n; i++, p++) {
			if (escape)
				fprintf(out, "\\x%02x", *p);
			else
				fputc(*p, out);
		}
	}
}

/*
 * A JSON string (RFC 8259) that is valid UTF-8 whatever s holds: each byte
 * that begins no well-formed sequence becomes U+FFFD (\ufffd), control
 * characters (C0, DEL, C1) are escaped as \u00XX.
 */
void put_json(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (s == NULL) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	while (*p != '\0') {
		size_t n = orgrbac_utf8_len(p);

		if (n == 0) {
			fputs("\\ufffd", out);
			n = 1;
		} else if (*p == '"' || *p == '\\') {
			fprintf(out, "\\%c", *p);
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(out, "\\u%04x", *p);
		} else if (orgrbac_utf8_c1(p, n)) {
			fprintf(out, "\\u%04x", p[1]);
		} else {
			fwrite(p, 1, n, out);
		}
		p += n;
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

int report_change(const struct change_report *r, enum orgrbac_admin_status st)
{
	if (st == ORGRBAC_ADMIN_DONE && r->dry_run) {
		fputs(r->ldif != NULL ? r->ldif : "", stdout);
		fprintf(stderr, "orgrbac: dry run: nothing written\n");
	} else if (st == ORGRBAC_ADMIN_DONE) {
		printf("%s '", r->command);
		put_safe(stdout, r->name);
		printf("' %s: ", r->done);
		put_safe(stdout, r->dn != NULL ? r->dn : "?");
		printf("\n");
	} else {
		fprintf(stderr, "orgrbac: %s %s '", r->command, r->sub);
		put_safe(stderr, r->name);
		fprintf(stderr, "' %s: ", st == ORGRBAC_ADMIN_REFUSED ? "refused" : "failed");
		put_safe(stderr, r->why);
		fprintf(stderr, "\n");
		for (size_t i = 0; i < r->n_listed; i++) {
			fprintf(stderr, "  %s ", r->label);
			put_safe(stderr, r->listed[i]);
			fprintf(stderr, "\n");
		}
	}
	return st == ORGRBAC_ADMIN_DONE	     ? EXIT_ALLOW
	       : st == ORGRBAC_ADMIN_REFUSED ? EXIT_DENY
					     : EXIT_ERR;
}
