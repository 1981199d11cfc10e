/* SPDX-License-Identifier: BSD-2-Clause */
/* The administrator's connection: its options, the password (prompted or read, then wiped), the
 * bind. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "ldapc.h"

#define PASSWORD_MAX 1024 /* bytes of a password typed at -W */

bool conn_option(struct conn_args *a, int c, const char *arg)
{
	switch (c) {
	case 'H': a->uri = arg; break;
	case 'D': a->bind_dn = arg; break;
	case 'W': a->prompt = true; break;
	case 'y': a->pwfile = arg; break;
	case 'Y': a->mech = arg; break;
	case CONN_OPT_ORG: a->org = arg; break;
	case CONN_OPT_PLATFORM: a->platform = true; break;
	case CONN_OPT_CONFIG: a->path = arg; break;
	default: return false;
	}
	return true;
}

const char *conn_check(const struct conn_args *a)
{
	if (a->platform && a->org != NULL)
		return "--org and --platform exclude each other";
	if (a->mech != NULL && strcmp(a->mech, "EXTERNAL") != 0)
		return "-Y: only EXTERNAL is supported";
	if (a->mech != NULL && (a->bind_dn != NULL || a->prompt || a->pwfile != NULL))
		return "-Y EXTERNAL takes no -D, -W or -y";
	if ((a->prompt || a->pwfile != NULL) && a->bind_dn == NULL)
		return "-W and -y need -D BINDDN";
	if (a->prompt && a->pwfile != NULL)
		return "-W and -y exclude each other";
	if (a->bind_dn != NULL && !a->prompt && a->pwfile == NULL)
		return "-D needs -W or -y (a password)";
	return NULL;
}

/* The password typed on the terminal, without echo; NULL when there is none. */
static char *prompt_password(void)
{
	struct termios old, quiet;
	char *buf = NULL;
	ssize_t n = -1;
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	bool restore = false;

	if (fd < 0) {
		fprintf(stderr, "orgrbac: -W: no terminal to ask on\n");
		return NULL;
	}
	buf = calloc(1, PASSWORD_MAX + 1);
	if (buf != NULL && tcgetattr(fd, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		restore = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
	}
	if (buf != NULL && restore) {
		(void)!write(fd, "Enter LDAP Password: ", 21);
		n = read(fd, buf, PASSWORD_MAX);
		tcsetattr(fd, TCSAFLUSH, &old);
		(void)!write(fd, "\n", 1);
	}
	close(fd);
	if (buf == NULL || n < 0) {
		if (buf != NULL)
			orgrbac_wipe(buf, PASSWORD_MAX + 1);
		free(buf);
		fprintf(stderr, "orgrbac: -W: cannot read a password from the terminal\n");
		return NULL;
	}
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return buf;
}

/* -y FILE: its whole contents, as ldapsearch(1) takes them (no newline removed). */
static char *password_file(const char *path)
{
	orgrbac_error err;
	char *buf = NULL;
	size_t len = 0;

	if (orgrbac_read_file(path, ORGRBAC_FILE_ANY_OWNER, ORGRBAC_FILE_MAX, &buf, &len, &err) !=
	    0) {
		fprintf(stderr, "orgrbac: -y: %s\n", err.msg);
		return NULL;
	}
	if (strlen(buf) != len) {
		fprintf(stderr, "orgrbac: -y %s: the password holds a NUL byte\n", path);
		orgrbac_wipe(buf, len);
		free(buf);
		return NULL;
	}
	return buf;
}

/* Connect as the options say; the secret is wiped as soon as the bind is done. */
static int connect_as(const struct conn_args *a, const struct orgrbac_config *cfg, bool trust,
		      struct orgrbac_ldap **l)
{
	struct orgrbac_config one = *cfg;
	struct orgrbac_ldap_cred cred = {.bind_dn = a->bind_dn};
	char *uris[2] = {(char *)a->uri, NULL}, *secret = NULL;
	enum orgrbac_ldap_status s;
	orgrbac_error err;

	if (a->uri != NULL) {
		one.uris = uris;
		one.n_uris = 1;
	}
	if (a->mech != NULL) {
		cred.sasl_external = true;
		s = orgrbac_ldap_open_as(&one, &cred, l, &err);
	} else if (a->bind_dn != NULL) {
		secret = a->prompt ? prompt_password() : password_file(a->pwfile);
		if (secret == NULL)
			return -1;
		/* an empty password would be an unauthenticated bind (RFC 4513 5.1.2) */
		if (secret[0] == '\0') {
			fprintf(stderr, "orgrbac: %s: empty password\n", a->prompt ? "-W" : "-y");
			free(secret);
			return -1;
		}
		cred.secret = secret;
		s = orgrbac_ldap_open_as(&one, &cred, l, &err);
		orgrbac_wipe(secret, strlen(secret));
		free(secret);
	} else {
		s = orgrbac_ldap_open(&one, trust, l, &err);
	}
	if (s != ORGRBAC_LDAP_OK) {
		fprintf(stderr, "orgrbac: ");
		put_safe(stderr, err.msg);
		fprintf(stderr, "\n");
		return -1;
	}
	return 0;
}

int conn_open(const struct conn_args *a, struct orgrbac_config **cfg, struct orgrbac_admin *ad)
{
	bool trust = geteuid() != 0;
	orgrbac_error err;

	*cfg = NULL;
	memset(ad, 0, sizeof(*ad));
	if (orgrbac_config_load(a->path, trust, cfg, &err) != 0) {
		fprintf(stderr, "orgrbac: %s\n", err.msg);
		return -1;
	}
	ad->base = (*cfg)->base;
	ad->org = a->platform ? NULL : a->org != NULL ? a->org : (*cfg)->org;
	if (connect_as(a, *cfg, trust, &ad->l) != 0) {
		orgrbac_config_free(*cfg);
		*cfg = NULL;
		return -1;
	}
	return 0;
}

void conn_close(struct orgrbac_config *cfg, struct orgrbac_admin *ad)
{
	if (ad->l != NULL)
		orgrbac_ldap_close(ad->l);
	ad->l = NULL;
	orgrbac_config_free(cfg);
}
