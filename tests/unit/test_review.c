/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of common/review.c: who holds which role on a host, from when to when. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "image.h"
#include "review.h"

#define T0  ((int64_t)1794744000)
#define DAY ((int64_t)86400)

static void sample(struct orgrbac_image *img)
{
	struct orgrbac_img_grant *g;
	struct orgrbac_img_external *x;

	memset(img, 0, sizeof(*img));
	img->base = img_dup(BASE);
	img_role(img, "cn=member," GROLES, "Member", 20003, "host:login");
	img_role(img, "cn=cross," GROLES, "Cross", -1, "common:org:cross");
	img_user(img, "alice", "uid=alice,ou=people," ACME);	      /* always */
	img_user(img, "bob", "uid=bob,ou=people," ACME);	      /* ends in 3 days */
	img_user(img, "carol", "uid=carol,ou=people," ACME);	      /* another service */
	img_user(img, "frank", "uid=frank,ou=people," ACME);	      /* over */
	img_user(img, "leo", "uid=leo,ou=people," ACME);	      /* begins later */
	img_user(img, "pat", "uid=pat,cn=contoso,ou=external," ACME); /* window cuts */
	img_user(img, "hank", "uid=hank,cn=hooli,ou=external," ACME); /* full access */
	img_user(img, "olga", "uid=olga,ou=people," GLOBEX);	      /* crosses */
	img_user(img, "gus", "uid=gus,ou=people," GLOBEX);	      /* does not */
	img_grant(img, "cn=a,ou=grants," ACME, "cn=member," GROLES, "uid=alice,ou=people," ACME,
		  NULL);
	g = img_grant(img, "cn=b,ou=grants," ACME, "cn=member," GROLES, "uid=bob,ou=people," ACME,
		      NULL);
	img_window(&g->window, 0, T0 + 3 * DAY);
	img_grant(img, "cn=c,ou=grants," ACME, "cn=member," GROLES, "uid=carol,ou=people," ACME,
		  "service:payments");
	g = img_grant(img, "cn=f,ou=grants," ACME, "cn=member," GROLES, "uid=frank,ou=people," ACME,
		      NULL);
	img_window(&g->window, 0, T0 - DAY);
	g = img_grant(img, "cn=l,ou=grants," ACME, "cn=member," GROLES, "uid=leo,ou=people," ACME,
		      NULL);
	img_window(&g->window, T0 + 100 * DAY, 0);
	img_grant(img, "cn=p,ou=grants," ACME, "cn=member," GROLES,
		  "uid=pat,cn=contoso,ou=external," ACME, NULL);
	img_grant(img, "cn=o," PGRANT, "cn=cross," GROLES, "uid=olga,ou=people," GLOBEX, NULL);
	img_grant(img, "cn=gm,ou=grants," GLOBEX, "cn=member," GROLES, "uid=gus,ou=people," GLOBEX,
		  NULL);
	x = img_external(img, "cn=contoso,ou=external," ACME, ORGRBAC_EXT_PARTNER,
			 ORGRBAC_MODE_WINDOW);
	img_window(&x->access.window, T0 - DAY, T0 + 10 * DAY);
	x = img_external(img, "cn=hooli,ou=external," ACME, ORGRBAC_EXT_PARTNER,
			 ORGRBAC_MODE_CONTINUOUS);
	x->access.role_management = false;
}

static void test_review(void **state)
{
	static const char *const svc[] = {"web"};
	struct orgrbac_host host = {
	    .org = "acme", .services = svc, .n_services = 1, .resource = "web01"};
	struct orgrbac_image img;
	struct orgrbac_review r;
	orgrbac_error err;
	char got[1024] = "";

	(void)state;
	sample(&img);
	assert_int_equal(orgrbac_review_run(&img, &host, "common:org:cross", T0, 7 * DAY, &r, &err),
			 0);
	for (size_t i = 0; i < r.n; i++)
		for (size_t k = 0; k < r.e[i].n_rows; k++) {
			const struct orgrbac_review_row *w = &r.e[i].rows[k];

			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s:%s:%s%s%s\n",
				 r.e[i].facts->user, w->grant != NULL ? w->grant->name : "full",
				 w->from == ORGRBAC_TIME_MIN ? "-"
				 : w->from == T0 - DAY	     ? "x"
							     : "L",
				 w->until == ORGRBAC_TIME_MAX ? "-"
				 : w->until == T0 + 3 * DAY   ? "3"
				 : w->until == T0 + 10 * DAY  ? "10"
							      : "?",
				 w->ends_soon ? " soon" : "");
		}
	assert_string_equal(got, "alice:a:--\n"
				 "bob:b:-3 soon\n"
				 "hank:full:--\n"
				 "leo:l:L-\n"
				 "olga:o:--\n"
				 "pat:p:x10\n");
	orgrbac_review_free(&r);
	orgrbac_image_free(&img);
}

static void test_duration(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(orgrbac_duration_parse("30m", &v), 0);
	assert_int_equal(v, 1800);
	assert_int_equal(orgrbac_duration_parse("7d", &v), 0);
	assert_int_equal(v, 7 * DAY);
	assert_int_equal(orgrbac_duration_parse("2w", &v), 0);
	assert_int_equal(v, 14 * DAY);
	assert_int_equal(orgrbac_duration_parse("99999999999999999999999d", &v), 0);
	assert_int_equal(v, INT64_MAX);
	assert_int_equal(orgrbac_duration_parse("7", &v), -1);
	assert_int_equal(orgrbac_duration_parse("d", &v), -1);
	assert_int_equal(orgrbac_duration_parse("7dd", &v), -1);
	assert_int_equal(orgrbac_duration_parse("-7d", &v), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_review),
	    cmocka_unit_test(test_duration),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
