/* SPDX-License-Identifier: BSD-2-Clause */
/* Benchmark data: one synthetic organization as a host snapshot and as LDIF for slapd. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "snapshot.h"
#include "snapshot_write.h"

/*
 * User i (u000000 ..) holds roles (i + k * (roles / per_user)) % roles for
 * k < per_user, so every role has users * per_user / roles members. One
 * membership in ten has a window (open now), as time-limited grants do. The
 * LDIF has the same users (posixAccount), the roles as posixGroup entries
 * with memberUid, the shape nslcd reads, and the same again as orgrbac
 * models it, for orgrbac sync: role r is an orgRole with the same gid,
 * granted organization-wide to the groupOfNames team r, whose members are
 * the same users.
 */
#define GID_BASE 30000
#define UID_BASE 100000

static void usage(void)
{
	fprintf(stderr, "usage: gen USERS ROLES PER_USER SNAPSHOT LDIF\n");
	exit(2);
}

static long arg(const char *s, long max)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*end != '\0' || v < 1 || v > max)
		usage();
	return v;
}

int main(int argc, char **argv)
{
	struct orgrbac_view v = {0};
	orgrbac_error err;
	long users, roles, per;
	int64_t now = (int64_t)time(NULL);
	FILE *ldif;
	char name[64];

	if (argc != 6)
		usage();
	users = arg(argv[1], 10000000);
	roles = arg(argv[2], 100000);
	per = arg(argv[3], 1000);
	if (per > roles)
		usage();
	v.users = calloc((size_t)users, sizeof(*v.users));
	v.roles = calloc((size_t)roles, sizeof(*v.roles));
	v.members = calloc((size_t)(users * per), sizeof(*v.members));
	if (v.users == NULL || v.roles == NULL || v.members == NULL)
		return 1;
	for (long r = 0; r < roles; r++) {
		snprintf(name, sizeof(name), "role-%04ld", r);
		v.roles[r].group = strdup(name);
		v.roles[r].cn = strdup(name);
		v.roles[r].gid = (uint32_t)(GID_BASE + r);
		v.roles[r].privileges = orgrbac_split_list("host:login", &v.roles[r].n_privileges);
	}
	v.n_roles = (size_t)roles;
	for (long i = 0; i < users; i++) {
		snprintf(name, sizeof(name), "u%06ld", i);
		v.users[i] = (struct orgrbac_view_user){.name = strdup(name),
							.not_before = ORGRBAC_TIME_MIN,
							.not_after = ORGRBAC_TIME_MAX};
		for (long k = 0; k < per; k++) {
			struct orgrbac_view_member *m = &v.members[v.n_members++];

			m->user = (size_t)i;
			m->role = (size_t)((i + k * (roles / per)) % roles);
			m->not_before = (i + k) % 10 == 0 ? now - 3600 : ORGRBAC_TIME_MIN;
			m->not_after = (i + k) % 10 == 0 ? now + 30 * 86400 : ORGRBAC_TIME_MAX;
		}
	}
	v.n_users = (size_t)users;

	ldif = fopen(argv[5], "w");
	if (ldif == NULL) {
		perror(argv[5]);
		return 1;
	}
	fprintf(ldif, "dn: o=bench,dc=example,dc=com\nobjectClass: organization\no: bench\n\n"
		      "dn: ou=people,o=bench,dc=example,dc=com\nobjectClass: organizationalUnit\n"
		      "ou: people\n\n"
		      "dn: ou=groups,o=bench,dc=example,dc=com\nobjectClass: organizationalUnit\n"
		      "ou: groups\n\n"
		      "dn: ou=teams,o=bench,dc=example,dc=com\nobjectClass: organizationalUnit\n"
		      "ou: teams\n\n"
		      "dn: ou=roles,o=bench,dc=example,dc=com\nobjectClass: organizationalUnit\n"
		      "ou: roles\n\n"
		      "dn: ou=grants,o=bench,dc=example,dc=com\nobjectClass: organizationalUnit\n"
		      "ou: grants\n\n");
	for (long i = 0; i < users; i++)
		fprintf(ldif,
			"dn: uid=u%06ld,ou=people,o=bench,dc=example,dc=com\n"
			"objectClass: inetOrgPerson\nobjectClass: posixAccount\nuid: u%06ld\n"
			"cn: u%06ld\nsn: u%06ld\nuidNumber: %ld\ngidNumber: 10000\n"
			"homeDirectory: /home/u%06ld\n\n",
			i, i, i, i, UID_BASE + i, i);
	for (long r = 0; r < roles; r++) {
		fprintf(ldif,
			"dn: cn=role-%04ld,ou=groups,o=bench,dc=example,dc=com\n"
			"objectClass: posixGroup\ncn: role-%04ld\ngidNumber: %ld\n",
			r, r, GID_BASE + r);
		/* the users i with (i + k * step) % roles == r, for each k */
		for (long k = 0; k < per; k++)
			for (long i = ((r - k * (roles / per)) % roles + roles) % roles; i < users;
			     i += roles)
				fprintf(ldif, "memberUid: u%06ld\n", i);
		fputc('\n', ldif);
		fprintf(ldif,
			"dn: cn=team-%04ld,ou=teams,o=bench,dc=example,dc=com\n"
			"objectClass: groupOfNames\ncn: team-%04ld\n",
			r, r);
		for (long k = 0; k < per; k++)
			for (long i = ((r - k * (roles / per)) % roles + roles) % roles; i < users;
			     i += roles)
				fprintf(ldif,
					"member: uid=u%06ld,ou=people,o=bench,dc=example,dc=com\n",
					i);
		fprintf(ldif,
			"\ndn: cn=role-%04ld,ou=roles,o=bench,dc=example,dc=com\n"
			"objectClass: orgRole\ncn: role-%04ld\norgPrivilege: host:login\n"
			"gidNumber: %ld\n\n"
			"dn: cn=grant-%04ld,ou=grants,o=bench,dc=example,dc=com\n"
			"objectClass: orgRoleGrant\ncn: grant-%04ld\n"
			"orgGrantedRole: cn=role-%04ld,ou=roles,o=bench,dc=example,dc=com\n"
			"orgGrantee: cn=team-%04ld,ou=teams,o=bench,dc=example,dc=com\n\n",
			r, r, GID_BASE + r, r, r, r, r);
	}
	if (fclose(ldif) != 0) {
		perror(argv[5]);
		return 1;
	}
	if (orgrbac_snapshot_write(argv[4], &v, 1, now, 86400, &err) != 0) {
		fprintf(stderr, "gen: %s\n", err.msg);
		return 1;
	}
	printf("gen: %ld users, %ld roles, %zu memberships\n", users, roles, v.n_members);
	orgrbac_view_free(&v);
	return 0;
}
