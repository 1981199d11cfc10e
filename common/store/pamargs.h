/* SPDX-License-Identifier: BSD-2-Clause */
/* The arguments of pam_orgrbac's lines in /etc/pam.d. */
#ifndef ORGRBAC_PAMARGS_H
#define ORGRBAC_PAMARGS_H

#include <stdbool.h>

#include "util.h"

struct orgrbac_pam_args {
	const char *require; /* require=EXPR: overrides the configuration */
	const char *config;  /* config=PATH */
	const char *service; /* service=NAME: the [service NAME] to use */
	/* ignore_users=NAME[,NAME...]: never judged, whatever the configuration says or lacks */
	const char *ignore_users;
	bool ignore_unknown_user;
	bool debug;
	bool mfa_exempt;
};

/*
 * Parse module arguments; strings point into argv. Unknown or repeated
 * arguments, empty values, and an ignore_users= list with an empty or
 * invalid name (orgrbac_username_valid; names are separated by commas
 * alone) are errors naming the argument.
 */
int orgrbac_pam_args_parse(int argc, const char **argv, struct orgrbac_pam_args *a,
			   orgrbac_error *err);

/*
 * The ignore_users= argument of arguments that did not parse: its value when
 * it is given once and valid, else NULL. The names a line lists stay
 * unjudged whatever else on the line is wrong.
 */
const char *orgrbac_pam_args_ignore_users(int argc, const char **argv);

#endif
