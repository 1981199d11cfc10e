#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Many followers behind a replica: a provider (A) and a read-only consumer
# (B) replicating it by syncrepl (tests/integration/slapd.sh start-pair
# --consumer: B refuses writes, so changes are written to A; B serves the
# followers), both with the sample organization; FOLLOWERS `orgrbac follow`
# processes bound to B, each with its own configuration, snapshot and state
# file. CHANGES changes (a grant added, then revoked) are written to A; for
# each, the time until every snapshot shows it (from each snapshot's mtime),
# as p50 and p99, the provider's and the consumer's CPU per change
# (/proc/PID/stat), each follower's peak RSS, and the bytes of the whole
# directory and of the changed entry.
# Prints figures; asserts nothing.
# usage: bench/run-scale.sh [FOLLOWERS [CHANGES]]   (root)
. "$(dirname "$0")/../tests/lib/lib.sh"

nf=${1:-100}
changes=${2:-20}
[ "$(id -u)" -eq 0 ] || skip "run as root: the snapshot is trusted only when root's"
build=${BUILD_DIR:-$ORGRBAC_TOP/build}
make -C "$build" -j2 orgrbac tests/integration/snapdump >/dev/null
ORGRBAC=$build/orgrbac
SNAPDUMP=$build/tests/integration/snapdump
work=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-bench-scale.XXXXXX")
orgrbac_at_exit "rm -rf '$work'"
B=dc=example,dc=com
ERIN="uid=erin,ou=people,o=acme,$B"
now_ms() { date +%s%3N; }

orgrbac_slapd_start_pair --consumer
orgrbac_slapd_env "$ORGRBAC_PAIR_B"
URI_B=$LDAP_URI
CONSUMER_PID=$SLAPD_PID
orgrbac_slapd_env "$ORGRBAC_PAIR_A"
PROVIDER_PID=$SLAPD_PID
echo "== provider $LDAP_URI (pid $PROVIDER_PID), read-only consumer $URI_B (pid $CONSUMER_PID);" \
	"$nf followers bound to the consumer"

pids=()
stop_all() {
	local p
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
}
orgrbac_at_exit stop_all
for i in $(seq 1 "$nf"); do
	mkdir -p "$work/f$i"
	orgrbac_write_conf "$work/f$i/orgrbac.conf" "ldap.uri=$URI_B" "ldap.tls_ca_file=$TLS_CA_FILE" \
		ldap.timeout=10 "nss.snapshot=$work/f$i/snapshot.db" pam.ignore_users=
	nice -n 10 "$ORGRBAC" follow --config "$work/f$i/orgrbac.conf" 2>>"$work/f$i/log" &
	pids+=($!)
done
t0=$(now_ms)
for _ in $(seq 1 1200); do
	# grep fails while no follower follows yet: under pipefail that is no error
	n=$({ grep -lx 'state following' "$work"/f*/snapshot.db.follow 2>/dev/null || true; } | wc -l)
	[ "$n" -ge "$nf" ] && break
	sleep 0.1
done
echo "   $n of $nf followers following after $(($(now_ms) - t0)) ms"

bytes=$(LDAPNOINIT=1 ldapsearch -x -H "$URI_B" -b "$B" '(objectClass=*)' '*' | wc -c)
echo "   the whole directory as LDIF (what a full read costs, anonymous): $bytes bytes"

grant() {
	LDAPNOINIT=1 ldapmodify -x -H "$LDAP_URI" -D "$LDAP_ADMIN_DN" -w "$LDAP_ADMIN_PW" -a >/dev/null <<-LDIF
		dn: cn=erin-member,ou=grants,o=acme,$B
		objectClass: orgRoleGrant
		cn: erin-member
		orgGrantedRole: cn=Member,ou=roles,$B
		orgGrantee: $ERIN
	LDIF
}
revoke() {
	LDAPNOINIT=1 ldapmodify -x -H "$LDAP_URI" -D "$LDAP_ADMIN_DN" -w "$LDAP_ADMIN_PW" >/dev/null \
		<<<"dn: cn=erin-member,ou=grants,o=acme,$B
changetype: delete"
}
# shows SNAPSHOT WANT: erin is (WANT=yes) or is not (no) a member of "member"
shows() {
	local m
	m=$("$SNAPDUMP" "$1" 2>/dev/null | awk -F: '$1 == "member" { print $3 }' | tr ',' '\n' |
		grep -cx erin)
	[ "$want" = yes ] && [ "$m" -gt 0 ] || { [ "$want" = no ] && [ "$m" = 0 ]; }
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

grant
sleep 2
entry_bytes=$(LDAPNOINIT=1 ldapsearch -x -H "$URI_B" -b "cn=erin-member,ou=grants,o=acme,$B" \
	-s base '(objectClass=*)' '*' entryUUID | wc -c)
revoke
sleep 2
echo "   the changed entry as LDIF: $entry_bytes bytes"

lat=()
cpu0=$(cpu_ticks "$PROVIDER_PID")
ccpu0=$(cpu_ticks "$CONSUMER_PID")
for c in $(seq 1 "$changes"); do
	declare -A done_at=() seen_mt=()
	if [ $((c % 2)) = 1 ]; then want=yes; else want=no; fi
	t0=$(now_ms)
	if [ "$want" = yes ]; then grant; else revoke; fi
	end=$((t0 + 30000))
	while [ "${#done_at[@]}" -lt "$nf" ] && [ "$(now_ms)" -lt "$end" ]; do
		while read -r mt f; do
			[ -z "${done_at[$f]:-}" ] || continue
			mt=${mt/./}
			[ "$mt" -ge "$t0" ] && [ "${seen_mt[$f]:-}" != "$mt" ] || continue
			seen_mt[$f]=$mt
			shows "$f" && done_at[$f]=$mt
		done < <(stat -c '%.3Y %n' "$work"/f*/snapshot.db)
		sleep 0.02
	done
	last=0
	for f in "${!done_at[@]}"; do [ "${done_at[$f]}" -le "$last" ] || last=${done_at[$f]}; done
	if [ "${#done_at[@]}" -lt "$nf" ]; then
		echo "bench: change $c reached ${#done_at[@]} of $nf snapshots in 30 s"
		last=$(now_ms)
	fi
	lat+=($((last - t0)))
	unset done_at seen_mt
	sleep 0.5
done
cpu1=$(cpu_ticks "$PROVIDER_PID")
ccpu1=$(cpu_ticks "$CONSUMER_PID")
hz=$(getconf CLK_TCK)
sorted=$(printf '%s\n' "${lat[@]}" | sort -n)
n=${#lat[@]}
echo "   change -> all $nf snapshots over $n changes: p50 $(sed -n "$(((n + 1) / 2))p" <<<"$sorted") ms," \
	"p99 $(sed -n "$(((n * 99 + 99) / 100))p" <<<"$sorted") ms, max $(tail -n1 <<<"$sorted") ms"
echo "   provider CPU: $(((cpu1 - cpu0) * 1000 / hz)) ms over $n changes" \
	"($(((cpu1 - cpu0) * 1000 / hz / n)) ms a change)"
echo "   consumer CPU: $(((ccpu1 - ccpu0) * 1000 / hz)) ms over $n changes" \
	"($(((ccpu1 - ccpu0) * 1000 / hz / n)) ms a change)"
hwm=$(for p in "${pids[@]}"; do awk '/^VmHWM/ { print $2 }' "/proc/$p/status" 2>/dev/null; done | sort -n)
echo "   follower peak RSS (VmHWM, kB): min $(head -n1 <<<"$hwm"), median" \
	"$(sed -n "$((($(wc -l <<<"$hwm") + 1) / 2))p" <<<"$hwm"), max $(tail -n1 <<<"$hwm")"
