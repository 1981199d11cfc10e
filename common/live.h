/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The live library: the live decision (evaluate.c with common/ldap, libldap
 * and its TLS) in a shared object of its own, which pam_orgrbac.so opens
 * with dlopen only for `[pam] source = live`, so that a host deciding from
 * the snapshot never loads libldap into sshd or sudo. It lies beside the
 * module, in the build tree (libtool's .libs) as installed, and exports this
 * one entry point (pam_orgrbac/orgrbac_live.map).
 */
#ifndef ORGRBAC_LIVE_H
#define ORGRBAC_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "gate.h"

/* The file name, in the module's own directory. */
#define ORGRBAC_LIVE_LIBRARY "orgrbac_live.so"
/* The entry point's name; a new version of the interface renames it. */
#define ORGRBAC_LIVE_ENTRY "orgrbac_live_evaluate_v1"

/*
 * orgrbac_evaluate, with the sizes of the caller's configuration and
 * evaluation: a library built from other sources than the module refuses
 * (ORGRBAC_EVAL_CONFIG) rather than read them wrong.
 */
typedef void orgrbac_live_evaluate_fn(size_t cfg_size, size_t ev_size,
				      const struct orgrbac_config *cfg, const char *user,
				      const char *require, int64_t now, bool trust_any_owner,
				      struct orgrbac_evaluation *ev);

orgrbac_live_evaluate_fn orgrbac_live_evaluate_v1;

/*
 * The live library's directory and path beside `module_file`, the module's
 * absolute path; -1 with err when it is not absolute or the paths do not fit.
 */
int orgrbac_live_place(const char *module_file, char *dir, size_t dir_len, char *path,
		       size_t path_len, orgrbac_error *err);

/*
 * May the module load it: the file a regular file of root's (of anyone's
 * with `any_owner`) that no one else can write, its directory likewise;
 * 0, or -1 with the reason in err. What the module checks before dlopen,
 * and what `orgrbac doctor` checks for `source = live`.
 */
int orgrbac_live_trusted(const char *dir, const char *path, bool any_owner, orgrbac_error *err);

#endif
