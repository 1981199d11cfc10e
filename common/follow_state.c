/* SPDX-License-Identifier: BSD-2-Clause */
/* The follower's state file (beside the snapshot) and its reconnect backoff. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "follow.h"
#include "replace.h"

#define BACKOFF_FIRST_MS 500
#define STATE_FILE_MAX	 4096

uint32_t orgrbac_follow_backoff_ms(unsigned attempt, uint32_t max_ms, uint32_t rnd)
{
	uint32_t d = BACKOFF_FIRST_MS;

	if (max_ms < BACKOFF_FIRST_MS)
		max_ms = BACKOFF_FIRST_MS;
	for (unsigned i = 0; i < attempt && d < max_ms; i++)
		d = d > UINT32_MAX / 2 ? UINT32_MAX : d * 2;
	if (d > max_ms)
		d = max_ms;
	/* the upper half: spread, never shorter than half the delay */
	return d / 2 + rnd % (d / 2 + 1);
}

long orgrbac_follow_fresh_interval(long max_age)
{
	long s = max_age / 4;

	return s < 1 ? 1 : s > 3600 ? 3600 : s;
}

/* Seconds from `then` to `now`, never negative (a clock set back counts as no time). */
static int64_t since(int64_t now, int64_t then)
{
	return then <= 0 || now <= then ? 0 : now - then;
}

enum orgrbac_follow_verdict orgrbac_follow_judge(const struct orgrbac_follow_state *s, bool alive,
						 int64_t now, long max_age, int64_t *age)
{
	/* a publication is due every interval; two missed, and a second of slack */
	int64_t late = 2 * (int64_t)orgrbac_follow_fresh_interval(max_age) + 2;

	*age = 0;
	if (!alive || strcmp(s->state, "stopped") == 0) {
		*age = since(now, s->since);
		return ORGRBAC_FOLLOW_NOT_RUNNING;
	}
	if (strcmp(s->state, "following") == 0) {
		*age = since(now, s->last_publish > 0 ? s->last_publish : s->since);
		if (*age > late)
			return ORGRBAC_FOLLOW_LATE;
		*age = 0;
		return ORGRBAC_FOLLOW_CURRENT;
	}
	/* refreshing, reconnecting, or a state this build does not know */
	*age = since(now, s->since);
	return *age > ORGRBAC_FOLLOW_GRACE ? ORGRBAC_FOLLOW_DISCONNECTED
					   : ORGRBAC_FOLLOW_CATCHING_UP;
}

char *orgrbac_follow_state_path(const char *snapshot)
{
	char *path;

	return asprintf(&path, "%s.follow", snapshot) < 0 ? NULL : path;
}

/* A value on one line: control characters and newlines become '?'. */
static void one_line(char *dst, size_t size, const char *src)
{
	size_t i = 0;

	for (; src != NULL && src[i] != '\0' && i + 1 < size; i++)
		dst[i] = (unsigned char)src[i] < 0x20 || src[i] == 0x7f ? '?' : src[i];
	dst[i] = '\0';
}

int orgrbac_follow_state_write(const char *path, const struct orgrbac_follow_state *s,
			       orgrbac_error *err)
{
	char server[sizeof(s->server)], error[sizeof(s->error)], buf[STATE_FILE_MAX];
	int n;

	one_line(server, sizeof(server), s->server);
	one_line(error, sizeof(error), s->error);
	n = snprintf(buf, sizeof(buf),
		     "orgrbac-follow 1\nstate %s\npid %ld\nserver %s\nsince %" PRId64
		     "\nlast_change %" PRId64 "\nlast_publish %" PRId64 "\ngeneration %" PRIu64
		     "\nerror %s\n",
		     s->state, s->pid, server, s->since, s->last_change, s->last_publish,
		     s->generation, error);
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		orgrbac_seterr(err, "%s: state too long", path);
		return -1;
	}
	return orgrbac_replace_file(path, buf, (size_t)n, 0644, err);
}

/* One "key value" line into s; false when the key is unknown or the value does not parse. */
static bool state_line(struct orgrbac_follow_state *s, const char *key, const char *value)
{
	char *end = NULL;

	if (strcmp(key, "state") == 0)
		return snprintf(s->state, sizeof(s->state), "%s", value) < (int)sizeof(s->state);
	if (strcmp(key, "server") == 0)
		return snprintf(s->server, sizeof(s->server), "%s", value) >= 0;
	if (strcmp(key, "error") == 0)
		return snprintf(s->error, sizeof(s->error), "%s", value) >= 0;
	errno = 0;
	if (strcmp(key, "pid") == 0)
		s->pid = strtol(value, &end, 10);
	else if (strcmp(key, "since") == 0)
		s->since = strtoll(value, &end, 10);
	else if (strcmp(key, "last_change") == 0)
		s->last_change = strtoll(value, &end, 10);
	else if (strcmp(key, "last_publish") == 0)
		s->last_publish = strtoll(value, &end, 10);
	else if (strcmp(key, "generation") == 0)
		s->generation = strtoull(value, &end, 10);
	else
		return false;
	return errno == 0 && end != value && *end == '\0';
}

enum orgrbac_follow_state_status orgrbac_follow_state_read(const char *path, bool trust_any_owner,
							   struct orgrbac_follow_state *s,
							   orgrbac_error *err)
{
	char *text = NULL, *line, *save = NULL;
	size_t len;
	struct stat st;
	bool good = true;

	memset(s, 0, sizeof(*s));
	if (lstat(path, &st) != 0 && errno == ENOENT)
		return ORGRBAC_FOLLOW_STATE_ABSENT;
	if (orgrbac_read_file(path,
			      ORGRBAC_FILE_ROOT | (trust_any_owner ? ORGRBAC_FILE_ANY_OWNER : 0),
			      STATE_FILE_MAX, &text, &len, err) != 0)
		return ORGRBAC_FOLLOW_STATE_INVALID;
	line = strtok_r(text, "\n", &save);
	if (line == NULL || strcmp(line, "orgrbac-follow 1") != 0)
		good = false;
	while (good && (line = strtok_r(NULL, "\n", &save)) != NULL) {
		char *sp = strchr(line, ' ');

		if (sp == NULL)
			good = false;
		else
			*sp = '\0';
		if (good && !state_line(s, line, sp + 1))
			good = false;
	}
	if (!good)
		orgrbac_seterr(err, "%s: not a follower state file", path);
	free(text);
	return good ? ORGRBAC_FOLLOW_STATE_READ : ORGRBAC_FOLLOW_STATE_INVALID;
}
