/* SPDX-License-Identifier: BSD-2-Clause */
/* `orgrbac grant`, `orgrbac revoke`, `orgrbac grants`: roles given to users and groups. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin_grant.h"
#include "cli.h"
#include "gtime.h"
#include "review.h"

static const char *const grant_synopsis[] = {
    "orgrbac grant ROLE (--user U | --group G)... [--service S | --resource R]...\n"
    "                     [--from TIME] [--until TIME | --for DURATION] [--name N]\n"
    "                     [--dry-run] [--json]\n",
    "orgrbac revoke (NAME | ROLE (--user U | --group G)...) [--at TIME] [--dry-run]\n",
    "orgrbac grants [--user U] [--role R] [--expiring DURATION] [--json]\n",
};

/* The three commands' usage, the one asked for (grant, revoke, grants) first. */
static void grant_usage_of(FILE *out, const char *cmd)
{
	size_t first = 0;

	if (cmd != NULL && strcmp(cmd, "revoke") == 0)
		first = 1;
	else if (cmd != NULL && strcmp(cmd, "grants") == 0)
		first = 2;
	fprintf(out, "usage: %s", grant_synopsis[first]);
	for (size_t i = 0; i < 3; i++)
		if (i != first)
			fprintf(out, "       %s", grant_synopsis[i]);
	fputs("  TIME: 2026-12-24T18:00:00Z, 2026-12-24, or +2h, +7d from now; DURATION: 30m,\n"
	      "  12h, 7d, 2w. A grantee is a name in the organization, or a DN; with\n"
	      "  --platform, a name anywhere under the base that only one entry holds.\n" CONN_USAGE
	      "  Exit status: 0 done, 1 refused or nothing found, 2 error.\n",
	      out);
}

struct grant_args {
	const char *operand, *from, *until, *for_, *name, *at, *role, *user, *expiring;
	struct orgrbac_grantee_arg grantees[ORGRBAC_GRANT_MAX_GRANTEES];
	size_t n_grantees;
	char *scopes[ORGRBAC_GRANT_MAX_SCOPES];
	size_t n_scopes;
	bool bad;
};

enum {
	OPT_USER = 256,
	OPT_GROUP,
	OPT_SERVICE,
	OPT_RESOURCE,
	OPT_FROM,
	OPT_UNTIL,
	OPT_FOR,
	OPT_NAME,
	OPT_AT,
	OPT_ROLE,
	OPT_EXPIRING,
};

static const struct option grant_options[] = {
    {"user", required_argument, NULL, OPT_USER},
    {"group", required_argument, NULL, OPT_GROUP},
    {"service", required_argument, NULL, OPT_SERVICE},
    {"resource", required_argument, NULL, OPT_RESOURCE},
    {"from", required_argument, NULL, OPT_FROM},
    {"until", required_argument, NULL, OPT_UNTIL},
    {"for", required_argument, NULL, OPT_FOR},
    {"name", required_argument, NULL, OPT_NAME},
    {"at", required_argument, NULL, OPT_AT},
    {"role", required_argument, NULL, OPT_ROLE},
    {"expiring", required_argument, NULL, OPT_EXPIRING},
    {NULL, 0, NULL, 0},
};

static void add_grantee(struct grant_args *a, bool group, const char *name)
{
	if (a->n_grantees == ORGRBAC_GRANT_MAX_GRANTEES) {
		fprintf(stderr, "orgrbac: at most %d grantees at once\n",
			ORGRBAC_GRANT_MAX_GRANTEES);
		a->bad = true;
		return;
	}
	a->grantees[a->n_grantees].group = group;
	a->grantees[a->n_grantees++].name = name;
}

static void add_scope(struct grant_args *a, const char *kind, const char *name)
{
	size_t len = strlen(kind) + strlen(name) + 2;

	if (a->n_scopes == ORGRBAC_GRANT_MAX_SCOPES ||
	    (a->scopes[a->n_scopes] = malloc(len)) == NULL) {
		fprintf(stderr, "orgrbac: at most %d scopes at once\n", ORGRBAC_GRANT_MAX_SCOPES);
		a->bad = true;
		return;
	}
	snprintf(a->scopes[a->n_scopes++], len, "%s:%s", kind, name);
}

/* One option of the three commands; false when it is none of theirs, or wrong. */
static bool grant_option(void *own, int c, const char *arg)
{
	struct grant_args *a = own;

	switch (c) {
	case 1:
		if (a->operand != NULL)
			a->bad = true;
		a->operand = arg;
		break;
	case OPT_USER:
		a->user = arg;
		add_grantee(a, false, arg);
		break;
	case OPT_GROUP: add_grantee(a, true, arg); break;
	case OPT_SERVICE: add_scope(a, "service", arg); break;
	case OPT_RESOURCE: add_scope(a, "resource", arg); break;
	case OPT_FROM: a->from = arg; break;
	case OPT_UNTIL: a->until = arg; break;
	case OPT_FOR: a->for_ = arg; break;
	case OPT_NAME: a->name = arg; break;
	case OPT_AT: a->at = arg; break;
	case OPT_ROLE: a->role = arg; break;
	case OPT_EXPIRING: a->expiring = arg; break;
	default: return false;
	}
	return !a->bad;
}

/* What each command takes; a message for what it does not. */
static const char *grant_check(const struct command_args *ca, const void *own)
{
	const struct grant_args *a = own;
	bool grant = strcmp(ca->cmd, "grant") == 0, revoke = strcmp(ca->cmd, "revoke") == 0;
	bool list = !grant && !revoke;

	if (list && a->operand != NULL)
		return "grants takes no operand (--user U, --role R)";
	if (!list && a->operand == NULL)
		return grant ? "ROLE missing" : "NAME or ROLE missing";
	if (grant && a->n_grantees == 0)
		return "give at least one --user U or --group G";
	if (!grant && (a->n_scopes > 0 || a->from != NULL || a->until != NULL || a->for_ != NULL ||
		       a->name != NULL))
		return "--service, --resource, --from, --until, --for and --name are for grant";
	if (a->until != NULL && a->for_ != NULL)
		return "--until and --for exclude each other";
	if (!revoke && a->at != NULL)
		return "--at is for revoke";
	if (!list && (a->role != NULL || a->expiring != NULL))
		return "--role and --expiring are for grants";
	if (list && (a->n_grantees > 1 || (a->n_grantees == 1 && a->grantees[0].group)))
		return "grants takes one --user U";
	if (list && ca->dry_run)
		return "--dry-run is for grant and revoke";
	if (revoke && ca->json)
		return "--json is for grant and grants";
	return NULL;
}

static void put_when(FILE *out, int64_t t, bool json)
{
	char buf[32];

	orgrbac_time_format(t, buf, sizeof(buf));
	if (json)
		put_json(out, buf);
	else
		fputs(buf, out);
}

/* Why the gate grants nothing through it now, or NULL. */
static const char *grant_state(const struct orgrbac_grant_info *g, int64_t now)
{
	const struct orgrbac_window *w = &g->v.window;

	if (g->v.why[0] != '\0')
		return "void";
	if (w->has_not_after && w->not_after < now)
		return "ended";
	if (w->has_not_before && w->not_before > now)
		return "not yet";
	return NULL;
}

static void grant_json(const struct orgrbac_grant_info *g, int64_t now)
{
	const struct orgrbac_window *w = &g->v.window;
	const char *state = grant_state(g, now);

	printf("{\"name\": ");
	put_json(stdout, g->name);
	printf(", \"dn\": ");
	put_json(stdout, g->dn);
	printf(", \"role\": ");
	put_json(stdout, g->v.role_dn);
	printf(", \"grantees\": [");
	for (size_t i = 0; i < g->v.n_grantees; i++) {
		printf("%s", i > 0 ? ", " : "");
		put_json(stdout, g->v.grantees[i]);
	}
	printf("], \"scopes\": [");
	for (size_t i = 0; i < g->v.n_scopes; i++) {
		printf("%s", i > 0 ? ", " : "");
		put_json(stdout, g->v.scopes[i]);
	}
	printf("], \"from\": ");
	if (w->has_not_before)
		put_when(stdout, w->not_before, true);
	else
		printf("null");
	printf(", \"until\": ");
	if (w->has_not_after)
		put_when(stdout, w->not_after, true);
	else
		printf("null");
	printf(", \"state\": \"%s\", \"void\": ", state != NULL ? state : "in force");
	put_json(stdout, g->v.why[0] != '\0' ? g->v.why : NULL);
	printf(", \"created\": ");
	put_gtime(stdout, g->stamps.created, true);
	printf(", \"created_by\": ");
	put_json(stdout, g->stamps.creator);
	printf(", \"modified\": ");
	put_gtime(stdout, g->stamps.modified, true);
	printf(", \"modified_by\": ");
	put_json(stdout, g->stamps.modifier);
	printf("}");
}

static void grant_text(const struct orgrbac_grant_info *g, int64_t now)
{
	const struct orgrbac_window *w = &g->v.window;
	const char *state = grant_state(g, now);

	printf("grant:    ");
	put_safe(stdout, g->name);
	printf("\ndn:       ");
	put_safe(stdout, g->dn);
	printf("\nrole:     ");
	put_safe(stdout, g->v.role_dn != NULL ? g->v.role_dn : "?");
	for (size_t i = 0; i < g->v.n_grantees; i++) {
		printf("\ngrantee:  ");
		put_safe(stdout, g->v.grantees[i]);
	}
	printf("\nscope:    ");
	for (size_t i = 0; i < g->v.n_scopes; i++) {
		put_safe(stdout, g->v.scopes[i]);
		printf(" ");
	}
	if (g->v.n_scopes == 0)
		printf("(every host of the organization)");
	printf("\nwindow:   ");
	if (w->has_not_before)
		put_when(stdout, w->not_before, false);
	else
		printf("always");
	printf(" .. ");
	if (w->has_not_after)
		put_when(stdout, w->not_after, false);
	else
		printf("no end");
	if (state != NULL) {
		printf("\nstate:    %s", state);
		if (g->v.why[0] != '\0') {
			printf(": ");
			put_safe(stdout, g->v.why);
		}
	}
	if (g->stamps.created != NULL || g->stamps.modified != NULL) {
		printf("\ncreated:  ");
		put_gtime(stdout, g->stamps.created, false);
		printf(" by ");
		put_safe(stdout, g->stamps.creator != NULL ? g->stamps.creator : "?");
		printf("\nmodified: ");
		put_gtime(stdout, g->stamps.modified, false);
		printf(" by ");
		put_safe(stdout, g->stamps.modifier != NULL ? g->stamps.modifier : "?");
	}
	printf("\n");
}

static int refused(const char *cmd, const char *what, enum orgrbac_admin_status st, const char *msg)
{
	fprintf(stderr, "orgrbac: %s '", cmd);
	put_safe(stderr, what != NULL ? what : "");
	fprintf(stderr, "' %s: ", st == ORGRBAC_ADMIN_REFUSED ? "refused" : "failed");
	put_safe(stderr, msg);
	fprintf(stderr, "\n");
	return st == ORGRBAC_ADMIN_REFUSED ? EXIT_DENY : EXIT_ERR;
}

static int run_grant(const struct orgrbac_admin *ad, const struct command_args *ca,
		     const struct grant_args *a, int64_t now)
{
	struct orgrbac_grant_request q = {
	    .role = a->operand,
	    .name = a->name,
	    .grantees = (struct orgrbac_grantee_arg *)a->grantees,
	    .n_grantees = a->n_grantees,
	    .scopes = (char **)a->scopes,
	    .n_scopes = a->n_scopes,
	    .from = a->from,
	    .until = a->until,
	    .for_ = a->for_,
	    .now = now,
	    .dry_run = ca->dry_run,
	};
	static const char *const what[] = {"added", "updated", "unchanged"};
	struct orgrbac_grant_result r;
	enum orgrbac_admin_status st = orgrbac_grant_make(ad, &q, &r);
	int rc = EXIT_ALLOW;

	if (st != ORGRBAC_ADMIN_DONE) {
		rc = refused("grant", a->operand, st, r.err.msg);
	} else if (ca->dry_run) {
		fputs(r.what != ORGRBAC_GRANT_UNCHANGED && r.ldif != NULL ? r.ldif : "", stdout);
		fprintf(stderr, "orgrbac: dry run: nothing written (%s)\n", what[r.what]);
	} else if (ca->json) {
		printf("{\"result\": \"%s\", \"grant\": ", what[r.what]);
		grant_json(&r.grant, now);
		printf("}\n");
	} else {
		printf("grant %s\n", what[r.what]);
		grant_text(&r.grant, now);
	}
	orgrbac_grant_result_free(&r);
	return rc;
}

static int run_revoke(const struct orgrbac_admin *ad, const struct command_args *ca,
		      const struct grant_args *a, int64_t now)
{
	struct orgrbac_revoke_request q = {
	    .name = a->n_grantees == 0 ? a->operand : NULL,
	    .role = a->n_grantees > 0 ? a->operand : NULL,
	    .grantees = (struct orgrbac_grantee_arg *)a->grantees,
	    .n_grantees = a->n_grantees,
	    .at = a->at,
	    .now = now,
	    .dry_run = ca->dry_run,
	};
	struct orgrbac_grant_result r;
	enum orgrbac_admin_status st = orgrbac_grant_revoke(ad, &q, &r);
	int rc = EXIT_ALLOW;

	if (ca->dry_run && r.ldif != NULL)
		fputs(r.ldif, stdout);
	for (size_t i = 0; !ca->dry_run && i < r.n_changed; i++) {
		put_safe(stdout, r.changed[i]);
		printf("\n");
	}
	if (st != ORGRBAC_ADMIN_DONE)
		rc = refused("revoke", a->operand, st, r.err.msg);
	else if (ca->dry_run)
		fprintf(stderr, "orgrbac: dry run: nothing written\n");
	orgrbac_grant_result_free(&r);
	return rc;
}

static int run_grants(const struct orgrbac_admin *ad, const struct command_args *ca,
		      const struct grant_args *a, int64_t now)
{
	struct orgrbac_grants_query q = {.user = a->user, .role = a->role, .now = now};
	struct orgrbac_grant_info *g = NULL;
	size_t n = 0;
	orgrbac_error err;
	enum orgrbac_admin_status st;

	if (a->expiring != NULL && orgrbac_duration_parse(a->expiring, &q.horizon) != 0) {
		fprintf(stderr, "orgrbac: --expiring '");
		put_safe(stderr, a->expiring);
		fprintf(stderr, "': not a duration such as 30m, 12h, 7d or 2w\n");
		return EXIT_ERR;
	}
	q.expiring = a->expiring != NULL;
	st = orgrbac_grants_list(ad, &q, &g, &n, &err);
	if (st != ORGRBAC_ADMIN_DONE)
		return refused("grants", a->user != NULL ? a->user : a->role, st, err.msg);
	if (ca->json)
		printf("{\"grants\": [");
	for (size_t i = 0; i < n; i++) {
		if (ca->json) {
			printf("%s", i > 0 ? ", " : "");
			grant_json(&g[i], now);
		} else {
			printf("%s", i > 0 ? "\n" : "");
			grant_text(&g[i], now);
		}
	}
	if (ca->json)
		printf("]}\n");
	if (n == 0 && !ca->json)
		fprintf(stderr, "orgrbac: no grants\n");
	orgrbac_grant_list_free(g, n);
	return n > 0 ? EXIT_ALLOW : EXIT_DENY;
}

static int grant_run(const struct orgrbac_admin *ad, const struct command_args *ca, const void *own)
{
	int64_t now = (int64_t)time(NULL);

	if (strcmp(ca->cmd, "grant") == 0)
		return run_grant(ad, ca, own, now);
	if (strcmp(ca->cmd, "revoke") == 0)
		return run_revoke(ad, ca, own, now);
	return run_grants(ad, ca, own, now);
}

/* `orgrbac grant|revoke|grants ARGS...`: argv[0] is the command; the exit status. */
int cmd_grant(int argc, char **argv)
{
	static const struct command grant = {
	    .options = grant_options,
	    .option = grant_option,
	    .check = grant_check,
	    .run = grant_run,
	    .usage = grant_usage_of,
	};
	struct grant_args a = {0};
	int rc = command_run(argc, argv, &grant, &a);

	for (size_t i = 0; i < a.n_scopes; i++)
		free(a.scopes[i]);
	return rc;
}
