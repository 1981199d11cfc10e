/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * snapdump SNAPSHOT: the snapshot as its reader sees it, for the follower's
 * tests: "generation N", then each group "name:gid:member,member" in force
 * now. Exit 0, or 2 when the reader refuses the file (any owner accepted).
 */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "snapshot.h"

int main(int argc, char **argv)
{
	struct orgrbac_snapshot *s = NULL;
	orgrbac_error err;
	size_t size = 1 << 20;
	char *buf = malloc(size);
	int64_t now = (int64_t)time(NULL);

	if (argc != 2 || buf == NULL) {
		fprintf(stderr, "usage: snapdump SNAPSHOT\n");
		return 2;
	}
	if (orgrbac_snapshot_open(argv[1], ORGRBAC_SNAP_TRUST_ANY_OWNER, &s, &err) != 0) {
		fprintf(stderr, "snapdump: %s\n", err.msg);
		free(buf);
		return 2;
	}
	printf("generation %llu\n", (unsigned long long)orgrbac_snapshot_generation(s));
	for (size_t i = 0; i < orgrbac_snapshot_count_roles(s); i++) {
		struct group gr;

		if (orgrbac_snapshot_group(s, i, now, &gr, buf, size) != ORGRBAC_SNAP_OK)
			continue;
		printf("%s:%u:", gr.gr_name, (unsigned)gr.gr_gid);
		for (char **m = gr.gr_mem; *m != NULL; m++)
			printf("%s%s", m == gr.gr_mem ? "" : ",", *m);
		printf("\n");
	}
	orgrbac_snapshot_close(s);
	free(buf);
	return 0;
}
