# SPDX-License-Identifier: BSD-2-Clause
# nss_orgrbac/: the NSS module and its manual page.
if ENABLE_NSS
# Loaded into every process: only the snapshot reader and base/, no libldap,
# no configuration reader; compiled with the include paths of those two alone.
nsslib_LTLIBRARIES = libnss_orgrbac.la
libnss_orgrbac_la_SOURCES = nss_orgrbac/nss_orgrbac.c \
	common/store/snapshot.c common/store/snapshot.h common/store/snapshot_format.h \
	common/store/snapshot_int.h common/store/snapshot_file.c common/store/snapshot_groups.c \
	common/store/snapshot_facts_int.h common/store/snapshot_facts_index.c \
	common/store/snapshot_facts_passwd.c common/store/snapshot_passwd.h \
	common/base/util.c common/base/util.h
libnss_orgrbac_la_CPPFLAGS = $(base_includes) -I$(top_srcdir)/common/store $(ORGRBAC_DEFS)
libnss_orgrbac_la_LDFLAGS = $(AM_LDFLAGS) -module -shared -no-undefined -version-info 2:0:0 \
	-Wl,--version-script=$(srcdir)/nss_orgrbac/nss_orgrbac.map
libnss_orgrbac_la_LIBADD = -lpthread
EXTRA_libnss_orgrbac_la_DEPENDENCIES = $(srcdir)/nss_orgrbac/nss_orgrbac.map
endif
EXTRA_DIST += nss_orgrbac/nss_orgrbac.map
dist_man_MANS += man/nss_orgrbac.8

# The .la file is of no use for a module loaded by glibc by its soname.
# nsslibdir does not name "exec", so automake installs the module with the
# data, after install-exec-hook: the .la is removed by install-data-hook.
# Without the .la, libtool's uninstall would leave the module's files:
# uninstall-local removes them.
install-data-hook: install-nss-hook
install-nss-hook:
	rm -f $(DESTDIR)$(nsslibdir)/libnss_orgrbac.la
uninstall-local: uninstall-nss-hook
uninstall-nss-hook:
	rm -f $(DESTDIR)$(nsslibdir)/libnss_orgrbac.so \
		$(DESTDIR)$(nsslibdir)/libnss_orgrbac.so.2 \
		$(DESTDIR)$(nsslibdir)/libnss_orgrbac.so.2.0.0
.PHONY: install-nss-hook uninstall-nss-hook
