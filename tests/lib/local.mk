# SPDX-License-Identifier: BSD-2-Clause
# tests/lib/: what the test suites share.
EXTRA_DIST += tests/lib/lib.sh
