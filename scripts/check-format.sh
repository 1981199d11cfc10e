#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Fails when a tracked C source or header differs from what .clang-format makes of it.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null 2>&1 || { echo "check-format: clang-format not found" >&2; exit 1; }
bad=0
while IFS= read -r f; do
	if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
		echo "check-format: $f is not formatted (clang-format -i $f)"
		bad=1
	fi
done < <(git ls-files '*.c' '*.h')
[ "$bad" -eq 0 ] && echo "check-format: every C file is formatted"
exit "$bad"
