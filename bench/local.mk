# SPDX-License-Identifier: BSD-2-Clause
# Build rules of bench/, included from Makefile.am.

# pam_orgrbac: decisions per second and LDAP round trips per decision
# (bench/run-pam.sh). Built with the tests so that it keeps compiling; never run by them.
if ENABLE_PAM
check_PROGRAMS += bench/bench_pam
bench_bench_pam_SOURCES = bench/bench_pam.c
bench_bench_pam_LDADD = $(common_libs) $(PAM_LIBS)
endif
EXTRA_DIST += bench/run-pam.sh

# NSS: the data generator and the lookup benchmark (bench/run-nss.sh); built with
# the tests, never run by them.
check_PROGRAMS += bench/gen bench/nss_bench
bench_gen_SOURCES = bench/gen.c
bench_gen_LDADD = $(store_libs)
bench_nss_bench_SOURCES = bench/nss_bench.c
bench_nss_bench_LDADD = -ldl
EXTRA_DIST += bench/run-nss.sh
