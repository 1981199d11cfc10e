#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The NSS module through glibc as any user, root or not: getent and id ask
# glibc, nss_wrapper answers passwd and group from files of the test and
# hands the rest to the test build of the module (tests/nss/local.mk), which
# reads the snapshot in the build tree. orgrbac sync writes that snapshot from
# a throwaway slapd. nss_wrapper's initgroups reads its files alone, so the
# module's initgroups entry point is called directly (nss_direct).
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/lib.sh"
set +e

builddir=${top_builddir:-$ORGRBAC_TOP/build}
module="$builddir/tests/nss/.libs/libnss_orgrbac_test.so"
# the path the test build reads (tests/nss/local.mk)
snap="$builddir/tests/nss/wrapper/snapshot.db"
[ -e "$module" ] || skip "the test build of the NSS module is not built"
[ -n "${NSS_WRAPPER_SO:-}" ] && [ -e "$NSS_WRAPPER_SO" ] ||
	skip "needs nss_wrapper (libnss-wrapper; configure finds it with pkg-config)"
[ -x "$builddir/orgrbac" ] || fail "$builddir/orgrbac not built"
for tool in getent id; do
	command -v "$tool" >/dev/null 2>&1 || skip "needs $tool"
done

orgrbac_slapd_start
WORK=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-nsswrap.XXXXXX")
orgrbac_at_exit "rm -rf '$WORK' '$(dirname "$snap")'"
ORGRBAC="$builddir/orgrbac"
rm -rf "$(dirname "$snap")"
mkdir -p "$(dirname "$snap")"
chmod 0755 "$(dirname "$snap")"
conf="$WORK/orgrbac.conf"
orgrbac_write_conf "$conf" pam.ignore_users= "service sshd.require=host:login" \
	"service sudo.require=" "nss.snapshot=$snap"

# The sample organization's users and their primary group: the module serves groups only.
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$WORK/passwd"
for u in $NSS_USERS; do
	printf '%s:x:%s:10000:%s:/nonexistent:/bin/sh\n' "${u%%:*}" "${u##*:}" "${u%%:*}"
done >>"$WORK/passwd"
printf 'root:x:0:\npeople:x:10000:\n' >"$WORK/group"

# nsw CMD...: CMD with glibc's passwd and group calls answered by nss_wrapper
nsw() {
	LD_PRELOAD=$NSS_WRAPPER_SO NSS_WRAPPER_PASSWD="$WORK/passwd" NSS_WRAPPER_GROUP="$WORK/group" \
		NSS_WRAPPER_MODULE_SO_PATH=$module NSS_WRAPPER_MODULE_FN_PREFIX=orgrbac "$@"
}
NSS_RUN=nsw

# ---- sync into the build tree, as whoever runs the tests ----
want_status "no snapshot yet" 2 getent group member
out=$("$ORGRBAC" sync --config "$conf" 2>&1)
if [ $? -eq 0 ] && grep -qE 'generation 1, 13 users, 12 groups, 14 memberships' <<<"$out"; then
	orgrbac_ok
else
	orgrbac_ko "first sync: $out"
fi

# ---- getgrnam, getgrgid ----
nss_check_groups
want_out "the files answer first" '^people:x:10000:$' getent group people

# ---- enumeration ----
all=$(nsw getent group)
for g in root people org-owner org-admin member viewer 2fa-exempt cross-org-admin \
	service-owner service-maintainer service-runner resource-owner resource-user secadmin; do
	grep -q "^$g:" <<<"$all" && orgrbac_ok || orgrbac_ko "enumeration lacks $g"
done
grep -q 'globex' <<<"$all" && orgrbac_ko "another organization's role in the enumeration: $all" || orgrbac_ok
[ "$(grep -c . <<<"$all")" -eq 14 ] && orgrbac_ok || orgrbac_ko "enumeration: $(grep -c . <<<"$all") lines, wanted 14"

# ---- a user's groups (id: getgrouplist, which nss_wrapper answers by enumeration) ----
nss_check_ids

# ---- every entry point called directly: exports, ERANGE, enumeration, initgroups ----
out=$("$builddir/tests/nss/nss_direct" "$module" "$snap" any-owner 2>&1) && orgrbac_ok ||
	orgrbac_ko "the entry points called directly: $out"

# ---- the passwd entry points: alice by name and uid, the enumeration, ERANGE ----
out=$("$builddir/tests/nss/nss_direct" "$module" "$snap" passwd alice 2>&1)
[ $? -eq 0 ] && grep -q '^getpwnam alice: SUCCESS 10001$' <<<"$out" &&
	grep -q '^getpwuid 10001: SUCCESS alice$' <<<"$out" && grep -q '^getpwent: SUCCESS$' <<<"$out" &&
	orgrbac_ok || orgrbac_ko "the passwd entry points: $out"
out=$("$builddir/tests/nss/nss_direct" "$module" "$snap" passwd olga 2>&1)
grep -q '^getpwnam olga: NOTFOUND$' <<<"$out" && orgrbac_ok ||
	orgrbac_ko "another organization's user has a passwd entry: $out"

# ---- a revoked role is gone after the next sync, not before ----
nss_check_revocation "$conf"

# ---- refusals: UNAVAIL, never a wrong answer; the files still answer ----
cp "$snap" "$WORK/good.db"
head -c 200 "$WORK/good.db" >"$snap"
want_status "truncated snapshot" 2 getent group member
want_out "files still answer" '^root:' getent group root
cp "$WORK/good.db" "$snap"
printf 'X' | dd of="$snap" bs=1 seek=100 conv=notrunc status=none
want_status "corrupt snapshot header" 2 getent group member
# a byte of the group member's record (the first "member" string of the file is its
# name there): that group UNAVAIL, the others still answer
cp "$WORK/good.db" "$snap"
at=$(grep -obUaP '\x00member\x00' "$snap" | head -n1 | cut -d: -f1)
printf 'X' | dd of="$snap" bs=1 seek=$((at + 1)) conv=notrunc status=none
want_status "corrupt record" 2 getent group member
want_out "corrupt record: other groups answer" '^viewer:' getent group viewer
cp "$WORK/good.db" "$snap"
rm -f "$snap"
ln -s "$WORK/good.db" "$snap"
want_status "symbolic link" 2 getent group member
rm -f "$snap"
want_status "missing snapshot" 2 getent group member
want_out "id without a snapshot" 'groups=10000\(people\)$' id bob
orgrbac_write_conf "$WORK/stale.conf" "nss.snapshot=$snap" nss.max_age=3
nss_check_stale "$WORK/stale.conf"

orgrbac_summary nss-wrapper
