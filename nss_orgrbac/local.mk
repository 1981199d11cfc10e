# SPDX-License-Identifier: BSD-2-Clause
# Build rules of nss_orgrbac/, included from Makefile.am.
