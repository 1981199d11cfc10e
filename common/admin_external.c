/* SPDX-License-Identifier: BSD-2-Clause */
/* `orgrbac external`: each change validated as the gate will read it, before anything is sent. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "admin_external.h"
#include "admin_external_int.h"
#include "admin_ldif.h"
#include "dn.h"
#include "expr.h"
#include "gtime.h"
#include "review.h"
#include "write.h"

bool orgrbac_external_open(const struct orgrbac_external *x, const char *org, int64_t now,
			   char *why, size_t len)
{
	struct orgrbac_external one = *x;
	struct orgrbac_facts f = {.user = "-", .dn = "-", .org = (char *)(org != NULL ? org : "-")};
	struct orgrbac_host host = {.org = f.org};
	struct orgrbac_policy policy = {0};
	struct orgrbac_decision d;
	struct orgrbac_expr *none = NULL;
	orgrbac_error err;
	char until[32];

	if (orgrbac_expr_parse("none", &none, &err) != 0) {
		snprintf(why, len, "closed: cannot judge it (%s)", err.msg);
		return false;
	}
	f.external = &one;
	f.n_external = 1;
	policy.require = none;
	orgrbac_decide(&f, &host, &policy, now, &d);
	orgrbac_expr_free(none);
	if (d.verdict != ORGRBAC_ALLOW) {
		snprintf(why, len, "closed: %s", d.reason);
		return false;
	}
	if (x->mode == ORGRBAC_MODE_WINDOW) {
		orgrbac_time_format(x->window.not_after, until, sizeof(until));
		snprintf(why, len, "open until %s", until);
	} else {
		snprintf(why, len, "open (continuous)");
	}
	return true;
}

/* ---- validation ---- */

static const char *kind_value(const char *s)
{
	if (s != NULL && strcmp(s, "vendor") == 0)
		return "vendor";
	if (s != NULL && strcmp(s, "partner") == 0)
		return "partner";
	return NULL;
}

static const char *mode_value(const char *s, enum orgrbac_ext_mode *m)
{
	static const char *const names[] = {"continuous", "window", "disabled"};
	static const enum orgrbac_ext_mode modes[] = {ORGRBAC_MODE_CONTINUOUS, ORGRBAC_MODE_WINDOW,
						      ORGRBAC_MODE_DISABLED};

	for (size_t i = 0; s != NULL && i < 3; i++)
		if (strcmp(s, names[i]) == 0) {
			*m = modes[i];
			return names[i];
		}
	return NULL;
}

/* A DNS domain: 1..253 bytes of labels of [A-Za-z0-9-], 1..63 each, no '-' at either end. */
static bool domain_valid(const char *d)
{
	size_t len = strlen(d), label = 0;

	if (len == 0 || len > 253 || d[0] == '.' || d[len - 1] == '.')
		return false;
	for (size_t i = 0; i <= len; i++) {
		char c = d[i];

		if (c == '.' || c == '\0') {
			if (label == 0 || label > 63 || d[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (label == 0 && c == '-')
			return false;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return false;
		label++;
	}
	return true;
}

static enum orgrbac_admin_status refuse(orgrbac_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Set err; REFUSED. */
static enum orgrbac_admin_status refuse(orgrbac_error *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return ORGRBAC_ADMIN_REFUSED;
}

/* add only: the domains and the description. */
static enum orgrbac_admin_status plan_extras(const struct orgrbac_external_change *c,
					     orgrbac_error *err)
{
	if (c->op != ORGRBAC_EXTERNAL_ADD && (c->n_domains > 0 || c->description != NULL))
		return refuse(err, "--domain and --description are for add");
	if (c->n_domains > ORGRBAC_EXTERNAL_DOMAINS_MAX) {
		orgrbac_seterr(err, "at most %d --domain values", ORGRBAC_EXTERNAL_DOMAINS_MAX);
		return ORGRBAC_ADMIN_REFUSED;
	}
	for (size_t i = 0; i < c->n_domains; i++) {
		if (!domain_valid(c->domains[i]))
			return refuse(err,
				      "domain '%.200s' is not a DNS name: labels of [A-Za-z0-9-] "
				      "joined by '.'",
				      c->domains[i]);
		for (size_t j = 0; j < i; j++)
			if (strcasecmp(c->domains[i], c->domains[j]) == 0)
				return refuse(err, "domain '%.200s' given twice", c->domains[i]);
	}
	if (c->description != NULL && strlen(c->description) > ORGRBAC_VALUE_MAX) {
		orgrbac_seterr(err, "description longer than %d bytes", ORGRBAC_VALUE_MAX);
		return ORGRBAC_ADMIN_REFUSED;
	}
	return ORGRBAC_ADMIN_DONE;
}

/* A time for the directory: YYYYMMDDHHMMSSZ; -1 outside years 1..9999. */
static int gtime_format(int64_t t, char *buf, size_t len)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (t < -62135596800LL || t > 253402300799LL || gmtime_r(&tt, &tm) == NULL)
		return -1;
	snprintf(buf, len, "%04d%02d%02d%02d%02d%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return 0;
}

static enum orgrbac_admin_status time_arg(const char *opt, const char *s, int64_t now, int64_t *out,
					  orgrbac_error *err)
{
	char buf[ORGRBAC_EXTERNAL_TIME_MAX];

	if (orgrbac_admin_time_parse(s, now, out) != 0)
		return refuse(err,
			      "%s '%.100s' is not a time: ISO 8601 (2026-12-24T18:00:00Z, "
			      "2026-12-24) or relative (+2h, +7d)",
			      opt, s);
	if (gtime_format(*out, buf, sizeof(buf)) != 0)
		return refuse(err, "%s '%.100s' is out of range (years 1 to 9999)", opt, s);
	return ORGRBAC_ADMIN_DONE;
}

/* The window as it will be: [nb, na), each bound from the change, else from the entry. */
struct window_plan {
	bool has_nb, has_na, nb_new, na_new;
	int64_t nb, na;
};

static enum orgrbac_admin_status window_bounds(const struct orgrbac_external_change *c,
					       const struct orgrbac_external_info *cur,
					       struct window_plan *w, orgrbac_error *err)
{
	const struct orgrbac_window *old = cur != NULL ? &cur->access.window : NULL;
	enum orgrbac_admin_status st = ORGRBAC_ADMIN_DONE;

	if (c->from != NULL)
		st = time_arg("--from", c->from, c->now, &w->nb, err);
	if (st == ORGRBAC_ADMIN_DONE && c->until != NULL)
		st = time_arg("--until", c->until, c->now, &w->na, err);
	if (st != ORGRBAC_ADMIN_DONE)
		return st;
	w->has_nb = w->nb_new = c->from != NULL;
	w->has_na = w->na_new = c->until != NULL;
	if (old != NULL && old->malformed && (!w->has_nb || !w->has_na))
		return refuse(err,
			      "the window of %.300s cannot be read: give both --from and "
			      "--until",
			      cur->dn);
	if (old != NULL && !w->has_nb && old->has_not_before) {
		w->has_nb = true;
		w->nb = old->not_before;
	}
	if (old != NULL && !w->has_na && old->has_not_after) {
		w->has_na = true;
		w->na = old->not_after;
	}
	if (!w->has_nb && !w->has_na)
		return refuse(err, "--mode window needs a window: --until T (and --from T)");
	return ORGRBAC_ADMIN_DONE;
}

/* --mode window: a window that ends, after it starts and after now; without a start, now. */
static enum orgrbac_admin_status plan_window(const struct orgrbac_external_change *c,
					     const struct orgrbac_external_info *cur,
					     struct orgrbac_external_plan *p, orgrbac_error *err)
{
	struct window_plan w = {0};
	char b[32], a[32];
	enum orgrbac_admin_status st = window_bounds(c, cur, &w, err);

	if (st != ORGRBAC_ADMIN_DONE)
		return st;
	if (!w.has_na)
		return refuse(err,
			      "a window needs an end: give --until T (the gate refuses the users "
			      "of a window without one; for no end use --mode continuous)");
	if (!w.has_nb) {
		w.has_nb = w.nb_new = true; /* "--until T" alone: from now until T */
		w.nb = c->now;
	}
	orgrbac_time_format(w.nb, b, sizeof(b));
	orgrbac_time_format(w.na, a, sizeof(a));
	if (w.na <= w.nb)
		return refuse(err, "the window would end (%s) before it starts (%s)", a, b);
	if (w.na <= c->now)
		return refuse(err,
			      "the window would end in the past (%s): it would never open; to "
			      "end access now use --mode disabled",
			      a);
	if (w.nb_new)
		gtime_format(w.nb, p->not_before, sizeof(p->not_before));
	if (w.na_new)
		gtime_format(w.na, p->not_after, sizeof(p->not_after));
	return ORGRBAC_ADMIN_DONE;
}

static enum orgrbac_admin_status plan_delete(const struct orgrbac_external_change *c,
					     const struct orgrbac_external_info *cur,
					     orgrbac_error *err)
{
	if (c->kind != NULL || c->mode != NULL || c->from != NULL || c->until != NULL ||
	    c->role_management != NULL || c->n_domains > 0 || c->description != NULL)
		return refuse(err, "delete takes no --kind, --mode, --from, --until, "
				   "--role-management, --domain or --description");
	if (cur->access.kind == ORGRBAC_EXT_VENDOR)
		return refuse(err,
			      "'%.200s' is a vendor: vendors are never deleted, only disabled: "
			      "orgrbac external set '%.200s' --mode disabled",
			      cur->name, cur->name);
	if (cur->access.kind != ORGRBAC_EXT_PARTNER)
		return refuse(err,
			      "the kind of %.300s cannot be read: only partners are deleted; "
			      "end its access with orgrbac external set '%.200s' --mode disabled",
			      cur->dn, cur->name);
	return ORGRBAC_ADMIN_DONE;
}

/* The kind, mode and role management asked for, checked; `mode` gets the mode to come. */
static enum orgrbac_admin_status plan_values(const struct orgrbac_external_change *c,
					     const struct orgrbac_external_info *cur,
					     struct orgrbac_external_plan *p,
					     enum orgrbac_ext_mode *mode, orgrbac_error *err)
{
	bool add = c->op == ORGRBAC_EXTERNAL_ADD;

	if (add && (c->kind == NULL || c->mode == NULL))
		return refuse(err, "add needs --kind vendor|partner and --mode "
				   "continuous|window|disabled");
	if (!add && c->kind != NULL)
		return refuse(err,
			      "the kind of an entry does not change: delete the partner and add "
			      "it again");
	if (c->kind != NULL && (p->kind = kind_value(c->kind)) == NULL)
		return refuse(err, "kind '%.100s' is none of vendor, partner", c->kind);
	*mode = cur != NULL ? cur->access.mode : ORGRBAC_MODE_UNKNOWN;
	if (c->mode != NULL && (p->mode = mode_value(c->mode, mode)) == NULL)
		return refuse(err, "mode '%.100s' is none of continuous, window, disabled",
			      c->mode);
	if (c->role_management != NULL) {
		if (strcmp(c->role_management, "on") == 0)
			p->role_management = "TRUE";
		else if (strcmp(c->role_management, "off") == 0)
			p->role_management = "FALSE";
		else
			return refuse(err, "--role-management '%.100s' is neither on nor off",
				      c->role_management);
	}
	return ORGRBAC_ADMIN_DONE;
}

enum orgrbac_admin_status orgrbac_external_plan(const struct orgrbac_external_change *c,
						const struct orgrbac_external_info *cur,
						struct orgrbac_external_plan *p, orgrbac_error *err)
{
	enum orgrbac_ext_mode mode = ORGRBAC_MODE_UNKNOWN;
	enum orgrbac_admin_status st;

	memset(p, 0, sizeof(*p));
	if (cur != NULL && cur->managed)
		return refuse(err,
			      "%.300s is orgManaged (a managed-services agreement): orgrbac does "
			      "not change it",
			      cur->dn);
	if (c->op == ORGRBAC_EXTERNAL_DELETE)
		return plan_delete(c, cur, err);
	st = plan_values(c, cur, p, &mode, err);
	if (st == ORGRBAC_ADMIN_DONE)
		st = plan_extras(c, err);
	if (st != ORGRBAC_ADMIN_DONE)
		return st;
	if ((c->from != NULL || c->until != NULL) && mode != ORGRBAC_MODE_WINDOW)
		return refuse(err,
			      "--from and --until set a window: they need --mode window (the "
			      "mode would be %s)",
			      orgrbac_ext_mode_name(mode));
	if (mode == ORGRBAC_MODE_WINDOW && (c->mode != NULL || c->from != NULL || c->until != NULL))
		st = plan_window(c, cur, p, err);
	if (st == ORGRBAC_ADMIN_DONE && c->op == ORGRBAC_EXTERNAL_SET && p->mode == NULL &&
	    p->role_management == NULL && p->not_before[0] == '\0' && p->not_after[0] == '\0')
		return refuse(err, "nothing to change: give --mode, --from, --until or "
				   "--role-management");
	return st;
}

/* ---- the change ---- */

void orgrbac_external_result_free(struct orgrbac_external_result *r)
{
	free(r->dn);
	free(r->ldif);
	orgrbac_strv_free(r->users);
	r->dn = r->ldif = NULL;
	r->users = NULL;
	r->n_users = r->n_beneath = 0;
}

/* external add: the entry, with every value asked for. */
static void build_add(const struct orgrbac_external_change *c,
		      const struct orgrbac_external_plan *p, char **domains,
		      struct orgrbac_change *ch)
{
	static char *classes[] = {"orgExternalAccess", NULL};

	orgrbac_change_mod(ch, LDAP_MOD_ADD, "objectClass", classes, NULL);
	orgrbac_change_mod(ch, LDAP_MOD_ADD, "cn", NULL, c->name);
	orgrbac_change_mod(ch, LDAP_MOD_ADD, "orgExternalKind", NULL, p->kind);
	orgrbac_change_mod(ch, LDAP_MOD_ADD, "orgAccessMode", NULL, p->mode);
	if (p->not_before[0] != '\0')
		orgrbac_change_mod(ch, LDAP_MOD_ADD, "orgNotBefore", NULL, p->not_before);
	if (p->not_after[0] != '\0')
		orgrbac_change_mod(ch, LDAP_MOD_ADD, "orgNotAfter", NULL, p->not_after);
	if (p->role_management != NULL)
		orgrbac_change_mod(ch, LDAP_MOD_ADD, "orgRoleManagement", NULL, p->role_management);
	if (c->n_domains > 0)
		orgrbac_change_mod(ch, LDAP_MOD_ADD, "orgDomain", domains, NULL);
	if (c->description != NULL)
		orgrbac_change_mod(ch, LDAP_MOD_ADD, "description", NULL, c->description);
}

/* external set: each value asked for, replaced. */
static void build_set(const struct orgrbac_external_plan *p, struct orgrbac_change *ch)
{
	if (p->mode != NULL)
		orgrbac_change_mod(ch, LDAP_MOD_REPLACE, "orgAccessMode", NULL, p->mode);
	if (p->not_before[0] != '\0')
		orgrbac_change_mod(ch, LDAP_MOD_REPLACE, "orgNotBefore", NULL, p->not_before);
	if (p->not_after[0] != '\0')
		orgrbac_change_mod(ch, LDAP_MOD_REPLACE, "orgNotAfter", NULL, p->not_after);
	if (p->role_management != NULL)
		orgrbac_change_mod(ch, LDAP_MOD_REPLACE, "orgRoleManagement", NULL,
				   p->role_management);
}

/*
 * A delete removes one leaf: refused while anything lies beneath the
 * entry (its users, their groups, nested entries), listing it.
 */
static enum orgrbac_admin_status leaf_only(const struct orgrbac_admin *a,
					   const struct orgrbac_external_info *cur,
					   struct orgrbac_external_result *r)
{
	enum orgrbac_admin_status st = orgrbac_external_beneath(
	    a, cur->dn, true, &r->users, &r->n_users, &r->n_beneath, &r->err);

	if (st != ORGRBAC_ADMIN_DONE || r->n_beneath == 0)
		return st;
	return refuse(&r->err,
		      "%zu entr%s beneath %.300s (an LDAP delete removes a leaf only): delete "
		      "%s first, or end the access now with orgrbac external set '%.200s' "
		      "--mode disabled",
		      r->n_beneath, r->n_beneath == 1 ? "y lies" : "ies lie", cur->dn,
		      r->n_beneath == 1 ? "it" : "them", cur->name);
}

/* The entry as it is (set, delete) or its absence (add), then the plan. */
static enum orgrbac_admin_status judge(const struct orgrbac_admin *a,
				       const struct orgrbac_external_change *c,
				       struct orgrbac_external_info *cur,
				       struct orgrbac_external_plan *p,
				       struct orgrbac_external_result *r)
{
	const char *why;
	enum orgrbac_admin_status st;

	if (!orgrbac_admin_name_valid(c->name, &why))
		return refuse(&r->err, "external entry name refused: %s", why);
	st = orgrbac_external_one(a, c->name, c->now, c->op == ORGRBAC_EXTERNAL_ADD, cur, &r->err);
	if (c->op == ORGRBAC_EXTERNAL_ADD) {
		if (st == ORGRBAC_ADMIN_DONE)
			return refuse(&r->err, "an external entry named '%.200s' exists: %.300s",
				      c->name, cur->dn);
		if (st != ORGRBAC_ADMIN_REFUSED)
			return st;
		return orgrbac_external_plan(c, NULL, p, &r->err);
	}
	if (st != ORGRBAC_ADMIN_DONE)
		return st;
	st = orgrbac_external_plan(c, cur, p, &r->err);
	if (st == ORGRBAC_ADMIN_DONE && c->op == ORGRBAC_EXTERNAL_DELETE)
		st = leaf_only(a, cur, r);
	return st;
}

/* Validated, then the one operation (or only its LDIF). */
static enum orgrbac_admin_status change(const struct orgrbac_admin *a,
					const struct orgrbac_external_change *c,
					struct orgrbac_change *ch,
					struct orgrbac_external_result *r)
{
	struct orgrbac_external_info cur = {0};
	struct orgrbac_external_plan p;
	char *search = NULL, *parent = NULL, **domains = NULL;
	enum orgrbac_admin_status st = judge(a, c, &cur, &p, r);

	if (st != ORGRBAC_ADMIN_DONE)
		goto out;
	st = ORGRBAC_ADMIN_ERROR;
	if (c->op != ORGRBAC_EXTERNAL_ADD)
		r->dn = orgrbac_strdup(cur.dn);
	else if (orgrbac_external_place(a, &search, &parent, &r->err) == 0)
		r->dn = orgrbac_dn_child("cn", c->name, parent);
	domains = orgrbac_terminated(c->domains, c->n_domains);
	if (r->dn == NULL || domains == NULL) {
		orgrbac_seterr(&r->err, "out of memory, or the base is not a DN");
		goto out;
	}
	if (c->op == ORGRBAC_EXTERNAL_ADD) {
		orgrbac_change_begin(ch, r->dn, ORGRBAC_CHANGE_ADD);
		build_add(c, &p, domains, ch);
	} else if (c->op == ORGRBAC_EXTERNAL_SET) {
		orgrbac_change_begin(ch, r->dn, ORGRBAC_CHANGE_MODIFY);
		build_set(&p, ch);
	} else {
		orgrbac_change_begin(ch, r->dn, ORGRBAC_CHANGE_DELETE);
	}
	st = c->dry_run ? ORGRBAC_ADMIN_DONE : orgrbac_change_send(a, ch, r->dn, &r->err);
out:
	orgrbac_external_info_free(&cur);
	free(search);
	free(parent);
	free(domains);
	return st;
}

enum orgrbac_admin_status orgrbac_external_change(const struct orgrbac_admin *a,
						  const struct orgrbac_external_change *c,
						  struct orgrbac_external_result *r)
{
	struct orgrbac_change ch = {0};
	enum orgrbac_admin_status st = ORGRBAC_ADMIN_ERROR;

	memset(r, 0, sizeof(*r));
	if (orgrbac_change_open(&ch) != 0) {
		orgrbac_seterr(&r->err, "out of memory");
		free(orgrbac_change_close(&ch, &st, &r->err));
		return ORGRBAC_ADMIN_ERROR;
	}
	st = change(a, c, &ch, r);
	r->ldif = orgrbac_change_close(&ch, &st, &r->err);
	return st;
}
