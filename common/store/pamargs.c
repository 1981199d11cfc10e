/* SPDX-License-Identifier: BSD-2-Clause */
/* The arguments of pam_orgrbac's lines in /etc/pam.d. */
#include <stdio.h>
#include <string.h>

#include "pamargs.h"

static int value(const char *arg, const char *key, const char **slot, orgrbac_error *err)
{
	const char *v = arg + strlen(key);

	if (*slot != NULL) {
		orgrbac_seterr(err, "argument '%s' given twice", key);
		return -1;
	}
	if (*v == '\0') {
		orgrbac_seterr(err, "argument '%s' needs a value", key);
		return -1;
	}
	*slot = v;
	return 0;
}

/* ignore_users=: names separated by commas, each a valid user name. */
static int users(const char *arg, const char **slot, orgrbac_error *err)
{
	const char *why = NULL;
	char name[ORGRBAC_USER_MAX + 2], shown[48];

	if (value(arg, "ignore_users=", slot, err) != 0)
		return -1;
	for (const char *p = *slot;; p++) {
		size_t n = strcspn(p, ",");

		snprintf(name, sizeof(name), "%.*s",
			 (int)(n < sizeof(name) - 1 ? n : sizeof(name) - 1), p);
		if (!orgrbac_username_valid(name, &why)) {
			orgrbac_seterr(err, "argument 'ignore_users=': '%s': %s",
				       orgrbac_printable(name, shown, sizeof(shown)), why);
			return -1;
		}
		p += n;
		if (*p == '\0')
			return 0;
	}
}

static int flag(const char *arg, bool *slot, orgrbac_error *err)
{
	if (*slot) {
		orgrbac_seterr(err, "argument '%s' given twice", arg);
		return -1;
	}
	*slot = true;
	return 0;
}

int orgrbac_pam_args_parse(int argc, const char **argv, struct orgrbac_pam_args *a,
			   orgrbac_error *err)
{
	memset(a, 0, sizeof(*a));
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		int rc;

		if (arg == NULL) {
			orgrbac_seterr(err, "argument %d is missing", i + 1);
			return -1;
		}
		if (strncmp(arg, "require=", 8) == 0)
			rc = value(arg, "require=", &a->require, err);
		else if (strncmp(arg, "config=", 7) == 0)
			rc = value(arg, "config=", &a->config, err);
		else if (strncmp(arg, "service=", 8) == 0)
			rc = value(arg, "service=", &a->service, err);
		else if (strncmp(arg, "ignore_users=", 13) == 0)
			rc = users(arg, &a->ignore_users, err);
		else if (strcmp(arg, "ignore_unknown_user") == 0)
			rc = flag(arg, &a->ignore_unknown_user, err);
		else if (strcmp(arg, "debug") == 0)
			rc = flag(arg, &a->debug, err);
		else if (strcmp(arg, "mfa_exempt") == 0)
			rc = flag(arg, &a->mfa_exempt, err);
		else {
			orgrbac_seterr(err, "unknown argument '%.64s'", arg);
			rc = -1;
		}
		if (rc != 0)
			return -1;
	}
	/* A relative path would follow the working directory of sudo's caller. */
	if (a->config != NULL && a->config[0] != '/') {
		orgrbac_seterr(err, "argument 'config=' needs an absolute path");
		return -1;
	}
	return 0;
}

const char *orgrbac_pam_args_ignore_users(int argc, const char **argv)
{
	const char *found = NULL;
	orgrbac_error err;

	for (int i = 0; i < argc; i++)
		if (argv != NULL && argv[i] != NULL && strncmp(argv[i], "ignore_users=", 13) == 0 &&
		    users(argv[i], &found, &err) != 0)
			return NULL;
	return found;
}
