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

# Through glibc and libpam as a user gets them: lookups via nsswitch.conf, one
# exec per lookup, a fresh PAM handle (or process) per decision, the module's
# dlopen (bench/run-glibc.sh, beside nslcd and pam_ldap); built, never run by the tests.
check_PROGRAMS += bench/glibc_bench
bench_glibc_bench_SOURCES = bench/glibc_bench.c
if ENABLE_PAM
check_PROGRAMS += bench/pam_fresh
bench_pam_fresh_SOURCES = bench/pam_fresh.c
bench_pam_fresh_LDADD = $(PAM_LIBS) -ldl
endif
EXTRA_DIST += bench/run-glibc.sh bench/peer.sh

# The follower: one on the generated directory, and many behind a replica
# (bench/run-follow.sh, bench/run-scale.sh); never run by the tests.
EXTRA_DIST += bench/run-follow.sh bench/run-scale.sh
