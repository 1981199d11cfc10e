# SPDX-License-Identifier: BSD-2-Clause
# common/store/: file formats; includes model/ and base/.
noinst_LTLIBRARIES += libstore.la
libstore_la_SOURCES = \
	common/store/config.c common/store/config.h \
	common/store/config_keys.c common/store/config_keys.h \
	common/store/config_parse.c common/store/config_parse.h \
	common/store/exempt.c common/store/exempt.h \
	common/store/pamargs.c common/store/pamargs.h \
	common/store/snapshot_format.h \
	common/store/snapshot.c common/store/snapshot.h common/store/snapshot_int.h \
	common/store/snapshot_file.c common/store/snapshot_groups.c \
	common/store/snapshot_facts.c common/store/snapshot_facts.h \
	common/store/snapshot_facts_int.h common/store/snapshot_facts_index.c \
	common/store/snapshot_facts_passwd.c common/store/snapshot_passwd.h
libstore_la_CPPFLAGS = $(store_includes) $(ORGRBAC_DEFS)
# The files sync writes; never linked into the PAM module.
noinst_LTLIBRARIES += libstorewrite.la
libstorewrite_la_SOURCES = \
	common/store/leftout.c common/store/leftout.h \
	common/store/replace.c common/store/replace.h \
	common/store/snapshot_write.c common/store/snapshot_write.h \
	common/store/snapshot_write_int.h common/store/snapshot_write_facts.c
libstorewrite_la_CPPFLAGS = $(store_includes) $(ORGRBAC_DEFS)
