/* SPDX-License-Identifier: BSD-2-Clause */
/* What admin_external.c and admin_external_read.c share, and nothing else does. */
#ifndef ORGRBAC_ADMIN_EXTERNAL_INT_H
#define ORGRBAC_ADMIN_EXTERNAL_INT_H

#include "admin_external.h"

/*
 * Where the organization keeps external entries: the subtree they are found
 * in (o=ORG,BASE) and where new ones go (ou=external,o=ORG,BASE). -1 with err
 * set for the platform (external entries belong to an organization) or on
 * ENOMEM.
 */
int orgrbac_external_place(const struct orgrbac_admin *a, char **search_base, char **parent,
			   orgrbac_error *err);

/*
 * The external entries under `base` matching `filter`, sorted by name, judged
 * at `now`; a `base` that is not there (or hidden) is an error, or (absent_ok)
 * no entries.
 */
enum orgrbac_admin_status orgrbac_external_find(const struct orgrbac_admin *a, const char *base,
						const char *filter, int64_t now, bool absent_ok,
						struct orgrbac_external_info **out, size_t *n,
						orgrbac_error *err);

/*
 * The entry NAME of the organization: DONE, REFUSED (none; with absent_ok
 * also when the organization is not there or hidden) or ERROR (several, or
 * failed).
 */
enum orgrbac_admin_status orgrbac_external_one(const struct orgrbac_admin *a, const char *name,
					       int64_t now, bool absent_ok,
					       struct orgrbac_external_info *out,
					       orgrbac_error *err);

/*
 * What lies beneath `dn` (not itself): *n_beneath entries; *out the uid of
 * each that has one, or (want_dns) every DN, sorted, NULL-terminated.
 */
enum orgrbac_admin_status orgrbac_external_beneath(const struct orgrbac_admin *a, const char *dn,
						   bool want_dns, char ***out, size_t *n_out,
						   size_t *n_beneath, orgrbac_error *err);

#endif
