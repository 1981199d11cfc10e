# SPDX-License-Identifier: BSD-2-Clause
# common/base/: what every layer uses. Includes nothing of the project.
noinst_LTLIBRARIES += libbase.la
libbase_la_SOURCES = common/base/util.c common/base/util.h
libbase_la_CPPFLAGS = $(base_includes) $(ORGRBAC_DEFS)
