#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Runs a test program under valgrind memcheck: any memory error or leak fails it (exit 99).
#   VALGRIND=/path/to/tests/valgrind.sh tests/integration/run.sh memberof
# Only the leaks that nothing points to count ("definite", "indirect"); a library's
# one-time global state is still reachable and is not a leak of ours.
here=$(cd "$(dirname "$0")" && pwd)
# Tests whose forked children inherit other threads' allocations skip themselves:
# memcheck would count those as lost in every child.
ORGRBAC_UNDER_VALGRIND=1
export ORGRBAC_UNDER_VALGRIND
exec valgrind --quiet --error-exitcode=99 --exit-on-first-error=no \
	--leak-check=full --show-leak-kinds=definite,indirect \
	--errors-for-leak-kinds=definite,indirect \
	--suppressions="$here/valgrind.supp" --gen-suppressions=all \
	--trace-children=no --child-silent-after-fork=${VG_CHILD_SILENT:-yes} --num-callers=30 \
	"$@"
