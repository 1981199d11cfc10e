#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Integration suite: a throwaway slapd, then the directory-model and CLI tests against it.
# usage: run.sh memberof|nomemberof
. "$(dirname "$0")/../lib/lib.sh"

mode=${1:?usage: run.sh memberof|nomemberof}
builddir=${top_builddir:-$ORGRBAC_TOP/build}
[ -x "$builddir/orgrbac" ] || fail "$builddir/orgrbac not built"

if [ "$mode" = nomemberof ]; then
	orgrbac_slapd_start --no-memberof
else
	orgrbac_slapd_start
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-it.XXXXXX")
orgrbac_at_exit "rm -rf '$WORK'"
export WORK ORGRBAC="$builddir/orgrbac"

# VALGRIND (a command prefix, e.g. tests/valgrind.sh) runs every C test program
# and the CLI under it.
VALGRIND=${VALGRIND:-}
orgrbac_valgrind_cli "$builddir"
# run PROGRAM [ARGS...]: a C test program, under $VALGRIND when set
run() {
	$VALGRIND "$@"
}

status=0
orgrbac_progress "$mode: test_directory"
run "$builddir/tests/integration/test_directory" || status=1
orgrbac_progress "$mode: test_sync"
run "$builddir/tests/integration/test_sync" || status=1
orgrbac_progress "$mode: test_cli.sh"
bash "$ORGRBAC_TOP/tests/integration/test_cli.sh" || status=1
orgrbac_progress "$mode: test_who.sh"
bash "$ORGRBAC_TOP/tests/integration/test_who.sh" || status=1
orgrbac_progress "$mode: test_completion.sh"
rc=0
bash "$ORGRBAC_TOP/tests/integration/test_completion.sh" || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 77 ] || status=1
# the module without libldap, and its live library
if [ -x "$builddir/tests/integration/pam_maps" ]; then
	orgrbac_progress "$mode: test_pam_split.sh"
	rc=0
	bash "$ORGRBAC_TOP/tests/integration/test_pam_split.sh" || rc=$?
	[ "$rc" -eq 0 ] || [ "$rc" -eq 77 ] || status=1
fi
# last: it changes the directory (a revoked role, a windowed grant)
if [ -x "$builddir/tests/integration/test_pam" ]; then
	orgrbac_progress "$mode: test_pam"
	rc=0
	pam_so=$(orgrbac_pam_module "$builddir")
	# the stacks of pam_wrapper's service directory, with a configuration of their own
	mkdir -p "$WORK/pam.d"
	orgrbac_write_conf "$WORK/pam.conf"
	printf 'account required %s config=%s\n' "$pam_so" "$WORK/pam.conf" |
		tee "$WORK/pam.d/sudo" >"$WORK/pam.d/sshd"
	printf 'auth [success=ok ignore=ok default=bad] %s mfa_exempt config=%s\n' \
		"$pam_so" "$WORK/pam.conf" >>"$WORK/pam.d/sshd"
	PAM_ORGRBAC_SO=$pam_so orgrbac_pam_wrapped "$WORK/pam.d" \
		run "$builddir/tests/integration/test_pam" || rc=$?
	[ "$rc" -eq 0 ] || [ "$rc" -eq 77 ] || status=1
fi
# bad input and a hostile host process; it adds its own entries to the directory
orgrbac_progress "$mode: test_hostile.sh"
bash "$ORGRBAC_TOP/tests/integration/test_hostile.sh" || status=1
exit "$status"
