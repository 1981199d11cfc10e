#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# make install and make uninstall into a DESTDIR: the modules without their
# libtool .la files, /etc/orgrbac.conf installed only where there is none and
# removed only while unchanged, and nothing else left behind by uninstall.
. "$(dirname "$0")/../lib/lib.sh"

builddir=${top_builddir:-$ORGRBAC_TOP/build}
[ -f "$builddir/Makefile" ] || fail "$builddir/Makefile: not configured"
command -v make >/dev/null 2>&1 || skip "needs make"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-install.XXXXXX")
orgrbac_at_exit "rm -rf '$WORK'"
DEST=$WORK/dest

passed=0
failed=0
check() { # WHAT COMMAND...: one case, passed when COMMAND succeeds
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

# make in the build tree, apart from a make check that runs this test (its
# flags and variables, TESTS=... among them, are not passed on).
bmake() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -C "$builddir" "$@"; }
# A variable of the build's Makefile, expanded as make expands it.
makevar() {
	printf 'orgrbac-print:\n\t@echo $(%s)\n' "$1" | bmake -s -f Makefile -f - orgrbac-print
}
pamlibdir=$(makevar pamlibdir)
nsslibdir=$(makevar nsslibdir)
sysconfdir=$(makevar sysconfdir)
enable_pam=no
[ -z "$(makevar pamlib_LTLIBRARIES)" ] || enable_pam=yes
conf=$DEST$sysconfdir/orgrbac.conf

inst() { bmake -s install DESTDIR="$DEST" >"$WORK/install.log" 2>&1; }
uninst() { bmake -s uninstall DESTDIR="$DEST" >"$WORK/uninstall.log" 2>&1; }
files() { find "$DEST" \( -type f -o -type l \) -printf '%P\n' | sort; }
has_no() { [ -z "$(files | grep -E "$1")" ]; }

echo "install: make install DESTDIR=..."
check "make install succeeds" inst || cat "$WORK/install.log"
check "orgrbac installed" test -x "$DEST$(makevar sbindir)/orgrbac"
check "the bash completion installed" test -f "$DEST$(makevar bashcompletiondir)/orgrbac"
if [ "$enable_pam" = yes ]; then
	check "pam_orgrbac.so in the PAM directory" test -f "$DEST$pamlibdir/pam_orgrbac.so"
	check "no pam_orgrbac.la in the PAM directory" test ! -e "$DEST$pamlibdir/pam_orgrbac.la"
	check "orgrbac_live.so beside the module" test -f "$DEST$pamlibdir/orgrbac_live.so"
	check "no orgrbac_live.la in the PAM directory" test ! -e "$DEST$pamlibdir/orgrbac_live.la"
fi
check "libnss_orgrbac.so.2 installed" test -e "$DEST$nsslibdir/libnss_orgrbac.so.2"
check "no libtool .la file anywhere" has_no '\.la$'
check "orgrbac.conf installed where there was none" cmp -s "$ORGRBAC_TOP/etc/orgrbac.conf" "$conf"

echo "install: an edited orgrbac.conf survives install and uninstall"
printf '\n[host]\norg = acme\n' >>"$conf"
cp "$conf" "$WORK/edited.conf"
check "make install again succeeds" inst
check "install keeps the edited orgrbac.conf" cmp -s "$WORK/edited.conf" "$conf"
check "make uninstall succeeds" uninst || cat "$WORK/uninstall.log"
check "uninstall keeps the edited orgrbac.conf" cmp -s "$WORK/edited.conf" "$conf"
left=$(files | grep -v "^${sysconfdir#/}/orgrbac.conf\$" || true)
check "uninstall leaves nothing else (left: ${left:-nothing})" test -z "$left"

echo "install: an unchanged orgrbac.conf goes with uninstall"
rm -f "$conf"
check "make install succeeds" inst
check "make uninstall succeeds" uninst
left=$(files)
check "uninstall leaves nothing (left: ${left:-nothing})" test -z "$left"

printf 'install: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
