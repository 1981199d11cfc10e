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

/*
 * Every usable value of `attr` as a NULL-terminated array (possibly empty),
 * or NULL on ENOMEM. *dropped (when not NULL) counts the values left out.
 */
static char **some_values(LDAP *ld, LDAPMessage *e, const char *attr, size_t *n, size_t *dropped)
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
	if (dropped != NULL)
		*dropped = count - k;
	return out;
}

static char **all_values(LDAP *ld, LDAPMessage *e, const char *attr, size_t *n)
{
	return some_values(ld, e, attr, n, NULL);
}

/*
 * Does the entry carry one of `attrs` with options ("orgScope;lang-en")?
 * Such values are invisible to ldap_get_values_len, so they must void what
 * they sit on rather than vanish. Writes "ATTR;OPT has options" to why.
 */
static bool has_options(LDAP *ld, LDAPMessage *e, const char *const *attrs, char *why, size_t len)
{
	BerElement *ber = NULL;
	bool found = false;

	for (char *a = ldap_first_attribute(ld, e, &ber); a != NULL;
	     a = ldap_next_attribute(ld, e, ber)) {
		const char *semi = strchr(a, ';');

		for (size_t i = 0; semi != NULL && !found && attrs[i] != NULL; i++)
			if (strlen(attrs[i]) == (size_t)(semi - a) &&
			    strncasecmp(a, attrs[i], (size_t)(semi - a)) == 0) {
				snprintf(why, len, "%.100s has options", a);
				found = true;
			}
		ldap_memfree(a);
		if (found)
			break;
	}
	ber_free(ber, 0);
	return found;
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

	if (rc != ORGRBAC_LDAP_OK && rc != ORGRBAC_LDAP_NOOBJECT)
		return rc == ORGRBAC_LDAP_UNAVAIL ? ORGRBAC_DIR_UNAVAIL : ORGRBAC_DIR_ERROR;
	held = res != NULL && ldap_first_entry(orgrbac_ldap_handle(l), res) != NULL;
	ldap_msgfree(res);
	if (!held) {
		orgrbac_seterr(err, "%s does not hold the base %s", orgrbac_ldap_uri(l), base);
		return ORGRBAC_DIR_UNAVAIL;
	}
	return ORGRBAC_DIR_FOUND;
}

/*
 * One search of the load. A base that does not exist or is hidden: with
 * `absent` the caller is told (and the result is empty), otherwise the
 * directory cannot be read as it must be, which is never "no restrictions".
 */
static int search(struct load *s, const char *base, int scope, const char *filter, char **attrs,
		  int limit, bool *absent, LDAPMessage **res)
{
	int rc = orgrbac_ldap_search(s->l, base, scope, filter, attrs, limit, res, s->err);

	if (absent != NULL)
		*absent = rc == ORGRBAC_LDAP_NOOBJECT;
	if (rc == ORGRBAC_LDAP_NOOBJECT)
		return absent != NULL ? ORGRBAC_DIR_FOUND : ORGRBAC_DIR_UNAVAIL;
	if (rc == ORGRBAC_LDAP_UNAVAIL)
		return ORGRBAC_DIR_UNAVAIL;
	return rc == ORGRBAC_LDAP_OK ? ORGRBAC_DIR_FOUND : ORGRBAC_DIR_ERROR;
}

/*
 * The organization `dn` lies in: the value of the o= RDN directly beneath
 * the base, and that RDN with the base as a DN. -1 when it lies in none.
 */
static int org_of(const struct load *s, const char *dn, char **org, char **org_dn)
{
	LDAPDN parsed = NULL;
	struct dn d;
	size_t n = 0, i;
	LDAPAVA *ava;
	int rc = -1;

	*org = NULL;
	if (org_dn != NULL)
		*org_dn = NULL;
	if (dn_parse(dn, &d) != 0)
		return -1;
	if (!dn_below(&d, &s->base) || d.n < s->base.n + 2) {
		dn_free(&d);
		return -1;
	}
	dn_free(&d);
	if (ldap_str2dn(dn, &parsed, LDAP_DN_FORMAT_LDAP) != LDAP_SUCCESS)
		return -1;
	while (parsed[n] != NULL)
		n++;
	i = n - s->base.n - 1;
	ava = parsed[i][0];
	if (parsed[i][1] == NULL && ava->la_attr.bv_len == 1 &&
	    (ava->la_attr.bv_val[0] == 'o' || ava->la_attr.bv_val[0] == 'O')) {
		*org = value_dup(&ava->la_value);
		if (*org != NULL && org_dn != NULL &&
		    ldap_dn2str(&parsed[i], org_dn, LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS)
			*org_dn = NULL;
		rc = *org != NULL && (org_dn == NULL || *org_dn != NULL) ? 0 : -1;
		if (rc != 0) {
			free(*org);
			*org = NULL;
		}
	}
	ldap_dnfree(parsed);
	return rc;
}

/* Does the entry's uid equal the login name byte for byte? LDAP matched without case. */
static bool uid_exact(LDAP *ld, LDAPMessage *e, const char *user)
{
	struct berval **uids = ldap_get_values_len(ld, e, "uid");
	bool exact = false;

	for (int i = 0; uids != NULL && uids[i] != NULL; i++)
		if (uids[i]->bv_len == strlen(user) &&
		    memcmp(uids[i]->bv_val, user, uids[i]->bv_len) == 0)
			exact = true;
	ldap_value_free_len(uids);
	return exact;
}

#define USER_CANDIDATES 16 /* entries one login name may match, case folded */

/* The entries a search found for a login name, sorted out. */
struct candidates {
	LDAPMessage *res;
	LDAPMessage *pick;	/* the last exact match */
	LDAPMessage *host_pick; /* the last exact match in the host organization */
	size_t entries, exact, in_host, outside;
};

static int find_candidates(struct load *s, const char *base, bool *absent, const char *filter,
			   const char *user, struct candidates *c)
{
	static char *attrs[] = {"uid", "memberOf", NULL};
	int rc;

	ldap_msgfree(c->res);
	memset(c, 0, sizeof(*c));
	rc = search(s, base, LDAP_SCOPE_SUBTREE, filter, attrs, USER_CANDIDATES, absent, &c->res);
	if (rc != ORGRBAC_DIR_FOUND) {
		if (strstr(s->err->msg, "more than") != NULL)
			orgrbac_seterr(s->err, "uid '%s' is ambiguous: more than %d entries match",
				       user, USER_CANDIDATES);
		return rc;
	}
	for (LDAPMessage *e = c->res != NULL ? ldap_first_entry(s->ld, c->res) : NULL; e != NULL;
	     e = ldap_next_entry(s->ld, e)) {
		char *dn, *org = NULL;

		c->entries++;
		if (!uid_exact(s->ld, e, user))
			continue;
		c->exact++;
		c->pick = e;
		dn = ldap_get_dn(s->ld, e);
		if (dn == NULL || org_of(s, dn, &org, NULL) != 0) {
			c->outside++;
		} else if (s->cfg->org != NULL && strcasecmp(org, s->cfg->org) == 0) {
			c->in_host++;
			c->host_pick = e;
		}
		free(org);
		ldap_memfree(dn);
	}
	return ORGRBAC_DIR_FOUND;
}

/*
 * Which entry is the login name? Only entries whose uid equals it byte for
 * byte are candidates, and the host organization's come first: it is
 * searched on its own, so no other tenant can shadow or lock out its users.
 * Elsewhere, an entry that matches only without case, one outside every
 * organization, and a name held several times are refused: none of them may
 * read as "unknown", which a stack may let through.
 */
static int pick_user(struct load *s, const char *user, struct candidates *c)
{
	char esc[ORGRBAC_USER_MAX * 3 + 1], filter[sizeof(esc) + 64], *host_dn = NULL;
	bool absent = false;
	int rc = ORGRBAC_DIR_FOUND;

	if (orgrbac_filter_escape(user, esc, sizeof(esc)) < 0)
		return fail(s, ORGRBAC_DIR_NOUSER, "user name too long");
	snprintf(filter, sizeof(filter), "(&(objectClass=posixAccount)(uid=%s))", esc);
	/* [host] org is checked to be [A-Za-z0-9._-]: no DN escaping needed */
	if (s->cfg->org != NULL && asprintf(&host_dn, "o=%s,%s", s->cfg->org, s->cfg->base) < 0)
		return fail(s, ORGRBAC_DIR_ERROR, "out of memory");
	if (host_dn != NULL)
		rc = find_candidates(s, host_dn, &absent, filter, user, c);
	/*
	 * The host's own organization must exist: a server without it (or without
	 * the base at all, which it then says in its own words) cannot answer.
	 */
	if (rc == ORGRBAC_DIR_FOUND && absent) {
		rc = base_held(s->l, s->cfg->base, s->err);
		if (rc == ORGRBAC_DIR_FOUND)
			rc = fail(s, ORGRBAC_DIR_UNAVAIL,
				  "%s does not hold the base %s (the host's organization)",
				  orgrbac_ldap_uri(s->l), host_dn);
	}
	free(host_dn);
	if (rc != ORGRBAC_DIR_FOUND)
		return rc;
	if (c->in_host == 0)
		rc = find_candidates(s, s->cfg->base, NULL, filter, user, c);
	if (rc != ORGRBAC_DIR_FOUND)
		return rc;
	if (c->entries == 0) {
		rc = base_held(s->l, s->cfg->base, s->err);
		if (rc != ORGRBAC_DIR_FOUND)
			return rc;
		return fail(s, ORGRBAC_DIR_NOUSER, "no entry with uid '%s'", user);
	}
	if (c->exact == 0)
		return fail(s, ORGRBAC_DIR_REFUSED,
			    "uid '%s' matches an entry only without regard to case", user);
	if (c->in_host > 1 || (c->in_host == 0 && c->exact > 1))
		return fail(s, ORGRBAC_DIR_REFUSED, "uid '%s' is ambiguous: %zu entries hold it%s",
			    user, c->exact,
			    c->in_host > 1 ? " in the host organization" : ", none of them here");
	if (c->in_host == 1) {
		c->pick = c->host_pick;
	} else if (c->outside > 0) {
		char *dn = entry_dn(s->ld, c->pick);

		rc = fail(s, ORGRBAC_DIR_REFUSED, "entry %s is not inside an organization",
			  dn != NULL ? dn : "?");
		free(dn);
	}
	return rc;
}

static int load_user(struct load *s, const char *user)
{
	struct candidates c = {0};
	char *dn;
	int rc = pick_user(s, user, &c);

	if (rc != ORGRBAC_DIR_FOUND) {
		ldap_msgfree(c.res);
		return rc;
	}
	dn = entry_dn(s->ld, c.pick);
	s->f->dn = dn;
	s->f->user = strdup(user);
	s->direct = all_values(s->ld, c.pick, "memberOf", &s->n_direct);
	ldap_msgfree(c.res);
	if (dn == NULL || s->f->user == NULL || s->direct == NULL)
		return fail(s, ORGRBAC_DIR_ERROR, "out of memory");
	if (dn_parse(dn, &s->user) != 0 || !dn_below(&s->user, &s->base))
		return fail(s, ORGRBAC_DIR_ERROR, "entry %s is outside the base", dn);
	return ORGRBAC_DIR_FOUND;
}

/* The home organization: the o= RDN directly beneath the base. */
static int find_org(struct load *s)
{
	if (org_of(s, s->f->dn, &s->f->org, &s->org_dn) != 0 || dn_parse(s->org_dn, &s->org) != 0)
		return fail(s, ORGRBAC_DIR_REFUSED, "entry %s is not inside an organization",
			    s->f->dn);
	return ORGRBAC_DIR_FOUND;
}

static bool is_group(struct load *s, const char *norm)
{
	for (size_t i = 0; i < s->f->n_groups; i++)
		if (strcmp(s->group_norm[i], norm) == 0)
			return true;
	return false;
}

/* Record a group of the home organization once; 1 if new, 0 if not, -1 on error. */
static int add_group(struct load *s, const char *dn)
{
	struct dn d;
	char *copy, *norm;
	size_t n = s->f->n_groups;

	if (dn_parse(dn, &d) != 0)
		return 0;
	/* Groups of other organizations give nothing here: on every path alike. */
	if (!dn_below(&d, &s->org) || is_group(s, d.str)) {
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
		    attrs, ORGRBAC_MAX_GROUPS * 4, NULL, &res);
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
				    ORGRBAC_MAX_GROUPS, NULL, &res);
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

static void parse_window(LDAP *ld, LDAPMessage *e, struct orgrbac_window *w)
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
}

/* The attributes whose every value a grant depends on. */
static const char *const grant_security_attrs[] = {"orgGrantedRole", "orgGrantee",  "orgScope",
						   "orgNotBefore",   "orgNotAfter", NULL};

/*
 * The security values of a grant entry, read in full or not at all: any
 * value we cannot read (options, over-long, a NUL, several where one is
 * allowed, a DN or time that does not parse, a scope of an unknown kind)
 * leaves `why` set and the grant void. 0, or -1 on ENOMEM.
 */
struct grant_values {
	char *role_dn;
	char **grantees;
	size_t n_grantees;
	char **scopes;
	size_t n_scopes;
	struct orgrbac_window window;
	char why[ORGRBAC_UNREADABLE_MAX];
};

static void grant_values_free(struct grant_values *v)
{
	free(v->role_dn);
	orgrbac_strv_free(v->grantees);
	orgrbac_strv_free(v->scopes);
	memset(v, 0, sizeof(*v));
}

static int read_grant(LDAP *ld, LDAPMessage *e, struct grant_values *v)
{
	size_t dropped_grantees = 0, dropped_scopes = 0;
	struct dn d = {0};

	memset(v, 0, sizeof(*v));
	v->grantees = some_values(ld, e, "orgGrantee", &v->n_grantees, &dropped_grantees);
	v->scopes = some_values(ld, e, "orgScope", &v->n_scopes, &dropped_scopes);
	if (v->grantees == NULL || v->scopes == NULL)
		return -1;
	parse_window(ld, e, &v->window);
	if (has_options(ld, e, grant_security_attrs, v->why, sizeof(v->why)))
		return 0;
	if (single_value(ld, e, "orgGrantedRole", &v->role_dn) != 0 || v->role_dn == NULL)
		snprintf(v->why, sizeof(v->why),
			 "orgGrantedRole is missing, repeated or unreadable");
	else if (dn_parse(v->role_dn, &d) != 0)
		snprintf(v->why, sizeof(v->why), "orgGrantedRole is not a DN");
	else if (dropped_grantees > 0 || dropped_scopes > 0)
		snprintf(v->why, sizeof(v->why), "an %s value is over %d bytes or holds a NUL",
			 dropped_grantees > 0 ? "orgGrantee" : "orgScope", VALUE_MAX);
	else if (v->window.malformed)
		snprintf(v->why, sizeof(v->why),
			 "orgNotBefore or orgNotAfter is repeated or not GeneralizedTime");
	dn_free(&d);
	for (size_t i = 0; v->why[0] == '\0' && i < v->n_grantees; i++) {
		if (dn_parse(v->grantees[i], &d) != 0)
			snprintf(v->why, sizeof(v->why), "an orgGrantee value is not a DN");
		dn_free(&d);
	}
	for (size_t i = 0; v->why[0] == '\0' && i < v->n_scopes; i++)
		if (!orgrbac_scope_valid(v->scopes[i]))
			snprintf(v->why, sizeof(v->why),
				 "orgScope '%.60s' is not service:NAME or resource:NAME",
				 v->scopes[i]);
	return 0;
}

/* The grantee value that names the user or one of its groups. */
static char *grant_via(struct load *s, char *const *grantees, size_t n)
{
	char *via = NULL;

	for (size_t i = 0; i < n && via == NULL; i++) {
		struct dn d;

		if (dn_parse(grantees[i], &d) != 0)
			continue;
		if (strcmp(d.str, s->user.str) == 0 || is_group(s, d.str))
			via = strdup(grantees[i]);
		dn_free(&d);
	}
	return via;
}

static int add_grant(struct load *s, LDAPMessage *e, bool platform)
{
	struct orgrbac_facts *f = s->f;
	struct orgrbac_grant *g, *grown;
	struct grant_values v;
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
	g->platform = platform;
	g->org = platform ? NULL : strdup(f->org);
	if (read_grant(s->ld, e, &v) != 0) {
		grant_values_free(&v);
		return fail(s, ORGRBAC_DIR_ERROR, "out of memory");
	}
	memcpy(g->unreadable, v.why, sizeof(g->unreadable));
	g->role_dn = v.role_dn;
	g->scopes = v.scopes;
	g->n_scopes = v.n_scopes;
	g->window = v.window;
	g->via = grant_via(s, v.grantees, v.n_grantees);
	orgrbac_strv_free(v.grantees);
	if (g->via == NULL && g->unreadable[0] == '\0')
		snprintf(g->unreadable, sizeof(g->unreadable),
			 "no orgGrantee value names the user or its groups");
	if (g->name == NULL || (!platform && g->org == NULL))
		return fail(s, ORGRBAC_DIR_ERROR, "cannot read grant %s", dn);
	return ORGRBAC_DIR_FOUND;
}

/*
 * The grants naming the user or its groups: its organization's, then the
 * platform's in ou=grants beneath the base, which a directory may not have.
 */
static int load_grants(struct load *s)
{
	static char *attrs[] = {"cn",		"orgGrantedRole", "orgGrantee", "orgScope",
				"orgNotBefore", "orgNotAfter",	  NULL};
	size_t n = s->f->n_groups + 1;
	char **grantees = calloc(n, sizeof(*grantees)), *platform_dn = NULL;
	bool absent; /* a directory without platform grants: none */
	int rc = ORGRBAC_DIR_FOUND;

	if (grantees == NULL || asprintf(&platform_dn, "ou=grants,%s", s->cfg->base) < 0) {
		free(grantees);
		return fail(s, ORGRBAC_DIR_ERROR, "out of memory");
	}
	grantees[0] = s->f->dn;
	for (size_t i = 1; i < n; i++)
		grantees[i] = s->f->groups[i - 1];
	for (int platform = 0; platform < 2; platform++)
		for (size_t i = 0; i < n && rc == ORGRBAC_DIR_FOUND; i += FILTER_BATCH) {
			size_t batch = n - i < FILTER_BATCH ? n - i : FILTER_BATCH;
			char *filter =
			    filter_any("orgRoleGrant", "orgGrantee", grantees + i, batch);
			LDAPMessage *res = NULL, *e;

			if (filter == NULL) {
				rc = fail(s, ORGRBAC_DIR_ERROR, "grant filter too long");
				break;
			}
			rc = search(s, platform ? platform_dn : s->org_dn, LDAP_SCOPE_SUBTREE,
				    filter, attrs, ORGRBAC_MAX_GRANTS, platform ? &absent : NULL,
				    &res);
			free(filter);
			/* no result to walk after a failure, or for a platform subtree the
			 * directory does not have */
			for (e = rc == ORGRBAC_DIR_FOUND && res != NULL
				     ? ldap_first_entry(s->ld, res)
				     : NULL;
			     rc == ORGRBAC_DIR_FOUND && e != NULL; e = ldap_next_entry(s->ld, e))
				rc = add_grant(s, e, platform);
			ldap_msgfree(res);
		}
	free(grantees);
	free(platform_dn);
	return rc;
}

/*
 * May this grant use this role? Global roles always; the organization's own
 * roles only from the organization's own grants, never from platform grants.
 */
static bool role_in_reach(struct load *s, const struct orgrbac_grant *g)
{
	struct dn d, global;
	bool ok = false;
	char *global_dn;

	if (g->role_dn == NULL || dn_parse(g->role_dn, &d) != 0)
		return false;
	if (asprintf(&global_dn, "ou=roles,%s", s->cfg->base) >= 0) {
		if (dn_parse(global_dn, &global) == 0) {
			ok = dn_below(&d, &global) || (!g->platform && dn_below(&d, &s->org));
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

		if (!role_in_reach(s, &f->grants[i]))
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
		rc = search(s, s->cfg->base, LDAP_SCOPE_SUBTREE, filter, attrs, (int)batch, NULL,
			    &res);
		free(filter);
		/* a failed search leaves no result to walk */
		for (e = rc == ORGRBAC_DIR_FOUND ? ldap_first_entry(s->ld, res) : NULL; e != NULL;
		     e = ldap_next_entry(s->ld, e))
			if (rc == ORGRBAC_DIR_FOUND && f->n_roles < n)
				rc = add_role(s, e);
		ldap_msgfree(res);
	}
	free(dns);
	if (rc != ORGRBAC_DIR_FOUND)
		return rc;
	for (size_t i = 0; i < f->n_grants; i++) {
		struct orgrbac_grant *g = &f->grants[i];

		if (!role_in_reach(s, g))
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

/*
 * The access values of an external-access entry. Options on, or several
 * values of, the mode, kind or window close the entry; role management is off
 * only for a single, plain "FALSE".
 */
static void read_external(LDAP *ld, LDAPMessage *e, struct orgrbac_external *x)
{
	static const char *const closing[] = {"orgExternalKind", "orgAccessMode", "orgNotBefore",
					      "orgNotAfter", NULL};
	static const char *const management[] = {"orgRoleManagement", NULL};
	char *kind = NULL, *mode = NULL, *rm = NULL, ignored[ORGRBAC_UNREADABLE_MAX];
	bool kind_ok = single_value(ld, e, "orgExternalKind", &kind) == 0;
	bool mode_ok = single_value(ld, e, "orgAccessMode", &mode) == 0;

	x->kind = kind_ok ? ext_kind(kind) : ORGRBAC_EXT_KIND_UNKNOWN;
	x->mode = mode_ok ? ext_mode(mode) : ORGRBAC_MODE_UNKNOWN;
	parse_window(ld, e, &x->window);
	x->unreadable[0] = '\0';
	if (!has_options(ld, e, closing, x->unreadable, sizeof(x->unreadable)) &&
	    (!kind_ok || !mode_ok))
		snprintf(x->unreadable, sizeof(x->unreadable),
			 "orgExternalKind or orgAccessMode is repeated or unreadable");
	x->role_management = true;
	if (single_value(ld, e, "orgRoleManagement", &rm) == 0 && rm != NULL &&
	    strcmp(rm, "FALSE") == 0 && !has_options(ld, e, management, ignored, sizeof(ignored)))
		x->role_management = false;
	free(kind);
	free(mode);
	free(rm);
}

static int cmp_external_depth(const void *a, const void *b)
{
	const struct orgrbac_external *x = a, *y = b;
	struct dn dx, dy;
	size_t nx = 0, ny = 0;

	if (dn_parse(x->dn, &dx) == 0)
		nx = dx.n;
	if (dn_parse(y->dn, &dy) == 0)
		ny = dy.n;
	dn_free(&dx);
	dn_free(&dy);
	return nx < ny ? 1 : nx > ny ? -1 : 0; /* deepest, the nearest, first */
}

/* Every external-access entry above the user, nearest first: each one must be open. */
static int load_external(struct load *s)
{
	static char *attrs[] = {"cn",
				"orgExternalKind",
				"orgAccessMode",
				"orgNotBefore",
				"orgNotAfter",
				"orgRoleManagement",
				NULL};
	LDAPMessage *res = NULL, *e;
	struct orgrbac_facts *f = s->f;
	int rc;

	rc = search(s, s->org_dn, LDAP_SCOPE_SUBTREE, "(objectClass=orgExternalAccess)", attrs,
		    ORGRBAC_MAX_EXTERNAL, NULL, &res);
	if (rc != ORGRBAC_DIR_FOUND)
		return rc;
	f->external = calloc((size_t)ldap_count_entries(s->ld, res) + 1, sizeof(*f->external));
	if (f->external == NULL) {
		ldap_msgfree(res);
		return fail(s, ORGRBAC_DIR_ERROR, "out of memory");
	}
	for (e = ldap_first_entry(s->ld, res); e != NULL; e = ldap_next_entry(s->ld, e)) {
		struct orgrbac_external *x = &f->external[f->n_external];
		char *dn = ldap_get_dn(s->ld, e), **cns;
		struct dn d;
		bool above = false;
		size_t n;

		if (dn != NULL && dn_parse(dn, &d) == 0) {
			above = dn_below(&s->user, &d);
			dn_free(&d);
		}
		ldap_memfree(dn);
		if (!above)
			continue;
		f->n_external++;
		x->dn = entry_dn(s->ld, e);
		cns = all_values(s->ld, e, "cn", &n);
		x->name = cns != NULL && n > 0 ? strdup(cns[0]) : NULL;
		orgrbac_strv_free(cns);
		read_external(s->ld, e, x);
		if (x->dn == NULL || x->name == NULL) {
			ldap_msgfree(res);
			return fail(s, ORGRBAC_DIR_ERROR, "cannot read external-access entry");
		}
	}
	ldap_msgfree(res);
	if (f->n_external == 0) {
		free(f->external);
		f->external = NULL;
	}
	if (f->n_external > 1)
		qsort(f->external, f->n_external, sizeof(*f->external), cmp_external_depth);
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
	struct grant_values v;
	char *dn = entry_dn_norm(ld, e);

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
	if (read_grant(ld, e, &v) != 0) {
		grant_values_free(&v);
		return -1;
	}
	memcpy(g->unreadable, v.why, sizeof(g->unreadable));
	g->role_dn = v.role_dn != NULL ? dn_norm(v.role_dn) : NULL;
	g->grantees = v.grantees;
	g->n_grantees = v.n_grantees;
	g->scopes = v.scopes;
	g->n_scopes = v.n_scopes;
	g->window = v.window;
	free(v.role_dn);
	norm_all(g->grantees, &g->n_grantees);
	return 0;
}

static int image_external(void *ctx, LDAP *ld, LDAPMessage *e)
{
	struct orgrbac_image *img = ctx;
	struct orgrbac_img_external *x;
	char *dn = entry_dn_norm(ld, e);

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
	read_external(ld, e, &x->access);
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
	static char *ext_attrs[] = {"orgExternalKind", "orgAccessMode",	    "orgNotBefore",
				    "orgNotAfter",     "orgRoleManagement", NULL};
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
