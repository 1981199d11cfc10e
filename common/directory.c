/* SPDX-License-Identifier: BSD-2-Clause */
/* The directory model: what LDAP says about one principal, as policy facts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "directory.h"
#include "gtime.h"

#define VALUE_MAX    4096 /* bytes of one attribute value we accept */
#define FILTER_BATCH 64	  /* DNs per search filter */
#define FILTER_MAX   (256 * 1024)

/* A DN as its normalized, lower-cased RDNs, leftmost first, for comparisons. */
struct dn {
	char **rdn;
	size_t n;
	char *str; /* the RDNs joined with ',' */
};

static void dn_free(struct dn *d)
{
	if (d->rdn != NULL)
		for (size_t i = 0; i < d->n; i++)
			ldap_memfree(d->rdn[i]);
	free(d->rdn);
	free(d->str);
	memset(d, 0, sizeof(*d));
}

static int dn_parse(const char *s, struct dn *d)
{
	LDAPDN parsed = NULL;
	size_t n = 0, len = 0;

	memset(d, 0, sizeof(*d));
	if (s == NULL || ldap_str2dn(s, &parsed, LDAP_DN_FORMAT_LDAP) != LDAP_SUCCESS)
		return -1;
	while (parsed != NULL && parsed[n] != NULL)
		n++;
	d->rdn = calloc(n + 1, sizeof(*d->rdn));
	if (d->rdn == NULL)
		goto fail;
	for (d->n = 0; d->n < n; d->n++) {
		if (ldap_rdn2str(parsed[d->n], &d->rdn[d->n], LDAP_DN_FORMAT_LDAPV3) !=
		    LDAP_SUCCESS)
			goto fail;
		for (char *p = d->rdn[d->n]; *p != '\0'; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		len += strlen(d->rdn[d->n]) + 1;
	}
	d->str = calloc(len + 1, 1);
	if (d->str == NULL)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			strcat(d->str, ",");
		strcat(d->str, d->rdn[i]);
	}
	ldap_dnfree(parsed);
	return 0;
fail:
	ldap_dnfree(parsed);
	dn_free(d);
	return -1;
}

/* Is `child` strictly beneath `parent`? */
static bool dn_below(const struct dn *child, const struct dn *parent)
{
	if (child->n <= parent->n)
		return false;
	for (size_t i = 0; i < parent->n; i++)
		if (strcmp(child->rdn[child->n - parent->n + i], parent->rdn[i]) != 0)
			return false;
	return true;
}

static bool dn_same(const char *a, const char *b)
{
	struct dn da, db;
	bool same = false;

	if (dn_parse(a, &da) != 0)
		return false;
	if (dn_parse(b, &db) == 0) {
		same = strcmp(da.str, db.str) == 0;
		dn_free(&db);
	}
	dn_free(&da);
	return same;
}

/* A NUL-terminated copy of a value, or NULL when it holds a NUL or is too long. */
static char *value_dup(const struct berval *bv)
{
	if (bv->bv_len > VALUE_MAX || memchr(bv->bv_val, '\0', bv->bv_len) != NULL)
		return NULL;
	return strndup(bv->bv_val, bv->bv_len);
}

/* The single value of `attr`: 0 with *out (NULL if absent), -1 if several or unusable. */
static int single_value(LDAP *ld, LDAPMessage *e, const char *attr, char **out)
{
	struct berval **v = ldap_get_values_len(ld, e, attr);
	int rc = 0;

	*out = NULL;
	if (v == NULL)
		return 0;
	if (v[0] != NULL && v[1] == NULL) {
		*out = value_dup(v[0]);
		if (*out == NULL)
			rc = -1;
	} else if (v[0] != NULL) {
		rc = -1;
	}
	ldap_value_free_len(v);
	return rc;
}

/* Every usable value of `attr` as a NULL-terminated array (possibly empty), or NULL on ENOMEM. */
static char **all_values(LDAP *ld, LDAPMessage *e, const char *attr, size_t *n)
{
	struct berval **v = ldap_get_values_len(ld, e, attr);
	size_t count = v != NULL ? (size_t)ldap_count_values_len(v) : 0, k = 0;
	char **out = calloc(count + 1, sizeof(*out));

	if (out != NULL)
		for (size_t i = 0; i < count; i++)
			if ((out[k] = value_dup(v[i])) != NULL)
				k++;
	ldap_value_free_len(v);
	*n = k;
	return out;
}

static char *entry_dn(LDAP *ld, LDAPMessage *e)
{
	char *dn = ldap_get_dn(ld, e), *copy;

	if (dn == NULL)
		return NULL;
	copy = strdup(dn);
	ldap_memfree(dn);
	return copy;
}

/* A growing filter string with a hard bound. */
struct filter {
	char *s;
	size_t len, cap;
	bool failed;
};

static void filter_add(struct filter *f, const char *text)
{
	size_t n = strlen(text);

	if (f->failed)
		return;
	if (f->len + n + 1 > f->cap) {
		size_t cap = f->cap == 0 ? 1024 : f->cap;
		char *s;

		while (cap < f->len + n + 1)
			cap *= 2;
		if (cap > FILTER_MAX || (s = realloc(f->s, cap)) == NULL) {
			f->failed = true;
			return;
		}
		f->s = s;
		f->cap = cap;
	}
	memcpy(f->s + f->len, text, n + 1);
	f->len += n;
}

static void filter_add_value(struct filter *f, const char *value)
{
	size_t need = strlen(value) * 3 + 1;
	char *esc = malloc(need);

	if (esc == NULL || orgrbac_filter_escape(value, esc, need) < 0)
		f->failed = true;
	else
		filter_add(f, esc);
	free(esc);
}

/* "(&(objectClass=CLASS)(|(ATTR=v1)(ATTR=v2)...))" for values[from, from+count). */
static char *filter_any(const char *cls, const char *attr, char *const *values, size_t count)
{
	struct filter f = {0};

	filter_add(&f, "(&(objectClass=");
	filter_add(&f, cls);
	filter_add(&f, ")(|");
	for (size_t i = 0; i < count; i++) {
		filter_add(&f, "(");
		filter_add(&f, attr);
		filter_add(&f, "=");
		filter_add_value(&f, values[i]);
		filter_add(&f, ")");
	}
	filter_add(&f, "))");
	if (f.failed) {
		free(f.s);
		return NULL;
	}
	return f.s;
}

/* Append a string to a NULL-terminated array that has room for `cap` entries. */
static int strv_push(char ***v, size_t *n, size_t *cap, char *s)
{
	if (*n + 1 >= *cap) {
		size_t ncap = *cap == 0 ? 16 : *cap * 2;
		char **nv = reallocarray(*v, ncap, sizeof(**v));

		if (nv == NULL)
			return -1;
		*v = nv;
		*cap = ncap;
	}
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
	return 0;
}

/* State of one load. */
struct load {
	struct orgrbac_ldap *l;
	LDAP *ld;
	const struct orgrbac_config *cfg;
	struct orgrbac_facts *f;
	struct dn base, user, org;
	char *org_dn;
	char **direct; /* memberOf values of the user */
	size_t n_direct;
	char **group_norm; /* normalized DNs of facts->groups, same order */
	size_t cap_norm, cap_groups;
	orgrbac_error *err;
};

/* Set the error and return the status. */
#define fail(s, status, ...) (orgrbac_seterr((s)->err, __VA_ARGS__), (status))

/*
 * Does the server hold the base entry? One that does not (a replica not yet
 * initialized, another suffix) answers "no such object" to every search,
 * which must read as an unusable server, never as "no such user" or as a
 * directory without roles.
 */
static int base_held(struct orgrbac_ldap *l, const char *base, orgrbac_error *err)
{
	static char *attrs[] = {"1.1", NULL};
	LDAPMessage *res = NULL;
	bool held;
	int rc =
	    orgrbac_ldap_search(l, base, LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 1, &res, err);

	if (rc != ORGRBAC_LDAP_OK)
		return rc == ORGRBAC_LDAP_UNAVAIL ? ORGRBAC_DIR_UNAVAIL : ORGRBAC_DIR_ERROR;
	held = ldap_first_entry(orgrbac_ldap_handle(l), res) != NULL;
	ldap_msgfree(res);
	if (!held) {
		orgrbac_seterr(err, "%s does not hold the base %s", orgrbac_ldap_uri(l), base);
		return ORGRBAC_DIR_UNAVAIL;
	}
	return ORGRBAC_DIR_FOUND;
}

static int search(struct load *s, const char *base, int scope, const char *filter, char **attrs,
		  int limit, LDAPMessage **res)
{
	int rc = orgrbac_ldap_search(s->l, base, scope, filter, attrs, limit, res, s->err);

	if (rc == ORGRBAC_LDAP_UNAVAIL)
		return ORGRBAC_DIR_UNAVAIL;
	return rc == ORGRBAC_LDAP_OK ? ORGRBAC_DIR_FOUND : ORGRBAC_DIR_ERROR;
}

static int load_user(struct load *s, const char *user)
{
	static char *attrs[] = {"uid", "memberOf", NULL};
	char esc[ORGRBAC_USER_MAX * 3 + 1], filter[sizeof(esc) + 64], *dn;
	LDAPMessage *res = NULL, *e;
	struct berval **uids;
	bool exact = false;
	int rc;

	if (orgrbac_filter_escape(user, esc, sizeof(esc)) < 0)
		return fail(s, ORGRBAC_DIR_NOUSER, "user name too long");
	snprintf(filter, sizeof(filter), "(&(objectClass=posixAccount)(uid=%s))", esc);
	rc = search(s, s->cfg->base, LDAP_SCOPE_SUBTREE, filter, attrs, 2, &res);
	if (rc != ORGRBAC_DIR_FOUND) {
		if (strstr(s->err->msg, "more than") != NULL)
			orgrbac_seterr(s->err, "uid '%s' is ambiguous: several entries match",
				       user);
		return rc;
	}
	e = ldap_first_entry(s->ld, res);
	if (e == NULL) {
		ldap_msgfree(res);
		rc = base_held(s->l, s->cfg->base, s->err);
		if (rc != ORGRBAC_DIR_FOUND)
			return rc;
		return fail(s, ORGRBAC_DIR_NOUSER, "no entry with uid '%s'", user);
	}
	/* Two entries fit the size limit of 2 without exceeding it; either could be first. */
	if (ldap_next_entry(s->ld, e) != NULL) {
		ldap_msgfree(res);
		return fail(s, ORGRBAC_DIR_ERROR, "uid '%s' is ambiguous: several entries match",
			    user);
	}
	/* LDAP matched case-insensitively; the login name must be the uid byte for byte. */
	uids = ldap_get_values_len(s->ld, e, "uid");
	for (int i = 0; uids != NULL && uids[i] != NULL; i++)
		if (uids[i]->bv_len == strlen(user) &&
		    memcmp(uids[i]->bv_val, user, uids[i]->bv_len) == 0)
			exact = true;
	ldap_value_free_len(uids);
	if (!exact) {
		ldap_msgfree(res);
		return fail(s, ORGRBAC_DIR_NOUSER, "no entry with uid exactly '%s'", user);
	}
	dn = entry_dn(s->ld, e);
	s->f->dn = dn;
	s->f->user = strdup(user);
	s->direct = all_values(s->ld, e, "memberOf", &s->n_direct);
	ldap_msgfree(res);
	if (dn == NULL || s->f->user == NULL || s->direct == NULL)
		return fail(s, ORGRBAC_DIR_ERROR, "out of memory");
	if (dn_parse(dn, &s->user) != 0 || !dn_below(&s->user, &s->base))
		return fail(s, ORGRBAC_DIR_ERROR, "entry %s is outside the base", dn);
	return ORGRBAC_DIR_FOUND;
}

/* The home organization: the o= RDN directly beneath the base. */
static int find_org(struct load *s)
{
	LDAPDN parsed = NULL;
	size_t n = 0, i;
	LDAPAVA *ava;
	int rc = ORGRBAC_DIR_NOUSER;

	if (ldap_str2dn(s->f->dn, &parsed, LDAP_DN_FORMAT_LDAP) != LDAP_SUCCESS)
		return fail(s, ORGRBAC_DIR_ERROR, "cannot parse DN %s", s->f->dn);
	while (parsed[n] != NULL)
		n++;
	i = n - s->base.n - 1;
	ava = parsed[i][0];
	if (parsed[i][1] == NULL && ava->la_attr.bv_len == 1 &&
	    (ava->la_attr.bv_val[0] == 'o' || ava->la_attr.bv_val[0] == 'O') && i > 0) {
		s->f->org = value_dup(&ava->la_value);
		if (s->f->org != NULL &&
		    ldap_dn2str(&parsed[i], &s->org_dn, LDAP_DN_FORMAT_LDAPV3) == LDAP_SUCCESS &&
		    dn_parse(s->org_dn, &s->org) == 0)
			rc = ORGRBAC_DIR_FOUND;
		else
			rc = fail(s, ORGRBAC_DIR_ERROR, "cannot read the organization of %s",
				  s->f->dn);
	} else {
		orgrbac_seterr(s->err, "entry %s is not inside an organization", s->f->dn);
	}
	ldap_dnfree(parsed);
	return rc;
}

static bool is_group(struct load *s, const char *norm)
{
	for (size_t i = 0; i < s->f->n_groups; i++)
		if (strcmp(s->group_norm[i], norm) == 0)
			return true;
	return false;
}

/* Record a group once; 1 if new, 0 if known or unparsable, -1 on error. */
static int add_group(struct load *s, const char *dn)
{
	struct dn d;
	char *copy, *norm;
	size_t n = s->f->n_groups;

	if (dn_parse(dn, &d) != 0)
		return 0;
	if (is_group(s, d.str)) {
		dn_free(&d);
		return 0;
	}
	dn_free(&d);
	if (n >= ORGRBAC_MAX_GROUPS)
		return fail(s, -1, "%s belongs to more than %d groups", s->f->user,
			    ORGRBAC_MAX_GROUPS);
	copy = strdup(dn);
	norm = dn_parse(dn, &d) == 0 ? strdup(d.str) : NULL;
	dn_free(&d);
	/* group_norm may end one longer than groups on failure; both stay freeable. */
	if (copy == NULL || norm == NULL ||
	    strv_push(&s->group_norm, &n, &s->cap_norm, norm) != 0) {
		free(copy);
		free(norm);
		return fail(s, -1, "out of memory");
	}
	n = s->f->n_groups;
	if (strv_push(&s->f->groups, &n, &s->cap_groups, copy) != 0) {
		free(copy);
		return fail(s, -1, "out of memory");
	}
	s->f->n_groups = n;
	return 1;
}

/*
 * With memberOf: the user's memberOf values are its direct groups, and one
 * search for the nested groups of the organization (those that have memberOf
 * themselves) gives every edge of the group graph, whatever its depth.
 */
static int groups_memberof(struct load *s)
{
	static char *attrs[] = {"memberOf", NULL};
	LDAPMessage *res = NULL, *e;
	size_t done = 0;
	int rc;

	for (size_t i = 0; i < s->n_direct; i++)
		if (add_group(s, s->direct[i]) < 0)
			return ORGRBAC_DIR_ERROR;
	rc = search(s, s->org_dn, LDAP_SCOPE_SUBTREE, "(&(objectClass=groupOfNames)(memberOf=*))",
		    attrs, ORGRBAC_MAX_GROUPS * 4, &res);
	if (rc != ORGRBAC_DIR_FOUND)
		return rc;
	/* Closure: walk the groups found so far, adding the parents of each. */
	while (done < s->f->n_groups) {
		const char *norm = s->group_norm[done++];

		for (e = ldap_first_entry(s->ld, res); e != NULL; e = ldap_next_entry(s->ld, e)) {
			char *dn = ldap_get_dn(s->ld, e);
			struct dn d;
			bool match = false;

			if (dn != NULL && dn_parse(dn, &d) == 0) {
				match = strcmp(d.str, norm) == 0;
				dn_free(&d);
			}
			ldap_memfree(dn);
			if (!match)
				continue;
			size_t n;
			char **parents = all_values(s->ld, e, "memberOf", &n);

			for (size_t i = 0; parents != NULL && i < n; i++)
				if (add_group(s, parents[i]) < 0) {
					orgrbac_strv_free(parents);
					ldap_msgfree(res);
					return ORGRBAC_DIR_ERROR;
				}
			orgrbac_strv_free(parents);
		}
	}
	ldap_msgfree(res);
	return ORGRBAC_DIR_FOUND;
}

/*
 * Without memberOf: search level by level for groups whose member is in the
 * frontier. Cycles end because a group is visited once; depth is bounded.
 */
static int groups_search(struct load *s)
{
	static char *attrs[] = {"1.1", NULL};
	size_t prev_start = 0, prev_end = 0;
	int rc = ORGRBAC_DIR_FOUND;

	for (int depth = 0; depth < ORGRBAC_MAX_GROUP_DEPTH; depth++) {
		size_t count = depth == 0 ? 1 : prev_end - prev_start;
		size_t next_start = s->f->n_groups;

		if (count == 0)
			break;
		for (size_t i = 0; i < count; i += FILTER_BATCH) {
			/* recomputed each batch: add_group may move s->f->groups */
			char **level = depth == 0 ? &s->f->dn : s->f->groups + prev_start;
			size_t batch = count - i < FILTER_BATCH ? count - i : FILTER_BATCH;
			char *filter = filter_any("groupOfNames", "member", level + i, batch);
			LDAPMessage *res = NULL, *e;

			if (filter == NULL)
				return fail(s, ORGRBAC_DIR_ERROR, "group filter too long");
			rc = search(s, s->org_dn, LDAP_SCOPE_SUBTREE, filter, attrs,
				    ORGRBAC_MAX_GROUPS, &res);
			free(filter);
			if (rc != ORGRBAC_DIR_FOUND)
				return rc;
			for (e = ldap_first_entry(s->ld, res); e != NULL;
			     e = ldap_next_entry(s->ld, e)) {
				char *dn = ldap_get_dn(s->ld, e);
				int added = dn != NULL ? add_group(s, dn) : 0;

				ldap_memfree(dn);
				if (added < 0) {
					ldap_msgfree(res);
					return ORGRBAC_DIR_ERROR;
				}
			}
			ldap_msgfree(res);
		}
		prev_start = next_start;
		prev_end = s->f->n_groups;
	}
	return rc;
}

static int parse_window(LDAP *ld, LDAPMessage *e, struct orgrbac_window *w)
{
	char *nb = NULL, *na = NULL;

	memset(w, 0, sizeof(*w));
	if (single_value(ld, e, "orgNotBefore", &nb) != 0 ||
	    single_value(ld, e, "orgNotAfter", &na) != 0)
		w->malformed = true;
	if (nb != NULL) {
		w->has_not_before = true;
		if (orgrbac_gtime_parse(nb, &w->not_before) != 0)
			w->malformed = true;
	}
	if (na != NULL) {
		w->has_not_after = true;
		if (orgrbac_gtime_parse(na, &w->not_after) != 0)
			w->malformed = true;
	}
	free(nb);
	free(na);
	return 0;
}

/* The grantee value that names the user or one of its groups. */
static char *grant_via(struct load *s, LDAP *ld, LDAPMessage *e)
{
	size_t n;
	char **grantees = all_values(ld, e, "orgGrantee", &n), *via = NULL;

	for (size_t i = 0; grantees != NULL && i < n && via == NULL; i++) {
		struct dn d;

		if (dn_parse(grantees[i], &d) != 0)
			continue;
		if (strcmp(d.str, s->user.str) == 0 || is_group(s, d.str))
			via = strdup(grantees[i]);
		dn_free(&d);
	}
	orgrbac_strv_free(grantees);
	return via;
}

static int add_grant(struct load *s, LDAPMessage *e)
{
	struct orgrbac_facts *f = s->f;
	struct orgrbac_grant *g, *grown;
	char *dn = entry_dn(s->ld, e);

	if (dn == NULL)
		return fail(s, ORGRBAC_DIR_ERROR, "out of memory");
	for (size_t i = 0; i < f->n_grants; i++)
		if (dn_same(f->grants[i].dn, dn)) {
			free(dn);
			return ORGRBAC_DIR_FOUND;
		}
	if (f->n_grants >= ORGRBAC_MAX_GRANTS) {
		free(dn);
		return fail(s, ORGRBAC_DIR_ERROR, "more than 4096 grants name %s", f->user);
	}
	grown = reallocarray(f->grants, f->n_grants + 1, sizeof(*f->grants));
	if (grown == NULL) {
		free(dn);
		return fail(s, ORGRBAC_DIR_ERROR, "out of memory");
	}
	f->grants = grown;
	g = &f->grants[f->n_grants++];
	memset(g, 0, sizeof(*g));
	g->dn = dn;
	if (single_value(s->ld, e, "cn", &g->name) != 0 || g->name == NULL) {
		/* several cn values: name it by its DN */
		free(g->name);
		g->name = strdup(dn);
	}
	g->org = strdup(f->org);
	if (single_value(s->ld, e, "orgGrantedRole", &g->role_dn) != 0) {
		free(g->role_dn);
		g->role_dn = NULL;
	}
	g->scopes = all_values(s->ld, e, "orgScope", &g->n_scopes);
	parse_window(s->ld, e, &g->window);
	g->via = grant_via(s, s->ld, e);
	if (g->name == NULL || g->org == NULL || g->scopes == NULL || g->via == NULL)
		return fail(s, ORGRBAC_DIR_ERROR, "cannot read grant %s", dn);
	return ORGRBAC_DIR_FOUND;
}

static int load_grants(struct load *s)
{
	static char *attrs[] = {"cn",		"orgGrantedRole", "orgGrantee", "orgScope",
				"orgNotBefore", "orgNotAfter",	  NULL};
	size_t n = s->f->n_groups + 1;
	char **grantees = calloc(n, sizeof(*grantees));
	int rc = ORGRBAC_DIR_FOUND;

	if (grantees == NULL)
		return fail(s, ORGRBAC_DIR_ERROR, "out of memory");
	grantees[0] = s->f->dn;
	for (size_t i = 1; i < n; i++)
		grantees[i] = s->f->groups[i - 1];
	for (size_t i = 0; i < n && rc == ORGRBAC_DIR_FOUND; i += FILTER_BATCH) {
		size_t batch = n - i < FILTER_BATCH ? n - i : FILTER_BATCH;
		char *filter = filter_any("orgRoleGrant", "orgGrantee", grantees + i, batch);
		LDAPMessage *res = NULL, *e;

		if (filter == NULL) {
			rc = fail(s, ORGRBAC_DIR_ERROR, "grant filter too long");
			break;
		}
		rc = search(s, s->org_dn, LDAP_SCOPE_SUBTREE, filter, attrs, ORGRBAC_MAX_GRANTS,
			    &res);
		free(filter);
		for (e = ldap_first_entry(s->ld, res); rc == ORGRBAC_DIR_FOUND && e != NULL;
		     e = ldap_next_entry(s->ld, e))
			rc = add_grant(s, e);
		ldap_msgfree(res);
	}
	free(grantees);
	return rc;
}

/* May a grant of the home organization use this role? Global roles or the org's own. */
static bool role_in_reach(struct load *s, const char *role_dn)
{
	struct dn d, global;
	bool ok = false;
	char *global_dn;

	if (dn_parse(role_dn, &d) != 0)
		return false;
	if (asprintf(&global_dn, "ou=roles,%s", s->cfg->base) >= 0) {
		if (dn_parse(global_dn, &global) == 0) {
			ok = dn_below(&d, &global) || dn_below(&d, &s->org);
			dn_free(&global);
		}
		free(global_dn);
	}
	dn_free(&d);
	return ok;
}

static int add_role(struct load *s, LDAPMessage *e)
{
	struct orgrbac_facts *f = s->f;
	struct orgrbac_role *r = &f->roles[f->n_roles];
	char **cns;
	size_t n;

	memset(r, 0, sizeof(*r));
	r->dn = entry_dn(s->ld, e);
	cns = all_values(s->ld, e, "cn", &n);
	r->name = cns != NULL && n > 0 ? strdup(cns[0]) : NULL;
	orgrbac_strv_free(cns);
	r->privileges = all_values(s->ld, e, "orgPrivilege", &r->n_privileges);
	f->n_roles++;
	if (r->dn == NULL || r->name == NULL || r->privileges == NULL)
		return fail(s, ORGRBAC_DIR_ERROR, "cannot read role %s", r->dn ? r->dn : "?");
	return ORGRBAC_DIR_FOUND;
}

static int load_roles(struct load *s)
{
	static char *attrs[] = {"cn", "orgPrivilege", NULL};
	struct orgrbac_facts *f = s->f;
	char **dns = calloc(f->n_grants + 1, sizeof(*dns));
	size_t n = 0;
	int rc = ORGRBAC_DIR_FOUND;

	if (dns == NULL)
		return fail(s, ORGRBAC_DIR_ERROR, "out of memory");
	for (size_t i = 0; i < f->n_grants; i++) {
		bool seen = false;

		if (f->grants[i].role_dn == NULL || !role_in_reach(s, f->grants[i].role_dn))
			continue;
		for (size_t j = 0; j < n && !seen; j++)
			seen = dn_same(dns[j], f->grants[i].role_dn);
		if (!seen)
			dns[n++] = f->grants[i].role_dn;
	}
	f->roles = calloc(n + 1, sizeof(*f->roles));
	if (f->roles == NULL) {
		free(dns);
		return fail(s, ORGRBAC_DIR_ERROR, "out of memory");
	}
	for (size_t i = 0; i < n && rc == ORGRBAC_DIR_FOUND; i += FILTER_BATCH) {
		size_t batch = n - i < FILTER_BATCH ? n - i : FILTER_BATCH;
		char *filter = filter_any("orgRole", "entryDN", dns + i, batch);
		LDAPMessage *res = NULL, *e;

		if (filter == NULL) {
			rc = fail(s, ORGRBAC_DIR_ERROR, "role filter too long");
			break;
		}
		rc = search(s, s->cfg->base, LDAP_SCOPE_SUBTREE, filter, attrs, (int)batch, &res);
		free(filter);
		for (e = ldap_first_entry(s->ld, res); rc == ORGRBAC_DIR_FOUND && e != NULL;
		     e = ldap_next_entry(s->ld, e))
			if (f->n_roles < n)
				rc = add_role(s, e);
		ldap_msgfree(res);
	}
	free(dns);
	if (rc != ORGRBAC_DIR_FOUND)
		return rc;
	for (size_t i = 0; i < f->n_grants; i++) {
		struct orgrbac_grant *g = &f->grants[i];

		if (g->role_dn == NULL || !role_in_reach(s, g->role_dn))
			continue;
		for (size_t j = 0; j < f->n_roles && g->role == NULL; j++)
			if (dn_same(f->roles[j].dn, g->role_dn))
				g->role = &f->roles[j];
	}
	return ORGRBAC_DIR_FOUND;
}

static enum orgrbac_ext_kind ext_kind(const char *v)
{
	if (v != NULL && strcasecmp(v, "vendor") == 0)
		return ORGRBAC_EXT_VENDOR;
	if (v != NULL && strcasecmp(v, "partner") == 0)
		return ORGRBAC_EXT_PARTNER;
	return ORGRBAC_EXT_KIND_UNKNOWN;
}

static enum orgrbac_ext_mode ext_mode(const char *v)
{
	if (v != NULL && strcasecmp(v, "continuous") == 0)
		return ORGRBAC_MODE_CONTINUOUS;
	if (v != NULL && strcasecmp(v, "window") == 0)
		return ORGRBAC_MODE_WINDOW;
	if (v != NULL && strcasecmp(v, "disabled") == 0)
		return ORGRBAC_MODE_DISABLED;
	return ORGRBAC_MODE_UNKNOWN;
}

static int load_external(struct load *s)
{
	static char *attrs[] = {"cn",
				"orgExternalKind",
				"orgAccessMode",
				"orgNotBefore",
				"orgNotAfter",
				"orgRoleManagement",
				NULL};
	LDAPMessage *res = NULL, *e, *best = NULL;
	size_t best_depth = 0;
	struct orgrbac_external *x;
	char *kind = NULL, *mode = NULL, *rm = NULL;
	int rc;

	rc = search(s, s->org_dn, LDAP_SCOPE_SUBTREE, "(objectClass=orgExternalAccess)", attrs,
		    ORGRBAC_MAX_EXTERNAL, &res);
	if (rc != ORGRBAC_DIR_FOUND)
		return rc;
	/* The nearest external-access entry above the user governs it. */
	for (e = ldap_first_entry(s->ld, res); e != NULL; e = ldap_next_entry(s->ld, e)) {
		char *dn = ldap_get_dn(s->ld, e);
		struct dn d;

		if (dn != NULL && dn_parse(dn, &d) == 0) {
			if (dn_below(&s->user, &d) && d.n > best_depth) {
				best = e;
				best_depth = d.n;
			}
			dn_free(&d);
		}
		ldap_memfree(dn);
	}
	if (best == NULL) {
		ldap_msgfree(res);
		return ORGRBAC_DIR_FOUND;
	}
	x = calloc(1, sizeof(*x));
	if (x == NULL) {
		ldap_msgfree(res);
		return fail(s, ORGRBAC_DIR_ERROR, "out of memory");
	}
	s->f->external = x;
	x->dn = entry_dn(s->ld, best);
	{
		size_t n;
		char **cns = all_values(s->ld, best, "cn", &n);

		x->name = cns != NULL && n > 0 ? strdup(cns[0]) : NULL;
		orgrbac_strv_free(cns);
	}
	/* Several values where one is expected leave kind or mode unknown: deny. */
	x->kind = single_value(s->ld, best, "orgExternalKind", &kind) == 0
		      ? ext_kind(kind)
		      : ORGRBAC_EXT_KIND_UNKNOWN;
	x->mode = single_value(s->ld, best, "orgAccessMode", &mode) == 0 ? ext_mode(mode)
									 : ORGRBAC_MODE_UNKNOWN;
	parse_window(s->ld, best, &x->window);
	x->role_management = true;
	if (single_value(s->ld, best, "orgRoleManagement", &rm) == 0 && rm != NULL &&
	    strcmp(rm, "FALSE") == 0)
		x->role_management = false;
	free(kind);
	free(mode);
	free(rm);
	ldap_msgfree(res);
	if (x->dn == NULL || x->name == NULL)
		return fail(s, ORGRBAC_DIR_ERROR, "cannot read external-access entry");
	return ORGRBAC_DIR_FOUND;
}

int orgrbac_directory_load(struct orgrbac_ldap *l, const struct orgrbac_config *cfg,
			   const char *user, struct orgrbac_facts **out, orgrbac_error *err)
{
	struct load s = {.l = l, .ld = orgrbac_ldap_handle(l), .cfg = cfg, .err = err};
	const char *why;
	int rc;

	*out = NULL;
	if (!orgrbac_username_valid(user, &why)) {
		orgrbac_seterr(err, "%s", why);
		return ORGRBAC_DIR_NOUSER;
	}
	s.f = calloc(1, sizeof(*s.f));
	if (s.f == NULL) {
		orgrbac_seterr(err, "out of memory");
		return ORGRBAC_DIR_ERROR;
	}
	if (dn_parse(cfg->base, &s.base) != 0) {
		rc = fail(&s, ORGRBAC_DIR_ERROR, "base '%s' is not a DN", cfg->base);
		goto out;
	}
	rc = load_user(&s, user);
	if (rc == ORGRBAC_DIR_FOUND)
		rc = find_org(&s);
	if (rc == ORGRBAC_DIR_FOUND)
		rc = s.n_direct > 0 ? groups_memberof(&s) : groups_search(&s);
	if (rc == ORGRBAC_DIR_FOUND)
		rc = load_grants(&s);
	if (rc == ORGRBAC_DIR_FOUND)
		rc = load_roles(&s);
	if (rc == ORGRBAC_DIR_FOUND)
		rc = load_external(&s);
out:
	if (rc == ORGRBAC_DIR_FOUND)
		*out = s.f;
	else
		orgrbac_facts_free(s.f);
	orgrbac_strv_free(s.direct);
	orgrbac_strv_free(s.group_norm);
	dn_free(&s.base);
	dn_free(&s.user);
	dn_free(&s.org);
	if (s.org_dn != NULL)
		ldap_memfree(s.org_dn);
	return rc;
}

/* ---- the whole directory, for the host snapshot ---- */

#define IMAGE_PAGE	  500
#define IMAGE_MAX_ENTRIES 5000000 /* of one kind; far beyond any organization */

static char *dn_norm(const char *s)
{
	struct dn d;
	char *out;

	if (dn_parse(s, &d) != 0)
		return NULL;
	out = d.str;
	d.str = NULL;
	dn_free(&d);
	return out;
}

static char *entry_dn_norm(LDAP *ld, LDAPMessage *e)
{
	char *dn = ldap_get_dn(ld, e), *norm;

	if (dn == NULL)
		return NULL;
	norm = dn_norm(dn);
	ldap_memfree(dn);
	return norm;
}

/* Normalize DNs in place; the ones that do not parse are dropped. */
static void norm_all(char **v, size_t *n)
{
	size_t k = 0;

	for (size_t i = 0; i < *n; i++) {
		char *d = dn_norm(v[i]);

		free(v[i]);
		if (d != NULL)
			v[k++] = d;
	}
	v[k] = NULL;
	*n = k;
}

/* Room for one more element in an array that grows by doubling. */
static void *grow(void *v, size_t n, size_t *cap, size_t size)
{
	void *g;
	size_t ncap;

	if (n < *cap)
		return v;
	ncap = *cap == 0 ? 64 : *cap * 2;
	g = reallocarray(v, ncap, size);
	if (g == NULL)
		return NULL;
	memset((char *)g + n * size, 0, (ncap - n) * size);
	*cap = ncap;
	return g;
}

/*
 * The entry callbacks below keep what they can read; an entry they cannot
 * read is left out (so it grants nothing), an allocation failure stops sync.
 */
static int image_user(void *ctx, LDAP *ld, LDAPMessage *e)
{
	struct orgrbac_image *img = ctx;
	char *dn = entry_dn_norm(ld, e), **uids;
	size_t n;

	if (dn == NULL)
		return 0;
	uids = all_values(ld, e, "uid", &n);
	if (uids == NULL) {
		free(dn);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		struct orgrbac_img_user *v =
		    grow(img->users, img->n_users, &img->cap_users, sizeof(*img->users));

		if (v == NULL)
			goto nomem;
		img->users = v;
		v[img->n_users].dn = strdup(dn);
		if (v[img->n_users].dn == NULL)
			goto nomem;
		v[img->n_users++].uid = uids[i];
		uids[i] = NULL;
	}
	free(dn);
	orgrbac_strv_free(uids);
	return 0;
nomem:
	free(dn);
	for (size_t i = 0; i < n; i++)
		free(uids[i]);
	free(uids);
	return -1;
}

static int image_group(void *ctx, LDAP *ld, LDAPMessage *e)
{
	struct orgrbac_image *img = ctx;
	struct orgrbac_img_group *g;
	char *dn = entry_dn_norm(ld, e);

	if (dn == NULL)
		return 0;
	g = grow(img->groups, img->n_groups, &img->cap_groups, sizeof(*g));
	if (g == NULL) {
		free(dn);
		return -1;
	}
	img->groups = g;
	g = &img->groups[img->n_groups++];
	g->dn = dn;
	g->members = all_values(ld, e, "member", &g->n_members);
	if (g->members == NULL)
		return -1;
	norm_all(g->members, &g->n_members);
	return 0;
}

static int image_role(void *ctx, LDAP *ld, LDAPMessage *e)
{
	struct orgrbac_image *img = ctx;
	struct orgrbac_img_role *r;
	char *dn = entry_dn_norm(ld, e), *gid = NULL, **cns;
	size_t n;

	if (dn == NULL)
		return 0;
	r = grow(img->roles, img->n_roles, &img->cap_roles, sizeof(*r));
	if (r == NULL) {
		free(dn);
		return -1;
	}
	img->roles = r;
	r = &img->roles[img->n_roles++];
	r->dn = dn;
	cns = all_values(ld, e, "cn", &n);
	r->cn = cns != NULL && n > 0 ? strdup(cns[0]) : NULL;
	orgrbac_strv_free(cns);
	r->privileges = all_values(ld, e, "orgPrivilege", &r->n_privileges);
	if (r->privileges == NULL)
		return -1;
	/* An unreadable gidNumber or orgGroupName: the role is no group. */
	if (single_value(ld, e, "gidNumber", &gid) == 0 && gid != NULL) {
		char *end;
		long long v = strtoll(gid, &end, 10);

		r->has_gid = end != gid && *end == '\0' && v >= 0;
		r->gid = v;
	}
	free(gid);
	if (single_value(ld, e, "orgGroupName", &r->group_name) != 0) {
		r->has_gid = false;
		free(r->group_name);
		r->group_name = NULL;
	}
	return 0;
}

static int image_grant(void *ctx, LDAP *ld, LDAPMessage *e)
{
	struct orgrbac_image *img = ctx;
	struct orgrbac_img_grant *g;
	char *dn = entry_dn_norm(ld, e), *role = NULL;

	if (dn == NULL)
		return 0;
	g = grow(img->grants, img->n_grants, &img->cap_grants, sizeof(*g));
	if (g == NULL) {
		free(dn);
		return -1;
	}
	img->grants = g;
	g = &img->grants[img->n_grants++];
	g->dn = dn;
	if (single_value(ld, e, "orgGrantedRole", &role) == 0 && role != NULL)
		g->role_dn = dn_norm(role);
	free(role);
	g->grantees = all_values(ld, e, "orgGrantee", &g->n_grantees);
	g->scopes = all_values(ld, e, "orgScope", &g->n_scopes);
	if (g->grantees == NULL || g->scopes == NULL)
		return -1;
	norm_all(g->grantees, &g->n_grantees);
	parse_window(ld, e, &g->window);
	return 0;
}

static int image_external(void *ctx, LDAP *ld, LDAPMessage *e)
{
	struct orgrbac_image *img = ctx;
	struct orgrbac_img_external *x;
	char *dn = entry_dn_norm(ld, e), *kind = NULL, *mode = NULL;

	if (dn == NULL)
		return 0;
	x = grow(img->externals, img->n_externals, &img->cap_externals, sizeof(*x));
	if (x == NULL) {
		free(dn);
		return -1;
	}
	img->externals = x;
	x = &img->externals[img->n_externals++];
	x->dn = dn;
	x->kind = single_value(ld, e, "orgExternalKind", &kind) == 0 ? ext_kind(kind)
								     : ORGRBAC_EXT_KIND_UNKNOWN;
	x->mode = single_value(ld, e, "orgAccessMode", &mode) == 0 ? ext_mode(mode)
								   : ORGRBAC_MODE_UNKNOWN;
	free(kind);
	free(mode);
	parse_window(ld, e, &x->window);
	return 0;
}

int orgrbac_directory_image(struct orgrbac_ldap *l, const struct orgrbac_config *cfg,
			    struct orgrbac_image *img, orgrbac_error *err)
{
	static char *user_attrs[] = {"uid", NULL};
	static char *group_attrs[] = {"member", NULL};
	static char *role_attrs[] = {"cn", "orgPrivilege", "gidNumber", "orgGroupName", NULL};
	static char *grant_attrs[] = {"orgGrantedRole", "orgGrantee",  "orgScope",
				      "orgNotBefore",	"orgNotAfter", NULL};
	static char *ext_attrs[] = {"orgExternalKind", "orgAccessMode", "orgNotBefore",
				    "orgNotAfter", NULL};
	static const struct {
		const char *filter;
		char **attrs;
		orgrbac_entry_fn fn;
	} kinds[] = {
	    {"(objectClass=orgRole)", role_attrs, image_role},
	    {"(objectClass=orgRoleGrant)", grant_attrs, image_grant},
	    {"(objectClass=orgExternalAccess)", ext_attrs, image_external},
	    {"(objectClass=groupOfNames)", group_attrs, image_group},
	    {"(objectClass=posixAccount)", user_attrs, image_user},
	};
	int rc = ORGRBAC_LDAP_OK;

	memset(img, 0, sizeof(*img));
	img->base = dn_norm(cfg->base);
	if (img->base == NULL) {
		orgrbac_seterr(err, "base '%s' is not a DN", cfg->base);
		return ORGRBAC_DIR_ERROR;
	}
	rc = base_held(l, cfg->base, err);
	if (rc != ORGRBAC_DIR_FOUND) {
		orgrbac_image_free(img);
		return rc;
	}
	/* Every organization: a user of another one may cross into this host's. */
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]) && rc == ORGRBAC_LDAP_OK; i++)
		rc = orgrbac_ldap_search_paged(l, cfg->base, LDAP_SCOPE_SUBTREE, kinds[i].filter,
					       kinds[i].attrs, IMAGE_PAGE, IMAGE_MAX_ENTRIES,
					       kinds[i].fn, img, err);
	if (rc == ORGRBAC_LDAP_OK)
		return ORGRBAC_DIR_FOUND;
	orgrbac_image_free(img);
	return rc == ORGRBAC_LDAP_UNAVAIL ? ORGRBAC_DIR_UNAVAIL : ORGRBAC_DIR_ERROR;
}
