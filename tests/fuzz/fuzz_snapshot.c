/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the snapshot reader over arbitrary bytes (header resealed, records and blocks
 * too unless the last byte is odd), then every lookup on what it accepts, groups, passwd entries
 * and principals' facts. */
#include <grp.h>
#include <pwd.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot.h"
#include "snapshot_facts.h"
#include "snapshot_format.h"
#include "snapshot_passwd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The header's checksum, as the writer sets it (format 3: the header alone). */
static void reseal_header(unsigned char *p)
{
	struct orgrbac_snap_header h;

	memcpy(&h, p, sizeof(h));
	h.checksum =
	    orgrbac_snap_checksum(p + SNAP_HEADER_SUMMED, SNAP_HEADER_SIZE - SNAP_HEADER_SUMMED);
	memcpy(p, &h, sizeof(h));
}

/* Entry i's record checksum (a role's or a user's), when its record lies in the records. */
static void reseal_record(unsigned char *p, const struct orgrbac_snap_header *h, uint32_t off,
			  uint32_t len, uint64_t *sum)
{
	if ((uint64_t)off + len <= h->regions.n)
		*sum = orgrbac_snap_region_sum(p + h->regions.off + off,
					       (uint64_t)h->regions.off + off, len);
}

/* One table's block checksums from sums[*k] on. */
static void reseal_blocks(unsigned char *p, const struct orgrbac_snap_header *h, uint32_t off,
			  size_t n, size_t size, size_t *k)
{
	for (size_t first = 0; first < n; first += SNAP_BLOCK, (*k)++) {
		size_t bytes = (n - first < SNAP_BLOCK ? n - first : SNAP_BLOCK) * size;
		uint64_t sum =
		    orgrbac_snap_region_sum(p + off + first * size, off + first * size, bytes);

		memcpy(p + h->sums.off + *k * 8, &sum, 8);
	}
}

/*
 * Every record's and block's checksum, as the writer would, over a buffer
 * whose header the reader accepted (so every section lies in it): a
 * mutation must reach the checks of counts, strings and windows inside the
 * records, not die at a checksum (whose refusal the unit tests cover).
 */
static void reseal_group_part(unsigned char *p)
{
	struct orgrbac_snap_header h;
	size_t k = 0;

	memcpy(&h, p, sizeof(h));
	for (size_t i = 0; i < h.roles.n; i++) {
		struct orgrbac_snap_role e;

		memcpy(&e, p + h.roles.off + i * SNAP_ROLE_SIZE, sizeof(e));
		reseal_record(p, &h, e.off, e.len, &e.sum);
		memcpy(p + h.roles.off + i * SNAP_ROLE_SIZE, &e, sizeof(e));
	}
	for (size_t i = 0; i < h.users.n; i++) {
		struct orgrbac_snap_user e;

		memcpy(&e, p + h.users.off + i * SNAP_USER_SIZE, sizeof(e));
		reseal_record(p, &h, e.off, e.len, &e.sum);
		memcpy(p + h.users.off + i * SNAP_USER_SIZE, &e, sizeof(e));
	}
	reseal_blocks(p, &h, h.users.off, h.users.n, SNAP_USER_SIZE, &k);
	reseal_blocks(p, &h, h.roles.off, h.roles.n, SNAP_ROLE_SIZE, &k);
	reseal_blocks(p, &h, h.by_name.off, h.by_name.n, SNAP_NAME_SIZE, &k);
}

/* A decision part's record checksum (a principal's or a shared one's), when it lies in the facts.
 */
static void reseal_fact(unsigned char *p, const struct orgrbac_snap_header *h, uint32_t off,
			uint32_t len, uint64_t *sum)
{
	if ((uint64_t)off + len <= h->facts.n)
		*sum = orgrbac_snap_record_sum(p + h->facts.off + off, off, len);
}

/* The shared roles' or grants' index entries' checksums. */
static void reseal_shared(unsigned char *p, const struct orgrbac_snap_header *h,
			  struct orgrbac_snap_section t)
{
	for (size_t i = 0; i < t.n; i++) {
		struct orgrbac_snap_shared e;

		memcpy(&e, p + t.off + i * SNAP_SHARED_SIZE, sizeof(e));
		reseal_fact(p, h, e.off, e.len, &e.sum);
		memcpy(p + t.off + i * SNAP_SHARED_SIZE, &e, sizeof(e));
	}
}

/* The decision part's checksums as the writer sets them: records, then the index's blocks. */
static void reseal_decision_part(unsigned char *p)
{
	struct orgrbac_snap_header h;
	size_t n;

	memcpy(&h, p, sizeof(h));
	n = h.principals.n;
	for (size_t i = 0; i < n; i++) {
		struct orgrbac_snap_principal e;

		memcpy(&e, p + h.principals.off + i * SNAP_PRINCIPAL_SIZE, sizeof(e));
		reseal_fact(p, &h, e.off, e.len, &e.sum);
		memcpy(p + h.principals.off + i * SNAP_PRINCIPAL_SIZE, &e, sizeof(e));
	}
	reseal_shared(p, &h, h.shared_roles);
	reseal_shared(p, &h, h.shared_grants);
	for (size_t first = 0; first < n; first += SNAP_BLOCK) {
		size_t at = h.principals.off + first * SNAP_PRINCIPAL_SIZE;
		size_t bytes =
		    (n - first < SNAP_BLOCK ? n - first : SNAP_BLOCK) * SNAP_PRINCIPAL_SIZE;
		uint64_t sum = orgrbac_snap_region_sum(p + at, at, bytes);

		memcpy(p + h.principals.off + n * SNAP_PRINCIPAL_SIZE + first / SNAP_BLOCK * 8,
		       &sum, 8);
	}
}

/* A principal's facts by name: any status, no read outside the buffer. */
static void facts_lookup(const struct orgrbac_snapshot *s, const char *name)
{
	struct orgrbac_facts *f = NULL;
	orgrbac_error err;

	orgrbac_snapshot_facts(s, name, &f, &err);
	orgrbac_facts_free(f);
}

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
		facts_lookup(s, name);
	}
	facts_lookup(s, "alice");
	facts_lookup(s, "ALICE");
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
	if (size >= sizeof(struct orgrbac_snap_header))
		reseal_header(copy);
	if (orgrbac_snapshot_from_buffer(copy, size, &s, &err) != 0) {
		free(copy);
		return 0;
	}
	/* an odd last byte (the decision part's) keeps the group part's checksums as they are */
	if ((data[size - 1] & 1) == 0) {
		reseal_group_part(copy);
		reseal_decision_part(copy);
	}
	now = orgrbac_snapshot_synced_at(s);
	n = orgrbac_snapshot_count_roles(s);
	for (size_t i = 0; i < n && i < 64; i++) {
		uint32_t gid = 0;
		const char *cn = NULL, *name = orgrbac_snapshot_role(s, i, &gid, &cn);

		if (name == NULL)
			continue; /* a corrupt record */
		/* the tables' order is the writer's: a forged one may hide a role, not crash */
		orgrbac_snapshot_find_name(s, name);
		orgrbac_snapshot_find_gid(s, gid);
		orgrbac_snapshot_group_by_name(s, name, now, &gr, buf, sizeof(buf));
		orgrbac_snapshot_group_by_gid(s, gid, now, &gr, buf, sizeof(buf));
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
