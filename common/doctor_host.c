/* SPDX-License-Identifier: BSD-2-Clause */
/* orgrbac doctor: sshd_config (with its includes) and nsswitch.conf, read and judged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "doctor.h"

#define SSHD_DIR	   "/etc/ssh"
#define SSHD_INCLUDE_DEPTH 8

/* The first value sshd reads for a keyword, and where. */
struct setting {
	char value[256];
	char where[512];
	unsigned line;
	bool set;
};

struct sshd {
	const struct orgrbac_doctor_io *io;
	struct setting usepam, kbd, methods;
	struct orgrbac_findings *out;
};

static void sshd_file(struct sshd *c, const char *path, int depth, bool in_match);

/*
 * Include PATTERN...: each file, in the order sshd reads them, under the
 * Match state of the Include line (sshd's servconf.c: an Include in a Match
 * block that does not apply reads its files with every Match of theirs off,
 * "Match all" too, and no file changes its includer's Match state).
 */
static void sshd_include(struct sshd *c, char *value, int depth, bool in_match)
{
	char *save = NULL;

	for (char *pat = strtok_r(value, " \t", &save); pat != NULL;
	     pat = strtok_r(NULL, " \t", &save)) {
		char full[4096], **paths;

		snprintf(full, sizeof(full), "%s%s", pat[0] == '/' ? "" : SSHD_DIR "/", pat);
		paths = c->io->glob(c->io->ctx, full);
		for (size_t i = 0; paths != NULL && paths[i] != NULL; i++)
			sshd_file(c, paths[i], depth + 1, in_match);
		orgrbac_strv_free(paths);
	}
}

static void keep(struct setting *s, const char *value, const char *file, unsigned line)
{
	if (s->set)
		return;
	s->set = true;
	snprintf(s->value, sizeof(s->value), "%s", value);
	snprintf(s->where, sizeof(s->where), "%s", file);
	s->line = line;
}

/*
 * One line: "Keyword value" or "Keyword=value". Match blocks are not the
 * global settings, except "Match all" in a file not included from a Match
 * block (`never`: every Match of this file is off).
 */
static void sshd_line(struct sshd *c, char *p, const char *file, unsigned line, int depth,
		      bool never, bool *in_match)
{
	char *key, *value;

	p += strspn(p, " \t");
	if (*p == '\0' || *p == '#')
		return;
	key = p;
	p += strcspn(p, " \t=");
	if (*p != '\0')
		*p++ = '\0';
	p += strspn(p, " \t=");
	value = p;
	value[strcspn(value, "\r")] = '\0';
	for (size_t n = strlen(value); n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t');)
		value[--n] = '\0';
	if (strcasecmp(key, "Match") == 0)
		*in_match = never || strcasecmp(value, "all") != 0;
	else if (strcasecmp(key, "Include") == 0)
		sshd_include(c, value, depth, *in_match);
	else if (*in_match)
		return;
	else if (strcasecmp(key, "UsePAM") == 0)
		keep(&c->usepam, value, file, line);
	else if (strcasecmp(key, "KbdInteractiveAuthentication") == 0 ||
		 strcasecmp(key, "ChallengeResponseAuthentication") == 0)
		keep(&c->kbd, value, file, line);
	else if (strcasecmp(key, "AuthenticationMethods") == 0)
		keep(&c->methods, value, file, line);
}

/* One file, read from its includer's Match state (false for the main file); the state it ends
 * in stays its own. */
static void sshd_file(struct sshd *c, const char *path, int depth, bool included_in_match)
{
	bool missing = false, in_match = included_in_match;
	orgrbac_error err;
	char *text;
	unsigned n = 0;

	if (depth > SSHD_INCLUDE_DEPTH)
		return;
	text = c->io->read(c->io->ctx, path, &missing, &err);
	if (text == NULL) {
		orgrbac_finding_add(c->out, depth == 0 ? ORGRBAC_SEV_ERROR : ORGRBAC_SEV_WARNING,
				    "sshd", path, 0, "make it readable to root",
				    "cannot read sshd's configuration: %s",
				    missing ? "no such file" : err.msg);
		return;
	}
	for (char *p = text, *nl; *p != '\0'; p = nl != NULL ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		if (nl != NULL)
			*nl = '\0';
		sshd_line(c, p, path, ++n, depth, included_in_match, &in_match);
	}
	free(text);
}

/* Does each list of AuthenticationMethods hold publickey, then keyboard-interactive? */
static bool methods_ok(const char *value, bool *key_alone)
{
	char buf[256], *save = NULL;
	bool any = false, ok = true;

	*key_alone = false;
	snprintf(buf, sizeof(buf), "%s", value);
	for (char *list = strtok_r(buf, " \t", &save); list != NULL;
	     list = strtok_r(NULL, " \t", &save)) {
		char *pk = strstr(list, "publickey"), *kbd = strstr(list, "keyboard-interactive");

		any = true;
		if (kbd == NULL)
			*key_alone = true;
		if (pk == NULL || kbd == NULL || kbd < pk)
			ok = false;
	}
	return any && ok && strcasecmp(value, "any") != 0;
}

static void sshd_where(const struct setting *s, const char *path, const char **file, unsigned *line)
{
	*file = s->set ? s->where : path;
	*line = s->set ? s->line : 0;
}

void orgrbac_doctor_sshd(const struct orgrbac_doctor_io *io, const char *path, bool mfa_exempt,
			 struct orgrbac_findings *out)
{
	struct sshd c = {.io = io, .out = out};
	const char *file;
	unsigned line;
	bool key_alone;

	sshd_file(&c, path, 0, false);
	sshd_where(&c.usepam, path, &file, &line);
	if (!c.usepam.set || strcasecmp(c.usepam.value, "yes") != 0)
		orgrbac_finding_add(
		    out, ORGRBAC_SEV_ERROR, "sshd", file, line,
		    "set `UsePAM yes` (etc/sshd_config.d/orgrbac.conf)",
		    "UsePAM is %s: sshd runs no PAM stack, pam_orgrbac never judges an "
		    "ssh login",
		    c.usepam.set ? c.usepam.value : "not set (default no)");
	if (!mfa_exempt)
		return;
	sshd_where(&c.kbd, path, &file, &line);
	if (c.kbd.set && strcasecmp(c.kbd.value, "yes") != 0)
		orgrbac_finding_add(out, ORGRBAC_SEV_ERROR, "sshd", file, line,
				    "set `KbdInteractiveAuthentication yes`",
				    "KbdInteractiveAuthentication is %s: the one-time code is "
				    "never asked",
				    c.kbd.value);
	sshd_where(&c.methods, path, &file, &line);
	if (!c.methods.set || !methods_ok(c.methods.value, &key_alone))
		orgrbac_finding_add(
		    out, ORGRBAC_SEV_ERROR, "sshd", file, line,
		    "set `AuthenticationMethods publickey,keyboard-interactive`",
		    "AuthenticationMethods is %s: %s", c.methods.set ? c.methods.value : "not set",
		    !c.methods.set || key_alone
			? "a key alone logs in (sshd runs no PAM auth for a key), the code is "
			  "never asked"
			: "no key is verified before the code, the 2FA exemption never applies");
}

/* ---- nsswitch.conf ---- */

/* The sources of database `db` (`db:` line), space-separated with actions; NULL if absent. */
static char *ns_line(const char *text, const char *db, unsigned *line)
{
	size_t n = strlen(db);
	unsigned k = 0;

	for (const char *p = text, *nl; *p != '\0'; p = nl != NULL ? nl + 1 : p + strlen(p)) {
		const char *s = p + strspn(p, " \t");

		nl = strchr(p, '\n');
		k++;
		if (strncmp(s, db, n) == 0 && s[n] == ':') {
			size_t len = (nl != NULL ? (size_t)(nl - s) : strlen(s)) - n - 1;
			char *v = strndup(s + n + 1, len);

			if (v != NULL)
				v[strcspn(v, "#")] = '\0';
			*line = k;
			return v;
		}
	}
	return NULL;
}

static void ns_group(const char *path, const char *text, struct orgrbac_findings *out)
{
	unsigned line = 0;
	char *v = ns_line(text, "group", &line), *save = NULL, stop[64] = "";
	int files = -1, orgrbac = -1, i = 0;

	for (char *t = v != NULL ? strtok_r(v, " \t", &save) : NULL; t != NULL;
	     t = strtok_r(NULL, " \t", &save), i++) {
		if (t[0] == '[') {
			if (orgrbac < 0 && strcasestr(t, "=return") != NULL &&
			    strncasecmp(t, "[SUCCESS=return]", 16) != 0 && stop[0] == '\0')
				snprintf(stop, sizeof(stop), "%s", t);
		} else if (strcmp(t, "files") == 0 && files < 0) {
			files = i;
		} else if (strcmp(t, "orgrbac") == 0 && orgrbac < 0) {
			orgrbac = i;
		}
	}
	free(v);
	if (orgrbac < 0)
		orgrbac_finding_add(out, ORGRBAC_SEV_ERROR, "nsswitch", path, line,
				    "write `group: files systemd orgrbac`",
				    "group: has no orgrbac: roles are no groups on this host (id, "
				    "sudoers %%role rules, file permissions)");
	else if (files < 0 || files > orgrbac)
		orgrbac_finding_add(out, ORGRBAC_SEV_WARNING, "nsswitch", path, line,
				    "write `group: files systemd orgrbac`",
				    "group: orgrbac comes before files: local groups should answer "
				    "first");
	else if (stop[0] != '\0')
		orgrbac_finding_add(out, ORGRBAC_SEV_ERROR, "nsswitch", path, line,
				    "write `group: files systemd orgrbac`",
				    "group: %s before orgrbac ends lookups before orgrbac is asked",
				    stop);
}

static void ns_passwd(const char *path, const char *text, struct orgrbac_findings *out)
{
	static const char *const local[] = {"files", "systemd", "compat", "db", "extrausers", NULL};
	unsigned line = 0;
	char *v = ns_line(text, "passwd", &line), *save = NULL;
	bool directory = false;

	for (char *t = v != NULL ? strtok_r(v, " \t", &save) : NULL; t != NULL;
	     t = strtok_r(NULL, " \t", &save)) {
		bool is_local = t[0] == '[';

		for (size_t i = 0; local[i] != NULL; i++)
			is_local = is_local || strcmp(t, local[i]) == 0;
		directory = directory || !is_local;
	}
	free(v);
	if (!directory)
		orgrbac_finding_add(
		    out, ORGRBAC_SEV_WARNING, "nsswitch", path, line,
		    "add `orgrbac` to passwd: (the snapshot's users), or install nslcd "
		    "(libnss-ldapd) or sssd and add `ldap` or `sss`",
		    "passwd: names only local sources: directory users need a passwd "
		    "source (orgrbac, nslcd's ldap or sss) to log in at all");
}

void orgrbac_doctor_nsswitch(const char *path, const char *text, struct orgrbac_findings *out)
{
	ns_group(path, text, out);
	ns_passwd(path, text, out);
}
