# SPDX-License-Identifier: BSD-2-Clause
# Build rules of tests/integration/, included from Makefile.am.

# The directory model against a real slapd, with and without memberOf, then
# the CLI, the PAM module and the hostile data (run.sh runs them all).
check_PROGRAMS += tests/integration/test_directory
tests_integration_test_directory_SOURCES = tests/integration/test_directory.c
tests_integration_test_directory_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/lib
tests_integration_test_directory_CFLAGS = $(unit_cflags)
tests_integration_test_directory_LDADD = tests/lib/libtestlib.la $(ldap_libs) $(CMOCKA_LIBS)
# One sync (common/sync.c) against the same server, and each way it fails.
check_PROGRAMS += tests/integration/test_sync
tests_integration_test_sync_SOURCES = tests/integration/test_sync.c
tests_integration_test_sync_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/lib
tests_integration_test_sync_CFLAGS = $(unit_cflags)
tests_integration_test_sync_LDADD = tests/lib/libtestlib.la $(common_libs) $(CMOCKA_LIBS)
if ENABLE_PAM
check_PROGRAMS += tests/integration/test_pam
tests_integration_test_pam_SOURCES = tests/integration/test_pam.c
tests_integration_test_pam_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/lib
tests_integration_test_pam_CFLAGS = $(unit_cflags)
tests_integration_test_pam_LDADD = tests/lib/libtestlib.la $(store_libs) $(CMOCKA_LIBS) \
	$(PAM_LIBS) -ldl
# The bad-input, environment, descriptor and thread tests of pam_orgrbac.so
# (test_hostile.sh runs them).
check_PROGRAMS += tests/integration/test_hardening
tests_integration_test_hardening_SOURCES = tests/integration/test_hardening.c
tests_integration_test_hardening_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/lib
tests_integration_test_hardening_CFLAGS = $(unit_cflags)
tests_integration_test_hardening_LDADD = tests/lib/libtestlib.la $(store_libs) $(CMOCKA_LIBS) \
	$(PAM_LIBS) $(LDAP_LIBS) -ldl -lpthread
# The test build of the PAM module, never installed: the same source, trusting
# files of any owner, so that `make check` as any user loads it through libpam
# (run.sh picks it when not root). -rpath makes it a shared object.
check_LTLIBRARIES += tests/integration/pam_orgrbac_test.la
tests_integration_pam_orgrbac_test_la_SOURCES = $(pam_orgrbac_la_SOURCES)
tests_integration_pam_orgrbac_test_la_CPPFLAGS = $(AM_CPPFLAGS) -DORGRBAC_PAM_TRUST_ANY_OWNER=1
tests_integration_pam_orgrbac_test_la_LDFLAGS = $(pam_orgrbac_la_LDFLAGS) -rpath $(abs_builddir)
tests_integration_pam_orgrbac_test_la_LIBADD = $(pam_orgrbac_la_LIBADD)
EXTRA_tests_integration_pam_orgrbac_test_la_DEPENDENCIES = \
	$(EXTRA_pam_orgrbac_la_DEPENDENCIES) tests/integration/orgrbac_live.la
# Its live library, beside it as the installed one lies beside the module: the
# same sources; the test build of the module trusts it whoever owns it.
check_LTLIBRARIES += tests/integration/orgrbac_live.la
tests_integration_orgrbac_live_la_SOURCES = $(orgrbac_live_la_SOURCES)
tests_integration_orgrbac_live_la_LDFLAGS = $(orgrbac_live_la_LDFLAGS) -rpath $(abs_builddir)
tests_integration_orgrbac_live_la_LIBADD = $(orgrbac_live_la_LIBADD)
EXTRA_tests_integration_orgrbac_live_la_DEPENDENCIES = $(EXTRA_orgrbac_live_la_DEPENDENCIES)
# A PAM decision in a process of its own, then what that process mapped
# (test_pam_split.sh: no libldap with source = snapshot; the live library's
# checks).
check_PROGRAMS += tests/integration/pam_maps
tests_integration_pam_maps_SOURCES = tests/integration/pam_maps.c
tests_integration_pam_maps_LDADD = $(PAM_LIBS)
endif
TESTS += tests/integration/run-memberof.sh tests/integration/run-nomemberof.sh
EXTRA_DIST += tests/integration/slapd.sh tests/integration/run.sh \
	tests/integration/run-memberof.sh tests/integration/run-nomemberof.sh \
	tests/integration/test_cli.sh tests/integration/test_who.sh \
	tests/integration/test_completion.sh \
	tests/integration/test_hostile.sh tests/integration/test_pam_split.sh \
	tests/data/hostile.ldif tests/data/trust.ldif \
	tests/valgrind.sh tests/valgrind.supp

# One source of group truth: the same decisions whatever the server's memberOf
# (none, added after the data, dynlist) and under its size limit, and sync
# agreeing with the live decision on every membership (groups_agree).
check_PROGRAMS += tests/integration/groups_agree
tests_integration_groups_agree_SOURCES = tests/integration/groups_agree.c
tests_integration_groups_agree_CFLAGS = $(unit_cflags)
tests_integration_groups_agree_LDADD = $(common_libs)
TESTS += tests/integration/test_groups.sh
EXTRA_DIST += tests/integration/test_groups.sh

# etc/slapd-acl.ldif in real slapd servers of its own (the ACL changes what
# every client may read): writes by each kind of identity, with their exact
# result codes, and a host's decisions under the ACL.
TESTS += tests/integration/test_acl.sh
EXTRA_DIST += tests/integration/test_acl.sh tests/data/acl-identities.ldif

# `orgrbac role` under etc/slapd-acl.ldif, in a slapd of its own: each
# subcommand, validation refusals, --dry-run, who may write where, hostile
# names, and a new role reaching check and sync.
TESTS += tests/integration/test_role.sh
EXTRA_DIST += tests/integration/test_role.sh

# `orgrbac grant`, `revoke` and `grants` under etc/slapd-acl.ldif, in a slapd
# of its own: validation refusals, --dry-run, idempotence, revoking one
# grantee of several, who may write where, hostile values, and check.
TESTS += tests/integration/test_grant.sh
EXTRA_DIST += tests/integration/test_grant.sh
# `orgrbac external` under etc/slapd-acl.ldif, in a slapd of its own: each
# subcommand, validation refusals with nothing written, --dry-run, who may
# write where, hostile names, and each change reaching check.
TESTS += tests/integration/test_external.sh
EXTRA_DIST += tests/integration/test_external.sh

# The sample organization built through the tool alone on an empty directory
# under the ACL, then its decision table through check and real libpam.
TESTS += tests/integration/test_build_sample.sh
EXTRA_DIST += tests/integration/test_build_sample.sh

# etc/slapd-refint.ldif and etc/slapd-dynlist.ldif in real slapd servers of
# their own: a user re-created with a deleted user's DN inherits no grant.
TESTS += tests/integration/test_refint.sh
EXTRA_DIST += tests/integration/test_refint.sh

# What a sync leaves out (exit status 3, the record, status), then `orgrbac
# doctor` against good and broken hosts in a private mount namespace (root;
# the doctor part is skipped otherwise), with a slapd of its own.
TESTS += tests/integration/test_doctor.sh
EXTRA_DIST += tests/integration/test_doctor.sh

# `orgrbac follow` (RFC 4533) against slapd servers with syncprov: refresh,
# changes and their latency, restart, failover, kill -9, the host identity
# under etc/slapd-acl.ldif; snapdump reads the snapshot as the reader does.
check_PROGRAMS += tests/integration/snapdump
tests_integration_snapdump_SOURCES = tests/integration/snapdump.c
tests_integration_snapdump_LDADD = $(store_libs)
TESTS += tests/integration/test_follow.sh
EXTRA_DIST += tests/integration/test_follow.sh

# slapd.sh's provider and read-only consumer (start-pair --consumer, what
# bench/run-scale.sh runs): a change on the provider reaches the consumer and
# a follower bound to it; writes to the consumer are refused.
TESTS += tests/integration/test_consumer.sh
EXTRA_DIST += tests/integration/test_consumer.sh
