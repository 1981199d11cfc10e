/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of common/admin_external.c: each change judged before anything is sent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "admin_external.h"

#define T0   ((int64_t)1794744000) /* 2026-11-15T12:00:00Z */
#define HOUR ((int64_t)3600)

/* The entry as it is: kind, mode, window (0: no bound), orgManaged, a window that does not read. */
struct cur {
	enum orgrbac_ext_kind kind;
	enum orgrbac_ext_mode mode;
	int64_t nb, na;
	bool managed, malformed;
};

struct plan_case {
	const char *what;
	enum orgrbac_external_op op;
	const char *kind, *mode, *from, *until, *rm;
	const struct cur *cur; /* NULL: add */
	enum orgrbac_admin_status want;
	const char *says;			   /* in err (refused), or NULL */
	const char *nb, *na, *want_mode, *want_rm; /* written (done); "" nothing */
};

static const struct cur partner_cont = {
    ORGRBAC_EXT_PARTNER, ORGRBAC_MODE_CONTINUOUS, 0, 0, false, false};
static const struct cur partner_win = {
    ORGRBAC_EXT_PARTNER, ORGRBAC_MODE_WINDOW, T0 - HOUR, T0 + 2 * HOUR, false, false};
static const struct cur partner_over = {
    ORGRBAC_EXT_PARTNER, ORGRBAC_MODE_WINDOW, T0 - 2 * HOUR, T0 - HOUR, false, false};
static const struct cur partner_disabled = {
    ORGRBAC_EXT_PARTNER, ORGRBAC_MODE_DISABLED, 0, 0, false, false};
static const struct cur vendor = {ORGRBAC_EXT_VENDOR, ORGRBAC_MODE_CONTINUOUS, 0, 0, false, false};
static const struct cur unknown_kind = {
    ORGRBAC_EXT_KIND_UNKNOWN, ORGRBAC_MODE_CONTINUOUS, 0, 0, false, false};
static const struct cur managed = {ORGRBAC_EXT_PARTNER, ORGRBAC_MODE_CONTINUOUS, 0, 0, true, false};
static const struct cur garbled = {ORGRBAC_EXT_PARTNER, ORGRBAC_MODE_WINDOW, 0, 0, false, true};

#define ADD ORGRBAC_EXTERNAL_ADD
#define SET ORGRBAC_EXTERNAL_SET
#define DEL ORGRBAC_EXTERNAL_DELETE
#define OK  ORGRBAC_ADMIN_DONE
#define NO  ORGRBAC_ADMIN_REFUSED

static const struct plan_case plan_cases[] = {
    /* add */
    {"continuous vendor", ADD, "vendor", "continuous", NULL, NULL, NULL, NULL, OK, NULL, "", "",
     "continuous", NULL},
    {"disabled partner, role management off", ADD, "partner", "disabled", NULL, NULL, "off", NULL,
     OK, NULL, "", "", "disabled", "FALSE"},
    {"window, both bounds", ADD, "partner", "window", "2026-11-15T11:00:00Z",
     "2026-11-22T12:00:00Z", "on", NULL, OK, NULL, "20261115110000Z", "20261122120000Z", "window",
     "TRUE"},
    {"window, relative end alone: from now", ADD, "partner", "window", NULL, "+7d", NULL, NULL, OK,
     NULL, "20261115120000Z", "20261122120000Z", "window", NULL},
    {"window, a date", ADD, "partner", "window", "+1h", "2026-12-24", NULL, NULL, OK, NULL,
     "20261115130000Z", "20261224000000Z", "window", NULL},
    {"window without bounds", ADD, "partner", "window", NULL, NULL, NULL, NULL, NO,
     "--mode window needs a window", NULL, NULL, NULL, NULL},
    {"window without an end", ADD, "partner", "window", "+1h", NULL, NULL, NULL, NO,
     "a window needs an end: give --until", NULL, NULL, NULL, NULL},
    {"window ending before it starts", ADD, "partner", "window", "+2d", "+1d", NULL, NULL, NO,
     "would end (2026-11-16T12:00:00Z) before it starts (2026-11-17T12:00:00Z)", NULL, NULL, NULL,
     NULL},
    {"window ending when it starts", ADD, "partner", "window", "+1h", "+60m", NULL, NULL, NO,
     "before it starts", NULL, NULL, NULL, NULL},
    {"window already over", ADD, "partner", "window", "2026-01-01", "2026-02-01", NULL, NULL, NO,
     "would end in the past (2026-02-01T00:00:00Z)", NULL, NULL, NULL, NULL},
    {"bad time", ADD, "partner", "window", NULL, "friday", NULL, NULL, NO,
     "--until 'friday' is not a time", NULL, NULL, NULL, NULL},
    {"bad relative time", ADD, "partner", "window", NULL, "+2x", NULL, NULL, NO,
     "--until '+2x' is not a time", NULL, NULL, NULL, NULL},
    {"negative relative time", ADD, "partner", "window", NULL, "+-2h", NULL, NULL, NO,
     "is not a time", NULL, NULL, NULL, NULL},
    {"a time past year 9999", ADD, "partner", "window", NULL, "+999999999999d", NULL, NULL, NO,
     "out of range", NULL, NULL, NULL, NULL},
    {"window bounds on a continuous entry", ADD, "partner", "continuous", NULL, "+1d", NULL, NULL,
     NO, "they need --mode window (the mode would be continuous)", NULL, NULL, NULL, NULL},
    {"unknown kind", ADD, "contractor", "continuous", NULL, NULL, NULL, NULL, NO,
     "kind 'contractor' is none of vendor, partner", NULL, NULL, NULL, NULL},
    {"kind in capitals", ADD, "Vendor", "continuous", NULL, NULL, NULL, NULL, NO, "kind 'Vendor'",
     NULL, NULL, NULL, NULL},
    {"unknown mode", ADD, "vendor", "open", NULL, NULL, NULL, NULL, NO,
     "mode 'open' is none of continuous, window, disabled", NULL, NULL, NULL, NULL},
    {"no kind", ADD, NULL, "continuous", NULL, NULL, NULL, NULL, NO, "add needs --kind", NULL, NULL,
     NULL, NULL},
    {"no mode", ADD, "vendor", NULL, NULL, NULL, NULL, NULL, NO, "add needs --kind", NULL, NULL,
     NULL, NULL},
    {"role management yes", ADD, "vendor", "continuous", NULL, NULL, "yes", NULL, NO,
     "--role-management 'yes' is neither on nor off", NULL, NULL, NULL, NULL},
    /* set */
    {"disable", SET, NULL, "disabled", NULL, NULL, NULL, &partner_win, OK, NULL, "", "", "disabled",
     NULL},
    {"reopen a disabled entry until +1h", SET, NULL, "window", NULL, "+1h", NULL, &partner_disabled,
     OK, NULL, "20261115120000Z", "20261115130000Z", "window", NULL},
    {"move the end of a window", SET, NULL, NULL, NULL, "+1d", NULL, &partner_win, OK, NULL, "",
     "20261116120000Z", NULL, NULL},
    {"move the end before the start", SET, NULL, NULL, NULL, "2026-11-15T10:00:00Z", NULL,
     &partner_win, NO, "before it starts (2026-11-15T11:00:00Z)", NULL, NULL, NULL, NULL},
    {"move the start past the end", SET, NULL, NULL, "+3h", NULL, NULL, &partner_win, NO,
     "before it starts", NULL, NULL, NULL, NULL},
    {"window on a continuous entry, no bounds", SET, NULL, "window", NULL, NULL, NULL,
     &partner_cont, NO, "--mode window needs a window", NULL, NULL, NULL, NULL},
    {"window again, but it is over", SET, NULL, "window", NULL, NULL, NULL, &partner_over, NO,
     "would end in the past", NULL, NULL, NULL, NULL},
    {"an over window extended", SET, NULL, NULL, NULL, "+1h", NULL, &partner_over, OK, NULL, "",
     "20261115130000Z", NULL, NULL},
    {"bounds on a continuous entry", SET, NULL, NULL, NULL, "+1h", NULL, &partner_cont, NO,
     "they need --mode window (the mode would be continuous)", NULL, NULL, NULL, NULL},
    {"continuous, from a window", SET, NULL, "continuous", NULL, NULL, NULL, &partner_win, OK, NULL,
     "", "", "continuous", NULL},
    {"unreadable window, one bound", SET, NULL, NULL, NULL, "+1h", NULL, &garbled, NO,
     "cannot be read: give both --from and --until", NULL, NULL, NULL, NULL},
    {"unreadable window, both bounds", SET, NULL, NULL, "+0s", "+1h", NULL, &garbled, OK, NULL,
     "20261115120000Z", "20261115130000Z", NULL, NULL},
    {"role management off", SET, NULL, NULL, NULL, NULL, "off", &vendor, OK, NULL, "", "", NULL,
     "FALSE"},
    {"nothing to change", SET, NULL, NULL, NULL, NULL, NULL, &vendor, NO, "nothing to change", NULL,
     NULL, NULL, NULL},
    {"the kind does not change", SET, "partner", NULL, NULL, NULL, NULL, &vendor, NO,
     "the kind of an entry does not change", NULL, NULL, NULL, NULL},
    {"orgManaged", SET, NULL, "disabled", NULL, NULL, NULL, &managed, NO,
     "cn=x,ou=external,o=acme,dc=example,dc=com is orgManaged", NULL, NULL, NULL, NULL},
    /* delete */
    {"delete a partner", DEL, NULL, NULL, NULL, NULL, NULL, &partner_cont, OK, NULL, "", "", NULL,
     NULL},
    {"delete a vendor", DEL, NULL, NULL, NULL, NULL, NULL, &vendor, NO,
     "vendors are never deleted, only disabled: orgrbac external set 'x' --mode disabled", NULL,
     NULL, NULL, NULL},
    {"delete an entry of no known kind", DEL, NULL, NULL, NULL, NULL, NULL, &unknown_kind, NO,
     "cannot be read: only partners are deleted", NULL, NULL, NULL, NULL},
    {"delete an orgManaged partner", DEL, NULL, NULL, NULL, NULL, NULL, &managed, NO,
     "is orgManaged", NULL, NULL, NULL, NULL},
    {"delete with options", DEL, NULL, "disabled", NULL, NULL, NULL, &partner_cont, NO,
     "delete takes no", NULL, NULL, NULL, NULL},
};

static void cur_info(const struct cur *c, struct orgrbac_external_info *x)
{
	memset(x, 0, sizeof(*x));
	x->dn = "cn=x,ou=external,o=acme,dc=example,dc=com";
	x->name = "x";
	x->managed = c->managed;
	x->access.kind = c->kind;
	x->access.mode = c->mode;
	x->access.role_management = true;
	x->access.window.has_not_before = c->nb != 0;
	x->access.window.not_before = c->nb;
	x->access.window.has_not_after = c->na != 0;
	x->access.window.not_after = c->na;
	x->access.window.malformed = c->malformed;
}

static void test_plan(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(plan_cases) / sizeof(plan_cases[0]); i++) {
		const struct plan_case *t = &plan_cases[i];
		struct orgrbac_external_change c = {
		    .op = t->op,
		    .name = "x",
		    .kind = t->kind,
		    .mode = t->mode,
		    .from = t->from,
		    .until = t->until,
		    .role_management = t->rm,
		    .now = T0,
		};
		struct orgrbac_external_info cur;
		struct orgrbac_external_plan p;
		orgrbac_error err = {{0}};
		enum orgrbac_admin_status st;

		if (t->cur != NULL)
			cur_info(t->cur, &cur);
		st = orgrbac_external_plan(&c, t->cur != NULL ? &cur : NULL, &p, &err);
		if (st != t->want)
			fail_msg("%s: status %d, wanted %d (%s)", t->what, st, t->want, err.msg);
		if (t->says != NULL && strstr(err.msg, t->says) == NULL)
			fail_msg("%s: '%s' lacks '%s'", t->what, err.msg, t->says);
		if (st != OK)
			continue;
		if (strcmp(p.not_before, t->nb) != 0 || strcmp(p.not_after, t->na) != 0)
			fail_msg("%s: window [%s, %s), wanted [%s, %s)", t->what, p.not_before,
				 p.not_after, t->nb, t->na);
		if ((p.mode == NULL) != (t->want_mode == NULL) ||
		    (p.mode != NULL && strcmp(p.mode, t->want_mode) != 0))
			fail_msg("%s: mode %s", t->what, p.mode != NULL ? p.mode : "(none)");
		if ((p.role_management == NULL) != (t->want_rm == NULL) ||
		    (p.role_management != NULL && strcmp(p.role_management, t->want_rm) != 0))
			fail_msg("%s: role management %s", t->what,
				 p.role_management != NULL ? p.role_management : "(none)");
	}
}

/* An add of a continuous partner with these two domains: its status, err filled. */
static enum orgrbac_admin_status add_domains(const char *d0, const char *d1, orgrbac_error *err)
{
	char *d[2] = {(char *)d0, (char *)d1};
	struct orgrbac_external_change c = {.op = ADD,
					    .name = "x",
					    .kind = "partner",
					    .mode = "continuous",
					    .domains = d,
					    .n_domains = 2,
					    .now = T0};
	struct orgrbac_external_plan p;

	return orgrbac_external_plan(&c, NULL, &p, err);
}

static void test_domains(void **state)
{
	static const struct {
		const char *d;
		bool ok;
	} cases[] = {
	    {"contoso.example", true},
	    {"a-b.c0", true},
	    {"x", true},
	    {"", false},
	    {".example", false},
	    {"example.", false},
	    {"a..b", false},
	    {"-a.b", false},
	    {"a-.b", false},
	    {"a_b.c", false},
	    {"a b", false},
	    {"contoso.example)(x=*", false},
	    {"é.example", false},
	};
	orgrbac_error err = {{0}};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if ((add_domains(cases[i].d, "other.example", &err) == OK) != cases[i].ok)
			fail_msg("domain '%s': %s", cases[i].d, err.msg);
	assert_int_equal(add_domains("Contoso.example", "contoso.EXAMPLE", &err), NO);
	assert_non_null(strstr(err.msg, "domain 'contoso.EXAMPLE' given twice"));
}

static void test_time(void **state)
{
	int64_t t = 0;

	(void)state;
	assert_int_equal(orgrbac_admin_time_parse("+2h", T0, &t), 0);
	assert_true(t == T0 + 2 * HOUR);
	assert_int_equal(orgrbac_admin_time_parse("+7d", T0, &t), 0);
	assert_true(t == T0 + 7 * 24 * HOUR);
	assert_int_equal(orgrbac_admin_time_parse("2026-12-24T18:00:00Z", T0, &t), 0);
	assert_true(t == (int64_t)1798135200);
	assert_int_equal(orgrbac_admin_time_parse("+", T0, &t), -1);
	assert_int_equal(orgrbac_admin_time_parse("2h", T0, &t), -1);
	assert_int_equal(orgrbac_admin_time_parse("-2h", T0, &t), -1);
	assert_int_equal(orgrbac_admin_time_parse("+2h ", T0, &t), -1);
	assert_int_equal(orgrbac_admin_time_parse(NULL, T0, &t), -1);
}

/* `show` says what the gate says: the same reasons, the same bounds. */
static void test_open(void **state)
{
	struct orgrbac_external x = {.name = "Contoso", .kind = ORGRBAC_EXT_PARTNER};
	char why[512];

	(void)state;
	x.mode = ORGRBAC_MODE_CONTINUOUS;
	assert_true(orgrbac_external_open(&x, "acme", T0, why, sizeof(why)));
	assert_string_equal(why, "open (continuous)");
	x.mode = ORGRBAC_MODE_DISABLED;
	assert_false(orgrbac_external_open(&x, "acme", T0, why, sizeof(why)));
	assert_non_null(strstr(why, "closed: access for partner Contoso is disabled"));
	x.mode = ORGRBAC_MODE_WINDOW;
	x.window = (struct orgrbac_window){true, true, T0 - HOUR, T0 + HOUR, false};
	assert_true(orgrbac_external_open(&x, "acme", T0, why, sizeof(why)));
	assert_string_equal(why, "open until 2026-11-15T13:00:00Z");
	assert_false(orgrbac_external_open(&x, "acme", T0 + HOUR, why, sizeof(why)));
	assert_non_null(strstr(why, "ended on 2026-11-15T13:00:00Z"));
	assert_false(orgrbac_external_open(&x, "acme", T0 - 2 * HOUR, why, sizeof(why)));
	assert_non_null(strstr(why, "begins on 2026-11-15T11:00:00Z"));
	/* a window with one bound is closed to the gate, so to show */
	x.window.has_not_before = false;
	assert_false(orgrbac_external_open(&x, "acme", T0, why, sizeof(why)));
	assert_non_null(strstr(why, "malformed or incomplete"));
	snprintf(x.unreadable, sizeof(x.unreadable), "orgAccessMode;lang-en has options");
	x.mode = ORGRBAC_MODE_CONTINUOUS;
	assert_false(orgrbac_external_open(&x, "acme", T0, why, sizeof(why)));
	assert_non_null(strstr(why, "closed: external access 'Contoso' is closed: orgAccessMode"));
	x.unreadable[0] = '\0';
	x.kind = ORGRBAC_EXT_KIND_UNKNOWN;
	assert_false(orgrbac_external_open(&x, NULL, T0, why, sizeof(why)));
	assert_non_null(strstr(why, "unknown kind"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plan),
	    cmocka_unit_test(test_domains),
	    cmocka_unit_test(test_time),
	    cmocka_unit_test(test_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
