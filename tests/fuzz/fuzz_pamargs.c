/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the module arguments of a pam.d line (NUL-separated in the input). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pamargs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ARGS_MAX 32

/* A value must point inside the argument it came from, after its key. */
static void inside(const char *v, const char *const *argv, int argc, const char *key)
{
	if (v == NULL)
		return;
	for (int i = 0; i < argc; i++)
		if (v == argv[i] + strlen(key) && strncmp(argv[i], key, strlen(key)) == 0 &&
		    v[0] != '\0')
			return;
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *argv[ARGS_MAX];
	struct orgrbac_pam_args a;
	orgrbac_error err = {{0}};
	char *buf = malloc(size + 1);
	int argc = 0;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (char *p = buf; argc < ARGS_MAX && p <= buf + size; p += strlen(p) + 1)
		argv[argc++] = p;
	if (orgrbac_pam_args_parse(argc, argv, &a, &err) == 0) {
		inside(a.require, argv, argc, "require=");
		inside(a.config, argv, argc, "config=");
		inside(a.service, argv, argc, "service=");
		inside(a.ignore_users, argv, argc, "ignore_users=");
	} else if (err.msg[0] == '\0') {
		abort();
	}
	inside(orgrbac_pam_args_ignore_users(argc, argv), argv, argc, "ignore_users=");
	free(buf);
	return 0;
}
