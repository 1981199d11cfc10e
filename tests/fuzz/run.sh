#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Builds the libFuzzer targets (clang, ASan, UBSan) in their own build directory and runs
# each for a bounded time over its seed corpus; any crash, leak, timeout or OOM fails.
#
#   tests/fuzz/run.sh [TARGET...]      default: every tests/fuzz/fuzz_*.c
#
# Environment: FUZZ_BUILD_DIR (default build-fuzz), FUZZ_TIME (seconds per target,
# default 20), FUZZ_JOBS (make -j, default 2), FUZZ_KEEP=1 keeps the grown corpus
# and FUZZ_ARTIFACTS (default FUZZ_BUILD_DIR/artifacts) receives any crashing input.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$top/build-fuzz}
time_per=${FUZZ_TIME:-20}
artifacts=${FUZZ_ARTIFACTS:-$build/artifacts}

command -v clang >/dev/null 2>&1 || { echo "SKIP: fuzzing needs clang" >&2; exit 77; }

if [ $# -gt 0 ]; then
	targets=("$@")
else
	targets=()
	for src in "$top"/tests/fuzz/fuzz_*.c; do
		name=${src##*/fuzz_}
		targets+=("${name%.c}")
	done
fi

(cd "$top" && [ -x configure ] || ./autogen.sh >/dev/null 2>&1) || { echo "autogen.sh failed" >&2; exit 1; }
mkdir -p "$build" "$artifacts"
cd "$build"
if [ ! -f Makefile ] || ! grep -q 'enable-fuzzing' config.status 2>/dev/null; then
	"$top/configure" CC=clang --enable-fuzzing --enable-werror >configure.out 2>&1 ||
		{ cat configure.out >&2; exit 1; }
fi
make -j"${FUZZ_JOBS:-2}" $(printf 'tests/fuzz/fuzz_%s ' "${targets[@]}") >make.out 2>&1 ||
	{ cat make.out >&2; exit 1; }

status=0
for t in "${targets[@]}"; do
	seeds="$top/tests/fuzz/corpus/$t"
	[ -d "$seeds" ] || { echo "fuzz_$t: no seed corpus $seeds" >&2; status=1; continue; }
	# New inputs go to a scratch corpus; the seeds in the tree are never changed.
	work="$build/corpus/$t"
	[ "${FUZZ_KEEP:-0}" = 1 ] || rm -rf "$work"
	mkdir -p "$work"
	log="$build/fuzz_$t.log"
	rc=0
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"./tests/fuzz/fuzz_$t" -max_total_time="$time_per" -timeout=5 -rss_limit_mb=2048 \
		-malloc_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/$t-" \
		"$work" "$seeds" >"$log" 2>&1 || rc=$?
	runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log" | tail -1)
	speed=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+)/\1/p' "$log" | tail -1)
	cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || true)
	if [ "$rc" -ne 0 ] || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY: ' "$log"; then
		echo "FAIL: fuzz_$t (exit $rc); see $log"
		grep -E '==ERROR|runtime error|SUMMARY|Test unit written|ALARM|out-of-memory' "$log" | head -20
		status=1
	else
		echo "PASS: fuzz_$t: ${runs:-?} runs, ${speed:-?} exec/s, cov ${cov:-?} edges in ${time_per}s"
	fi
done
exit "$status"
