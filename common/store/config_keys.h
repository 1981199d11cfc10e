/* SPDX-License-Identifier: BSD-2-Clause */
/* The keys of /etc/orgrbac.conf and the checks of their values, for the loader in config.c. */
#ifndef ORGRBAC_CONFIG_KEYS_H
#define ORGRBAC_CONFIG_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "util.h"

#define ORGRBAC_CONF_NAME_MAX 255 /* org, resource, service and host group names */

enum orgrbac_conf_section {
	ORGRBAC_SEC_NONE, /* keys before the first [section] */
	ORGRBAC_SEC_LDAP,
	ORGRBAC_SEC_HOST,
	ORGRBAC_SEC_PAM,
	ORGRBAC_SEC_SERVICE,
	ORGRBAC_SEC_NSS,
	ORGRBAC_SEC_FOLLOW,
	ORGRBAC_SEC_UNKNOWN,
	ORGRBAC_SEC_BAD_SERVICE,
};

/* The file being read and the configuration it fills. */
struct orgrbac_conf_ctx {
	const char *path;
	struct orgrbac_config *cfg;
	orgrbac_error *err;
};

/* Where a value came from, for the error message. */
struct orgrbac_conf_where {
	unsigned line; /* 0: not found */
	const char *sec;
	const char *key;
};

struct orgrbac_conf_key;
typedef int (*orgrbac_conf_setter)(const struct orgrbac_conf_ctx *c,
				   const struct orgrbac_conf_key *def,
				   const struct orgrbac_conf_where *w, const char *value);

/* A key of a fixed section: how its value is checked and where it goes. */
struct orgrbac_conf_key {
	enum orgrbac_conf_section sec;
	const char *key;
	orgrbac_conf_setter set;
	size_t off; /* of the field in struct orgrbac_config */
	unsigned long long min, max;
};

/* The key `key` of a fixed section, or NULL. */
const struct orgrbac_conf_key *orgrbac_conf_key_find(enum orgrbac_conf_section sec,
						     const char *key);

/* How many keys the fixed sections have. */
size_t orgrbac_conf_n_keys(void);

/*
 * Fill the error with "PATH:LINE: [section] key: what is wrong (value 'x')",
 * each part only where known (w may be NULL). Returns -1.
 */
int orgrbac_conf_bad(const struct orgrbac_conf_ctx *c, const struct orgrbac_conf_where *w,
		     const char *value, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* "PATH: out of memory". Returns -1. */
int orgrbac_conf_oom(const struct orgrbac_conf_ctx *c);

/* Replace *dst with a copy of value. 0, or -1 with the error. */
int orgrbac_conf_store(const struct orgrbac_conf_ctx *c, char **dst, const char *value);

/* Is `value` a valid privilege expression? 0, or -1 with the error. */
int orgrbac_conf_check_expr(const struct orgrbac_conf_ctx *c, const struct orgrbac_conf_where *w,
			    const char *value);

/* 1 to ORGRBAC_CONF_NAME_MAX of A-Z a-z 0-9 . _ - */
bool orgrbac_conf_name_valid(const char *s);

/* Do the `alen` bytes at `a` spell `b`, ignoring ASCII case? */
bool orgrbac_conf_same_nocase(const char *a, size_t alen, const char *b);

#endif
