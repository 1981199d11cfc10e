# SPDX-License-Identifier: BSD-2-Clause
# Build rules of nss_orgrbac/, included from Makefile.am.

# The snapshot (no libldap) is part of common/; the host view computation too.
libcommon_la_SOURCES += common/snapshot.c common/snapshot.h common/snapshot_format.h \
	common/snapshot_write.c \
	common/hostview.c common/hostview.h
AM_CPPFLAGS += -DORGRBAC_SNAPSHOT_PATH='"$(snapshotpath)"'

if ENABLE_NSS
# Loaded into every process: only the snapshot reader and util.c, no libldap, no iniparser.
nsslib_LTLIBRARIES = libnss_orgrbac.la
libnss_orgrbac_la_SOURCES = nss_orgrbac/nss_orgrbac.c common/snapshot.c common/snapshot_format.h \
	common/util.c
libnss_orgrbac_la_CFLAGS = $(AM_CFLAGS)
libnss_orgrbac_la_LDFLAGS = $(AM_LDFLAGS) -module -shared -no-undefined -version-info 2:0:0 \
	-Wl,--version-script=$(srcdir)/nss_orgrbac/nss_orgrbac.map
libnss_orgrbac_la_LIBADD = -lpthread
EXTRA_libnss_orgrbac_la_DEPENDENCIES = $(srcdir)/nss_orgrbac/nss_orgrbac.map
endif

# The .la file is of no use for a module loaded by glibc by its soname; without
# it, libtool's uninstall no longer knows the module's files.
install-data-hook: install-nss-hook
install-nss-hook:
	rm -f $(DESTDIR)$(nsslibdir)/libnss_orgrbac.la
uninstall-hook: uninstall-nss-hook
uninstall-nss-hook:
	rm -f $(DESTDIR)$(nsslibdir)/libnss_orgrbac.so $(DESTDIR)$(nsslibdir)/libnss_orgrbac.so.2*
.PHONY: install-nss-hook uninstall-nss-hook

nodist_systemdsystemunit_DATA = etc/orgrbac-sync.service
dist_systemdsystemunit_DATA = etc/orgrbac-sync.timer
etc/orgrbac-sync.service: $(srcdir)/etc/orgrbac-sync.service.in Makefile
	$(MKDIR_P) etc
	sed -e 's|@sbindir[@]|$(sbindir)|g' -e 's|@snapshotdir[@]|'"$$(dirname '$(snapshotpath)')"'|g' \
		$(srcdir)/etc/orgrbac-sync.service.in >$@.tmp && mv $@.tmp $@
CLEANFILES = etc/orgrbac-sync.service
dist_man_MANS += man/nss_orgrbac.8

UNIT_TESTS += tests/unit/test_snapshot tests/unit/test_hostview
# The reader is compiled into its test, which corrupts files and reseals them with
# the format's checksum.
tests_unit_test_snapshot_SOURCES = tests/unit/test_snapshot.c tests/unit/view.h common/snapshot_write.c common/util.c
tests_unit_test_snapshot_CFLAGS = $(unit_cflags)
tests_unit_test_snapshot_LDADD = $(CMOCKA_LIBS)
tests_unit_test_hostview_SOURCES = tests/unit/test_hostview.c
tests_unit_test_hostview_CFLAGS = $(unit_cflags)
tests_unit_test_hostview_LDADD = $(unit_ldadd)

# The NSS tests: the module through real glibc in a private mount namespace.
check_PROGRAMS += tests/nss/nss_stress tests/nss/nss_direct tests/nss/nss_truncate
tests_nss_nss_stress_SOURCES = tests/nss/nss_stress.c
tests_nss_nss_stress_LDADD = -lpthread
tests_nss_nss_direct_SOURCES = tests/nss/nss_direct.c
tests_nss_nss_direct_LDADD = -ldl
tests_nss_nss_truncate_SOURCES = tests/nss/nss_truncate.c
tests_nss_nss_truncate_LDADD = -ldl
TESTS += tests/nss/run.sh
AM_TESTS_ENVIRONMENT += ORGRBAC_SNAPSHOT_PATH='$(snapshotpath)'; export ORGRBAC_SNAPSHOT_PATH;
EXTRA_DIST += nss_orgrbac/nss_orgrbac.map tests/nss/run.sh tests/nss/lib.sh \
	tests/nss/test_nss.sh tests/nss/test_sudo.sh \
	etc/orgrbac-sync.service.in
