/* SPDX-License-Identifier: BSD-2-Clause */
/* The snapshot's decision part: every principal the host can see, with its facts, from the image.
 */
#ifndef ORGRBAC_REPLICA_H
#define ORGRBAC_REPLICA_H

#include "config.h"
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
 * DN, organization and external-access entries).
 *
 * Each principal's facts are sealed into `rec` as soon as they are read
 * (orgrbac_snap_records_seal) and freed: v->principals[i].facts stays NULL,
 * and the view is written with orgrbac_snapshot_write_sealed and `rec`. With
 * `pp`, the passwd database's part is decided on the way, as
 * orgrbac_replica_passwd does; without, nobody is served. 0, or -1 with err.
 */
struct orgrbac_passwd_params;
struct orgrbac_snap_records;
int orgrbac_replica_fill(const struct orgrbac_image *img, const struct orgrbac_host *host,
			 const struct orgrbac_passwd_params *pp, struct orgrbac_snap_records *rec,
			 struct orgrbac_view *v, orgrbac_error *err);

/* What decides which principals the passwd database serves. */
struct orgrbac_passwd_params {
	const struct orgrbac_view_params *view;	 /* the host, and where left-out users are told */
	enum orgrbac_nss_users users;		 /* [nss] users */
	long uid_min;				 /* [nss] uid_min */
	const struct orgrbac_local_group *local; /* /etc/passwd: names and uids (gid: the uid) */
	size_t n_local;
	char *const *shells; /* /etc/shells; NULL: no shell is allowed but the empty one */
	size_t n_shells;
};

/*
 * Mark which of v's principals the passwd database serves, and when
 * (posix.served, from, until). Only principals of the host's organization
 * with posixAccount attributes are served: with `holders`, from the first
 * role they hold on the host (a grant covering it, or full external access)
 * to the last one's end, within their external access; with `all`, while
 * their external access (if any) is open. Left out, and told through
 * p->view's left_out: a user with uidNumber 0 or below uid_min, gidNumber 0,
 * a name or uid /etc/passwd holds, the name root, a home that is not an
 * absolute path other than /, a shell neither empty nor in /etc/shells, a
 * field with ':' or a control character (a gecos such is served empty), and
 * every user whose uidNumber another user of the organization holds too
 * (none of them is served). It reads the principals' facts: a principal
 * sealed without them (orgrbac_replica_fill) is not served; fill decides
 * the same with its `pp`. Pure.
 */
void orgrbac_replica_passwd(struct orgrbac_view *v, const struct orgrbac_passwd_params *p);

#endif
