# SPDX-License-Identifier: BSD-2-Clause
# common/*.c: the use cases the entry points call, over every layer.
# The decision, live or from the snapshot: the PAM module's.
noinst_LTLIBRARIES += libgate.la
libgate_la_SOURCES = \
	common/evaluate.c common/evaluate.h \
	common/offline.c common/offline.h
libgate_la_CPPFLAGS = $(common_includes) $(ORGRBAC_DEFS)
# The tool's: sync, the doctor, administration.
noinst_LTLIBRARIES += libusecases.la
libusecases_la_SOURCES = \
	common/doctor.c common/doctor.h common/doctor_int.h common/doctor_findings.c \
	common/doctor_host.c common/doctor_io.c common/doctor_ldap.c common/doctor_pam.c \
	common/sync.c common/sync.h common/replica.c common/replica.h \
	common/admin.h common/admin_role.c \
	common/who.c common/who.h common/lint.c common/lint.h \
	common/review.c common/review.h
libusecases_la_CPPFLAGS = $(common_includes) $(ORGRBAC_DEFS)
