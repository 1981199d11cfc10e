/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The reader of /etc/orgrbac.conf: defaults, then the file, read once into a
 * table of its sections and settings with their lines, every value checked.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "config_keys.h"
#include "config_parse.h"

#define SERVICES_MAX 256  /* [service NAME] sections */
#define SECRET_MAX   1024 /* bytes of the bind password */

/* A section, or a setting of a section, as the file has it. */
struct entry {
	char *sec;		/* the section: a header's name, the one a setting is in */
	char *key;		/* NULL for a header */
	char *value;		/* the last value set; NULL for a header */
	unsigned first, second; /* the lines of the first two headers or settings, 0: none */
};

/*
 * The file's sections and settings, each once, in the order first met, at
 * most ORGRBAC_CONF_ENTRIES_MAX of them: `overflow` is the line of the first
 * one that found no room.
 */
struct loader {
	struct orgrbac_conf_ctx c;
	struct entry *entries;
	size_t n_entries, entries_cap;
	unsigned overflow;
	char sec[ORGRBAC_INI_LINE_MAX + 1]; /* the section being read */
	size_t svc_cap;			    /* room in cfg->svc */
};

/* The header of `sec` (key NULL) or the setting `key` of `sec`; NULL if the file has none. */
static struct entry *find_entry(const struct loader *ld, const char *sec, const char *key)
{
	for (size_t i = 0; i < ld->n_entries; i++) {
		struct entry *e = &ld->entries[i];

		if (strcmp(e->sec, sec) == 0 &&
		    (key == NULL ? e->key == NULL : e->key != NULL && strcmp(e->key, key) == 0))
			return e;
	}
	return NULL;
}

/* The line of the first header or setting of `sec` (and `key`), 0 if none. */
static unsigned line_of(const struct loader *ld, const char *sec, const char *key)
{
	const struct entry *e = find_entry(ld, sec, key);

	return e != NULL ? e->first : 0;
}

/* A new entry for `key` (NULL: the header) of the section being read, met on `line`. */
static struct entry *add_entry(struct loader *ld, const char *key, unsigned line)
{
	struct entry *grown, *e;

	if (ld->n_entries >= ORGRBAC_CONF_ENTRIES_MAX) {
		if (ld->overflow == 0)
			ld->overflow = line;
		return NULL;
	}
	grown = orgrbac_grow(ld->entries, &ld->entries_cap, ld->n_entries + 1, sizeof(*grown));
	if (grown == NULL) {
		orgrbac_conf_oom(&ld->c);
		return NULL;
	}
	ld->entries = grown;
	e = &grown[ld->n_entries++]; /* freed with the others, whole or not */
	e->first = line;
	e->sec = orgrbac_strdup(ld->sec);
	if (key != NULL)
		e->key = orgrbac_strdup(key);
	if (e->sec == NULL || (key != NULL && e->key == NULL)) {
		orgrbac_conf_oom(&ld->c);
		return NULL;
	}
	return e;
}

/*
 * Keep a section or a setting, with its lines. A key set a second time is an
 * error whatever its value, so a third setting changes nothing; until then the
 * last value wins.
 */
static int record(struct loader *ld, const struct orgrbac_ini_item *it)
{
	const char *key = it->section != NULL ? NULL : it->key;
	struct entry *e;
	char *value;

	if (it->section != NULL)
		snprintf(ld->sec, sizeof(ld->sec), "%s", it->section);
	e = find_entry(ld, ld->sec, key);
	if (e != NULL && e->second != 0)
		return 0;
	if (e != NULL)
		e->second = it->line;
	else if ((e = add_entry(ld, key, it->line)) == NULL)
		return ld->overflow != 0 ? 0 : -1; /* no room: reported after the scan */
	if (key == NULL)
		return 0;
	value = orgrbac_strdup(it->value);
	if (value == NULL)
		return orgrbac_conf_oom(&ld->c);
	free(e->value);
	e->value = value;
	return 0;
}

static void free_entries(struct loader *ld)
{
	for (size_t i = 0; i < ld->n_entries; i++) {
		free(ld->entries[i].sec);
		free(ld->entries[i].key);
		free(ld->entries[i].value);
	}
	free(ld->entries);
}

/* The complaint for an error of the scanner. */
static void scan_error(struct loader *ld, enum orgrbac_ini_kind kind,
		       const struct orgrbac_ini_item *it)
{
	struct orgrbac_conf_where w = {.line = it->line};
	char text[128], out[72];

	switch (kind) {
	case ORGRBAC_INI_NUL: orgrbac_conf_bad(&ld->c, &w, NULL, "contains a NUL byte"); break;
	case ORGRBAC_INI_LONG_LINE:
		orgrbac_conf_bad(&ld->c, &w, NULL, "line longer than %d characters",
				 ORGRBAC_INI_LINE_MAX);
		break;
	case ORGRBAC_INI_EMPTY_NAME:
		orgrbac_conf_bad(&ld->c, &w, NULL, "empty section name");
		break;
	case ORGRBAC_INI_COLON_NAME:
		orgrbac_conf_bad(&ld->c, &w, NULL, "':' in a section name");
		break;
	case ORGRBAC_INI_JOINED_LONG:
		orgrbac_conf_bad(&ld->c, &w, NULL, "syntax error: line too long");
		break;
	default:
		snprintf(text, sizeof(text), "%.*s",
			 (int)(it->text_len < sizeof(text) ? it->text_len : sizeof(text) - 1),
			 it->text != NULL ? it->text : "");
		orgrbac_conf_bad(&ld->c, &w, NULL,
				 "syntax error: expected [section], key = value or a comment, "
				 "each alone on its line (found '%s')",
				 orgrbac_printable(text, out, sizeof(out)));
	}
}

/*
 * Read the text, once: sections and settings into the table, in the order
 * met, with their lines. The error reported is the most serious one of the
 * file (orgrbac_ini_severity), so that a later stray byte is not hidden by an
 * earlier typo; a table too small for the file comes after them.
 */
static int scan(struct loader *ld, const char *text, size_t len)
{
	enum orgrbac_ini_kind kind, worst = ORGRBAC_INI_END;
	struct orgrbac_ini_scan s;
	struct orgrbac_ini_item it;

	orgrbac_ini_start(&s, text, len);
	while ((kind = orgrbac_ini_next(&s, &it)) != ORGRBAC_INI_END) {
		if (orgrbac_ini_severity(kind) > orgrbac_ini_severity(worst)) {
			worst = kind;
			scan_error(ld, kind, &it);
		} else if (worst == ORGRBAC_INI_END && record(ld, &it) != 0) {
			return -1;
		}
		if (kind == ORGRBAC_INI_NUL || kind == ORGRBAC_INI_LONG_LINE)
			break;
	}
	if (worst != ORGRBAC_INI_END)
		return -1;
	if (ld->overflow != 0) {
		struct orgrbac_conf_where w = {.line = ld->overflow};

		return orgrbac_conf_bad(&ld->c, &w, NULL, "more than %d sections and keys",
					ORGRBAC_CONF_ENTRIES_MAX);
	}
	return 0;
}

static enum orgrbac_conf_section classify(const char *sec, const char **svc_name)
{
	static const struct {
		const char *name;
		enum orgrbac_conf_section sec;
	} fixed[] = {
	    {"ldap", ORGRBAC_SEC_LDAP}, {"host", ORGRBAC_SEC_HOST},	{"pam", ORGRBAC_SEC_PAM},
	    {"nss", ORGRBAC_SEC_NSS},	{"follow", ORGRBAC_SEC_FOLLOW},
	};

	if (sec[0] == '\0')
		return ORGRBAC_SEC_NONE;
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (strcmp(sec, fixed[i].name) == 0)
			return fixed[i].sec;
	if (strncmp(sec, "service", 7) != 0)
		return ORGRBAC_SEC_UNKNOWN;
	if (sec[7] == '\0')
		return ORGRBAC_SEC_BAD_SERVICE;
	if (!isspace((unsigned char)sec[7]))
		return ORGRBAC_SEC_UNKNOWN;
	/* exactly one space keeps one section name per service */
	*svc_name = sec + 8;
	return sec[7] == ' ' && orgrbac_conf_name_valid(sec + 8) ? ORGRBAC_SEC_SERVICE
								 : ORGRBAC_SEC_BAD_SERVICE;
}

static struct orgrbac_service_conf *find_service(const struct orgrbac_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_svc; i++)
		if (orgrbac_conf_same_nocase(name, strlen(name), cfg->svc[i].name))
			return &cfg->svc[i];
	return NULL;
}

static int add_service(struct loader *ld, const struct orgrbac_conf_where *w, const char *name)
{
	struct orgrbac_config *cfg = ld->c.cfg;
	struct orgrbac_service_conf *svc;

	if (find_service(cfg, name) != NULL)
		return 0;
	if (cfg->n_svc >= SERVICES_MAX)
		return orgrbac_conf_bad(&ld->c, w, NULL, "more than %d [service NAME] sections",
					SERVICES_MAX);
	svc = orgrbac_grow(cfg->svc, &ld->svc_cap, cfg->n_svc + 1, sizeof(*svc));
	if (svc == NULL)
		return orgrbac_conf_oom(&ld->c);
	cfg->svc = svc;
	svc[cfg->n_svc].name = orgrbac_strdup(name);
	if (svc[cfg->n_svc].name == NULL)
		return orgrbac_conf_oom(&ld->c);
	cfg->n_svc++;
	return 0;
}

static int apply_section(struct loader *ld, const char *sec)
{
	struct orgrbac_conf_where w = {.sec = sec};
	const char *name = NULL;
	enum orgrbac_conf_section kind = classify(sec, &name);

	if (kind == ORGRBAC_SEC_LDAP || kind == ORGRBAC_SEC_HOST || kind == ORGRBAC_SEC_PAM ||
	    kind == ORGRBAC_SEC_NSS || kind == ORGRBAC_SEC_FOLLOW)
		return 0;
	w.line = line_of(ld, sec, NULL);
	if (kind == ORGRBAC_SEC_SERVICE)
		return add_service(ld, &w, name);
	if (kind == ORGRBAC_SEC_BAD_SERVICE)
		return orgrbac_conf_bad(&ld->c, &w, NULL,
					"expected [service NAME], NAME of A-Z a-z 0-9 . _ -");
	return orgrbac_conf_bad(
	    &ld->c, &w, NULL,
	    "unknown section (expected [ldap], [host], [pam], [service NAME], [nss] or [follow])");
}

static int set_service_require(struct loader *ld, const struct orgrbac_conf_where *w,
			       const char *name, const char *value)
{
	struct orgrbac_service_conf *svc;

	if (add_service(ld, w, name) != 0 || orgrbac_conf_check_expr(&ld->c, w, value) != 0)
		return -1;
	svc = find_service(ld->c.cfg, name);
	if (svc == NULL)
		return orgrbac_conf_oom(&ld->c);
	return orgrbac_conf_store(&ld->c, &svc->require, value);
}

static int apply_key(struct loader *ld, const struct entry *e)
{
	const struct orgrbac_conf_key *def = NULL;
	struct orgrbac_conf_where w = {0};
	const char *name = NULL;
	enum orgrbac_conf_section kind = classify(e->sec, &name);

	if (kind == ORGRBAC_SEC_UNKNOWN || kind == ORGRBAC_SEC_BAD_SERVICE)
		return apply_section(ld, e->sec);
	w.sec = kind == ORGRBAC_SEC_NONE ? NULL : e->sec;
	w.key = e->key;
	w.line = e->first;
	if (kind == ORGRBAC_SEC_NONE)
		return orgrbac_conf_bad(&ld->c, &w, NULL, "set outside any [section]");
	def = orgrbac_conf_key_find(kind, w.key);
	if (kind == ORGRBAC_SEC_SERVICE && strcmp(w.key, "require") != 0)
		return orgrbac_conf_bad(&ld->c, &w, NULL,
					"unknown key (a [service NAME] section has only require)");
	if (kind != ORGRBAC_SEC_SERVICE && def == NULL)
		return orgrbac_conf_bad(&ld->c, &w, NULL, "unknown key");
	/* the last of two settings winning silently is not what an admin may expect */
	if (e->second != 0) {
		w.line = e->second;
		return orgrbac_conf_bad(&ld->c, &w, NULL, "set twice (first on line %u)", e->first);
	}
	if (kind == ORGRBAC_SEC_SERVICE)
		return set_service_require(ld, &w, name, e->value);
	return def->set(&ld->c, def, &w, e->value);
}

/* The table keeps the file's order, so the first error reported is the first met. */
static int apply(struct loader *ld)
{
	for (size_t i = 0; i < ld->n_entries; i++) {
		const struct entry *e = &ld->entries[i];
		int rc = e->key == NULL ? apply_section(ld, e->sec) : apply_key(ld, e);

		if (rc != 0)
			return -1;
	}
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
	struct orgrbac_conf_where w = {.sec = "host", .key = "resource"};
	char host[HOST_NAME_MAX + 1];

	w.line = line_of(ld, "host", NULL);
	if (gethostname(host, sizeof(host)) != 0)
		return orgrbac_conf_bad(
		    &ld->c, &w, NULL, "not set, and the host name is unknown: %s", strerror(errno));
	host[sizeof(host) - 1] = '\0';
	if (!orgrbac_conf_name_valid(host))
		return orgrbac_conf_bad(&ld->c, &w, host,
					"not set, and the host's name is not usable: set it");
	return orgrbac_conf_store(&ld->c, &ld->c.cfg->resource, host);
}

/* What no single key can tell: required keys, pairs, sections without require. */
static int finish(struct loader *ld)
{
	struct orgrbac_config *cfg = ld->c.cfg;
	struct orgrbac_conf_where w = {.sec = "ldap"};

	w.line = line_of(ld, "ldap", NULL);
	if (cfg->uris == NULL) {
		w.key = "uri";
		return orgrbac_conf_bad(&ld->c, &w, NULL, "missing (required)");
	}
	if (cfg->base == NULL) {
		w.key = "base";
		return orgrbac_conf_bad(&ld->c, &w, NULL, "missing (required)");
	}
	if (cfg->bind_dn != NULL && cfg->bind_password_file == NULL) {
		w.key = "bind_dn";
		w.line = line_of(ld, "ldap", "bind_dn");
		return orgrbac_conf_bad(&ld->c, &w, NULL, "set without bind_password_file");
	}
	if (cfg->bind_dn == NULL && cfg->bind_password_file != NULL) {
		w.key = "bind_password_file";
		w.line = line_of(ld, "ldap", "bind_password_file");
		return orgrbac_conf_bad(&ld->c, &w, NULL, "set without bind_dn");
	}
	if (cfg->org == NULL) {
		w.sec = "host";
		w.key = "org";
		w.line = line_of(ld, "host", NULL);
		return orgrbac_conf_bad(&ld->c, &w, NULL, "missing (required)");
	}
	for (size_t i = 0; i < cfg->n_svc; i++) {
		char sec[8 + ORGRBAC_CONF_NAME_MAX + 1];

		if (cfg->svc[i].require != NULL)
			continue;
		snprintf(sec, sizeof(sec), "service %s", cfg->svc[i].name);
		w.sec = sec;
		w.key = "require";
		w.line = line_of(ld, sec, NULL);
		return orgrbac_conf_bad(&ld->c, &w, NULL,
					"missing (every [service NAME] needs one)");
	}
	if (cfg->resource == NULL)
		return default_resource(ld);
	return 0;
}

static int set_defaults(struct orgrbac_config *cfg)
{
	cfg->timeout = 3;
	cfg->source = ORGRBAC_SOURCE_LIVE;
	cfg->offline = ORGRBAC_OFFLINE_DENY;
	cfg->offline_max_age = 3600;
	cfg->max_age = 3600;
	cfg->gid_min = 1000;
	cfg->users = ORGRBAC_NSS_USERS_HOLDERS;
	cfg->uid_min = 1000;
	cfg->keepalive_idle = 30;
	cfg->retry_max = 3;
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
	struct loader ld = {.c.err = err};
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
	ld.c.path = path;
	cfg = calloc(1, sizeof(*cfg));
	if (cfg == NULL || set_defaults(cfg) != 0 || (cfg->path = orgrbac_strdup(path)) == NULL) {
		orgrbac_seterr(err, "%.160s: out of memory", path);
		goto out;
	}
	ld.c.cfg = cfg;
	if (orgrbac_read_file(path, trust_any_owner ? 0 : ORGRBAC_FILE_ROOT, ORGRBAC_FILE_MAX,
			      &text, &len, err) != 0) {
		explain_open_failure(path, err);
		goto out;
	}
	if (scan(&ld, text, len) != 0 || apply(&ld) != 0 || finish(&ld) != 0)
		goto out;
	*out = cfg;
	cfg = NULL;
	rc = 0;
out:
	free_entries(&ld);
	free(text);
	orgrbac_config_free(cfg);
	return rc;
}

/* What a configuration owns, then the configuration. */
static void config_free(struct orgrbac_config *cfg)
{
	char *strings[] = {cfg->path,
			   cfg->base,
			   cfg->bind_dn,
			   cfg->bind_password_file,
			   cfg->tls_ca_file,
			   cfg->org,
			   cfg->resource,
			   cfg->default_require,
			   cfg->mfa_exempt_role,
			   cfg->cross_org_privilege,
			   cfg->snapshot,
			   cfg->group_prefix};
	char **lists[] = {cfg->uris, cfg->services, cfg->ignore_users};

	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
		free(strings[i]);
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		orgrbac_strv_free(lists[i]);
	for (size_t i = 0; i < cfg->n_svc; i++) {
		free(cfg->svc[i].name);
		free(cfg->svc[i].require);
	}
	free(cfg->svc);
	free(cfg);
}

void orgrbac_config_free(struct orgrbac_config *cfg)
{
	if (cfg != NULL)
		config_free(cfg);
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

/* The first line of the open file `fd`, without its line end, checked. */
static int first_line(int fd, const char *path, char **secret, orgrbac_error *err)
{
	char buf[SECRET_MAX + 1], *nl;
	size_t got, n;
	ssize_t r;
	int rc = -1;

	/* One byte more than a secret may have tells a long line from a full one. */
	r = orgrbac_read_full(fd, buf, sizeof(buf));
	if (r < 0) {
		orgrbac_seterr(err, "%.160s: cannot read: %s", path, strerror(errno));
		goto out;
	}
	got = (size_t)r;
	nl = memchr(buf, '\n', got);
	n = nl != NULL ? (size_t)(nl - buf) : got;
	if (n > SECRET_MAX) {
		orgrbac_seterr(err, "%.160s: first line longer than %d bytes", path, SECRET_MAX);
		goto out;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	if (memchr(buf, '\0', n) != NULL)
		orgrbac_seterr(err, "%.160s: the secret contains a NUL byte", path);
	else if (n == 0)
		orgrbac_seterr(err, "%.160s: empty secret (the first line is empty)", path);
	else if ((*secret = malloc(n + 1)) == NULL)
		orgrbac_seterr(err, "%.160s: out of memory", path);
	else {
		memcpy(*secret, buf, n);
		(*secret)[n] = '\0';
		rc = 0;
	}
out:
	orgrbac_wipe(buf, sizeof(buf));
	return rc;
}

int orgrbac_config_read_secret(const struct orgrbac_config *cfg, bool trust_any_owner,
			       char **secret, orgrbac_error *err)
{
	int checks = ORGRBAC_FILE_PRIVATE | (trust_any_owner ? ORGRBAC_FILE_ANY_OWNER : 0);
	struct stat st;
	int fd, rc;

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
	fd = orgrbac_open_checked(cfg->bind_password_file, checks, &st, err);
	if (fd < 0) {
		explain_open_failure(cfg->bind_password_file, err);
		return -1;
	}
	rc = first_line(fd, cfg->bind_password_file, secret, err);
	close(fd);
	return rc;
}
