# SPDX-License-Identifier: BSD-2-Clause
# Build rules of tests/e2e/, included from Makefile.am.
