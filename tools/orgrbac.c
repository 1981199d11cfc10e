/* SPDX-License-Identifier: BSD-2-Clause */
/* orgrbac: the administrator's tool - explain a login decision, build and inspect the snapshot. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "evaluate.h"
#include "offline.h"
#include "gtime.h"
#include "ldapc.h"
#include "leftout.h"
#include "policy.h"
#include "snapshot.h"
#include "sync.h"

/* Each command's part of the usage, after `lead` ("usage: " alone, spaces in the whole). */
static void check_usage_as(FILE *out, const char *lead)
{
	fprintf(out,
		"%sorgrbac check USER [--service S] [--require EXPR] [--at TIME] [--json]\n"
		"                          [--source live|snapshot] [--config PATH]\n"
		"  Explain whether USER may use service S (default sshd) on this host now,\n"
		"  or at TIME (ISO 8601, e.g. 2026-12-01T09:00:00Z), from the directory or\n"
		"  the snapshot (default: the configuration's [pam] source).\n"
		"  Exit status: 0 allow, 1 deny, 2 error.\n",
		lead);
}

static void sync_usage_as(FILE *out, const char *lead)
{
	fprintf(out,
		"%sorgrbac sync [--config PATH]\n"
		"  Read the directory and replace the host snapshot the NSS module reads.\n"
		"  Exit status: 0 written, 1 the directory did not answer, 2 error,\n"
		"  3 written but roles or users were left out (see orgrbac status).\n",
		lead);
}

static void status_usage_as(FILE *out, const char *lead)
{
	fprintf(out,
		"%sorgrbac status [--config PATH]\n"
		"  Which servers answer; the snapshot's age and counts, and what the sync\n"
		"  that wrote it left out; the follower's state.\n"
		"  Exit status: 0 a server answers, the snapshot is fresh and the follower (if\n"
		"  any) keeps it current; 1 no server answers or the snapshot is stale; 2 error;\n"
		"  3 the follower is stopped, gone, late or disconnected for over 60 s.\n",
		lead);
}

static void check_usage(FILE *out)
{
	check_usage_as(out, "usage: ");
}

static void sync_usage(FILE *out)
{
	sync_usage_as(out, "usage: ");
}

static void status_usage(FILE *out)
{
	status_usage_as(out, "usage: ");
}

static void usage(FILE *out)
{
	check_usage_as(out, "usage: ");
	sync_usage_as(out, "       ");
	status_usage_as(out, "       ");
	fprintf(
	    out,
	    "       orgrbac follow [--config PATH] [--once] [--syslog]\n"
	    "  Keep the snapshot current from the directory's changes until stopped.\n"
	    "  Exit status: 0 stopped, 1 --once and no server answered, 2 error.\n"
	    "       orgrbac doctor [--config PATH] [--json]\n"
	    "  Judge this host's whole setup; each finding with where it is and the fix.\n"
	    "  Exit status: 0 nothing found, 1 findings, 2 the doctor could not run.\n"
	    "       orgrbac role list | show NAME | add NAME ... | set NAME ... | delete NAME\n"
	    "  Manage the organization's roles in the directory (orgrbac role --help).\n"
	    "       orgrbac grant ROLE (--user U | --group G)... | revoke NAME | grants\n"
	    "  Give roles, end them, list them (orgrbac grant --help).\n"
	    "       orgrbac external list | show NAME | add NAME ... | set NAME ... | delete NAME\n"
	    "  Manage the organization's vendors and partners (orgrbac external --help).\n"
	    "       orgrbac who EXPR [--service S] [--resource R] [--at TIME] [--json]\n"
	    "  Every principal who meets EXPR on a host of that scope, and through what.\n"
	    "       orgrbac review [--service S] [--resource R] [--expiring DURATION]\n"
	    "                      [--at TIME] [--json | --csv]\n"
	    "  The access review: who holds which role there, from when to when.\n"
	    "       orgrbac lint [--json] [--at TIME] [--group-file PATH]\n"
	    "  The directory's mistakes, each with its entry and the fix.\n"
	    "  Exit status: 0 clean, 1 findings, 2 error.\n"
	    "       orgrbac --version\n"
	    "       orgrbac COMMAND --help\n");
}

struct check_args {
	const char *user, *service, *require, *at, *path, *source;
	bool json;
};

static enum cli_args check_args(int argc, char **argv, struct check_args *a)
{
	static const struct option opts[] = {
	    {"service", required_argument, NULL, 's'}, {"require", required_argument, NULL, 'r'},
	    {"at", required_argument, NULL, 'a'},      {"json", no_argument, NULL, 'j'},
	    {"config", required_argument, NULL, 'c'},  {"source", required_argument, NULL, 'S'},
	    {"help", no_argument, NULL, 'h'},	       {NULL, 0, NULL, 0},
	};
	int c;

	/*
	 * A USER that comes first is taken as it is, even when it starts with '-'
	 * (but not "--"): a hostile name such as "-alice" must reach the name
	 * check, not getopt; anywhere else, such a name follows "--". Options
	 * and operands otherwise come in any order: "-" hands each operand to
	 * the loop in its place, whatever POSIXLY_CORRECT says.
	 */
	if (argc > 1 && strncmp(argv[1], "--", 2) != 0 && strcmp(argv[1], "-h") != 0) {
		a->user = argv[1];
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	while ((c = getopt_long(argc, argv, "-h", opts, NULL)) != -1) {
		switch (c) {
		case 1:
			if (a->user != NULL)
				return cli_usage(c, check_usage);
			a->user = optarg;
			break;
		case 's': a->service = optarg; break;
		case 'r': a->require = optarg; break;
		case 'a': a->at = optarg; break;
		case 'j': a->json = true; break;
		case 'c': a->path = optarg; break;
		case 'S': a->source = optarg; break;
		default: return cli_usage(c, check_usage);
		}
	}
	if (a->user == NULL && optind < argc)
		a->user = argv[optind++];
	if (a->user == NULL || optind != argc ||
	    (a->source != NULL && strcmp(a->source, "live") != 0 &&
	     strcmp(a->source, "snapshot") != 0))
		return cli_usage('?', check_usage);
	return ARGS_RUN;
}

/* The evaluation, explained on stdout (or why there is none on stderr); the exit status. */
static int check_report(const struct check_args *a, const char *require,
			const struct orgrbac_config *cfg, const struct orgrbac_evaluation *ev,
			int64_t now)
{
	struct orgrbac_host host;

	switch (ev->status) {
	case ORGRBAC_EVAL_DECIDED:
		host = orgrbac_config_host(cfg);
		if (a->json)
			check_print_json(a->user, a->service, require, ev->facts, &host,
					 &ev->decision, now);
		else
			check_print_text(a->user, a->service, require, ev->facts, &host,
					 &ev->decision, now);
		return ev->decision.verdict == ORGRBAC_ALLOW ? EXIT_ALLOW : EXIT_DENY;
	case ORGRBAC_EVAL_BADNAME:
		fprintf(stderr, "orgrbac: user name '");
		put_safe(stderr, a->user);
		fprintf(stderr, "' refused: %s\n", ev->err.msg);
		return EXIT_ERR;
	default: fprintf(stderr, "orgrbac: %s\n", ev->err.msg); return EXIT_ERR;
	}
}

static int cmd_check(int argc, char **argv)
{
	struct check_args a = {.service = "sshd"};
	struct orgrbac_config *cfg = NULL;
	struct orgrbac_evaluation ev;
	const char *require;
	orgrbac_error err;
	bool trust = geteuid() != 0;
	int64_t now = (int64_t)time(NULL);
	int rc = EXIT_ERR;

	enum cli_args args = check_args(argc, argv, &a);

	if (args != ARGS_RUN)
		return cli_args_status(args);
	if (a.at != NULL && orgrbac_iso8601_parse(a.at, &now) != 0) {
		fprintf(stderr, "orgrbac: --at '");
		put_safe(stderr, a.at);
		fprintf(stderr, "': not an ISO 8601 time such as 2026-12-01T09:00:00Z\n");
		return EXIT_ERR;
	}
	/* A non-root caller has nothing to protect: let it read a config it owns. */
	if (orgrbac_config_load(a.path, trust, &cfg, &err) != 0) {
		fprintf(stderr, "orgrbac: %s\n", err.msg);
		return EXIT_ERR;
	}
	require = a.require != NULL ? a.require : orgrbac_config_require(cfg, a.service);
	if (require == NULL) {
		fprintf(stderr,
			"orgrbac: %s: no requirement for service '%s' "
			"(no [service %s] require and no default_require)\n",
			cfg->path, a.service, a.service);
	} else if (orgrbac_config_ignored(cfg, a.user)) {
		printf("user %s is in ignore_users: pam_orgrbac does not judge it (PAM_IGNORE)\n",
		       a.user);
		rc = EXIT_ALLOW;
	} else {
		bool snapshot = a.source != NULL ? strcmp(a.source, "snapshot") == 0
						 : cfg->source == ORGRBAC_SOURCE_SNAPSHOT;

		if (snapshot)
			orgrbac_snapshot_evaluate(cfg, a.user, require, now, trust, &ev);
		else
			orgrbac_evaluate(cfg, a.user, require, now, trust, &ev);
		rc = check_report(&a, require, cfg, &ev, now);
		if (snapshot && ev.status == ORGRBAC_EVAL_DECIDED && !a.json)
			printf("decided from the %s\n", ev.server);
		orgrbac_evaluation_free(&ev);
	}
	orgrbac_config_free(cfg);
	return rc;
}

/* The only option of sync and status. */
static enum cli_args config_option(int argc, char **argv, const char **path,
				   void (*cmd_usage)(FILE *out))
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	/* "-": an operand anywhere is seen in its place, and refused */
	while ((c = getopt_long(argc, argv, "-c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': *path = optarg; break;
		default: return cli_usage(c, cmd_usage);
		}
	}
	if (optind != argc)
		return cli_usage('?', cmd_usage);
	return ARGS_RUN;
}

static void warn_stderr(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "orgrbac: warning: %s\n", msg);
}

static double elapsed(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static int cmd_sync(int argc, char **argv)
{
	const char *path = NULL;
	struct orgrbac_config *cfg = NULL;
	struct orgrbac_sync_params params = {.trust_any_owner = geteuid() != 0,
					     .warn = warn_stderr};
	struct orgrbac_sync_result r;
	struct timespec t0;
	orgrbac_error err;

	enum cli_args args = config_option(argc, argv, &path, sync_usage);

	if (args != ARGS_RUN)
		return cli_args_status(args);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (orgrbac_config_load(path, params.trust_any_owner, &cfg, &err) != 0) {
		fprintf(stderr, "orgrbac: %s\n", err.msg);
		return EXIT_ERR;
	}
	orgrbac_sync(cfg, &params, &r);
	switch (r.status) {
	case ORGRBAC_SYNC_WRITTEN:
		printf("snapshot %s: generation %llu, %zu users, %zu groups, %zu memberships; "
		       "read %zu users, %zu groups, %zu roles, %zu grants from %s in %.3f s\n",
		       cfg->snapshot, (unsigned long long)r.generation, r.users, r.groups,
		       r.memberships, r.read_users, r.read_groups, r.read_roles, r.read_grants,
		       r.server != NULL ? r.server : "?", elapsed(&t0));
		if (r.left_out > 0)
			fprintf(stderr,
				"orgrbac: %zu %s left out of the snapshot (orgrbac status lists "
				"them)\n",
				r.left_out, r.left_out == 1 ? "entry" : "entries");
		break;
	case ORGRBAC_SYNC_LOCK:
	case ORGRBAC_SYNC_LOCAL_GROUPS: fprintf(stderr, "orgrbac: %s\n", r.err.msg); break;
	default:
		fprintf(stderr, "orgrbac: sync failed, snapshot %s left as it was: %s\n",
			cfg->snapshot, r.err.msg);
		break;
	}
	orgrbac_config_free(cfg);
	switch (r.status) {
	case ORGRBAC_SYNC_WRITTEN: return r.left_out > 0 ? EXIT_LEFT_OUT : EXIT_ALLOW;
	case ORGRBAC_SYNC_UNAVAIL: return EXIT_DENY;
	default: return EXIT_ERR;
	}
}

/* Each server in turn, alone; true when one answers. */
static bool status_servers(const struct orgrbac_config *cfg, bool trust)
{
	bool answered = false;
	orgrbac_error err;

	for (size_t i = 0; i < cfg->n_uris; i++) {
		/* One server at a time: a copy of the configuration naming only it. */
		struct orgrbac_config one = *cfg;
		char *uris[2] = {cfg->uris[i], NULL};
		struct orgrbac_ldap *l = NULL;
		struct timespec t0;

		one.uris = uris;
		one.n_uris = 1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		enum orgrbac_ldap_status rc = orgrbac_ldap_open(&one, trust, &l, &err);

		if (rc == ORGRBAC_LDAP_OK) {
			printf("server:      %s answers (%.3f s)\n", cfg->uris[i], elapsed(&t0));
			answered = true;
			orgrbac_ldap_close(l);
		} else {
			/* a server that refused the bind, or one never asked, is not "silent" */
			printf("server:      %s %s: %s\n", cfg->uris[i],
			       rc != ORGRBAC_LDAP_UNAVAIL	 ? "not asked"
			       : orgrbac_ldap_bind_refused(&err) ? "answers, but"
								 : "does not answer",
			       err.msg);
		}
	}
	return answered;
}

/* What the sync that wrote generation `generation` left out, from the record beside it. */
static void status_left_out(const struct orgrbac_config *cfg, uint64_t generation, bool trust)
{
	char *path = orgrbac_left_out_path(cfg->snapshot);
	struct orgrbac_left_out lo;
	orgrbac_error err;

	if (path == NULL)
		return;
	switch (orgrbac_left_out_read(path, trust, &lo, &err)) {
	case ORGRBAC_LEFT_OUT_ABSENT:
		printf("left out:    unknown: no %s (the sync that wrote the snapshot kept none)\n",
		       path);
		break;
	case ORGRBAC_LEFT_OUT_INVALID: printf("left out:    unknown: %s\n", err.msg); break;
	case ORGRBAC_LEFT_OUT_READ:
		if (lo.generation != generation)
			printf("left out:    unknown: %s describes generation %llu\n", path,
			       (unsigned long long)lo.generation);
		else if (lo.count == 0)
			printf("left out:    nothing\n");
		else
			printf(
			    "left out:    %zu (each role or user below is not in the snapshot)\n",
			    lo.count);
		for (size_t i = 0; lo.generation == generation && i < lo.n; i++) {
			printf("  %s ", lo.e[i].kind);
			put_safe(stdout, lo.e[i].name);
			printf(": ");
			put_safe(stdout, lo.e[i].why);
			printf("\n");
		}
		if (lo.generation == generation && lo.count > lo.n)
			printf("  ... and %zu more\n", lo.count - lo.n);
		orgrbac_left_out_free(&lo);
		break;
	}
	free(path);
}

/* The snapshot's age, counts and what it leaves out; true when fresh. */
static bool status_snapshot(const struct orgrbac_config *cfg, bool trust, int64_t now)
{
	struct orgrbac_snapshot *snap = NULL;
	orgrbac_error err;
	char when[32];
	bool fresh;
	int64_t at;

	printf("snapshot:    %s%s\n", cfg->snapshot,
	       strcmp(cfg->snapshot, ORGRBAC_SNAPSHOT_PATH) == 0
		   ? ""
		   : " (not the one the NSS module reads)");
	if (orgrbac_snapshot_open(cfg->snapshot, trust ? ORGRBAC_SNAP_TRUST_ANY_OWNER : 0, &snap,
				  &err) != 0) {
		printf("state:       unusable: %s\n", err.msg);
		return false;
	}
	at = orgrbac_snapshot_synced_at(snap);
	fresh = orgrbac_snapshot_fresh(snap, now);
	orgrbac_time_format(at, when, sizeof(when));
	printf("generation:  %llu\n", (unsigned long long)orgrbac_snapshot_generation(snap));
	/* the file's word: a hostile sync time saturates the age, never wraps it */
	printf("synced:      %s (%lld s ago; max_age %lld s)\n", when,
	       (long long)orgrbac_age(now, at), (long long)orgrbac_snapshot_max_age(snap));
	printf("state:       %s\n", fresh ? "fresh" : "stale: the NSS module answers UNAVAIL");
	printf("counts:      %zu users, %zu groups, %zu memberships\n",
	       orgrbac_snapshot_count_users(snap), orgrbac_snapshot_count_roles(snap),
	       orgrbac_snapshot_count_members(snap));
	status_left_out(cfg, orgrbac_snapshot_generation(snap), trust);
	orgrbac_snapshot_close(snap);
	return fresh;
}

static int cmd_status(int argc, char **argv)
{
	const char *path = NULL;
	struct orgrbac_config *cfg = NULL;
	orgrbac_error err;
	bool trust = geteuid() != 0, answered, fresh, following;

	enum cli_args args = config_option(argc, argv, &path, status_usage);

	if (args != ARGS_RUN)
		return cli_args_status(args);
	if (orgrbac_config_load(path, trust, &cfg, &err) != 0) {
		fprintf(stderr, "orgrbac: %s\n", err.msg);
		return EXIT_ERR;
	}
	answered = status_servers(cfg, trust);
	fresh = status_snapshot(cfg, trust, (int64_t)time(NULL));
	following = status_follower(cfg, trust);
	orgrbac_config_free(cfg);
	if (!answered || !fresh)
		return EXIT_DENY;
	return following ? 0 : EXIT_FOLLOWER;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_ERR;
	}
	if (strcmp(argv[1], "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (strcmp(argv[1], "sync") == 0)
		return cmd_sync(argc - 1, argv + 1);
	if (strcmp(argv[1], "status") == 0)
		return cmd_status(argc - 1, argv + 1);
	if (strcmp(argv[1], "follow") == 0)
		return cmd_follow(argc - 1, argv + 1);
	if (strcmp(argv[1], "doctor") == 0)
		return cmd_doctor(argc - 1, argv + 1);
	if (strcmp(argv[1], "role") == 0)
		return cmd_role(argc - 1, argv + 1);
	if (strcmp(argv[1], "grant") == 0 || strcmp(argv[1], "revoke") == 0 ||
	    strcmp(argv[1], "grants") == 0)
		return cmd_grant(argc - 1, argv + 1);
	if (strcmp(argv[1], "external") == 0)
		return cmd_external(argc - 1, argv + 1);
	if (strcmp(argv[1], "who") == 0)
		return cmd_who(argc - 1, argv + 1);
	if (strcmp(argv[1], "lint") == 0)
		return cmd_lint(argc - 1, argv + 1);
	if (strcmp(argv[1], "review") == 0)
		return cmd_review(argc - 1, argv + 1);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("orgrbac %s\n", PACKAGE_VERSION);
		return EXIT_ALLOW;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return EXIT_ALLOW;
	}
	fprintf(stderr, "orgrbac: unknown command '");
	put_safe(stderr, argv[1]);
	fprintf(stderr, "'\n");
	usage(stderr);
	return EXIT_ERR;
}
