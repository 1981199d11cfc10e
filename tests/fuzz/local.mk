# SPDX-License-Identifier: BSD-2-Clause
# Build rules of tests/fuzz/, included from Makefile.am.
