# SPDX-License-Identifier: BSD-2-Clause
# common/ldap/: directory access; includes store/, model/ and base/.
noinst_LTLIBRARIES += libdirectory.la
libdirectory_la_SOURCES = \
	common/ldap/guard.c common/ldap/guard.h \
	common/ldap/ldapc.c common/ldap/ldapc.h common/ldap/ldapc_int.h common/ldap/search.c \
	common/ldap/dn.c common/ldap/dn.h \
	common/ldap/entry.c common/ldap/entry.h \
	common/ldap/filter.c common/ldap/filter.h \
	common/ldap/directory.c common/ldap/directory.h common/ldap/directory_int.h \
	common/ldap/principal.c common/ldap/principal.h \
	common/ldap/groups.c common/ldap/grants.c \
	common/ldap/image.c \
	common/ldap/write.c common/ldap/write.h
libdirectory_la_CPPFLAGS = $(ldap_includes) $(ORGRBAC_DEFS)
