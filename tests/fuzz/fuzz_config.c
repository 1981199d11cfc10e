/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the /etc/orgrbac.conf reader, fed each input through a private file. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];
static int fd = -1;

static void cleanup(void)
{
	if (path[0] != '\0')
		unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct orgrbac_config *cfg = NULL;
	orgrbac_error err = {{0}};

	/* One file for the whole run, rewritten for each input: the reader takes a path. */
	if (fd < 0) {
		snprintf(path, sizeof(path), "/tmp/orgrbac-fuzz-config-XXXXXX");
		fd = mkstemp(path);
		if (fd < 0)
			abort();
		atexit(cleanup);
	}
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	/* The file is the fuzzer's own, not root's: the owner check is not under test. */
	if (orgrbac_config_load(path, true, &cfg, &err) == 0) {
		if (cfg->n_uris == 0 || cfg->uris == NULL || cfg->base == NULL ||
		    cfg->org == NULL || cfg->resource == NULL || cfg->timeout < 1 ||
		    cfg->timeout > ORGRBAC_TIMEOUT_MAX)
			abort();
		for (size_t i = 0; i < cfg->n_svc; i++)
			if (orgrbac_config_require(cfg, cfg->svc[i].name) == NULL)
				abort();
		(void)orgrbac_config_require(cfg, "sshd");
		(void)orgrbac_config_ignored(cfg, "root");
		orgrbac_config_free(cfg);
	} else if (cfg != NULL || err.msg[0] == '\0') {
		abort();
	}
	return 0;
}
