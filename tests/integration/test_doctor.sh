#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# What a sync leaves out (its exit status, the record beside the snapshot,
# `orgrbac status`), then `orgrbac doctor` against good and broken hosts: as
# root, inside `unshare --mount`, test copies of /etc/pam.d, /etc/ssh and
# /etc/nsswitch.conf are mounted over the real ones, one breakage at a time.
. "$(dirname "$0")/../lib/lib.sh"
set +e

builddir=${top_builddir:-$ORGRBAC_TOP/build}
ORGRBAC=${ORGRBAC:-$builddir/orgrbac}
[ -x "$ORGRBAC" ] || fail "$ORGRBAC not built"
passed=0
failed=0
ok() { passed=$((passed + 1)); }
ko() { failed=$((failed + 1)); printf 'FAIL: %s\n' "$*"; }

# expect STATUS PATTERN -- ARGS...: exit status and a pattern in stdout+stderr
expect() {
	local want=$1 pattern=$2 out status
	shift 3
	out=$("$ORGRBAC" "$@" 2>&1)
	status=$?
	if [ "$status" != "$want" ]; then
		ko "orgrbac $* exited $status, wanted $want; output: $out"
	elif ! grep -qE -- "$pattern" <<<"$out"; then
		ko "orgrbac $* output lacks /$pattern/: $out"
	else
		ok
	fi
}

if [ "${1:-}" != --inside ]; then
	orgrbac_slapd_start
	W=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-doctor.XXXXXX")
	orgrbac_at_exit "rm -rf '$W'"
	chmod 755 "$W"
	mkdir -p "$W/state"
	conf="$W/orgrbac.conf"
	orgrbac_write_conf "$conf" "ldap.tls_ca_file=$TLS_CA_FILE" "nss.snapshot=$W/state/snapshot.db"
	chmod 644 "$conf"

	echo "# sync: what it leaves out"
	expect 0 "generation 1," -- sync --config "$conf"
	expect 0 "left out: +nothing" -- status --config "$conf"
	[ "$(stat -c %a "$W/state/snapshot.db.left-out")" = 644 ] && ok ||
		ko "the record is not mode 644"
	# a role that shares its gid with another: both are left out
	ldapmodify_admin -a >/dev/null <<LDIF
dn: cn=Shadow Ops,ou=roles,o=acme,dc=example,dc=com
objectClass: orgRole
cn: Shadow Ops
orgPrivilege: host:login
gidNumber: 21001
LDIF
	expect 3 "2 entries left out of the snapshot" -- sync --config "$conf"
	grep -q '^generation 2$' "$W/state/snapshot.db.left-out" && ok || ko "record of generation 2"
	expect 0 "left out: +2 " -- status --config "$conf"
	expect 0 "role Shadow Ops: its group shadow-ops or gid 21001 is claimed twice" -- \
		status --config "$conf"
	expect 0 "role Service Owner: its group service-owner or gid 21001 is claimed twice" -- \
		status --config "$conf"
	# a record that does not parse, or describes another generation, says nothing
	cp "$W/state/snapshot.db.left-out" "$W/record"
	printf 'junk\n' >>"$W/state/snapshot.db.left-out"
	expect 0 "left out: +unknown: .*text after 'end'" -- status --config "$conf"
	sed 's/^generation 2$/generation 9/' "$W/record" >"$W/state/snapshot.db.left-out"
	expect 0 "left out: +unknown: .* describes generation 9" -- status --config "$conf"
	rm -f "$W/state/snapshot.db.left-out"
	expect 0 "left out: +unknown: no " -- status --config "$conf"
	ldapmodify_admin >/dev/null <<LDIF
dn: cn=Shadow Ops,ou=roles,o=acme,dc=example,dc=com
changetype: delete
LDIF
	expect 0 "generation 3," -- sync --config "$conf"
	expect 0 "left out: +nothing" -- status --config "$conf"
fi

printf 'doctor: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
