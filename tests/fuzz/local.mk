# SPDX-License-Identifier: BSD-2-Clause
# Build rules of tests/fuzz/, included from Makefile.am.
#
# configure --enable-fuzzing (CC=clang) builds one libFuzzer binary per
# tests/fuzz/fuzz_NAME.c; tests/fuzz/run.sh runs each over
# tests/fuzz/corpus/NAME/. Adding a target is its source, its seed corpus,
# and two lines here.
FUZZ_TARGETS = tests/fuzz/fuzz_expr tests/fuzz/fuzz_config tests/fuzz/fuzz_gtime \
	tests/fuzz/fuzz_names tests/fuzz/fuzz_pamargs tests/fuzz/fuzz_policy \
	tests/fuzz/fuzz_snapshot tests/fuzz/fuzz_factor
fuzz_ldadd = $(common_libs) $(FUZZ_LDFLAGS)

if ENABLE_FUZZING
noinst_PROGRAMS = $(FUZZ_TARGETS)
tests_fuzz_fuzz_expr_LDADD = $(fuzz_ldadd)
tests_fuzz_fuzz_config_LDADD = $(fuzz_ldadd)
tests_fuzz_fuzz_gtime_LDADD = $(fuzz_ldadd)
tests_fuzz_fuzz_names_LDADD = $(fuzz_ldadd)
tests_fuzz_fuzz_pamargs_LDADD = $(fuzz_ldadd)
tests_fuzz_fuzz_policy_LDADD = $(fuzz_ldadd)
tests_fuzz_fuzz_snapshot_LDADD = $(fuzz_ldadd)
tests_fuzz_fuzz_factor_LDADD = $(fuzz_ldadd)
endif

EXTRA_DIST += tests/fuzz/run.sh tests/fuzz/corpus $(FUZZ_TARGETS:=.c)
