/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the snapshot reader over arbitrary (resealed) bytes, then every lookup on what
 * it accepts, groups and passwd entries. */
#include <grp.h>
#include <pwd.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot.h"
#include "snapshot_format.h"
#include "snapshot_passwd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The passwd database: every entry of the table, each one found again by name and by uid. */
static void passwd_lookups(const struct orgrbac_snapshot *s, int64_t now, char *buf, size_t len)
{
	size_t n = orgrbac_snapshot_count_passwd(s);
	struct passwd pw;
	char name[256];

	for (size_t i = 0; i < n && i < 64; i++) {
		if (orgrbac_snapshot_passwd_at(s, i, now, &pw, buf, len) != ORGRBAC_PW_OK)
			continue;
		snprintf(name, sizeof(name), "%s", pw.pw_name);
		orgrbac_snapshot_getpwuid(s, (uint32_t)pw.pw_uid, now, &pw, buf, len);
		orgrbac_snapshot_getpwnam(s, name, now, &pw, buf, 8); /* ERANGE on the way */
		orgrbac_snapshot_getpwnam(s, name, now, &pw, buf, len);
	}
	orgrbac_snapshot_getpwnam(s, "alice", now, &pw, buf, len);
	orgrbac_snapshot_getpwuid(s, 10001, now, &pw, buf, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct orgrbac_snapshot *s = NULL;
	orgrbac_error err;
	struct group gr;
	char buf[256];
	int64_t now;
	size_t n;

	/* The reader wants the alignment a mapping has; libFuzzer's buffer has none. */
	void *copy = malloc(size > 0 ? size : 1);

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	/*
	 * Reseal the checksum, as the writer would: a mutation must reach the
	 * checks of offsets, counts and order, not die at the checksum (whose
	 * refusal the unit tests cover).
	 */
	if (size >= sizeof(struct orgrbac_snap_header)) {
		struct orgrbac_snap_header h;

		memcpy(&h, copy, sizeof(h));
		/* what the checksum covers: bytes 32 up to the principals' index */
		h.checksum = orgrbac_snap_checksum(
		    (const unsigned char *)copy + 32,
		    h.principals.off >= 32 && h.principals.off <= size ? h.principals.off - 32
								       : size - 32);
		memcpy(copy, &h, sizeof(h));
	}
	if (orgrbac_snapshot_from_buffer(copy, size, &s, &err) != 0) {
		free(copy);
		return 0;
	}
	now = orgrbac_snapshot_synced_at(s);
	n = orgrbac_snapshot_count_roles(s);
	for (size_t i = 0; i < n && i < 64; i++) {
		uint32_t gid = 0;
		const char *cn = NULL, *name = orgrbac_snapshot_role(s, i, &gid, &cn);

		if (name == NULL)
			abort(); /* every index below the count has a role */
		if (orgrbac_snapshot_find_name(s, name) < 0 ||
		    orgrbac_snapshot_find_gid(s, gid) < 0)
			abort(); /* what the reader accepted, it must find */
		for (size_t k = 0; orgrbac_snapshot_privilege(s, i, k) != NULL && k < 64; k++)
			;
		if (orgrbac_snapshot_group(s, i, now, &gr, buf, sizeof(buf)) == ORGRBAC_SNAP_OK) {
			for (char **m = gr.gr_mem; *m != NULL; m++) {
				long start = 0, gsize = 1;
				gid_t *groups = calloc(1, sizeof(*groups));

				if (groups == NULL)
					break;
				orgrbac_snapshot_holds_role(s, i, *m, now);
				orgrbac_snapshot_initgroups(s, *m, (gid_t)-1, now, &start, &gsize,
							    &groups, 64);
				free(groups);
			}
		}
	}
	passwd_lookups(s, now, buf, sizeof(buf));
	orgrbac_snapshot_find_name(s, "org-admin");
	orgrbac_snapshot_find_gid(s, 20002);
	orgrbac_snapshot_close(s);
	free(copy);
	return 0;
}
