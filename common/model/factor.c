/* SPDX-License-Identifier: BSD-2-Clause */
/* Pure: was another factor verified before the 2FA exemption is asked for? */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "factor.h"
#include "util.h"

static void say(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void say(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

/* Method names as sshd spells them: "publickey", "keyboard-interactive/pam", ... */
static bool method_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '-' || ch == '.' || ch == '_' || ch == '@' || ch == '/';
}

/* A run of bytes other than the space, at least one; returns its length. */
static size_t word(const char *p, const char *end)
{
	size_t n = 0;

	while (p + n < end && p[n] != ' ')
		n++;
	return n;
}

enum line_kind { LINE_BAD, LINE_OTHER, LINE_PUBLICKEY };

/* One line of SSH_AUTH_INFO_0, without its newline: [p, end). */
static enum line_kind read_line(const char *p, const char *end, const char **what)
{
	size_t n, m;

	if (p == end) {
		*what = "an empty line";
		return LINE_BAD;
	}
	for (const char *q = p; q < end; q++)
		if ((unsigned char)*q < 0x20 || (unsigned char)*q == 0x7f) {
			*what = "a control character";
			return LINE_BAD;
		}
	n = word(p, end);
	for (size_t i = 0; i < n; i++)
		if (!method_char((unsigned char)p[i])) {
			n = 0;
			break;
		}
	if (n == 0) {
		*what = "a line that does not begin with a method name";
		return LINE_BAD;
	}
	if (n != strlen("publickey") || memcmp(p, "publickey", n) != 0)
		return LINE_OTHER;
	/* "publickey KEYTYPE BASE64[ MORE]": sshd always names the key it verified */
	p += n;
	if (p == end || *p != ' ' || (m = word(p + 1, end)) == 0 || p + 1 + m == end ||
	    word(p + 2 + m, end) == 0) {
		*what = "a publickey line without its key";
		return LINE_BAD;
	}
	return LINE_PUBLICKEY;
}

/*
 * SSH_AUTH_INFO_0 as OpenSSH (7.8 and later, Debian 12 has 9.2) writes it
 * into the PAM environment before keyboard-interactive or password
 * authentication runs the auth stack, with or without ExposeAuthInfo: one
 * line per authentication method that already succeeded on this connection,
 * in order, each ending in a newline:
 *
 *   METHOD[/SUBMETHOD][ DETAILS]\n
 *
 * A verified key reads "publickey ssh-ed25519 AAAAC3Nz...\n" (a certificate
 * adds its details after the key). The value is empty when nothing has
 * succeeded yet: a keyboard-interactive login that is the first method. sshd
 * refuses to put a newline inside a line, so no line can be smuggled into
 * another; a "publickey" word anywhere but at the start of a line means
 * nothing. Anything that does not read this way proves nothing.
 */
enum orgrbac_factor orgrbac_prior_factor(const char *service, const char *auth_info, char *why,
					 size_t len)
{
	const char *p, *end, *nl, *what = NULL;
	size_t n, lines = 0, keys = 0;
	char name[64];

	if (service == NULL || strcmp(service, ORGRBAC_SSHD_SERVICE) != 0) {
		say(why, len,
		    "not granted under service '%s': only sshd reports a factor verified before "
		    "the auth stack, so nothing proves one here; take mfa_exempt out of this "
		    "service's stack",
		    orgrbac_printable(service != NULL ? service : "", name, sizeof(name)));
		return ORGRBAC_FACTOR_NONE;
	}
	if (auth_info == NULL) {
		say(why, len,
		    "not granted: sshd put no " ORGRBAC_AUTH_INFO_VAR " into the PAM environment, "
		    "so no verified public key is known (OpenSSH 7.8 or later with UsePAM yes "
		    "sets it)");
		return ORGRBAC_FACTOR_NONE;
	}
	n = strnlen(auth_info, ORGRBAC_AUTH_INFO_MAX + 1);
	if (n > ORGRBAC_AUTH_INFO_MAX) {
		say(why, len,
		    "not granted: " ORGRBAC_AUTH_INFO_VAR " is over %d bytes, more than sshd "
		    "writes; it proves nothing",
		    ORGRBAC_AUTH_INFO_MAX);
		return ORGRBAC_FACTOR_NONE;
	}
	end = auth_info + n;
	for (p = auth_info; p < end && what == NULL; p = nl + 1) {
		lines++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL) {
			what = "a last line without its newline";
			break;
		}
		if (read_line(p, nl, &what) == LINE_PUBLICKEY)
			keys++;
	}
	if (what != NULL) {
		say(why, len,
		    "not granted: " ORGRBAC_AUTH_INFO_VAR " is not as sshd writes it (%s at line "
		    "%zu); it proves nothing",
		    what, lines);
		return ORGRBAC_FACTOR_NONE;
	}
	if (keys == 0) {
		say(why, len,
		    "not granted: no public key was verified before keyboard-interactive "
		    "(" ORGRBAC_AUTH_INFO_VAR
		    " %s); set 'AuthenticationMethods publickey,keyboard-interactive' in "
		    "sshd_config",
		    lines == 0 ? "is empty" : "has no publickey line");
		return ORGRBAC_FACTOR_NONE;
	}
	say(why, len, "sshd verified a public key first");
	return ORGRBAC_FACTOR_PUBLICKEY;
}
