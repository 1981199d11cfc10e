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

passed=0
failed=0
ok() { passed=$((passed + 1)); }
ko() { failed=$((failed + 1)); printf 'FAIL: %s\n' "$*"; }

# want_out DESCRIPTION PATTERN CMD...: CMD succeeds and prints PATTERN
want_out() {
	local what=$1 pattern=$2 out
	shift 2
	out=$(nsw "$@" 2>&1)
	if [ $? -ne 0 ]; then
		ko "$what: '$*' failed: $out"
	elif ! grep -qE -- "$pattern" <<<"$out"; then
		ko "$what: '$*' printed '$out', wanted /$pattern/"
	else
		ok
	fi
}

# want_not DESCRIPTION PATTERN CMD...: CMD's output (if any) lacks PATTERN
want_not() {
	local what=$1 pattern=$2 out
	shift 2
	out=$(nsw "$@" 2>&1)
	if grep -qE -- "$pattern" <<<"$out"; then
		ko "$what: '$*' printed '$out', which has /$pattern/"
	else
		ok
	fi
}

# want_status DESCRIPTION STATUS CMD...
want_status() {
	local what=$1 want=$2 out rc
	shift 2
	out=$(nsw "$@" 2>&1)
	rc=$?
	if [ "$rc" -ne "$want" ]; then ko "$what: '$*' exited $rc, wanted $want: $out"; else ok; fi
}

# ---- sync into the build tree, as whoever runs the tests ----
want_status "no snapshot yet" 2 getent group member
out=$("$ORGRBAC" sync --config "$conf" 2>&1)
if [ $? -eq 0 ] && grep -qE 'generation 1, 13 users, 12 groups, 14 memberships' <<<"$out"; then
	ok
else
	ko "first sync: $out"
fi

# ---- getgrnam, getgrgid ----
want_out "getent group org-admin" '^org-admin:x:20002:alice$' getent group org-admin
want_out "getent group by gid" '^member:x:20003:' getent group 20003
want_out "orgGroupName" '^secadmin:x:21020:heidi$' getent group secadmin
want_out "service-scoped role" '^service-owner:x:21001:carol$' getent group service-owner
want_out "cross-organization member" '^cross-org-admin:x:20006:olga$' getent group cross-org-admin
line=$(nsw getent group member)
for u in bob grace ivan vic pat; do
	grep -qE "[:,]$u(,|$)" <<<"$line" && ok || ko "member lacks $u: $line"
done
for u in frank leo ian uma vera dave gus; do
	grep -qE "[:,]$u(,|$)" <<<"$line" && ko "member has $u: $line" || ok
done
want_status "no such group" 2 getent group no-such-group
want_status "no such gid" 2 getent group 29999
want_out "the files answer first" '^people:x:10000:$' getent group people

# ---- enumeration ----
all=$(nsw getent group)
for g in root people org-owner org-admin member viewer 2fa-exempt cross-org-admin \
	service-owner service-maintainer service-runner resource-owner resource-user secadmin; do
	grep -q "^$g:" <<<"$all" && ok || ko "enumeration lacks $g"
done
grep -q 'globex' <<<"$all" && ko "another organization's role in the enumeration: $all" || ok
[ "$(grep -c . <<<"$all")" -eq 14 ] && ok || ko "enumeration: $(grep -c . <<<"$all") lines, wanted 14"

# ---- a user's groups (id: getgrouplist, which nss_wrapper answers by enumeration) ----
want_out "id alice" 'groups=10000\(people\),20002\(org-admin\)$' id alice
want_out "id bob" 'groups=10000\(people\),20003\(member\)$' id bob
want_out "id grace" '20003\(member\),20005\(2fa-exempt\)|20005\(2fa-exempt\),20003\(member\)' id grace
want_out "id -Gn heidi" '^people secadmin$' id -Gn heidi
want_out "id olga" '20006\(cross-org-admin\)' id olga
want_not "id frank: expired grant" 'member' id frank
want_not "id ian: partner window closed" 'member' id ian
want_not "id uma: access disabled" 'member' id uma

# ---- every entry point called directly: exports, ERANGE, enumeration, initgroups ----
out=$("$builddir/tests/nss/nss_direct" "$module" "$snap" any-owner 2>&1) && ok ||
	ko "the entry points called directly: $out"

# ---- a revoked role is gone after the next sync, not before ----
ldapmodify_admin >/dev/null <<LDIF
dn: cn=alice-org-admin,ou=grants,o=acme,dc=example,dc=com
changetype: delete
LDIF
want_out "before the next sync" '^org-admin:x:20002:alice$' getent group org-admin
out=$("$ORGRBAC" sync --config "$conf" 2>&1) && ok || ko "sync after the revocation: $out"
want_out "after the next sync" '^org-admin:x:20002:$' getent group org-admin
want_not "id alice after the revocation" 'org-admin' id alice

# ---- refusals: UNAVAIL, never a wrong answer; the files still answer ----
cp "$snap" "$WORK/good.db"
head -c 200 "$WORK/good.db" >"$snap"
want_status "truncated snapshot" 2 getent group member
want_out "files still answer" '^root:' getent group root
cp "$WORK/good.db" "$snap"
printf 'X' | dd of="$snap" bs=1 seek=300 conv=notrunc status=none
want_status "corrupt snapshot" 2 getent group member
rm -f "$snap"
ln -s "$WORK/good.db" "$snap"
want_status "symbolic link" 2 getent group member
rm -f "$snap"
want_status "missing snapshot" 2 getent group member
want_out "id without a snapshot" 'groups=10000\(people\)$' id bob
orgrbac_write_conf "$WORK/stale.conf" "nss.snapshot=$snap" nss.max_age=3
"$ORGRBAC" sync --config "$WORK/stale.conf" >/dev/null || ko "sync with max_age 3"
synced=$(date -u +%s)
want_out "fresh" '^member:' getent group member
left=$((synced + 5 - $(date -u +%s)))
[ "$left" -le 0 ] || sleep "$left"
want_status "stale snapshot" 2 getent group member

printf 'nss-wrapper: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
