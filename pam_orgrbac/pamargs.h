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
	bool ignore_unknown_user;
	bool debug;
	bool mfa_exempt;
};

/*
 * Parse module arguments; strings point into argv. Unknown or repeated
 * arguments, and empty values, are errors naming the argument.
 */
int orgrbac_pam_args_parse(int argc, const char **argv, struct orgrbac_pam_args *a,
			   orgrbac_error *err);

#endif
