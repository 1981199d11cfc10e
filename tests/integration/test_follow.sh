#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# `orgrbac follow` against real slapd servers with the syncprov overlay: the
# first refresh publishes what sync would; a grant added, a grant revoked and
# a user deleted reach the snapshot within a second (the latency of 20
# changes printed as p50/p99); the server restarted, and the first of two
# servers killed (failover); the follower killed -9 mid-way leaves a snapshot
# the reader accepts and never newer than the directory; the sample host
# identity follows under etc/slapd-acl.ldif; a bad configuration is exit 2
# with its file and line; the systemd unit verifies. orgrbac status exits 3
# when the follower is stopped, gone or late; the follower's READY=1 and
# STATUS= reach a notification socket; e-syncRefreshRequired (4096, put in
# by fake_ldap's proxy) in the middle of a refresh publishes nothing torn
# and refreshes in full; as root, the link cut for a minute beneath the
# follower (a veth set down: no FIN, no reset) is noticed by keepalive and
# the snapshot is current within 5 s of the link being back.
. "$(dirname "$0")/../lib/lib.sh"
set +e

builddir=${top_builddir:-$ORGRBAC_TOP/build}
ORGRBAC="$builddir/orgrbac"
SNAPDUMP="$builddir/tests/integration/snapdump"
FAKE_LDAP="$builddir/tests/faults/fake_ldap"
[ -x "$ORGRBAC" ] || fail "$ORGRBAC not built"
[ -x "$SNAPDUMP" ] || fail "$SNAPDUMP not built"
[ -x "$FAKE_LDAP" ] || fail "$FAKE_LDAP not built (make tests/faults/fake_ldap)"
orgrbac_require_slapd

WORK=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-follow.XXXXXX")
orgrbac_at_exit "rm -rf '$WORK'"
B=dc=example,dc=com
ERIN="uid=erin,ou=people,o=acme,$B"

ok() { orgrbac_ok "$@"; }
ko() { orgrbac_ko "$@"; }

# groups SNAPSHOT: each group line of the snapshot (no generation); fails when unreadable
groups() { "$SNAPDUMP" "$1" | tail -n +2; }
# members SNAPSHOT GROUP: the group's members, comma-separated
members() { groups "$1" | awk -F: -v g="$2" '$1 == g { print $3 }'; }
# has SNAPSHOT GROUP USER
has() { members "$1" "$2" | tr ',' '\n' | grep -qx "$3"; }
now_ms() { date +%s%3N; }

not() { ! "$@"; }

FOLLOWERS=()
# start_follower CONF LOG: a follower in the background, its pid in FPID
start_follower() {
	"$ORGRBAC" follow --config "$1" 2>>"$2" &
	FPID=$!
	FOLLOWERS+=("$FPID")
}
# status_exit CONF: orgrbac status's exit code, its output in STATUS_OUT
status_exit() {
	STATUS_OUT=$("$ORGRBAC" status --config "$1" 2>&1)
	return $?
}
# notify_listen SOCKET OUT: a datagram socket as systemd's, each message one line of OUT
# ('|' for its newlines); its pid in NPID
notify_listen() {
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a") as f:
    while True:
        f.write(s.recv(4096).decode(errors="replace").replace("\n", "|") + "\n")
        f.flush()' "$1" "$2" &
	NPID=$!
	FOLLOWERS+=("$NPID")
}
# port_of URI: the port of ldap://HOST:PORT/
port_of() {
	local p=${1##*:}
	printf '%s\n' "${p%/}"
}
# start_fake MODE PORTFILE [ARGS...]: fake_ldap in the background, its output in PORTFILE.out
start_fake() {
	local mode=$1 pf=$2
	shift 2
	"$FAKE_LDAP" "$@" "$mode" "$pf" ${FAKE_ADDR:-} >"$pf.out" 2>&1 &
	FOLLOWERS+=("$!")
	orgrbac_wait_until 5 test -s "$pf" || fail "fake_ldap $mode did not start: $(cat "$pf.out")"
}
generation() { "$SNAPDUMP" "$1" | sed -n 's/^generation //p'; }
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
	for want in 'Type=notify' 'NotifyAccess=main' 'Restart=on-failure' \
		'ProtectSystem=strict' 'ProtectHome=yes' \
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
status_exit "$conf"
st=$?
grep -q '^follower: *stopped' <<<"$STATUS_OUT" && ok || ko "status after --once: $STATUS_OUT"
# a follower that ran and stopped does not keep the snapshot current: 3
[ "$st" = 3 ] && grep -q 'verdict: *not current: the follower does not run' <<<"$STATUS_OUT" &&
	ok || ko "status after --once: exit $st: $STATUS_OUT"

# the service manager's socket: READY=1 once the first refresh is published
have_python=no
command -v python3 >/dev/null 2>&1 && have_python=yes
if [ "$have_python" = yes ]; then
	notify_listen "$WORK/notify.sock" "$WORK/notify.log"
	# python3 may take seconds to start on a loaded machine
	orgrbac_wait_until 30 test -S "$WORK/notify.sock" || ko "no notification socket"
	export NOTIFY_SOCKET=$WORK/notify.sock
fi
start_follower "$conf" "$WORK/follow.log"
unset NOTIFY_SOCKET
orgrbac_wait_until 10 state_is "$snap" following && ok || ko "the follower is not following: $(cat "$WORK/follow.log")"
status_exit "$conf"
st=$?
grep -q "^follower: *following (pid $FPID)" <<<"$STATUS_OUT" && ok || ko "status: $STATUS_OUT"
[ "$st" = 0 ] && grep -q 'verdict: *current' <<<"$STATUS_OUT" && ok ||
	ko "status while following: exit $st: $STATUS_OUT"
if [ "$have_python" = yes ]; then
	orgrbac_wait_until 2 grep -q '^READY=1|STATUS=following ' "$WORK/notify.log" && ok ||
		ko "no READY=1 after the first refresh: $(cat "$WORK/notify.log")"
	# refreshing first, ready only once published
	[ "$(head -n 1 "$WORK/notify.log" | cut -c1-25)" = "STATUS=refreshing from ld" ] && ok ||
		ko "the first notification: $(head -n 1 "$WORK/notify.log")"
	[ "$(grep -c READY=1 "$WORK/notify.log")" = 1 ] && ok || ko "READY=1 more than once"
else
	printf 'follow: no python3: the notification socket is not checked here\n'
fi

has "$snap" member erin && ko "erin is a member before any grant" || ok
grant erin-member "$ERIN"
orgrbac_wait_until 2 has "$snap" member erin && ok || ko "a grant added did not reach the snapshot in 2 s"
revoke erin-member
orgrbac_wait_until 2 not has "$snap" member erin && ok || ko "a revoked grant stayed in the snapshot"
has "$snap" member bob || ko "bob is no member to begin with"
ldapmodify_admin >/dev/null <<<"dn: uid=bob,ou=people,o=acme,$B
changetype: delete"
orgrbac_wait_until 2 not has "$snap" member bob && ok || ko "a deleted user stayed in the snapshot"

# ---- latency: 20 changes, each timed from ldapmodify's return until the snapshot shows it ----
lat=()
for i in $(seq 1 20); do
	if [ $((i % 2)) = 1 ]; then
		grant erin-member "$ERIN"
		t0=$(now_ms)
		orgrbac_wait_until 5 has "$snap" member erin || ko "change $i (grant) not seen"
	else
		revoke erin-member
		t0=$(now_ms)
		orgrbac_wait_until 5 not has "$snap" member erin || ko "change $i (revoke) not seen"
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
orgrbac_wait_until 10 state_is "$snap" reconnecting && ok || ko "no reconnecting state after the server stopped"
sleep 1
orgrbac_slapd_restart "$ONE"
t0=$(now_ms)
grant erin-member "$ERIN"
orgrbac_wait_until 5 has "$snap" member erin && ok ||
	ko "not current 5 s after the restart: $(tail -n 5 "$WORK/follow.log")"
printf 'follow: current %s ms after the server restarted\n' $(($(now_ms) - t0))
orgrbac_wait_until 2 state_is "$snap" following && ok || ko "not following after the restart"
if [ "$have_python" = yes ]; then
	grep -q '^STATUS=reconnecting in ' "$WORK/notify.log" && ok ||
		ko "no STATUS=reconnecting: $(cat "$WORK/notify.log")"
	[ "$(grep -c READY=1 "$WORK/notify.log")" = 1 ] && ok || ko "READY=1 again after the restart"
fi

# ---- stopped cleanly by SIGTERM ----
kill -TERM "$FPID"
wait "$FPID"
st=$?
[ "$st" = 0 ] && ok || ko "SIGTERM: exit $st"
state_is "$snap" stopped && ok || ko "state after SIGTERM: $(cat "$snap.follow")"
if [ "$have_python" = yes ]; then
	orgrbac_wait_until 2 grep -q '^STOPPING=1|STATUS=stopped' "$WORK/notify.log" && ok ||
		ko "no STOPPING=1: $(tail -n 2 "$WORK/notify.log")"
fi

# ---- killed -9 mid-way: the snapshot intact, never newer than the directory ----
start_follower "$conf" "$WORK/follow.log"
orgrbac_wait_until 10 state_is "$snap" following || ko "second follower not following"
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
status_exit "$conf"
st=$?
[ "$st" = 3 ] && grep -q "(pid $FPID, not running)" <<<"$STATUS_OUT" && ok ||
	ko "status after kill -9: exit $st: $STATUS_OUT"
# a live pid whose follower stopped publishing (hung): late, 3
cp "$snap.follow" "$WORK/follow.saved"
now=$(date +%s)
printf 'orgrbac-follow 1\nstate following\npid %s\nserver x\nsince %s\nlast_change 0\nlast_publish %s\ngeneration 1\nerror \n' \
	$$ $((now - 4000)) $((now - 1900)) >"$snap.follow"
status_exit "$conf"
st=$?
[ "$st" = 3 ] && grep -q 'nothing published for 19[0-9][0-9] s' <<<"$STATUS_OUT" && ok ||
	ko "status of a late follower: exit $st: $STATUS_OUT"
# reconnecting for a minute and more: disconnected, 3; for less: catching up, 0
sed -i "s/^state following/state reconnecting/; s/^since .*/since $((now - 61))/" "$snap.follow"
status_exit "$conf"
[ $? = 3 ] && grep -q 'not current: reconnecting for 6[0-9] s' <<<"$STATUS_OUT" && ok ||
	ko "status of a follower disconnected: $STATUS_OUT"
sed -i "s/^since .*/since $((now - 5))/" "$snap.follow"
status_exit "$conf"
[ $? = 0 ] && grep -q 'catching up' <<<"$STATUS_OUT" && ok || ko "status catching up: $STATUS_OUT"
printf 'garbage\n' >"$snap.follow"
status_exit "$conf"
[ $? = 3 ] && grep -q 'not a follower state file' <<<"$STATUS_OUT" && ok ||
	ko "status of a corrupt state file: $STATUS_OUT"
mv "$WORK/follow.saved" "$snap.follow"

# ---- e-syncRefreshRequired in the middle of a refresh: nothing torn, a full refresh ----
# The follower never sends a cookie, so syncprov never asks for a full
# refresh by itself; fake_ldap's proxy ends the first refresh after 3 entries
# with resultCode 4096, and relays everything after it.
revoke erin-member
start_fake refreshrequired "$WORK/rr.port" -u "$(port_of "$LDAP_URI")" -n 1
mkdir -p "$WORK/rr" "$WORK/rrsync"
rsnap="$WORK/rr/snapshot.db"
orgrbac_write_conf "$WORK/rr.conf" "ldap.uri=ldap://127.0.0.1:$(cat "$WORK/rr.port")/" \
	"ldap.tls_ca_file=$TLS_CA_FILE" "nss.snapshot=$rsnap" pam.ignore_users=
start_follower "$WORK/rr.conf" "$WORK/rr.log"
orgrbac_wait_until 10 state_is "$rsnap" following && ok || ko "4096: not following: $(cat "$WORK/rr.log")"
grep -q '^changed 1 refreshrequired' "$WORK/rr.port.out" && ok ||
	ko "4096: the proxy changed nothing: $(cat "$WORK/rr.port.out")"
grep -q 'asks for a full refresh' "$WORK/rr.log" && ok || ko "4096: not logged: $(cat "$WORK/rr.log")"
# the refresh cut short was never published: the complete one is the first
[ "$(generation "$rsnap")" = 1 ] && ok || ko "4096: generation $(generation "$rsnap"), not 1"
orgrbac_write_conf "$WORK/rrsync.conf" "ldap.tls_ca_file=$TLS_CA_FILE" \
	"nss.snapshot=$WORK/rrsync/snapshot.db" pam.ignore_users=
"$ORGRBAC" sync --config "$WORK/rrsync.conf" >/dev/null 2>&1 || ko "4096: sync failed"
if [ "$(groups "$rsnap")" = "$(groups "$WORK/rrsync/snapshot.db")" ]; then ok; else
	ko "4096: the refresh after it differs from sync: $(diff <(groups "$rsnap") <(groups "$WORK/rrsync/snapshot.db"))"
fi
grant rr-erin "$ERIN"
orgrbac_wait_until 2 has "$rsnap" member erin && ok || ko "4096: a change after the full refresh not seen"
revoke rr-erin
orgrbac_wait_until 2 not has "$rsnap" member erin || ko "4096: the revoke not seen"
kill -TERM "$FPID"

# ---- the link cut for a minute, no FIN nor reset (root: a veth in a network namespace) ----
if [ "$(id -u)" = 0 ] && command -v nsenter >/dev/null 2>&1 &&
	unshare --net true 2>/dev/null; then
	unshare --net sleep 600 &
	NSPID=$!
	FOLLOWERS+=("$NSPID")
	sleep 0.2
	ifc=orgc$$
	peer=orgp$$
	net=10.199.$(($$ % 250))
	orgrbac_at_exit "ip link del '$ifc' 2>/dev/null"
	if ip link add "$ifc" type veth peer name "$peer" netns "$NSPID" &&
		ip addr add "$net.1/30" dev "$ifc" && ip link set "$ifc" up &&
		nsenter -t "$NSPID" -n sh -c "ip link set lo up && ip addr add $net.2/30 dev $peer &&
			ip link set $peer up"; then
		FAKE_ADDR=$net.1 start_fake relay "$WORK/cut.port" -u "$(port_of "$LDAP_URI")"
		mkdir -p "$WORK/cut"
		csnap="$WORK/cut/snapshot.db"
		orgrbac_write_conf "$WORK/cut.conf" "ldap.uri=ldap://$net.1:$(cat "$WORK/cut.port")/" \
			ldap.allow_insecure=yes "nss.snapshot=$csnap" pam.ignore_users= \
			follow.keepalive_idle=2
		nsenter -t "$NSPID" -n "$ORGRBAC" follow --config "$WORK/cut.conf" 2>>"$WORK/cut.log" &
		FPID=$!
		FOLLOWERS+=("$FPID")
		orgrbac_wait_until 10 state_is "$csnap" following && ok ||
			ko "cut: not following: $(cat "$WORK/cut.log")"
		gen_before=$(generation "$csnap")
		ip link set "$ifc" down
		t_cut=$(now_ms)
		grant cut-erin "$ERIN"
		# keepalive after 2 s, 3 probes 1 s apart, a 5 s user timeout
		orgrbac_wait_until 15 state_is "$csnap" reconnecting && ok ||
			ko "cut: not noticed in 15 s: $(tail -n 3 "$WORK/cut.log")"
		printf 'follow: a cut link noticed in %s ms\n' $(($(now_ms) - t_cut))
		sleep $((60 - ($(now_ms) - t_cut) / 1000))
		# a minute without the directory: the snapshot as it was, whole
		"$SNAPDUMP" "$csnap" >/dev/null && ok || ko "cut: the snapshot is refused"
		not has "$csnap" member erin && ok || ko "cut: a change came through the cut"
		[ "$(generation "$csnap")" = "$gen_before" ] && ok || ko "cut: published while cut"
		ip link set "$ifc" up
		t_back=$(now_ms)
		orgrbac_wait_until 5 has "$csnap" member erin && ok ||
			ko "cut: not current 5 s after the link is back: $(tail -n 3 "$WORK/cut.log")"
		printf 'follow: current %s ms after a %s s cut ended\n' $(($(now_ms) - t_back)) \
			$(((t_back - t_cut) / 1000))
		orgrbac_wait_until 2 state_is "$csnap" following && ok || ko "cut: not following after it"
		revoke cut-erin
		orgrbac_wait_until 2 not has "$csnap" member erin && ok || ko "cut: the revoke not seen"
		kill -TERM "$FPID"
	else
		ko "cut: the veth pair could not be made"
	fi
else
	printf 'follow: not root (or no network namespaces): the cut link is not tested\n'
fi

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
orgrbac_wait_until 10 state_is "$psnap" following && ok || ko "pair: not following: $(cat "$WORK/pair.log")"
state_server "$psnap" "$URI_A" && ok || ko "pair: not on the first server: $(cat "$psnap.follow")"
kill -KILL "$SLAPD_PID"
ORGRBAC_SLAPD_DIR=$BB
orgrbac_slapd_env "$BB"
t0=$(now_ms)
orgrbac_wait_until 10 state_server "$psnap" "$URI_B" && ok || ko "pair: no failover: $(cat "$psnap.follow")"
grant erin-member "$ERIN"
orgrbac_wait_until 5 has "$psnap" member erin && ok || ko "pair: a change on the second server not seen"
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
orgrbac_wait_until 10 state_is "$hsnap" following && ok || ko "host under the ACL: not following: $(cat "$WORK/host.log")"
if [ "$(groups "$hsnap")" = "$(groups "$WORK/hostsync/snapshot.db")" ]; then ok; else
	ko "host under the ACL sees another directory: $(diff <(groups "$hsnap") <(groups "$WORK/hostsync/snapshot.db"))"
fi
grant erin-member "$ERIN"
orgrbac_wait_until 2 has "$hsnap" member erin && ok || ko "host under the ACL: a change not seen"

# ---- connected and quiet: re-published within max_age (4 s: every second) ----
mkdir -p "$WORK/quiet"
qsnap="$WORK/quiet/snapshot.db"
orgrbac_write_conf "$WORK/quiet.conf" "ldap.tls_ca_file=$TLS_CA_FILE" \
	"ldap.bind_dn=cn=host-web01,ou=hosts,$B" "ldap.bind_password_file=$WORK/host.pw" \
	"nss.snapshot=$qsnap" nss.max_age=4 pam.ignore_users=
start_follower "$WORK/quiet.conf" "$WORK/quiet.log"
orgrbac_wait_until 10 state_is "$qsnap" following || ko "quiet: not following: $(cat "$WORK/quiet.log")"
g0=$("$SNAPDUMP" "$qsnap" | sed -n 's/^generation //p')
sleep 5
g1=$("$SNAPDUMP" "$qsnap" | sed -n 's/^generation //p')
[ "${g1:-0}" -ge $((${g0:-0} + 3)) ] && ok || ko "quiet: generation $g0 then $g1 five seconds later"
out=$("$ORGRBAC" status --config "$WORK/quiet.conf" 2>&1)
grep -q '^state: *fresh' <<<"$out" && ok || ko "quiet: the snapshot went stale: $out"

orgrbac_summary test_follow
