/* SPDX-License-Identifier: BSD-2-Clause */
/* What `who`, `review` and `lint` share: the scope's options, the configuration, the time, and
 * the whole directory. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "evaluate.h"
#include "gtime.h"
#include "who.h"

void scope_init(struct scope *s)
{
	memset(s, 0, sizeof(*s));
	s->now = (int64_t)time(NULL);
	/* a non-root caller has nothing to protect: let it read a config it owns */
	s->trust = geteuid() != 0;
}

const struct option *scope_options(struct option *buf, const struct option *own, unsigned what)
{
	static const struct option where[] = {
	    {"service", required_argument, NULL, SCOPE_OPT_SERVICE},
	    {"resource", required_argument, NULL, SCOPE_OPT_RESOURCE},
	    {NULL, 0, NULL, 0},
	};
	static const struct option when[] = {
	    {"at", required_argument, NULL, SCOPE_OPT_AT},
	    {"config", required_argument, NULL, SCOPE_OPT_CONFIG},
	    {NULL, 0, NULL, 0},
	};
	const struct option *parts[] = {own, (what & SCOPE_WHERE) ? where : NULL,
					(what & SCOPE_WHEN) ? when : NULL};
	size_t n = 0;

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		for (const struct option *o = parts[i]; o != NULL && o->name != NULL; o++)
			if (n + 1 < SCOPE_OPTIONS_MAX)
				buf[n++] = *o;
	memset(&buf[n], 0, sizeof(buf[n]));
	return buf;
}

bool scope_option(struct scope *s, int c, const char *arg)
{
	switch (c) {
	case SCOPE_OPT_SERVICE: s->service = arg; return true;
	case SCOPE_OPT_RESOURCE: s->resource = arg; return true;
	case SCOPE_OPT_AT: s->at = arg; return true;
	case SCOPE_OPT_CONFIG: s->path = arg; return true;
	default: return false;
	}
}

enum scope_status scope_time(struct scope *s)
{
	if (s->at != NULL && orgrbac_iso8601_parse(s->at, &s->now) != 0) {
		fprintf(stderr, "orgrbac: --at '");
		put_safe(stderr, s->at);
		fprintf(stderr, "': not an ISO 8601 time such as 2026-12-01T09:00:00Z\n");
		return SCOPE_FAILED;
	}
	return SCOPE_OK;
}

enum scope_status scope_config(struct scope *s)
{
	orgrbac_error err;

	if (orgrbac_config_load(s->path, s->trust, &s->cfg, &err) != 0) {
		fprintf(stderr, "orgrbac: %s\n", err.msg);
		return SCOPE_FAILED;
	}
	s->host = orgrbac_config_host(s->cfg);
	if (s->service != NULL) {
		s->one_service[0] = s->service;
		s->host.services = s->one_service;
		s->host.n_services = 1;
	}
	if (s->resource != NULL)
		s->host.resource = s->resource;
	return SCOPE_OK;
}

enum scope_status scope_read(struct scope *s)
{
	orgrbac_error err;

	if (orgrbac_read_image(s->cfg, s->trust, &s->img, &err) != ORGRBAC_DIR_FOUND) {
		fprintf(stderr, "orgrbac: cannot read the directory: %s\n", err.msg);
		return SCOPE_FAILED;
	}
	return SCOPE_OK;
}

void scope_free(struct scope *s)
{
	orgrbac_image_free(&s->img);
	orgrbac_config_free(s->cfg);
	s->cfg = NULL;
}
