/* SPDX-License-Identifier: BSD-2-Clause */
/* The snapshot's decision part: every principal the host can see, with its facts, from the image.
 */
#ifndef ORGRBAC_REPLICA_H
#define ORGRBAC_REPLICA_H

#include "hostview.h"
#include "policy.h"
#include "util.h"

/*
 * Fill v's principals and identity from the whole directory, for `host`.
 * The host sees:
 *   - every principal of its organization, with its facts as the live
 *     decision reads them (orgrbac_image_facts), keeping only the grants
 *     that can count here: the organization's and the platform's whose
 *     scope covers the host, and the void ones (they explain a refusal);
 *   - a principal of another organization in the same way, but with the
 *     platform grants only (its home grants never count abroad);
 *   - a login name that several entries hold, or whose entry lies outside
 *     every organization, as refused, with the reason the live decision
 *     gives.
 * Every other organization's principal is kept because the live decision
 * refuses it (PAM_PERM_DENIED, or EXPIRED from its external access) rather
 * than not knowing it; without platform grants its record is small (its
 * DN, organization and external-access entries). 0, or -1 with err.
 */
int orgrbac_replica_fill(const struct orgrbac_image *img, const struct orgrbac_host *host,
			 struct orgrbac_view *v, orgrbac_error *err);

#endif
