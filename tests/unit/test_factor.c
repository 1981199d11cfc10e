/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for common/model/factor.c: what proves a factor verified before the 2FA exemption. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "factor.h"

#define KEY "publickey ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOXpg7gf/+8A0Xl7fhqHuQVmvAqruy/ynE"
#define CERT                                                                                       \
	"publickey ssh-ed25519-cert-v01@openssh.com AAAAIHNzaC1lZDI1NTE5LWNlcnQ ID alice "         \
	"(serial 7) CA ssh-ed25519 SHA256:abc"

static const struct {
	const char *service, *info; /* info NULL: SSH_AUTH_INFO_0 not set */
	enum orgrbac_factor want;
	const char *why; /* a part of the reason */
} cases[] = {
    /* what sshd writes after a verified key */
    {"sshd", KEY "\n", ORGRBAC_FACTOR_PUBLICKEY, "public key"},
    {"sshd", CERT "\n", ORGRBAC_FACTOR_PUBLICKEY, "public key"},
    {"sshd", "keyboard-interactive/pam\n" KEY "\n", ORGRBAC_FACTOR_PUBLICKEY, "public key"},
    {"sshd", KEY "\n" KEY "\n", ORGRBAC_FACTOR_PUBLICKEY, "public key"},
    {"sshd", "password\n" KEY " extra words\n", ORGRBAC_FACTOR_PUBLICKEY, "public key"},
    /* nothing verified first: keyboard-interactive as the only method */
    {"sshd", "", ORGRBAC_FACTOR_NONE, "AuthenticationMethods publickey,keyboard-interactive"},
    {"sshd", "", ORGRBAC_FACTOR_NONE, "is empty"},
    {"sshd", NULL, ORGRBAC_FACTOR_NONE, "no SSH_AUTH_INFO_0"},
    {"sshd", "keyboard-interactive/pam\n", ORGRBAC_FACTOR_NONE, "no publickey line"},
    {"sshd", "password\n", ORGRBAC_FACTOR_NONE, "AuthenticationMethods"},
    {"sshd", "hostbased ssh-ed25519 AAAAC3Nz\n", ORGRBAC_FACTOR_NONE, "no publickey line"},
    /* the word elsewhere in a line, or a longer method name, is not a key */
    {"sshd", "keyboard-interactive/pam publickey ssh-ed25519 AAAA\n", ORGRBAC_FACTOR_NONE,
     "no publickey line"},
    {"sshd", "password publickey\n", ORGRBAC_FACTOR_NONE, "no publickey line"},
    {"sshd", "publickeys ssh-ed25519 AAAA\n", ORGRBAC_FACTOR_NONE, "no publickey line"},
    {"sshd", "publickey/x ssh-ed25519 AAAA\n", ORGRBAC_FACTOR_NONE, "no publickey line"},
    {"sshd", "xpublickey ssh-ed25519 AAAA\n", ORGRBAC_FACTOR_NONE, "no publickey line"},
    {"sshd", "PUBLICKEY ssh-ed25519 AAAA\n", ORGRBAC_FACTOR_NONE, "no publickey line"},
    /* not as sshd writes it: proves nothing, even beside a good line */
    {"sshd", KEY, ORGRBAC_FACTOR_NONE, "without its newline"},
    {"sshd", "password\n" KEY, ORGRBAC_FACTOR_NONE, "line 2"},
    {"sshd", " " KEY "\n", ORGRBAC_FACTOR_NONE, "method name"},
    {"sshd", "\n" KEY "\n", ORGRBAC_FACTOR_NONE, "an empty line"},
    {"sshd", KEY "\n\n", ORGRBAC_FACTOR_NONE, "an empty line"},
    {"sshd", KEY "\r\n", ORGRBAC_FACTOR_NONE, "control character"},
    {"sshd", "publickey\tssh-ed25519 AAAA\n", ORGRBAC_FACTOR_NONE, "control character"},
    {"sshd", "pass\x1bword\n" KEY "\n", ORGRBAC_FACTOR_NONE, "control character"},
    {"sshd", "publickey\n", ORGRBAC_FACTOR_NONE, "without its key"},
    {"sshd", "publickey \n", ORGRBAC_FACTOR_NONE, "without its key"},
    {"sshd", "publickey ssh-ed25519\n", ORGRBAC_FACTOR_NONE, "without its key"},
    {"sshd", "publickey ssh-ed25519 \n", ORGRBAC_FACTOR_NONE, "without its key"},
    {"sshd", "publickey  ssh-ed25519 AAAA\n", ORGRBAC_FACTOR_NONE, "without its key"},
    {"sshd", "pass(word)\n" KEY "\n", ORGRBAC_FACTOR_NONE, "method name"},
    /* only sshd reports a prior factor: every other service is refused */
    {"sudo", KEY "\n", ORGRBAC_FACTOR_NONE, "service 'sudo'"},
    {"login", KEY "\n", ORGRBAC_FACTOR_NONE, "mfa_exempt"},
    {"SSHD", KEY "\n", ORGRBAC_FACTOR_NONE, "only sshd"},
    {"sshd ", KEY "\n", ORGRBAC_FACTOR_NONE, "only sshd"},
    {"", KEY "\n", ORGRBAC_FACTOR_NONE, "only sshd"},
    {NULL, KEY "\n", ORGRBAC_FACTOR_NONE, "only sshd"},
    {"ssh\nd", KEY "\n", ORGRBAC_FACTOR_NONE, "'ssh?d'"},
};

static void table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char why[512] = "";
		enum orgrbac_factor got =
		    orgrbac_prior_factor(cases[i].service, cases[i].info, why, sizeof(why));

		if (got != cases[i].want || strstr(why, cases[i].why) == NULL)
			fail_msg("case %zu (%s): got %d '%s', wanted %d with '%s'", i,
				 cases[i].info != NULL ? cases[i].info : "(unset)", got, why,
				 cases[i].want, cases[i].why);
	}
}

/* The value is read up to a bound and no further. */
static void bounded(void **state)
{
	size_t big = ORGRBAC_AUTH_INFO_MAX + 100;
	char *info = malloc(big + 1), why[512];
	size_t n = 0;

	(void)state;
	assert_non_null(info);
	while (n + sizeof(KEY "\n") - 1 <= big) {
		memcpy(info + n, KEY "\n", sizeof(KEY "\n") - 1);
		n += sizeof(KEY "\n") - 1;
	}
	info[n] = '\0';
	assert_true(n > ORGRBAC_AUTH_INFO_MAX);
	assert_int_equal(orgrbac_prior_factor("sshd", info, why, sizeof(why)), ORGRBAC_FACTOR_NONE);
	assert_non_null(strstr(why, "over 65536 bytes"));
	/* just inside the bound, the same lines are read */
	n = (ORGRBAC_AUTH_INFO_MAX / (sizeof(KEY "\n") - 1)) * (sizeof(KEY "\n") - 1);
	info[n] = '\0';
	assert_int_equal(orgrbac_prior_factor("sshd", info, why, sizeof(why)),
			 ORGRBAC_FACTOR_PUBLICKEY);
	free(info);
}

/* No reason buffer, or a tiny one, is fine: the answer does not depend on it. */
static void small_reason(void **state)
{
	char why[8];

	(void)state;
	assert_int_equal(orgrbac_prior_factor("sshd", KEY "\n", NULL, 0), ORGRBAC_FACTOR_PUBLICKEY);
	assert_int_equal(orgrbac_prior_factor("sshd", "", NULL, 0), ORGRBAC_FACTOR_NONE);
	assert_int_equal(orgrbac_prior_factor("sshd", "", why, sizeof(why)), ORGRBAC_FACTOR_NONE);
	assert_int_equal(strlen(why), sizeof(why) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(table),
	    cmocka_unit_test(bounded),
	    cmocka_unit_test(small_reason),
	};

	return cmocka_run_group_tests_name("factor", tests, NULL, NULL);
}
