/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: SSH_AUTH_INFO_0 as the 2FA exemption reads it (the input is the value). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "factor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A proof needs a line that begins with "publickey ": at the start or after a newline. */
static int has_key_line(const char *s)
{
	if (strncmp(s, "publickey ", 10) == 0)
		return 1;
	for (const char *p = strchr(s, '\n'); p != NULL; p = strchr(p + 1, '\n'))
		if (strncmp(p + 1, "publickey ", 10) == 0)
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *info = malloc(size + 1), why[256];
	enum orgrbac_factor f;

	if (info == NULL)
		return 0;
	memcpy(info, data, size);
	info[size] = '\0';
	f = orgrbac_prior_factor("sshd", info, why, sizeof(why));
	if (strnlen(why, sizeof(why)) == sizeof(why))
		abort();
	if (f == ORGRBAC_FACTOR_PUBLICKEY &&
	    (!has_key_line(info) || strlen(info) > ORGRBAC_AUTH_INFO_MAX ||
	     info[strlen(info) - 1] != '\n'))
		abort();
	/* no other service is ever proof */
	if (orgrbac_prior_factor("sudo", info, why, sizeof(why)) != ORGRBAC_FACTOR_NONE)
		abort();
	free(info);
	return 0;
}
