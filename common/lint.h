/* SPDX-License-Identifier: BSD-2-Clause */
/* `orgrbac lint`: what in the whole directory is wrong or dead, each finding with its entry and
 * fix. */
#ifndef ORGRBAC_LINT_H
#define ORGRBAC_LINT_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "hostview.h"
#include "osgroup.h"

struct orgrbac_lint_finding {
	const char *check; /* a short fixed name: "grant-role", "group-cycle", ... */
	char *dn;	   /* the entry (or for a [service] requirement, the section) */
	char *what;
	char *fix;
};

struct orgrbac_lint {
	struct orgrbac_lint_finding *f;
	size_t n, cap;
};

struct orgrbac_lint_params {
	int64_t now;
	long gid_min; /* gids below it are findings; 1000 */
	const char *group_prefix;
	const struct orgrbac_local_group *local; /* the host's /etc/group */
	size_t n_local;
	const struct orgrbac_service_conf *svc; /* the [service NAME] requirements */
	size_t n_svc;
	const char *default_require; /* [pam] default_require, or NULL */
};

/*
 * Judge the image: grants naming missing roles or principals, void grants,
 * windows that end before they start or are over, one uid in several
 * organizations, gid collisions and gids below gid_min, role group names
 * that shadow a local group, privileges a [service] requirement uses and no
 * role holds, roles no grant gives, `window` external entries without a
 * window, group cycles. Pure. 0, or -1 out of memory.
 */
int orgrbac_lint_run(const struct orgrbac_image *img, const struct orgrbac_lint_params *p,
		     struct orgrbac_lint *out);
void orgrbac_lint_free(struct orgrbac_lint *l);

#endif
