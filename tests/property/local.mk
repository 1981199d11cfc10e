# SPDX-License-Identifier: BSD-2-Clause
# Build rules of tests/property/, included from Makefile.am.

# The property test: random directories in two real slapd servers (with and
# without memberOf) and the host snapshot, decided on every path.
check_PROGRAMS += tests/property/property
tests_property_property_SOURCES = tests/property/property.c tests/property/gen.c \
	tests/property/gen.h
tests_property_property_LDADD = $(common_libs) -lpthread
TESTS += tests/property/run.sh
EXTRA_DIST += tests/property/run.sh
# The directories of failing runs (ORGRBAC_PROPERTY_KEEP, by default here).
CLEANFILES += tests/property/property-*.ldif
