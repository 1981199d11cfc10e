# SPDX-License-Identifier: BSD-2-Clause
# tools/: the orgrbac command.
sbin_PROGRAMS = orgrbac
orgrbac_SOURCES = tools/orgrbac.c tools/cli.h tools/cli_out.c tools/check_print.c \
	tools/doctor.c tools/connect.c tools/role.c tools/grant.c tools/who.c tools/lint.c \
	tools/review.c tools/external.c tools/scope.c tools/cli_usage.c tools/follow.c \
	tools/command.c
orgrbac_LDADD = $(common_libs)
dist_man_MANS += man/orgrbac.8 man/orgrbac.conf.5
