/* SPDX-License-Identifier: BSD-2-Clause */
/* What the orgrbac commands share: safe output of untrusted text, and each command's report. */
#ifndef ORGRBAC_CLI_H
#define ORGRBAC_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

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

/* `orgrbac doctor ARGS...`: argv[0] is "doctor"; the exit status. */
int cmd_doctor(int argc, char **argv);

/* `orgrbac role SUBCOMMAND ...`: argv[0] is "role"; the exit status. */
int cmd_role(int argc, char **argv);

/* `orgrbac who ARGS...` and `orgrbac lint ARGS...`: argv[0] is the command; the exit status. */
int cmd_who(int argc, char **argv);
int cmd_lint(int argc, char **argv);

/* `orgrbac review ARGS...`: argv[0] is "review"; the exit status. */
int cmd_review(int argc, char **argv);

/* orgrbac follow (tools/follow.c), and the follower's state in orgrbac status. */
int cmd_follow(int argc, char **argv);
void status_follower(const struct orgrbac_config *cfg, bool trust);

#endif
