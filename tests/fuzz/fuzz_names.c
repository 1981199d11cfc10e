/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: untrusted names and values - user-name validation, RFC 4515
 * filter escaping, log-safe copies, and the DN handling of common/ldap/directory.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The DN helpers are private to the directory model: fuzz them where they live. */
#include "../../common/ldap/directory.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The escaped value holds no filter metacharacter and decodes back to the input. */
static void check_escape(const char *in)
{
	size_t need = strlen(in) * 3 + 1, o = 0;
	char *out = malloc(need), *back = malloc(strlen(in) + 1);
	int n;

	if (out == NULL || back == NULL)
		abort();
	n = orgrbac_filter_escape(in, out, need);
	if (n < 0 || (size_t)n != strlen(out))
		abort();
	for (size_t i = 0; out[i] != '\0'; i++) {
		unsigned char c = (unsigned char)out[i];

		if (c == '*' || c == '(' || c == ')' || c >= 0x80)
			abort();
		if (c == '\\') {
			if (hex(out[i + 1]) < 0 || hex(out[i + 2]) < 0)
				abort();
			back[o++] = (char)(hex(out[i + 1]) * 16 + hex(out[i + 2]));
			i += 2;
		} else {
			back[o++] = (char)c;
		}
	}
	back[o] = '\0';
	if (strcmp(back, in) != 0)
		abort();
	/* too small a buffer is refused, never overrun */
	if (need > 1 && n > 0 && orgrbac_filter_escape(in, out, (size_t)n) != -1)
		abort();
	free(out);
	free(back);
}

static void check_printable(const char *in)
{
	char out[64];

	orgrbac_printable(in, out, sizeof(out));
	if (strlen(out) >= sizeof(out))
		abort();
	for (size_t i = 0; out[i] != '\0'; i++)
		if ((unsigned char)out[i] < 0x20 || (unsigned char)out[i] >= 0x7f)
			abort();
}

static void check_name(const char *in)
{
	const char *why = NULL;

	if (!orgrbac_username_valid(in, &why)) {
		if (why == NULL)
			abort();
		return;
	}
	if (in[0] == '\0' || in[0] == '-' || strlen(in) > ORGRBAC_USER_MAX ||
	    strpbrk(in, ":,*()\\/ \t\n\r\x7f") != NULL)
		abort();
	for (const unsigned char *p = (const unsigned char *)in; *p != '\0'; p++)
		if (*p < 0x20)
			abort();
}

/* A DN under a fixed base: normalisation, containment and the organization below the base. */
static void check_dn(const char *in)
{
	static const char base_dn[] = "dc=example,dc=com";
	struct orgrbac_config cfg = {.base = (char *)base_dn};
	orgrbac_error err = {{0}};
	struct load s = {.cfg = &cfg, .err = &err};
	struct orgrbac_facts f = {.dn = (char *)in};
	struct dn d;

	if (dn_parse(in, &d) != 0)
		return;
	for (size_t i = 0; d.str[i] != '\0'; i++)
		if (d.str[i] >= 'A' && d.str[i] <= 'Z')
			abort();
	if (!dn_same(in, in))
		abort();
	if (dn_parse(base_dn, &s.base) != 0)
		abort();
	s.f = &f;
	if (dn_below(&d, &s.base)) {
		int rc = find_org(&s);

		if (rc == ORGRBAC_DIR_FOUND && (f.org == NULL || s.org_dn == NULL))
			abort();
		if (rc != ORGRBAC_DIR_FOUND && err.msg[0] == '\0')
			abort();
	}
	free(f.org);
	if (s.org_dn != NULL)
		ldap_memfree(s.org_dn);
	dn_free(&s.org);
	dn_free(&s.base);
	dn_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_name(s);
	check_escape(s);
	check_printable(s);
	check_dn(s);
	free(s);
	return 0;
}
