/* SPDX-License-Identifier: BSD-2-Clause */
/* `orgrbac role`: an organization's roles (or the global ones), validated, then one write each. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "dn.h"
#include "entry.h"
#include "expr.h"
#include "osgroup.h"
#include "write.h"

static char *role_attrs[] = {
    "cn",	  "orgPrivilege", "gidNumber",	     "orgGroupName",  "description",
    "orgManaged", "creatorsName", "createTimestamp", "modifiersName", "modifyTimestamp",
    NULL};

void orgrbac_role_info_free(struct orgrbac_role_info *r)
{
	if (r == NULL)
		return;
	free(r->dn);
	free(r->name);
	for (size_t i = 0; r->privileges != NULL && i < r->n_privileges; i++)
		free(r->privileges[i]);
	free(r->privileges);
	free(r->gid);
	free(r->group_name);
	free(r->description);
	free(r->creator);
	free(r->created);
	free(r->modifier);
	free(r->modified);
	memset(r, 0, sizeof(*r));
}

void orgrbac_role_list_free(struct orgrbac_role_info *r, size_t n)
{
	for (size_t i = 0; r != NULL && i < n; i++)
		orgrbac_role_info_free(&r[i]);
	free(r);
}

void orgrbac_role_result_free(struct orgrbac_role_result *r)
{
	free(r->dn);
	free(r->ldif);
	for (size_t i = 0; r->grants != NULL && i < r->n_grants; i++)
		free(r->grants[i]);
	free(r->grants);
	r->dn = r->ldif = NULL;
	r->grants = NULL;
	r->n_grants = 0;
}

/* The subtree the place's roles are searched in, and the entry new roles go under. */
static int place(const struct orgrbac_admin *a, char **search_base, char **parent)
{
	char *org_dn = NULL;

	*search_base = *parent = NULL;
	if (a->org == NULL) {
		*search_base = orgrbac_dn_child("ou", "roles", a->base);
		*parent = orgrbac_strdup(*search_base);
	} else {
		org_dn = orgrbac_dn_child("o", a->org, a->base);
		if (org_dn != NULL)
			*parent = orgrbac_dn_child("ou", "roles", org_dn);
		*search_base = org_dn;
	}
	if (*search_base == NULL || *parent == NULL) {
		free(*search_base);
		free(*parent);
		*search_base = *parent = NULL;
		return -1;
	}
	return 0;
}

/* "(&(objectClass=CLS)(ATTR=VALUE))" with VALUE escaped; NULL on ENOMEM or a value too long. */
static char *filter_eq(const char *cls, const char *attr, const char *value)
{
	size_t vlen = strlen(value), esc_len = vlen * 3 + 1;
	char *esc, *out = NULL;
	size_t len;

	if (vlen > ORGRBAC_VALUE_MAX)
		return NULL;
	esc = malloc(esc_len);
	if (esc == NULL)
		return NULL;
	if (orgrbac_filter_escape(value, esc, esc_len) >= 0) {
		len = strlen(cls) + strlen(attr) + strlen(esc) + 32;
		out = malloc(len);
		if (out != NULL)
			snprintf(out, len, "(&(objectClass=%s)(%s=%s))", cls, attr, esc);
	}
	free(esc);
	return out;
}

/* A single value, or NULL (absent, several, or unusable). */
static char *one_value(LDAP *ld, LDAPMessage *e, const char *attr)
{
	char *v = NULL;

	if (orgrbac_single_value(ld, e, attr, &v) != 0)
		return NULL;
	return v;
}

static int read_info(LDAP *ld, LDAPMessage *e, struct orgrbac_role_info *r)
{
	char *managed;

	memset(r, 0, sizeof(*r));
	r->dn = orgrbac_entry_dn(ld, e);
	r->name = orgrbac_first_value(ld, e, "cn");
	r->privileges = orgrbac_all_values(ld, e, "orgPrivilege", &r->n_privileges);
	r->gid = one_value(ld, e, "gidNumber");
	r->group_name = one_value(ld, e, "orgGroupName");
	r->description = orgrbac_first_value(ld, e, "description");
	managed = orgrbac_first_value(ld, e, "orgManaged");
	r->managed = managed != NULL && strcmp(managed, "TRUE") == 0;
	free(managed);
	r->creator = one_value(ld, e, "creatorsName");
	r->created = one_value(ld, e, "createTimestamp");
	r->modifier = one_value(ld, e, "modifiersName");
	r->modified = one_value(ld, e, "modifyTimestamp");
	if (r->dn == NULL || r->privileges == NULL) {
		orgrbac_role_info_free(r);
		return -1;
	}
	if (r->name == NULL)
		r->name = orgrbac_strdup("?");
	return 0;
}

static enum orgrbac_admin_status ldap_status(enum orgrbac_ldap_status s)
{
	return s == ORGRBAC_LDAP_OK ? ORGRBAC_ADMIN_DONE : ORGRBAC_ADMIN_ERROR;
}

static int by_name(const void *a, const void *b)
{
	const struct orgrbac_role_info *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* The roles under `base` matching `filter`; NOOBJECT is an empty answer only when `absent_ok`. */
static enum orgrbac_admin_status find_roles(const struct orgrbac_admin *a, const char *base,
					    const char *filter, bool absent_ok,
					    struct orgrbac_role_info **out, size_t *n,
					    orgrbac_error *err)
{
	LDAP *ld = orgrbac_ldap_handle(a->l);
	LDAPMessage *res = NULL;
	enum orgrbac_ldap_status s;
	struct orgrbac_role_info *r;
	size_t count = 0;

	*out = NULL;
	*n = 0;
	s = orgrbac_ldap_search(a->l, base, LDAP_SCOPE_SUBTREE, filter, role_attrs,
				ORGRBAC_ADMIN_MAX_ROLES, &res, err);
	if (s == ORGRBAC_LDAP_NOOBJECT) {
		if (absent_ok)
			return ORGRBAC_ADMIN_DONE;
		orgrbac_seterr(err, "%.300s: no such entry (or hidden from this identity)", base);
		return ORGRBAC_ADMIN_ERROR;
	}
	if (s != ORGRBAC_LDAP_OK)
		return ldap_status(s);
	r = calloc((size_t)ldap_count_entries(ld, res) + 1, sizeof(*r));
	if (r == NULL) {
		ldap_msgfree(res);
		orgrbac_seterr(err, "out of memory");
		return ORGRBAC_ADMIN_ERROR;
	}
	for (LDAPMessage *e = ldap_first_entry(ld, res); e != NULL; e = ldap_next_entry(ld, e)) {
		if (read_info(ld, e, &r[count]) != 0) {
			ldap_msgfree(res);
			orgrbac_role_list_free(r, count);
			orgrbac_seterr(err, "out of memory");
			return ORGRBAC_ADMIN_ERROR;
		}
		count++;
	}
	ldap_msgfree(res);
	qsort(r, count, sizeof(*r), by_name);
	*out = r;
	*n = count;
	return ORGRBAC_ADMIN_DONE;
}

enum orgrbac_admin_status orgrbac_role_list(const struct orgrbac_admin *a,
					    struct orgrbac_role_info **out, size_t *n,
					    orgrbac_error *err)
{
	char *base, *parent;
	enum orgrbac_admin_status st;

	if (place(a, &base, &parent) != 0) {
		orgrbac_seterr(err, "out of memory, or the base is not a DN");
		return ORGRBAC_ADMIN_ERROR;
	}
	st = find_roles(a, base, "(objectClass=orgRole)", a->org == NULL, out, n, err);
	free(base);
	free(parent);
	return st;
}

/* The role NAME under `base`: DONE (r filled), REFUSED (none) or ERROR (several, or failed). */
static enum orgrbac_admin_status find_one(const struct orgrbac_admin *a, const char *base,
					  const char *name, bool absent_ok,
					  struct orgrbac_role_info *out, orgrbac_error *err)
{
	struct orgrbac_role_info *r = NULL;
	enum orgrbac_admin_status st;
	char *filter = filter_eq("orgRole", "cn", name);
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	if (filter == NULL) {
		orgrbac_seterr(err, "out of memory, or the name is too long");
		return ORGRBAC_ADMIN_ERROR;
	}
	st = find_roles(a, base, filter, absent_ok, &r, &n, err);
	free(filter);
	if (st != ORGRBAC_ADMIN_DONE)
		return st;
	if (n == 0) {
		orgrbac_seterr(err, "no role named '%.300s' under %.300s", name, base);
		st = ORGRBAC_ADMIN_REFUSED;
	} else if (n > 1) {
		orgrbac_seterr(err,
			       "%zu roles named '%.300s' under %.300s: fix the directory first", n,
			       name, base);
		st = ORGRBAC_ADMIN_ERROR;
	} else {
		*out = r[0];
		memset(&r[0], 0, sizeof(r[0]));
	}
	orgrbac_role_list_free(r, n);
	return st;
}

enum orgrbac_admin_status orgrbac_role_show(const struct orgrbac_admin *a, const char *name,
					    struct orgrbac_role_info *out, orgrbac_error *err)
{
	char *base, *parent;
	enum orgrbac_admin_status st;

	if (place(a, &base, &parent) != 0) {
		orgrbac_seterr(err, "out of memory, or the base is not a DN");
		return ORGRBAC_ADMIN_ERROR;
	}
	st = find_one(a, base, name, a->org == NULL, out, err);
	free(base);
	free(parent);
	return st;
}

/* ---- validation ---- */

/* A role name: 1..256 bytes of UTF-8 without control characters. */
static bool role_name_valid(const char *s, const char **why)
{
	size_t len = strlen(s);
	const unsigned char *p = (const unsigned char *)s;

	*why = NULL;
	if (len == 0)
		*why = "empty";
	else if (len > ORGRBAC_ADMIN_NAME_MAX)
		*why = "longer than 256 bytes";
	while (*why == NULL && *p != '\0') {
		size_t more;

		if (*p < 0x20 || *p == 0x7f) {
			*why = "a control character";
			break;
		}
		if (*p < 0x80)
			more = 0;
		else if ((*p & 0xe0) == 0xc0 && *p >= 0xc2)
			more = 1;
		else if ((*p & 0xf0) == 0xe0)
			more = 2;
		else if ((*p & 0xf8) == 0xf0 && *p <= 0xf4)
			more = 3;
		else {
			*why = "not valid UTF-8";
			break;
		}
		p++;
		for (size_t i = 0; i < more; i++, p++) {
			if ((*p & 0xc0) != 0x80) {
				*why = "not valid UTF-8";
				break;
			}
		}
	}
	if (*why == NULL && (s[0] == ' ' || s[len - 1] == ' '))
		*why = "a leading or trailing space";
	return *why == NULL;
}

static bool privileges_valid(char **p, size_t n, orgrbac_error *err)
{
	for (size_t i = 0; i < n; i++) {
		if (!orgrbac_privilege_valid(p[i], true)) {
			orgrbac_seterr(err,
				       "privilege '%.200s' does not parse: segments of "
				       "[A-Za-z0-9_.-] joined by ':', optionally ending in ':*', "
				       "or '*' alone",
				       p[i]);
			return false;
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(p[i], p[j]) == 0) {
				orgrbac_seterr(err, "privilege '%.200s' given twice", p[i]);
				return false;
			}
		}
	}
	return true;
}

static bool gid_parse(const char *s, unsigned long *gid, orgrbac_error *err)
{
	char *end;

	errno = 0;
	if (s[0] < '0' || s[0] > '9') {
		orgrbac_seterr(err, "gid '%.64s' is not a number (or 'auto')", s);
		return false;
	}
	*gid = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || *gid > ORGRBAC_ADMIN_GID_MAX) {
		orgrbac_seterr(err, "gid '%.64s' is not a number (or 'auto')", s);
		return false;
	}
	if (*gid < ORGRBAC_ADMIN_GID_MIN) {
		orgrbac_seterr(err, "gid %lu is below %u: those are the system's", *gid,
			       ORGRBAC_ADMIN_GID_MIN);
		return false;
	}
	return true;
}

#define GID_CLASSES "(|(objectClass=orgRole)(objectClass=posixGroup))"

/* Who holds `gid` in the directory, other than `self`: REFUSED naming it, DONE when free. */
static enum orgrbac_admin_status gid_free(const struct orgrbac_admin *a, unsigned long gid,
					  const char *self, orgrbac_error *err)
{
	LDAP *ld = orgrbac_ldap_handle(a->l);
	LDAPMessage *res = NULL;
	char filter[128], *attrs[] = {"1.1", NULL};
	enum orgrbac_admin_status st = ORGRBAC_ADMIN_DONE;
	enum orgrbac_ldap_status s;

	snprintf(filter, sizeof(filter), "(&" GID_CLASSES "(gidNumber=%lu))", gid);
	s = orgrbac_ldap_search(a->l, a->base, LDAP_SCOPE_SUBTREE, filter, attrs, 64, &res, err);
	if (s != ORGRBAC_LDAP_OK) {
		if (s == ORGRBAC_LDAP_NOOBJECT)
			orgrbac_seterr(err, "%.300s: no such base", a->base);
		return ORGRBAC_ADMIN_ERROR;
	}
	for (LDAPMessage *e = ldap_first_entry(ld, res); e != NULL; e = ldap_next_entry(ld, e)) {
		char *dn = orgrbac_entry_dn(ld, e);

		if (dn != NULL && self != NULL && orgrbac_dn_same(dn, self)) {
			free(dn);
			continue;
		}
		orgrbac_seterr(err, "gid %lu is taken by %.300s", gid, dn != NULL ? dn : "?");
		free(dn);
		st = ORGRBAC_ADMIN_REFUSED;
		break;
	}
	ldap_msgfree(res);
	return st;
}

struct gids {
	unsigned long *v;
	size_t n, cap;
};

static int collect_gid(void *ctx, LDAP *ld, LDAPMessage *e)
{
	struct gids *g = ctx;
	char *v = NULL, *end;
	unsigned long gid;

	if (orgrbac_single_value(ld, e, "gidNumber", &v) != 0 || v == NULL)
		return 0; /* an unreadable gid takes nothing we could tell */
	errno = 0;
	gid = strtoul(v, &end, 10);
	if (errno == 0 && *end == '\0' && v[0] >= '0' && v[0] <= '9') {
		if (g->n == g->cap) {
			size_t cap = g->cap != 0 ? g->cap * 2 : 64;
			unsigned long *nv = realloc(g->v, cap * sizeof(*nv));

			if (nv == NULL) {
				free(v);
				return -1;
			}
			g->v = nv;
			g->cap = cap;
		}
		g->v[g->n++] = gid;
	}
	free(v);
	return 0;
}

static int ulong_cmp(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* The lowest gid >= 1000 that no role or POSIX group of the directory holds. */
static enum orgrbac_admin_status gid_auto(const struct orgrbac_admin *a, unsigned long *gid,
					  orgrbac_error *err)
{
	char *attrs[] = {"gidNumber", NULL};
	struct gids g = {0};
	enum orgrbac_ldap_status s;
	unsigned long want = ORGRBAC_ADMIN_GID_MIN;

	s = orgrbac_ldap_search_paged(a->l, a->base, LDAP_SCOPE_SUBTREE,
				      "(&" GID_CLASSES "(gidNumber>=1000))", attrs, 500,
				      ORGRBAC_ADMIN_MAX_ROLES, collect_gid, &g, err);
	if (s != ORGRBAC_LDAP_OK) {
		free(g.v);
		return ORGRBAC_ADMIN_ERROR;
	}
	qsort(g.v, g.n, sizeof(*g.v), ulong_cmp);
	for (size_t i = 0; i < g.n; i++) {
		if (g.v[i] == want)
			want++;
		else if (g.v[i] > want)
			break;
	}
	free(g.v);
	if (want > ORGRBAC_ADMIN_GID_MAX) {
		orgrbac_seterr(err, "no free gid left");
		return ORGRBAC_ADMIN_REFUSED;
	}
	*gid = want;
	return ORGRBAC_ADMIN_DONE;
}

/* ---- LDIF ---- */

static bool ldif_safe(const char *v)
{
	const unsigned char *p = (const unsigned char *)v;

	if (*p == ' ' || *p == ':' || *p == '<')
		return false;
	for (; *p != '\0'; p++)
		if (*p >= 0x80 || *p == '\n' || *p == '\r')
			return false;
	return p == (const unsigned char *)v || p[-1] != ' ';
}

static void ldif_line(FILE *f, const char *attr, const char *v)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)v;
	size_t len = strlen(v);

	if (ldif_safe(v)) {
		fprintf(f, "%s: %s\n", attr, v);
		return;
	}
	fprintf(f, "%s:: ", attr);
	for (size_t i = 0; i < len; i += 3) {
		unsigned long n = (unsigned long)p[i] << 16;

		if (i + 1 < len)
			n |= (unsigned long)p[i + 1] << 8;
		if (i + 2 < len)
			n |= p[i + 2];
		fputc(b64[(n >> 18) & 63], f);
		fputc(b64[(n >> 12) & 63], f);
		fputc(i + 1 < len ? b64[(n >> 6) & 63] : '=', f);
		fputc(i + 2 < len ? b64[n & 63] : '=', f);
	}
	fputc('\n', f);
}

/* ---- the change: its modifications, as LDAPMod and as LDIF at once ---- */

#define MAX_MODS 8

struct change {
	LDAPMod mod[MAX_MODS];
	LDAPMod *mods[MAX_MODS + 1];
	char *vals[MAX_MODS][2]; /* single values */
	size_t n;
	FILE *ldif;
};

static void mod_add(struct change *c, int op, const char *attr, char **values, const char *one)
{
	if (c->n == MAX_MODS)
		return;
	c->mod[c->n].mod_op = op;
	c->mod[c->n].mod_type = (char *)attr;
	if (values == NULL) {
		c->vals[c->n][0] = (char *)one;
		c->vals[c->n][1] = NULL;
		values = c->vals[c->n];
	}
	c->mod[c->n].mod_values = values;
	c->mods[c->n] = &c->mod[c->n];
	c->mods[++c->n] = NULL;
}

static void ldif_mod(struct change *c, const char *op, const char *attr, char **values,
		     const char *one)
{
	if (op != NULL)
		fprintf(c->ldif, "%s: %s\n", op, attr);
	if (values == NULL)
		ldif_line(c->ldif, attr, one);
	for (size_t i = 0; values != NULL && values[i] != NULL; i++)
		ldif_line(c->ldif, attr, values[i]);
	if (op != NULL)
		fprintf(c->ldif, "-\n");
}

/* NULL-terminated copy of the pointers (the strings stay the caller's). */
static char **terminated(char **v, size_t n)
{
	char **out = calloc(n + 1, sizeof(*out));

	if (out != NULL && n > 0)
		memcpy(out, v, n * sizeof(*out));
	return out;
}

static bool holds(const struct orgrbac_role_info *r, const char *p)
{
	for (size_t i = 0; i < r->n_privileges; i++)
		if (strcmp(r->privileges[i], p) == 0)
			return true;
	return false;
}

/* The grants anywhere under the base that name `dn`: REFUSED listing them, DONE when none. */
static enum orgrbac_admin_status grants_naming(const struct orgrbac_admin *a, const char *dn,
					       struct orgrbac_role_result *r)
{
	LDAP *ld = orgrbac_ldap_handle(a->l);
	LDAPMessage *res = NULL;
	char *attrs[] = {"1.1", NULL}, *filter = filter_eq("orgRoleGrant", "orgGrantedRole", dn);
	enum orgrbac_ldap_status s;
	size_t n = 0;

	if (filter == NULL) {
		orgrbac_seterr(&r->err, "out of memory");
		return ORGRBAC_ADMIN_ERROR;
	}
	s = orgrbac_ldap_search(a->l, a->base, LDAP_SCOPE_SUBTREE, filter, attrs,
				ORGRBAC_ADMIN_MAX_ROLES, &res, &r->err);
	free(filter);
	if (s != ORGRBAC_LDAP_OK)
		return ORGRBAC_ADMIN_ERROR;
	r->grants = calloc((size_t)ldap_count_entries(ld, res) + 1, sizeof(*r->grants));
	if (r->grants == NULL) {
		ldap_msgfree(res);
		orgrbac_seterr(&r->err, "out of memory");
		return ORGRBAC_ADMIN_ERROR;
	}
	for (LDAPMessage *e = ldap_first_entry(ld, res); e != NULL; e = ldap_next_entry(ld, e)) {
		char *g = orgrbac_entry_dn(ld, e);

		if (g != NULL)
			r->grants[n++] = g;
	}
	r->n_grants = n;
	ldap_msgfree(res);
	if (n > 0) {
		orgrbac_seterr(&r->err, "%zu grant%s name%s this role: revoke %s first", n,
			       n == 1 ? "" : "s", n == 1 ? "s" : "", n == 1 ? "it" : "them");
		return ORGRBAC_ADMIN_REFUSED;
	}
	return ORGRBAC_ADMIN_DONE;
}

/* Does a role of that name exist where it would clash (the place, and the global roles)? */
static enum orgrbac_admin_status name_free(const struct orgrbac_admin *a, const char *search_base,
					   const char *name, orgrbac_error *err)
{
	struct orgrbac_role_info found;
	struct orgrbac_admin global = *a;
	char *gbase = NULL, *gparent = NULL;
	enum orgrbac_admin_status st;

	st = find_one(a, search_base, name, true, &found, err);
	if (st == ORGRBAC_ADMIN_DONE) {
		orgrbac_seterr(err, "a role named '%.200s' exists: %.300s", name, found.dn);
		orgrbac_role_info_free(&found);
		return ORGRBAC_ADMIN_REFUSED;
	}
	if (st == ORGRBAC_ADMIN_ERROR || a->org == NULL)
		return st == ORGRBAC_ADMIN_REFUSED ? ORGRBAC_ADMIN_DONE : st;
	/* an organization's role must not take a global role's name */
	global.org = NULL;
	if (place(&global, &gbase, &gparent) != 0) {
		orgrbac_seterr(err, "out of memory");
		return ORGRBAC_ADMIN_ERROR;
	}
	st = find_one(&global, gbase, name, true, &found, err);
	free(gbase);
	free(gparent);
	if (st == ORGRBAC_ADMIN_DONE) {
		orgrbac_seterr(err, "a global role named '%.200s' exists: %.300s", name, found.dn);
		orgrbac_role_info_free(&found);
		return ORGRBAC_ADMIN_REFUSED;
	}
	return st == ORGRBAC_ADMIN_REFUSED ? ORGRBAC_ADMIN_DONE : st;
}

/* Validation common to add and set: privileges, group name, gid (resolved into gidbuf). */
static enum orgrbac_admin_status validate(const struct orgrbac_admin *a,
					  const struct orgrbac_role_change *c, const char *self,
					  char *gidbuf, size_t gidlen, orgrbac_error *err)
{
	unsigned long gid = 0;
	enum orgrbac_admin_status st;

	if (!privileges_valid(c->add, c->n_add, err) ||
	    !privileges_valid(c->remove, c->n_remove, err))
		return ORGRBAC_ADMIN_REFUSED;
	if (c->group_name != NULL && !orgrbac_group_name_valid(c->group_name)) {
		orgrbac_seterr(err,
			       "group name '%.200s' is not usable: 1..255 of [A-Za-z0-9_.-], "
			       "not starting with '-'",
			       c->group_name);
		return ORGRBAC_ADMIN_REFUSED;
	}
	if (c->description != NULL && strlen(c->description) > ORGRBAC_VALUE_MAX) {
		orgrbac_seterr(err, "description longer than %d bytes", ORGRBAC_VALUE_MAX);
		return ORGRBAC_ADMIN_REFUSED;
	}
	gidbuf[0] = '\0';
	if (c->gid == NULL)
		return ORGRBAC_ADMIN_DONE;
	if (strcmp(c->gid, "auto") == 0) {
		st = gid_auto(a, &gid, err);
		if (st != ORGRBAC_ADMIN_DONE)
			return st;
	} else {
		if (!gid_parse(c->gid, &gid, err))
			return ORGRBAC_ADMIN_REFUSED;
		st = gid_free(a, gid, self, err);
		if (st != ORGRBAC_ADMIN_DONE)
			return st;
	}
	snprintf(gidbuf, gidlen, "%lu", gid);
	return ORGRBAC_ADMIN_DONE;
}

/* role add: the entry, with every value. */
static void build_add(const struct orgrbac_role_change *c, const char *gid, struct change *ch,
		      char **privs)
{
	static char *classes[] = {"orgRole", NULL};

	fprintf(ch->ldif, "changetype: add\n");
	mod_add(ch, LDAP_MOD_ADD, "objectClass", classes, NULL);
	ldif_mod(ch, NULL, "objectClass", classes, NULL);
	mod_add(ch, LDAP_MOD_ADD, "cn", NULL, c->name);
	ldif_mod(ch, NULL, "cn", NULL, c->name);
	mod_add(ch, LDAP_MOD_ADD, "orgPrivilege", privs, NULL);
	ldif_mod(ch, NULL, "orgPrivilege", privs, NULL);
	if (gid[0] != '\0') {
		mod_add(ch, LDAP_MOD_ADD, "gidNumber", NULL, gid);
		ldif_mod(ch, NULL, "gidNumber", NULL, gid);
	}
	if (c->group_name != NULL) {
		mod_add(ch, LDAP_MOD_ADD, "orgGroupName", NULL, c->group_name);
		ldif_mod(ch, NULL, "orgGroupName", NULL, c->group_name);
	}
	if (c->description != NULL) {
		mod_add(ch, LDAP_MOD_ADD, "description", NULL, c->description);
		ldif_mod(ch, NULL, "description", NULL, c->description);
	}
}

/* role set: the modifications; REFUSED when they would change nothing or name what is not there. */
static enum orgrbac_admin_status build_set(const struct orgrbac_role_change *c,
					   const struct orgrbac_role_info *cur, const char *gid,
					   struct change *ch, char **add, char **remove,
					   orgrbac_error *err)
{
	for (size_t i = 0; i < c->n_add; i++) {
		if (holds(cur, c->add[i])) {
			orgrbac_seterr(err, "role '%.200s' already holds privilege '%.200s'",
				       c->name, c->add[i]);
			return ORGRBAC_ADMIN_REFUSED;
		}
		for (size_t j = 0; j < c->n_remove; j++) {
			if (strcmp(c->add[i], c->remove[j]) == 0) {
				orgrbac_seterr(err, "privilege '%.200s' both added and removed",
					       c->add[i]);
				return ORGRBAC_ADMIN_REFUSED;
			}
		}
	}
	for (size_t i = 0; i < c->n_remove; i++) {
		if (!holds(cur, c->remove[i])) {
			orgrbac_seterr(err, "role '%.200s' does not hold privilege '%.200s'",
				       c->name, c->remove[i]);
			return ORGRBAC_ADMIN_REFUSED;
		}
	}
	fprintf(ch->ldif, "changetype: modify\n");
	if (c->n_add > 0) {
		mod_add(ch, LDAP_MOD_ADD, "orgPrivilege", add, NULL);
		ldif_mod(ch, "add", "orgPrivilege", add, NULL);
	}
	if (c->n_remove > 0) {
		mod_add(ch, LDAP_MOD_DELETE, "orgPrivilege", remove, NULL);
		ldif_mod(ch, "delete", "orgPrivilege", remove, NULL);
	}
	if (gid[0] != '\0') {
		mod_add(ch, LDAP_MOD_REPLACE, "gidNumber", NULL, gid);
		ldif_mod(ch, "replace", "gidNumber", NULL, gid);
	}
	if (c->group_name != NULL) {
		mod_add(ch, LDAP_MOD_REPLACE, "orgGroupName", NULL, c->group_name);
		ldif_mod(ch, "replace", "orgGroupName", NULL, c->group_name);
	}
	if (c->description != NULL) {
		mod_add(ch, LDAP_MOD_REPLACE, "description", NULL, c->description);
		ldif_mod(ch, "replace", "description", NULL, c->description);
	}
	if (ch->n == 0) {
		orgrbac_seterr(err, "nothing to change: give --add-privilege, --remove-privilege, "
				    "--gid, --group-name or --description");
		return ORGRBAC_ADMIN_REFUSED;
	}
	return ORGRBAC_ADMIN_DONE;
}

/* Validated, then the one operation (or only its LDIF). */
static enum orgrbac_admin_status change(const struct orgrbac_admin *a,
					const struct orgrbac_role_change *c,
					const char *search_base, const char *parent,
					struct change *ch, struct orgrbac_role_result *r)
{
	struct orgrbac_role_info cur = {0};
	char gid[24] = "", **add = NULL, **remove = NULL;
	const char *why;
	enum orgrbac_admin_status st;
	enum orgrbac_ldap_status s = ORGRBAC_LDAP_OK;

	if (!role_name_valid(c->name, &why)) {
		orgrbac_seterr(&r->err, "role name refused: %s", why);
		return ORGRBAC_ADMIN_REFUSED;
	}
	if (c->op == ORGRBAC_ROLE_ADD) {
		if (c->n_add == 0) {
			orgrbac_seterr(&r->err, "a role needs at least one --privilege");
			return ORGRBAC_ADMIN_REFUSED;
		}
		st = validate(a, c, NULL, gid, sizeof(gid), &r->err);
		if (st == ORGRBAC_ADMIN_DONE)
			st = name_free(a, search_base, c->name, &r->err);
		if (st != ORGRBAC_ADMIN_DONE)
			return st;
		r->dn = orgrbac_dn_child("cn", c->name, parent);
	} else {
		st = find_one(a, search_base, c->name, a->org == NULL, &cur, &r->err);
		if (st != ORGRBAC_ADMIN_DONE)
			return st;
		if (cur.managed) {
			orgrbac_seterr(&r->err,
				       "role '%.200s' is orgManaged (a managed-services "
				       "agreement): orgrbac does not change it",
				       c->name);
			orgrbac_role_info_free(&cur);
			return ORGRBAC_ADMIN_REFUSED;
		}
		r->dn = cur.dn;
		cur.dn = NULL;
		if (c->op == ORGRBAC_ROLE_SET)
			st = validate(a, c, r->dn, gid, sizeof(gid), &r->err);
		else
			st = grants_naming(a, r->dn, r);
		if (st != ORGRBAC_ADMIN_DONE) {
			orgrbac_role_info_free(&cur);
			return st;
		}
	}
	add = terminated(c->add, c->n_add);
	remove = terminated(c->remove, c->n_remove);
	if (r->dn == NULL || add == NULL || remove == NULL) {
		orgrbac_seterr(&r->err, "out of memory");
		st = ORGRBAC_ADMIN_ERROR;
		goto out;
	}
	ldif_line(ch->ldif, "dn", r->dn);
	if (c->op == ORGRBAC_ROLE_ADD)
		build_add(c, gid, ch, add);
	else if (c->op == ORGRBAC_ROLE_SET)
		st = build_set(c, &cur, gid, ch, add, remove, &r->err);
	else
		fprintf(ch->ldif, "changetype: delete\n");
	if (st != ORGRBAC_ADMIN_DONE || c->dry_run)
		goto out;
	if (c->op == ORGRBAC_ROLE_ADD)
		s = orgrbac_ldap_add(a->l, r->dn, ch->mods, NULL, &r->err);
	else if (c->op == ORGRBAC_ROLE_SET)
		s = orgrbac_ldap_modify(a->l, r->dn, ch->mods, NULL, &r->err);
	else
		s = orgrbac_ldap_delete(a->l, r->dn, NULL, &r->err);
	st = ldap_status(s);
out:
	orgrbac_role_info_free(&cur);
	free(add);
	free(remove);
	return st;
}

enum orgrbac_admin_status orgrbac_role_change(const struct orgrbac_admin *a,
					      const struct orgrbac_role_change *c,
					      struct orgrbac_role_result *r)
{
	struct change ch = {0};
	char *base = NULL, *parent = NULL, *text = NULL;
	size_t len = 0;
	enum orgrbac_admin_status st;

	memset(r, 0, sizeof(*r));
	ch.ldif = open_memstream(&text, &len);
	if (ch.ldif == NULL || place(a, &base, &parent) != 0) {
		if (ch.ldif != NULL)
			fclose(ch.ldif);
		free(text);
		orgrbac_seterr(&r->err, "out of memory, or the base is not a DN");
		return ORGRBAC_ADMIN_ERROR;
	}
	st = change(a, c, base, parent, &ch, r);
	if (fclose(ch.ldif) != 0 && st == ORGRBAC_ADMIN_DONE) {
		orgrbac_seterr(&r->err, "out of memory");
		st = ORGRBAC_ADMIN_ERROR;
	}
	r->ldif = text;
	free(base);
	free(parent);
	return st;
}
