# SPDX-License-Identifier: BSD-2-Clause
# pam_orgrbac/: the PAM entry points, the manual page, and the sample PAM
# and sshd files. The module's arguments are parsed in common/store/pamargs.c,
# where the doctor and the tests reach them without libpam.

if ENABLE_PAM
pamlib_LTLIBRARIES = pam_orgrbac.la
pam_orgrbac_la_SOURCES = pam_orgrbac/pam_orgrbac.c
pam_orgrbac_la_LDFLAGS = $(AM_LDFLAGS) -module -avoid-version -no-undefined -shared \
	-Wl,--version-script=$(srcdir)/pam_orgrbac/pam_orgrbac.map
pam_orgrbac_la_LIBADD = $(gate_libs) $(PAM_LIBS)
EXTRA_pam_orgrbac_la_DEPENDENCIES = $(srcdir)/pam_orgrbac/pam_orgrbac.map
endif
EXTRA_DIST += pam_orgrbac/pam_orgrbac.map

# libpam loads the module by file name; its .la file is of no use. pamlibdir
# does not name "exec", so automake installs the module with the data, after
# install-exec-hook: the .la is removed by install-data-hook. Without the
# .la, libtool's uninstall would leave the module: uninstall-local removes it.
install-data-hook: install-pam-hook
install-pam-hook:
	rm -f $(DESTDIR)$(pamlibdir)/pam_orgrbac.la
uninstall-local: uninstall-pam-hook
uninstall-pam-hook:
	rm -f $(DESTDIR)$(pamlibdir)/pam_orgrbac.so
.PHONY: install-pam-hook uninstall-pam-hook

dist_man_MANS += man/pam_orgrbac.8
orgrbacpamddir = $(datadir)/orgrbac/pam.d
dist_orgrbacpamd_DATA = etc/pam.d/sshd etc/pam.d/sudo etc/pam.d/login
# The sshd settings that the sshd sample needs, for /etc/ssh/sshd_config.d/.
orgrbacsshddir = $(datadir)/orgrbac/sshd_config.d
dist_orgrbacsshd_DATA = etc/sshd_config.d/orgrbac.conf
