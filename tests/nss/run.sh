#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# NSS suite: sync against a throwaway slapd, then the module through real glibc
# (getent, id, sudo) in private mount namespaces. Needs root and unshare.
. "$(dirname "$0")/../lib/lib.sh"

builddir=${top_builddir:-$ORGRBAC_TOP/build}
[ "$(id -u)" -eq 0 ] || skip "needs root for private mount namespaces"
for tool in unshare ldconfig getent id; do
	command -v "$tool" >/dev/null 2>&1 || skip "needs $tool"
done
unshare --mount --propagation private true 2>/dev/null || skip "cannot create a mount namespace"
[ -e "$builddir/.libs/libnss_orgrbac.so.2" ] || skip "the NSS module is not built"
[ -x "$builddir/orgrbac" ] || fail "$builddir/orgrbac not built"

orgrbac_slapd_start
WORK=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-nss.XXXXXX")
orgrbac_at_exit "rm -rf '$WORK'"
export WORK ORGRBAC="$builddir/orgrbac" ORGRBAC_BUILD="$builddir"
orgrbac_valgrind_cli "$builddir"

status=0
# NSS_TESTS: some of the suites only, by name
for t in ${NSS_TESTS:-test_sudo test_passwd test_nss}; do
	rc=0
	orgrbac_progress "$t"
	bash "$ORGRBAC_TOP/tests/nss/$t.sh" || rc=$?
	if [ "$rc" -eq 77 ]; then
		echo "$t: skipped"
	elif [ "$rc" -ne 0 ]; then
		status=1
	fi
done
exit "$status"
