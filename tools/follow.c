/* SPDX-License-Identifier: BSD-2-Clause */
/* orgrbac follow: its options, signals and log; and the follower's state for orgrbac status. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "follow.h"
#include "gtime.h"

static void follow_usage(FILE *out)
{
	fprintf(out, "usage: orgrbac follow [--config PATH] [--once] [--syslog]\n"
		     "  Keep the snapshot current (RFC 4533 refreshAndPersist) until SIGTERM.\n"
		     "  --once: one full refresh, published, then exit.\n"
		     "  Exit status: 0 stopped (or --once published), 1 --once and no directory\n"
		     "  server answered, 2 error.\n");
}

static void log_stderr(void *ctx, int priority, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "orgrbac follow: %s%s\n", priority <= LOG_WARNING ? "warning: " : "", msg);
}

static void log_syslog(void *ctx, int priority, const char *msg)
{
	(void)ctx;
	syslog(priority, "%s", msg);
}

static void on_signal(int sig)
{
	(void)sig;
	orgrbac_follow_stop();
}

/* SIGTERM and SIGINT stop the follower; no SA_RESTART, so its poll() wakes. */
static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

int cmd_follow(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"once", no_argument, NULL, 'o'},
	    {"syslog", no_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct orgrbac_follow_params p = {.trust_any_owner = geteuid() != 0, .log = log_stderr};
	struct orgrbac_config *cfg = NULL;
	const char *path = NULL;
	orgrbac_error err;
	enum orgrbac_follow_status st;
	int c;

	while ((c = getopt_long(argc, argv, "-c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': path = optarg; break;
		case 'o': p.once = true; break;
		case 's': p.log = log_syslog; break;
		case 'h': follow_usage(stdout); return EXIT_ALLOW;
		default: follow_usage(stderr); return EXIT_ERR;
		}
	}
	if (optind != argc) {
		follow_usage(stderr);
		return EXIT_ERR;
	}
	if (p.log == log_syslog)
		openlog("orgrbac-follow", LOG_PID, LOG_AUTHPRIV);
	if (orgrbac_config_load(path, p.trust_any_owner, &cfg, &err) != 0) {
		fprintf(stderr, "orgrbac: %s\n", err.msg);
		return EXIT_ERR;
	}
	catch_signals();
	st = orgrbac_follow(cfg, &p, &err);
	if (st != ORGRBAC_FOLLOW_STOPPED)
		fprintf(stderr, "orgrbac follow: %s\n", err.msg);
	orgrbac_config_free(cfg);
	switch (st) {
	case ORGRBAC_FOLLOW_STOPPED: return EXIT_ALLOW;
	case ORGRBAC_FOLLOW_UNAVAIL: return EXIT_DENY;
	default: return EXIT_ERR;
	}
}

/* A time from the state file, or "never". */
static void put_time(const char *label, int64_t t, int64_t now)
{
	char when[32];

	if (t <= 0) {
		printf("  %-13s never\n", label);
		return;
	}
	orgrbac_time_format(t, when, sizeof(when));
	printf("  %-13s %s (%lld s ago)\n", label, when, (long long)orgrbac_age(now, t));
}

/* The verdict on the follower, in words; true when it keeps the snapshot current. */
static bool put_verdict(const struct orgrbac_follow_state *s, bool alive, long max_age, int64_t now)
{
	int64_t age = 0;

	switch (orgrbac_follow_judge(s, alive, now, max_age, &age)) {
	case ORGRBAC_FOLLOW_CURRENT: printf("  verdict:      current\n"); return true;
	case ORGRBAC_FOLLOW_CATCHING_UP:
		printf("  verdict:      catching up (%lld s, within %d s)\n", (long long)age,
		       ORGRBAC_FOLLOW_GRACE);
		return true;
	case ORGRBAC_FOLLOW_DISCONNECTED:
		printf("  verdict:      not current: %s for %lld s\n", s->state, (long long)age);
		return false;
	case ORGRBAC_FOLLOW_LATE:
		printf(
		    "  verdict:      not current: nothing published for %lld s (every %ld s due)\n",
		    (long long)age, orgrbac_follow_fresh_interval(max_age));
		return false;
	default: printf("  verdict:      not current: the follower does not run\n"); return false;
	}
}

bool status_follower(const struct orgrbac_config *cfg, bool trust)
{
	struct orgrbac_follow_state s;
	char *path = orgrbac_follow_state_path(cfg->snapshot);
	int64_t now = (int64_t)time(NULL);
	orgrbac_error err;
	bool alive, current = false;

	if (path == NULL) {
		printf("follower:    unknown: out of memory\n");
		return false;
	}
	switch (orgrbac_follow_state_read(path, trust, &s, &err)) {
	case ORGRBAC_FOLLOW_STATE_ABSENT:
		printf("follower:    not in use (no %s; the sync timer keeps it)\n", path);
		current = true;
		break;
	case ORGRBAC_FOLLOW_STATE_INVALID: printf("follower:    unknown: %s\n", err.msg); break;
	case ORGRBAC_FOLLOW_STATE_READ:
		alive = s.pid > 0 && (kill((pid_t)s.pid, 0) == 0 || errno == EPERM);
		printf("follower:    ");
		put_safe(stdout, s.state);
		printf(" (pid %ld%s)\n", s.pid, alive ? "" : ", not running");
		printf("  server:       ");
		put_safe(stdout, s.server[0] != '\0' ? s.server : "none yet");
		printf("\n");
		put_time("since:", s.since, now);
		put_time("last change:", s.last_change, now);
		put_time("published:", s.last_publish, now);
		if (s.error[0] != '\0') {
			printf("  last error:   ");
			put_safe(stdout, s.error);
			printf("\n");
		}
		current = put_verdict(&s, alive, cfg->max_age, now);
		break;
	}
	free(path);
	return current;
}
