/* SPDX-License-Identifier: BSD-2-Clause */
/* A command's usage: on stdout when asked for, on stderr after a mistake. */
#include <stdio.h>

#include "cli.h"

enum cli_args cli_usage(int c, void (*usage)(FILE *out))
{
	if (c == 'h') {
		usage(stdout);
		return ARGS_HELP;
	}
	usage(stderr);
	return ARGS_BAD;
}

int cli_args_status(enum cli_args a)
{
	return a == ARGS_HELP ? EXIT_ALLOW : EXIT_ERR;
}
