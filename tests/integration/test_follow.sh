#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# `orgrbac follow` against real slapd servers with the syncprov overlay: the
# first refresh publishes what sync would; a grant added, a grant revoked and
# a user deleted reach the snapshot within a second (the latency of 20
# changes printed as p50/p99); the server restarted, and the first of two
# servers killed (failover); the follower killed -9 mid-way leaves a snapshot
# the reader accepts and never newer than the directory; the sample host
# identity follows under etc/slapd-acl.ldif; a bad configuration is exit 2
# with its file and line; the systemd unit verifies.
. "$(dirname "$0")/../lib/lib.sh"
set +e

builddir=${top_builddir:-$ORGRBAC_TOP/build}
ORGRBAC="$builddir/orgrbac"
SNAPDUMP="$builddir/tests/integration/snapdump"
[ -x "$ORGRBAC" ] || fail "$ORGRBAC not built"
[ -x "$SNAPDUMP" ] || fail "$SNAPDUMP not built"
orgrbac_require_slapd

WORK=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-follow.XXXXXX")
orgrbac_at_exit "rm -rf '$WORK'"
B=dc=example,dc=com
ERIN="uid=erin,ou=people,o=acme,$B"

passed=0
failed=0
ok() { passed=$((passed + 1)); }
ko() {
	failed=$((failed + 1))
	printf 'FAIL: %s\n' "$*"
}

# groups SNAPSHOT: each group line of the snapshot (no generation); fails when unreadable
groups() { "$SNAPDUMP" "$1" | tail -n +2; }
# members SNAPSHOT GROUP: the group's members, comma-separated
members() { groups "$1" | awk -F: -v g="$2" '$1 == g { print $3 }'; }
# has SNAPSHOT GROUP USER
has() { members "$1" "$2" | tr ',' '\n' | grep -qx "$3"; }
now_ms() { date +%s%3N; }

# wait_until SECONDS CMD...: true once CMD succeeds, polling every 10 ms
wait_until() {
	local end=$(($(now_ms) + $1 * 1000))
	shift
	while ! "$@"; do
		[ "$(now_ms)" -lt "$end" ] || return 1
		sleep 0.01
	done
}
not() { ! "$@"; }

FOLLOWERS=()
# start_follower CONF LOG: a follower in the background, its pid in FPID
start_follower() {
	"$ORGRBAC" follow --config "$1" 2>>"$2" &
	FPID=$!
	FOLLOWERS+=("$FPID")
}
stop_followers() {
	local p
	for p in "${FOLLOWERS[@]}"; do
		kill -TERM "$p" 2>/dev/null
	done
	return 0
}
orgrbac_at_exit stop_followers
state_is() { grep -qx "state $2" "$1.follow" 2>/dev/null; }
state_server() { grep -qx "server $2" "$1.follow" 2>/dev/null; }

grant() { # grant CN USER-DN: Member for USER
	ldapmodify_admin -a >/dev/null <<-LDIF
		dn: cn=$1,ou=grants,o=acme,$B
		objectClass: orgRoleGrant
		cn: $1
		orgGrantedRole: cn=Member,ou=roles,$B
		orgGrantee: $2
	LDIF
}
revoke() { ldapmodify_admin >/dev/null <<<"dn: cn=$1,ou=grants,o=acme,$B
changetype: delete"; }

# ---- a bad configuration: exit 2, the file and its line ----
printf '[ldap]\nuri = ldap://127.0.0.1:1/\nbase = %s\ntimeout = soon\n' "$B" >"$WORK/bad.conf"
out=$("$ORGRBAC" follow --once --config "$WORK/bad.conf" 2>&1)
st=$?
[ "$st" = 2 ] && grep -qF "$WORK/bad.conf:4" <<<"$out" && ok || ko "bad config: exit $st: $out"
out=$("$ORGRBAC" follow --bogus 2>&1)
[ $? = 2 ] && ok || ko "an unknown option: $out"

# ---- the systemd unit ----
unit="$builddir/etc/orgrbac-follow.service"
if [ -r "$unit" ] && command -v systemd-analyze >/dev/null 2>&1; then
	out=$(systemd-analyze verify "$unit" 2>&1 | grep -v -e 'orgrbac-sync' -e 'Failed to .*bus' \
		-e 'No such file or directory' -e "Command 'man " -e '^$')
	grep -q 'orgrbac-follow.service' <<<"$out" && ko "systemd-analyze verify: $out" || ok
	for want in 'Restart=on-failure' 'ProtectSystem=strict' 'ProtectHome=yes' \
		'NoNewPrivileges=yes' 'PrivateTmp=yes'; do
		grep -qx "$want" "$unit" && ok || ko "the unit lacks $want"
	done
	[ "$(grep -c '^ReadWritePaths=/' "$unit")" = 1 ] && ok || ko "the unit's ReadWritePaths"
fi

# ---- one server: first refresh, changes, restart ----
orgrbac_slapd_start
ONE=$ORGRBAC_SLAPD_DIR
mkdir -p "$WORK/snap" "$WORK/sync"
snap="$WORK/snap/snapshot.db"
conf="$WORK/orgrbac.conf"
orgrbac_write_conf "$conf" "ldap.tls_ca_file=$TLS_CA_FILE" "nss.snapshot=$snap" pam.ignore_users=
orgrbac_write_conf "$WORK/sync.conf" "ldap.tls_ca_file=$TLS_CA_FILE" \
	"nss.snapshot=$WORK/sync/snapshot.db" pam.ignore_users=

out=$("$ORGRBAC" follow --once --config "$conf" 2>&1)
[ $? = 0 ] && ok || ko "follow --once: $out"
"$ORGRBAC" sync --config "$WORK/sync.conf" >/dev/null 2>&1 || ko "sync failed"
if [ "$(groups "$snap")" = "$(groups "$WORK/sync/snapshot.db")" ]; then ok; else
	ko "follow --once and sync differ: $(diff <(groups "$snap") <(groups "$WORK/sync/snapshot.db"))"
fi
out=$("$ORGRBAC" status --config "$conf" 2>&1)
grep -q '^follower: *stopped' <<<"$out" && ok || ko "status after --once: $out"

start_follower "$conf" "$WORK/follow.log"
wait_until 10 state_is "$snap" following && ok || ko "the follower is not following: $(cat "$WORK/follow.log")"
out=$("$ORGRBAC" status --config "$conf" 2>&1)
grep -q "^follower: *following (pid $FPID)" <<<"$out" && ok || ko "status: $out"

has "$snap" member erin && ko "erin is a member before any grant" || ok
grant erin-member "$ERIN"
wait_until 2 has "$snap" member erin && ok || ko "a grant added did not reach the snapshot in 2 s"
revoke erin-member
wait_until 2 not has "$snap" member erin && ok || ko "a revoked grant stayed in the snapshot"
has "$snap" member bob || ko "bob is no member to begin with"
ldapmodify_admin >/dev/null <<<"dn: uid=bob,ou=people,o=acme,$B
changetype: delete"
wait_until 2 not has "$snap" member bob && ok || ko "a deleted user stayed in the snapshot"

# ---- latency: 20 changes, each timed from ldapmodify's return until the snapshot shows it ----
lat=()
for i in $(seq 1 20); do
	if [ $((i % 2)) = 1 ]; then
		grant erin-member "$ERIN"
		t0=$(now_ms)
		wait_until 5 has "$snap" member erin || ko "change $i (grant) not seen"
	else
		revoke erin-member
		t0=$(now_ms)
		wait_until 5 not has "$snap" member erin || ko "change $i (revoke) not seen"
	fi
	lat+=($(($(now_ms) - t0)))
done
sorted=$(printf '%s\n' "${lat[@]}" | sort -n)
p50=$(sed -n 10p <<<"$sorted")
p99=$(sed -n 20p <<<"$sorted")
printf 'follow: change -> snapshot latency over 20 changes: p50 %s ms, p99 %s ms\n' "$p50" "$p99"
[ "$p99" -lt 1000 ] && ok || ko "p99 latency $p99 ms"
# ---- after these changes, the follower's snapshot is a fresh sync's: groups and decisions ----
# decisions SNAPSHOT-CONF: `check --source snapshot` of every uid at one time, the
# line naming the snapshot's path left out; $at is set once both snapshots are written
# (a snapshot written after --at is refused as from the future)
decisions() {
	local u
	for u in $(ldapsearch_admin '(uid=*)' uid | sed -n 's/^uid: //p' | sort -u); do
		printf '== %s\n' "$u"
		"$ORGRBAC" check "$u" --at "$at" --source snapshot --config "$1" 2>&1 |
			grep -v '^decided from the snapshot '
	done
}
sleep 0.5
"$ORGRBAC" sync --config "$WORK/sync.conf" >/dev/null 2>&1 || ko "sync after the changes failed"
sleep 1
at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
if [ "$(groups "$snap")" = "$(groups "$WORK/sync/snapshot.db")" ]; then ok; else
	ko "after the changes, follow and sync differ: $(diff <(groups "$snap") <(groups "$WORK/sync/snapshot.db"))"
fi
d_follow=$(decisions "$conf")
d_sync=$(decisions "$WORK/sync.conf")
if [ -n "$d_follow" ] && [ "$d_follow" = "$d_sync" ]; then ok; else
	ko "after the changes, decisions from the follower's snapshot and sync's differ: $(diff <(echo "$d_follow") <(echo "$d_sync") | head -n 20)"
fi
[ "$(grep -c '^== ' <<<"$d_follow")" -gt 5 ] && ok || ko "too few principals compared: $d_follow"
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$FPID/status" 2>/dev/null)
printf 'follow: follower RSS %s kB (sample directory)\n' "${rss:-?}"

# ---- the server restarted: reconnect, and current within 5 s ----
"$ORGRBAC_SLAPD_SH" stop "$ONE" >/dev/null 2>&1
wait_until 10 state_is "$snap" reconnecting && ok || ko "no reconnecting state after the server stopped"
sleep 1
orgrbac_slapd_restart "$ONE"
t0=$(now_ms)
grant erin-member "$ERIN"
wait_until 5 has "$snap" member erin && ok ||
	ko "not current 5 s after the restart: $(tail -n 5 "$WORK/follow.log")"
printf 'follow: current %s ms after the server restarted\n' $(($(now_ms) - t0))
wait_until 2 state_is "$snap" following && ok || ko "not following after the restart"

# ---- stopped cleanly by SIGTERM ----
kill -TERM "$FPID"
wait "$FPID"
st=$?
[ "$st" = 0 ] && ok || ko "SIGTERM: exit $st"
state_is "$snap" stopped && ok || ko "state after SIGTERM: $(cat "$snap.follow")"

# ---- killed -9 mid-way: the snapshot intact, never newer than the directory ----
start_follower "$conf" "$WORK/follow.log"
wait_until 10 state_is "$snap" following || ko "second follower not following"
for i in $(seq 1 30); do
	grant "kill-$i" "uid=carol,ou=people,o=acme,$B" &
	[ "$i" != 15 ] || kill -KILL "$FPID"
	wait $!
done
wait "$FPID" 2>/dev/null
"$SNAPDUMP" "$snap" >/dev/null && ok || ko "the snapshot after kill -9 is refused"
in_dir=$(ldapsearch_admin "(cn=kill-*)" cn | grep -c '^cn: kill-')
ldapsearch_admin "(cn=kill-*)" dn >/dev/null || ko "cannot read the directory"
# every membership the snapshot holds the directory holds too
for u in $(members "$snap" member | tr ',' ' '); do
	case $u in
	carol) [ "$in_dir" -gt 0 ] && ok || ko "carol a member with no grant in the directory" ;;
	esac
done
lines_before=$(groups "$snap" | wc -l)
[ "$lines_before" -gt 0 ] && ok || ko "an empty snapshot after kill -9"

# ---- two servers, the first killed: failover ----
orgrbac_slapd_start_pair
A=$ORGRBAC_PAIR_A
BB=$ORGRBAC_PAIR_B
orgrbac_slapd_env "$BB"
URI_B=$LDAP_URI
orgrbac_slapd_env "$A"
URI_A=$LDAP_URI
mkdir -p "$WORK/pair"
psnap="$WORK/pair/snapshot.db"
orgrbac_write_conf "$WORK/pair.conf" "ldap.uri=$URI_A $URI_B" "ldap.tls_ca_file=$TLS_CA_FILE" \
	"nss.snapshot=$psnap" pam.ignore_users=
start_follower "$WORK/pair.conf" "$WORK/pair.log"
wait_until 10 state_is "$psnap" following && ok || ko "pair: not following: $(cat "$WORK/pair.log")"
state_server "$psnap" "$URI_A" && ok || ko "pair: not on the first server: $(cat "$psnap.follow")"
kill -KILL "$SLAPD_PID"
ORGRBAC_SLAPD_DIR=$BB
orgrbac_slapd_env "$BB"
t0=$(now_ms)
wait_until 10 state_server "$psnap" "$URI_B" && ok || ko "pair: no failover: $(cat "$psnap.follow")"
grant erin-member "$ERIN"
wait_until 5 has "$psnap" member erin && ok || ko "pair: a change on the second server not seen"
printf 'follow: failover to the second server and its change seen in %s ms\n' $(($(now_ms) - t0))

# ---- the sample host identity under etc/slapd-acl.ldif ----
orgrbac_slapd_start
cp "$ORGRBAC_TOP/etc/slapd-acl.ldif" "$WORK/acl.ldif"
LDAPNOINIT=1 ldapmodify -x -H "$LDAP_URI" -D "$LDAP_CONFIG_DN" -w "$LDAP_CONFIG_PW" \
	-f "$WORK/acl.ldif" >"$WORK/acl.log" 2>&1 || fail "etc/slapd-acl.ldif does not load: $(cat "$WORK/acl.log")"
ldapmodify_admin -a -f "$ORGRBAC_TOP/tests/data/acl-identities.ldif" >"$WORK/ids.log" 2>&1 ||
	fail "tests/data/acl-identities.ldif: $(tail -n 3 "$WORK/ids.log")"
printf 'host-secret\n' >"$WORK/host.pw"
chmod 0600 "$WORK/host.pw"
mkdir -p "$WORK/host" "$WORK/hostsync"
hsnap="$WORK/host/snapshot.db"
orgrbac_write_conf "$WORK/host.conf" "ldap.tls_ca_file=$TLS_CA_FILE" \
	"ldap.bind_dn=cn=host-web01,ou=hosts,$B" "ldap.bind_password_file=$WORK/host.pw" \
	"nss.snapshot=$hsnap" pam.ignore_users=
printf '%s\n' "$LDAP_ADMIN_PW" >"$WORK/admin.pw"
chmod 0600 "$WORK/admin.pw"
orgrbac_write_conf "$WORK/hostsync.conf" "ldap.tls_ca_file=$TLS_CA_FILE" \
	"ldap.bind_dn=$LDAP_ADMIN_DN" "ldap.bind_password_file=$WORK/admin.pw" \
	"nss.snapshot=$WORK/hostsync/snapshot.db" pam.ignore_users=
"$ORGRBAC" sync --config "$WORK/hostsync.conf" >/dev/null 2>&1
start_follower "$WORK/host.conf" "$WORK/host.log"
wait_until 10 state_is "$hsnap" following && ok || ko "host under the ACL: not following: $(cat "$WORK/host.log")"
if [ "$(groups "$hsnap")" = "$(groups "$WORK/hostsync/snapshot.db")" ]; then ok; else
	ko "host under the ACL sees another directory: $(diff <(groups "$hsnap") <(groups "$WORK/hostsync/snapshot.db"))"
fi
grant erin-member "$ERIN"
wait_until 2 has "$hsnap" member erin && ok || ko "host under the ACL: a change not seen"

# ---- connected and quiet: re-published within max_age (4 s: every second) ----
mkdir -p "$WORK/quiet"
qsnap="$WORK/quiet/snapshot.db"
orgrbac_write_conf "$WORK/quiet.conf" "ldap.tls_ca_file=$TLS_CA_FILE" \
	"ldap.bind_dn=cn=host-web01,ou=hosts,$B" "ldap.bind_password_file=$WORK/host.pw" \
	"nss.snapshot=$qsnap" nss.max_age=4 pam.ignore_users=
start_follower "$WORK/quiet.conf" "$WORK/quiet.log"
wait_until 10 state_is "$qsnap" following || ko "quiet: not following: $(cat "$WORK/quiet.log")"
g0=$("$SNAPDUMP" "$qsnap" | sed -n 's/^generation //p')
sleep 5
g1=$("$SNAPDUMP" "$qsnap" | sed -n 's/^generation //p')
[ "${g1:-0}" -ge $((${g0:-0} + 3)) ] && ok || ko "quiet: generation $g0 then $g1 five seconds later"
out=$("$ORGRBAC" status --config "$WORK/quiet.conf" 2>&1)
grep -q '^state: *fresh' <<<"$out" && ok || ko "quiet: the snapshot went stale: $out"

printf 'test_follow: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
