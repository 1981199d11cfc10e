# SPDX-License-Identifier: BSD-2-Clause
# tests/unit/: one cmocka binary per unit of common/ (and of the PAM arguments).
unit_cflags = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
unit_ldadd = $(store_libs) $(CMOCKA_LIBS)

UNIT_TESTS = \
	tests/unit/test_util tests/unit/test_gtime tests/unit/test_expr \
	tests/unit/test_policy tests/unit/test_hostview tests/unit/test_factor \
	tests/unit/test_config tests/unit/test_snapshot tests/unit/test_offline tests/unit/test_gate \
	tests/unit/test_snapshot_facts tests/unit/test_snapshot_passwd tests/unit/test_snapshot_shared \
	tests/unit/test_pamargs tests/unit/test_dn tests/unit/test_directory \
	tests/unit/test_osgroup tests/unit/test_exempt tests/unit/test_leftout \
	tests/unit/test_doctor tests/unit/test_who tests/unit/test_lint \
	tests/unit/test_review tests/unit/test_admin tests/unit/test_admin_external \
	tests/unit/test_follow tests/unit/test_notify tests/unit/test_cli_out
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)

tests_unit_test_util_SOURCES = tests/unit/test_util.c
tests_unit_test_util_CFLAGS = $(unit_cflags)
tests_unit_test_util_LDADD = $(unit_ldadd)
tests_unit_test_gtime_SOURCES = tests/unit/test_gtime.c
tests_unit_test_gtime_CFLAGS = $(unit_cflags)
tests_unit_test_gtime_LDADD = $(unit_ldadd)
tests_unit_test_expr_SOURCES = tests/unit/test_expr.c
tests_unit_test_expr_CFLAGS = $(unit_cflags)
tests_unit_test_expr_LDADD = $(unit_ldadd)
tests_unit_test_policy_SOURCES = tests/unit/test_policy.c
tests_unit_test_policy_CFLAGS = $(unit_cflags)
tests_unit_test_policy_LDADD = $(unit_ldadd)
tests_unit_test_osgroup_SOURCES = tests/unit/test_osgroup.c
tests_unit_test_osgroup_CFLAGS = $(unit_cflags)
tests_unit_test_osgroup_LDADD = $(unit_ldadd)
tests_unit_test_doctor_SOURCES = tests/unit/test_doctor.c
tests_unit_test_doctor_CFLAGS = $(unit_cflags)
tests_unit_test_doctor_LDADD = $(common_libs) $(CMOCKA_LIBS)
tests_unit_test_who_SOURCES = tests/unit/test_who.c tests/unit/image.h
tests_unit_test_who_CFLAGS = $(unit_cflags)
tests_unit_test_who_LDADD = $(common_libs) $(CMOCKA_LIBS)
tests_unit_test_lint_SOURCES = tests/unit/test_lint.c tests/unit/image.h
tests_unit_test_lint_CFLAGS = $(unit_cflags)
tests_unit_test_lint_LDADD = $(common_libs) $(CMOCKA_LIBS)
tests_unit_test_review_SOURCES = tests/unit/test_review.c tests/unit/image.h
tests_unit_test_review_CFLAGS = $(unit_cflags)
tests_unit_test_review_LDADD = $(common_libs) $(CMOCKA_LIBS)
# The CLI's escaping of untrusted text, from its source.
tests_unit_test_cli_out_SOURCES = tests/unit/test_cli_out.c tools/cli_out.c tools/cli.h
tests_unit_test_cli_out_CFLAGS = $(unit_cflags) -I$(top_srcdir)/tools
tests_unit_test_cli_out_LDADD = $(common_libs) $(CMOCKA_LIBS)
tests_unit_test_admin_SOURCES = tests/unit/test_admin.c
tests_unit_test_admin_CFLAGS = $(unit_cflags)
tests_unit_test_admin_LDADD = $(common_libs) $(CMOCKA_LIBS)
tests_unit_test_admin_external_SOURCES = tests/unit/test_admin_external.c
tests_unit_test_admin_external_CFLAGS = $(unit_cflags)
tests_unit_test_admin_external_LDADD = $(common_libs) $(CMOCKA_LIBS)
tests_unit_test_leftout_SOURCES = tests/unit/test_leftout.c
tests_unit_test_leftout_CFLAGS = $(unit_cflags)
tests_unit_test_leftout_LDADD = $(unit_ldadd)
tests_unit_test_hostview_SOURCES = tests/unit/test_hostview.c
tests_unit_test_hostview_CFLAGS = $(unit_cflags)
tests_unit_test_hostview_LDADD = $(unit_ldadd)
# What proves a factor verified before the 2FA exemption, from its source.
tests_unit_test_factor_SOURCES = tests/unit/test_factor.c common/model/factor.c
tests_unit_test_factor_CFLAGS = $(unit_cflags)
tests_unit_test_factor_LDADD = $(unit_ldadd)
tests_unit_test_config_SOURCES = tests/unit/test_config.c
tests_unit_test_config_CFLAGS = $(unit_cflags)
tests_unit_test_config_LDADD = $(unit_ldadd)
# A resolver call from the configuration reader fails the test (test_config.c).
tests_unit_test_config_LDFLAGS = $(AM_LDFLAGS) -Wl,--wrap=getaddrinfo -Wl,--wrap=getnameinfo \
	-Wl,--wrap=gethostbyname
# Who the PAM module leaves unjudged, with a passwd database of the test's own.
tests_unit_test_exempt_SOURCES = tests/unit/test_exempt.c
tests_unit_test_exempt_CFLAGS = $(unit_cflags)
tests_unit_test_exempt_LDADD = $(unit_ldadd)
# The reader and writer through their API; the test corrupts files and reseals
# them with the format's checksum (snapshot_format.h).
tests_unit_test_snapshot_SOURCES = tests/unit/test_snapshot.c tests/unit/view.h
tests_unit_test_snapshot_CFLAGS = $(unit_cflags)
tests_unit_test_snapshot_LDADD = $(unit_ldadd)
# The decision part: round trips decided as the originals, corrupt and hostile records.
tests_unit_test_snapshot_facts_SOURCES = tests/unit/test_snapshot_facts.c tests/unit/view.h \
	tests/unit/reseal.h
tests_unit_test_snapshot_facts_CFLAGS = $(unit_cflags)
tests_unit_test_snapshot_facts_LDADD = $(unit_ldadd)
# Shared roles and grants: written once by content, checked where read.
tests_unit_test_snapshot_shared_SOURCES = tests/unit/test_snapshot_shared.c tests/unit/facts.h \
	tests/unit/reseal.h
tests_unit_test_snapshot_shared_CFLAGS = $(unit_cflags)
tests_unit_test_snapshot_shared_LDADD = $(unit_ldadd)
tests_unit_test_gate_SOURCES = tests/unit/test_gate.c
tests_unit_test_gate_CFLAGS = $(unit_cflags)
tests_unit_test_gate_LDADD = libgate.la $(unit_ldadd)
# The passwd database: who sync serves (libusecases), the reader's bounds and ERANGE.
tests_unit_test_snapshot_passwd_SOURCES = tests/unit/test_snapshot_passwd.c tests/unit/facts.h
tests_unit_test_snapshot_passwd_CFLAGS = $(unit_cflags)
tests_unit_test_snapshot_passwd_LDADD = $(common_libs) $(CMOCKA_LIBS)
tests_unit_test_offline_SOURCES = tests/unit/test_offline.c tests/unit/facts.h
tests_unit_test_offline_CFLAGS = $(unit_cflags)
tests_unit_test_offline_LDADD = $(common_libs) $(CMOCKA_LIBS)
# The arguments of pam_orgrbac's PAM lines, compiled from their source.
tests_unit_test_pamargs_SOURCES = tests/unit/test_pamargs.c
tests_unit_test_pamargs_CFLAGS = $(unit_cflags)
tests_unit_test_pamargs_LDADD = $(unit_ldadd)
# DN parsing of the directory model, from the LDAP layer.
tests_unit_test_dn_SOURCES = tests/unit/test_dn.c
tests_unit_test_dn_CFLAGS = $(unit_cflags)
tests_unit_test_dn_LDADD = $(ldap_libs) $(CMOCKA_LIBS)
# What an LDAP status means to the directory model.
tests_unit_test_directory_SOURCES = tests/unit/test_directory.c
tests_unit_test_directory_CFLAGS = $(unit_cflags)
tests_unit_test_directory_LDADD = $(ldap_libs) $(CMOCKA_LIBS)
# the follower's store, backoff and state file: libusecases, over every layer
tests_unit_test_follow_SOURCES = tests/unit/test_follow.c
tests_unit_test_follow_CFLAGS = $(unit_cflags)
tests_unit_test_follow_LDADD = $(common_libs) $(CMOCKA_LIBS)
# the service manager's notification, to real datagram sockets
tests_unit_test_notify_SOURCES = tests/unit/test_notify.c
tests_unit_test_notify_CFLAGS = $(unit_cflags)
tests_unit_test_notify_LDADD = $(common_libs) $(CMOCKA_LIBS)
