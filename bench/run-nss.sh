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
# nslcd and libnss-ldapd are installed here if missing (bench/peer.sh says how);
# nslcd then runs with its own configuration in a private mount namespace and is
# stopped.
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
. "$top/bench/peer.sh"
bench_install_peer
peer=$(bench_peer_nss)
if ! command -v nslcd >/dev/null 2>&1 && [ ! -x /usr/sbin/nslcd ] || [ -z "$peer" ]; then
	echo "bench: nslcd or libnss-ldapd unavailable: no comparison"
	exit 0
fi

echo "== loading the same data into a throwaway slapd"
bench_load_slapd "$work/bench.ldif"

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

bench_nslcd_conf "$work/nslcd.conf"

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
