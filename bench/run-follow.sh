#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Benchmark of `orgrbac follow` on bench/gen's directory (default 100,000
# users, 2,000 roles, 10 roles each: 1,000,000 memberships, ~500 members a
# role) in a throwaway slapd with syncprov: the full refresh (`follow --once`
# and `sync`), the bytes a full read costs, then CHANGES changes (a member
# added to a team, one removed, a grant's window ended or reopened), each
# timed from just before ldapmodify until the snapshot that shows it was
# written (its mtime), as p50 and p99, and the follower's peak RSS (VmHWM).
# Prints figures; asserts nothing.
# usage: bench/run-follow.sh [USERS ROLES PER_USER [CHANGES]]   (root)
# SEEN_TIMEOUT: seconds to wait for one change (default 10).
# PERF=1 records a perf profile of the follower during the changes.
. "$(dirname "$0")/../tests/lib/lib.sh"
. "$(dirname "$0")/peer.sh"

users=${1:-100000}
roles=${2:-2000}
per=${3:-10}
changes=${4:-100}
[ "$(id -u)" -eq 0 ] || skip "run as root: the snapshot is trusted only when root's"
top=$ORGRBAC_TOP
build=${BUILD_DIR:-$top/build}
make -C "$build" -j2 orgrbac bench/gen tests/integration/snapdump >/dev/null
ORGRBAC=$build/orgrbac
SNAPDUMP=$build/tests/integration/snapdump

work=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-bench-follow.XXXXXX")
orgrbac_at_exit "rm -rf '$work'"
B=dc=example,dc=com
O="o=bench,$B"

echo "== bench/gen: $users users, $roles roles, $per roles a user"
"$build/bench/gen" "$users" "$roles" "$per" "$work/gen.snap" "$work/bench.ldif"
bench_load_slapd "$work/bench.ldif"
rm -f "$work/gen.snap"

snap=$work/snap/snapshot.db
mkdir -p "$work/snap" "$work/sync"
# bound as the administrator: the server's size limit does not apply to it
printf '%s\n' "$LDAP_ADMIN_PW" >"$work/admin.pw"
chmod 0600 "$work/admin.pw"
bconf() { # bconf FILE SNAPSHOT
	orgrbac_write_conf "$1" "ldap.tls_ca_file=$TLS_CA_FILE" ldap.timeout=30 \
		"ldap.bind_dn=$LDAP_ADMIN_DN" "ldap.bind_password_file=$work/admin.pw" \
		host.org=bench "nss.snapshot=$2" pam.ignore_users=
}
bconf "$work/follow.conf" "$snap"
bconf "$work/sync.conf" "$work/sync/snapshot.db"

now_ms() { date +%s%3N; }
bytes=$(LDAPNOINIT=1 ldapsearch -x -H "$LDAP_URI" -D "$LDAP_ADMIN_DN" -w "$LDAP_ADMIN_PW" \
	-b "$B" -E pr=1000/noprompt '(objectClass=*)' | wc -c)
echo "   the whole directory as LDIF (ldapsearch, paged): $bytes bytes"
t0=$(now_ms)
/usr/bin/time -f '%M' -o "$work/sync.rss" nice -n 10 "$ORGRBAC" sync --config "$work/sync.conf" \
	>"$work/sync.out" 2>&1 || echo "bench: sync failed: $(tail -n 3 "$work/sync.out")"
echo "   orgrbac sync: $(($(now_ms) - t0)) ms, peak RSS $(cat "$work/sync.rss") kB"
echo "   snapshot: $(stat -c %s "$work/sync/snapshot.db" 2>/dev/null || echo '?') bytes"
t0=$(now_ms)
/usr/bin/time -f '%M' -o "$work/once.rss" nice -n 10 "$ORGRBAC" follow --once \
	--config "$work/follow.conf" >"$work/once.out" 2>&1 ||
	echo "bench: follow --once failed: $(tail -n 3 "$work/once.out")"
echo "   orgrbac follow --once (connect, full refresh, publish): $(($(now_ms) - t0)) ms," \
	"peak RSS $(cat "$work/once.rss") kB"
if [ "$("$SNAPDUMP" "$snap" | tail -n +2)" = "$("$SNAPDUMP" "$work/sync/snapshot.db" | tail -n +2)" ]; then
	echo "   follow --once and sync wrote the same groups"
else
	echo "bench: follow --once and sync DIFFER"
fi

nice -n 10 "$ORGRBAC" follow --config "$work/follow.conf" 2>"$work/follow.log" &
fpid=$!
orgrbac_at_exit "kill $fpid 2>/dev/null || true"
for _ in $(seq 1 600); do
	grep -qx 'state following' "$snap.follow" 2>/dev/null && break
	sleep 0.1
done
grep -qx 'state following' "$snap.follow" || fail "the follower is not following: $(cat "$work/follow.log")"
echo "   follower following; RSS after the refresh: $(awk '/^VmRSS/ { print $2 }' /proc/$fpid/status) kB"
if [ "${PERF:-0}" = 1 ]; then
	perf record -g -o "$work/perf.data" -p "$fpid" >/dev/null 2>&1 &
	perfpid=$!
fi

mod() { LDAPNOINIT=1 ldapmodify -x -H "$LDAP_URI" -D "$LDAP_ADMIN_DN" -w "$LDAP_ADMIN_PW" >/dev/null; }
# members GROUP: the group's members in force now, one a line
members() { "$SNAPDUMP" "$snap" | awk -F: -v g="$1" '$1 == g { gsub(",", "\n", $3); print $3 }'; }
ino() { stat -c %i "$snap"; }
mtime_ms() { stat -c %.3Y "$snap" | tr -d .; }
# seen CHECK...: waits (SEEN_TIMEOUT s at most, default 10) for a new snapshot for which
# CHECK holds; its mtime in ms, or the time it gave up
seen() {
	local end=$(($(now_ms) + ${SEEN_TIMEOUT:-10} * 1000)) last=""
	while [ "$(now_ms)" -lt "$end" ]; do
		local i
		i=$(ino)
		if [ "$i" != "$last" ]; then
			last=$i
			if "$@"; then
				mtime_ms
				return 0
			fi
		fi
		sleep 0.005
	done
	now_ms
	return 1
}
has() { members "role-$1" | grep -qx "$2"; }
hasnt() { ! has "$@"; }
empty() { [ -z "$(members "role-$1")" ]; }
nonempty() { [ -n "$(members "role-$1")" ]; }

# User u(r + roles*k) for k >= PER_USER... is no member of team r: bench/gen gives
# user i the teams (i + k*(roles/per)) % roles for k < per; u(i) with i = r
# + 1 is member of team r+1, not of team r unless roles/per divides 1.
lat=()
ended=()
for i in $(seq 1 "$changes"); do
	r=$(((i * 37) % roles))
	rn=$(printf '%04d' "$r")
	case $((i % 3)) in
	1) # a member added to a team that lacks it, then (next time) removed
		u=""
		for cand in $(seq $(((r + 1) % users)) 7 $((users - 1)) | head -n 20); do
			c=$(printf 'u%06d' "$cand")
			hasnt "$rn" "$c" && u=$c && break
		done
		t0=$(now_ms)
		mod <<-LDIF
			dn: cn=team-$rn,ou=teams,$O
			changetype: modify
			add: member
			member: uid=$u,ou=people,$O
		LDIF
		t1=$(seen has "$rn" "$u") || echo "bench: change $i (add $u to team $rn) not seen"
		added_team=$rn added_user=$u
		;;
	2) # the member added just before, removed
		t0=$(now_ms)
		mod <<-LDIF
			dn: cn=team-$added_team,ou=teams,$O
			changetype: modify
			delete: member
			member: uid=$added_user,ou=people,$O
		LDIF
		t1=$(seen hasnt "$added_team" "$added_user") || echo "bench: change $i (remove) not seen"
		;;
	0) # a grant's window: ended in the past, so the role has no member now
		t0=$(now_ms)
		mod <<-LDIF
			dn: cn=grant-$rn,ou=grants,$O
			changetype: modify
			replace: orgNotAfter
			orgNotAfter: 20200101000000Z
		LDIF
		t1=$(seen empty "$rn") || echo "bench: change $i (window of grant $rn) not seen"
		ended+=("$rn")
		;;
	esac
	lat+=($((t1 - t0)))
	sleep 0.3
done
[ -z "${perfpid:-}" ] || { kill -INT "$perfpid"; wait "$perfpid" 2>/dev/null || true; }
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$fpid/status")
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$fpid/status")
sorted=$(printf '%s\n' "${lat[@]}" | sort -n)
n=${#lat[@]}
p50=$(sed -n "$(((n + 1) / 2))p" <<<"$sorted")
p99=$(sed -n "$(((n * 99 + 99) / 100))p" <<<"$sorted")
echo "   change -> snapshot over $n changes: p50 $p50 ms, p99 $p99 ms, max $(tail -n1 <<<"$sorted") ms"
echo "   follower peak RSS (VmHWM) $hwm kB, RSS now $rss kB"

# the follower's snapshot after the changes equals a fresh sync's, once the
# follower has published them all: no new snapshot for twice the slowest
# change (10 s at least), for 600 s at most
slowest=$(tail -n1 <<<"$sorted")
quiet=$((${slowest:-0} * 2 / 1000))
[ "$quiet" -ge 10 ] || quiet=10
end=$((SECONDS + 600))
last=$(ino)
while [ "$SECONDS" -lt "$end" ]; do
	sleep "$quiet"
	now=$(ino)
	[ "$now" != "$last" ] || break
	last=$now
done
nice -n 10 "$ORGRBAC" sync --config "$work/sync.conf" >/dev/null 2>&1 || echo "bench: sync failed"
if [ "$("$SNAPDUMP" "$snap" | tail -n +2)" = "$("$SNAPDUMP" "$work/sync/snapshot.db" | tail -n +2)" ]; then
	echo "   after the changes: the follower's groups equal a fresh sync's"
else
	echo "bench: after the changes the follower and a fresh sync DIFFER"
fi
# the grants' windows back as they were
for rn in "${ended[@]}"; do
	mod <<<"dn: cn=grant-$rn,ou=grants,$O
changetype: modify
delete: orgNotAfter" || true
done
if [ -n "${perfpid:-}" ]; then
	perf report -i "$work/perf.data" --no-children --stdio 2>/dev/null | grep -v '^#' |
		grep '%' | head -n 25
fi
kill "$fpid" 2>/dev/null || true
wait "$fpid" 2>/dev/null || true
