/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of common/gate.c: the setup both decisions share, and its release. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gate.h"

static char org[] = "acme", resource[] = "web01", web[] = "web", exempt_role[] = "2FA-exempt",
	    cross[] = "common:org:cross";
static char *services[] = {web, NULL};

static struct orgrbac_config config(void)
{
	struct orgrbac_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.org = org;
	cfg.services = services;
	cfg.n_services = 1;
	cfg.resource = resource;
	cfg.mfa_exempt_role = exempt_role;
	cfg.cross_org_privilege = cross;
	return cfg;
}

/* A good name and requirement: the host and policy from the configuration, the requirement
 * parsed into the evaluation, which stays a denial until decided. */
static void setup_good(void **state)
{
	struct orgrbac_config cfg = config();
	struct orgrbac_evaluation ev;
	struct orgrbac_host host;
	struct orgrbac_policy policy;

	memset(&ev, 0x5a, sizeof(ev)); /* whatever was there before */
	assert_int_equal(
	    orgrbac_gate_setup(&cfg, "alice", "host:login || common:org:own", &ev, &host, &policy),
	    0);
	assert_int_equal(ev.status, ORGRBAC_EVAL_CONFIG);
	assert_int_equal(ev.decision.verdict, ORGRBAC_DENY);
	assert_null(ev.facts);
	assert_non_null(ev.require);
	assert_ptr_equal(policy.require, ev.require);
	assert_string_equal(policy.mfa_exempt_role, "2FA-exempt");
	assert_string_equal(policy.cross_org_privilege, "common:org:cross");
	assert_string_equal(host.org, "acme");
	assert_string_equal(host.resource, "web01");
	assert_int_equal(host.n_services, 1);
	assert_string_equal(host.services[0], "web");
	orgrbac_evaluation_free(&ev);
	assert_null(ev.require);
	assert_null(ev.facts);
	orgrbac_evaluation_free(&ev); /* twice is harmless */
}

/* Each refusal: its status, its reason, nothing left to free. */
static void setup_refusals(void **state)
{
	static const struct {
		const char *user, *require;
		enum orgrbac_eval_status status;
		const char *reason;
	} cases[] = {
	    {"", "none", ORGRBAC_EVAL_BADNAME, ""},
	    {"bad\nname", "none", ORGRBAC_EVAL_BADNAME, ""},
	    {"-alice", "none", ORGRBAC_EVAL_BADNAME, ""},
	    {"bad name", NULL, ORGRBAC_EVAL_BADNAME, ""}, /* the name first */
	    {"alice", NULL, ORGRBAC_EVAL_CONFIG, "no requirement configured"},
	    {"alice", "host:login ||", ORGRBAC_EVAL_CONFIG, ""},
	    {"alice", "(host:login", ORGRBAC_EVAL_CONFIG, ""},
	};
	struct orgrbac_config cfg = config();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct orgrbac_evaluation ev;
		struct orgrbac_host host;
		struct orgrbac_policy policy;

		assert_int_equal(
		    orgrbac_gate_setup(&cfg, cases[i].user, cases[i].require, &ev, &host, &policy),
		    -1);
		assert_int_equal(ev.status, cases[i].status);
		assert_int_equal(ev.decision.verdict, ORGRBAC_DENY);
		assert_null(ev.require);
		assert_true(ev.err.msg[0] != '\0');
		assert_non_null(strstr(ev.err.msg, cases[i].reason));
		orgrbac_evaluation_free(&ev);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(setup_good),
	    cmocka_unit_test(setup_refusals),
	};

	return cmocka_run_group_tests_name("gate", tests, NULL, NULL);
}
