/* SPDX-License-Identifier: BSD-2-Clause */
/* The host's OS groups: a role's group name, whether a name is usable, the groups of /etc/group. */
#ifndef ORGRBAC_OSGROUP_H
#define ORGRBAC_OSGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A group that already exists on the host (from /etc/group). */
struct orgrbac_local_group {
	char *name;
	uint32_t gid;
};

/* "Org Admin" -> "org-admin": lower case, runs outside [a-z0-9_-] become one '-'. */
char *orgrbac_group_name_derive(const char *prefix, const char *cn);

/* Is `name` usable as a group name: 1..255 bytes of [A-Za-z0-9_.-], not starting with '-'? */
bool orgrbac_group_name_valid(const char *name);

/*
 * Parse /etc/group text (name:passwd:gid:members lines) into local groups;
 * lines that do not parse are skipped. 0, or -1 on ENOMEM.
 */
int orgrbac_local_groups_parse(const char *text, struct orgrbac_local_group **out, size_t *n);
void orgrbac_local_groups_free(struct orgrbac_local_group *g, size_t n);

#endif
