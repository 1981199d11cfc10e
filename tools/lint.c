/* SPDX-License-Identifier: BSD-2-Clause */
/* `orgrbac lint`: the directory's problems, each with its entry and fix, as text or JSON. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "config.h"
#include "gtime.h"
#include "lint.h"
#include "sync.h"
#include "who.h"

#define LINT_GROUP_FILE_MAX (64 * 1024 * 1024)

static void lint_usage(FILE *out)
{
	fprintf(out,
		"usage: orgrbac lint [--json] [--at TIME] [--group-file PATH]\n"
		"                    [--org ORG | --platform] [--config PATH] [-H URI]\n"
		"                    [-D BINDDN (-W | -y FILE) | -Y EXTERNAL]\n"
		"  Judge the whole directory: grants naming missing roles or principals, void\n"
		"  grants, windows over or out of order, a uid in several organizations, gid\n"
		"  collisions and gids below 1000, role groups shadowing this host's groups,\n"
		"  required privileges no role holds, roles nobody holds, window external\n"
		"  entries without a window, group cycles; each with its entry and the fix.\n"
		"  --org ORG: only the findings in that organization; --platform: only those\n"
		"  outside every organization (global roles, platform grants).\n"
		"  Reading as: [ldap] of --config PATH, overridden by -H URI, -D BINDDN with\n"
		"  -W (prompt) or -y FILE (the whole file is the password), or -Y EXTERNAL.\n"
		"  Exit status: 0 clean, 1 findings, 2 error.\n");
}

static void lint_text(const struct orgrbac_lint *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct orgrbac_lint_finding *f = &l->f[i];

		printf("%s: ", f->check);
		put_safe(stdout, f->dn);
		printf(": ");
		put_safe(stdout, f->what);
		printf("\n  fix: ");
		put_safe(stdout, f->fix);
		printf("\n");
	}
	printf("%zu %s\n", l->n, l->n == 1 ? "finding" : "findings");
}

static void lint_json(const struct orgrbac_lint *l)
{
	printf("{\"findings\": [");
	for (size_t i = 0; i < l->n; i++) {
		const struct orgrbac_lint_finding *f = &l->f[i];

		printf("%s\n  {\"check\": ", i > 0 ? "," : "");
		put_json(stdout, f->check);
		printf(", \"dn\": ");
		put_json(stdout, f->dn);
		printf(", \"what\": ");
		put_json(stdout, f->what);
		printf(", \"fix\": ");
		put_json(stdout, f->fix);
		printf("}");
	}
	printf("\n], \"count\": %zu}\n", l->n);
}

/* Is the finding's entry where --org or --platform asks (anywhere without them)? Findings of
 * the configuration (not entries of the directory) are always kept. */
static bool lint_where(const struct scope *sc, const char *dn)
{
	const char *org = sc->conn.org, *org_dn;
	size_t n;

	if ((!sc->conn.platform && org == NULL) || !orgrbac_img_below(dn, sc->img.base))
		return true;
	org_dn = orgrbac_img_org_dn(dn, sc->img.base);
	if (sc->conn.platform)
		return org_dn == NULL;
	n = strlen(org);
	return org_dn != NULL && strncasecmp(org_dn + 2, org, n) == 0 && org_dn[2 + n] == ',';
}

/* Only the findings lint_where keeps, in their order. */
static void lint_keep_where(const struct scope *sc, struct orgrbac_lint *l)
{
	size_t kept = 0;

	for (size_t i = 0; i < l->n; i++) {
		if (lint_where(sc, l->f[i].dn)) {
			l->f[kept++] = l->f[i];
			continue;
		}
		free(l->f[i].dn);
		free(l->f[i].what);
		free(l->f[i].fix);
	}
	l->n = kept;
}

int cmd_lint(int argc, char **argv)
{
	static const struct option own[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"group-file", required_argument, NULL, 'g'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *group_file = ORGRBAC_GROUP_FILE;
	bool json = false;
	struct scope sc;
	struct orgrbac_lint l = {0};
	struct orgrbac_local_group *local = NULL;
	size_t n_local = 0, len;
	char *text = NULL;
	orgrbac_error err;
	struct option buf[SCOPE_OPTIONS_MAX];
	const struct option *opts = scope_options(buf, own, SCOPE_WHEN);
	int c, rc = EXIT_ERR;

	scope_init(&sc);
	while ((c = getopt_long(argc, argv, SCOPE_SHORT_OPTS, opts, NULL)) != -1) {
		if (scope_option(&sc, c, optarg))
			continue;
		switch (c) {
		case 'j': json = true; break;
		case 'g': group_file = optarg; break;
		default: return cli_args_status(cli_usage(c, lint_usage));
		}
	}
	if (optind != argc)
		return cli_args_status(cli_usage('?', lint_usage));
	enum cli_args args = scope_usable(&sc, "lint", true, lint_usage);

	if (args != ARGS_RUN)
		return cli_args_status(args);
	if (scope_time(&sc) != SCOPE_OK || scope_config(&sc) != SCOPE_OK)
		return EXIT_ERR;
	if (orgrbac_read_file(group_file, 0, LINT_GROUP_FILE_MAX, &text, &len, &err) != 0) {
		fprintf(stderr, "orgrbac: %s\n", err.msg);
		goto out;
	}
	if (orgrbac_local_groups_parse(text, &local, &n_local) != 0) {
		fprintf(stderr, "orgrbac: out of memory\n");
		goto out;
	}
	if (scope_read(&sc, false) != SCOPE_OK)
		goto out;
	struct orgrbac_lint_params p = {
	    .now = sc.now,
	    .gid_min = 1000,
	    .group_prefix = sc.cfg->group_prefix,
	    .local = local,
	    .n_local = n_local,
	    .svc = sc.cfg->svc,
	    .n_svc = sc.cfg->n_svc,
	    .default_require = sc.cfg->default_require,
	};
	if (orgrbac_lint_run(&sc.img, &p, &l) != 0) {
		fprintf(stderr, "orgrbac: out of memory\n");
		goto out;
	}
	lint_keep_where(&sc, &l);
	if (json)
		lint_json(&l);
	else
		lint_text(&l);
	rc = l.n > 0 ? EXIT_DENY : EXIT_ALLOW;
out:
	orgrbac_lint_free(&l);
	orgrbac_local_groups_free(local, n_local);
	free(text);
	scope_free(&sc);
	return rc;
}
