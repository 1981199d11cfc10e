# SPDX-License-Identifier: BSD-2-Clause
# tests/lib/: what the test suites share: the shell helpers (lib.sh) and a
# small library for the C tests.
EXTRA_DIST += tests/lib/lib.sh
check_LTLIBRARIES += tests/lib/libtestlib.la
tests_lib_libtestlib_la_SOURCES = tests/lib/testdir.c tests/lib/testdir.h
