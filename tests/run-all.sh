#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The whole test suite: install what is missing, build with warnings as errors, run `make check`.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}

bash "$top/scripts/install-deps.sh"
(cd "$top" && ./autogen.sh >/dev/null 2>&1) || { echo "autogen.sh failed" >&2; exit 1; }
mkdir -p "$build"
cd "$build"
"$top/configure" --enable-werror ${CONFIGURE_FLAGS:-} >configure.out ||
	{ cat configure.out config.log >&2; exit 1; }
make -j"$(nproc)" >make.out 2>&1 || { cat make.out >&2; exit 1; }

# SKIP_TESTS: runners of TESTS to leave out of this run, e.g. those that load our
# modules into system programs, which cannot host a sanitizer-built module.
# ONLY_TESTS: the runners to run instead of all of TESTS (the valgrind pass runs
# those that put our programs under $VALGRIND).
check_args=()
if [ -n "${ONLY_TESTS:-}" ]; then
	check_args=(TESTS="$(echo $ONLY_TESTS)")
	echo "== only: ${check_args[0]#TESTS=}"
elif [ -n "${SKIP_TESTS:-}" ]; then
	tests=" $(printf 'orgrbac-print-tests:\n\t@echo $(TESTS)\n' |
		make -s -f Makefile -f - orgrbac-print-tests) "
	for t in $SKIP_TESTS; do
		tests=${tests// $t / }
		echo "== $t: left out of this run"
	done
	check_args=(TESTS="$tests")
fi

# The summary below reads every log: none may be left from an earlier run.
[ ! -d tests ] || find tests \( -name '*.log' -o -name '*.trs' \) -type f -delete

# Progress while make check runs: each suite's start (written by
# AM_TESTS_ENVIRONMENT) and the progress lines of long suites
# (orgrbac_progress in tests/lib/lib.sh) from the progress file, and each
# suite's result as make check reports it.
progress=$PWD/progress.out
: >"$progress"
: >check.out
export ORGRBAC_PROGRESS_FILE=$progress
echo "== make check ($(date -u +%H:%M:%S))"
# The followers run until the sentinel ends, after make (which runs in the
# foreground, so that an interrupt stops it); the sentinel goes however the
# script ends.
sleep 2147483647 &
sentinel=$!
trap 'kill "$sentinel" 2>/dev/null || true' EXIT
tail --pid="$sentinel" -n +1 -F "$progress" 2>/dev/null &
tail --pid="$sentinel" -n +1 -F check.out 2>/dev/null |
	grep --line-buffered -E '^(PASS|FAIL|SKIP|XFAIL|XPASS|ERROR): ' |
	while IFS= read -r line; do printf '%s %s\n' "$(date -u +%H:%M:%S)" "$line"; done &
status=0
make -j"$(nproc)" check "${check_args[@]}" >>check.out 2>&1 || status=$?
# the last lines reach the followers, which end within a second
sleep 1
kill "$sentinel" 2>/dev/null || true
wait || true
trap - EXIT
unset ORGRBAC_PROGRESS_FILE
echo "== make check done ($(date -u +%H:%M:%S))"

# Each runner's own summary, then the total of test cases.
passed=0
failed=0
for log in $(find tests -name '*.log' ! -name test-suite.log | sort); do
	echo "== ${log%.log}"
	grep -E '^\[ *(PASSED|FAILED|SKIPPED) *\]|^\[=+\] .* run|passed, [0-9]+ failed|^SKIP|^FAIL' "$log" || true
	while read -r n; do passed=$((passed + n)); done < <(grep -oE '^\[  PASSED  \] [0-9]+' "$log" | grep -oE '[0-9]+$')
	while read -r n; do failed=$((failed + n)); done < <(grep -oE '^\[  FAILED  \] [0-9]+' "$log" | grep -oE '[0-9]+$')
	while read -r p f; do passed=$((passed + p)); failed=$((failed + f)); done < \
		<(sed -nE 's/^[a-z_-]+: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$log")
done
grep -E '^# (TOTAL|PASS|SKIP|XFAIL|FAIL|XPASS|ERROR):' check.out || true
if [ "$status" -ne 0 ]; then
	echo "make check failed; the logs of failing tests:"
	for log in $(grep -lE ':test-result: (FAIL|ERROR)' $(find tests -name '*.trs') 2>/dev/null); do
		echo "---- ${log%.trs}.log"
		tail -n 80 "${log%.trs}.log"
	done
	[ "$failed" -gt 0 ] || failed=1
fi
echo "orgrbac: $passed passed, $failed failed"
exit "$status"
