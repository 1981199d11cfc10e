/* SPDX-License-Identifier: BSD-2-Clause */
/* The reader of /etc/orgrbac.conf: defaults, then the file via iniparser, every value checked. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <iniparser.h>

#include "config.h"
#include "expr.h"

/* iniparser 4.1 refuses longer lines; saying so ourselves gives a clearer message. */
#define LINE_CHARS_MAX 1022
#define SERVICES_MAX   256  /* [service NAME] sections */
#define NAME_LEN_MAX   255  /* org, resource, service and host group names */
#define SECRET_MAX     1024 /* bytes of the bind password */
#define GID_MIN_MAX    (4294967294ULL > LONG_MAX ? (unsigned long long)LONG_MAX : 4294967294ULL)

enum section {
	SEC_NONE, /* keys before the first [section] */
	SEC_LDAP,
	SEC_HOST,
	SEC_PAM,
	SEC_SERVICE,
	SEC_NSS,
	SEC_UNKNOWN,
	SEC_BAD_SERVICE,
};

struct loader {
	const char *path;
	const char *text; /* the file as read and checked, NUL-terminated */
	struct orgrbac_config *cfg;
	orgrbac_error *err;
};

/* Where a value came from, for the error message. */
struct where {
	unsigned line; /* 0: not found */
	const char *sec;
	const char *key;
};

struct key_def;
typedef int (*setter)(struct loader *ld, const struct key_def *def, const struct where *w,
		      const char *value);

struct key_def {
	enum section sec;
	const char *key;
	setter set;
	size_t off; /* of the field in struct orgrbac_config */
	unsigned long long min, max;
};

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* ASCII only: the result must not change with the locale of the host program. */
static bool same_nocase(const char *a, size_t alen, const char *b)
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

	return strnlen(s, n) == n && same_nocase(s, n, prefix);
}

static bool has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static bool name_valid(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

	return n > 0 && n <= NAME_LEN_MAX && s[n] == '\0';
}

static int bad(struct loader *ld, const struct where *w, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "PATH:LINE: [section] key: what is wrong (value 'x')", each part only where known. */
static int bad(struct loader *ld, const struct where *w, const char *value, const char *fmt, ...)
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
	orgrbac_seterr(ld->err, "%.160s%s: %s%s%s%s%s%s%s", ld->path, line, sec, key,
		       sec[0] != '\0' || key[0] != '\0' ? ": " : "", what,
		       value != NULL ? " (value '" : "", value != NULL ? val : "",
		       value != NULL ? "')" : "");
	return -1;
}

/*
 * The lines of the file as iniparser 4.1 interprets them: white space trimmed
 * at both ends, blank and comment (';', '#') lines skipped, and a line ending
 * in '\' continued by the next one, whose text is then not a line of its own.
 */
struct cursor {
	const char *p;
	unsigned line;
	bool cont;
};

static bool next_line(struct cursor *c, const char **s, size_t *n, unsigned *line)
{
	while (*c->p != '\0') {
		const char *b = c->p, *e = strchrnul(b, '\n');
		bool tail = c->cont;

		c->p = *e != '\0' ? e + 1 : e;
		c->line++;
		while (b < e && isspace((unsigned char)*b))
			b++;
		while (e > b && isspace((unsigned char)e[-1]))
			e--;
		c->cont = e > b && e[-1] == '\\';
		if (tail || b == e || *b == ';' || *b == '#')
			continue;
		*s = b;
		*n = (size_t)(e - b);
		*line = c->line;
		return true;
	}
	return false;
}

/* A "[name]" line: the trimmed name between the brackets, as iniparser takes it. */
static bool header(const char *s, size_t n, const char **name, size_t *len)
{
	const char *b, *e;

	if (n < 2 || s[0] != '[' || s[n - 1] != ']')
		return false;
	b = s + 1;
	e = memchr(b, ']', n - 1);
	while (b < e && isspace((unsigned char)*b))
		b++;
	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	*name = b;
	*len = (size_t)(e - b);
	return true;
}

/*
 * iniparser keeps no line numbers, so find them: the lines that set `key` in
 * `sec` (key NULL: the section's header lines). lines[0] is the first, lines[1]
 * the second, 0 where there is none. The file is at most ORGRBAC_FILE_MAX bytes.
 */
static void find_lines(const struct loader *ld, const char *sec, const char *key, unsigned lines[2])
{
	struct cursor c = {.p = ld->text};
	bool inside = sec[0] == '\0';
	const char *s, *name;
	size_t n, len;
	unsigned line, found = 0;

	lines[0] = lines[1] = 0;
	while (found < 2 && next_line(&c, &s, &n, &line)) {
		if (header(s, n, &name, &len)) {
			inside = same_nocase(name, len, sec);
			if (inside && key == NULL)
				lines[found++] = line;
		} else if (inside && key != NULL) {
			const char *eq = memchr(s, '=', n);

			if (eq == NULL)
				continue;
			while (eq > s && isspace((unsigned char)eq[-1]))
				eq--;
			if (same_nocase(s, (size_t)(eq - s), key))
				lines[found++] = line;
		}
	}
}

static unsigned line_of(const struct loader *ld, const char *sec, const char *key)
{
	unsigned lines[2];

	find_lines(ld, sec, key, lines);
	return lines[0];
}

/* What iniparser would accept silently or report vaguely, refused with its line. */
static int check_text(struct loader *ld, size_t len)
{
	struct where w = {0};
	struct cursor c = {.p = ld->text};
	const char *p = ld->text, *s, *name;
	size_t n, nlen;

	for (w.line = 1; *p != '\0'; w.line++) {
		const char *e = strchrnul(p, '\n');

		if (e - p > LINE_CHARS_MAX)
			return bad(ld, &w, NULL, "line longer than %d characters", LINE_CHARS_MAX);
		if (*e == '\0')
			break;
		p = e + 1;
	}
	if ((size_t)(p + strlen(p) - ld->text) != len)
		return bad(ld, &w, NULL, "contains a NUL byte");

	while (next_line(&c, &s, &n, &w.line)) {
		if (!header(s, n, &name, &nlen))
			continue;
		if (nlen == 0)
			return bad(ld, &w, NULL, "empty section name");
		if (memchr(name, ':', nlen) != NULL)
			return bad(ld, &w, NULL, "':' in a section name");
	}
	return 0;
}

static enum section classify(const char *sec, const char **svc_name)
{
	static const struct {
		const char *name;
		enum section sec;
	} fixed[] = {
	    {"ldap", SEC_LDAP},
	    {"host", SEC_HOST},
	    {"pam", SEC_PAM},
	    {"nss", SEC_NSS},
	};

	if (sec[0] == '\0')
		return SEC_NONE;
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (strcmp(sec, fixed[i].name) == 0)
			return fixed[i].sec;
	if (strncmp(sec, "service", 7) != 0)
		return SEC_UNKNOWN;
	if (sec[7] == '\0')
		return SEC_BAD_SERVICE;
	if (!isspace((unsigned char)sec[7]))
		return SEC_UNKNOWN;
	/* exactly one space keeps one section name per service */
	*svc_name = sec + 8;
	return sec[7] == ' ' && name_valid(sec + 8) ? SEC_SERVICE : SEC_BAD_SERVICE;
}

static char **field(struct loader *ld, const struct key_def *def)
{
	return (char **)(void *)((char *)ld->cfg + def->off);
}

static int store(struct loader *ld, char **dst, const char *value)
{
	char *copy = orgrbac_strdup(value);

	if (copy == NULL) {
		orgrbac_seterr(ld->err, "%.160s: out of memory", ld->path);
		return -1;
	}
	free(*dst);
	*dst = copy;
	return 0;
}

static int set_text(struct loader *ld, const struct key_def *def, const struct where *w,
		    const char *value)
{
	if (value[0] == '\0')
		return bad(ld, w, value, "must not be empty");
	if (has_control(value))
		return bad(ld, w, value, "contains a control character");
	return store(ld, field(ld, def), value);
}

static int set_path(struct loader *ld, const struct key_def *def, const struct where *w,
		    const char *value)
{
	if (value[0] != '/')
		return bad(ld, w, value, "must be an absolute path");
	return set_text(ld, def, w, value);
}

static int set_name(struct loader *ld, const struct key_def *def, const struct where *w,
		    const char *value)
{
	if (!name_valid(value))
		return bad(ld, w, value, "must be 1 to %d of A-Z a-z 0-9 . _ -", NAME_LEN_MAX);
	return store(ld, field(ld, def), value);
}

static int set_bool(struct loader *ld, const struct key_def *def, const struct where *w,
		    const char *value)
{
	static const char *const yes[] = {"yes", "true", "1"};
	static const char *const no[] = {"no", "false", "0"};
	bool *b = (bool *)(void *)((char *)ld->cfg + def->off);

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (same_nocase(value, strlen(value), yes[i])) {
			*b = true;
			return 0;
		}
		if (same_nocase(value, strlen(value), no[i])) {
			*b = false;
			return 0;
		}
	}
	return bad(ld, w, value, "must be yes, no, true, false, 1 or 0");
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

static int set_int(struct loader *ld, const struct key_def *def, const struct where *w,
		   const char *value)
{
	unsigned long long v;

	if (def->max > INT_MAX || !parse_number(value, def->min, def->max, &v))
		return bad(ld, w, value, "must be a whole number from %llu to %llu", def->min,
			   def->max);
	*(int *)(void *)((char *)ld->cfg + def->off) = (int)v;
	return 0;
}

static int set_long(struct loader *ld, const struct key_def *def, const struct where *w,
		    const char *value)
{
	unsigned long long v;

	if (def->max > LONG_MAX || !parse_number(value, def->min, def->max, &v))
		return bad(ld, w, value, "must be a whole number from %llu to %llu", def->min,
			   def->max);
	*(long *)(void *)((char *)ld->cfg + def->off) = (long)v;
	return 0;
}

/* Checks one item of a list value; on refusal writes the whole complaint into msg. */
typedef bool (*item_ok)(const char *item, size_t index, char *msg, size_t len);

/*
 * Split a list value, check its count and each item, and replace *dst with
 * it. Nothing changes on an error.
 */
static int set_list(struct loader *ld, const struct where *w, const char *value, size_t min,
		    size_t max, const char *what, item_ok ok, char ***dst, size_t *n_dst)
{
	char msg[160];
	size_t n = 0;
	char **v = orgrbac_split_list(value, &n);

	if (v == NULL) {
		orgrbac_seterr(ld->err, "%.160s: out of memory", ld->path);
		return -1;
	}
	if (n < min || n > max) {
		orgrbac_strv_free(v);
		return bad(ld, w, value, "must list %zu to %zu %s", min, max, what);
	}
	for (size_t i = 0; i < n; i++) {
		if (!ok(v[i], i, msg, sizeof(msg))) {
			orgrbac_strv_free(v);
			return bad(ld, w, value, "%s", msg);
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

	if (name_valid(name))
		return true;
	snprintf(msg, len, "host group '%s' must be 1 to %d of A-Z a-z 0-9 . _ -",
		 orgrbac_printable(name, tmp, sizeof(tmp)), NAME_LEN_MAX);
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

static int set_uris(struct loader *ld, const struct key_def *def, const struct where *w,
		    const char *value)
{
	return set_list(ld, w, value, 1, ORGRBAC_MAX_URIS, "URIs", uri_ok, &ld->cfg->uris,
			&ld->cfg->n_uris);
}

static int set_services(struct loader *ld, const struct key_def *def, const struct where *w,
			const char *value)
{
	return set_list(ld, w, value, 0, SIZE_MAX, "host groups", service_ok, &ld->cfg->services,
			&ld->cfg->n_services);
}

static int set_users(struct loader *ld, const struct key_def *def, const struct where *w,
		     const char *value)
{
	return set_list(ld, w, value, 0, SIZE_MAX, "users", user_ok, &ld->cfg->ignore_users,
			&ld->cfg->n_ignore_users);
}

static int check_expr(struct loader *ld, const struct where *w, const char *value)
{
	struct orgrbac_expr *e = NULL;
	orgrbac_error experr;

	if (orgrbac_expr_parse(value, &e, &experr) != 0)
		return bad(ld, w, value, "invalid expression: %.120s", experr.msg);
	orgrbac_expr_free(e);
	return 0;
}

static int set_require(struct loader *ld, const struct key_def *def, const struct where *w,
		       const char *value)
{
	if (check_expr(ld, w, value) != 0)
		return -1;
	return store(ld, field(ld, def), value);
}

static int set_privilege(struct loader *ld, const struct key_def *def, const struct where *w,
			 const char *value)
{
	if (!orgrbac_privilege_valid(value, false))
		return bad(ld, w, value,
			   "not a privilege: segment{:segment}, segment [A-Za-z0-9_.-]+");
	return store(ld, field(ld, def), value);
}

static int set_offline(struct loader *ld, const struct key_def *def, const struct where *w,
		       const char *value)
{
	(void)def;
	if (same_nocase(value, strlen(value), "deny"))
		ld->cfg->offline = ORGRBAC_OFFLINE_DENY;
	else if (same_nocase(value, strlen(value), "snapshot"))
		ld->cfg->offline = ORGRBAC_OFFLINE_SNAPSHOT;
	else
		return bad(ld, w, value, "must be deny or snapshot");
	return 0;
}

static int set_prefix(struct loader *ld, const struct key_def *def, const struct where *w,
		      const char *value)
{
	size_t n = strspn(value, "abcdefghijklmnopqrstuvwxyz0123456789_-");

	if (value[n] != '\0' || n > NAME_LEN_MAX)
		return bad(ld, w, value, "only a-z 0-9 _ - are allowed");
	return store(ld, field(ld, def), value);
}

#define OFF(f) offsetof(struct orgrbac_config, f)

static const struct key_def keys[] = {
    {SEC_LDAP, "uri", set_uris, 0, 0, 0},
    {SEC_LDAP, "base", set_text, OFF(base), 0, 0},
    {SEC_LDAP, "bind_dn", set_text, OFF(bind_dn), 0, 0},
    {SEC_LDAP, "bind_password_file", set_path, OFF(bind_password_file), 0, 0},
    {SEC_LDAP, "tls_ca_file", set_path, OFF(tls_ca_file), 0, 0},
    {SEC_LDAP, "starttls", set_bool, OFF(starttls), 0, 0},
    {SEC_LDAP, "timeout", set_int, OFF(timeout), 1, ORGRBAC_TIMEOUT_MAX},
    {SEC_LDAP, "allow_insecure", set_bool, OFF(allow_insecure), 0, 0},
    {SEC_HOST, "org", set_name, OFF(org), 0, 0},
    {SEC_HOST, "services", set_services, 0, 0, 0},
    {SEC_HOST, "resource", set_name, OFF(resource), 0, 0},
    {SEC_PAM, "default_require", set_require, OFF(default_require), 0, 0},
    {SEC_PAM, "mfa_exempt_role", set_text, OFF(mfa_exempt_role), 0, 0},
    {SEC_PAM, "cross_org_privilege", set_privilege, OFF(cross_org_privilege), 0, 0},
    {SEC_PAM, "ignore_users", set_users, 0, 0, 0},
    {SEC_PAM, "offline", set_offline, 0, 0, 0},
    {SEC_PAM, "offline_max_age", set_long, OFF(offline_max_age), 1, 31536000},
    {SEC_NSS, "snapshot", set_path, OFF(snapshot), 0, 0},
    {SEC_NSS, "group_prefix", set_prefix, OFF(group_prefix), 0, 0},
    {SEC_NSS, "max_age", set_long, OFF(max_age), 1, 31536000},
    {SEC_NSS, "gid_min", set_long, OFF(gid_min), 1, GID_MIN_MAX},
};

static struct orgrbac_service_conf *find_service(const struct orgrbac_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_svc; i++)
		if (same_nocase(name, strlen(name), cfg->svc[i].name))
			return &cfg->svc[i];
	return NULL;
}

static int add_service(struct loader *ld, const struct where *w, const char *name)
{
	struct orgrbac_config *cfg = ld->cfg;
	struct orgrbac_service_conf *svc;

	if (find_service(cfg, name) != NULL)
		return 0;
	if (cfg->n_svc >= SERVICES_MAX)
		return bad(ld, w, NULL, "more than %d [service NAME] sections", SERVICES_MAX);
	svc = reallocarray(cfg->svc, cfg->n_svc + 1, sizeof(*svc));
	if (svc == NULL) {
		orgrbac_seterr(ld->err, "%.160s: out of memory", ld->path);
		return -1;
	}
	cfg->svc = svc;
	svc[cfg->n_svc].name = orgrbac_strdup(name);
	svc[cfg->n_svc].require = NULL;
	if (svc[cfg->n_svc].name == NULL) {
		orgrbac_seterr(ld->err, "%.160s: out of memory", ld->path);
		return -1;
	}
	cfg->n_svc++;
	return 0;
}

static int apply_section(struct loader *ld, const char *sec)
{
	struct where w = {.sec = sec};
	const char *name = NULL;
	enum section kind = classify(sec, &name);

	if (kind == SEC_LDAP || kind == SEC_HOST || kind == SEC_PAM || kind == SEC_NSS)
		return 0;
	w.line = line_of(ld, sec, NULL);
	if (kind == SEC_SERVICE)
		return add_service(ld, &w, name);
	if (kind == SEC_BAD_SERVICE)
		return bad(ld, &w, NULL, "expected [service NAME], NAME of A-Z a-z 0-9 . _ -");
	return bad(ld, &w, NULL,
		   "unknown section (expected [ldap], [host], [pam], [service NAME] or [nss])");
}

static int set_service_require(struct loader *ld, const struct where *w, const char *name,
			       const char *value)
{
	struct orgrbac_service_conf *svc;
	char *copy;

	if (add_service(ld, w, name) != 0 || check_expr(ld, w, value) != 0)
		return -1;
	svc = find_service(ld->cfg, name);
	copy = orgrbac_strdup(value);
	if (svc == NULL || copy == NULL) {
		free(copy);
		orgrbac_seterr(ld->err, "%.160s: out of memory", ld->path);
		return -1;
	}
	free(svc->require);
	svc->require = copy;
	return 0;
}

static int apply_key(struct loader *ld, const char *entry, const char *value)
{
	const char *colon = strchr(entry, ':'), *name = NULL;
	const struct key_def *def = NULL;
	char sec[LINE_CHARS_MAX + 1];
	struct where w = {0};
	unsigned lines[2];
	size_t len;
	enum section kind;

	if (colon == NULL || (len = (size_t)(colon - entry)) >= sizeof(sec)) {
		w.sec = entry;
		return bad(ld, &w, NULL, "malformed entry");
	}
	memcpy(sec, entry, len);
	sec[len] = '\0';
	kind = classify(sec, &name);
	if (kind == SEC_UNKNOWN || kind == SEC_BAD_SERVICE)
		return apply_section(ld, sec);
	w.sec = kind == SEC_NONE ? NULL : sec;
	w.key = colon + 1;
	find_lines(ld, sec, w.key, lines);
	w.line = lines[0];
	if (kind == SEC_NONE)
		return bad(ld, &w, NULL, "set outside any [section]");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].sec == kind && strcmp(keys[i].key, w.key) == 0)
			def = &keys[i];
	if (kind == SEC_SERVICE && strcmp(w.key, "require") != 0)
		return bad(ld, &w, NULL, "unknown key (a [service NAME] section has only require)");
	if (kind != SEC_SERVICE && def == NULL)
		return bad(ld, &w, NULL, "unknown key");
	/* iniparser keeps the last of two settings silently; an admin may not expect that */
	if (lines[1] != 0) {
		w.line = lines[1];
		return bad(ld, &w, NULL, "set twice (first on line %u)", lines[0]);
	}
	if (kind == SEC_SERVICE)
		return set_service_require(ld, &w, name, value);
	return def->set(ld, def, &w, value);
}

/* The dictionary keeps the file's order, so the first error reported is the first met. */
static int apply(struct loader *ld, const dictionary *d)
{
	/* every section and key of a valid file, so the line scans below stay few */
	const int most = 4 + (int)(sizeof(keys) / sizeof(keys[0])) + 2 * SERVICES_MAX;

	if (d->n > most)
		return bad(ld, NULL, NULL, "more than %d sections and keys", most);
	for (ssize_t i = 0; i < d->size; i++) {
		int rc;

		if (d->key[i] == NULL)
			continue;
		if (d->val[i] == NULL)
			rc = apply_section(ld, d->key[i]);
		else
			rc = apply_key(ld, d->key[i], d->val[i]);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* iniparser reports through one process-wide callback with no context: keep the first message. */
static __thread char ini_msg[256];
static __thread bool ini_seen;
/*
 * Held from setting the callback to resetting it: otherwise one thread's reset
 * sends another's errors to iniparser's default, which writes to descriptor 2.
 */
static pthread_mutex_t ini_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t ini_once = PTHREAD_ONCE_INIT;

/* A fork while another thread parses must not leave the child's lock held by nobody. */
static void ini_fork_prepare(void)
{
	pthread_mutex_lock(&ini_lock);
}

static void ini_fork_parent(void)
{
	pthread_mutex_unlock(&ini_lock);
}

static void ini_fork_child(void)
{
	pthread_mutex_init(&ini_lock, NULL);
}

/* glibc drops the handlers of a module when it is unloaded. */
static void ini_init(void)
{
	pthread_atfork(ini_fork_prepare, ini_fork_parent, ini_fork_child);
}

static int ini_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int ini_error(const char *fmt, ...)
{
	va_list ap;

	if (ini_seen)
		return 0;
	va_start(ap, fmt);
	vsnprintf(ini_msg, sizeof(ini_msg), fmt, ap);
	va_end(ap);
	ini_seen = true;
	return 0;
}

/* The trimmed text of line `line`, made printable, for a syntax error. */
static char *line_text(const struct loader *ld, unsigned line, char *out, size_t outlen)
{
	const char *p = ld->text, *e;
	char tmp[128];
	size_t n;

	for (unsigned i = 1; i < line; i++) {
		e = strchrnul(p, '\n');
		if (*e == '\0')
			break;
		p = e + 1;
	}
	e = strchrnul(p, '\n');
	while (p < e && isspace((unsigned char)*p))
		p++;
	while (e > p && isspace((unsigned char)e[-1]))
		e--;
	n = (size_t)(e - p) < sizeof(tmp) - 1 ? (size_t)(e - p) : sizeof(tmp) - 1;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	return orgrbac_printable(tmp, out, outlen);
}

static int ini_failed(struct loader *ld, const char *name)
{
	const char *at = ini_seen ? strstr(ini_msg, name) : NULL;
	struct where w = {0};
	char tmp[72];

	if (at != NULL && strncmp(at + strlen(name), " (", 2) == 0) {
		unsigned long v;
		char *end;

		errno = 0;
		v = strtoul(at + strlen(name) + 2, &end, 10);
		if (errno == 0 && *end == ')' && v <= UINT_MAX)
			w.line = (unsigned)v;
	}
	if (w.line > 0 && strstr(ini_msg, "syntax error") != NULL)
		return bad(ld, &w, NULL,
			   "syntax error: expected [section], key = value or a comment, "
			   "each alone on its line (found '%s')",
			   line_text(ld, w.line, tmp, sizeof(tmp)));
	if (w.line > 0 && strstr(ini_msg, "too long") != NULL)
		return bad(ld, &w, NULL, "syntax error: line too long");
	if (ini_seen && strstr(ini_msg, "memory") != NULL)
		return bad(ld, NULL, NULL, "out of memory while parsing");
	return bad(ld, NULL, NULL, "cannot parse: %s",
		   ini_seen ? orgrbac_printable(ini_msg, tmp, sizeof(tmp)) : "no reason given");
}

/*
 * iniparser 4.1 only loads by path. Handing it the path again would let the
 * file change between our checks and its read, so it reads a sealed-off
 * in-memory copy of exactly the text we checked, through /proc/self/fd.
 */
static int parse(struct loader *ld, size_t len, dictionary **out)
{
	char name[40];
	size_t done = 0;
	int fd;

	*out = NULL;
	fd = memfd_create("orgrbac.conf", MFD_CLOEXEC);
	if (fd < 0)
		return bad(ld, NULL, NULL, "cannot parse: memfd_create: %s", strerror(errno));
	while (done < len) {
		ssize_t r = write(fd, ld->text + done, len - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int e = r < 0 ? errno : EIO;

			close(fd);
			return bad(ld, NULL, NULL, "cannot parse: copying the text: %s",
				   strerror(e));
		}
		done += (size_t)r;
	}
	snprintf(name, sizeof(name), "/proc/self/fd/%d", fd);
	ini_seen = false;
	ini_msg[0] = '\0';
	pthread_once(&ini_once, ini_init);
	pthread_mutex_lock(&ini_lock);
	iniparser_set_error_callback(ini_error);
	*out = iniparser_load(name);
	/* the setting is process-wide: leave no pointer into this module behind */
	iniparser_set_error_callback(NULL);
	pthread_mutex_unlock(&ini_lock);
	close(fd);
	if (*out == NULL)
		return ini_failed(ld, name);
	return 0;
}

/*
 * The host's own name, as gethostname() gives it, never a DNS answer: a
 * canonical name from the resolver is whatever the DNS says (a spoofed CNAME
 * would pick another host's resource grants), and asking it would block
 * every decision on the resolver.
 */
static int default_resource(struct loader *ld)
{
	struct where w = {.sec = "host", .key = "resource"};
	char host[HOST_NAME_MAX + 1];

	w.line = line_of(ld, "host", NULL);
	if (gethostname(host, sizeof(host)) != 0)
		return bad(ld, &w, NULL, "not set, and the host name is unknown: %s",
			   strerror(errno));
	host[sizeof(host) - 1] = '\0';
	if (!name_valid(host))
		return bad(ld, &w, host, "not set, and the host's name is not usable: set it");
	return store(ld, &ld->cfg->resource, host);
}

/* What no single key can tell: required keys, pairs, sections without require. */
static int finish(struct loader *ld)
{
	struct orgrbac_config *cfg = ld->cfg;
	struct where w = {.sec = "ldap"};

	w.line = line_of(ld, "ldap", NULL);
	if (cfg->uris == NULL) {
		w.key = "uri";
		return bad(ld, &w, NULL, "missing (required)");
	}
	if (cfg->base == NULL) {
		w.key = "base";
		return bad(ld, &w, NULL, "missing (required)");
	}
	if (cfg->bind_dn != NULL && cfg->bind_password_file == NULL) {
		w.key = "bind_dn";
		w.line = line_of(ld, "ldap", "bind_dn");
		return bad(ld, &w, NULL, "set without bind_password_file");
	}
	if (cfg->bind_dn == NULL && cfg->bind_password_file != NULL) {
		w.key = "bind_password_file";
		w.line = line_of(ld, "ldap", "bind_password_file");
		return bad(ld, &w, NULL, "set without bind_dn");
	}
	if (cfg->org == NULL) {
		w.sec = "host";
		w.key = "org";
		w.line = line_of(ld, "host", NULL);
		return bad(ld, &w, NULL, "missing (required)");
	}
	for (size_t i = 0; i < cfg->n_svc; i++) {
		char sec[8 + NAME_LEN_MAX + 1];

		if (cfg->svc[i].require != NULL)
			continue;
		snprintf(sec, sizeof(sec), "service %s", cfg->svc[i].name);
		w.sec = sec;
		w.key = "require";
		w.line = line_of(ld, sec, NULL);
		return bad(ld, &w, NULL, "missing (every [service NAME] needs one)");
	}
	if (cfg->resource == NULL)
		return default_resource(ld);
	return 0;
}

static int set_defaults(struct orgrbac_config *cfg)
{
	cfg->timeout = 3;
	cfg->offline = ORGRBAC_OFFLINE_DENY;
	cfg->offline_max_age = 3600;
	cfg->max_age = 3600;
	cfg->gid_min = 1000;
	cfg->mfa_exempt_role = orgrbac_strdup("2FA-exempt");
	cfg->cross_org_privilege = orgrbac_strdup("common:org:cross");
	cfg->snapshot = orgrbac_strdup("/var/lib/orgrbac/snapshot.db");
	cfg->group_prefix = orgrbac_strdup("");
	cfg->ignore_users = orgrbac_split_list("root", &cfg->n_ignore_users);
	cfg->services = orgrbac_split_list("", &cfg->n_services);
	if (cfg->mfa_exempt_role == NULL || cfg->cross_org_privilege == NULL ||
	    cfg->snapshot == NULL || cfg->group_prefix == NULL || cfg->ignore_users == NULL ||
	    cfg->services == NULL)
		return -1;
	return 0;
}

/* Name the cause O_NOFOLLOW hides behind "too many levels of symbolic links". */
static void explain_open_failure(const char *path, orgrbac_error *err)
{
	struct stat st;

	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		orgrbac_seterr(err, "%.160s: is a symbolic link, refused: name the file itself",
			       path);
}

int orgrbac_config_load(const char *path, bool trust_any_owner, struct orgrbac_config **out,
			orgrbac_error *err)
{
	struct orgrbac_config *cfg;
	struct loader ld = {.err = err};
	dictionary *d = NULL;
	char *text = NULL;
	size_t len = 0;
	int rc = -1;

	if (out == NULL) {
		orgrbac_seterr(err, "orgrbac_config_load: no place for the result");
		return -1;
	}
	*out = NULL;
	if (path == NULL)
		path = ORGRBAC_CONFIG_PATH;
	ld.path = path;
	cfg = calloc(1, sizeof(*cfg));
	if (cfg == NULL || set_defaults(cfg) != 0 || (cfg->path = orgrbac_strdup(path)) == NULL) {
		orgrbac_seterr(err, "%.160s: out of memory", path);
		goto out;
	}
	ld.cfg = cfg;
	if (orgrbac_read_file(path, trust_any_owner ? 0 : ORGRBAC_FILE_ROOT, ORGRBAC_FILE_MAX,
			      &text, &len, err) != 0) {
		explain_open_failure(path, err);
		goto out;
	}
	ld.text = text;
	if (check_text(&ld, len) != 0 || parse(&ld, len, &d) != 0 || apply(&ld, d) != 0 ||
	    finish(&ld) != 0)
		goto out;
	*out = cfg;
	cfg = NULL;
	rc = 0;
out:
	if (d != NULL)
		iniparser_freedict(d);
	free(text);
	orgrbac_config_free(cfg);
	return rc;
}

void orgrbac_config_free(struct orgrbac_config *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->path);
	orgrbac_strv_free(cfg->uris);
	free(cfg->base);
	free(cfg->bind_dn);
	free(cfg->bind_password_file);
	free(cfg->tls_ca_file);
	free(cfg->org);
	orgrbac_strv_free(cfg->services);
	free(cfg->resource);
	free(cfg->default_require);
	free(cfg->mfa_exempt_role);
	free(cfg->cross_org_privilege);
	orgrbac_strv_free(cfg->ignore_users);
	for (size_t i = 0; i < cfg->n_svc; i++) {
		free(cfg->svc[i].name);
		free(cfg->svc[i].require);
	}
	free(cfg->svc);
	free(cfg->snapshot);
	free(cfg->group_prefix);
	free(cfg);
}

const char *orgrbac_config_require(const struct orgrbac_config *cfg, const char *service)
{
	const struct orgrbac_service_conf *svc;

	if (cfg == NULL)
		return NULL;
	if (service != NULL && (svc = find_service(cfg, service)) != NULL)
		return svc->require;
	return cfg->default_require;
}

bool orgrbac_config_ignored(const struct orgrbac_config *cfg, const char *user)
{
	if (cfg == NULL || user == NULL)
		return false;
	for (size_t i = 0; i < cfg->n_ignore_users; i++)
		if (strcmp(cfg->ignore_users[i], user) == 0)
			return true;
	return false;
}

int orgrbac_config_read_secret(const struct orgrbac_config *cfg, bool trust_any_owner,
			       char **secret, orgrbac_error *err)
{
	char buf[SECRET_MAX + 1];
	const char *path;
	struct stat st;
	size_t got = 0, n;
	char *nl;
	int fd, rc = -1;

	if (secret == NULL) {
		orgrbac_seterr(err, "orgrbac_config_read_secret: no place for the result");
		return -1;
	}
	*secret = NULL;
	if (cfg == NULL || cfg->bind_password_file == NULL) {
		orgrbac_seterr(err, "%.160s: [ldap] bind_password_file: not set",
			       cfg != NULL && cfg->path != NULL ? cfg->path : "configuration");
		return -1;
	}
	path = cfg->bind_password_file;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	if (fd < 0) {
		orgrbac_seterr(err, "%.160s: cannot open: %s", path, strerror(errno));
		explain_open_failure(path, err);
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		orgrbac_seterr(err, "%.160s: cannot stat: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		orgrbac_seterr(err, "%.160s: not a regular file", path);
		goto out;
	}
	if (!trust_any_owner && st.st_uid != 0) {
		orgrbac_seterr(err, "%.160s: must be owned by root (owner uid %lu)", path,
			       (unsigned long)st.st_uid);
		goto out;
	}
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		orgrbac_seterr(err, "%.160s: must not be accessible by group or others (mode %04o)",
			       path, (unsigned)(st.st_mode & 07777));
		goto out;
	}
	/* One byte more than a secret may have tells a long line from a full one. */
	while (got < sizeof(buf)) {
		ssize_t r = read(fd, buf + got, sizeof(buf) - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			orgrbac_seterr(err, "%.160s: cannot read: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	nl = memchr(buf, '\n', got);
	n = nl != NULL ? (size_t)(nl - buf) : got;
	if (n > SECRET_MAX) {
		orgrbac_seterr(err, "%.160s: first line longer than %d bytes", path, SECRET_MAX);
		goto out;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	if (memchr(buf, '\0', n) != NULL) {
		orgrbac_seterr(err, "%.160s: the secret contains a NUL byte", path);
		goto out;
	}
	if (n == 0) {
		orgrbac_seterr(err, "%.160s: empty secret (the first line is empty)", path);
		goto out;
	}
	*secret = malloc(n + 1);
	if (*secret == NULL) {
		orgrbac_seterr(err, "%.160s: out of memory", path);
		goto out;
	}
	memcpy(*secret, buf, n);
	(*secret)[n] = '\0';
	rc = 0;
out:
	orgrbac_wipe(buf, sizeof(buf));
	close(fd);
	return rc;
}
