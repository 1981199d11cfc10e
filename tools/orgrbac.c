/* SPDX-License-Identifier: BSD-2-Clause */
/* orgrbac: the administrator's tool - explain a login decision, build and inspect the snapshot. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "evaluate.h"
#include "gtime.h"
#include "ldapc.h"
#include "policy.h"
#include "snapshot.h"
#include "sync.h"

enum { EXIT_ALLOW = 0, EXIT_DENY = 1, EXIT_ERR = 2 };

static void usage(FILE *out)
{
	fprintf(out,
		"usage: orgrbac check USER [--service S] [--require EXPR] [--at TIME] [--json]\n"
		"                          [--config PATH]\n"
		"  Explain whether USER may use service S (default sshd) on this host now,\n"
		"  or at TIME (ISO 8601, e.g. 2026-12-01T09:00:00Z).\n"
		"  Exit status: 0 allow, 1 deny, 2 error.\n"
		"       orgrbac sync [--config PATH]\n"
		"  Read the directory and replace the host snapshot the NSS module reads.\n"
		"  Exit status: 0 written, 1 the directory did not answer, 2 error.\n"
		"       orgrbac status [--config PATH]\n"
		"  Which servers answer; the snapshot's age and counts.\n"
		"  Exit status: 0 a server answers and the snapshot is fresh, 1 not, 2 error.\n");
}

/* Print untrusted text with anything unprintable as \xNN. */
static void put_safe(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			fprintf(out, "\\x%02x", *p);
		else
			fputc(*p, out);
	}
}

static void put_json(FILE *out, const char *s)
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

static const char *role_name(const struct orgrbac_grant *g)
{
	return g->role != NULL ? g->role->name : NULL;
}

/* Why a grant is or is not in force, in a few words. */
static const char *grant_state(const struct orgrbac_grant *g, const struct orgrbac_host *host,
			       const char *home_org, int64_t now)
{
	if (orgrbac_grant_void_reason(g) != NULL)
		return "void";
	if (g->role == NULL)
		return g->role_dn == NULL ? "no role named"
		       : g->platform	  ? "role missing or not global"
					  : "role missing or out of reach";
	if (g->window.has_not_before && now < g->window.not_before)
		return "not yet in force";
	if (g->window.has_not_after && now >= g->window.not_after)
		return "expired";
	if (!g->platform && strcasecmp(home_org, host->org) != 0)
		return "home organization only";
	if (!orgrbac_grant_covers(g, host))
		return "scope does not cover this host";
	return "in force";
}

static void window_text(const struct orgrbac_window *w, char *buf, size_t len)
{
	char a[32] = "-", b[32] = "-";

	if (!w->has_not_before && !w->has_not_after) {
		snprintf(buf, len, "always");
		return;
	}
	if (w->has_not_before)
		orgrbac_time_format(w->not_before, a, sizeof(a));
	if (w->has_not_after)
		orgrbac_time_format(w->not_after, b, sizeof(b));
	snprintf(buf, len, "%s .. %s%s", a, b, w->malformed ? " (malformed)" : "");
}

/* Directory values may hold anything but NUL: every one goes out through put_safe. */
static void put_line(const char *label, const char *value)
{
	fputs(label, stdout);
	put_safe(stdout, value != NULL ? value : "-");
	fputc('\n', stdout);
}

static void print_text(const char *user, const char *service, const char *require,
		       const struct orgrbac_facts *f, const struct orgrbac_host *host,
		       const struct orgrbac_decision *d, int64_t now)
{
	char when[32], win[96];

	orgrbac_time_format(now, when, sizeof(when));
	put_line("user:         ", user);
	put_line("service:      ", service);
	put_line("requires:     ", require);
	put_line("at:           ", when);
	put_line("decision:     ", orgrbac_verdict_name(d->verdict));
	put_line("reason:       ", d->reason);
	if (f == NULL)
		return;
	put_line("entry:        ", f->dn);
	printf("organization: ");
	put_safe(stdout, f->org);
	printf(" (host organization %s)\n", host->org);
	for (size_t i = 0; i < d->n_matches; i++) {
		const struct orgrbac_match *m = &d->matches[i];

		printf("privilege:    %s <- ", m->required);
		put_safe(stdout, m->granted);
		if (m->grant != NULL) {
			printf(" of role '");
			put_safe(stdout, role_name(m->grant));
			printf("' by grant '");
			put_safe(stdout, m->grant->name);
			printf("' via ");
			put_safe(stdout, m->grant->via);
		}
		printf("\n");
	}
	for (size_t i = 0; i < f->n_groups; i++)
		put_line("group:        ", f->groups[i]);
	for (size_t i = 0; i < f->n_grants; i++) {
		const struct orgrbac_grant *g = &f->grants[i];

		window_text(&g->window, win, sizeof(win));
		printf("grant:        ");
		put_safe(stdout, g->name);
		printf(": role '");
		put_safe(stdout, role_name(g) ? role_name(g) : (g->role_dn ? g->role_dn : "-"));
		printf("', ");
		if (g->n_scopes == 0)
			printf("organization-wide");
		for (size_t j = 0; j < g->n_scopes; j++) {
			printf("%s", j ? " " : "");
			put_safe(stdout, g->scopes[j]);
		}
		printf(", %s, %s%s", win, g->platform ? "platform grant, " : "",
		       grant_state(g, host, f->org, now));
		if (orgrbac_grant_void_reason(g) != NULL) {
			printf(": ");
			put_safe(stdout, orgrbac_grant_void_reason(g));
		}
		printf("\n");
	}
	for (size_t i = 0; f->external != NULL && i < f->n_external; i++) {
		const struct orgrbac_external *x = &f->external[i];

		window_text(&x->window, win, sizeof(win));
		printf("external:     %s '", orgrbac_ext_kind_name(x->kind));
		put_safe(stdout, x->name);
		printf("', %s, window %s, role management %s", orgrbac_ext_mode_name(x->mode), win,
		       x->role_management ? "on" : "off");
		if (x->unreadable[0] != '\0') {
			printf(", closed: ");
			put_safe(stdout, x->unreadable);
		}
		printf("\n");
	}
	printf("2FA-exempt:   %s", d->mfa_exempt ? "yes" : "no");
	if (d->mfa_grant != NULL) {
		printf(" (grant '");
		put_safe(stdout, d->mfa_grant->name);
		printf("')");
	}
	printf("\n");
}

static void put_external_json(const struct orgrbac_external *x)
{
	char a[32], b[32];

	printf("{\"name\":");
	put_json(stdout, x->name);
	printf(",\"kind\":\"%s\",\"mode\":\"%s\",\"role_management\":%s",
	       orgrbac_ext_kind_name(x->kind), orgrbac_ext_mode_name(x->mode),
	       x->role_management ? "true" : "false");
	orgrbac_time_format(x->window.not_before, a, sizeof(a));
	orgrbac_time_format(x->window.not_after, b, sizeof(b));
	printf(",\"not_before\":");
	put_json(stdout, x->window.has_not_before ? a : NULL);
	printf(",\"not_after\":");
	put_json(stdout, x->window.has_not_after ? b : NULL);
	printf(",\"closed\":");
	put_json(stdout, x->unreadable[0] != '\0' ? x->unreadable : NULL);
	printf("}");
}

static void print_json(const char *user, const char *service, const char *require,
		       const struct orgrbac_facts *f, const struct orgrbac_host *host,
		       const struct orgrbac_decision *d, int64_t now)
{
	char when[32];

	orgrbac_time_format(now, when, sizeof(when));
	printf("{\"user\":");
	put_json(stdout, user);
	printf(",\"service\":");
	put_json(stdout, service);
	printf(",\"require\":");
	put_json(stdout, require);
	printf(",\"at\":\"%s\",\"decision\":\"%s\",\"reason\":", when,
	       orgrbac_verdict_name(d->verdict));
	put_json(stdout, d->reason);
	printf(",\"mfa_exempt\":%s,\"cross_org\":%s,\"full_access\":%s",
	       d->mfa_exempt ? "true" : "false", d->cross_org ? "true" : "false",
	       d->full_access ? "true" : "false");
	printf(",\"dn\":");
	put_json(stdout, f ? f->dn : NULL);
	printf(",\"organization\":");
	put_json(stdout, f ? f->org : NULL);
	printf(",\"matches\":[");
	for (size_t i = 0; i < d->n_matches; i++) {
		const struct orgrbac_match *m = &d->matches[i];

		printf("%s{\"required\":", i ? "," : "");
		put_json(stdout, m->required);
		printf(",\"granted\":");
		put_json(stdout, m->granted);
		printf(",\"role\":");
		put_json(stdout, m->grant ? role_name(m->grant) : NULL);
		printf(",\"grant\":");
		put_json(stdout, m->grant ? m->grant->name : NULL);
		printf(",\"via\":");
		put_json(stdout, m->grant ? m->grant->via : NULL);
		printf("}");
	}
	printf("],\"groups\":[");
	for (size_t i = 0; f != NULL && i < f->n_groups; i++) {
		printf("%s", i ? "," : "");
		put_json(stdout, f->groups[i]);
	}
	printf("],\"grants\":[");
	for (size_t i = 0; f != NULL && i < f->n_grants; i++) {
		const struct orgrbac_grant *g = &f->grants[i];

		printf("%s{\"name\":", i ? "," : "");
		put_json(stdout, g->name);
		printf(",\"role\":");
		put_json(stdout, role_name(g));
		printf(",\"via\":");
		put_json(stdout, g->via);
		printf(",\"scopes\":[");
		for (size_t j = 0; j < g->n_scopes; j++) {
			printf("%s", j ? "," : "");
			put_json(stdout, g->scopes[j]);
		}
		printf("],\"platform\":%s,\"state\":", g->platform ? "true" : "false");
		put_json(stdout, grant_state(g, host, f->org, now));
		printf(",\"void\":");
		put_json(stdout, orgrbac_grant_void_reason(g));
		printf("}");
	}
	/* "external": the nearest entry; "externals": every one above, nearest first. */
	printf("],\"external\":");
	if (f == NULL || f->external == NULL)
		printf("null");
	else
		put_external_json(&f->external[0]);
	printf(",\"externals\":[");
	for (size_t i = 0; f != NULL && f->external != NULL && i < f->n_external; i++) {
		printf("%s", i ? "," : "");
		put_external_json(&f->external[i]);
	}
	printf("]}\n");
}

/* What the command line asks for: a run, or nothing more after help or usage was printed. */
enum args {
	ARGS_RUN,
	ARGS_HELP, /* printed on stdout */
	ARGS_BAD,  /* usage printed on stderr */
};

struct check_args {
	const char *user, *service, *require, *at, *path;
	bool json;
};

static enum args check_args(int argc, char **argv, struct check_args *a)
{
	static const struct option opts[] = {
	    {"service", required_argument, NULL, 's'},
	    {"require", required_argument, NULL, 'r'},
	    {"at", required_argument, NULL, 'a'},
	    {"json", no_argument, NULL, 'j'},
	    {"config", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	/*
	 * USER comes first and is taken as it is, even when it starts with '-':
	 * a hostile name such as "-alice" must reach the name check, not getopt.
	 */
	if (argc > 1 && strncmp(argv[1], "--", 2) != 0) {
		a->user = argv[1];
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 's': a->service = optarg; break;
		case 'r': a->require = optarg; break;
		case 'a': a->at = optarg; break;
		case 'j': a->json = true; break;
		case 'c': a->path = optarg; break;
		case 'h': usage(stdout); return ARGS_HELP;
		default: usage(stderr); return ARGS_BAD;
		}
	}
	if (a->user == NULL && optind < argc)
		a->user = argv[optind++];
	if (a->user == NULL || optind != argc) {
		usage(stderr);
		return ARGS_BAD;
	}
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
			print_json(a->user, a->service, require, ev->facts, &host, &ev->decision,
				   now);
		else
			print_text(a->user, a->service, require, ev->facts, &host, &ev->decision,
				   now);
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

	switch (check_args(argc, argv, &a)) {
	case ARGS_RUN: break;
	case ARGS_HELP: return EXIT_ALLOW;
	case ARGS_BAD: return EXIT_ERR;
	}
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
		orgrbac_evaluate(cfg, a.user, require, now, trust, &ev);
		rc = check_report(&a, require, cfg, &ev, now);
		orgrbac_evaluation_free(&ev);
	}
	orgrbac_config_free(cfg);
	return rc;
}

/* The only option of sync and status. */
static enum args config_option(int argc, char **argv, const char **path)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': *path = optarg; break;
		case 'h': usage(stdout); return ARGS_HELP;
		default: usage(stderr); return ARGS_BAD;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return ARGS_BAD;
	}
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

	switch (config_option(argc, argv, &path)) {
	case ARGS_RUN: break;
	case ARGS_HELP: return 0;
	case ARGS_BAD: return EXIT_ERR;
	}
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
	case ORGRBAC_SYNC_WRITTEN: return 0;
	case ORGRBAC_SYNC_UNAVAIL: return EXIT_DENY;
	default: return EXIT_ERR;
	}
}

static int cmd_status(int argc, char **argv)
{
	const char *path = NULL;
	struct orgrbac_config *cfg = NULL;
	struct orgrbac_snapshot *snap = NULL;
	orgrbac_error err;
	bool trust = geteuid() != 0, answered = false, fresh = false;
	int64_t now = (int64_t)time(NULL);
	char when[32];

	switch (config_option(argc, argv, &path)) {
	case ARGS_RUN: break;
	case ARGS_HELP: return 0;
	case ARGS_BAD: return EXIT_ERR;
	}
	if (orgrbac_config_load(path, trust, &cfg, &err) != 0) {
		fprintf(stderr, "orgrbac: %s\n", err.msg);
		return EXIT_ERR;
	}
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
	printf("snapshot:    %s%s\n", cfg->snapshot,
	       strcmp(cfg->snapshot, ORGRBAC_SNAPSHOT_PATH) == 0
		   ? ""
		   : " (not the one the NSS module reads)");
	if (orgrbac_snapshot_open(cfg->snapshot, trust ? ORGRBAC_SNAP_TRUST_ANY_OWNER : 0, &snap,
				  &err) != 0) {
		printf("state:       unusable: %s\n", err.msg);
	} else {
		int64_t at = orgrbac_snapshot_synced_at(snap);

		fresh = orgrbac_snapshot_fresh(snap, now);
		orgrbac_time_format(at, when, sizeof(when));
		printf("generation:  %llu\n",
		       (unsigned long long)orgrbac_snapshot_generation(snap));
		/* the file's word: a hostile sync time saturates the age, never wraps it */
		printf("synced:      %s (%lld s ago; max_age %lld s)\n", when,
		       (long long)orgrbac_age(now, at), (long long)orgrbac_snapshot_max_age(snap));
		printf("state:       %s\n",
		       fresh ? "fresh" : "stale: the NSS module answers UNAVAIL");
		printf("counts:      %zu users, %zu groups, %zu memberships\n",
		       orgrbac_snapshot_count_users(snap), orgrbac_snapshot_count_roles(snap),
		       orgrbac_snapshot_count_members(snap));
		orgrbac_snapshot_close(snap);
	}
	orgrbac_config_free(cfg);
	return answered && fresh ? 0 : EXIT_DENY;
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
