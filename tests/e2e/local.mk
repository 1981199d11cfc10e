# SPDX-License-Identifier: BSD-2-Clause
# Build rules of tests/e2e/, included from Makefile.am.

# pam_orgrbac: its manual page, its sample PAM and sshd files, and the
# end-to-end test of those files with real sshd and sudo (root only; it
# skips otherwise).
dist_man_MANS += man/pam_orgrbac.8
orgrbacpamddir = $(datadir)/orgrbac/pam.d
dist_orgrbacpamd_DATA = etc/pam.d/sshd etc/pam.d/sudo etc/pam.d/login
# The sshd settings that the sshd sample needs, for /etc/ssh/sshd_config.d/.
orgrbacsshddir = $(datadir)/orgrbac/sshd_config.d
dist_orgrbacsshd_DATA = etc/sshd_config.d/orgrbac.conf
EXTRA_DIST += tests/e2e/test_sshd_sudo.sh
if ENABLE_PAM
TESTS += tests/e2e/test_sshd_sudo.sh
endif

# The arguments of pam_orgrbac's PAM lines, compiled from their source.
check_PROGRAMS += tests/unit/test_pamargs
TESTS += tests/unit/test_pamargs
tests_unit_test_pamargs_SOURCES = tests/unit/test_pamargs.c common/pamargs.c
tests_unit_test_pamargs_CFLAGS = $(unit_cflags)
tests_unit_test_pamargs_LDADD = $(unit_ldadd)

# What proves a factor verified before the 2FA exemption, from its source.
check_PROGRAMS += tests/unit/test_factor
TESTS += tests/unit/test_factor
tests_unit_test_factor_SOURCES = tests/unit/test_factor.c common/factor.c
tests_unit_test_factor_CFLAGS = $(unit_cflags)
tests_unit_test_factor_LDADD = $(unit_ldadd)
