# SPDX-License-Identifier: BSD-2-Clause
# common/ldap/: directory access; includes store/, model/ and base/.
noinst_LTLIBRARIES += libdirectory.la
libdirectory_la_SOURCES = \
	common/ldap/ldapc.c common/ldap/ldapc.h \
	common/ldap/directory.c common/ldap/directory.h
libdirectory_la_CPPFLAGS = $(ldap_includes) $(ORGRBAC_DEFS)
