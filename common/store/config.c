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
#include "config_keys.h"

/* iniparser 4.1 refuses longer lines; saying so ourselves gives a clearer message. */
#define LINE_CHARS_MAX 1022
#define SERVICES_MAX   256  /* [service NAME] sections */
#define SECRET_MAX     1024 /* bytes of the bind password */

struct loader {
	struct orgrbac_conf_ctx c;
	const char *text; /* the file as read and checked, NUL-terminated */
};

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
			inside = orgrbac_conf_same_nocase(name, len, sec);
			if (inside && key == NULL)
				lines[found++] = line;
		} else if (inside && key != NULL) {
			const char *eq = memchr(s, '=', n);

			if (eq == NULL)
				continue;
			while (eq > s && isspace((unsigned char)eq[-1]))
				eq--;
			if (orgrbac_conf_same_nocase(s, (size_t)(eq - s), key))
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
	struct orgrbac_conf_where w = {0};
	struct cursor c = {.p = ld->text};
	const char *p = ld->text, *s, *name;
	size_t n, nlen;

	for (w.line = 1; *p != '\0'; w.line++) {
		const char *e = strchrnul(p, '\n');

		if (e - p > LINE_CHARS_MAX)
			return orgrbac_conf_bad(&ld->c, &w, NULL, "line longer than %d characters",
						LINE_CHARS_MAX);
		if (*e == '\0')
			break;
		p = e + 1;
	}
	if ((size_t)(p + strlen(p) - ld->text) != len)
		return orgrbac_conf_bad(&ld->c, &w, NULL, "contains a NUL byte");

	while (next_line(&c, &s, &n, &w.line)) {
		if (!header(s, n, &name, &nlen))
			continue;
		if (nlen == 0)
			return orgrbac_conf_bad(&ld->c, &w, NULL, "empty section name");
		if (memchr(name, ':', nlen) != NULL)
			return orgrbac_conf_bad(&ld->c, &w, NULL, "':' in a section name");
	}
	return 0;
}

static enum orgrbac_conf_section classify(const char *sec, const char **svc_name)
{
	static const struct {
		const char *name;
		enum orgrbac_conf_section sec;
	} fixed[] = {
	    {"ldap", ORGRBAC_SEC_LDAP},
	    {"host", ORGRBAC_SEC_HOST},
	    {"pam", ORGRBAC_SEC_PAM},
	    {"nss", ORGRBAC_SEC_NSS},
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
	svc = reallocarray(cfg->svc, cfg->n_svc + 1, sizeof(*svc));
	if (svc == NULL)
		return orgrbac_conf_oom(&ld->c);
	cfg->svc = svc;
	svc[cfg->n_svc].name = orgrbac_strdup(name);
	svc[cfg->n_svc].require = NULL;
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
	    kind == ORGRBAC_SEC_NSS)
		return 0;
	w.line = line_of(ld, sec, NULL);
	if (kind == ORGRBAC_SEC_SERVICE)
		return add_service(ld, &w, name);
	if (kind == ORGRBAC_SEC_BAD_SERVICE)
		return orgrbac_conf_bad(&ld->c, &w, NULL,
					"expected [service NAME], NAME of A-Z a-z 0-9 . _ -");
	return orgrbac_conf_bad(
	    &ld->c, &w, NULL,
	    "unknown section (expected [ldap], [host], [pam], [service NAME] or [nss])");
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

static int apply_key(struct loader *ld, const char *entry, const char *value)
{
	const char *colon = strchr(entry, ':'), *name = NULL;
	const struct orgrbac_conf_key *def = NULL;
	char sec[LINE_CHARS_MAX + 1];
	struct orgrbac_conf_where w = {0};
	unsigned lines[2];
	size_t len;
	enum orgrbac_conf_section kind;

	if (colon == NULL || (len = (size_t)(colon - entry)) >= sizeof(sec)) {
		w.sec = entry;
		return orgrbac_conf_bad(&ld->c, &w, NULL, "malformed entry");
	}
	memcpy(sec, entry, len);
	sec[len] = '\0';
	kind = classify(sec, &name);
	if (kind == ORGRBAC_SEC_UNKNOWN || kind == ORGRBAC_SEC_BAD_SERVICE)
		return apply_section(ld, sec);
	w.sec = kind == ORGRBAC_SEC_NONE ? NULL : sec;
	w.key = colon + 1;
	find_lines(ld, sec, w.key, lines);
	w.line = lines[0];
	if (kind == ORGRBAC_SEC_NONE)
		return orgrbac_conf_bad(&ld->c, &w, NULL, "set outside any [section]");
	def = orgrbac_conf_key_find(kind, w.key);
	if (kind == ORGRBAC_SEC_SERVICE && strcmp(w.key, "require") != 0)
		return orgrbac_conf_bad(&ld->c, &w, NULL,
					"unknown key (a [service NAME] section has only require)");
	if (kind != ORGRBAC_SEC_SERVICE && def == NULL)
		return orgrbac_conf_bad(&ld->c, &w, NULL, "unknown key");
	/* iniparser keeps the last of two settings silently; an admin may not expect that */
	if (lines[1] != 0) {
		w.line = lines[1];
		return orgrbac_conf_bad(&ld->c, &w, NULL, "set twice (first on line %u)", lines[0]);
	}
	if (kind == ORGRBAC_SEC_SERVICE)
		return set_service_require(ld, &w, name, value);
	return def->set(&ld->c, def, &w, value);
}

/* The dictionary keeps the file's order, so the first error reported is the first met. */
static int apply(struct loader *ld, const dictionary *d)
{
	/* every section and key of a valid file, so the line scans below stay few */
	const int most = 4 + (int)orgrbac_conf_n_keys() + 2 * SERVICES_MAX;

	if (d->n > most)
		return orgrbac_conf_bad(&ld->c, NULL, NULL, "more than %d sections and keys", most);
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
	struct orgrbac_conf_where w = {0};
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
		return orgrbac_conf_bad(
		    &ld->c, &w, NULL,
		    "syntax error: expected [section], key = value or a comment, "
		    "each alone on its line (found '%s')",
		    line_text(ld, w.line, tmp, sizeof(tmp)));
	if (w.line > 0 && strstr(ini_msg, "too long") != NULL)
		return orgrbac_conf_bad(&ld->c, &w, NULL, "syntax error: line too long");
	if (ini_seen && strstr(ini_msg, "memory") != NULL)
		return orgrbac_conf_bad(&ld->c, NULL, NULL, "out of memory while parsing");
	return orgrbac_conf_bad(&ld->c, NULL, NULL, "cannot parse: %s",
				ini_seen ? orgrbac_printable(ini_msg, tmp, sizeof(tmp))
					 : "no reason given");
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
		return orgrbac_conf_bad(&ld->c, NULL, NULL, "cannot parse: memfd_create: %s",
					strerror(errno));
	while (done < len) {
		ssize_t r = write(fd, ld->text + done, len - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int e = r < 0 ? errno : EIO;

			close(fd);
			return orgrbac_conf_bad(&ld->c, NULL, NULL,
						"cannot parse: copying the text: %s", strerror(e));
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
	struct loader ld = {.c.err = err};
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
