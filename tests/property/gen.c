/* SPDX-License-Identifier: BSD-2-Clause */
/* Random directories for the property test: a seeded generator, mutations and tenant writes. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "gen.h"

#define DAY 86400

/* ---- random numbers ---- */

void prop_rng_seed(struct prop_rng *r, uint64_t seed)
{
	r->state = seed;
}

uint64_t prop_rng_next(struct prop_rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

size_t prop_rng_below(struct prop_rng *r, size_t n)
{
	return n == 0 ? 0 : (size_t)(prop_rng_next(r) % n);
}

bool prop_rng_percent(struct prop_rng *r, unsigned percent)
{
	return prop_rng_below(r, 100) < percent;
}

#define PICK(r, pool) ((pool)[prop_rng_below((r), sizeof(pool) / sizeof((pool)[0]))])

/* ---- memory: a test harness stops on ENOMEM ---- */

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);

	if (p == NULL) {
		fprintf(stderr, "property: out of memory\n");
		abort();
	}
	return p;
}

static void *xrealloc(void *p, size_t n, size_t size)
{
	p = reallocarray(p, n == 0 ? 1 : n, size);
	if (p == NULL) {
		fprintf(stderr, "property: out of memory\n");
		abort();
	}
	return p;
}

static char *xstrdup(const char *s)
{
	char *c = strdup(s);

	if (c == NULL) {
		fprintf(stderr, "property: out of memory\n");
		abort();
	}
	return c;
}

static char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *xprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		fprintf(stderr, "property: out of memory\n");
		abort();
	}
	return s;
}

/* ---- entries and attributes ---- */

static char **values_copy(char *const *v, size_t n)
{
	char **c = xcalloc(n + 1, sizeof(*c));

	for (size_t i = 0; i < n; i++)
		c[i] = xstrdup(v[i]);
	return c;
}

static void values_free(char **v, size_t n)
{
	for (size_t i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
}

static void attr_clear(struct prop_attr *a)
{
	free(a->name);
	values_free(a->values, a->n_values);
	memset(a, 0, sizeof(*a));
}

static struct prop_attr attr_copy(const struct prop_attr *a)
{
	return (struct prop_attr){xstrdup(a->name), values_copy(a->values, a->n_values),
				  a->n_values};
}

const struct prop_attr *prop_attr_get(const struct prop_entry *e, const char *name)
{
	for (size_t i = 0; i < e->n_attrs; i++)
		if (strcasecmp(e->attrs[i].name, name) == 0)
			return &e->attrs[i];
	return NULL;
}

static void attr_add(struct prop_entry *e, const char *name, const char *value)
{
	struct prop_attr *a = (struct prop_attr *)prop_attr_get(e, name);

	if (a == NULL) {
		e->attrs = xrealloc(e->attrs, e->n_attrs + 1, sizeof(*e->attrs));
		a = &e->attrs[e->n_attrs++];
		*a = (struct prop_attr){xstrdup(name), xcalloc(1, sizeof(char *)), 0};
	}
	a->values = xrealloc(a->values, a->n_values + 2, sizeof(char *));
	a->values[a->n_values++] = xstrdup(value);
	a->values[a->n_values] = NULL;
}

/* Add `value` unless `name` holds it already (exactly). */
static void attr_add_unique(struct prop_entry *e, const char *name, const char *value)
{
	const struct prop_attr *a = prop_attr_get(e, name);

	for (size_t i = 0; a != NULL && i < a->n_values; i++)
		if (strcmp(a->values[i], value) == 0)
			return;
	attr_add(e, name, value);
}

/* Replace the values of a->name in `e` with a's (none: remove the attribute). */
static void attr_set(struct prop_entry *e, const struct prop_attr *a)
{
	size_t i;

	for (i = 0; i < e->n_attrs; i++)
		if (strcasecmp(e->attrs[i].name, a->name) == 0)
			break;
	if (i == e->n_attrs && a->n_values == 0)
		return;
	if (i == e->n_attrs) {
		e->attrs = xrealloc(e->attrs, e->n_attrs + 1, sizeof(*e->attrs));
		e->attrs[e->n_attrs++] = attr_copy(a);
		return;
	}
	attr_clear(&e->attrs[i]);
	if (a->n_values == 0) {
		memmove(&e->attrs[i], &e->attrs[i + 1], (e->n_attrs - i - 1) * sizeof(*e->attrs));
		e->n_attrs--;
		return;
	}
	e->attrs[i] = attr_copy(a);
}

/* The current values of `name` in `e`, as a separate attribute (possibly empty). */
static struct prop_attr attr_snapshot(const struct prop_entry *e, const char *name)
{
	const struct prop_attr *a = prop_attr_get(e, name);

	if (a == NULL)
		return (struct prop_attr){xstrdup(name), xcalloc(1, sizeof(char *)), 0};
	return (struct prop_attr){xstrdup(name), values_copy(a->values, a->n_values), a->n_values};
}

static const char *first_value(const struct prop_entry *e, const char *name)
{
	const struct prop_attr *a = prop_attr_get(e, name);

	return a != NULL && a->n_values > 0 ? a->values[0] : NULL;
}

long prop_find(const struct prop_dir *d, const char *dn)
{
	for (size_t i = 0; i < d->n_entries; i++)
		if (strcasecmp(d->entries[i].dn, dn) == 0)
			return (long)i;
	return -1;
}

static size_t entry_new(struct prop_dir *d, const char *dn, enum prop_kind kind, int org)
{
	struct prop_entry *e;

	if (d->n_entries == d->cap_entries) {
		d->cap_entries = d->cap_entries == 0 ? 64 : d->cap_entries * 2;
		d->entries = xrealloc(d->entries, d->cap_entries, sizeof(*d->entries));
	}
	e = &d->entries[d->n_entries];
	memset(e, 0, sizeof(*e));
	e->dn = xstrdup(dn);
	e->kind = kind;
	e->org = org;
	return d->n_entries++;
}

static void principal_add(struct prop_dir *d, const char *name)
{
	for (size_t i = 0; i < d->n_principals; i++)
		if (strcmp(d->principals[i], name) == 0)
			return;
	if (d->n_principals == d->cap_principals) {
		d->cap_principals = d->cap_principals == 0 ? 32 : d->cap_principals * 2;
		d->principals = xrealloc(d->principals, d->cap_principals, sizeof(char *));
	}
	d->principals[d->n_principals++] = xstrdup(name);
}

void prop_dir_free(struct prop_dir *d)
{
	free(d->base);
	for (size_t i = 0; i < d->n_orgs; i++) {
		free(d->org_dn[i]);
		free(d->hosts[i].org);
		free(d->hosts[i].resource);
		for (size_t k = 0; k < d->hosts[i].n_services; k++)
			free(d->hosts[i].services[k]);
	}
	for (size_t i = 0; i < d->n_entries; i++) {
		for (size_t k = 0; k < d->entries[i].n_attrs; k++)
			attr_clear(&d->entries[i].attrs[k]);
		free(d->entries[i].attrs);
		free(d->entries[i].dn);
	}
	free(d->entries);
	values_free(d->principals, d->n_principals);
	memset(d, 0, sizeof(*d));
}

/* ---- the generator ---- */

static const char *const org_pool[] = {"acme", "globex", "initech", "umbrella", "hooli"};
static const char *const service_pool[] = {"web", "payments", "db"};
static const char *const privilege_pool[] = {
    "host:login",	"host:sudo",	  "*",	      "host:*", "common:*",
    "common:org:cross", "common:org:own", "api:read",
};
static const char *const name_pool[] = {
    "alice", "bob",  "carol",	"dave",	 "erin",  "frank", "grace",  "heidi",
    "ivan",  "judy", "mallory", "oscar", "peggy", "trent", "victor", "walter",
};
static const char *const external_pool[] = {"Contoso", "Fabrikam", "Northwind", "Tailspin"};

static char *gtime(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[32];

	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y%m%d%H%M%SZ", &tm);
	return xstrdup(buf);
}

enum window {
	W_NONE,
	W_CURRENT,
	W_EXPIRED,
	W_FUTURE,
	W_FROM_PAST,
	W_FROM_FUTURE,
	W_UNTIL_FUTURE,
	W_UNTIL_PAST,
	W_COUNT,
};

static void add_time(struct prop_dir *d, size_t e, const char *attr, int64_t t)
{
	char *v = gtime(t);

	attr_add(&d->entries[e], attr, v);
	free(v);
}

static void add_window(struct prop_dir *d, size_t e, enum window w)
{
	int64_t now = d->now;

	switch (w) {
	case W_NONE: break;
	case W_CURRENT:
		add_time(d, e, "orgNotBefore", now - 2 * DAY);
		add_time(d, e, "orgNotAfter", now + 2 * DAY);
		break;
	case W_EXPIRED:
		add_time(d, e, "orgNotBefore", now - 30 * DAY);
		add_time(d, e, "orgNotAfter", now - 2 * DAY);
		break;
	case W_FUTURE:
		add_time(d, e, "orgNotBefore", now + 2 * DAY);
		add_time(d, e, "orgNotAfter", now + 30 * DAY);
		break;
	case W_FROM_PAST: add_time(d, e, "orgNotBefore", now - 5 * DAY); break;
	case W_FROM_FUTURE: add_time(d, e, "orgNotBefore", now + 5 * DAY); break;
	case W_UNTIL_FUTURE: add_time(d, e, "orgNotAfter", now + 5 * DAY); break;
	case W_UNTIL_PAST: add_time(d, e, "orgNotAfter", now - 5 * DAY); break;
	case W_COUNT: break;
	}
}

static bool uid_used_ci(const struct prop_dir *d, const char *uid)
{
	for (size_t i = 0; i < d->n_entries; i++) {
		const char *u = first_value(&d->entries[i], "uid");

		if (d->entries[i].kind == PROP_USER && u != NULL && strcasecmp(u, uid) == 0)
			return true;
	}
	return false;
}

/* A uid of a random existing user, of another organization when `other_than` >= 0. */
static const char *some_uid(const struct prop_dir *d, struct prop_rng *r, int other_than)
{
	size_t n = 0, k;

	for (size_t i = 0; i < d->n_entries; i++)
		if (d->entries[i].kind == PROP_USER && d->entries[i].org != other_than)
			n++;
	if (n == 0)
		return NULL;
	k = prop_rng_below(r, n);
	for (size_t i = 0; i < d->n_entries; i++)
		if (d->entries[i].kind == PROP_USER && d->entries[i].org != other_than && k-- == 0)
			return first_value(&d->entries[i], "uid");
	return NULL;
}

/* "frank" -> "Frank", "Frank" -> "frank"; or all upper case. */
static char *case_variant(struct prop_rng *r, const char *uid)
{
	char *v = xstrdup(uid);
	bool all = prop_rng_percent(r, 30);

	for (size_t i = 0; v[i] != '\0' && (all || i == 0); i++) {
		if (v[i] >= 'a' && v[i] <= 'z')
			v[i] = (char)(v[i] - 'a' + 'A');
		else if (!all && v[i] >= 'A' && v[i] <= 'Z')
			v[i] = (char)(v[i] - 'A' + 'a');
	}
	return v;
}

/* A uid for a new user of organization `org`: fresh, another organization's, or a case variant. */
static char *choose_uid(struct prop_dir *d, struct prop_rng *r, int org)
{
	const char *other;

	if (prop_rng_percent(r, 20) && (other = some_uid(d, r, org)) != NULL)
		return xstrdup(other);
	if (prop_rng_percent(r, 12) && (other = some_uid(d, r, -2)) != NULL)
		return case_variant(r, other);
	for (int tries = 0; tries < 8; tries++) {
		const char *name = PICK(r, name_pool);

		if (!uid_used_ci(d, name))
			return xstrdup(name);
	}
	return xprintf("u%u", d->next_id++);
}

static size_t add_user(struct prop_dir *d, struct prop_rng *r, const char *parent, int org,
		       const char *want)
{
	char *uid = want != NULL ? xstrdup(want) : choose_uid(d, r, org), *dn, *num;
	size_t e;

	dn = xprintf("uid=%s,%s", uid, parent);
	/* uid is matched without regard to case: "uid=Frank" and "uid=frank" are one DN */
	for (int tries = 0; prop_find(d, dn) >= 0; tries++) {
		free(uid);
		free(dn);
		uid = tries < 4 ? choose_uid(d, r, org) : xprintf("u%u", d->next_id++);
		dn = xprintf("uid=%s,%s", uid, parent);
	}
	e = entry_new(d, dn, PROP_USER, org);
	attr_add(&d->entries[e], "objectClass", "inetOrgPerson");
	attr_add(&d->entries[e], "objectClass", "posixAccount");
	attr_add(&d->entries[e], "uid", uid);
	attr_add(&d->entries[e], "cn", uid);
	attr_add(&d->entries[e], "sn", uid);
	num = xprintf("%u", 40000 + d->next_id++);
	attr_add(&d->entries[e], "uidNumber", num);
	free(num);
	attr_add(&d->entries[e], "gidNumber", "10000");
	num = xprintf("/home/%s", uid);
	attr_add(&d->entries[e], "homeDirectory", num);
	free(num);
	free(uid);
	free(dn);
	return e;
}

/* The value of a DN's first RDN, as this generator writes them (no escapes). */
static char *rdn_value(const char *dn)
{
	const char *eq = strchr(dn, '='), *comma = strchr(dn, ',');

	return xprintf("%.*s", (int)(comma - eq - 1), eq + 1);
}

/*
 * The same DN spelt otherwise now and then: values in upper case, or the whole
 * string. DN matching ignores case for every attribute type used here, and
 * slapd keeps the values' spelling, so readers must compare DNs as LDAP does.
 */
static char *dn_spelling(struct prop_rng *r, const char *dn)
{
	char *v = xstrdup(dn);
	bool all, value = false;

	if (r == NULL || !prop_rng_percent(r, 12))
		return v;
	all = prop_rng_percent(r, 50);
	for (char *p = v; *p != '\0'; p++) {
		if (*p == '=')
			value = true;
		else if (*p == ',')
			value = false;
		else if ((all || value) && *p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	}
	return v;
}

static size_t add_container(struct prop_dir *d, const char *dn, int org)
{
	size_t e = entry_new(d, dn, PROP_CONTAINER, org);
	char *value = rdn_value(dn);

	if (strncasecmp(dn, "ou=", 3) == 0) {
		attr_add(&d->entries[e], "objectClass", "organizationalUnit");
		attr_add(&d->entries[e], "ou", value);
	} else {
		attr_add(&d->entries[e], "objectClass", "organization");
		attr_add(&d->entries[e], "o", value);
	}
	free(value);
	return e;
}

static size_t add_role(struct prop_dir *d, struct prop_rng *r, const char *parent, int org,
		       const char *name, const char *must)
{
	char *dn = xprintf("cn=%s,%s", name, parent);
	size_t e, n = 1 + prop_rng_below(r, 3);

	e = entry_new(d, dn, PROP_ROLE, org);
	free(dn);
	attr_add(&d->entries[e], "objectClass", "orgRole");
	attr_add(&d->entries[e], "cn", name);
	if (must != NULL)
		attr_add(&d->entries[e], "orgPrivilege", must);
	if (prop_rng_percent(r, 50))
		attr_add_unique(&d->entries[e], "orgPrivilege", "host:login");
	for (size_t i = 0; i < n; i++)
		attr_add_unique(&d->entries[e], "orgPrivilege", PICK(r, privilege_pool));
	if (prop_rng_percent(r, 60)) {
		char *gid = xprintf("%u", 20000 + d->next_id++);

		attr_add(&d->entries[e], "gidNumber", gid);
		free(gid);
	}
	return e;
}

/* A random entry of a kind and organization (-2: any; -3: any but `org`'s own of `not`). */
static long pick_entry(const struct prop_dir *d, struct prop_rng *r, enum prop_kind kind, int org,
		       int not )
{
	size_t n = 0, k;

	for (size_t i = 0; i < d->n_entries; i++)
		if (d->entries[i].kind == kind && (org == -2 || d->entries[i].org == org) &&
		    (not == -2 || d->entries[i].org != not ))
			n++;
	if (n == 0)
		return -1;
	k = prop_rng_below(r, n);
	for (size_t i = 0; i < d->n_entries; i++)
		if (d->entries[i].kind == kind && (org == -2 || d->entries[i].org == org) &&
		    (not == -2 || d->entries[i].org != not ) && k-- == 0)
			return (long)i;
	return -1;
}

static long global_role(const struct prop_dir *d, struct prop_rng *r)
{
	return pick_entry(d, r, PROP_ROLE, -1, -2);
}

static long role_named(const struct prop_dir *d, int org, const char *name)
{
	for (size_t i = 0; i < d->n_entries; i++)
		if (d->entries[i].kind == PROP_ROLE && d->entries[i].org == org &&
		    !d->entries[i].tenant && strcmp(first_value(&d->entries[i], "cn"), name) == 0)
			return (long)i;
	return -1;
}

/* A grantee of organization `org`: a user or a group; sometimes of another one. */
static long grantee(const struct prop_dir *d, struct prop_rng *r, int org, unsigned foreign)
{
	long e = -1;

	if (prop_rng_percent(r, foreign))
		e = pick_entry(d, r, prop_rng_percent(r, 60) ? PROP_USER : PROP_GROUP, -2, org);
	if (e < 0)
		e = pick_entry(d, r, prop_rng_percent(r, 60) ? PROP_USER : PROP_GROUP, org, -2);
	if (e < 0)
		e = pick_entry(d, r, PROP_USER, -2, -2);
	return e;
}

static void add_scopes(struct prop_dir *d, struct prop_rng *r, size_t e, int org, unsigned none)
{
	size_t n;

	if (prop_rng_percent(r, none))
		return;
	n = 1 + prop_rng_below(r, 2);
	for (size_t i = 0; i < n; i++) {
		char *s;
		unsigned k = (unsigned)prop_rng_below(r, 100);

		if (k < 50) {
			s = xprintf("service:%s", PICK(r, service_pool));
		} else {
			size_t h = org >= 0 && k < 85 ? (size_t)org : prop_rng_below(r, d->n_orgs);

			s = xprintf("resource:%s", d->hosts[h].resource);
		}
		attr_add_unique(&d->entries[e], "orgScope", s);
		free(s);
	}
}

static size_t add_grant(struct prop_dir *d, struct prop_rng *r, const char *parent, int org,
			long role, size_t n_grantees, const long *grantees)
{
	char *dn = xprintf("cn=g%u,%s", d->next_id++, parent);
	char *cn = rdn_value(dn), *v;
	size_t e = entry_new(d, dn, PROP_GRANT, org);

	attr_add(&d->entries[e], "objectClass", "orgRoleGrant");
	attr_add(&d->entries[e], "cn", cn);
	v = dn_spelling(r, d->entries[role].dn);
	attr_add(&d->entries[e], "orgGrantedRole", v);
	free(v);
	for (size_t i = 0; i < n_grantees; i++) {
		const struct prop_attr *a = prop_attr_get(&d->entries[e], "orgGrantee");
		bool dup = false;

		for (size_t k = 0; a != NULL && k < a->n_values; k++)
			dup = dup || strcasecmp(a->values[k], d->entries[grantees[i]].dn) == 0;
		if (dup)
			continue;
		v = dn_spelling(r, d->entries[grantees[i]].dn);
		attr_add(&d->entries[e], "orgGrantee", v);
		free(v);
	}
	free(dn);
	free(cn);
	return e;
}

static void add_external(struct prop_dir *d, struct prop_rng *r, const char *parent, int org,
			 int depth)
{
	const char *name = PICK(r, external_pool);
	char *dn = xprintf("cn=%s,%s", name, parent);
	unsigned mode = (unsigned)prop_rng_below(r, 100), rm = (unsigned)prop_rng_below(r, 100);
	size_t e, users;

	if (prop_find(d, dn) >= 0) {
		free(dn);
		return;
	}
	e = entry_new(d, dn, PROP_EXTERNAL, org);
	attr_add(&d->entries[e], "objectClass", "orgExternalAccess");
	attr_add(&d->entries[e], "cn", name);
	attr_add(&d->entries[e], "orgExternalKind", prop_rng_percent(r, 50) ? "vendor" : "partner");
	if (mode < 40) {
		attr_add(&d->entries[e], "orgAccessMode", "continuous");
		if (prop_rng_percent(r, 15))
			add_window(d, e, W_EXPIRED); /* left over: not in force */
	} else if (mode < 75) {
		static const enum window w[] = {W_CURRENT, W_CURRENT,  W_CURRENT, W_CURRENT,
						W_CURRENT, W_EXPIRED,  W_EXPIRED, W_FUTURE,
						W_FUTURE,  W_FROM_PAST};

		attr_add(&d->entries[e], "orgAccessMode", "window");
		add_window(d, e, PICK(r, w));
	} else {
		attr_add(&d->entries[e], "orgAccessMode", "disabled");
	}
	if (rm < 30)
		attr_add(&d->entries[e], "orgRoleManagement", "TRUE");
	else if (rm < 75)
		attr_add(&d->entries[e], "orgRoleManagement", "FALSE");
	users = 1 + prop_rng_below(r, 2);
	for (size_t i = 0; i < users; i++)
		add_user(d, r, dn, org, NULL);
	if (depth == 0 && prop_rng_percent(r, 35))
		add_external(d, r, dn, org, 1);
	free(dn);
}

static void add_grants_of(struct prop_dir *d, struct prop_rng *r, int org, const char *parent,
			  size_t count)
{
	for (size_t k = 0; k < count; k++) {
		long role = -1, g[2];
		size_t n = 1 + prop_rng_below(r, 2), e;
		unsigned which = (unsigned)prop_rng_below(r, 100);

		if (org < 0) {
			if (which < 85)
				role = global_role(d, r);
		} else if (which < 45) {
			role = global_role(d, r);
		} else if (which < 90) {
			role = pick_entry(d, r, PROP_ROLE, org, -2);
		}
		if (role < 0) /* hostile: another organization's role */
			role = pick_entry(d, r, PROP_ROLE, -2, -1);
		if (org < 0 && k == 0 && role_named(d, -1, "Crosser") >= 0)
			role = role_named(d, -1, "Crosser");
		for (size_t i = 0; i < n; i++) {
			g[i] =
			    org >= 0
				? grantee(d, r, org, 20)
				: pick_entry(d, r, prop_rng_percent(r, 65) ? PROP_USER : PROP_GROUP,
					     -2, -2);
			if (g[i] < 0)
				g[i] = pick_entry(d, r, PROP_USER, -2, -2);
		}
		/* a platform grant of the cross privilege comes with one that gives a role */
		if (org < 0 && k == 1 && d->entries[d->n_entries - 1].kind == PROP_GRANT) {
			const struct prop_attr *prev =
			    prop_attr_get(&d->entries[d->n_entries - 1], "orgGrantee");

			g[0] = prop_find(d, prev->values[0]);
			n = 1;
		}
		e = add_grant(d, r, parent, org, role, n, g);
		add_scopes(d, r, e, org, org < 0 ? 60 : 50);
		if (prop_rng_percent(r, org < 0 ? 40 : 50))
			add_window(d, e, (enum window)(1 + prop_rng_below(r, W_COUNT - 1)));
	}
}

void prop_generate(struct prop_dir *d, struct prop_rng *r, const char *base, int64_t now)
{
	const char *orgs[sizeof(org_pool) / sizeof(org_pool[0])];
	size_t n_pool = sizeof(org_pool) / sizeof(org_pool[0]);
	char *dn, *dc;
	size_t e;

	memset(d, 0, sizeof(*d));
	d->base = xstrdup(base);
	d->now = now;
	d->next_id = 1;

	e = entry_new(d, base, PROP_CONTAINER, -1);
	dc = xprintf("%.*s", (int)(strchr(base, ',') - base - 3), base + 3);
	attr_add(&d->entries[e], "objectClass", "domain");
	attr_add(&d->entries[e], "dc", dc);
	free(dc);
	for (size_t i = 0; i < 3; i++) {
		static const char *const ous[] = {"roles", "grants", "people"};

		dn = xprintf("ou=%s,%s", ous[i], base);
		add_container(d, dn, -1);
		free(dn);
	}

	/* Organizations, their containers and hosts. */
	memcpy(orgs, org_pool, sizeof(orgs));
	for (size_t i = n_pool - 1; i > 0; i--) {
		size_t j = prop_rng_below(r, i + 1);
		const char *t = orgs[i];

		orgs[i] = orgs[j];
		orgs[j] = t;
	}
	d->n_orgs = 2 + prop_rng_below(r, 2);
	for (size_t o = 0; o < d->n_orgs; o++) {
		struct prop_host *h = &d->hosts[o];
		char *rdn = xstrdup(orgs[o]);

		/* The organization's RDN may differ in case from the host's org = */
		if (prop_rng_percent(r, 15))
			rdn[0] = (char)(rdn[0] - 'a' + 'A');
		d->org_dn[o] = xprintf("o=%s,%s", rdn, base);
		free(rdn);
		add_container(d, d->org_dn[o], (int)o);
		for (size_t i = 0; i < 5; i++) {
			static const char *const ous[] = {"people", "groups", "roles", "grants",
							  "external"};

			dn = xprintf("ou=%s,%s", ous[i], d->org_dn[o]);
			add_container(d, dn, (int)o);
			free(dn);
		}
		h->org = xstrdup(orgs[o]);
		h->resource = xprintf("host-%s.example.com", orgs[o]);
		for (size_t s = 0; s < PROP_MAX_SERVICES; s++)
			if (prop_rng_percent(r, 45))
				h->services[h->n_services++] = xstrdup(service_pool[s]);
	}

	/* Users: in ou=people, beneath external-access entries, and one outside. */
	for (size_t o = 0; o < d->n_orgs; o++) {
		size_t n = 3 + prop_rng_below(r, 2), x = prop_rng_below(r, 3);
		char *people = xprintf("ou=people,%s", d->org_dn[o]);
		char *external = xprintf("ou=external,%s", d->org_dn[o]);

		for (size_t i = 0; i < n; i++)
			add_user(d, r, people, (int)o, NULL);
		for (size_t i = 0; i < x; i++)
			add_external(d, r, external, (int)o, 0);
		free(people);
		free(external);
	}
	dn = xprintf("ou=people,%s", base);
	add_user(d, r, dn, -1, prop_rng_percent(r, 75) ? "nomad" : some_uid(d, r, -2));
	free(dn);

	/* Roles: global ones, and each organization's (some named as hostile as can be). */
	dn = xprintf("ou=roles,%s", base);
	add_role(d, r, dn, -1, "Member", "host:login");
	if (prop_rng_percent(r, 70))
		add_role(d, r, dn, -1, "Crosser", "common:org:cross");
	if (prop_rng_percent(r, 75))
		add_role(d, r, dn, -1, "2FA-exempt", NULL);
	if (prop_rng_percent(r, 60))
		add_role(d, r, dn, -1, "Operator", "host:sudo");
	if (prop_rng_percent(r, 40))
		add_role(d, r, dn, -1, "Anything", "*");
	free(dn);
	for (size_t o = 0; o < d->n_orgs; o++) {
		static const char *const names[] = {"Deployer", "Support", "Owner"};
		size_t n = 1 + prop_rng_below(r, 3);

		dn = xprintf("ou=roles,%s", d->org_dn[o]);
		for (size_t i = 0; i < n; i++)
			add_role(d, r, dn, (int)o, names[i], NULL);
		if (prop_rng_percent(r, 25))
			add_role(d, r, dn, (int)o, "2FA-exempt", NULL);
		if (prop_rng_percent(r, 20))
			add_role(d, r, dn, (int)o, "Crosser", "common:org:cross");
		free(dn);
	}

	/* Groups, then their members: nesting, cycles, and members of other organizations. */
	for (size_t o = 0; o < d->n_orgs; o++) {
		size_t n = 2 + prop_rng_below(r, 2);

		for (size_t i = 0; i < n; i++) {
			dn = xprintf("cn=team-%zu,ou=groups,%s", i, d->org_dn[o]);
			e = entry_new(d, dn, PROP_GROUP, (int)o);
			attr_add(&d->entries[e], "objectClass", "groupOfNames");
			attr_add(&d->entries[e], "cn", d->entries[e].dn + 3);
			*strchr(d->entries[e].attrs[1].values[0], ',') = '\0';
			free(dn);
		}
	}
	for (size_t i = 0; i < d->n_entries; i++) {
		size_t n;
		int o = d->entries[i].org;

		if (d->entries[i].kind != PROP_GROUP)
			continue;
		n = 1 + prop_rng_below(r, 3);
		for (size_t k = 0; k < n; k++) {
			unsigned which = (unsigned)prop_rng_below(r, 100);
			long m;

			if (which < 55)
				m = pick_entry(d, r, PROP_USER, o, -2);
			else if (which < 80)
				m = pick_entry(d, r, PROP_GROUP, o, -2);
			else
				m = pick_entry(
				    d, r, prop_rng_percent(r, 60) ? PROP_USER : PROP_GROUP, -2, o);
			if (m < 0)
				m = pick_entry(d, r, PROP_USER, -2, -2);
			const struct prop_attr *a = prop_attr_get(&d->entries[i], "member");
			bool dup = false;

			for (size_t j = 0; a != NULL && j < a->n_values; j++)
				dup = dup || strcasecmp(a->values[j], d->entries[m].dn) == 0;
			if (!dup) {
				char *v = dn_spelling(r, d->entries[m].dn);

				attr_add(&d->entries[i], "member", v);
				free(v);
			}
		}
	}

	/* Grants: each organization's, then the platform's. */
	for (size_t o = 0; o < d->n_orgs; o++) {
		dn = xprintf("ou=grants,%s", d->org_dn[o]);
		add_grants_of(d, r, (int)o, dn, 2 + prop_rng_below(r, 4));
		free(dn);
	}
	dn = xprintf("ou=grants,%s", base);
	add_grants_of(d, r, -1, dn, 1 + prop_rng_below(r, 4));
	free(dn);

	/* Login names: every uid, a few case variants, and one nobody has. */
	for (size_t i = 0; i < d->n_entries; i++)
		if (d->entries[i].kind == PROP_USER)
			principal_add(d, first_value(&d->entries[i], "uid"));
	for (int i = 0; i < 2; i++) {
		char *v = case_variant(r, d->principals[prop_rng_below(r, d->n_principals)]);

		principal_add(d, v);
		free(v);
	}
	principal_add(d, "nobody-here");
}

/* ---- mutations: one security attribute made unreadable ---- */

enum mutation {
	M_OPTION_MOVE,
	M_OPTION_ADD,
	M_OVERLONG,
	M_MALFORMED,
	M_EXTRA,
};

static const char *const mutation_names[] = {"moved under an option", "added under an option",
					     "made over-long", "made malformed",
					     "given an extra value"};

static bool single_valued(const char *attr)
{
	static const char *const single[] = {
	    "orgGrantedRole", "orgNotBefore",	   "orgNotAfter", "orgExternalKind",
	    "orgAccessMode",  "orgRoleManagement", "orgGroupName"};

	for (size_t i = 0; i < sizeof(single) / sizeof(single[0]); i++)
		if (strcasecmp(attr, single[i]) == 0)
			return true;
	return false;
}

static bool is_time(const char *attr)
{
	return strcasecmp(attr, "orgNotBefore") == 0 || strcasecmp(attr, "orgNotAfter") == 0;
}

static bool is_dn(const char *attr)
{
	return strcasecmp(attr, "orgGrantee") == 0 || strcasecmp(attr, "orgGrantedRole") == 0;
}

/* A value the attribute could hold, for an attribute the entry lacks. */
static char *plausible(const struct prop_dir *d, const char *attr)
{
	if (strcasecmp(attr, "orgScope") == 0)
		return xstrdup("resource:nowhere.example.com");
	if (strcasecmp(attr, "orgNotBefore") == 0)
		return gtime(d->now + 10 * DAY);
	if (strcasecmp(attr, "orgNotAfter") == 0)
		return gtime(d->now - 10 * DAY);
	if (strcasecmp(attr, "orgRoleManagement") == 0)
		return xstrdup("TRUE");
	if (strcasecmp(attr, "orgAccessMode") == 0)
		return xstrdup("disabled");
	if (strcasecmp(attr, "orgPrivilege") == 0)
		return xstrdup("host:login");
	return xprintf("cn=nobody,%s", d->base);
}

static char *overlong(const char *attr, const char *value)
{
	char *pad = xcalloc(PROP_LONG_VALUE + 1, 1), *v;

	if (is_time(attr)) {
		/* the same instant, with a fraction of thousands of zeros */
		memset(pad, '0', PROP_LONG_VALUE);
		v = xprintf("%.14s.%sZ", value, pad);
	} else if (is_dn(attr)) {
		memset(pad, 'x', PROP_LONG_VALUE);
		v = xprintf("cn=%s,%s", pad, value);
	} else if (strcasecmp(attr, "orgScope") == 0 || strcasecmp(attr, "orgPrivilege") == 0) {
		memset(pad, 'x', PROP_LONG_VALUE);
		v = xprintf("%s%s", value, pad);
	} else {
		memset(pad, ' ', PROP_LONG_VALUE);
		v = xprintf("%s%s", value, pad);
	}
	free(pad);
	return v;
}

static char *malformed(struct prop_rng *r, const char *attr, const char *value,
		       bool (*valid_time)(const char *))
{
	if (is_time(attr)) {
		/* Forms a server may take as GeneralizedTime; only those the reader refuses. */
		char *forms[] = {
		    xprintf("%.12s60Z", value), xprintf("%.12s60.5Z", value),
		    xprintf("%.10sZ", value),	xprintf("%.12sZ", value),
		    xprintf("%.14s,5Z", value), xprintf("%.14s+0100", value),
		    xprintf("%.14s.Z", value),
		};
		size_t n = sizeof(forms) / sizeof(forms[0]);
		/* a leap second is what slapd stores most surely: try it first, mostly */
		size_t start = prop_rng_percent(r, 60) ? 0 : prop_rng_below(r, n);
		char *pick = NULL;

		for (size_t i = 0; i < n && pick == NULL; i++)
			if (!valid_time(forms[(start + i) % n]))
				pick = forms[(start + i) % n];
		if (pick == NULL)
			pick = forms[0];
		for (size_t i = 0; i < n; i++)
			if (forms[i] != pick)
				free(forms[i]);
		return pick;
	}
	if (is_dn(attr)) {
		unsigned k = (unsigned)prop_rng_below(r, 3);

		if (k == 0)
			return xprintf("cn=a,,%s", value);
		if (k == 1)
			return xprintf("not a dn %s", value);
		return xprintf("cn=%s\\", value);
	}
	if (strcasecmp(attr, "orgScope") == 0) {
		static const char *const bad[] = {"scope:foo", "service:", "Service:web",
						  "resource:", "host:web"};

		return xstrdup(PICK(r, bad));
	}
	if (strcasecmp(attr, "orgPrivilege") == 0) {
		static const char *const bad[] = {"host::login", "host:login:", "host:log in", "**",
						  ":*",		 "host:*:sudo", "*:login"};

		return xstrdup(PICK(r, bad));
	}
	if (strcasecmp(attr, "orgAccessMode") == 0) {
		static const char *const bad[] = {"sometimes", "open", "continuous,window", ""};

		return xstrdup(PICK(r, bad));
	}
	if (strcasecmp(attr, "orgExternalKind") == 0) {
		static const char *const bad[] = {"contractor", "vendor partner", "Vendor "};

		return xstrdup(PICK(r, bad));
	}
	/* orgRoleManagement: what a BOOLEAN is not */
	return xstrdup(prop_rng_percent(r, 50) ? "maybe" : "false");
}

/* A second value for a single-valued attribute, other than the one it has. */
static char *extra(const struct prop_dir *d, struct prop_rng *r, const char *attr, const char *have)
{
	if (is_time(attr))
		return gtime(d->now + (prop_rng_percent(r, 50) ? 1 : -1) * 40 * DAY);
	if (strcasecmp(attr, "orgGrantedRole") == 0) {
		for (size_t i = 0; i < d->n_entries; i++)
			if (d->entries[i].kind == PROP_ROLE && d->entries[i].org == -1 &&
			    strcasecmp(d->entries[i].dn, have) != 0)
				return xstrdup(d->entries[i].dn);
		return xprintf("cn=nobody,%s", d->base);
	}
	if (strcasecmp(attr, "orgAccessMode") == 0)
		return xstrdup(strcasecmp(have, "continuous") == 0 ? "window" : "continuous");
	if (strcasecmp(attr, "orgExternalKind") == 0)
		return xstrdup(strcasecmp(have, "partner") == 0 ? "vendor" : "partner");
	return xstrdup(strcmp(have, "FALSE") == 0 ? "TRUE" : "FALSE");
}

static const char *pick_attr(struct prop_rng *r, enum prop_kind kind)
{
	unsigned k = (unsigned)prop_rng_below(r, 100);

	if (kind == PROP_GRANT) {
		if (k < 30)
			return "orgScope";
		if (k < 50)
			return "orgNotBefore";
		if (k < 75)
			return "orgNotAfter";
		return k < 85 ? "orgGrantedRole" : "orgGrantee";
	}
	if (kind == PROP_EXTERNAL) {
		if (k < 25)
			return "orgAccessMode";
		if (k < 35)
			return "orgExternalKind";
		if (k < 55)
			return "orgNotBefore";
		if (k < 75)
			return "orgNotAfter";
		return "orgRoleManagement";
	}
	return "orgPrivilege";
}

void prop_mutate(struct prop_dir *d, struct prop_rng *r, bool (*valid_time)(const char *),
		 struct prop_edit *out)
{
	static const char *const options[] = {"lang-en", "x-foo"};
	size_t n = 0, k, target = 0;
	struct prop_entry *e;
	const struct prop_attr *cur;
	const char *attr;
	enum mutation m;
	char *optioned, *value = NULL;
	unsigned roll = (unsigned)prop_rng_below(r, 100);

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < d->n_entries; i++)
		if (!d->entries[i].tenant &&
		    (d->entries[i].kind == PROP_GRANT || d->entries[i].kind == PROP_ROLE ||
		     d->entries[i].kind == PROP_EXTERNAL))
			n++;
	k = prop_rng_below(r, n);
	for (size_t i = 0; i < d->n_entries; i++)
		if (!d->entries[i].tenant &&
		    (d->entries[i].kind == PROP_GRANT || d->entries[i].kind == PROP_ROLE ||
		     d->entries[i].kind == PROP_EXTERNAL) &&
		    k-- == 0)
			target = i;
	e = &d->entries[target];
	attr = pick_attr(r, e->kind);
	m = roll < 28	? M_OPTION_MOVE
	    : roll < 38 ? M_OPTION_ADD
	    : roll < 60 ? M_OVERLONG
	    : roll < 82 ? M_MALFORMED
			: M_EXTRA;
	cur = prop_attr_get(e, attr);
	if (m == M_OVERLONG && strcasecmp(attr, "orgRoleManagement") == 0)
		m = M_OPTION_MOVE; /* a BOOLEAN cannot be long */
	if (m == M_EXTRA && !single_valued(attr))
		m = M_MALFORMED;
	if (m == M_OPTION_MOVE && (cur == NULL || cur->n_values == 0))
		m = M_OPTION_ADD;
	if (m == M_EXTRA && (cur == NULL || cur->n_values == 0))
		m = M_MALFORMED;
	/* slapd checks DN syntax: a DN that does not parse is tried now and then only */
	if (m == M_MALFORMED && is_dn(attr) && prop_rng_percent(r, 70))
		m = M_OVERLONG;

	out->entry = target;
	out->n = m == M_OPTION_MOVE || m == M_OPTION_ADD ? 2 : 1;
	out->before = xcalloc(out->n, sizeof(*out->before));
	out->after = xcalloc(out->n, sizeof(*out->after));
	out->before[0] = attr_snapshot(e, attr);
	out->after[0] = attr_snapshot(e, attr);
	optioned = xprintf("%s;%s", attr, PICK(r, options));
	if (out->n == 2) {
		out->before[1] = attr_snapshot(e, optioned);
		out->after[1] = attr_snapshot(e, optioned);
	}
	switch (m) {
	case M_OPTION_MOVE:
		/* every value of the attribute, now under an option */
		attr_clear(&out->after[1]);
		out->after[1] = attr_copy(&out->after[0]);
		free(out->after[1].name);
		out->after[1].name = xstrdup(optioned);
		values_free(out->after[0].values, out->after[0].n_values);
		out->after[0].values = xcalloc(1, sizeof(char *));
		out->after[0].n_values = 0;
		break;
	case M_OPTION_ADD: {
		/* the attribute stays; the option carries a value as well */
		struct prop_attr *a = &out->after[1];

		value =
		    cur != NULL && cur->n_values > 0 ? xstrdup(cur->values[0]) : plausible(d, attr);
		a->values = xrealloc(a->values, a->n_values + 2, sizeof(char *));
		a->values[a->n_values++] = value;
		a->values[a->n_values] = NULL;
		value = NULL;
		break;
	}
	case M_OVERLONG:
	case M_MALFORMED: {
		struct prop_attr *a = &out->after[0];
		size_t i = a->n_values > 0 ? prop_rng_below(r, a->n_values) : 0;
		const char *orig;
		char *tmp = NULL;

		if (a->n_values > 0) {
			orig = a->values[i];
		} else {
			tmp = plausible(d, attr);
			orig = tmp;
		}
		value =
		    m == M_OVERLONG ? overlong(attr, orig) : malformed(r, attr, orig, valid_time);
		free(tmp);
		/* a multi-valued attribute sometimes gains the bad value beside the others */
		if (a->n_values == 0 || (!single_valued(attr) && prop_rng_percent(r, 40))) {
			a->values = xrealloc(a->values, a->n_values + 2, sizeof(char *));
			a->values[a->n_values++] = value;
			a->values[a->n_values] = NULL;
		} else {
			free(a->values[i]);
			a->values[i] = value;
		}
		value = NULL;
		break;
	}
	case M_EXTRA: {
		struct prop_attr *a = &out->after[0];

		a->values = xrealloc(a->values, a->n_values + 2, sizeof(char *));
		a->values[a->n_values] = extra(d, r, attr, a->values[0]);
		a->n_values++;
		a->values[a->n_values] = NULL;
		break;
	}
	}
	out->what = xprintf("%s of %s %s", attr, e->dn, mutation_names[m]);
	out->tag = xprintf("%s %s", attr, mutation_names[m]);
	if (m == M_OPTION_MOVE || m == M_OPTION_ADD) {
		char *w = xprintf("%s (%s)", out->what, optioned);

		free(out->what);
		out->what = w;
	}
	free(optioned);
	for (size_t i = 0; i < out->n; i++)
		attr_set(e, &out->after[i]);
}

void prop_edit_revert(struct prop_dir *d, const struct prop_edit *e)
{
	for (size_t i = 0; i < e->n; i++)
		attr_set(&d->entries[e->entry], &e->before[i]);
}

void prop_edit_free(struct prop_edit *e)
{
	for (size_t i = 0; i < e->n; i++) {
		attr_clear(&e->before[i]);
		attr_clear(&e->after[i]);
	}
	free(e->before);
	free(e->after);
	free(e->what);
	free(e->tag);
	memset(e, 0, sizeof(*e));
}

void prop_edits_free(struct prop_edits *e)
{
	for (size_t i = 0; i < e->n; i++)
		prop_edit_free(&e->v[i]);
	free(e->v);
	memset(e, 0, sizeof(*e));
}

/* ---- tenant writes ---- */

static struct prop_edit *edit_push(struct prop_edits *out)
{
	if (out->n == out->cap) {
		out->cap = out->cap == 0 ? 16 : out->cap * 2;
		out->v = xrealloc(out->v, out->cap, sizeof(*out->v));
	}
	memset(&out->v[out->n], 0, sizeof(out->v[0]));
	return &out->v[out->n++];
}

static void tenant_added(struct prop_dir *d, struct prop_edits *out, size_t e, const char *why)
{
	struct prop_edit *ed = edit_push(out);

	d->entries[e].tenant = true;
	ed->entry = e;
	ed->add = true;
	ed->what = xprintf("add %s (%s)", d->entries[e].dn, why);
}

/* Set `attr` of entry `e` to `value` (NULL: remove it), or add `value` to its values. */
static void tenant_modify(struct prop_dir *d, struct prop_edits *out, size_t e, const char *attr,
			  const char *value, bool append, const char *why)
{
	const struct prop_attr *cur = prop_attr_get(&d->entries[e], attr);
	struct prop_edit *ed;

	for (size_t i = 0; append && cur != NULL && i < cur->n_values; i++)
		if (strcmp(cur->values[i], value) == 0)
			return; /* already there */
	ed = edit_push(out);
	ed->entry = e;
	ed->n = 1;
	ed->before = xcalloc(1, sizeof(*ed->before));
	ed->after = xcalloc(1, sizeof(*ed->after));
	ed->before[0] = attr_snapshot(&d->entries[e], attr);
	ed->after[0] = attr_snapshot(&d->entries[e], attr);
	if (!append) {
		values_free(ed->after[0].values, ed->after[0].n_values);
		ed->after[0].values = xcalloc(1, sizeof(char *));
		ed->after[0].n_values = 0;
	}
	if (value != NULL) {
		struct prop_attr *a = &ed->after[0];

		a->values = xrealloc(a->values, a->n_values + 2, sizeof(char *));
		a->values[a->n_values++] = xstrdup(value);
		a->values[a->n_values] = NULL;
	}
	ed->what = xprintf("modify %s: %s", d->entries[e].dn, why);
	attr_set(&d->entries[e], &ed->after[0]);
}

/* A continuous external-access entry whose users hold every privilege at home. */
static size_t full_access_entry(struct prop_dir *d, const char *dn, int org, const char *kind)
{
	size_t e = entry_new(d, dn, PROP_EXTERNAL, org);
	char *cn = rdn_value(dn);

	attr_add(&d->entries[e], "objectClass", "orgExternalAccess");
	attr_add(&d->entries[e], "cn", cn);
	attr_add(&d->entries[e], "orgExternalKind", kind);
	attr_add(&d->entries[e], "orgAccessMode", "continuous");
	attr_add(&d->entries[e], "orgRoleManagement", "FALSE");
	free(cn);
	return e;
}

static size_t tenant_user(struct prop_dir *d, struct prop_edits *out, const char *parent, int org)
{
	char *uid = xprintf("tw%u", d->next_id++);
	size_t e = add_user(d, NULL, parent, org, uid);

	principal_add(d, uid);
	free(uid);
	tenant_added(d, out, e, "a new user of the tenant");
	return e;
}

static size_t tenant_role(struct prop_dir *d, struct prop_edits *out, const char *parent, int org,
			  const char *name, const char *const *privileges, size_t n)
{
	char *dn = xprintf("cn=%s,%s", name, parent);
	size_t e = entry_new(d, dn, PROP_ROLE, org);
	char *gid = xprintf("%u", 20000 + d->next_id++);

	attr_add(&d->entries[e], "objectClass", "orgRole");
	attr_add(&d->entries[e], "cn", name);
	for (size_t i = 0; i < n; i++)
		attr_add(&d->entries[e], "orgPrivilege", privileges[i]);
	attr_add(&d->entries[e], "gidNumber", gid);
	free(gid);
	free(dn);
	tenant_added(d, out, e, "a role of the tenant");
	return e;
}

/* A user or group of another organization (or outside every one). */
static long foreign(const struct prop_dir *d, struct prop_rng *r, int org)
{
	long e = pick_entry(d, r, prop_rng_percent(r, 70) ? PROP_USER : PROP_GROUP, -2, org);

	if (e < 0 || d->entries[e].tenant)
		e = pick_entry(d, r, PROP_USER, -2, org);
	return e;
}

static void tenant_grant(struct prop_dir *d, struct prop_rng *r, struct prop_edits *out,
			 const char *parent, int org, long role, size_t n, const long *who,
			 bool foreign_scope, const char *why)
{
	size_t e;

	if (role < 0 || n == 0)
		return;
	e = add_grant(d, r, parent, org, role, n, who);
	if (foreign_scope) {
		size_t h = prop_rng_below(r, d->n_orgs);
		char *s = d->hosts[h].n_services > 0 && prop_rng_percent(r, 50)
			      ? xprintf("service:%s", d->hosts[h].services[0])
			      : xprintf("resource:%s", d->hosts[h].resource);

		attr_add(&d->entries[e], "orgScope", s);
		free(s);
	}
	tenant_added(d, out, e, why);
}

void prop_tenant_write(struct prop_dir *d, struct prop_rng *r, size_t org, struct prop_edits *out,
		       size_t *first_new)
{
	static const char *const everything[] = {"*"};
	static const char *const crossing[] = {"common:org:cross", "host:login", "host:sudo"};
	static const char *const wide[] = {"common:*", "host:*"};
	int o = (int)org;
	unsigned id = d->next_id++;
	char *area = xprintf("ou=t%u,%s", id, d->org_dn[org]), *dn;
	long own[8], x, role_all, role_mfa, role_cross, fake_org;
	size_t n_own = 0, e, n_existing = d->n_entries, new_users[4], n_new = 0;
	const char *other_name = NULL;

	memset(out, 0, sizeof(*out));
	*first_new = d->n_principals;
	e = add_container(d, area, o);
	tenant_added(d, out, e, "the tenant's own area");

	/* Roles no organization should be able to make count elsewhere. */
	role_all = (long)tenant_role(d, out, area, o, "Everything", everything, 1);
	role_mfa = (long)tenant_role(d, out, area, o, "2FA-exempt", crossing + 1, 1);
	role_cross = (long)tenant_role(d, out, area, o, "Crosser", crossing, 3);
	tenant_role(d, out, area, o, "Wide", wide, 2);

	/* New users: plain, beneath a new external entry, beneath an existing one. */
	dn = xprintf("ou=people,%s", d->org_dn[org]);
	new_users[n_new++] = tenant_user(d, out, dn, o);
	free(dn);
	dn = xprintf("cn=Ext%u,%s", id, area);
	e = full_access_entry(d, dn, o, "vendor");
	tenant_added(d, out, e, "an external entry with full access");
	new_users[n_new++] = tenant_user(d, out, dn, o);
	free(dn);
	x = pick_entry(d, r, PROP_EXTERNAL, o, -2);
	if (x >= 0 && !d->entries[x].tenant) {
		dn = xprintf("cn=Inner%u,%s", id, d->entries[x].dn);
		e = full_access_entry(d, dn, o, "partner");
		tenant_added(d, out, e, "an external entry inside an existing one");
		new_users[n_new++] = tenant_user(d, out, dn, o);
		free(dn);
		tenant_modify(d, out, (size_t)x, "orgRoleManagement", "FALSE", false,
			      "role management off");
	}

	/* An organization inside the organization, named as another one. */
	for (size_t i = 0; i < d->n_orgs; i++)
		if (i != org)
			other_name = d->hosts[i].org;
	dn = xprintf("o=%s,%s", other_name, d->org_dn[org]);
	fake_org = (long)add_container(d, dn, o);
	tenant_added(d, out, (size_t)fake_org, "an organization inside the organization");
	new_users[n_new++] = tenant_user(d, out, dn, o);
	free(dn);

	/* The tenant's existing users and groups. */
	for (size_t i = 0; i < n_existing && n_own < 8; i++)
		if (d->entries[i].org == o &&
		    (d->entries[i].kind == PROP_USER || d->entries[i].kind == PROP_GROUP))
			own[n_own++] = (long)i;
	for (size_t i = 0; i < n_new; i++)
		if (n_own < 8)
			own[n_own++] = (long)new_users[i];

	/* Groups holding foreign users and groups, nested into each other. */
	{
		long g1, g2;

		dn = xprintf("cn=mix-a,%s", area);
		g1 = (long)entry_new(d, dn, PROP_GROUP, o);
		free(dn);
		dn = xprintf("cn=mix-b,%s", area);
		g2 = (long)entry_new(d, dn, PROP_GROUP, o);
		free(dn);
		attr_add(&d->entries[g1], "objectClass", "groupOfNames");
		attr_add(&d->entries[g1], "cn", "mix-a");
		attr_add(&d->entries[g2], "objectClass", "groupOfNames");
		attr_add(&d->entries[g2], "cn", "mix-b");
		for (int i = 0; i < 2; i++) {
			long f = foreign(d, r, o);

			if (f >= 0 && prop_attr_get(&d->entries[g1], "member") == NULL)
				attr_add(&d->entries[g1], "member", d->entries[f].dn);
			else if (f >= 0)
				attr_add(&d->entries[g2], "member", d->entries[f].dn);
		}
		attr_add(&d->entries[g1], "member", d->entries[g2].dn);
		attr_add(&d->entries[g2], "member", d->entries[g1].dn);
		attr_add(&d->entries[g1], "member", d->entries[new_users[0]].dn);
		tenant_added(d, out, (size_t)g1, "a group with foreign members");
		tenant_added(d, out, (size_t)g2, "a group with foreign members");
		if (n_own < 8)
			own[n_own++] = g1;
	}

	/* Existing groups of the tenant gain foreign members. */
	for (int i = 0; i < 2; i++) {
		long g = pick_entry(d, r, PROP_GROUP, o, -2), f = foreign(d, r, o);

		if (g >= 0 && f >= 0 && !d->entries[g].tenant) {
			const struct prop_attr *a = prop_attr_get(&d->entries[g], "member");
			bool dup = false;

			for (size_t k = 0; a != NULL && k < a->n_values; k++)
				dup = dup || strcasecmp(a->values[k], d->entries[f].dn) == 0;
			if (!dup)
				tenant_modify(d, out, (size_t)g, "member", d->entries[f].dn, true,
					      "a foreign member");
		}
	}

	/* Existing grants made organization-wide and timeless; roles given everything. */
	for (int i = 0; i < 2; i++) {
		long g = pick_entry(d, r, PROP_GRANT, o, -2);

		if (g < 0 || d->entries[g].tenant)
			continue;
		if (prop_attr_get(&d->entries[g], "orgScope") != NULL)
			tenant_modify(d, out, (size_t)g, "orgScope", NULL, false, "scope removed");
		if (prop_attr_get(&d->entries[g], "orgNotBefore") != NULL)
			tenant_modify(d, out, (size_t)g, "orgNotBefore", NULL, false,
				      "start removed");
		if (prop_attr_get(&d->entries[g], "orgNotAfter") != NULL)
			tenant_modify(d, out, (size_t)g, "orgNotAfter", NULL, false, "end removed");
	}
	x = pick_entry(d, r, PROP_ROLE, o, -2);
	if (x >= 0 && !d->entries[x].tenant) {
		tenant_modify(d, out, (size_t)x, "orgPrivilege", "*", true, "privilege * added");
		tenant_modify(d, out, (size_t)x, "orgPrivilege", "common:org:cross", true,
			      "cross privilege added");
	}

	/* Grants: to its own principals, to foreign ones, of roles in and out of reach. */
	tenant_grant(d, r, out, area, o, role_all, n_own, own, false, "'*' to its own");
	tenant_grant(d, r, out, area, o, role_mfa, n_own, own, false, "2FA-exempt to its own");
	tenant_grant(d, r, out, area, o, role_cross, n_own, own, false, "the cross privilege");
	for (size_t i = 0; i < d->n_entries; i++)
		if (d->entries[i].kind == PROP_ROLE && d->entries[i].org == -1)
			tenant_grant(d, r, out, area, o, (long)i, n_own, own, false,
				     "a global role to its own");
	for (int i = 0; i < 3; i++) {
		long who[3];
		size_t n = 0;

		for (int k = 0; k < 3; k++) {
			long f = foreign(d, r, o);

			if (f >= 0)
				who[n++] = f;
		}
		tenant_grant(d, r, out, area, o, i == 0 ? role_all : global_role(d, r), n, who,
			     i == 2, "a role to foreign principals");
		tenant_grant(d, r, out, area, o, pick_entry(d, r, PROP_ROLE, -2, o), n, who, false,
			     "another organization's role");
	}
	tenant_grant(d, r, out, area, o, pick_entry(d, r, PROP_ROLE, -2, o), n_own, own, false,
		     "another organization's role to its own");
	/* Platform grants as a naive reader might take them: ou=grants inside the tenant. */
	dn = xprintf("ou=grants,%s", d->entries[fake_org].dn);
	e = add_container(d, dn, o);
	tenant_added(d, out, e, "ou=grants inside the tenant");
	tenant_grant(d, r, out, dn, o, role_cross, n_own, own, false, "platform-looking grant");
	tenant_grant(d, r, out, dn, o, role_named(d, -1, "Crosser"), n_own, own, false,
		     "platform-looking grant of the global cross role");
	free(dn);
	free(area);
}

/* ---- LDIF ---- */

static void base64(FILE *f, const unsigned char *s, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16;

		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		fputc(tab[(v >> 18) & 63], f);
		fputc(tab[(v >> 12) & 63], f);
		fputc(i + 1 < n ? tab[(v >> 6) & 63] : '=', f);
		fputc(i + 2 < n ? tab[v & 63] : '=', f);
	}
}

static bool ldif_safe(const char *s)
{
	size_t n = strlen(s);

	if (n > 0 && (s[0] == ' ' || s[0] == ':' || s[0] == '<' || s[n - 1] == ' '))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e)
			return false;
	return true;
}

static void ldif_line(FILE *f, const char *name, const char *value, size_t max)
{
	size_t n = strlen(value);

	if (max > 0 && n > max) {
		fprintf(f, "# %s: %.40s... (%zu bytes)\n", name, value, n);
		return;
	}
	if (ldif_safe(value)) {
		fprintf(f, "%s: %s\n", name, value);
		return;
	}
	fprintf(f, "%s:: ", name);
	base64(f, (const unsigned char *)value, n);
	fputc('\n', f);
}

void prop_ldif(FILE *f, const struct prop_entry *e, size_t max)
{
	ldif_line(f, "dn", e->dn, max);
	for (size_t i = 0; i < e->n_attrs; i++)
		for (size_t k = 0; k < e->attrs[i].n_values; k++)
			ldif_line(f, e->attrs[i].name, e->attrs[i].values[k], max);
	fputc('\n', f);
}

/* ---- what a decision depends on ---- */

static bool names(const struct prop_entry *e, const char *prefix, const char *dn)
{
	size_t len = strlen(prefix);

	for (size_t i = 0; i < e->n_attrs; i++) {
		if (strncasecmp(e->attrs[i].name, prefix, len) != 0 ||
		    (e->attrs[i].name[len] != '\0' && e->attrs[i].name[len] != ';'))
			continue;
		for (size_t k = 0; k < e->attrs[i].n_values; k++)
			if (strcasecmp(e->attrs[i].values[k], dn) == 0)
				return true;
	}
	return false;
}

static bool beneath(const char *dn, const char *parent)
{
	size_t c = strlen(dn), p = strlen(parent);

	return c > p + 1 && dn[c - p - 1] == ',' && strcasecmp(dn + c - p, parent) == 0;
}

void prop_related(const struct prop_dir *d, const char *user, unsigned char *mark)
{
	bool more = true;

	memset(mark, 0, d->n_entries);
	for (size_t i = 0; i < d->n_entries; i++) {
		const char *uid = first_value(&d->entries[i], "uid");

		if (d->entries[i].kind == PROP_USER && uid != NULL && strcasecmp(uid, user) == 0)
			mark[i] = 1;
	}
	for (size_t i = 0; i < d->n_entries; i++)
		if (d->entries[i].kind == PROP_EXTERNAL)
			for (size_t u = 0; u < d->n_entries; u++)
				if (mark[u] && d->entries[u].kind == PROP_USER &&
				    beneath(d->entries[u].dn, d->entries[i].dn))
					mark[i] = 2;
	while (more) {
		more = false;
		for (size_t g = 0; g < d->n_entries; g++) {
			if (mark[g] || d->entries[g].kind != PROP_GROUP)
				continue;
			for (size_t m = 0; m < d->n_entries && !mark[g]; m++)
				if (mark[m] == 1 &&
				    names(&d->entries[g], "member", d->entries[m].dn))
					mark[g] = 1, more = true;
		}
	}
	for (size_t g = 0; g < d->n_entries; g++) {
		if (d->entries[g].kind != PROP_GRANT)
			continue;
		for (size_t m = 0; m < d->n_entries && mark[g] == 0; m++)
			if (mark[m] == 1 && names(&d->entries[g], "orgGrantee", d->entries[m].dn))
				mark[g] = 3;
	}
	for (size_t g = 0; g < d->n_entries; g++) {
		if (mark[g] != 3)
			continue;
		for (size_t k = 0; k < d->n_entries; k++)
			if (d->entries[k].kind == PROP_ROLE &&
			    names(&d->entries[g], "orgGrantedRole", d->entries[k].dn))
				mark[k] = 4;
	}
}
