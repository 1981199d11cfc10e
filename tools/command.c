/* SPDX-License-Identifier: BSD-2-Clause */
/* The option loop of every command that manages the directory, its checks, connection and run. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define COMMAND_OPTIONS_MAX 48 /* entries of the merged option table, its end included */

/* The shared options, then the command's own (up to their end), then the end, in buf. */
static const struct option *command_options(struct option *buf, const struct option *own)
{
	static const struct option shared[] = {
	    CONN_LONG_OPTS,
	    {"json", no_argument, NULL, COMMAND_OPT_JSON},
	    {"dry-run", no_argument, NULL, COMMAND_OPT_DRY_RUN},
	    {"help", no_argument, NULL, 'h'},
	};
	size_t n = 0;

	for (size_t i = 0; i < sizeof(shared) / sizeof(shared[0]); i++)
		buf[n++] = shared[i];
	for (; own != NULL && own->name != NULL && n < COMMAND_OPTIONS_MAX - 1; own++)
		buf[n++] = *own;
	buf[n] = (struct option){NULL, 0, NULL, 0};
	return buf;
}

static bool shared_option(struct command_args *a, int c, const char *arg)
{
	switch (c) {
	case COMMAND_OPT_JSON: a->json = true; return true;
	case COMMAND_OPT_DRY_RUN: a->dry_run = true; return true;
	default: return conn_option(&a->conn, c, arg);
	}
}

/* The command line read into a and own; ARGS_HELP and ARGS_BAD have printed the usage. */
static enum cli_args command_args(int argc, char **argv, const struct command *cmd,
				  struct command_args *a, void *own)
{
	struct option buf[COMMAND_OPTIONS_MAX];
	const struct option *opts = command_options(buf, cmd->options);
	int c = 0;
	bool ok = true;

	a->cmd = argv[0];
	/* "-": operands in their place among the options; after "--", operands only */
	while (ok && (c = getopt_long(argc, argv, "-" CONN_SHORT_OPTS "h", opts, NULL)) != -1) {
		if (c == 'h')
			break;
		ok = shared_option(a, c, optarg) || cmd->option(own, c, optarg);
	}
	while (ok && c != 'h' && optind < argc)
		ok = cmd->option(own, 1, argv[optind++]);
	if (c == 'h' || !ok) {
		cmd->usage(ok ? stdout : stderr, a->cmd);
		return ok ? ARGS_HELP : ARGS_BAD;
	}
	return ARGS_RUN;
}

int command_run(int argc, char **argv, const struct command *cmd, void *own)
{
	struct command_args a = {0};
	struct orgrbac_config *cfg = NULL;
	struct orgrbac_admin ad;
	enum cli_args parsed = command_args(argc, argv, cmd, &a, own);
	const char *bad;
	int rc;

	if (parsed != ARGS_RUN)
		return cli_args_status(parsed);
	bad = cmd->check(&a, own);
	if (bad == NULL)
		bad = conn_check(&a.conn);
	if (bad != NULL) {
		fprintf(stderr, "orgrbac: %s: %s\n", a.cmd, bad);
		cmd->usage(stderr, a.cmd);
		return EXIT_ERR;
	}
	if (conn_open(&a.conn, &cfg, &ad) != 0)
		return EXIT_ERR;
	rc = cmd->run(&ad, &a, own);
	conn_close(cfg, &ad);
	return rc;
}
