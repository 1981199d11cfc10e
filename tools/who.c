/* SPDX-License-Identifier: BSD-2-Clause */
/* `orgrbac who EXPR`: every principal who meets the expression on a host of that scope, and how. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "evaluate.h"
#include "expr.h"
#include "gtime.h"
#include "who.h"

static void who_usage(FILE *out)
{
	fprintf(out,
		"usage: orgrbac who EXPR [--service S] [--resource R] [--at TIME] [--json]\n"
		"                        [--org ORG] [--config PATH] [-H URI]\n"
		"                        [-D BINDDN (-W | -y FILE) | -Y EXTERNAL]\n"
		"  Every principal who meets the privilege expression EXPR on a host of the\n"
		"  organization ORG (default: [host] org) with service S (default: the [host]\n"
		"  services) and resource R (default: [host] resource), now or at TIME, each\n"
		"  with the role, grant, group and window that give it, decided as\n"
		"  `orgrbac check` does.\n"
		"  Reading as: [ldap] of --config PATH, overridden by -H URI, -D BINDDN with\n"
		"  -W (prompt) or -y FILE (the whole file is the password), or -Y EXTERNAL.\n"
		"  Exit status: 0 someone does, 1 nobody, 2 error.\n");
}

struct who_args {
	const char *expr;
	bool json;
	struct scope scope;
};

static enum cli_args who_args(int argc, char **argv, struct who_args *a)
{
	static const struct option own[] = {
	    {"json", no_argument, NULL, 'j'},
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
		case 'j': a->json = true; break;
		default: return cli_usage(c, who_usage);
		}
	}
	if (optind + 1 != argc)
		return cli_usage('?', who_usage);
	a->expr = argv[optind];
	return scope_usable(&a->scope, "who", false, who_usage);
}

static void put_time(FILE *out, bool has, int64_t t, const char *open)
{
	char buf[32];

	if (!has) {
		fputs(open, out);
		return;
	}
	orgrbac_time_format(t, buf, sizeof(buf));
	fputs(buf, out);
}

static void put_json_time(bool has, int64_t t)
{
	char buf[32];

	if (!has) {
		fputs("null", stdout);
		return;
	}
	orgrbac_time_format(t, buf, sizeof(buf));
	put_json(stdout, buf);
}

static void text_window(const struct orgrbac_window *w)
{
	if (!w->has_not_before && !w->has_not_after) {
		fputs("always", stdout);
		return;
	}
	put_time(stdout, w->has_not_before, w->not_before, "-");
	fputs(" .. ", stdout);
	put_time(stdout, w->has_not_after, w->not_after, "-");
}

/* The external entries above the principal, on the current line. */
static void text_external(const struct orgrbac_facts *f)
{
	for (size_t i = 0; i < f->n_external; i++) {
		const struct orgrbac_external *x = &f->external[i];

		printf("; external %s '", orgrbac_ext_kind_name(x->kind));
		put_safe(stdout, x->name);
		printf("' %s", orgrbac_ext_mode_name(x->mode));
		if (x->mode == ORGRBAC_MODE_WINDOW) {
			fputc(' ', stdout);
			text_window(&x->window);
		}
	}
}

/* The groups from the principal to the grantee its grant names, or NULL when it names the user. */
static char *chain_of(const struct orgrbac_image *img, const struct orgrbac_facts *f,
		      const struct orgrbac_grant *g)
{
	char *c;

	if (img == NULL || g == NULL || g->via == NULL)
		return NULL;
	c = orgrbac_img_group_chain(img, f->dn, g->via);
	if (c != NULL && c[0] == '\0') {
		free(c);
		c = NULL;
	}
	return c;
}

static void who_text(const struct orgrbac_image *img, const struct orgrbac_who_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct orgrbac_facts *f = r->e[i].facts;
		const struct orgrbac_decision *d = &r->e[i].decision;

		if (d->n_matches == 0) {
			put_safe(stdout, f->user);
			printf(": %s", d->full_access ? "full access" : "no privilege required");
			text_external(f);
			fputc('\n', stdout);
		}
		for (size_t k = 0; k < d->n_matches; k++) {
			const struct orgrbac_match *m = &d->matches[k];

			put_safe(stdout, f->user);
			printf(": %s <- ", m->required);
			put_safe(stdout, m->granted);
			if (m->grant == NULL) {
				printf(" (full access)");
			} else {
				printf(" of role '");
				put_safe(stdout,
					 m->grant->role != NULL ? m->grant->role->name : "-");
				printf("' by %sgrant '", m->grant->platform ? "platform " : "");
				put_safe(stdout, m->grant->name);
				char *chain = chain_of(img, f, m->grant);

				printf("' via ");
				put_safe(stdout, m->grant->via);
				/* a group naming the principal itself needs no chain */
				if (chain != NULL && strcmp(chain, m->grant->via) != 0) {
					printf(" (member through ");
					put_safe(stdout, chain);
					printf(")");
				}
				free(chain);
				printf(", window ");
				text_window(&m->grant->window);
			}
			if (d->cross_org)
				printf(" (cross-organization from %s)", f->org);
			text_external(f);
			fputc('\n', stdout);
		}
	}
}

static void json_window(const struct orgrbac_window *w)
{
	printf("\"not_before\": ");
	put_json_time(w->has_not_before, w->not_before);
	printf(", \"not_after\": ");
	put_json_time(w->has_not_after, w->not_after);
}

static void who_json_entry(const struct orgrbac_image *img, const struct orgrbac_who_entry *e)
{
	const struct orgrbac_facts *f = e->facts;
	const struct orgrbac_decision *d = &e->decision;

	printf("{\"user\": ");
	put_json(stdout, f->user);
	printf(", \"dn\": ");
	put_json(stdout, f->dn);
	printf(", \"organization\": ");
	put_json(stdout, f->org);
	printf(", \"full_access\": %s, \"cross_org\": %s, \"external\": [",
	       d->full_access ? "true" : "false", d->cross_org ? "true" : "false");
	for (size_t i = 0; i < f->n_external; i++) {
		const struct orgrbac_external *x = &f->external[i];

		printf("%s{\"name\": ", i > 0 ? ", " : "");
		put_json(stdout, x->name);
		printf(", \"dn\": ");
		put_json(stdout, x->dn);
		printf(", \"kind\": \"%s\", \"mode\": \"%s\", ", orgrbac_ext_kind_name(x->kind),
		       orgrbac_ext_mode_name(x->mode));
		json_window(&x->window);
		printf("}");
	}
	printf("], \"paths\": [");
	for (size_t k = 0; k < d->n_matches; k++) {
		const struct orgrbac_match *m = &d->matches[k];
		const struct orgrbac_grant *g = m->grant;

		printf("%s{\"required\": ", k > 0 ? ", " : "");
		put_json(stdout, m->required);
		printf(", \"granted\": ");
		put_json(stdout, m->granted);
		printf(", \"role\": ");
		put_json(stdout, g != NULL && g->role != NULL ? g->role->name : NULL);
		printf(", \"grant\": ");
		put_json(stdout, g != NULL ? g->name : NULL);
		printf(", \"grant_dn\": ");
		put_json(stdout, g != NULL ? g->dn : NULL);
		printf(", \"platform\": %s, \"via\": ",
		       g != NULL && g->platform ? "true" : "false");
		put_json(stdout, g != NULL ? g->via : NULL);
		char *chain = chain_of(img, f, g);

		printf(", \"group_chain\": ");
		put_json(stdout, chain);
		free(chain);
		if (g != NULL) {
			printf(", ");
			json_window(&g->window);
		}
		printf("}");
	}
	printf("]}");
}

static void who_json(const struct who_args *a, const struct orgrbac_host *host,
		     const struct orgrbac_image *img, const struct orgrbac_who_result *r,
		     int64_t now)
{
	char when[32];

	orgrbac_time_format(now, when, sizeof(when));
	printf("{\"expression\": ");
	put_json(stdout, a->expr);
	printf(", \"organization\": ");
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
	printf(", \"judged\": %zu, \"principals\": [", r->judged);
	for (size_t i = 0; i < r->n; i++) {
		printf("%s\n  ", i > 0 ? "," : "");
		who_json_entry(img, &r->e[i]);
	}
	printf("\n]}\n");
}

int cmd_who(int argc, char **argv)
{
	struct who_args a = {0};
	struct scope *sc = &a.scope;
	struct orgrbac_expr *expr = NULL;
	struct orgrbac_who_result r = {0};
	struct orgrbac_policy policy = {0};
	orgrbac_error err;
	int rc = EXIT_ERR;

	scope_init(sc);
	enum cli_args args = who_args(argc, argv, &a);

	if (args != ARGS_RUN)
		return cli_args_status(args);
	if (scope_time(sc) != SCOPE_OK)
		return EXIT_ERR;
	if (orgrbac_expr_parse(a.expr, &expr, &err) != 0) {
		fprintf(stderr, "orgrbac: expression '");
		put_safe(stderr, a.expr);
		fprintf(stderr, "': %s\n", err.msg);
		return EXIT_ERR;
	}
	if (scope_config(sc) != SCOPE_OK)
		goto out;
	policy.require = expr;
	policy.mfa_exempt_role = sc->cfg->mfa_exempt_role;
	policy.cross_org_privilege = sc->cfg->cross_org_privilege;
	if (scope_read(sc, false) != SCOPE_OK)
		goto out;
	if (orgrbac_who(&sc->img, &sc->host, &policy, sc->now, &r, &err) != 0) {
		fprintf(stderr, "orgrbac: %s\n", err.msg);
		goto out;
	}
	if (a.json)
		who_json(&a, &sc->host, &sc->img, &r, sc->now);
	else
		who_text(&sc->img, &r);
	rc = r.n > 0 ? EXIT_ALLOW : EXIT_DENY;
out:
	orgrbac_who_free(&r);
	scope_free(sc);
	orgrbac_expr_free(expr);
	return rc;
}
