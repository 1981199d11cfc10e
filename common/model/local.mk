# SPDX-License-Identifier: BSD-2-Clause
# common/model/: pure code, no I/O; includes base/ only.
noinst_LTLIBRARIES += libmodel.la
libmodel_la_SOURCES = \
	common/model/gtime.c common/model/gtime.h \
	common/model/expr.c common/model/expr.h \
	common/model/policy.c common/model/policy.h \
	common/model/hostview.c common/model/hostview.h \
	common/model/factor.c common/model/factor.h
libmodel_la_CPPFLAGS = $(model_includes) $(ORGRBAC_DEFS)
