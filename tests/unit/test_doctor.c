/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the doctor's judges: PAM files, sshd_config and nsswitch.conf, line tables in,
 * findings out. */
#include <fnmatch.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "doctor.h"

#define MODDIR "/lib/x86_64-linux-gnu/security"

/* A host in a table: each file's path and text; a NULL text is a file that exists, unread. */
struct file {
	const char *path, *text;
};

static const struct file *host;

static const struct file *find(const char *path)
{
	for (size_t i = 0; host != NULL && host[i].path != NULL; i++)
		if (strcmp(host[i].path, path) == 0)
			return &host[i];
	return NULL;
}

static char *fake_read(void *ctx, const char *path, bool *missing, orgrbac_error *err)
{
	const struct file *f = find(path);

	(void)ctx;
	*missing = f == NULL;
	if (f == NULL || f->text == NULL) {
		orgrbac_seterr(err, "%s: cannot read", path);
		return NULL;
	}
	return strdup(f->text);
}

static char **fake_glob(void *ctx, const char *pattern)
{
	char **v = calloc(16, sizeof(char *));
	size_t n = 0;

	(void)ctx;
	for (size_t i = 0; host[i].path != NULL && n < 15; i++)
		if (fnmatch(pattern, host[i].path, FNM_PATHNAME) == 0)
			v[n++] = strdup(host[i].path);
	return v;
}

static bool fake_exists(void *ctx, const char *path)
{
	(void)ctx;
	return find(path) != NULL;
}

static const struct orgrbac_doctor_io io = {fake_read, fake_glob, fake_exists, NULL};
static const char *const dirs[] = {MODDIR, "/lib/security", NULL};

/* Every finding as "SEVERITY WHERE: WHAT\n", for strstr. */
static char *flatten(const struct orgrbac_findings *fs)
{
	static char buf[8192];

	buf[0] = '\0';
	for (size_t i = 0; i < fs->n; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s %s: %s\n",
			 fs->f[i].severity == ORGRBAC_SEV_ERROR ? "error" : "warning",
			 fs->f[i].where != NULL ? fs->f[i].where : "-", fs->f[i].what);
	return buf;
}

/* The modules every PAM case may load. */
#define MODULES                                                                                    \
	{MODDIR "/pam_orgrbac.so", NULL}, {MODDIR "/pam_oath.so", NULL},                           \
	    {MODDIR "/pam_permit.so", NULL},                                                       \
	{                                                                                          \
		MODDIR "/pam_unix.so", NULL                                                        \
	}

#define GOOD_AUTH                                                                                  \
	"auth [success=done default=ignore] pam_orgrbac.so mfa_exempt\n"                           \
	"auth required pam_oath.so usersfile=/etc/users.oath\n"
#define GOOD_ACCOUNT "account required pam_orgrbac.so\n@include common-account\n"
#define COMMON_ACCOUNT                                                                             \
	"account [success=1 new_authtok_reqd=done default=ignore] pam_unix.so\n"                   \
	"account requisite pam_deny.so\naccount required pam_permit.so\n"
#define COMMON_AUTH                                                                                \
	"auth [success=1 default=ignore] pam_unix.so nullok\nauth requisite pam_deny.so\n"         \
	"auth required pam_permit.so\n"

struct pam_case {
	const char *name;
	const char *sshd; /* /etc/pam.d/sshd */
	const char *want; /* in the findings, or NULL for none at all */
	bool account, mfa;
};

static void pam_table(void **state)
{
	static const struct pam_case cases[] = {
	    {"the sample", "# the shipped one\n" GOOD_AUTH "\n" GOOD_ACCOUNT, NULL, true, true},
	    {"sufficient", GOOD_AUTH "account sufficient pam_orgrbac.so\n",
	     "error /etc/pam.d/sshd:3: account sufficient pam_orgrbac.so: a user it allows", true,
	     true},
	    {"optional", "account optional pam_orgrbac.so\n",
	     "error /etc/pam.d/sshd:1: account optional", true, false},
	    {"authinfo_unavail=ignore",
	     "account [success=ok authinfo_unavail=ignore default=bad] pam_orgrbac.so\n",
	     "error /etc/pam.d/sshd:1: account [success=ok authinfo_unavail=ignore default=bad]: "
	     "the gate's refusals do not refuse (authinfo_unavail=ignore)",
	     true, false},
	    {"default=ignore", "account [success=ok default=ignore] pam_orgrbac.so\n",
	     "perm_denied=ignore acct_expired=ignore authinfo_unavail=ignore", true, false},
	    {"user_unknown=ignore",
	     "account [success=ok user_unknown=ignore default=bad] pam_orgrbac.so\n",
	     "warning /etc/pam.d/sshd:1: account [success=ok user_unknown=ignore default=bad]: "
	     "users unknown to the directory pass",
	     true, false},
	    {"required with ignore_unknown_user",
	     "account required pam_orgrbac.so ignore_unknown_user\n", NULL, true, false},
	    {"absolute path missing", "account required /opt/nowhere/pam_orgrbac.so\n",
	     "error /etc/pam.d/sshd:1: account required: module /opt/nowhere/pam_orgrbac.so does "
	     "not exist: libpam refuses",
	     true, false},
	    {"name not found",
	     "account required pam_orgrbac2.so\naccount required pam_orgrbac.so\n", NULL, true,
	     false},
	    {"quiet line", "-account required pam_orgrbac.so\n",
	     "error /etc/pam.d/sshd:1: -account: libpam skips this line", true, false},
	    {"no account line", GOOD_AUTH "@include common-account\n",
	     "error /etc/pam.d/sshd: no account line loads pam_orgrbac", false, true},
	    {"through @include", "@include common-orgrbac\n", NULL, true, false},
	    {"through account include", "account include common-orgrbac\n", NULL, true, false},
	    {"the pam-auth-update profile", "@include common-profiled\n", NULL, true, false},
	    {"a missing include", "@include common-gone\naccount required pam_orgrbac.so\n",
	     "warning /etc/pam.d/sshd:1: cannot read common-gone, which this line includes", true,
	     false},
	    {"a sufficient line first",
	     "account sufficient pam_localuser.so\naccount required pam_orgrbac.so\n",
	     "warning /etc/pam.d/sshd:1: account sufficient pam_localuser.so can end the stack",
	     true, false},
	    {"a jump over the gate",
	     "account [success=1 default=ignore] pam_unix.so\naccount required pam_orgrbac.so\n",
	     "error /etc/pam.d/sshd:1: account [success=1 default=ignore] pam_unix.so jumps over "
	     "pam_orgrbac (/etc/pam.d/sshd:2)",
	     true, false},
	    {"jump onto pam_permit",
	     "auth [success=1 default=ignore] pam_orgrbac.so mfa_exempt\n"
	     "auth required pam_oath.so\nauth required pam_permit.so\n" GOOD_ACCOUNT,
	     "error /etc/pam.d/sshd:1: success=1 jumps past the 2FA module onto pam_permit.so "
	     "(/etc/pam.d/sshd:3)",
	     true, true},
	    {"a stack ending in pam_permit",
	     "auth [success=1 default=ignore] pam_orgrbac.so mfa_exempt\n"
	     "auth required pam_oath.so\nauth required pam_permit.so\n" GOOD_ACCOUNT,
	     "error /etc/pam.d/sshd:3: the auth stack ends in pam_permit after the 2FA module "
	     "(/etc/pam.d/sshd:2)",
	     true, true},
	    {"jump to the end",
	     "auth [success=1 default=ignore] pam_orgrbac.so mfa_exempt\n"
	     "auth required pam_oath.so\n" GOOD_ACCOUNT,
	     NULL, true, true},
	    {"jump over nothing of 2FA",
	     "auth [success=1 default=ignore] pam_orgrbac.so mfa_exempt\n"
	     "auth required pam_unix.so\nauth required pam_oath.so\n" GOOD_ACCOUNT,
	     "error /etc/pam.d/sshd:1: success=1 skips no 2FA module, it lands on pam_oath.so",
	     true, true},
	    {"common-auth after the code", GOOD_AUTH "@include common-auth\n" GOOD_ACCOUNT,
	     "error /etc/pam.d/common-auth:3: the auth stack ends in pam_permit after the 2FA "
	     "module (/etc/pam.d/sshd:2)",
	     true, true},
	    {"no 2FA module",
	     "auth [success=done default=ignore] pam_orgrbac.so mfa_exempt\n" GOOD_ACCOUNT,
	     "error /etc/pam.d/sshd:1: no 2FA module follows the mfa_exempt line", true, true},
	    {"2FA optional",
	     "auth [success=done default=ignore] pam_orgrbac.so mfa_exempt\n"
	     "auth optional pam_oath.so\n" GOOD_ACCOUNT,
	     "error /etc/pam.d/sshd:2: auth optional pam_oath.so: the code is not enforced", true,
	     true},
	    {"2FA module missing",
	     "auth [success=done default=ignore] pam_orgrbac.so mfa_exempt\n"
	     "auth required pam_google_authenticator.so\n" GOOD_ACCOUNT,
	     "error /etc/pam.d/sshd:2: auth required: module pam_google_authenticator.so does not "
	     "exist (looked in " MODDIR ", /lib/security)",
	     true, true},
	    {"exemption under required",
	     "auth required pam_orgrbac.so mfa_exempt\nauth required pam_oath.so\n" GOOD_ACCOUNT,
	     "warning /etc/pam.d/sshd:1: auth required pam_orgrbac.so mfa_exempt: its success does "
	     "not end",
	     true, true},
	    {"non-exempt jump",
	     "auth [success=done default=1] pam_orgrbac.so mfa_exempt\n"
	     "auth required pam_oath.so\n" GOOD_ACCOUNT,
	     "(PAM_IGNORE) is '1', not ignore", true, true},
	    {"mfa_exempt on account", "account required pam_orgrbac.so mfa_exempt\n",
	     "mfa_exempt on a account line does nothing", false, false},
	    {"an unknown argument", "account required pam_orgrbac.so frobnicate\n",
	     "error /etc/pam.d/sshd:1: pam_orgrbac refuses its arguments (", true, false},
	    {"an argument twice", "account required pam_orgrbac.so debug debug\n",
	     "every call returns PAM_SERVICE_ERR", true, false},
	    {"a bracketed expression",
	     "account required pam_orgrbac.so [require=host:login || common:org:own]\n", NULL, true,
	     false},
	    {"a bracket inside brackets", "account required pam_orgrbac.so [debug\\]]\n",
	     "refuses its arguments (unknown argument 'debug]')", true, false},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct file files[] = {
		    {"/etc/pam.d/sshd", cases[i].sshd},
		    {"/etc/pam.d/common-account", COMMON_ACCOUNT},
		    {"/etc/pam.d/common-auth", COMMON_AUTH},
		    {"/etc/pam.d/common-orgrbac", "account required pam_orgrbac.so\n"},
		    {"/etc/pam.d/common-profiled",
		     COMMON_ACCOUNT "account required pam_orgrbac.so ignore_unknown_user\n"},
		    MODULES,
		    {NULL, NULL},
		};
		struct orgrbac_findings fs = {0};
		struct orgrbac_pam_facts facts;
		const char *got;

		host = files;
		orgrbac_doctor_pam(&io, "/etc/pam.d", "sshd", dirs,
				   ORGRBAC_DOCTOR_PAM_NAMED | ORGRBAC_DOCTOR_PAM_ROOT_LISTED,
				   &facts, &fs);
		got = flatten(&fs);
		if (cases[i].want == NULL && fs.n != 0)
			fail_msg("%s: wanted no finding, got:\n%s", cases[i].name, got);
		if (cases[i].want != NULL && strstr(got, cases[i].want) == NULL)
			fail_msg("%s: wanted '%s', got:\n%s", cases[i].name, cases[i].want, got);
		if (facts.account != cases[i].account || facts.mfa_exempt != cases[i].mfa)
			fail_msg("%s: account %d mfa %d", cases[i].name, facts.account,
				 facts.mfa_exempt);
		orgrbac_findings_free(&fs);
	}
}

/* An account line judges root unless it or the configuration leaves root out. */
static void pam_root(void **state)
{
	static const struct {
		const char *sshd;
		unsigned flags;
		bool warned;
	} cases[] = {
	    {"account required pam_orgrbac.so\n", 0, true},
	    {"account required pam_orgrbac.so\n", ORGRBAC_DOCTOR_PAM_ROOT_LISTED, false},
	    {"account required pam_orgrbac.so ignore_users=root\n", 0, false},
	    {"account required pam_orgrbac.so ignore_users=backup,root\n", 0, false},
	    {"account required pam_orgrbac.so ignore_users=rooty\n", 0, true},
	    {GOOD_AUTH, 0, false},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct file files[] = {
		    {"/etc/pam.d/sshd", cases[i].sshd}, MODULES, {NULL, NULL}};
		struct orgrbac_findings fs = {0};
		struct orgrbac_pam_facts facts;
		const char *got;

		host = files;
		orgrbac_doctor_pam(&io, "/etc/pam.d", "sshd", dirs, cases[i].flags, &facts, &fs);
		got = flatten(&fs);
		if ((strstr(got, "warning /etc/pam.d/sshd:1: root is judged here") != NULL) !=
		    cases[i].warned)
			fail_msg("case %zu: %s", i, got);
		orgrbac_findings_free(&fs);
	}
}

/* A service the configuration names, without a PAM file; one it does not name. */
static void pam_absent(void **state)
{
	const struct file files[] = {MODULES, {NULL, NULL}};
	struct orgrbac_findings fs = {0};
	struct orgrbac_pam_facts facts;

	(void)state;
	host = files;
	orgrbac_doctor_pam(&io, "/etc/pam.d", "sudo", dirs, false, &facts, &fs);
	assert_int_equal(fs.n, 0);
	orgrbac_doctor_pam(&io, "/etc/pam.d", "sudo", dirs, true, &facts, &fs);
	assert_non_null(strstr(flatten(&fs), "warning /etc/pam.d/sudo: the configuration has a "
					     "[service sudo] section, but /etc/pam.d/sudo cannot "
					     "be read"));
	orgrbac_findings_free(&fs);
}

#define D "/etc/ssh/sshd_config.d/orgrbac.conf"
#define SAMPLE                                                                                     \
	"UsePAM yes\nKbdInteractiveAuthentication yes\n"                                           \
	"AuthenticationMethods publickey,keyboard-interactive\n"

static void sshd_table(void **state)
{
	static const struct {
		const char *name, *main, *dropin;
		bool mfa;
		const char *want;
	} cases[] = {
	    {"Debian's main file with the sample",
	     "Include /etc/ssh/sshd_config.d/*.conf\nKbdInteractiveAuthentication no\nUsePAM yes\n",
	     SAMPLE, true, NULL},
	    {"a relative include", "Include sshd_config.d/*.conf\nUsePAM no\n", SAMPLE, true, NULL},
	    {"no AuthenticationMethods", "Include /etc/ssh/sshd_config.d/*.conf\nUsePAM yes\n",
	     "KbdInteractiveAuthentication yes\n", true,
	     "error /etc/ssh/sshd_config: AuthenticationMethods is not set: a key alone logs in"},
	    {"no AuthenticationMethods, no 2FA", "UsePAM yes\n", "", false, NULL},
	    {"UsePAM no", "UsePAM no\nInclude /etc/ssh/sshd_config.d/*.conf\n", SAMPLE, false,
	     "error /etc/ssh/sshd_config:1: UsePAM is no"},
	    {"UsePAM unset", "Port 22\n", "", false, "UsePAM is not set (default no)"},
	    {"keyboard-interactive off first",
	     "KbdInteractiveAuthentication no\nInclude /etc/ssh/sshd_config.d/*.conf\n", SAMPLE,
	     true, "error /etc/ssh/sshd_config:1: KbdInteractiveAuthentication is no"},
	    {"a key alone", "Include /etc/ssh/sshd_config.d/*.conf\n",
	     "UsePAM yes\nAuthenticationMethods publickey\n", true,
	     "error " D ":2: AuthenticationMethods is publickey: a key alone logs in"},
	    {"the code alone", "UsePAM=yes\nAuthenticationMethods keyboard-interactive\n", "", true,
	     "AuthenticationMethods is keyboard-interactive: no key is verified"},
	    {"only inside Match",
	     "UsePAM yes\nMatch User alice\n  AuthenticationMethods "
	     "publickey,keyboard-interactive\n",
	     "", true, "AuthenticationMethods is not set"},
	    {"Match all ends a block",
	     "UsePAM yes\nMatch User alice\n  PasswordAuthentication no\nMatch all\n"
	     "AuthenticationMethods publickey,keyboard-interactive:pam\n",
	     "", true, NULL},
	    /* sshd's servconf.c: an Include inside a Match block belongs to that block */
	    {"an Include inside Match is not global",
	     "UsePAM yes\nMatch User alice\n  Include /etc/ssh/sshd_config.d/*.conf\n", SAMPLE,
	     true, "AuthenticationMethods is not set"},
	    {"nor is Match all in a file included inside Match",
	     "UsePAM yes\nMatch User alice\n  Include /etc/ssh/sshd_config.d/*.conf\n",
	     "Match all\nAuthenticationMethods publickey,keyboard-interactive\n", true,
	     "AuthenticationMethods is not set"},
	    {"an Include after Match all is global",
	     "UsePAM yes\nMatch User alice\nMatch all\nInclude /etc/ssh/sshd_config.d/*.conf\n",
	     SAMPLE, true, NULL},
	    /* and a Match in an included file ends with that file */
	    {"a Match in an included file ends at its end",
	     "Include /etc/ssh/sshd_config.d/*.conf\nUsePAM yes\n"
	     "AuthenticationMethods publickey,keyboard-interactive\n",
	     "Match User alice\n  PasswordAuthentication no\n", true, NULL},
	    {"Match all in an included file at top level is global",
	     "UsePAM yes\nInclude /etc/ssh/sshd_config.d/*.conf\n",
	     "Match User alice\nMatch all\nAuthenticationMethods publickey,keyboard-interactive\n",
	     true, NULL},
	    {"a setting after a Match in an included file is not global",
	     "UsePAM yes\nInclude /etc/ssh/sshd_config.d/*.conf\n",
	     "Match User alice\nAuthenticationMethods publickey,keyboard-interactive\n", true,
	     "AuthenticationMethods is not set"},
	    {"an includer's Match outlives its included file",
	     "UsePAM yes\nMatch User alice\n  Include /etc/ssh/sshd_config.d/*.conf\n"
	     "  AuthenticationMethods publickey,keyboard-interactive\n",
	     "Match all\n", true, "AuthenticationMethods is not set"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct file files[] = {
		    {"/etc/ssh/sshd_config", cases[i].main},
		    {D, cases[i].dropin},
		    {NULL, NULL},
		};
		struct orgrbac_findings fs = {0};
		const char *got;

		host = files;
		orgrbac_doctor_sshd(&io, "/etc/ssh/sshd_config", cases[i].mfa, &fs);
		got = flatten(&fs);
		if (cases[i].want == NULL && fs.n != 0)
			fail_msg("%s: wanted no finding, got:\n%s", cases[i].name, got);
		if (cases[i].want != NULL && strstr(got, cases[i].want) == NULL)
			fail_msg("%s: wanted '%s', got:\n%s", cases[i].name, cases[i].want, got);
		orgrbac_findings_free(&fs);
	}
}

static void nsswitch_table(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
	    {"passwd: files systemd ldap\ngroup: files systemd orgrbac\n", NULL},
	    {"passwd:         files sss\ngroup:          files [SUCCESS=merge] systemd orgrbac\n",
	     NULL},
	    {"passwd: files ldap\ngroup: files systemd\n",
	     "error /etc/nsswitch.conf:2: group: has no orgrbac"},
	    {"passwd: files ldap\n", "error /etc/nsswitch.conf: group: has no orgrbac"},
	    {"passwd: files ldap\ngroup: orgrbac files\n",
	     "warning /etc/nsswitch.conf:2: group: orgrbac comes before files"},
	    {"passwd: files ldap\ngroup: files [NOTFOUND=return] orgrbac\n",
	     "error /etc/nsswitch.conf:2: group: [NOTFOUND=return] before orgrbac"},
	    {"# comment\npasswd: files systemd\ngroup: files systemd orgrbac\n",
	     "warning /etc/nsswitch.conf:2: passwd: names only local sources: directory users "
	     "need a passwd source (orgrbac, nslcd's ldap or sss)"},
	    {"passwd: files systemd # ldap\ngroup: files orgrbac\n", "need a passwd source"},
	    {"passwd: files systemd orgrbac\ngroup: files systemd orgrbac\n", NULL},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct orgrbac_findings fs = {0};
		const char *got;

		orgrbac_doctor_nsswitch("/etc/nsswitch.conf", cases[i].text, &fs);
		got = flatten(&fs);
		if (cases[i].want == NULL && fs.n != 0)
			fail_msg("case %zu: wanted no finding, got:\n%s", i, got);
		if (cases[i].want != NULL && strstr(got, cases[i].want) == NULL)
			fail_msg("case %zu: wanted '%s', got:\n%s", i, cases[i].want, got);
		orgrbac_findings_free(&fs);
	}
}

/* Text from a file comes back printable. */
static void findings_printable(void **state)
{
	struct orgrbac_findings fs = {0};

	(void)state;
	orgrbac_finding_add(&fs, ORGRBAC_SEV_WARNING, "pam", "/etc/pam.d/x\x1b", 3, "fix\n",
			    "bad %s", "val\x01ue");
	assert_int_equal(fs.n, 1);
	assert_string_equal(fs.f[0].where, "/etc/pam.d/x?:3");
	assert_string_equal(fs.f[0].what, "bad val?ue");
	assert_string_equal(fs.f[0].fix, "fix?");
	orgrbac_findings_free(&fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(pam_table),      cmocka_unit_test(pam_root),
	    cmocka_unit_test(pam_absent),     cmocka_unit_test(sshd_table),
	    cmocka_unit_test(nsswitch_table), cmocka_unit_test(findings_printable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
