/* SPDX-License-Identifier: BSD-2-Clause */
/* `orgrbac review`: every principal with any role on a host, from when to when. */
#ifndef ORGRBAC_REVIEW_H
#define ORGRBAC_REVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hostview.h"
#include "policy.h"

/* One role a principal holds on the host, through one grant, and when. */
struct orgrbac_review_row {
	const struct orgrbac_grant *grant;     /* NULL: full access through its external entries */
	const struct orgrbac_img_grant *entry; /* the grant's entry: who made and changed it */
	int64_t from, until; /* the grant's window within the external one; ORGRBAC_TIME_MIN/MAX */
	bool ends_soon;	     /* until falls within the --expiring horizon */
};

struct orgrbac_review_entry {
	struct orgrbac_facts *facts;
	struct orgrbac_review_row *rows;
	size_t n_rows;
};

/*
 * The window the external entries above the principal leave open, nearest
 * first; false when one is closed (unreadable, disabled, of no known kind,
 * a window without both bounds). *full: every entry above it is external
 * and none lets the organization manage its roles (full access within the
 * window).
 */
bool orgrbac_external_window(const struct orgrbac_facts *f, int64_t *from, int64_t *until,
			     bool *full);

struct orgrbac_review {
	struct orgrbac_review_entry *e; /* sorted by login name */
	size_t n, cap;
};

/*
 * Every principal that holds a role on `host` now or later: for its own
 * organization's hosts, the readable grants of its organization and the
 * platform whose role exists and whose scope covers the host; on another
 * organization's host, only platform grants and only while it may cross
 * (as orgrbac_decide judges at `now`). Windows over at `now` and external
 * entries that are closed drop out; each row ends_soon when it ends before
 * now + horizon (horizon 0: none does). 0, or -1 with err.
 */
int orgrbac_review_run(const struct orgrbac_image *img, const struct orgrbac_host *host,
		       const char *cross_org_privilege, int64_t now, int64_t horizon,
		       struct orgrbac_review *out, orgrbac_error *err);
void orgrbac_review_free(struct orgrbac_review *r);

/* "30m", "12h", "7d", "2w", "90s" -> seconds; 0, or -1 when it is none of these. */
int orgrbac_duration_parse(const char *s, int64_t *out);

#endif
