# SPDX-License-Identifier: BSD-2-Clause
# Build rules of tests/faults/, included from Makefile.am.
