#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The module and its live library (common/live.h), through libpam in processes of their own
# (pam_maps): with `source = snapshot` the decision maps no libldap, liblber, GnuTLS nor the
# live library; with `source = live` it opens the live library beside the module; a live
# library that is missing, not root's, writable by others or in a directory writable by
# others denies (PAM_SERVICE_ERR) with the reason logged. Root runs the installed form of the
# module (the ownership cases are root's), anyone else its test build.
# Run by run.sh against its throwaway slapd.
. "$(dirname "$0")/../lib/lib.sh"
set +e

: "${ORGRBAC:?}" "${LDAP_URI:?}" "${WORK:?}"
builddir=${top_builddir:-$ORGRBAC_TOP/build}
maps=$builddir/tests/integration/pam_maps
module=$(orgrbac_pam_module "$builddir")
[ -n "${PAM_WRAPPER_SO:-}" ] && [ -e "$PAM_WRAPPER_SO" ] || skip "no pam_wrapper"
[ -x "$maps" ] || fail "$maps not built"
[ -f "$module" ] || fail "$module not built"
[ -f "${module%/*}/orgrbac_live.so" ] || fail "no orgrbac_live.so beside $module"
T=$WORK/split
mkdir -p "$T"
chmod 0755 "$T"

# a snapshot of the test server, and the two configurations
snap=$T/snapshot.db
orgrbac_write_conf "$T/live.conf" nss.snapshot="$snap"
"$ORGRBAC" sync --config "$T/live.conf" >"$T/sync.log" 2>&1 || fail "sync: $(cat "$T/sync.log")"
orgrbac_write_conf "$T/snap.conf" nss.snapshot="$snap" pam.source=snapshot
# offline = snapshot stays a fallback for a directory outage, not for a broken installation
orgrbac_write_conf "$T/offline.conf" nss.snapshot="$snap" pam.offline=snapshot

# decide NAME MODULE CONF USER: pam_maps through a stack of its own; its stdout in $T/NAME.out,
# the module's log lines in $T/NAME.err
decide() {
	mkdir -p "$T/pam-$1"
	printf 'account required %s config=%s\n' "$2" "$3" >"$T/pam-$1/sshd"
	orgrbac_pam_wrapped "$T/pam-$1" "$maps" sshd "$4" >"$T/$1.out" 2>"$T/$1.err"
}

# expect NAME RESULT MAPPED... [-- NOT-MAPPED...]: what decide NAME printed
expect() {
	local name=$1 want=$2 bad="" lib
	shift 2
	grep -qx "result=$want" "$T/$name.out" || bad="result $(grep result= "$T/$name.out")"
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		grep -qx "mapped=$1" "$T/$name.out" || bad="$bad; $1 not mapped"
		shift
	done
	[ $# -eq 0 ] || shift
	for lib in "$@"; do
		! grep -qx "mapped=$lib" "$T/$name.out" || bad="$bad; $lib mapped"
	done
	if [ -n "$bad" ]; then
		orgrbac_ko "$name: wanted $want: $bad; $(cat "$T/$name.out" "$T/$name.err" | tail -n 8)"
	else
		orgrbac_ok "$name"
	fi
}

# logged NAME PATTERN: the module's log line of decide NAME matches PATTERN
logged() {
	if grep -qE -- "$2" "$T/$1.err"; then
		orgrbac_ok "$1 logged"
	else
		orgrbac_ko "$1: log lacks /$2/: $(tail -n 5 "$T/$1.err")"
	fi
}

all_ldap="libldap liblber libgnutls orgrbac_live.so"
decide snapshot "$module" "$T/snap.conf" alice
expect snapshot PAM_SUCCESS -- $all_ldap
decide snapshot-denied "$module" "$T/snap.conf" dave
expect snapshot-denied PAM_PERM_DENIED -- $all_ldap
decide live "$module" "$T/live.conf" alice
expect live PAM_SUCCESS orgrbac_live.so libldap liblber
decide live-denied "$module" "$T/live.conf" dave
expect live-denied PAM_PERM_DENIED orgrbac_live.so libldap

# the module alone in a directory of its own, then with a live library it must refuse
alone() { # alone NAME: a directory for the module, its path on stdout
	mkdir -p "$T/$1"
	chmod 0755 "$T/$1"
	cp "$module" "$T/$1/"
	printf '%s\n' "$T/$1/${module##*/}"
}
m=$(alone missing)
decide missing "$m" "$T/live.conf" alice
expect missing PAM_SERVICE_ERR -- $all_ldap
logged missing "live library \(source = live\) refused: $T/missing/orgrbac_live.so: cannot open"
decide missing-offline "$m" "$T/offline.conf" alice
expect missing-offline PAM_SERVICE_ERR -- $all_ldap
decide missing-snapshot "$m" "$T/snap.conf" alice
expect missing-snapshot PAM_SUCCESS -- $all_ldap

m=$(alone writable)
cp "${module%/*}/orgrbac_live.so" "$T/writable/"
chmod 0775 "$T/writable/orgrbac_live.so"
decide writable "$m" "$T/live.conf" alice
expect writable PAM_SERVICE_ERR -- $all_ldap
logged writable "orgrbac_live.so: must not be writable by group or others \(mode 0775\)"

m=$(alone opendir)
cp "${module%/*}/orgrbac_live.so" "$T/opendir/"
chmod 0757 "$T/opendir"
decide opendir "$m" "$T/live.conf" alice
expect opendir PAM_SERVICE_ERR -- $all_ldap
logged opendir "$T/opendir: must not be writable by group or others \(mode 0757\)"

m=$(alone link)
ln -s "${module%/*}/orgrbac_live.so" "$T/link/orgrbac_live.so"
decide link "$m" "$T/live.conf" alice
expect link PAM_SERVICE_ERR -- $all_ldap
logged link "orgrbac_live.so: cannot open"

m=$(alone good)
cp "${module%/*}/orgrbac_live.so" "$T/good/"
decide good "$m" "$T/live.conf" alice
expect good PAM_SUCCESS orgrbac_live.so libldap

if [ "$(id -u)" -eq 0 ]; then
	m=$(alone notroot)
	cp "${module%/*}/orgrbac_live.so" "$T/notroot/"
	chown 65534 "$T/notroot/orgrbac_live.so"
	decide notroot "$m" "$T/live.conf" alice
	expect notroot PAM_SERVICE_ERR -- $all_ldap
	logged notroot "orgrbac_live.so: must be owned by root \(owner uid 65534\)"
	m=$(alone notrootdir)
	cp "${module%/*}/orgrbac_live.so" "$T/notrootdir/"
	chown 65534 "$T/notrootdir"
	decide notrootdir "$m" "$T/live.conf" alice
	expect notrootdir PAM_SERVICE_ERR -- $all_ldap
	logged notrootdir "$T/notrootdir: must be owned by root \(owner uid 65534\)"
fi

orgrbac_summary test_pam_split.sh
