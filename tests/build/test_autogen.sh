#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# configure.ac without autoconf-archive: aclocal (autogen.sh's first step)
# stops with a message naming the package, instead of a configure script
# that dies later with a shell syntax error at -Wall. And with it, the
# macros expand and nothing AX_ is left in configure.
. "$(dirname "$0")/../lib/lib.sh"

for tool in aclocal autoconf; do
	command -v "$tool" >/dev/null 2>&1 || skip "needs $tool"
done
acdir=$(aclocal --print-ac-dir 2>/dev/null) || skip "aclocal does not name its directory"
[ -r "$acdir/ax_append_compile_flags.m4" ] || skip "needs autoconf-archive (the case with it)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-autogen.XXXXXX")
orgrbac_at_exit "rm -rf '$WORK'"
passed=0
failed=0
check() { # WHAT COMMAND...
	local what=$1
	shift
	if "$@"; then
		passed=$((passed + 1))
		printf 'ok: %s\n' "$what"
	else
		failed=$((failed + 1))
		printf 'FAIL: %s\n' "$what"
	fi
}

# The system's macros without autoconf-archive's.
mkdir -p "$WORK/acdir" "$WORK/without/m4" "$WORK/with/m4"
find "$acdir" -maxdepth 1 -name '*.m4' ! -name 'ax_*' -exec cp {} "$WORK/acdir/" \;
cp "$ORGRBAC_TOP/configure.ac" "$WORK/without/"
cp "$ORGRBAC_TOP/configure.ac" "$WORK/with/"

rc=0
(cd "$WORK/without" && aclocal --system-acdir="$WORK/acdir" -I m4) >"$WORK/without.log" 2>&1 || rc=$?
check "aclocal fails without autoconf-archive" test "$rc" -ne 0
check "and names autoconf-archive" grep -q 'install autoconf-archive' "$WORK/without.log"
cat "$WORK/without.log"

rc=0
(cd "$WORK/with" && aclocal -I m4 && autoconf) >"$WORK/with.log" 2>&1 || rc=$?
check "aclocal and autoconf succeed with it" test "$rc" -eq 0
check "no AX_ macro is left in configure" bash -c "! grep -q 'AX_[A-Z_]*(' '$WORK/with/configure'"

printf 'autogen: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
