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

#endif
