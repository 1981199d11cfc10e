#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The property test: two throwaway slapd servers, one with the memberOf overlay and one
# without, then tests/property/property against both (see the comment at the top of
# property.c for what it holds and the variables that steer it).
#
# make check runs a fixed seed and a few directories. For a fresh seed for a while:
#   ORGRBAC_PROPERTY_SEED=$(od -An -N4 -tu4 /dev/urandom) ORGRBAC_PROPERTY_SECONDS=600 \
#       tests/property/run.sh
# It prints "property: N passed, M failed" (directories) and exits 1 on any violation.
. "$(dirname "$0")/../integration/lib.sh"

builddir=${top_builddir:-$ORGRBAC_TOP/build}
prog="$builddir/tests/property/property"
[ -x "$prog" ] || fail "$prog not built"

work=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-property.XXXXXX")
orgrbac_at_exit "rm -rf '$work'"

# Both servers hold the schema without SINGLE-VALUE, so that a second orgNotBefore or
# orgGrantedRole, which a directory with another schema may hold, reaches the reader
# (this slapd refuses it otherwise).  Syntax checks stay.
sed 's/^  SINGLE-VALUE )$/  )/' "$ORGRBAC_TOP/etc/orgrbac.ldif" >"$work/orgrbac-multi.ldif"
! grep -q 'SINGLE-VALUE' "$work/orgrbac-multi.ldif" ||
	fail "cannot take SINGLE-VALUE out of etc/orgrbac.ldif"
export ORGRBAC_SLAPD_SCHEMA="$work/orgrbac-multi.ldif"
orgrbac_slapd_start
env1="$ORGRBAC_SLAPD_DIR/env"
orgrbac_slapd_start --no-memberof
env2="$ORGRBAC_SLAPD_DIR/env"
unset ORGRBAC_SLAPD_SCHEMA
mkdir -p "$builddir/tests/property"
export ORGRBAC_PROPERTY_ENV1="$env1" ORGRBAC_PROPERTY_ENV2="$env2"
export ORGRBAC_PROPERTY_WORK="$work"
export ORGRBAC_PROPERTY_KEEP="${ORGRBAC_PROPERTY_KEEP:-$builddir/tests/property}"

# VALGRIND (a command prefix, e.g. tests/valgrind.sh) runs the program under it, on one
# directory unless told otherwise: memcheck is some thirty times slower.
if [ -n "${VALGRIND:-}" ]; then
	export ORGRBAC_PROPERTY_ITERATIONS="${ORGRBAC_PROPERTY_ITERATIONS:-1}"
	export ORGRBAC_PROPERTY_MUTATIONS="${ORGRBAC_PROPERTY_MUTATIONS:-1}"
fi
status=0
${VALGRIND:-} "$prog" || status=$?
exit "$status"
