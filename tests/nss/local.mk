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
EXTRA_DIST += tests/nss/run.sh tests/nss/lib.sh tests/nss/test_nss.sh tests/nss/test_sudo.sh \
	tests/nss/test_passwd.sh

# The test build of the NSS module, never installed: the same source, reading
# the snapshot in the build tree whoever owns it, so that `make check` as any
# user loads it through nss_wrapper (test_wrapper.sh). -rpath makes it a shared
# object.
if ENABLE_NSS
check_LTLIBRARIES += tests/nss/libnss_orgrbac_test.la
tests_nss_libnss_orgrbac_test_la_SOURCES = $(libnss_orgrbac_la_SOURCES)
tests_nss_libnss_orgrbac_test_la_CPPFLAGS = $(base_includes) -I$(top_srcdir)/common/store \
	-DORGRBAC_SNAPSHOT_PATH='"$(abs_top_builddir)/tests/nss/wrapper/snapshot.db"' \
	-DORGRBAC_NSS_SNAPSHOT_FLAGS=ORGRBAC_SNAP_TRUST_ANY_OWNER
tests_nss_libnss_orgrbac_test_la_LDFLAGS = $(AM_LDFLAGS) -module -shared -avoid-version \
	-no-undefined -rpath $(abs_builddir) -Wl,--version-script=$(srcdir)/nss_orgrbac/nss_orgrbac.map
tests_nss_libnss_orgrbac_test_la_LIBADD = $(libnss_orgrbac_la_LIBADD)
EXTRA_tests_nss_libnss_orgrbac_test_la_DEPENDENCIES = $(EXTRA_libnss_orgrbac_la_DEPENDENCIES)
endif
TESTS += tests/nss/test_wrapper.sh
EXTRA_DIST += tests/nss/test_wrapper.sh
