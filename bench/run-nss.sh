#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# NSS benchmark: group lookups per second and memory of libnss_orgrbac over a
# generated snapshot (100,000 users, 2,000 roles, 1,000,000 memberships), and
# of Debian's nslcd + libnss-ldapd over the same data in a throwaway slapd,
# side by side; and the time and memory orgrbac sync takes to read that
# directory from slapd. Prints figures; asserts none. Run as root; about a minute.
#
#   bash bench/run-nss.sh          USERS ROLES PER_USER BENCH_SECONDS in the environment
#
# nslcd and libnss-ldapd are installed here if missing, with debconf preseeded
# so that /etc/nsswitch.conf stays as it is (checked, and restored if a
# package changed it) and with services kept from starting; nslcd then runs
# with its own configuration in a private mount namespace and is stopped.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}
USERS=${USERS:-100000}
ROLES=${ROLES:-2000}
PER_USER=${PER_USER:-10}
SECONDS_EACH=${BENCH_SECONDS:-3}
[ "$(id -u)" -eq 0 ] || { echo "bench: run as root (mount namespaces, packages)" >&2; exit 1; }
for f in bench/gen bench/nss_bench .libs/libnss_orgrbac.so.2; do
	[ -e "$build/$f" ] || { echo "bench: $build/$f missing: run make check first" >&2; exit 1; }
done
snapdir=$(dirname "${ORGRBAC_SNAPSHOT_PATH:-/var/lib/orgrbac/snapshot.db}")

. "$top/tests/lib/lib.sh"
work=$(mktemp -d /tmp/orgrbac-bench.XXXXXX)
orgrbac_at_exit "rm -rf '$work'"
mkdir -p "$work/snap"
chmod 0755 "$work" "$work/snap"

echo "== generating $USERS users, $ROLES roles, $((USERS * PER_USER)) memberships"
"$build/bench/gen" "$USERS" "$ROLES" "$PER_USER" "$work/snap/snapshot.db" "$work/bench.ldif"
ls -l "$work/snap/snapshot.db" | awk '{ printf "snapshot: %d bytes\n", $5 }'

echo "== libnss_orgrbac"
LIBMOUNT_UTAB="$work/utab" unshare --mount --propagation private bash -c '
	set -e
	d=$1; a=$d
	while [ ! -d "$a" ]; do a=$(dirname "$a"); done
	[ -d "$d" ] || { mount -n -t tmpfs bench "$a"; mkdir -p "$d"; }
	mount -n --bind "$2" "$d"
	exec "$3/bench/nss_bench" "$3/.libs/libnss_orgrbac.so.2" orgrbac "$4" "$5" "$6"' \
	bench "$snapdir" "$work/snap" "$build" "$USERS" "$ROLES" "$SECONDS_EACH" | tee "$work/ours"

# ---- the peer: nslcd + libnss-ldapd ----
install_peer() {
	local policy_made=no
	dpkg-query -W -f='${Status}\n' nslcd libnss-ldapd 2>/dev/null | grep -vq 'install ok installed' ||
		[ "$(dpkg-query -W -f='${Status}\n' nslcd libnss-ldapd 2>/dev/null | wc -l)" -ne 2 ] ||
		return 0
	cp -a /etc/nsswitch.conf "$work/nsswitch.conf.saved"
	debconf-set-selections <<-'PRESEED'
		libnss-ldapd libnss-ldapd/nsswitch multiselect
		libnss-ldapd libnss-ldapd/clean_nsswitch boolean false
		nslcd nslcd/ldap-uris string ldap://127.0.0.1/
		nslcd nslcd/ldap-base string dc=example,dc=com
		nslcd nslcd/ldap-auth-type select none
	PRESEED
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\n# services stay stopped while the benchmark installs nslcd\nexit 101\n' \
			>/usr/sbin/policy-rc.d
		chmod 0755 /usr/sbin/policy-rc.d
		policy_made=yes
	fi
	echo "== installing nslcd and libnss-ldapd for the comparison"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		nslcd libnss-ldapd >/dev/null || true
	[ "$policy_made" = no ] || rm -f /usr/sbin/policy-rc.d
	if ! cmp -s /etc/nsswitch.conf "$work/nsswitch.conf.saved"; then
		cp -a "$work/nsswitch.conf.saved" /etc/nsswitch.conf
		echo "bench: /etc/nsswitch.conf restored"
	fi
}
install_peer
peer=$(ls /lib/*/libnss_ldap.so.2 /usr/lib/*/libnss_ldap.so.2 2>/dev/null | head -n1 || true)
if ! command -v nslcd >/dev/null 2>&1 && [ ! -x /usr/sbin/nslcd ] || [ -z "$peer" ]; then
	echo "bench: nslcd or libnss-ldapd unavailable: no comparison"
	exit 0
fi

echo "== loading the same data into a throwaway slapd"
orgrbac_slapd_start >/dev/null
LDAPNOINIT=1 ldapmodify -x -H "$LDAP_URI" -D "$LDAP_CONFIG_DN" -w "$LDAP_CONFIG_PW" >/dev/null <<LDIF
dn: olcDatabase={1}mdb,cn=config
changetype: modify
add: olcDbIndex
olcDbIndex: memberUid eq
olcDbIndex: uidNumber eq
olcDbIndex: gidNumber eq
olcDbIndex: cn eq
LDIF
"$ORGRBAC_SLAPD_SH" stop "$ORGRBAC_SLAPD_DIR" >/dev/null
t0=$SECONDS
slapadd -q -F "$ORGRBAC_SLAPD_DIR/slapd.d" -b dc=example,dc=com -l "$work/bench.ldif"
echo "   slapadd: $((SECONDS - t0)) s"
slapd_bin=$(orgrbac_find_slapd)
"$slapd_bin" -h "$LDAP_URI" -F "$ORGRBAC_SLAPD_DIR/slapd.d" -d none </dev/null \
	>>"$ORGRBAC_SLAPD_DIR/slapd.log" 2>&1 &
bench_slapd=$!
orgrbac_at_exit "kill $bench_slapd 2>/dev/null; wait $bench_slapd 2>/dev/null || true"
for _ in $(seq 1 100); do
	LDAPNOINIT=1 ldapsearch -x -H "$LDAP_URI" -b dc=example,dc=com -s base >/dev/null 2>&1 && break
	sleep 0.2
done

echo "== orgrbac sync of the same directory (paged searches)"
LDAPNOINIT=1 ldapmodify -x -H "$LDAP_URI" -D "$LDAP_CONFIG_DN" -w "$LDAP_CONFIG_PW" >/dev/null <<LDIF
dn: olcDatabase={1}mdb,cn=config
changetype: modify
add: olcLimits
olcLimits: anonymous size.soft=500 size.hard=500 size.pr=500 size.prtotal=unlimited
LDIF
cat >"$work/sync.conf" <<CONF
[ldap]
uri = $LDAP_URI
base = dc=example,dc=com
timeout = 30
[host]
org = bench
[service sshd]
require = host:login
[nss]
snapshot = $work/sync/snapshot.db
CONF
mkdir -p "$work/sync"
timer=()
[ ! -x /usr/bin/time ] || timer=(/usr/bin/time -f 'sync_max_rss_kb %M')
"${timer[@]}" "$build/orgrbac" sync --config "$work/sync.conf" 2>&1 |
	grep -v 'the NSS module reads only' | tee "$work/sync.out" || true

cat >"$work/nslcd.conf" <<CONF
uid nslcd
gid nslcd
uri $LDAP_URI
base dc=example,dc=com
base group ou=groups,o=bench,dc=example,dc=com
base passwd ou=people,o=bench,dc=example,dc=com
CONF
chmod 0640 "$work/nslcd.conf"
chgrp nslcd "$work/nslcd.conf" 2>/dev/null || true

echo "== nslcd + libnss-ldapd"
LIBMOUNT_UTAB="$work/utab" unshare --mount --propagation private bash -c '
	set -e
	[ -e /etc/nslcd.conf ] || { echo "no /etc/nslcd.conf to bind over" >&2; exit 1; }
	mount -n --bind "$1" /etc/nslcd.conf
	mount -n -t tmpfs bench /run
	mkdir -p /run/nslcd
	chown nslcd:nslcd /run/nslcd 2>/dev/null || true
	nslcd -n &
	pid=$!
	for _ in $(seq 1 100); do [ -S /run/nslcd/socket ] && break; sleep 0.1; done
	rc=0
	"$2/bench/nss_bench" "$3" ldap "$4" "$5" "$6" || rc=$?
	echo "daemon_rss_kb $(awk "/^VmRSS:/ { print \$2 }" /proc/$pid/status)"
	kill "$pid"; wait "$pid" 2>/dev/null || true
	exit "$rc"' bench "$work/nslcd.conf" "$build" "$peer" "$USERS" "$ROLES" "$SECONDS_EACH" |
	tee "$work/peer" || true

echo
echo "== side by side ($USERS users, $ROLES roles, $((USERS * PER_USER)) memberships; ${SECONDS_EACH} s each)"
val() { sed -n "s/^$2 //p" "$work/$1"; }
printf '%-24s %14s %14s %14s\n' "" libnss_orgrbac nslcd "orgrbac/nslcd"
for k in getgrnam_per_s getgrgid_per_s initgroups_per_s first_lookup_ms rss_after_kb daemon_rss_kb; do
	a=$(val ours "$k")
	b=$(val peer "$k")
	r=-
	if [ -n "$a" ] && [ -n "$b" ] && [ "$b" != 0 ] && [ "$a" != 0 ]; then
		r=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1fx", a / b }')
	fi
	printf '%-24s %14s %14s %14s\n' "$k" "${a:--}" "${b:--}" "$r"
done
echo "(rss of libnss_orgrbac is mostly the mapped snapshot: file pages shared by every"
echo " process and counted once in memory; nslcd keeps nothing and asks slapd each time)"
