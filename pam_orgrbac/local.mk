# SPDX-License-Identifier: BSD-2-Clause
# pam_orgrbac/: the PAM entry points, the manual page, and the sample PAM
# and sshd files. The module's arguments are parsed in common/store/pamargs.c,
# where the doctor and the tests reach them without libpam.

# The module decides from the snapshot by itself; the live decision is the
# live library's (common/live.h), installed beside it, which it opens with
# dlopen only for `source = live`, found from the module's own file (the same
# layout in the build tree's .libs), never from the environment.

if ENABLE_PAM
pamlib_LTLIBRARIES = pam_orgrbac.la orgrbac_live.la
pam_orgrbac_la_SOURCES = pam_orgrbac/pam_orgrbac.c \
	pam_orgrbac/live_load.c pam_orgrbac/live_load.h
pam_orgrbac_la_LDFLAGS = $(AM_LDFLAGS) -module -avoid-version -no-undefined -shared \
	-Wl,--version-script=$(srcdir)/pam_orgrbac/pam_orgrbac.map
pam_orgrbac_la_LIBADD = $(gate_libs) $(PAM_LIBS)
EXTRA_pam_orgrbac_la_DEPENDENCIES = $(srcdir)/pam_orgrbac/pam_orgrbac.map
orgrbac_live_la_SOURCES = pam_orgrbac/live_entry.c
orgrbac_live_la_LDFLAGS = $(AM_LDFLAGS) -module -avoid-version -no-undefined -shared \
	-Wl,--version-script=$(srcdir)/pam_orgrbac/orgrbac_live.map
orgrbac_live_la_LIBADD = $(live_libs)
EXTRA_orgrbac_live_la_DEPENDENCIES = $(srcdir)/pam_orgrbac/orgrbac_live.map
endif
EXTRA_DIST += pam_orgrbac/pam_orgrbac.map pam_orgrbac/orgrbac_live.map

# libpam loads the module by file name, the module its live library; their
# .la files are of no use. pamlibdir
# does not name "exec", so automake installs the module with the data, after
# install-exec-hook: the .la is removed by install-data-hook. Without the
# .la, libtool's uninstall would leave them: uninstall-local removes them.
install-data-hook: install-pam-hook
install-pam-hook:
	rm -f $(DESTDIR)$(pamlibdir)/pam_orgrbac.la $(DESTDIR)$(pamlibdir)/orgrbac_live.la
uninstall-local: uninstall-pam-hook
uninstall-pam-hook:
	rm -f $(DESTDIR)$(pamlibdir)/pam_orgrbac.so $(DESTDIR)$(pamlibdir)/orgrbac_live.so
.PHONY: install-pam-hook uninstall-pam-hook

dist_man_MANS += man/pam_orgrbac.8
orgrbacpamddir = $(datadir)/orgrbac/pam.d
dist_orgrbacpamd_DATA = etc/pam.d/sshd etc/pam.d/sudo etc/pam.d/login
# The sshd settings that the sshd sample needs, for /etc/ssh/sshd_config.d/.
orgrbacsshddir = $(datadir)/orgrbac/sshd_config.d
dist_orgrbacsshd_DATA = etc/sshd_config.d/orgrbac.conf
