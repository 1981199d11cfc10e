# SPDX-License-Identifier: BSD-2-Clause
# common/*.c: the use cases the entry points call, over every layer.
# The decision from the snapshot, and what the live one shares: the PAM module's.
noinst_LTLIBRARIES += libgate.la
libgate_la_SOURCES = \
	common/gate.c common/gate.h \
	common/live_place.c common/live.h \
	common/offline.c common/offline.h
libgate_la_CPPFLAGS = $(common_includes) $(ORGRBAC_DEFS)
# The live decision: the tool's, and the live library's (pam_orgrbac/local.mk).
noinst_LTLIBRARIES += liblive.la
liblive_la_SOURCES = common/evaluate.c common/evaluate.h common/live.h
liblive_la_CPPFLAGS = $(common_includes) $(ORGRBAC_DEFS)
# The tool's: sync, the doctor, administration.
noinst_LTLIBRARIES += libusecases.la
libusecases_la_SOURCES = \
	common/doctor.c common/doctor.h common/doctor_int.h common/doctor_findings.c \
	common/doctor_host.c common/doctor_io.c common/doctor_ldap.c common/doctor_pam.c \
	common/sync.c common/sync.h common/replica.c common/replica.h \
	common/admin.h common/admin_role.c common/admin_ldif.c common/admin_ldif.h \
	common/admin_place.c common/admin_gid.c \
	common/admin_grant.h common/admin_grant.c common/admin_grant_read.c \
	common/admin_grant_util.c common/admin_revoke.c \
	common/admin_external.c common/admin_external.h common/admin_external_int.h \
	common/admin_external_read.c \
	common/who.c common/who.h common/lint.c common/lint.h \
	common/review.c common/review.h \
	common/follow.c common/follow.h common/follow_int.h common/follow_run.c \
	common/follow_state.c common/follow_store.c common/follow_store.h \
	common/notify.c common/notify.h
libusecases_la_CPPFLAGS = $(common_includes) $(ORGRBAC_DEFS)
