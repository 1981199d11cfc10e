# SPDX-License-Identifier: BSD-2-Clause
# Build rules of bench/, included from Makefile.am.

# NSS: the data generator and the lookup benchmark (bench/run-nss.sh); built with
# the tests, never run by them.
check_PROGRAMS += bench/gen bench/nss_bench
bench_gen_SOURCES = bench/gen.c
bench_gen_LDADD = libcommon.la
bench_nss_bench_SOURCES = bench/nss_bench.c
bench_nss_bench_LDADD = -ldl
EXTRA_DIST += bench/run-nss.sh
