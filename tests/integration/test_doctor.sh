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

# A role of acme that shares its gid (21001) with Service Owner: sync leaves
# both out. shadow_role [-a]: the LDIF on stdin, as the directory admin.
SHADOW_OPS='dn: cn=Shadow Ops,ou=roles,o=acme,dc=example,dc=com
objectClass: orgRole
cn: Shadow Ops
orgPrivilege: host:login
gidNumber: 21001'
SHADOW_OPS_DELETE='dn: cn=Shadow Ops,ou=roles,o=acme,dc=example,dc=com
changetype: delete'
shadow_role() {
	ldapmodify_admin "$@" >/dev/null || orgrbac_ko "ldapmodify $*"
}

# doctor_case NAME PATTERN: doctor finds something (exit 1) and says PATTERN;
# --json is valid JSON and carries the same finding.
doctor_case() {
	local name=$1 pattern=$2 out status
	out=$("$ORGRBAC" doctor --config "$conf" 2>&1)
	status=$?
	if [ "$status" != 1 ]; then
		orgrbac_ko "$name: doctor exited $status, wanted 1: $out"
	elif ! grep -qE -- "$pattern" <<<"$out"; then
		orgrbac_ko "$name: doctor lacks /$pattern/: $out"
	else
		orgrbac_ok
	fi
	out=$("$ORGRBAC" doctor --json --config "$conf" 2>&1)
	if ! python3 -m json.tool <<<"$out" >/dev/null; then
		orgrbac_ko "$name: --json is not JSON: $out"
	elif ! python3 -c 'import json, re, sys
d = json.loads(sys.stdin.read())
assert d["errors"] + d["warnings"] == len(d["findings"]) > 0
assert any(re.search(sys.argv[1], f["severity"] + " " + f["check"] + ": " + (f["where"] or "-") + ": " + f["what"]) for f in d["findings"]), d' "$pattern" <<<"$out"; then
		orgrbac_ko "$name: --json lacks /$pattern/: $out"
	else
		orgrbac_ok
	fi
}

# reset: the good host again (the test copies are bind mounts: files are
# rewritten in place, never replaced)
reset() {
	rm -rf "$W/etc/pam.d/"* "$W/etc/ssh/"*
	cp -a "$W/good/pam.d/." "$W/etc/pam.d/"
	cp -a "$W/good/ssh/." "$W/etc/ssh/"
	cat "$W/good/nsswitch.conf" >"$W/etc/nsswitch.conf"
	cp "$W/good/orgrbac.conf" "$conf"
	cp "$W/good/secret" "$W/secret"
}

# edit FILE SED-SCRIPT: FILE rewritten in place
edit() {
	sed -e "$2" "$1" >"$1.new" && cat "$1.new" >"$1" && rm -f "$1.new"
}

# line_of FILE REGEX: the number of the first line of FILE that matches
line_of() {
	grep -n -m1 -e "$2" "$1" | cut -d: -f1
}

# The mounts of the namespace, then every case.
inside() {
	W=$1
	. "$W/env"
	export LIBMOUNT_UTAB="$W/utab"
	conf="$W/orgrbac.conf"
	mount -n --bind "$W/etc/pam.d" /etc/pam.d || fail "mount pam.d"
	mount -n --bind "$W/etc/ssh" /etc/ssh || fail "mount ssh"
	mount -n --bind "$W/etc/nsswitch.conf" /etc/nsswitch.conf || fail "mount nsswitch.conf"
	snapdir=$(dirname "$ORGRBAC_SNAPSHOT_PATH")
	if [ ! -d "$snapdir" ]; then
		a=$snapdir
		while [ ! -d "$a" ]; do a=$(dirname "$a"); done
		case $a in / | /usr | /etc | /lib | /bin) fail "no place for $snapdir" ;; esac
		mount -n -t tmpfs -o mode=0755 orgrbac-test "$a" && mkdir -p "$snapdir" ||
			fail "tmpfs over $a"
	fi
	mount -n --bind "$W/snap" "$snapdir" || fail "mount $snapdir"

	echo "# doctor: a good host"
	orgrbac_expect 0 "generation 1," -- sync --config "$conf"
	orgrbac_expect 0 "^doctor: nothing found$" -- doctor --config "$conf"
	out=$("$ORGRBAC" doctor --json --config "$conf")
	python3 -c 'import json, sys; d = json.load(sys.stdin); assert d == {"findings": [], "errors": 0, "warnings": 0}, d' <<<"$out" &&
		orgrbac_ok || orgrbac_ko "--json of a good host: $out"

	echo "# doctor: one breakage at a time"
	edit "$W/etc/pam.d/sudo" 's/^account  required  \(.*pam_orgrbac.so\)/account  sufficient  \1/'
	doctor_case "sufficient" "error pam: /etc/pam.d/sudo:$(line_of "$W/etc/pam.d/sudo" "^account  sufficient"): account sufficient pam_orgrbac.so: .*the gate is void"
	reset
	edit "$W/etc/pam.d/sshd" 's/^account  required  \(.*pam_orgrbac.so\)/account [success=ok authinfo_unavail=ignore default=bad] \1/'
	doctor_case "authinfo_unavail=ignore" "error pam: /etc/pam.d/sshd:$(line_of "$W/etc/pam.d/sshd" "^account \\[success=ok"): account \[success=ok authinfo_unavail=ignore default=bad\]: the gate's refusals do not refuse \(authinfo_unavail=ignore\)"
	reset
	edit "$W/etc/pam.d/login" "s|$MODULE|/usr/lib/nowhere/pam_orgrbac.so|"
	doctor_case "missing module" "error pam: /etc/pam.d/login:$(line_of "$W/etc/pam.d/login" "^account.*nowhere/pam_orgrbac"): account required: module /usr/lib/nowhere/pam_orgrbac.so does not exist"
	reset
	# source = live (the default): the live library must lie beside the module, checked as
	# the module checks it; with source = snapshot the module never opens it
	mkdir -p "$W/lib"
	chmod 0755 "$W/lib"
	cp "$MODULE" "$W/lib/pam_orgrbac.so"
	edit "$W/etc/pam.d/login" "s|$MODULE|$W/lib/pam_orgrbac.so|"
	doctor_case "no live library" "error pam: $W/lib/pam_orgrbac.so: \[pam\] source = live, but the module cannot load its live library.*$W/lib/orgrbac_live.so"
	cp "$(dirname "$MODULE")/orgrbac_live.so" "$W/lib/"
	chmod 0664 "$W/lib/orgrbac_live.so"
	doctor_case "a group-writable live library" "error pam: $W/lib/pam_orgrbac.so: \[pam\] source = live, but .*orgrbac_live.so.*writable"
	chmod 0644 "$W/lib/orgrbac_live.so"
	chmod 0775 "$W/lib"
	doctor_case "a group-writable module directory" "error pam: $W/lib/pam_orgrbac.so: \[pam\] source = live, but .*$W/lib: must not be writable by group or others"
	chmod 0755 "$W/lib"
	orgrbac_expect 0 "^doctor: nothing found$" -- doctor --config "$conf"
	rm -f "$W/lib/orgrbac_live.so"
	edit "$conf" '/^\[pam\]/a source = snapshot'
	orgrbac_expect 0 "^doctor: nothing found$" -- doctor --config "$conf"
	reset
	edit "$W/etc/pam.d/sudo" 's/^\(account .*pam_orgrbac.so.*\)$/\1 frobnicate/'
	doctor_case "an unknown argument" "error pam: /etc/pam.d/sudo:$(line_of "$W/etc/pam.d/sudo" "frobnicate"): pam_orgrbac refuses its arguments \(unknown argument 'frobnicate'\)"
	reset
	edit "$W/etc/pam.d/sudo" 's/ ignore_users=root$//'
	edit "$conf" 's/^ignore_users *=.*/ignore_users =/'
	doctor_case "root judged" "warning pam: /etc/pam.d/sudo:$(line_of "$W/etc/pam.d/sudo" "^account .*pam_orgrbac"): root is judged here"
	reset
	edit "$W/etc/pam.d/sudo" 's/ ignore_users=root$//'
	orgrbac_expect 0 "^doctor: nothing found$" -- doctor --config "$conf"
	reset
	edit "$W/etc/pam.d/sshd" 's/^auth     \[success=done default=ignore\]/auth [success=1 default=ignore]/'
	edit "$W/etc/pam.d/sshd" '/^auth .*pam_oath.so/a auth required pam_permit.so'
	jump=$(line_of "$W/etc/pam.d/sshd" '^auth \[success=1')
	code=$(line_of "$W/etc/pam.d/sshd" '^auth .*pam_oath.so')
	permit=$(line_of "$W/etc/pam.d/sshd" '^auth required pam_permit.so')
	doctor_case "bad jump" "error pam: /etc/pam.d/sshd:$jump: success=1 jumps past the 2FA module onto pam_permit.so \(/etc/pam.d/sshd:$permit\)"
	doctor_case "pam_permit after the code" "error pam: /etc/pam.d/sshd:$permit: the auth stack ends in pam_permit after the 2FA module \(/etc/pam.d/sshd:$code\)"
	reset
	edit "$W/etc/ssh/sshd_config.d/orgrbac.conf" '/^AuthenticationMethods/d'
	doctor_case "no AuthenticationMethods" "error sshd: /etc/ssh/sshd_config: AuthenticationMethods is not set: a key alone logs in"
	reset
	edit "$W/etc/ssh/sshd_config.d/orgrbac.conf" 's/^UsePAM yes/UsePAM no/'
	doctor_case "UsePAM no" "error sshd: /etc/ssh/sshd_config.d/orgrbac.conf:[0-9]+: UsePAM is no"
	reset
	edit "$W/etc/nsswitch.conf" 's/^group:.*/group: files systemd/'
	doctor_case "nsswitch without orgrbac" "error nsswitch: /etc/nsswitch.conf:2: group: has no orgrbac"
	reset
	edit "$W/etc/nsswitch.conf" 's/^passwd:.*/passwd: files systemd/'
	doctor_case "no passwd source" "warning nsswitch: /etc/nsswitch.conf:1: passwd: .*directory users need a passwd source \(orgrbac, nslcd's ldap or sss\)"
	reset
	edit "$conf" 's/^timeout = 2$/timout = 2/'
	doctor_case "config typo" "error config: $conf:4: .*timout"
	reset
	printf 'not-the-password\n' >"$W/secret"
	doctor_case "wrong bind password" "error ldap: $LDAP_URI: cannot be used: bind refused: invalid credentials"
	reset
	: >"$W/secret"
	doctor_case "empty secret" "error secret: $W/secret: the bind password of cn=admin,dc=example,dc=com: empty secret"
	reset
	chmod 644 "$W/secret"
	doctor_case "secret readable by others" "error secret: $W/secret: the bind password of cn=admin,dc=example,dc=com: must not be accessible by group or others"
	reset
	chown nobody "$W/secret"
	doctor_case "secret not root's" "error secret: $W/secret: the bind password of cn=admin,dc=example,dc=com: .*owned by"
	reset
	rm -f "$W/secret"
	doctor_case "no secret" "error secret: $W/secret: the bind password of cn=admin,dc=example,dc=com: cannot open: No such file"
	reset
	edit "$conf" "s|^base = .*|base = dc=example,dc=org|"
	doctor_case "wrong base" "error ldap: $LDAP_URI: does not hold the base dc=example,dc=org"
	reset
	# a stale snapshot: one written with max_age 1
	printf '[nss]\nmax_age = 1\n' >>"$conf"
	orgrbac_expect 0 "generation 2," -- sync --config "$conf"
	sleep 2
	doctor_case "stale snapshot" "error snapshot: $ORGRBAC_SNAPSHOT_PATH: the snapshot is [0-9]+ s old, over max_age 1 s"
	reset
	shadow_role -a <<<"$SHADOW_OPS"
	orgrbac_expect 3 "2 entries left out" -- sync --config "$conf"
	doctor_case "left-out role" "warning snapshot: $ORGRBAC_SNAPSHOT_PATH.left-out: the last sync left role Shadow Ops out: its group shadow-ops or gid 21001 is claimed twice"
	shadow_role <<<"$SHADOW_OPS_DELETE"
	orgrbac_expect 0 "generation 4," -- sync --config "$conf"
	orgrbac_expect 0 "^doctor: nothing found$" -- doctor --config "$conf"
	orgrbac_summary doctor
	exit
}

if [ "${1:-}" = --inside ]; then
	inside "$2"
fi

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
	orgrbac_expect 0 "generation 1," -- sync --config "$conf"
	orgrbac_expect 0 "left out: +nothing" -- status --config "$conf"
	[ "$(stat -c %a "$W/state/snapshot.db.left-out")" = 644 ] && orgrbac_ok ||
		orgrbac_ko "the record is not mode 644"
	# a role that shares its gid with another: both are left out
	shadow_role -a <<<"$SHADOW_OPS"
	orgrbac_expect 3 "2 entries left out of the snapshot" -- sync --config "$conf"
	grep -q '^generation 2$' "$W/state/snapshot.db.left-out" && orgrbac_ok || orgrbac_ko "record of generation 2"
	orgrbac_expect 0 "left out: +2 " -- status --config "$conf"
	orgrbac_expect 0 "role Shadow Ops: its group shadow-ops or gid 21001 is claimed twice" -- \
		status --config "$conf"
	orgrbac_expect 0 "role Service Owner: its group service-owner or gid 21001 is claimed twice" -- \
		status --config "$conf"
	# a record that does not parse, or describes another generation, says nothing
	cp "$W/state/snapshot.db.left-out" "$W/record"
	printf 'junk\n' >>"$W/state/snapshot.db.left-out"
	orgrbac_expect 0 "left out: +unknown: .*text after 'end'" -- status --config "$conf"
	sed 's/^generation 2$/generation 9/' "$W/record" >"$W/state/snapshot.db.left-out"
	orgrbac_expect 0 "left out: +unknown: .* describes generation 9" -- status --config "$conf"
	rm -f "$W/state/snapshot.db.left-out"
	orgrbac_expect 0 "left out: +unknown: no " -- status --config "$conf"
	shadow_role <<<"$SHADOW_OPS_DELETE"
	orgrbac_expect 0 "generation 3," -- sync --config "$conf"
	orgrbac_expect 0 "left out: +nothing" -- status --config "$conf"
	orgrbac_expect 2 "usage: orgrbac doctor" -- doctor --frobnicate
	orgrbac_expect 0 "usage: orgrbac doctor" -- doctor --help
fi

if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null || [ ! -d /etc/ssh ] ||
	! command -v python3 >/dev/null; then
	orgrbac_summary doctor "the doctor cases need root, unshare, python3 and /etc/ssh" || exit 1
	exit 77
fi

# The good host: the host's own PAM files with the samples of etc/pam.d for
# sshd, sudo and login (the module's absolute path, the test configuration),
# the sample sshd drop-in under Debian's main file, nsswitch.conf with
# orgrbac, and a configuration that binds with a password file.
MODULE="$builddir/.libs/pam_orgrbac.so"
[ -f "$MODULE" ] || fail "$MODULE not built"
mkdir -p "$W/good/pam.d" "$W/good/ssh/sshd_config.d" "$W/etc/pam.d" "$W/etc/ssh" "$W/snap"
cp -a /etc/pam.d/. "$W/good/pam.d/"
for s in sshd sudo login; do
	sed -e "s|pam_orgrbac.so|$MODULE config=$W/orgrbac.conf|" \
		"$ORGRBAC_TOP/etc/pam.d/$s" >"$W/good/pam.d/$s"
done
printf 'Include /etc/ssh/sshd_config.d/*.conf\nKbdInteractiveAuthentication no\nUsePAM yes\nX11Forwarding yes\n' \
	>"$W/good/ssh/sshd_config"
cp "$ORGRBAC_TOP/etc/sshd_config.d/orgrbac.conf" "$W/good/ssh/sshd_config.d/"
printf 'passwd: files systemd ldap\ngroup: files systemd orgrbac\nshadow: files\nhosts: files dns\n' \
	>"$W/good/nsswitch.conf"
: >"$W/etc/nsswitch.conf"
printf '%s\n' "$LDAP_ADMIN_PW" >"$W/good/secret"
chmod 600 "$W/good/secret"
orgrbac_write_conf "$W/good/orgrbac.conf" "ldap.tls_ca_file=$TLS_CA_FILE" \
	"ldap.bind_dn=$LDAP_ADMIN_DN" "ldap.bind_password_file=$W/secret"
chmod 644 "$W/good/orgrbac.conf"
conf="$W/orgrbac.conf"
reset
cat >"$W/env" <<ENV
ORGRBAC='$ORGRBAC'
MODULE='$MODULE'
ORGRBAC_SNAPSHOT_PATH='${ORGRBAC_SNAPSHOT_PATH:-/var/lib/orgrbac/snapshot.db}'
ORGRBAC_PASSED=$ORGRBAC_PASSED
ORGRBAC_FAILED=$ORGRBAC_FAILED
ENV
unshare --mount --propagation private bash "$ORGRBAC_TOP/tests/integration/test_doctor.sh" --inside "$W"
exit

