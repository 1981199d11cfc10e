/* SPDX-License-Identifier: BSD-2-Clause */
/* The keys of /etc/orgrbac.conf: each value checked and set, each complaint worded. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_keys.h"
#include "expr.h"

#define GID_MIN_MAX (4294967294ULL > LONG_MAX ? (unsigned long long)LONG_MAX : 4294967294ULL)

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* ASCII only: the result must not change with the locale of the host program. */
bool orgrbac_conf_same_nocase(const char *a, size_t alen, const char *b)
{
	size_t i;

	for (i = 0; i < alen; i++)
		if (b[i] == '\0' || lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return false;
	return b[i] == '\0';
}

static bool starts_nocase(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	return strnlen(s, n) == n && orgrbac_conf_same_nocase(s, n, prefix);
}

static bool has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

bool orgrbac_conf_name_valid(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

	return n > 0 && n <= ORGRBAC_CONF_NAME_MAX && s[n] == '\0';
}

int orgrbac_conf_bad(const struct orgrbac_conf_ctx *c, const struct orgrbac_conf_where *w,
		     const char *value, const char *fmt, ...)
{
	char what[192], line[16] = "", sec[56] = "", key[48] = "", val[64] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (w != NULL && w->line > 0)
		snprintf(line, sizeof(line), ":%u", w->line);
	if (w != NULL && w->sec != NULL) {
		char tmp[48];

		snprintf(sec, sizeof(sec), "[%s]%s", orgrbac_printable(w->sec, tmp, sizeof(tmp)),
			 w->key != NULL ? " " : "");
	}
	if (w != NULL && w->key != NULL)
		orgrbac_printable(w->key, key, sizeof(key));
	if (value != NULL)
		orgrbac_printable(value, val, sizeof(val));
	orgrbac_seterr(c->err, "%.160s%s: %s%s%s%s%s%s%s", c->path, line, sec, key,
		       sec[0] != '\0' || key[0] != '\0' ? ": " : "", what,
		       value != NULL ? " (value '" : "", value != NULL ? val : "",
		       value != NULL ? "')" : "");
	return -1;
}

static char **field(const struct orgrbac_conf_ctx *c, const struct orgrbac_conf_key *def)
{
	return (char **)(void *)((char *)c->cfg + def->off);
}

int orgrbac_conf_oom(const struct orgrbac_conf_ctx *c)
{
	orgrbac_seterr(c->err, "%.160s: out of memory", c->path);
	return -1;
}

int orgrbac_conf_store(const struct orgrbac_conf_ctx *c, char **dst, const char *value)
{
	char *copy = orgrbac_strdup(value);

	if (copy == NULL)
		return orgrbac_conf_oom(c);
	free(*dst);
	*dst = copy;
	return 0;
}

static int set_text(const struct orgrbac_conf_ctx *c, const struct orgrbac_conf_key *def,
		    const struct orgrbac_conf_where *w, const char *value)
{
	if (value[0] == '\0')
		return orgrbac_conf_bad(c, w, value, "must not be empty");
	if (has_control(value))
		return orgrbac_conf_bad(c, w, value, "contains a control character");
	return orgrbac_conf_store(c, field(c, def), value);
}

static int set_path(const struct orgrbac_conf_ctx *c, const struct orgrbac_conf_key *def,
		    const struct orgrbac_conf_where *w, const char *value)
{
	if (value[0] != '/')
		return orgrbac_conf_bad(c, w, value, "must be an absolute path");
	return set_text(c, def, w, value);
}

static int set_name(const struct orgrbac_conf_ctx *c, const struct orgrbac_conf_key *def,
		    const struct orgrbac_conf_where *w, const char *value)
{
	if (!orgrbac_conf_name_valid(value))
		return orgrbac_conf_bad(c, w, value, "must be 1 to %d of A-Z a-z 0-9 . _ -",
					ORGRBAC_CONF_NAME_MAX);
	return orgrbac_conf_store(c, field(c, def), value);
}

static int set_bool(const struct orgrbac_conf_ctx *c, const struct orgrbac_conf_key *def,
		    const struct orgrbac_conf_where *w, const char *value)
{
	static const char *const yes[] = {"yes", "true", "1"};
	static const char *const no[] = {"no", "false", "0"};
	bool *b = (bool *)(void *)((char *)c->cfg + def->off);

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (orgrbac_conf_same_nocase(value, strlen(value), yes[i])) {
			*b = true;
			return 0;
		}
		if (orgrbac_conf_same_nocase(value, strlen(value), no[i])) {
			*b = false;
			return 0;
		}
	}
	return orgrbac_conf_bad(c, w, value, "must be yes, no, true, false, 1 or 0");
}

/* Digits only: no sign, no blank, no unit, nothing after. */
static bool parse_number(const char *s, unsigned long long min, unsigned long long max,
			 unsigned long long *out)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* A number into an int or a long field. */
static int set_number(const struct orgrbac_conf_ctx *c, const struct orgrbac_conf_key *def,
		      const struct orgrbac_conf_where *w, const char *value, bool is_long)
{
	void *dst = (char *)c->cfg + def->off;
	unsigned long long v;

	if (def->max > (is_long ? (unsigned long long)LONG_MAX : INT_MAX) ||
	    !parse_number(value, def->min, def->max, &v))
		return orgrbac_conf_bad(c, w, value, "must be a whole number from %llu to %llu",
					def->min, def->max);
	if (is_long)
		*(long *)dst = (long)v;
	else
		*(int *)dst = (int)v;
	return 0;
}

static int set_int(const struct orgrbac_conf_ctx *c, const struct orgrbac_conf_key *def,
		   const struct orgrbac_conf_where *w, const char *value)
{
	return set_number(c, def, w, value, false);
}

static int set_long(const struct orgrbac_conf_ctx *c, const struct orgrbac_conf_key *def,
		    const struct orgrbac_conf_where *w, const char *value)
{
	return set_number(c, def, w, value, true);
}

/* Checks one item of a list value; on refusal writes the whole complaint into msg. */
typedef bool (*item_ok)(const char *item, size_t index, char *msg, size_t len);

/*
 * Split a list value, check its count and each item, and replace *dst with
 * it. Nothing changes on an error.
 */
static int set_list(const struct orgrbac_conf_ctx *c, const struct orgrbac_conf_where *w,
		    const char *value, size_t min, size_t max, const char *what, item_ok ok,
		    char ***dst, size_t *n_dst)
{
	char msg[160];
	size_t n = 0;
	char **v = orgrbac_split_list(value, &n);

	if (v == NULL)
		return orgrbac_conf_oom(c);
	if (n < min || n > max) {
		orgrbac_strv_free(v);
		return orgrbac_conf_bad(c, w, value, "must list %zu to %zu %s", min, max, what);
	}
	for (size_t i = 0; i < n; i++) {
		if (!ok(v[i], i, msg, sizeof(msg))) {
			orgrbac_strv_free(v);
			return orgrbac_conf_bad(c, w, value, "%s", msg);
		}
	}
	orgrbac_strv_free(*dst);
	*dst = v;
	*n_dst = n;
	return 0;
}

static bool uri_ok(const char *uri, size_t i, char *msg, size_t len)
{
	static const char *const schemes[] = {"ldap://", "ldaps://", "ldapi://"};
	char tmp[48];
	bool ok = false;

	for (size_t j = 0; j < sizeof(schemes) / sizeof(schemes[0]); j++)
		ok = ok || starts_nocase(uri, schemes[j]);
	if (ok && !has_control(uri))
		return true;
	snprintf(msg, len, "URI %zu '%s' does not start with ldap://, ldaps:// or ldapi://", i + 1,
		 orgrbac_printable(uri, tmp, sizeof(tmp)));
	return false;
}

static bool service_ok(const char *name, size_t i, char *msg, size_t len)
{
	char tmp[48];

	if (orgrbac_conf_name_valid(name))
		return true;
	snprintf(msg, len, "host group '%s' must be 1 to %d of A-Z a-z 0-9 . _ -",
		 orgrbac_printable(name, tmp, sizeof(tmp)), ORGRBAC_CONF_NAME_MAX);
	return false;
}

static bool user_ok(const char *user, size_t i, char *msg, size_t len)
{
	const char *why = NULL;
	char tmp[48];

	if (orgrbac_username_valid(user, &why))
		return true;
	snprintf(msg, len, "'%s': %s", orgrbac_printable(user, tmp, sizeof(tmp)), why);
	return false;
}

static int set_uris(const struct orgrbac_conf_ctx *c, const struct orgrbac_conf_key *def,
		    const struct orgrbac_conf_where *w, const char *value)
{
	return set_list(c, w, value, 1, ORGRBAC_MAX_URIS, "URIs", uri_ok, &c->cfg->uris,
			&c->cfg->n_uris);
}

static int set_services(const struct orgrbac_conf_ctx *c, const struct orgrbac_conf_key *def,
			const struct orgrbac_conf_where *w, const char *value)
{
	return set_list(c, w, value, 0, SIZE_MAX, "host groups", service_ok, &c->cfg->services,
			&c->cfg->n_services);
}

static int set_users(const struct orgrbac_conf_ctx *c, const struct orgrbac_conf_key *def,
		     const struct orgrbac_conf_where *w, const char *value)
{
	return set_list(c, w, value, 0, SIZE_MAX, "users", user_ok, &c->cfg->ignore_users,
			&c->cfg->n_ignore_users);
}

int orgrbac_conf_check_expr(const struct orgrbac_conf_ctx *c, const struct orgrbac_conf_where *w,
			    const char *value)
{
	struct orgrbac_expr *e = NULL;
	orgrbac_error experr;

	if (orgrbac_expr_parse(value, &e, &experr) != 0)
		return orgrbac_conf_bad(c, w, value, "invalid expression: %.120s", experr.msg);
	orgrbac_expr_free(e);
	return 0;
}

static int set_require(const struct orgrbac_conf_ctx *c, const struct orgrbac_conf_key *def,
		       const struct orgrbac_conf_where *w, const char *value)
{
	if (orgrbac_conf_check_expr(c, w, value) != 0)
		return -1;
	return orgrbac_conf_store(c, field(c, def), value);
}

static int set_privilege(const struct orgrbac_conf_ctx *c, const struct orgrbac_conf_key *def,
			 const struct orgrbac_conf_where *w, const char *value)
{
	if (!orgrbac_privilege_valid(value, false))
		return orgrbac_conf_bad(
		    c, w, value, "not a privilege: segment{:segment}, segment [A-Za-z0-9_.-]+");
	return orgrbac_conf_store(c, field(c, def), value);
}

static int set_source(const struct orgrbac_conf_ctx *c, const struct orgrbac_conf_key *def,
		      const struct orgrbac_conf_where *w, const char *value)
{
	(void)def;
	if (orgrbac_conf_same_nocase(value, strlen(value), "live"))
		c->cfg->source = ORGRBAC_SOURCE_LIVE;
	else if (orgrbac_conf_same_nocase(value, strlen(value), "snapshot"))
		c->cfg->source = ORGRBAC_SOURCE_SNAPSHOT;
	else
		return orgrbac_conf_bad(c, w, value, "must be live or snapshot");
	return 0;
}

static int set_offline(const struct orgrbac_conf_ctx *c, const struct orgrbac_conf_key *def,
		       const struct orgrbac_conf_where *w, const char *value)
{
	(void)def;
	if (orgrbac_conf_same_nocase(value, strlen(value), "deny"))
		c->cfg->offline = ORGRBAC_OFFLINE_DENY;
	else if (orgrbac_conf_same_nocase(value, strlen(value), "snapshot"))
		c->cfg->offline = ORGRBAC_OFFLINE_SNAPSHOT;
	else
		return orgrbac_conf_bad(c, w, value, "must be deny or snapshot");
	return 0;
}

static int set_nss_users(const struct orgrbac_conf_ctx *c, const struct orgrbac_conf_key *def,
			 const struct orgrbac_conf_where *w, const char *value)
{
	(void)def;
	if (orgrbac_conf_same_nocase(value, strlen(value), "holders"))
		c->cfg->users = ORGRBAC_NSS_USERS_HOLDERS;
	else if (orgrbac_conf_same_nocase(value, strlen(value), "all"))
		c->cfg->users = ORGRBAC_NSS_USERS_ALL;
	else
		return orgrbac_conf_bad(c, w, value, "must be holders or all");
	return 0;
}

static int set_prefix(const struct orgrbac_conf_ctx *c, const struct orgrbac_conf_key *def,
		      const struct orgrbac_conf_where *w, const char *value)
{
	size_t n = strspn(value, "abcdefghijklmnopqrstuvwxyz0123456789_-");

	if (value[n] != '\0' || n > ORGRBAC_CONF_NAME_MAX)
		return orgrbac_conf_bad(c, w, value, "only a-z 0-9 _ - are allowed");
	return orgrbac_conf_store(c, field(c, def), value);
}

#define OFF(f) offsetof(struct orgrbac_config, f)

static const struct orgrbac_conf_key keys[] = {
    {ORGRBAC_SEC_LDAP, "uri", set_uris, 0, 0, 0},
    {ORGRBAC_SEC_LDAP, "base", set_text, OFF(base), 0, 0},
    {ORGRBAC_SEC_LDAP, "bind_dn", set_text, OFF(bind_dn), 0, 0},
    {ORGRBAC_SEC_LDAP, "bind_password_file", set_path, OFF(bind_password_file), 0, 0},
    {ORGRBAC_SEC_LDAP, "tls_ca_file", set_path, OFF(tls_ca_file), 0, 0},
    {ORGRBAC_SEC_LDAP, "starttls", set_bool, OFF(starttls), 0, 0},
    {ORGRBAC_SEC_LDAP, "timeout", set_int, OFF(timeout), 1, ORGRBAC_TIMEOUT_MAX},
    {ORGRBAC_SEC_LDAP, "allow_insecure", set_bool, OFF(allow_insecure), 0, 0},
    {ORGRBAC_SEC_HOST, "org", set_name, OFF(org), 0, 0},
    {ORGRBAC_SEC_HOST, "services", set_services, 0, 0, 0},
    {ORGRBAC_SEC_HOST, "resource", set_name, OFF(resource), 0, 0},
    {ORGRBAC_SEC_PAM, "default_require", set_require, OFF(default_require), 0, 0},
    {ORGRBAC_SEC_PAM, "mfa_exempt_role", set_text, OFF(mfa_exempt_role), 0, 0},
    {ORGRBAC_SEC_PAM, "cross_org_privilege", set_privilege, OFF(cross_org_privilege), 0, 0},
    {ORGRBAC_SEC_PAM, "ignore_users", set_users, 0, 0, 0},
    {ORGRBAC_SEC_PAM, "source", set_source, 0, 0, 0},
    {ORGRBAC_SEC_PAM, "offline", set_offline, 0, 0, 0},
    {ORGRBAC_SEC_PAM, "offline_max_age", set_long, OFF(offline_max_age), 1, 31536000},
    {ORGRBAC_SEC_NSS, "snapshot", set_path, OFF(snapshot), 0, 0},
    {ORGRBAC_SEC_NSS, "group_prefix", set_prefix, OFF(group_prefix), 0, 0},
    {ORGRBAC_SEC_NSS, "max_age", set_long, OFF(max_age), 1, 31536000},
    {ORGRBAC_SEC_NSS, "gid_min", set_long, OFF(gid_min), 1, GID_MIN_MAX},
    {ORGRBAC_SEC_NSS, "users", set_nss_users, 0, 0, 0},
    {ORGRBAC_SEC_NSS, "uid_min", set_long, OFF(uid_min), 1, GID_MIN_MAX},
    {ORGRBAC_SEC_FOLLOW, "keepalive_idle", set_long, OFF(keepalive_idle), 1, 3600},
    {ORGRBAC_SEC_FOLLOW, "retry_max", set_long, OFF(retry_max), 1, 3600},
};

const struct orgrbac_conf_key *orgrbac_conf_key_find(enum orgrbac_conf_section sec, const char *key)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].sec == sec && strcmp(keys[i].key, key) == 0)
			return &keys[i];
	return NULL;
}

size_t orgrbac_conf_n_keys(void)
{
	return sizeof(keys) / sizeof(keys[0]);
}
