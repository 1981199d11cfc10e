/* SPDX-License-Identifier: BSD-2-Clause */
/* Who pam_orgrbac must not judge: its ignore_users= argument, the configuration's, the floor. */
#include <string.h>

#include "exempt.h"

/* Is `name` one of the comma-separated names of `list`? */
static bool listed(const char *list, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = list; p != NULL && *p != '\0';) {
		size_t n = strcspn(p, ",");

		if (n == len && memcmp(p, name, len) == 0)
			return true;
		p += n;
		if (*p == ',')
			p++;
	}
	return false;
}

enum orgrbac_exempt orgrbac_exempt(const struct orgrbac_config *cfg, const char *arg_users,
				   const char *user, orgrbac_uid0_fn uid0)
{
	if (user == NULL || user[0] == '\0')
		return ORGRBAC_JUDGED;
	if (listed(arg_users, user))
		return ORGRBAC_EXEMPT_ARGUMENT;
	if (cfg != NULL)
		return orgrbac_config_ignored(cfg, user) ? ORGRBAC_EXEMPT_CONFIG : ORGRBAC_JUDGED;
	if (strcmp(user, ORGRBAC_FLOOR_USER) == 0 && uid0 != NULL && uid0(user))
		return ORGRBAC_EXEMPT_FLOOR;
	return ORGRBAC_JUDGED;
}

const char *orgrbac_exempt_reason(enum orgrbac_exempt why)
{
	switch (why) {
	case ORGRBAC_EXEMPT_ARGUMENT: return "listed in the module's ignore_users= argument";
	case ORGRBAC_EXEMPT_CONFIG: return "listed in ignore_users";
	case ORGRBAC_EXEMPT_FLOOR:
		return "root (uid 0), the built-in floor while the configuration or the arguments "
		       "cannot be used";
	default: return "";
	}
}
