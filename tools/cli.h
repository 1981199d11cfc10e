/* SPDX-License-Identifier: BSD-2-Clause */
/* What the orgrbac commands share: safe output of untrusted text, and each command's report. */
#ifndef ORGRBAC_CLI_H
#define ORGRBAC_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "admin.h"
#include "config.h"
#include "hostview.h"
#include "policy.h"

enum {
	EXIT_ALLOW = 0,
	EXIT_DENY = 1,
	EXIT_ERR = 2,
	EXIT_LEFT_OUT = 3, /* sync: the snapshot was written, but it leaves roles or users out */
	EXIT_FOLLOWER = 3, /* status: the follower does not keep the snapshot current */
};

/* What a command line asks for: a run, or nothing more after help or usage was printed. */
enum cli_args {
	ARGS_RUN,
	ARGS_HELP, /* --help or -h: the usage printed on stdout, exit status 0 */
	ARGS_BAD,  /* a wrong option or operand: the usage printed on stderr, exit status 2 */
};

/*
 * The end of every command's option loop: getopt_long's 'h' (--help, -h)
 * prints the command's usage on stdout (ARGS_HELP), anything else it
 * returned (an unknown option, a missing argument) or a wrong operand the
 * usage on stderr (ARGS_BAD).
 */
enum cli_args cli_usage(int c, void (*usage)(FILE *out));

/* The exit status of a command line that asked for no run: 0 after help, 2 after a mistake. */
int cli_args_status(enum cli_args a);

/* Untrusted text with each byte of a control character (C0, DEL, C1), of the backslash and of
 * anything not well-formed UTF-8 as \xNN. */
void put_safe(FILE *out, const char *s);

/* A JSON string (or null for NULL), valid UTF-8: every control character escaped, each byte
 * that begins no well-formed UTF-8 sequence as \ufffd. */
void put_json(FILE *out, const char *s);

/* `orgrbac check`: the decision and why, as text or as one JSON object, on stdout. */
void check_print_text(const char *user, const char *service, const char *require,
		      const struct orgrbac_facts *f, const struct orgrbac_host *host,
		      const struct orgrbac_decision *d, int64_t now);
void check_print_json(const char *user, const char *service, const char *require,
		      const struct orgrbac_facts *f, const struct orgrbac_host *host,
		      const struct orgrbac_decision *d, int64_t now);

/*
 * The administrator's connection options, shared by every command that
 * manages the directory: -H URI, -D BINDDN with -W or -y FILE, -Y EXTERNAL,
 * --org ORG or --platform, --config PATH. A command puts CONN_SHORT_OPTS in
 * its getopt string and CONN_LONG_OPTS in its option table, and hands each
 * option to conn_option first.
 */
struct conn_args {
	const char *path, *uri, *bind_dn, *pwfile, *mech, *org;
	bool prompt, platform;
};
enum { CONN_OPT_ORG = 200, CONN_OPT_PLATFORM, CONN_OPT_CONFIG };
#define CONN_SHORT_OPTS "H:D:Wy:Y:"
/* clang-format off */
#define CONN_LONG_OPTS                                                                             \
	{"org", required_argument, NULL, CONN_OPT_ORG},                                            \
	{"platform", no_argument, NULL, CONN_OPT_PLATFORM},                                        \
	{"config", required_argument, NULL, CONN_OPT_CONFIG}
/* clang-format on */
#define CONN_USAGE                                                                                 \
	"  Where: --org ORG (default [host] org) or --platform (the global roles).\n"              \
	"  Connection: [ldap] of --config PATH, overridden by -H URI, -D BINDDN with\n"            \
	"  -W (prompt) or -y FILE (the whole file is the password), or -Y EXTERNAL.\n"

/* Takes option `c` (its argument `arg`) when it is a connection option. */
bool conn_option(struct conn_args *a, int c, const char *arg);

/* NULL when the connection options go together, else what is wrong. */
const char *conn_check(const struct conn_args *a);

/*
 * Load the configuration, then connect as the options say (the password
 * wiped once bound); ad gets the connection, the base and the place.
 * -1 with the reason on stderr.
 */
int conn_open(const struct conn_args *a, struct orgrbac_config **cfg, struct orgrbac_admin *ad);
void conn_close(struct orgrbac_config *cfg, struct orgrbac_admin *ad);

/*
 * The skeleton of every command that manages the directory (role, grant,
 * revoke, grants, external): one option loop takes the shared options (the
 * connection's, --json, --dry-run, --help) into command_args and hands each
 * of the command's own options, and each operand (code 1), to its callback;
 * then the command's check, the connection's, the connection opened, the run.
 */
enum { COMMAND_OPT_JSON = 0x400, COMMAND_OPT_DRY_RUN }; /* above the commands' own codes */

struct command_args {
	const char *cmd; /* argv[0]: "role", "grant", ... */
	struct conn_args conn;
	bool json, dry_run;
};

struct command {
	const struct option *options; /* the command's own, up to an entry of NULL name */
	/* One of its own options (or operand, c == 1) into own; false when wrong or too many. */
	bool (*option)(void *own, int c, const char *arg);
	/* NULL when the options go together, else what is wrong (the connection's checked next). */
	const char *(*check)(const struct command_args *a, const void *own);
	/* The command, connected; its exit status. */
	int (*run)(const struct orgrbac_admin *ad, const struct command_args *a, const void *own);
	/* The usage of command `cmd` (argv[0]). */
	void (*usage)(FILE *out, const char *cmd);
};

/* Parse, check, connect, run, disconnect: the exit status (0 after --help, 2 after a mistake). */
int command_run(int argc, char **argv, const struct command *cmd, void *own);

/* A directory timestamp as ISO 8601, or as it is when it does not parse; JSON or text. */
void put_gtime(FILE *out, const char *gt, bool json);

/* A directory change's outcome, as a command that writes reports it. */
struct change_report {
	const char *command, *sub, *name; /* "external", "set", the entry's name */
	const char *done;		  /* "added", "changed", "deleted" */
	bool dry_run;
	const char *ldif, *dn, *why;
	char *const *listed; /* refused: what stands in the way, one per line */
	size_t n_listed;
	const char *label; /* the word before each of them */
};

/*
 * The LDIF of a valid dry run on stdout; "COMMAND 'NAME' DONE: DN" once
 * written; else why not on stderr, with each listed entry. The exit status.
 */
int report_change(const struct change_report *r, enum orgrbac_admin_status st);

/* `orgrbac doctor ARGS...`: argv[0] is "doctor"; the exit status. */
int cmd_doctor(int argc, char **argv);

/* `orgrbac role SUBCOMMAND ...`: argv[0] is "role"; the exit status. */
int cmd_role(int argc, char **argv);

/* `orgrbac grant|revoke|grants ARGS...`: argv[0] is the command; the exit status. */
int cmd_grant(int argc, char **argv);
/* `orgrbac external SUBCOMMAND ...`: argv[0] is "external"; the exit status. */
int cmd_external(int argc, char **argv);

/* `orgrbac who ARGS...` and `orgrbac lint ARGS...`: argv[0] is the command; the exit status. */
int cmd_who(int argc, char **argv);
int cmd_lint(int argc, char **argv);

/* `orgrbac review ARGS...`: argv[0] is "review"; the exit status. */
int cmd_review(int argc, char **argv);

/*
 * The scope `who`, `review` and `lint` read: --service and --resource (who
 * and review), --at, and the administrator's connection options (--config,
 * -H, -D with -W or -y, -Y EXTERNAL, --org, --platform); the configuration,
 * the host it describes with those overrides, the time, and the whole
 * directory as that identity reads it. Each step prints why it failed on
 * stderr.
 */
enum {
	SCOPE_OPT_SERVICE = 0x300, /* getopt_long codes: above any character */
	SCOPE_OPT_RESOURCE,
	SCOPE_OPT_AT,
};
/* What a command's table takes from the scope's options; the connection's always. */
enum scope_what {
	SCOPE_WHERE = 1, /* --service, --resource */
	SCOPE_WHEN = 2,	 /* --at */
};
#define SCOPE_OPTIONS_MAX 32 /* entries of a table scope_options builds, its end included */
/* The short options of the scope (the connection's) and of --help, for getopt_long. */
#define SCOPE_SHORT_OPTS "h" CONN_SHORT_OPTS

enum scope_status { SCOPE_OK, SCOPE_FAILED };

struct scope {
	const char *service, *resource, *at; /* the options, NULL when not given */
	struct conn_args conn;
	int64_t now; /* --at, or the time the command started */
	struct orgrbac_config *cfg;
	struct orgrbac_admin ad;  /* the connection, and the organization (--org) */
	struct orgrbac_host host; /* the configuration's, with --service, --resource and --org */
	struct orgrbac_image img;
	const char *one_service[1];
};

/* Nothing given yet, the time now. */
void scope_init(struct scope *s);
/* The command's own options (up to its end entry), then the scope's `what` (a scope_what mask)
 * and the connection's, in buf of SCOPE_OPTIONS_MAX entries. */
const struct option *scope_options(struct option *buf, const struct option *own, unsigned what);
/* getopt_long's code c with its argument: true when it is one of the scope's options. */
bool scope_option(struct scope *s, int c, const char *arg);
/* NULL when the options go together (--platform only where `platform` says it means
 * something), else what is wrong. */
const char *scope_check(const struct scope *s, bool platform);
/* After a command's options: scope_check's verdict, ARGS_RUN or ARGS_BAD (with "orgrbac CMD:
 * the reason" and the usage on stderr). */
enum cli_args scope_usable(const struct scope *s, const char *cmd, bool platform,
			   void (*usage)(FILE *out));
/* --at parsed into s->now. */
enum scope_status scope_time(struct scope *s);
/* The configuration loaded and the connection made, s->host from them. */
enum scope_status scope_config(struct scope *s);
/* The whole directory, as the connection's identity reads it; with `stamps`, who made and
 * changed each grant (the access review's), else not asked for. */
enum scope_status scope_read(struct scope *s, bool stamps);
void scope_free(struct scope *s);

/* orgrbac follow (tools/follow.c), and the follower's state in orgrbac status: true when it
 * keeps the snapshot current (or no follower is in use). */
int cmd_follow(int argc, char **argv);
bool status_follower(const struct orgrbac_config *cfg, bool trust);

#endif
