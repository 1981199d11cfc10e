/* SPDX-License-Identifier: BSD-2-Clause */
/* The host's OS groups: a role's group name, whether a name is usable, the groups of /etc/group. */
#include <stdlib.h>
#include <string.h>

#include "osgroup.h"
#include "util.h"

char *orgrbac_group_name_derive(const char *prefix, const char *cn)
{
	size_t plen = prefix != NULL ? strlen(prefix) : 0, n = 0;
	char *out;
	bool dash = false;

	if (cn == NULL || strlen(cn) > ORGRBAC_GROUP_NAME_MAX)
		return NULL;
	out = malloc(plen + strlen(cn) + 1);
	if (out == NULL)
		return NULL;
	if (plen > 0)
		memcpy(out, prefix, plen);
	n = plen;
	for (const unsigned char *p = (const unsigned char *)cn; *p != '\0'; p++) {
		unsigned char c = *p;

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
			out[n++] = (char)c;
			dash = false;
		} else if (!dash) {
			out[n++] = '-';
			dash = true;
		}
	}
	out[n] = '\0';
	return out;
}

bool orgrbac_group_name_valid(const char *name)
{
	size_t n;

	if (name == NULL || name[0] == '\0' || name[0] == '-')
		return false;
	n = strlen(name);
	if (n > ORGRBAC_GROUP_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.'))
			return false;
	}
	return true;
}

int orgrbac_local_groups_parse(const char *text, struct orgrbac_local_group **out, size_t *n)
{
	struct orgrbac_local_group *v = NULL;
	size_t count = 0, cap = 0;
	const char *line = text;

	*out = NULL;
	*n = 0;
	while (line != NULL && *line != '\0') {
		const char *end = strchr(line, '\n'), *c1, *c2, *c3;
		size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
		char gidbuf[16], *ep;
		unsigned long gid;

		c1 = memchr(line, ':', len);
		c2 = c1 != NULL ? memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - line)) : NULL;
		c3 = c2 != NULL ? memchr(c2 + 1, ':', len - (size_t)(c2 + 1 - line)) : NULL;
		if (c3 != NULL && c1 > line && (size_t)(c3 - c2 - 1) < sizeof(gidbuf) &&
		    c3 - c2 > 1) {
			memcpy(gidbuf, c2 + 1, (size_t)(c3 - c2 - 1));
			gidbuf[c3 - c2 - 1] = '\0';
			gid = strtoul(gidbuf, &ep, 10);
			if (*ep == '\0' && gid <= UINT32_MAX) {
				struct orgrbac_local_group *g =
				    orgrbac_grow(v, &cap, count + 1, sizeof(*v));

				if (g == NULL)
					goto nomem;
				v = g;
				v[count].name = strndup(line, (size_t)(c1 - line));
				if (v[count].name == NULL)
					goto nomem;
				v[count++].gid = (uint32_t)gid;
			}
		}
		line = end != NULL ? end + 1 : NULL;
	}
	*out = v;
	*n = count;
	return 0;
nomem:
	orgrbac_local_groups_free(v, count);
	return -1;
}

void orgrbac_local_groups_free(struct orgrbac_local_group *g, size_t n)
{
	for (size_t i = 0; g != NULL && i < n; i++)
		free(g[i].name);
	free(g);
}
