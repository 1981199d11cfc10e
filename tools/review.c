/* SPDX-License-Identifier: BSD-2-Clause */
/* `orgrbac review`: the access review of a host, as text, JSON or CSV. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "evaluate.h"
#include "gtime.h"
#include "review.h"
#include "who.h"

static void review_usage(FILE *out)
{
	fprintf(out,
		"usage: orgrbac review [--service S] [--resource R] [--expiring DURATION]\n"
		"                      [--at TIME] [--json | --csv] [--org ORG] [--config PATH]\n"
		"                      [-H URI] [-D BINDDN (-W | -y FILE) | -Y EXTERNAL]\n"
		"  Every principal with any role on a host of the organization ORG with\n"
		"  service S and resource R (default: [host]), through which grant, from\n"
		"  when to when, its external entries; with --expiring (30m, 12h, 7d, 2w), what\n"
		"  ends within that time is marked.\n"
		"  Reading as: [ldap] of --config PATH, overridden by -H URI, -D BINDDN with\n"
		"  -W (prompt) or -y FILE (the whole file is the password), or -Y EXTERNAL.\n"
		"  Exit status: 0 someone holds a role, 1 nobody, 2 error.\n");
}

enum review_format { REVIEW_TEXT, REVIEW_JSON, REVIEW_CSV };

struct review_args {
	const char *expiring;
	enum review_format format;
	struct scope scope;
};

static enum cli_args review_args(int argc, char **argv, struct review_args *a)
{
	static const struct option own[] = {
	    {"expiring", required_argument, NULL, 'e'},
	    {"json", no_argument, NULL, 'j'},
	    {"csv", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct option buf[SCOPE_OPTIONS_MAX];
	const struct option *opts = scope_options(buf, own, SCOPE_WHERE | SCOPE_WHEN);
	int c;

	while ((c = getopt_long(argc, argv, SCOPE_SHORT_OPTS, opts, NULL)) != -1) {
		if (scope_option(&a->scope, c, optarg))
			continue;
		switch (c) {
		case 'e': a->expiring = optarg; break;
		case 'j': a->format = REVIEW_JSON; break;
		case 'v': a->format = REVIEW_CSV; break;
		default: return cli_usage(c, review_usage);
		}
	}
	if (optind != argc)
		return cli_usage('?', review_usage);
	return scope_usable(&a->scope, "review", false, review_usage);
}

/* A time, or "" for an open bound. */
static void fmt_time(int64_t t, char *buf, size_t len)
{
	if (t == ORGRBAC_TIME_MIN || t == ORGRBAC_TIME_MAX)
		buf[0] = '\0';
	else
		orgrbac_time_format(t, buf, len);
}

/* One CSV field: quoted, quotes doubled, control characters as \xNN (no raw line breaks). */
static void put_csv(const char *s)
{
	fputc('"', stdout);
	for (const unsigned char *p = (const unsigned char *)(s != NULL ? s : ""); *p != '\0';
	     p++) {
		if (*p == '"')
			fputs("\"\"", stdout);
		else if (*p < 0x20 || *p == 0x7f || *p == '\\')
			printf("\\x%02x", *p);
		else
			fputc(*p, stdout);
	}
	fputc('"', stdout);
}

/* The external entries above the principal, as one line of text. */
static char *external_text(const struct orgrbac_facts *f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (m == NULL)
		return NULL;
	for (size_t i = 0; i < f->n_external; i++) {
		const struct orgrbac_external *x = &f->external[i];
		char a[32] = "", b[32] = "";

		if (x->window.has_not_before)
			orgrbac_time_format(x->window.not_before, a, sizeof(a));
		if (x->window.has_not_after)
			orgrbac_time_format(x->window.not_after, b, sizeof(b));
		fprintf(m, "%s%s '%s' %s", i > 0 ? "; " : "", orgrbac_ext_kind_name(x->kind),
			x->name, orgrbac_ext_mode_name(x->mode));
		if (x->mode == ORGRBAC_MODE_WINDOW)
			fprintf(m, " %s .. %s", a, b);
	}
	if (fclose(m) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Who made the grant and who changed it last, and when, as the directory records them. */
static void stamps_text(const struct orgrbac_img_grant *x)
{
	if (x == NULL || (x->creator == NULL && x->modifier == NULL))
		return;
	printf("; granted by ");
	put_safe(stdout, x->creator != NULL ? x->creator : "?");
	printf(" at ");
	put_gtime(stdout, x->created, false);
	if (x->modified != NULL && (x->created == NULL || strcmp(x->modified, x->created) != 0)) {
		printf(", changed by ");
		put_safe(stdout, x->modifier != NULL ? x->modifier : "?");
		printf(" at ");
		put_gtime(stdout, x->modified, false);
	}
}

/* The same as CSV fields: created_by,created,modified_by,modified. */
static void stamps_csv(const struct orgrbac_img_grant *x)
{
	const char *v[4] = {NULL, NULL, NULL, NULL};
	char when[2][32];

	if (x != NULL) {
		const char *gt[2] = {x->created, x->modified};

		for (size_t i = 0; i < 2; i++) {
			int64_t t;

			when[i][0] = '\0';
			if (gt[i] != NULL && orgrbac_gtime_parse(gt[i], &t) == 0)
				orgrbac_time_format(t, when[i], sizeof(when[i]));
		}
		v[0] = x->creator;
		v[1] = when[0];
		v[2] = x->modifier;
		v[3] = when[1];
	}
	for (size_t i = 0; i < 4; i++) {
		fputc(',', stdout);
		put_csv(v[i] != NULL ? v[i] : "");
	}
}

static void review_text(const struct orgrbac_review *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct orgrbac_review_entry *e = &r->e[i];
		char *ext = external_text(e->facts);

		for (size_t k = 0; k < e->n_rows; k++) {
			const struct orgrbac_review_row *w = &e->rows[k];
			char a[32], b[32];

			fmt_time(w->from, a, sizeof(a));
			fmt_time(w->until, b, sizeof(b));
			put_safe(stdout, e->facts->user);
			if (w->grant == NULL) {
				printf(": full access");
			} else {
				printf(": role '");
				put_safe(stdout, w->grant->role->name);
				printf("' by %sgrant '", w->grant->platform ? "platform " : "");
				put_safe(stdout, w->grant->name);
				printf("' via ");
				put_safe(stdout, w->grant->via);
			}
			printf(", from %s until %s", a[0] != '\0' ? a : "-",
			       b[0] != '\0' ? b : "-");
			if (ext != NULL && ext[0] != '\0') {
				printf("; external ");
				put_safe(stdout, ext);
			}
			if (w->ends_soon)
				printf(" [ENDS SOON]");
			stamps_text(w->entry);
			printf("\n");
		}
		free(ext);
	}
}

static void review_csv(const struct orgrbac_review *r)
{
	printf("user,dn,role,grant,platform,via,from,until,external,ends_soon,"
	       "created_by,created,modified_by,modified\n");
	for (size_t i = 0; i < r->n; i++) {
		const struct orgrbac_review_entry *e = &r->e[i];
		char *ext = external_text(e->facts);

		for (size_t k = 0; k < e->n_rows; k++) {
			const struct orgrbac_review_row *w = &e->rows[k];
			const struct orgrbac_grant *g = w->grant;
			char a[32], b[32];

			fmt_time(w->from, a, sizeof(a));
			fmt_time(w->until, b, sizeof(b));
			put_csv(e->facts->user);
			fputc(',', stdout);
			put_csv(e->facts->dn);
			fputc(',', stdout);
			put_csv(g != NULL ? g->role->name : "(full access)");
			fputc(',', stdout);
			put_csv(g != NULL ? g->name : "");
			printf(",%s,", g != NULL && g->platform ? "yes" : "no");
			put_csv(g != NULL ? g->via : "");
			printf(",%s,%s,", a, b);
			put_csv(ext);
			printf(",%s", w->ends_soon ? "yes" : "no");
			stamps_csv(w->entry);
			printf("\n");
		}
		free(ext);
	}
}

static void json_time(int64_t t)
{
	char buf[32];

	fmt_time(t, buf, sizeof(buf));
	put_json(stdout, buf[0] != '\0' ? buf : NULL);
}

static void review_json(const struct orgrbac_host *host, const struct orgrbac_review *r,
			int64_t now)
{
	char when[32];

	orgrbac_time_format(now, when, sizeof(when));
	printf("{\"organization\": ");
	put_json(stdout, host->org);
	printf(", \"services\": [");
	for (size_t i = 0; i < host->n_services; i++) {
		printf("%s", i > 0 ? ", " : "");
		put_json(stdout, host->services[i]);
	}
	printf("], \"resource\": ");
	put_json(stdout, host->resource);
	printf(", \"at\": ");
	put_json(stdout, when);
	printf(", \"principals\": [");
	for (size_t i = 0; i < r->n; i++) {
		const struct orgrbac_review_entry *e = &r->e[i];
		const struct orgrbac_facts *f = e->facts;

		printf("%s\n  {\"user\": ", i > 0 ? "," : "");
		put_json(stdout, f->user);
		printf(", \"dn\": ");
		put_json(stdout, f->dn);
		printf(", \"organization\": ");
		put_json(stdout, f->org);
		printf(", \"external\": [");
		for (size_t k = 0; k < f->n_external; k++) {
			const struct orgrbac_external *x = &f->external[k];

			printf("%s{\"name\": ", k > 0 ? ", " : "");
			put_json(stdout, x->name);
			printf(", \"kind\": \"%s\", \"mode\": \"%s\", \"not_before\": ",
			       orgrbac_ext_kind_name(x->kind), orgrbac_ext_mode_name(x->mode));
			json_time(x->window.has_not_before ? x->window.not_before
							   : ORGRBAC_TIME_MIN);
			printf(", \"not_after\": ");
			json_time(x->window.has_not_after ? x->window.not_after : ORGRBAC_TIME_MAX);
			printf("}");
		}
		printf("], \"roles\": [");
		for (size_t k = 0; k < e->n_rows; k++) {
			const struct orgrbac_review_row *w = &e->rows[k];
			const struct orgrbac_grant *g = w->grant;

			printf("%s{\"role\": ", k > 0 ? ", " : "");
			put_json(stdout, g != NULL ? g->role->name : NULL);
			printf(", \"full_access\": %s, \"grant\": ", g == NULL ? "true" : "false");
			put_json(stdout, g != NULL ? g->name : NULL);
			printf(", \"grant_dn\": ");
			put_json(stdout, g != NULL ? g->dn : NULL);
			printf(", \"platform\": %s, \"via\": ",
			       g != NULL && g->platform ? "true" : "false");
			put_json(stdout, g != NULL ? g->via : NULL);
			printf(", \"from\": ");
			json_time(w->from);
			printf(", \"until\": ");
			json_time(w->until);
			printf(", \"ends_soon\": %s, \"created_by\": ",
			       w->ends_soon ? "true" : "false");
			put_json(stdout, w->entry != NULL ? w->entry->creator : NULL);
			printf(", \"created\": ");
			put_gtime(stdout, w->entry != NULL ? w->entry->created : NULL, true);
			printf(", \"modified_by\": ");
			put_json(stdout, w->entry != NULL ? w->entry->modifier : NULL);
			printf(", \"modified\": ");
			put_gtime(stdout, w->entry != NULL ? w->entry->modified : NULL, true);
			printf("}");
		}
		printf("]}");
	}
	printf("\n]}\n");
}

int cmd_review(int argc, char **argv)
{
	struct review_args a = {0};
	struct scope *sc = &a.scope;
	struct orgrbac_review r = {0};
	orgrbac_error err;
	int64_t horizon = 0;
	int rc = EXIT_ERR;

	scope_init(sc);
	enum cli_args args = review_args(argc, argv, &a);

	if (args != ARGS_RUN)
		return cli_args_status(args);
	if (scope_time(sc) != SCOPE_OK)
		return EXIT_ERR;
	if (a.expiring != NULL && orgrbac_duration_parse(a.expiring, &horizon) != 0) {
		fprintf(stderr, "orgrbac: --expiring '");
		put_safe(stderr, a.expiring);
		fprintf(stderr, "': not a duration such as 30m, 12h, 7d or 2w\n");
		return EXIT_ERR;
	}
	if (scope_config(sc) != SCOPE_OK || scope_read(sc, true) != SCOPE_OK)
		goto out;
	if (orgrbac_review_run(&sc->img, &sc->host, sc->cfg->cross_org_privilege, sc->now, horizon,
			       &r, &err) != 0) {
		fprintf(stderr, "orgrbac: %s\n", err.msg);
		goto out;
	}
	switch (a.format) {
	case REVIEW_JSON: review_json(&sc->host, &r, sc->now); break;
	case REVIEW_CSV: review_csv(&r); break;
	default: review_text(&r); break;
	}
	rc = r.n > 0 ? EXIT_ALLOW : EXIT_DENY;
out:
	orgrbac_review_free(&r);
	scope_free(sc);
	return rc;
}
