/* SPDX-License-Identifier: BSD-2-Clause */
/* What the orgrbac commands share: safe output of untrusted text, and each command's report. */
#ifndef ORGRBAC_CLI_H
#define ORGRBAC_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "admin.h"
#include "config.h"
#include "policy.h"

enum {
	EXIT_ALLOW = 0,
	EXIT_DENY = 1,
	EXIT_ERR = 2,
	EXIT_LEFT_OUT = 3, /* sync: the snapshot was written, but it leaves roles or users out */
};

/* Untrusted text with anything unprintable (and the backslash) as \xNN. */
void put_safe(FILE *out, const char *s);

/* A JSON string (or null for NULL), every control character escaped. */
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

#endif
