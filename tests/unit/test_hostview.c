/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of common/model/hostview.c: which roles become groups and who is a member, when. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hostview.h"

#define BASE   "dc=example,dc=com"
#define ACME   "o=acme," BASE
#define GLOBEX "o=globex," BASE
#define GROLES "ou=roles," BASE
#define PGRANT "ou=grants," BASE
#define T0     ((int64_t)1794744000)

static const char *const services[] = {"payments", "web"};

static char *xdup(const char *s)
{
	char *d = strdup(s);

	assert_non_null(d);
	return d;
}

static char **list(const char *a, const char *b)
{
	char **v = calloc(3, sizeof(*v));
	size_t n = 0;

	assert_non_null(v);
	if (a != NULL)
		v[n++] = xdup(a);
	if (b != NULL)
		v[n++] = xdup(b);
	return v;
}

static size_t count(char **v)
{
	size_t n = 0;

	while (v != NULL && v[n] != NULL)
		n++;
	return n;
}

#define GROW(arr, n) (arr = reallocarray(arr, n + 1, sizeof(*arr)), assert_non_null(arr), &arr[n++])

static void user(struct orgrbac_image *img, const char *uid, const char *dn)
{
	struct orgrbac_img_user *u = GROW(img->users, img->n_users);

	memset(u, 0, sizeof(*u));
	u->uid = xdup(uid);
	u->dn = xdup(dn);
}

static void group(struct orgrbac_image *img, const char *dn, const char *m1, const char *m2)
{
	struct orgrbac_img_group *g = GROW(img->groups, img->n_groups);

	g->dn = xdup(dn);
	g->members = list(m1, m2);
	g->n_members = count(g->members);
}

static void role(struct orgrbac_image *img, const char *dn, const char *cn, long long gid,
		 const char *gname, const char *priv)
{
	struct orgrbac_img_role *r = GROW(img->roles, img->n_roles);

	memset(r, 0, sizeof(*r));
	r->dn = xdup(dn);
	r->cn = xdup(cn);
	r->has_gid = gid >= 0;
	r->gid = gid;
	r->group_name = gname != NULL ? xdup(gname) : NULL;
	r->privileges = list(priv, NULL);
	r->n_privileges = count(r->privileges);
}

static struct orgrbac_img_grant *grant(struct orgrbac_image *img, const char *dn,
				       const char *role_dn, const char *grantee, const char *scope)
{
	struct orgrbac_img_grant *g = GROW(img->grants, img->n_grants);

	memset(g, 0, sizeof(*g));
	g->dn = xdup(dn);
	g->role_dn = xdup(role_dn);
	g->grantees = list(grantee, NULL);
	g->n_grantees = 1;
	g->scopes = list(scope, NULL);
	g->n_scopes = count(g->scopes);
	return g;
}

static void external(struct orgrbac_image *img, const char *dn, enum orgrbac_ext_mode mode,
		     int64_t nb, int64_t na)
{
	struct orgrbac_img_external *x = GROW(img->externals, img->n_externals);

	memset(x, 0, sizeof(*x));
	x->dn = xdup(dn);
	x->access.kind = ORGRBAC_EXT_PARTNER;
	x->access.mode = mode;
	x->access.window.has_not_before = x->access.window.has_not_after =
	    mode == ORGRBAC_MODE_WINDOW;
	x->access.window.not_before = nb;
	x->access.window.not_after = na;
	x->access.role_management = true;
}

static char warnings[4096];
static char left_out[4096]; /* "KIND|NAME|WHY" lines */

static void collect(void *ctx, const char *msg)
{
	(void)ctx;
	strncat(warnings, msg, sizeof(warnings) - strlen(warnings) - 2);
	strcat(warnings, "\n");
}

static void collect_left_out(void *ctx, const char *kind, const char *name, const char *why)
{
	char line[1024];

	(void)ctx;
	snprintf(line, sizeof(line), "%s|%s|%s\n", kind, name, why);
	strncat(left_out, line, sizeof(left_out) - strlen(left_out) - 1);
}

/*
 * A directory with every rule the view applies; the comment at each entry says
 * what the host (acme; services payments, web; resource web01) must make of it.
 */
static void sample(struct orgrbac_image *img)
{
	struct orgrbac_img_grant *g;
	char longcn[301];

	memset(longcn, 'L', sizeof(longcn) - 1);
	longcn[sizeof(longcn) - 1] = '\0';
	memset(img, 0, sizeof(*img));
	img->base = xdup(BASE);
	role(img, "cn=org admin," GROLES, "Org Admin", 20002, NULL, "host:*");
	role(img, "cn=member," GROLES, "Member", 20003, NULL, "host:login");
	role(img, "cn=cross," GROLES, "Cross", -1, NULL, "common:org:cross"); /* no gid */
	role(img, "cn=wild," GROLES, "Wild", -1, NULL, "common:*");	      /* does not cross */
	role(img, "cn=sec admin,ou=roles," ACME, "Sec Admin", 21020, "secadmin", "x:y");
	role(img, "cn=low," GROLES, "Low", 999, NULL, "x");	  /* below gid_min */
	role(img, "cn=sudo," GROLES, "Sudo", 27001, NULL, "x");	  /* name in /etc/group */
	role(img, "cn=dup a," GROLES, "Dup A", 23000, NULL, "x"); /* gid twice */
	role(img, "cn=dup b," GROLES, "Dup B", 23000, NULL, "x");
	role(img, "cn=weird," GROLES, "We!rd   Name", 24000, NULL, "x"); /* derived name */
	role(img, "cn=bad name," GROLES, "Bad", 24001, "-bad", "x");	 /* unusable name */
	/* a cn no group name can be derived from: left out, never a failed sync */
	role(img, "cn=long,ou=roles," ACME, longcn, 24002, NULL, "host:login");
	role(img, "cn=globex op,ou=roles," GLOBEX, "Globex Op", 22001, NULL, "host:login");
	/* the same gid in another organization is no clash: gids are per organization */
	role(img, "cn=acme op,ou=roles," ACME, "Acme Op", 22001, NULL, "host:login");
	/* globex's own role with the literal cross privilege: worth nothing on acme */
	role(img, "cn=globex cross,ou=roles," GLOBEX, "Globex Cross", -1, NULL, "common:org:cross");

	user(img, "alice", "uid=alice,ou=people," ACME);
	user(img, "bob", "uid=bob,ou=people," ACME);
	user(img, "ivan", "uid=ivan,ou=people," ACME);
	user(img, "carol", "uid=carol,ou=people," ACME);
	user(img, "dave", "uid=dave,ou=people," ACME);
	user(img, "pat", "uid=pat,cn=contoso,ou=external," ACME);
	user(img, "uma", "uid=uma,cn=umbrella,ou=external," ACME);
	user(img, "olga", "uid=olga,ou=people," GLOBEX);
	user(img, "gus", "uid=gus,ou=people," GLOBEX);
	user(img, "twin", "uid=twin,ou=people," ACME);
	user(img, "twin", "uid=twin2,ou=people," ACME);
	user(img, "bad:name", "uid=bad,ou=people," ACME);
	user(img, "esc", "cn=x\\,o=acme,dc=example,dc=com");
	user(img, "frank", "uid=frank,ou=people," GLOBEX); /* acme's frank is the one here */
	user(img, "frank", "uid=frank,ou=people," ACME);
	user(img, "sam", "uid=sam,ou=people," GLOBEX); /* two elsewhere, none here */
	user(img, "sam", "uid=sam,ou=people,o=initech," BASE);
	user(img, "vera", "uid=vera,ou=people," ACME);
	user(img, "ulf", "uid=ulf,cn=team,cn=umbrella,ou=external," ACME);
	user(img, "pia", "uid=pia,cn=sub,cn=contoso,ou=external," ACME);
	user(img, "nobody", "uid=nobody,ou=people," BASE); /* outside every organization */

	/* bob in payments-team in engineering; ivan in a cycle */
	group(img, "cn=payments-team,ou=groups," ACME, "uid=bob,ou=people," ACME, NULL);
	group(img, "cn=engineering,ou=groups," ACME, "cn=payments-team,ou=groups," ACME, NULL);
	group(img, "cn=cycle-a,ou=groups," ACME, "uid=ivan,ou=people," ACME,
	      "cn=cycle-b,ou=groups," ACME);
	group(img, "cn=cycle-b,ou=groups," ACME, "cn=cycle-a,ou=groups," ACME, NULL);
	/* a group of another organization naming bob gives nothing on acme */
	group(img, "cn=outsiders,ou=groups," GLOBEX, "uid=bob,ou=people," ACME, NULL);

	external(img, "cn=contoso,ou=external," ACME, ORGRBAC_MODE_WINDOW, T0, T0 + 100);
	external(img, "cn=umbrella,ou=external," ACME, ORGRBAC_MODE_DISABLED, 0, 0);
	/* nested: a continuous entry beneath a disabled one stays closed */
	external(img, "cn=team,cn=umbrella,ou=external," ACME, ORGRBAC_MODE_CONTINUOUS, 0, 0);
	img->externals[img->n_externals - 1].access.role_management = false;
	/* nested windows: the intersection */
	external(img, "cn=sub,cn=contoso,ou=external," ACME, ORGRBAC_MODE_WINDOW, T0 + 20,
		 T0 + 200);

	grant(img, "cn=g1,ou=grants," ACME, "cn=org admin," GROLES, "uid=alice,ou=people," ACME,
	      NULL);
	grant(img, "cn=g2,ou=grants," ACME, "cn=member," GROLES, "cn=engineering,ou=groups," ACME,
	      NULL);
	grant(img, "cn=g3,ou=grants," ACME, "cn=member," GROLES, "cn=cycle-b,ou=groups," ACME,
	      NULL);
	g = grant(img, "cn=g4,ou=grants," ACME, "cn=sec admin,ou=roles," ACME,
		  "uid=carol,ou=people," ACME, "service:payments");
	g->window.has_not_after = true;
	g->window.not_after = T0 + 50;
	grant(img, "cn=g5,ou=grants," ACME, "cn=member," GROLES, "uid=dave,ou=people," ACME,
	      "resource:db01.example.com");
	g = grant(img, "cn=g6,ou=grants," ACME, "cn=member," GROLES, "uid=dave,ou=people," ACME,
		  NULL);
	g->window.malformed = true;
	grant(img, "cn=g7,ou=grants," ACME, "cn=member," GROLES,
	      "uid=pat,cn=contoso,ou=external," ACME, NULL);
	grant(img, "cn=g8,ou=grants," ACME, "cn=member," GROLES,
	      "uid=uma,cn=umbrella,ou=external," ACME, NULL);
	grant(img, "cn=g9,ou=grants," ACME, "cn=globex op,ou=roles," GLOBEX,
	      "uid=alice,ou=people," ACME, NULL); /* another org's role: out of reach */
	grant(img, "cn=g10,ou=grants," ACME, "cn=member," GROLES, "uid=twin,ou=people," ACME, NULL);
	grant(img, "cn=g11,ou=grants," ACME, "cn=member," GROLES, "cn=x\\,o=acme,dc=example,dc=com",
	      NULL);
	/* globex: olga crosses by a platform grant (from T0 + 10), gus does not */
	g = grant(img, "cn=p1," PGRANT, "cn=cross," GROLES, "uid=olga,ou=people," GLOBEX, NULL);
	g->window.has_not_before = true;
	g->window.not_before = T0 + 10;
	grant(img, "cn=p2," PGRANT, "cn=member," GROLES, "uid=olga,ou=people," GLOBEX, NULL);
	grant(img, "cn=p3," PGRANT, "cn=org admin," GROLES, "uid=olga,ou=people," GLOBEX,
	      "service:db"); /* a platform grant's scope is this host's: not covered */
	/* home grants never count abroad, scoped or not */
	grant(img, "cn=o2,ou=grants," GLOBEX, "cn=acme op,ou=roles," ACME,
	      "uid=olga,ou=people," GLOBEX, NULL);
	grant(img, "cn=o3,ou=grants," GLOBEX, "cn=org admin," GROLES, "uid=olga,ou=people," GLOBEX,
	      "service:web");
	/* gus: platform Member, but crossing only from his own organization or a wildcard */
	grant(img, "cn=p4," PGRANT, "cn=member," GROLES, "uid=gus,ou=people," GLOBEX, NULL);
	grant(img, "cn=p5," PGRANT, "cn=wild," GROLES, "uid=gus,ou=people," GLOBEX, NULL);
	grant(img, "cn=o4,ou=grants," GLOBEX, "cn=globex cross,ou=roles," GLOBEX,
	      "uid=gus,ou=people," GLOBEX, NULL);
	/* a platform grant may not use an organization's role */
	grant(img, "cn=p6," PGRANT, "cn=acme op,ou=roles," ACME, "uid=alice,ou=people," ACME, NULL);
	/* an acme grant naming a globex user gives nothing: grants are of the home organization */
	grant(img, "cn=g12,ou=grants," ACME, "cn=org admin," GROLES, "uid=gus,ou=people," GLOBEX,
	      NULL);
	grant(img, "cn=g13,ou=grants," ACME, "cn=member," GROLES, "uid=frank,ou=people," ACME,
	      NULL);
	grant(img, "cn=o5,ou=grants," GLOBEX, "cn=org admin," GROLES, "uid=frank,ou=people," GLOBEX,
	      NULL);
	grant(img, "cn=p7," PGRANT, "cn=cross," GROLES, "uid=sam,ou=people," GLOBEX, NULL);
	grant(img, "cn=p8," PGRANT, "cn=member," GROLES, "uid=sam,ou=people," GLOBEX, NULL);
	/* unreadable: void */
	g = grant(img, "cn=g14,ou=grants," ACME, "cn=member," GROLES, "uid=vera,ou=people," ACME,
		  NULL);
	snprintf(g->unreadable, sizeof(g->unreadable), "orgScope;lang-en has options");
	g = grant(img, "cn=g15,ou=grants," ACME, "cn=org admin," GROLES, "uid=vera,ou=people," ACME,
		  "host:web01");
	grant(img, "cn=g16,ou=grants," ACME, "cn=member," GROLES,
	      "uid=ulf,cn=team,cn=umbrella,ou=external," ACME, NULL);
	grant(img, "cn=g17,ou=grants," ACME, "cn=member," GROLES,
	      "uid=pia,cn=sub,cn=contoso,ou=external," ACME, NULL);
	grant(img, "cn=p9," PGRANT, "cn=member," GROLES, "uid=nobody,ou=people," BASE, NULL);
}

static struct orgrbac_local_group local[] = {{"sudo", 27}, {"docker", 998}};

static void compute(struct orgrbac_view *v)
{
	struct orgrbac_image img;
	struct orgrbac_view_params p = {
	    .host = {.org = "ACME",
		     .services = services,
		     .n_services = 2,
		     .resource = "web01.example.com"},
	    .cross_org_privilege = "common:org:cross",
	    .group_prefix = "",
	    .gid_min = 1000,
	    .local = local,
	    .n_local = 2,
	    .warn = collect,
	    .left_out = collect_left_out,
	};
	orgrbac_error err;

	warnings[0] = '\0';
	left_out[0] = '\0';
	sample(&img);
	assert_int_equal(orgrbac_view_compute(&img, &p, v, &err), 0);
	orgrbac_image_free(&img);
}

static long role_of(const struct orgrbac_view *v, const char *group)
{
	for (size_t i = 0; i < v->n_roles; i++)
		if (strcmp(v->roles[i].group, group) == 0)
			return (long)i;
	return -1;
}

/* The memberships of `user` in `group`, as "[nb,na)" windows relative to T0, or "". */
static const char *member(const struct orgrbac_view *v, const char *user, const char *group)
{
	static char out[256];
	long r = role_of(v, group);

	out[0] = '\0';
	for (size_t i = 0; i < v->n_members; i++) {
		const struct orgrbac_view_member *m = &v->members[i];
		char one[64];

		if ((long)m->role != r || strcmp(v->users[m->user].name, user) != 0)
			continue;
		snprintf(one, sizeof(one), "[%s,%s)", m->not_before == ORGRBAC_TIME_MIN ? "-" : "",
			 m->not_after == ORGRBAC_TIME_MAX ? "-" : "");
		if (m->not_before != ORGRBAC_TIME_MIN || m->not_after != ORGRBAC_TIME_MAX)
			snprintf(one, sizeof(one), "[%lld,%lld)",
				 m->not_before == ORGRBAC_TIME_MIN
				     ? -1LL
				     : (long long)(m->not_before - T0),
				 m->not_after == ORGRBAC_TIME_MAX ? -1LL
								  : (long long)(m->not_after - T0));
		strncat(out, one, sizeof(out) - strlen(out) - 1);
	}
	return out;
}

static void groups_exposed(void **state)
{
	struct orgrbac_view v;

	compute(&v);
	assert_true(role_of(&v, "org-admin") >= 0);
	assert_int_equal(v.roles[role_of(&v, "org-admin")].gid, 20002);
	assert_string_equal(v.roles[role_of(&v, "org-admin")].privileges[0], "host:*");
	assert_true(role_of(&v, "member") >= 0);
	assert_true(role_of(&v, "secadmin") >= 0);
	assert_true(role_of(&v, "we-rd-name") >= 0);
	assert_int_equal(role_of(&v, "cross"), -1); /* no gidNumber */
	assert_int_equal(role_of(&v, "low"), -1);   /* below gid_min */
	assert_int_equal(role_of(&v, "sudo"), -1);  /* in /etc/group */
	assert_int_equal(role_of(&v, "dup-a"), -1); /* gid claimed twice */
	assert_int_equal(role_of(&v, "dup-b"), -1);
	assert_int_equal(role_of(&v, "-bad"), -1);
	assert_int_equal(role_of(&v, "globex-op"), -1); /* another organization's role */
	assert_true(role_of(&v, "acme-op") >= 0);
	assert_int_equal(v.n_roles, 5);
	assert_non_null(strstr(warnings, "'Low' left out: gid 999 is below gid_min"));
	assert_non_null(strstr(warnings, "'Sudo' left out: group sudo or gid 27001 exists"));
	assert_non_null(strstr(warnings, "'Dup A' left out"));
	assert_non_null(strstr(warnings, "'Dup B' left out"));
	assert_non_null(strstr(warnings, "'-bad' is not a usable group name"));
	assert_non_null(strstr(warnings, "LLL' left out: no orgGroupName, and its cn is longer "
					 "than 255 bytes"));
	/* the same, each with its kind, name and reason apart */
	assert_non_null(
	    strstr(left_out, "role|Low|gid 999 is below gid_min 1000 or out of range\n"));
	assert_non_null(
	    strstr(left_out, "role|Sudo|group sudo or gid 27001 exists in /etc/group\n"));
	assert_non_null(strstr(left_out, "role|Dup A|its group dup-a or gid "));
	assert_non_null(strstr(left_out, "role|Dup B|its group dup-b or gid "));
	assert_non_null(
	    strstr(left_out, "user|twin|2 entries hold this uid in the host organization\n"));
	assert_non_null(strstr(left_out, "entry|uid=bad,ou=people,o=acme,dc=example,dc=com|uid "));
	orgrbac_view_free(&v);
}

static void memberships(void **state)
{
	struct orgrbac_view v;

	compute(&v);
	assert_string_equal(member(&v, "alice", "org-admin"), "[-,-)");
	assert_string_equal(member(&v, "bob", "member"), "[-,-)");	 /* nested groups */
	assert_string_equal(member(&v, "ivan", "member"), "[-,-)");	 /* through a cycle */
	assert_string_equal(member(&v, "carol", "secadmin"), "[-1,50)"); /* window kept */
	assert_string_equal(member(&v, "dave", "member"), ""); /* scope elsewhere, bad window */
	assert_string_equal(member(&v, "pat", "member"), "[-,-)");
	assert_string_equal(member(&v, "uma", "member"), "");  /* access disabled */
	assert_string_equal(member(&v, "twin", "member"), ""); /* ambiguous uid */
	assert_string_equal(member(&v, "esc", "member"), "");  /* escaped ',' is no org */
	assert_string_equal(member(&v, "alice", "member"), "");
	assert_string_equal(member(&v, "alice", "acme-op"), ""); /* platform grant, org role */
	assert_non_null(
	    strstr(warnings, "user twin left out: 2 entries hold this uid in the host"));
	assert_non_null(strstr(warnings, "uid=bad,ou=people,o=acme,dc=example,dc=com left out"));
	/* cross-organization: platform grants only, while a platform grant crosses */
	assert_string_equal(member(&v, "olga", "member"), "[10,-1)");
	assert_string_equal(member(&v, "olga", "org-admin"), "");
	assert_string_equal(member(&v, "olga", "acme-op"), "");
	assert_string_equal(member(&v, "gus", "member"), "");
	assert_string_equal(member(&v, "gus", "org-admin"), "");
	/* one uid in two organizations: the host organization's user, and only its grants */
	assert_string_equal(member(&v, "frank", "member"), "[-,-)");
	assert_string_equal(member(&v, "frank", "org-admin"), "");
	assert_string_equal(member(&v, "sam", "member"), "");
	assert_non_null(strstr(warnings, "user sam left out: 2 entries hold this uid"));
	assert_string_equal(member(&v, "nobody", "member"), "");
	/* void grants, nested external entries */
	assert_string_equal(member(&v, "vera", "member"), "");
	assert_string_equal(member(&v, "vera", "org-admin"), "");
	assert_string_equal(member(&v, "ulf", "member"), "");
	assert_string_equal(member(&v, "pia", "member"), "[-,-)");
	for (size_t i = 0; i < v.n_users; i++) {
		if (strcmp(v.users[i].name, "olga") == 0)
			assert_true(v.users[i].foreign);
		if (strcmp(v.users[i].name, "frank") == 0)
			assert_false(v.users[i].foreign);
		if (strcmp(v.users[i].name, "pia") == 0) {
			assert_int_equal(v.users[i].not_before, T0 + 20);
			assert_int_equal(v.users[i].not_after, T0 + 100);
		}
	}
	/* pat's partner window is the user's, applied by the reader */
	for (size_t i = 0; i < v.n_users; i++) {
		if (strcmp(v.users[i].name, "pat") == 0) {
			assert_true(v.users[i].external);
			assert_int_equal(v.users[i].not_before, T0);
			assert_int_equal(v.users[i].not_after, T0 + 100);
		}
		if (strcmp(v.users[i].name, "alice") == 0) {
			assert_false(v.users[i].external);
			assert_int_equal(v.users[i].not_before, ORGRBAC_TIME_MIN);
		}
	}
	orgrbac_view_free(&v);
}

/*
 * The host's organization is matched by its whole name, in any case: "acmex"
 * and "acm" are other organizations for a host of "ACME", whether a uid is
 * ambiguous is counted by it, and a user of theirs is foreign.
 */
static void host_organization(void **state)
{
	struct orgrbac_image img;
	struct orgrbac_view v;
	struct orgrbac_view_params p = {.host = {.org = "ACME"}, .gid_min = 1000, .warn = collect};
	orgrbac_error err;

	memset(&img, 0, sizeof(img));
	img.base = xdup(BASE);
	role(&img, "cn=member," GROLES, "Member", 20003, NULL, "host:login");
	user(&img, "kim", "uid=kim,ou=people," ACME);
	user(&img, "kim", "uid=kim,ou=people,o=acmex," BASE);
	user(&img, "lee", "uid=lee,ou=people,o=acmex," BASE);
	user(&img, "lee", "uid=lee,ou=people,o=acm," BASE);
	user(&img, "max", "uid=max,ou=people,o=acmex," BASE);
	grant(&img, "cn=k,ou=grants," ACME, "cn=member," GROLES, "uid=kim,ou=people," ACME, NULL);
	grant(&img, "cn=l,ou=grants,o=acm," BASE, "cn=member," GROLES,
	      "uid=lee,ou=people,o=acm," BASE, NULL);
	grant(&img, "cn=m,ou=grants,o=acmex," BASE, "cn=member," GROLES,
	      "uid=max,ou=people,o=acmex," BASE, NULL);
	grant(&img, "cn=p," PGRANT, "cn=member," GROLES, "uid=max,ou=people,o=acmex," BASE, NULL);
	warnings[0] = '\0';
	assert_int_equal(orgrbac_view_compute(&img, &p, &v, &err), 0);
	assert_string_equal(member(&v, "kim", "member"), "[-,-)");
	assert_string_equal(member(&v, "lee", "member"), "");
	assert_non_null(strstr(warnings, "user lee left out: 2 entries hold this uid\n"));
	/* max's own organization's grant is a home grant of acmex, not of this host */
	assert_string_equal(member(&v, "max", "member"), "");
	assert_int_equal(v.n_users, 1);
	assert_false(v.users[0].foreign);
	orgrbac_view_free(&v);
	orgrbac_image_free(&img);
}

/*
 * Nesting as the live decision follows it (groups.c): ORGRBAC_MAX_GROUP_DEPTH
 * levels from the user and no further, a group of another organization
 * neither counted nor followed, a cycle survived.
 */
static void group_depth(void **state)
{
	struct orgrbac_image img;
	struct orgrbac_view v;
	struct orgrbac_view_params p = {.host = {.org = "acme"}, .gid_min = 1000, .warn = collect};
	orgrbac_error err;
	char dn[ORGRBAC_MAX_GROUP_DEPTH + 2][64];

	memset(&img, 0, sizeof(img));
	img.base = xdup(BASE);
	role(&img, "cn=deep," GROLES, "Deep", 20010, NULL, "host:login");
	role(&img, "cn=deeper," GROLES, "Deeper", 20011, NULL, "host:login");
	role(&img, "cn=via-globex," GROLES, "Via Globex", 20012, NULL, "host:login");
	user(&img, "nia", "uid=nia,ou=people," ACME);
	/* g1 holds nia, g(k+1) holds gk, and g1 holds the last: a cycle */
	for (int k = 1; k <= ORGRBAC_MAX_GROUP_DEPTH + 1; k++)
		snprintf(dn[k], sizeof(dn[k]), "cn=g%d,ou=groups," ACME, k);
	group(&img, dn[1], "uid=nia,ou=people," ACME, dn[ORGRBAC_MAX_GROUP_DEPTH + 1]);
	for (int k = 2; k <= ORGRBAC_MAX_GROUP_DEPTH + 1; k++)
		group(&img, dn[k], dn[k - 1], NULL);
	grant(&img, "cn=a,ou=grants," ACME, "cn=deep," GROLES, dn[ORGRBAC_MAX_GROUP_DEPTH], NULL);
	grant(&img, "cn=b,ou=grants," ACME, "cn=deeper," GROLES, dn[ORGRBAC_MAX_GROUP_DEPTH + 1],
	      NULL);
	/* through a group of another organization: not followed */
	group(&img, "cn=x,ou=groups," GLOBEX, "uid=nia,ou=people," ACME, NULL);
	group(&img, "cn=y,ou=groups," ACME, "cn=x,ou=groups," GLOBEX, NULL);
	grant(&img, "cn=c,ou=grants," ACME, "cn=via-globex," GROLES, "cn=y,ou=groups," ACME, NULL);
	warnings[0] = '\0';
	assert_int_equal(orgrbac_view_compute(&img, &p, &v, &err), 0);
	assert_string_equal(member(&v, "nia", "deep"), "[-,-)");
	assert_string_equal(member(&v, "nia", "deeper"), "");
	assert_string_equal(member(&v, "nia", "via-globex"), "");
	orgrbac_view_free(&v);
	orgrbac_image_free(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(groups_exposed),
	    cmocka_unit_test(memberships),
	    cmocka_unit_test(host_organization),
	    cmocka_unit_test(group_depth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
