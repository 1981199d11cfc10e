/* SPDX-License-Identifier: BSD-2-Clause */
/* What `who`, `review` and `lint` share: the scope's options, the administrator's connection,
 * the configuration, the time, and the whole directory. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "directory.h"
#include "evaluate.h"
#include "gtime.h"

void scope_init(struct scope *s)
{
	memset(s, 0, sizeof(*s));
	s->now = (int64_t)time(NULL);
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
	    {NULL, 0, NULL, 0},
	};
	static const struct option conn[] = {
	    CONN_LONG_OPTS,
	    {NULL, 0, NULL, 0},
	};
	const struct option *parts[] = {own, (what & SCOPE_WHERE) ? where : NULL,
					(what & SCOPE_WHEN) ? when : NULL, conn};
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
	default: return conn_option(&s->conn, c, arg);
	}
}

const char *scope_check(const struct scope *s, bool platform)
{
	if (s->conn.platform && !platform)
		return "--platform: the host asked about lies in an organization (name it with "
		       "--org "
		       "ORG)";
	return conn_check(&s->conn);
}

enum cli_args scope_usable(const struct scope *s, const char *cmd, bool platform,
			   void (*usage)(FILE *out))
{
	const char *bad = scope_check(s, platform);

	if (bad == NULL)
		return ARGS_RUN;
	fprintf(stderr, "orgrbac: %s: %s\n", cmd, bad);
	return cli_usage('?', usage);
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
	if (conn_open(&s->conn, &s->cfg, &s->ad) != 0)
		return SCOPE_FAILED;
	s->host = orgrbac_config_host(s->cfg);
	if (s->ad.org != NULL)
		s->host.org = s->ad.org;
	if (s->service != NULL) {
		s->one_service[0] = s->service;
		s->host.services = s->one_service;
		s->host.n_services = 1;
	}
	if (s->resource != NULL)
		s->host.resource = s->resource;
	return SCOPE_OK;
}

enum scope_status scope_read(struct scope *s, bool stamps)
{
	unsigned flags = stamps ? ORGRBAC_IMAGE_STAMPS : 0;
	orgrbac_error err;

	if (orgrbac_directory_image_with(s->ad.l, s->cfg, flags, &s->img, &err) !=
	    ORGRBAC_DIR_FOUND) {
		fprintf(stderr, "orgrbac: cannot read the directory: %s\n", err.msg);
		return SCOPE_FAILED;
	}
	return SCOPE_OK;
}

void scope_free(struct scope *s)
{
	orgrbac_image_free(&s->img);
	conn_close(s->cfg, &s->ad);
	s->cfg = NULL;
}
