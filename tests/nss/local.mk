# SPDX-License-Identifier: BSD-2-Clause
# tests/nss/: the NSS module through real glibc in a private mount namespace.
check_PROGRAMS += tests/nss/nss_stress tests/nss/nss_direct tests/nss/nss_truncate
tests_nss_nss_stress_SOURCES = tests/nss/nss_stress.c
tests_nss_nss_stress_LDADD = -lpthread
tests_nss_nss_direct_SOURCES = tests/nss/nss_direct.c
tests_nss_nss_direct_LDADD = -ldl
tests_nss_nss_truncate_SOURCES = tests/nss/nss_truncate.c
tests_nss_nss_truncate_LDADD = -ldl
TESTS += tests/nss/run.sh
EXTRA_DIST += tests/nss/run.sh tests/nss/lib.sh tests/nss/test_nss.sh tests/nss/test_sudo.sh
