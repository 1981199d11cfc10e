/* SPDX-License-Identifier: BSD-2-Clause */
/* The host configuration, /etc/orgrbac.conf, shared by the modules and the CLI. */
#ifndef ORGRBAC_CONFIG_H
#define ORGRBAC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

#ifndef ORGRBAC_CONFIG_PATH
#define ORGRBAC_CONFIG_PATH "/etc/orgrbac.conf"
#endif

#define ORGRBAC_MAX_URIS    8
#define ORGRBAC_TIMEOUT_MAX 60 /* seconds */

/*
 * The sections and settings a file may have, each counted once: more than a
 * valid file can have (5 fixed sections, each of their keys, 256 [service
 * NAME] sections with their require).
 */
#define ORGRBAC_CONF_ENTRIES_MAX 1024

enum orgrbac_offline {
	ORGRBAC_OFFLINE_DENY = 0,
	ORGRBAC_OFFLINE_SNAPSHOT,
};

/* [pam] source: where the account decision and the 2FA exemption are read. */
enum orgrbac_source {
	ORGRBAC_SOURCE_LIVE = 0, /* the directory, at each login */
	ORGRBAC_SOURCE_SNAPSHOT, /* the snapshot's decision part (DESIGN.md section 5) */
};

/* [nss] users: whom the passwd database serves (DESIGN.md section 5). */
enum orgrbac_nss_users {
	ORGRBAC_NSS_USERS_HOLDERS = 0, /* principals holding a role on this host, while they do */
	ORGRBAC_NSS_USERS_ALL,	       /* every principal of the host's organization */
};

struct orgrbac_service_conf {
	char *name;    /* [service NAME], lower-cased */
	char *require; /* expression text, validated at load */
};

struct orgrbac_config {
	char *path; /* the file this was read from */

	/* [ldap] */
	char **uris; /* NULL-terminated, 1..ORGRBAC_MAX_URIS */
	size_t n_uris;
	char *base;
	char *bind_dn;		  /* NULL: anonymous */
	char *bind_password_file; /* NULL: none; required with bind_dn */
	char *tls_ca_file;	  /* NULL: the system default */
	bool starttls;		  /* default no */
	bool allow_insecure;	  /* default no */
	int timeout;		  /* seconds, 1..ORGRBAC_TIMEOUT_MAX, default 3 */

	/* [host] */
	char *org;	 /* required */
	char **services; /* NULL-terminated, possibly empty */
	size_t n_services;
	char *resource; /* default: gethostname(), never a DNS answer */

	/* [pam] */
	char *default_require;	   /* NULL: a service without require= is an error */
	char *mfa_exempt_role;	   /* default "2FA-exempt" */
	char *cross_org_privilege; /* default "common:org:cross" */
	char **ignore_users;	   /* NULL-terminated, default { "root" } */
	size_t n_ignore_users;
	enum orgrbac_source source;   /* default live */
	enum orgrbac_offline offline; /* default deny */
	long offline_max_age;	      /* seconds, default 3600 */

	/* [service NAME] */
	struct orgrbac_service_conf *svc;
	size_t n_svc;

	/* [nss] */
	char *snapshot;		      /* default /var/lib/orgrbac/snapshot.db */
	char *group_prefix;	      /* default "" */
	long max_age;		      /* seconds, default 3600 */
	long gid_min;		      /* default 1000 */
	enum orgrbac_nss_users users; /* passwd entries: default holders */
	long uid_min;		      /* no passwd entry below it; default 1000 */

	/* [follow] */
	long keepalive_idle; /* seconds quiet before the first TCP keepalive probe, default 30 */
	long retry_max;	     /* seconds, the longest wait between reconnects, default 3 */
};

/*
 * Read and validate `path` (NULL: ORGRBAC_CONFIG_PATH). Defaults first, then
 * the file. The file must be a regular file owned by root and not writable by
 * group or others (skipped when `trust_any_owner`, for tests run as non-root).
 * Any error - unreadable file, syntax error, unknown section or key, bad value,
 * a bind_password_file that is not root-owned and private - returns -1 and
 * fills err with "PATH:LINE: [section] key: what is wrong" (LINE where known).
 */
int orgrbac_config_load(const char *path, bool trust_any_owner, struct orgrbac_config **out,
			orgrbac_error *err);
void orgrbac_config_free(struct orgrbac_config *cfg);

/*
 * The requirement text for a service: the [service NAME] require, else
 * default_require, else NULL (a configuration error for the caller).
 * Service names compare case-insensitively.
 */
const char *orgrbac_config_require(const struct orgrbac_config *cfg, const char *service);

/* Is `user` listed in ignore_users (exact, byte for byte)? */
bool orgrbac_config_ignored(const struct orgrbac_config *cfg, const char *user);

/*
 * Read the bind password named by bind_password_file: root-owned, mode
 * without group/other bits, first line only, trailing newline removed. The
 * caller wipes it with orgrbac_wipe and frees it. 0 or -1 with err.
 */
int orgrbac_config_read_secret(const struct orgrbac_config *cfg, bool trust_any_owner,
			       char **secret, orgrbac_error *err);

#endif
