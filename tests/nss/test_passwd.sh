#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# passwd: files orgrbac through real glibc, with no test passwd file: users
# from the snapshot by name, by uid and enumerated, id with their role groups,
# [nss] users = holders | all, the hostile entries sync refuses, UNAVAIL when
# the snapshot is stale or corrupt. Leaves the directory as it found it.
set -uo pipefail
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/lib.sh"
set +e

: "${ORGRBAC:?}" "${LDAP_URI:?}" "${WORK:?}"
W="$WORK/passwd"
nss_setup "$W"
# the host's own passwd file and passwd: files orgrbac; no sample user is in the file
nss_passwd_from_snapshot
grep -q '^alice:' "$W/etc/passwd" && skip "this host's /etc/passwd has a user alice"
snap="$W/snap/snapshot.db"
conf="$W/orgrbac.conf"
orgrbac_write_conf "$conf" "nss.snapshot=$snap"
orgrbac_write_conf "$W/all.conf" "nss.snapshot=$snap" nss.users=all

out=$(in_ns "$ORGRBAC" sync --config "$conf" 2>&1) && orgrbac_ok || orgrbac_ko "sync: $out"

# ---- holders (the default) ----
want_out "getent passwd alice" '^alice:\*:10001:10000:Alice Archer:/home/alice:/bin/bash$' \
	getent passwd alice
want_out "getent passwd 10002" '^bob:\*:10002:10000:Bob Baker:/home/bob:/bin/bash$' \
	getent passwd 10002
want_out "id alice, from the snapshot alone" \
	'^uid=10001\(alice\) gid=10000\([^)]*\) groups=10000\([^)]*\),20002\(org-admin\)$' id alice
want_out "id -Gn heidi" '^[^ ]+ secadmin$' id -Gn heidi
all=$(in_ns getent passwd)
for u in alice bob grace heidi; do
	grep -q "^$u:" <<<"$all" && orgrbac_ok || orgrbac_ko "enumeration lacks $u: $all"
done
grep -q '^root:x:0:0:' <<<"$all" && orgrbac_ok || orgrbac_ko "enumeration lacks the files' root"
# the module's part of the enumeration, in uid order
ours=$(grep -E ':1[0-9]{4}:10000:' <<<"$all" | cut -d: -f3)
[ -n "$ours" ] && [ "$ours" = "$(sort -n <<<"$ours")" ] && orgrbac_ok ||
	orgrbac_ko "the module's users are not in uid order: $ours"
want_status "frank: his only grant expired" 2 getent passwd frank
want_status "uma: her external access is disabled" 2 getent passwd uma
want_status "olga: another organization's user" 2 getent passwd olga
want_status "no such user" 2 getent passwd nobody-here
want_status "no such uid" 2 getent passwd 29999
want_status "another case" 2 getent passwd ALICE

# ---- all ----
out=$(in_ns "$ORGRBAC" sync --config "$W/all.conf" 2>&1) && orgrbac_ok || orgrbac_ko "sync, users = all: $out"
want_out "users = all: frank" '^frank:\*:10006:' getent passwd frank
want_status "users = all: uma's access is still disabled" 2 getent passwd uma
want_status "users = all: olga is still another organization's" 2 getent passwd olga

# ---- hostile entries: refused by sync, told, never served ----
hostile() { # NAME UIDNUMBER HOME SHELL
	printf 'dn: uid=%s,ou=people,o=acme,dc=example,dc=com\nchangetype: add\n' "$1"
	printf 'objectClass: inetOrgPerson\nobjectClass: posixAccount\nuid: %s\ncn: %s\nsn: x\n' "$1" "$1"
	printf 'uidNumber: %s\ngidNumber: 10000\nhomeDirectory: %s\n' "$2" "$3"
	[ -z "$4" ] || printf 'loginShell: %s\n' "$4"
	printf '\n'
}
names="evil-zero evil-low root evil-home evil-dots evil-shell evil-twin1 evil-twin2 daemon"
{
	hostile evil-zero 0 /home/z /bin/bash
	hostile evil-low 999 /home/l /bin/bash
	hostile root 10300 /home/r /bin/bash
	hostile evil-home 10301 / /bin/bash
	hostile evil-dots 10302 /home/../etc /bin/bash
	hostile evil-shell 10303 /home/s /tmp/evil
	hostile evil-twin1 10304 /home/t1 /bin/bash
	hostile evil-twin2 10304 /home/t2 /bin/bash
	hostile daemon 10305 /home/d /bin/bash
	printf 'dn: cn=evil,ou=grants,o=acme,dc=example,dc=com\nchangetype: add\n'
	printf 'objectClass: orgRoleGrant\ncn: evil\norgGrantedRole: cn=Member,ou=roles,dc=example,dc=com\n'
	for n in $names; do printf 'orgGrantee: uid=%s,ou=people,o=acme,dc=example,dc=com\n' "$n"; done
} >"$W/hostile.ldif"
ldapmodify_admin -f "$W/hostile.ldif" >/dev/null && orgrbac_ok || orgrbac_ko "adding the hostile users"
# (its exit status says that entries were left out; the snapshot is written)
out=$(in_ns "$ORGRBAC" sync --config "$conf" 2>&1)
grep -q '^snapshot .*: generation' <<<"$out" && orgrbac_ok || orgrbac_ko "sync with hostile users: $out"
for why in "evil-zero left out: no passwd entry: uidNumber 0" \
	"evil-low left out: no passwd entry: uidNumber 999 is below \[nss\] uid_min 1000" \
	"root left out: no passwd entry: the name root" \
	"evil-home left out: no passwd entry: homeDirectory" \
	"evil-dots left out: no passwd entry: homeDirectory" \
	"evil-shell left out: no passwd entry: loginShell is not in /etc/shells" \
	"evil-twin1 left out: uidNumber 10304 is 2 users'" \
	"evil-twin2 left out: uidNumber 10304 is 2 users'" \
	"daemon left out: no passwd entry: its name or uidNumber 10305 is in /etc/passwd"; do
	grep -q "$why" <<<"$out" && orgrbac_ok || orgrbac_ko "sync did not say '$why': $out"
done
for n in evil-zero evil-low evil-home evil-dots evil-shell evil-twin1 evil-twin2; do
	want_status "hostile $n" 2 getent passwd "$n"
done
for u in 999 10300 10301 10302 10303 10304 10305; do
	want_status "hostile uid $u" 2 getent passwd "$u"
done
want_out "root is the files' alone" '^root:x:0:0:' getent passwd root
n=$(in_ns getent passwd | grep -c '^root:')
[ "$n" -eq 1 ] && orgrbac_ok || orgrbac_ko "the enumeration has $n users named root"
want_out "uid 0 is the files' root" '^root:x:0:0:' getent passwd 0
want_out "daemon is the files' daemon" "^daemon:x:$(id -u daemon):" getent passwd daemon
want_out "the left-out record lists them" 'evil-twin2' cat "$snap.left-out"
want_out "the others are still served" '^alice:\*:10001:' getent passwd alice
{
	printf 'dn: cn=evil,ou=grants,o=acme,dc=example,dc=com\nchangetype: delete\n\n'
	for n in $names; do
		printf 'dn: uid=%s,ou=people,o=acme,dc=example,dc=com\nchangetype: delete\n\n' "$n"
	done
} | ldapmodify_admin >/dev/null && orgrbac_ok || orgrbac_ko "removing the hostile users"

# ---- refusals: UNAVAIL, and the files still answer ----
out=$(in_ns "$ORGRBAC" sync --config "$conf" 2>&1) || orgrbac_ko "sync: $out"
cp "$snap" "$W/good.db"
chmod 0664 "$snap"
want_status "group-writable snapshot" 2 getent passwd alice
chmod 0644 "$snap"
# a byte of the header's section table: its checksum fails, nothing is served (a
# corrupt record refuses its own lookups only: test_snapshot_passwd)
printf 'X' | dd of="$snap" bs=1 seek=100 conv=notrunc status=none
want_status "corrupt snapshot header" 2 getent passwd alice
want_out "files still answer" '^root:x:0:0:' getent passwd root
cp "$W/good.db" "$snap"
want_out "back to normal" '^alice:' getent passwd alice
if [ -x "$ORGRBAC_BUILD/tests/nss/nss_direct" ]; then
	# the entry points themselves: UNAVAIL (not NOTFOUND) from a stale snapshot
	sed 's|^\[nss\]|[nss]\nmax_age = 3|' "$conf" >"$W/stale.conf"
	in_ns "$ORGRBAC" sync --config "$W/stale.conf" >/dev/null || orgrbac_ko "sync with max_age 3"
	out=$(in_ns "$ORGRBAC_BUILD/tests/nss/nss_direct" "$W/lib/libnss_orgrbac.so.2" \
		"$ORGRBAC_SNAPSHOT_PATH" passwd alice 2>&1)
	[ $? -eq 0 ] && grep -q '^getpwnam alice: SUCCESS 10001$' <<<"$out" &&
		grep -q '^getpwuid 10001: SUCCESS alice$' <<<"$out" && orgrbac_ok ||
		orgrbac_ko "fresh, with ERANGE: $out"
	sleep 5
	out=$(in_ns "$ORGRBAC_BUILD/tests/nss/nss_direct" "$W/lib/libnss_orgrbac.so.2" \
		"$ORGRBAC_SNAPSHOT_PATH" passwd alice 2>&1)
	grep -q '^getpwnam alice: UNAVAIL$' <<<"$out" && grep -q '^getpwuid 10001: UNAVAIL$' <<<"$out" &&
		grep -q '^getpwent: UNAVAIL$' <<<"$out" && orgrbac_ok || orgrbac_ko "stale: $out"
	want_status "stale: glibc finds no alice" 2 getent passwd alice
	in_ns "$ORGRBAC" sync --config "$conf" >/dev/null || orgrbac_ko "sync"
fi

orgrbac_summary passwd
