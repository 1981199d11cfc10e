# SPDX-License-Identifier: BSD-2-Clause
# Build rules of tests/faults/, included from Makefile.am.

# The misbehaving server needs nothing but the C library.
check_PROGRAMS += tests/faults/fake_ldap
tests_faults_fake_ldap_SOURCES = tests/faults/fake_ldap.c

# The client decides through libpam, so the suite needs the PAM module.
if ENABLE_PAM
check_PROGRAMS += tests/faults/fault_client
tests_faults_fault_client_SOURCES = tests/faults/fault_client.c
tests_faults_fault_client_LDADD = $(common_libs) $(PAM_LIBS)
endif

TESTS += tests/faults/run.sh
EXTRA_DIST += tests/faults/run.sh
