# SPDX-License-Identifier: BSD-2-Clause
# Build rules of bench/, included from Makefile.am.
