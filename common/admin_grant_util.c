/* SPDX-License-Identifier: BSD-2-Clause */
/* The pure parts of grants: times as given, the generated name, sets compared. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_grant.h"
#include "dn.h"
#include "gtime.h"
#include "review.h"

/* Append `s` to buf as [a-z0-9] runs joined by single '-', within `cap` bytes. */
static void slug(char *buf, size_t cap, const char *s)
{
	size_t len = strlen(buf);
	bool dash = len > 0;

	for (const unsigned char *p = (const unsigned char *)s; *p != '\0' && len < cap; p++) {
		unsigned char c = *p;

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && len > 0 && len + 1 < cap)
				buf[len++] = '-';
			dash = false;
			buf[len++] = (char)c;
		} else {
			dash = true;
		}
	}
	buf[len] = '\0';
}

static uint32_t fnv(uint32_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		h ^= *p;
		h *= 16777619u;
	}
	h ^= 0xff; /* a separator no value holds */
	return h * 16777619u;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The values sorted (normalized as DNs when `dn`), hashed in; -1 on ENOMEM or a bad DN. */
static int hash_set(uint32_t *h, char *const *v, size_t n, bool dn)
{
	char **c = calloc(n + 1, sizeof(*c));
	int rc = 0;

	if (c == NULL)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		c[i] = dn ? orgrbac_dn_norm(v[i]) : orgrbac_strdup(v[i]);
		if (c[i] == NULL)
			rc = -1;
	}
	if (rc == 0) {
		qsort(c, n, sizeof(*c), str_cmp);
		for (size_t i = 0; i < n; i++)
			if (i == 0 || strcmp(c[i], c[i - 1]) != 0)
				*h = fnv(*h, c[i]);
	}
	for (size_t i = 0; i < n; i++)
		free(c[i]);
	free(c);
	return rc;
}

int orgrbac_grant_cn(const char *role_name, const char *role_dn, char *const *names,
		     char *const *grantee_dns, size_t n_grantees, char *const *scopes,
		     size_t n_scopes, char *buf, size_t len)
{
	uint32_t h = 2166136261u;
	char *role;
	size_t cap = ORGRBAC_GRANT_CN_MAX - 9; /* room for "-" and 8 hex digits */

	if (len < ORGRBAC_GRANT_CN_MAX + 1)
		goto fail;
	role = orgrbac_dn_norm(role_dn);
	if (role == NULL)
		goto fail;
	h = fnv(h, role);
	free(role);
	if (hash_set(&h, grantee_dns, n_grantees, true) != 0)
		goto fail;
	h = fnv(h, "\x01");
	if (hash_set(&h, scopes, n_scopes, false) != 0)
		goto fail;
	buf[0] = '\0';
	if (n_grantees > 0)
		slug(buf, cap, names[0]);
	if (n_grantees > 1) {
		char more[32];

		snprintf(more, sizeof(more), "and %zu more", n_grantees - 1);
		slug(buf, cap, more);
	}
	slug(buf, cap, role_name);
	for (size_t i = 0; i < n_scopes; i++) {
		const char *colon = strchr(scopes[i], ':');

		slug(buf, cap, colon != NULL ? colon + 1 : scopes[i]);
	}
	snprintf(buf + strlen(buf), len - strlen(buf), "%s%08x", buf[0] != '\0' ? "-" : "",
		 (unsigned)h);
	return 0;
fail:
	if (len > 0)
		buf[0] = '\0';
	return -1;
}

/* Is every value of a in b? */
static bool subset(char *const *a, size_t na, char *const *b, size_t nb, bool dn)
{
	for (size_t i = 0; i < na; i++) {
		bool found = false;

		for (size_t j = 0; j < nb && !found; j++)
			found = dn ? orgrbac_dn_same(a[i], b[j]) : strcmp(a[i], b[j]) == 0;
		if (!found)
			return false;
	}
	return true;
}

bool orgrbac_dn_sets_equal(char *const *a, size_t na, char *const *b, size_t nb)
{
	return subset(a, na, b, nb, true) && subset(b, nb, a, na, true);
}

bool orgrbac_str_sets_equal(char *const *a, size_t na, char *const *b, size_t nb)
{
	return subset(a, na, b, nb, false) && subset(b, nb, a, na, false);
}
