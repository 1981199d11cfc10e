# SPDX-License-Identifier: BSD-2-Clause
# Build rules of tests/fuzz/, included from Makefile.am.
#
# configure --enable-fuzzing (CC=clang) builds one libFuzzer binary per
# tests/fuzz/fuzz_NAME.c; tests/fuzz/run.sh runs each over
# tests/fuzz/corpus/NAME/. Adding a target is one line here, plus its
# source and seed corpus.
FUZZ_TARGETS = tests/fuzz/fuzz_expr
FUZZ_TARGETS += tests/fuzz/fuzz_config
FUZZ_TARGETS += tests/fuzz/fuzz_gtime
FUZZ_TARGETS += tests/fuzz/fuzz_names
FUZZ_TARGETS += tests/fuzz/fuzz_pamargs
FUZZ_TARGETS += tests/fuzz/fuzz_policy
FUZZ_TARGETS += tests/fuzz/fuzz_snapshot
FUZZ_TARGETS += tests/fuzz/fuzz_factor

if ENABLE_FUZZING
noinst_PROGRAMS = $(FUZZ_TARGETS)
# Each target is its own fuzz_NAME.c (automake's default source) linked
# against all of common/, so no target needs a rule of its own.
LDADD = libdirectory.la libcommon.la $(LDAP_LIBS) $(INIPARSER_LIBS) $(FUZZ_LDFLAGS)
AM_CPPFLAGS += $(LDAP_CFLAGS)
endif

EXTRA_DIST += tests/fuzz/run.sh tests/fuzz/corpus $(FUZZ_TARGETS:=.c)

# The bad-input, environment, descriptor and thread tests of pam_orgrbac.so
# (tests/integration/test_hostile.sh runs them).
if ENABLE_PAM
check_PROGRAMS += tests/integration/test_hardening
tests_integration_test_hardening_SOURCES = tests/integration/test_hardening.c
tests_integration_test_hardening_CFLAGS = $(unit_cflags) $(LDAP_CFLAGS)
tests_integration_test_hardening_LDADD = libcommon.la $(CMOCKA_LIBS) $(PAM_LIBS) $(LDAP_LIBS) \
	-ldl -lpthread
endif
EXTRA_DIST += tests/integration/test_hostile.sh tests/data/hostile.ldif tests/data/trust.ldif \
	tests/valgrind.sh tests/valgrind.supp
