#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Fault suite: real slapd servers killed, stopped, silenced, replicated, empty, misconfigured
# or holding a referral, fake servers that reset or drag, and a proxy that turns one answer
# of a real server into a referral or a partial result; each case asserts the decision of
# pam_orgrbac (account and the 2FA exemption, through libpam), `orgrbac check` or `orgrbac sync`.
#
# Prints one line per case ("ok" or "FAIL", the case, what was seen) and
# "faults: N passed, M failed".  Needs root: the module trusts only
# root-owned configuration and password files.  A command that hangs is
# killed after HANG seconds and its case fails.
. "$(dirname "$0")/../lib/lib.sh"
set +e

TIMEOUT=2 # [ldap] timeout of every configuration below
HANG=20	  # seconds before a hung command is killed
SAMPLE_AT=2026-11-22T00:00:00Z # the time of the table in etc/sample-org.ldif

builddir=${top_builddir:-$ORGRBAC_TOP/build}
ORGRBAC="$builddir/orgrbac"
CLIENT="$builddir/tests/faults/fault_client"
FAKE="$builddir/tests/faults/fake_ldap"
PAM_SO="$builddir/.libs/pam_orgrbac.so"

passed=0
failed=0

ok() {
	passed=$((passed + 1))
	printf 'ok   %s\n' "$*"
	orgrbac_progress_case "ok   $*"
}

ko() {
	failed=$((failed + 1))
	printf 'FAIL %s\n' "$*"
	orgrbac_progress_case "FAIL $*"
}

# bound SERVERS: seconds a decision may take when every server is silent.
bound() {
	echo $((TIMEOUT * $1 + 4))
}

# Microseconds since the epoch, for elapsed times (the separator follows the locale).
usec() {
	echo "${EPOCHREALTIME//[.,]/}"
}

# conf NAME URIS [LINE...]: $WORK/NAME.conf with these URIs and extra [ldap]
# lines, and the PAM stacks $WORK/pam.NAME/{sshd,sudo} (account; sshd also
# auth mfa_exempt) and $WORK/pam.NAME/local (account with
# ignore_unknown_user, then pam_permit: users unknown to the directory
# pass) that use it.  The CA is $CA unless CONF_CA names another; CONF_PAM
# adds a line to [pam]; the snapshot is $WORK/snapshot.db.
conf() {
	local name=$1 uris=$2 line svc
	local -a kv=("ldap.uri=$uris" "ldap.base=dc=example,dc=com" "ldap.timeout=$TIMEOUT"
		"ldap.tls_ca_file=${CONF_CA:-$CA}")
	shift 2
	for line in "$@"; do
		kv+=("ldap.${line%% = *}=${line#* = }")
	done
	[ -z "${CONF_PAM:-}" ] || kv+=("pam.${CONF_PAM%% = *}=${CONF_PAM#* = }")
	kv+=("service local.require=host:login || common:org:own" "nss.snapshot=$WORK/snapshot.db")
	orgrbac_write_conf "$WORK/$name.conf" "${kv[@]}"
	mkdir -p "$WORK/pam.$name"
	for svc in sshd sudo; do
		printf 'account required %s config=%s\n' "$PAM_SO" "$WORK/$name.conf" \
			>"$WORK/pam.$name/$svc"
	done
	# the exemption is only ever granted under sshd
	printf 'auth required %s mfa_exempt config=%s\n' "$PAM_SO" "$WORK/$name.conf" \
		>>"$WORK/pam.$name/sshd"
	printf 'account required %s ignore_unknown_user config=%s\naccount required pam_permit.so\n' \
		"$PAM_SO" "$WORK/$name.conf" >"$WORK/pam.$name/local"
}

# pam_case CASE CONF SERVICE USER WANT [SERVERS]: one decision through libpam in a
# process that keeps SIGPIPE at its default; it must end as WANT, leave no
# connection open, and take no longer than bound(SERVERS) when SERVERS is given.
# SERVICE mfa is pam_authenticate through the "auth required ... mfa_exempt"
# line of the sshd stack, after a verified key.
pam_case() {
	local case=$1 name=$2 svc=$3 user=$4 want=$5 servers=${6:-} out rc t0 t1 secs auth=()
	local service=$svc
	[ "$svc" != mfa ] || { auth=(auth); service=sshd; }
	t0=$(usec)
	out=$(timeout -s KILL "$HANG" "$CLIENT" pam "$WORK/pam.$name" "$service" "$user" "${auth[@]}" 2>&1)
	rc=$?
	t1=$(usec)
	secs=$(((t1 - t0) / 1000000))
	if [ "$rc" -eq 137 ]; then
		ko "$case: $svc $user hung (killed after ${HANG}s)"
	elif [ "$rc" -eq 141 ]; then
		ko "$case: $svc $user: the process was killed by SIGPIPE"
	elif [ "$rc" -ne 0 ]; then
		ko "$case: $svc $user: $(tr '\n' ' ' <<<"$out")"
	elif ! grep -q "^pam=$want " <<<"$out"; then
		ko "$case: $svc $user: wanted $want, got $(tr '\n' ' ' <<<"$out")"
	elif [ -n "$servers" ] && [ "$secs" -gt "$(bound "$servers")" ]; then
		ko "$case: $svc $user: $want after ${secs}s, over the bound of $(bound "$servers")s"
	else
		ok "$case: $svc $user -> $want (${secs}s)"
	fi
}

# cli_case CASE CONF SERVICE USER EXIT PATTERN [SERVERS]: `orgrbac check` exits
# EXIT with PATTERN in its output, within bound(SERVERS) when SERVERS is given.
cli_case() {
	local case=$1 name=$2 svc=$3 user=$4 want=$5 pattern=$6 servers=${7:-} out rc t0 t1 secs
	t0=$(usec)
	out=$(timeout -s KILL "$HANG" "$ORGRBAC" check "$user" --service "$svc" \
		--config "$WORK/$name.conf" 2>&1)
	rc=$?
	t1=$(usec)
	secs=$(((t1 - t0) / 1000000))
	if [ "$rc" -eq 137 ]; then
		ko "$case: orgrbac check $user hung (killed after ${HANG}s)"
	elif [ "$rc" -ne "$want" ]; then
		ko "$case: orgrbac check $user exited $rc, wanted $want: $(tr '\n' ' ' <<<"$out")"
	elif ! grep -qE -- "$pattern" <<<"$out"; then
		ko "$case: orgrbac check $user: no /$pattern/ in: $(tr '\n' ' ' <<<"$out")"
	elif [ -n "$servers" ] && [ "$secs" -gt "$(bound "$servers")" ]; then
		ko "$case: orgrbac check $user: exit $rc after ${secs}s, over $(bound "$servers")s"
	else
		ok "$case: orgrbac check $user --service $svc -> exit $rc (${secs}s)"
	fi
}

# start_fake MODE [ADDRESS]: a misbehaving server (fake_ldap.c), one at a
# time; sets FAKE_PORT, FAKE_PID and FAKE_LOG (a line per accepted connection,
# and per search in the proxy modes).  FAKE_ARGS: options before MODE.
FAKE_PID=""
FAKE_ARGS=()
start_fake() {
	local mode=$1 addr=${2:-127.0.0.1} dir i
	stop_fake
	dir=$(mktemp -d "$WORK/fake.XXXXXX")
	FAKE_LOG="$dir/accepts"
	"$FAKE" "${FAKE_ARGS[@]}" "$mode" "$dir/port" "$addr" >"$FAKE_LOG" 2>"$dir/err" &
	FAKE_PID=$!
	for ((i = 0; i < 200; i++)); do
		[ -s "$dir/port" ] && break
		sleep 0.05
	done
	[ -s "$dir/port" ] || fail "fake_ldap $mode did not start: $(cat "$dir/err")"
	FAKE_PORT=$(cat "$dir/port")
}

# Our child until waited for, so the pid cannot name another process.
stop_fake() {
	[ -n "$FAKE_PID" ] || return 0
	kill "$FAKE_PID" 2>/dev/null
	wait "$FAKE_PID" 2>/dev/null
	FAKE_PID=""
}

accepts() {
	grep -c '^accept$' "$FAKE_LOG"
}

# revoke SERVER DN: delete a grant as the directory admin of SERVER.
revoke() {
	ORGRBAC_SLAPD_DIR=$1 ldapmodify_admin >/dev/null <<-EOF || ko "cannot delete $2 on $1"
		dn: $2
		changetype: delete
	EOF
}

# Case 6, run inside a network namespace of our own (see below): a
# non-loopback address that exists only there, with a listener on it.
netns_plaintext() {
	local addr=192.0.2.1 out rc
	ip link set lo up &&
		ip link add orgrbac0 type veth peer name orgrbac1 &&
		ip addr add "$addr/24" dev orgrbac0 &&
		ip link set orgrbac0 up && ip link set orgrbac1 up || exit 77
	start_fake silent "$addr"
	conf netns "ldap://$addr:$FAKE_PORT/"
	out=$("$ORGRBAC" check alice --config "$WORK/netns.conf" 2>&1)
	rc=$?
	printf 'plain exit=%s accepts=%s out=%s\n' "$rc" "$(accepts)" "$(tr '\n' ' ' <<<"$out")"
	# the control: with StartTLS the same address is contacted
	conf netns "ldap://$addr:$FAKE_PORT/" "starttls = yes"
	out=$(timeout -s KILL "$HANG" "$ORGRBAC" check alice --config "$WORK/netns.conf" 2>&1)
	rc=$?
	printf 'starttls exit=%s accepts=%s out=%s\n' "$rc" "$(accepts)" "$(tr '\n' ' ' <<<"$out")"
	stop_fake
	exit 0
}

# Case 10, in network and mount namespaces of our own: the resolver asks a
# name server on this namespace's loopback that never answers.
netns_dns() {
	local out rc t0 t1 dns
	ip link set lo up || exit 77
	printf 'nameserver 127.0.0.1\noptions timeout:%s attempts:1\n' "$RESOLVER_TIMEOUT" \
		>"$WORK/resolv.conf"
	mount --bind "$WORK/resolv.conf" /etc/resolv.conf || exit 77
	python3 -c '
import socket, time
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 53))
t = socket.socket()
t.bind(("127.0.0.1", 53))
t.listen()
print("listening", flush=True)
time.sleep(60)' >"$WORK/dns.out" 2>&1 &
	dns=$!
	for ((i = 0; i < 100; i++)); do
		grep -q listening "$WORK/dns.out" && break
		sleep 0.05
	done
	conf dns "ldaps://ldap.example.test/"
	t0=$(usec)
	out=$(timeout -s KILL "$HANG" "$ORGRBAC" check alice --config "$WORK/dns.conf" 2>&1)
	rc=$?
	t1=$(usec)
	printf 'dns exit=%s seconds=%s out=%s\n' "$rc" $(((t1 - t0) / 1000000)) \
		"$(tr '\n' ' ' <<<"$out")"
	kill "$dns"
	wait "$dns"
	exit 0
}

[ "$(id -u)" -eq 0 ] || skip "the fault suite needs root: pam_orgrbac and orgrbac trust only root-owned configuration and password files"
[ -x "$CLIENT" ] || skip "$CLIENT not built (the fault suite needs the PAM module)"
if [ ! -x "$FAKE" ] || [ ! -x "$ORGRBAC" ] || [ ! -r "$PAM_SO" ]; then
	fail "build first: $builddir"
fi
command -v timeout >/dev/null || skip "needs timeout (coreutils)"

orgrbac_at_exit stop_fake
RESOLVER_TIMEOUT=3 # seconds; longer than TIMEOUT on purpose
if [ "${1:-}" = --in-netns ]; then
	WORK=$3 CA=$4
	"netns_$2"
fi

orgrbac_require_slapd
WORK=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-faults.XXXXXX")
orgrbac_at_exit "rm -rf '$WORK'"

# The servers: one with memberOf for the single-server cases, and a
# replicating pair (A, B) for the cases that stop, kill and restart one.
orgrbac_slapd_start
MAIN=$ORGRBAC_SLAPD_DIR
MAIN_URI=$LDAP_URI MAIN_LDAPS=$LDAPS_URI CA=$TLS_CA_FILE WRONG_CA=$WRONG_CA_FILE
orgrbac_slapd_start_pair --no-memberof
A=$ORGRBAC_PAIR_A B=$ORGRBAC_PAIR_B
A_URI=$(orgrbac_slapd_env "$A" && echo "$LDAP_URI")
A_LDAPS=$(orgrbac_slapd_env "$A" && echo "$LDAPS_URI")
A_CA=$(orgrbac_slapd_env "$A" && echo "$TLS_CA_FILE")
B_URI=$(orgrbac_slapd_env "$B" && echo "$LDAP_URI")
B_LDAPS=$(orgrbac_slapd_env "$B" && echo "$LDAPS_URI")
a_pid() { (orgrbac_slapd_env "$A" && echo "$SLAPD_PID"); }

conf main "$MAIN_URI"
conf main-ldaps "$MAIN_LDAPS"
conf main-starttls "$MAIN_URI" "starttls = yes"
conf pair "$A_URI $B_URI"
conf a "$A_URI"
CONF_CA=$A_CA conf a-ldaps "$A_LDAPS"
conf b "$B_URI"
conf pair-ba "$B_URI $A_URI"
CONF_CA=$A_CA conf pair-ldaps "$A_LDAPS $B_LDAPS" # one CA for both
pam_case "0 sanity" main sshd alice PAM_SUCCESS
pam_case "0 sanity" pair sudo heidi PAM_SUCCESS
pam_case "0 sanity" main mfa grace PAM_SUCCESS

echo "# 1. a server lost between the bind and the searches: UNAVAIL, never an allow"
# On a connection to A (the first URI), then A stops or dies; the decision
# neither allows nor moves to B in the middle of a session.
# check_midsession CASE CONF SIGNAL [restart]: with "restart", A is started
# again on its port before the client goes on with its searches.
check_midsession() {
	local case=$1 name=$2 sig=$3 restart=${4:-} out rc secs sync i cpid
	if [ -z "$restart" ]; then
		out=$(timeout -s KILL "$HANG" "$CLIENT" midsession "$WORK/$name.conf" alice "$sig" \
			"$(a_pid)" 2>&1)
		rc=$?
	else
		sync=$(mktemp -d "$WORK/sync.XXXXXX")
		timeout -s KILL "$HANG" "$CLIENT" midsession "$WORK/$name.conf" alice "$sig" \
			"$(a_pid)" "$sync" >"$sync/out" 2>&1 &
		cpid=$!
		for ((i = 0; i < 200; i++)); do
			[ -e "$sync/signalled" ] && break
			sleep 0.05
		done
		# in a subshell: a failed restart fails this case, not the suite
		(orgrbac_slapd_restart "$A") 2>/dev/null || ko "$case: A did not restart"
		touch "$sync/go"
		wait "$cpid"
		rc=$?
		out=$(cat "$sync/out")
	fi
	secs=$(sed -n 's/^result=[a-z-]* seconds=\([0-9]*\).*/\1/p' <<<"$out")
	if [ "$rc" -ne 0 ] || ! grep -q '^result=unavail ' <<<"$out"; then
		ko "$case: SIG$sig: wanted result=unavail, exit $rc: $(tr '\n' ' ' <<<"$out")"
	elif [ "${secs:-99}" -gt "$(bound 1)" ]; then
		ko "$case: SIG$sig: unavail after ${secs}s, over $(bound 1)s"
	else
		ok "$case: SIG$sig after the bind -> unavail (${secs}s)"
	fi
}
check_midsession "1a stopped mid-session" pair STOP
kill -CONT "$(a_pid)"
pam_case "1a the stopped server resumed" a sshd alice PAM_SUCCESS
check_midsession "1b stopped mid-session over ldaps://" a-ldaps STOP
kill -CONT "$(a_pid)"
pam_case "1b the stopped server resumed" a-ldaps sshd alice PAM_SUCCESS
check_midsession "1c killed mid-session" pair KILL
orgrbac_slapd_restart "$A" 2>/dev/null
pam_case "1c the killed server restarted" a sshd alice PAM_SUCCESS
# Killed, and back on its port before the searches: the session is not
# resumed. Over StartTLS with a bind DN, where a quiet reconnection would be
# plaintext and anonymous.
(orgrbac_slapd_env "$A" && printf '%s\n' "$LDAP_ADMIN_PW") >"$WORK/a-secret"
chmod 0600 "$WORK/a-secret"
CONF_CA=$A_CA conf a-bound "$A_URI" "starttls = yes" \
	"bind_dn = $(orgrbac_slapd_env "$A" && echo "$LDAP_ADMIN_DN")" \
	"bind_password_file = $WORK/a-secret"
pam_case "1d the control: StartTLS and a bind DN" a-bound sshd alice PAM_SUCCESS
check_midsession "1d killed and restarted mid-session" a-bound KILL restart
pam_case "1d the restarted server, a new decision" a-bound sshd alice PAM_SUCCESS

echo "# 2. a server that accepts and never answers: UNAVAIL within the timeout"
start_fake starttls-silent
conf starttls-silent "ldap://127.0.0.1:$FAKE_PORT/" "starttls = yes"
pam_case "2a StartTLS accepted, handshake unanswered" starttls-silent sshd alice \
	PAM_AUTHINFO_UNAVAIL 1
pam_case "2a StartTLS accepted, handshake unanswered" starttls-silent mfa grace \
	PAM_AUTHINFO_UNAVAIL 1
cli_case "2a StartTLS accepted, handshake unanswered" starttls-silent sshd alice 2 \
	"no directory server answered" 1
start_fake silent # kept for the failover cases below
SILENT_PORT=$FAKE_PORT
conf silent "ldap://127.0.0.1:$SILENT_PORT/"
conf silent-ldaps "ldaps://127.0.0.1:$SILENT_PORT/"
conf silent-starttls "ldap://127.0.0.1:$SILENT_PORT/" "starttls = yes"
conf silent-twice "ldap://127.0.0.1:$SILENT_PORT/ ldaps://127.0.0.1:$SILENT_PORT/"
for c in silent:"2b ldap://" silent-ldaps:"2c ldaps://" \
	silent-starttls:"2d StartTLS request unanswered" silent-twice:"2e two silent servers"; do
	name=${c%%:*} label=${c#*:} n=1
	[ "$name" != silent-twice ] || n=2
	pam_case "$label" "$name" sshd alice PAM_AUTHINFO_UNAVAIL "$n"
	pam_case "$label" "$name" mfa grace PAM_AUTHINFO_UNAVAIL "$n"
	cli_case "$label" "$name" sshd alice 2 "no directory server answered" "$n"
done

echo "# 3. failover: the first server dead, silent or stopped, the second alive"
conf dead-first "ldap://127.0.0.1:1/ $MAIN_URI"
pam_case "3a first refuses connections, second alive" dead-first sshd bob PAM_SUCCESS 1
pam_case "3a first refuses connections, second alive" dead-first sudo bob PAM_PERM_DENIED 1
conf silent-first "ldap://127.0.0.1:$SILENT_PORT/ $MAIN_URI"
pam_case "3b first silent, second alive" silent-first sshd alice PAM_SUCCESS 1
pam_case "3b first silent, second alive" silent-first mfa grace PAM_SUCCESS 1
cli_case "3b first silent, second alive" silent-first sshd alice 0 "decision: +allow" 1
conf silent-first-ldaps "ldaps://127.0.0.1:$SILENT_PORT/ $MAIN_LDAPS"
pam_case "3c first silent (ldaps), second alive" silent-first-ldaps sshd alice PAM_SUCCESS 1
stop_fake
# A real server that accepts and never answers: A, stopped.
kill -STOP "$(a_pid)"
pam_case "3d first stopped (SIGSTOP), second alive" pair sshd alice PAM_SUCCESS 1
cli_case "3d first stopped (SIGSTOP), second alive" pair sshd alice 0 "decision: +allow" 1
kill -CONT "$(a_pid)"

echo "# 4. a replicated pair: A stopped, B decides; a revocation on B; A back and caught up"
"$ORGRBAC_SLAPD_SH" stop "$A"
# Every sample user, on the survivor, as the table in etc/sample-org.ldif says.
users=0
while read -r user want_sshd want_sudo; do
	users=$((users + 1))
	got=""
	for svc in sshd sudo; do
		out=$(timeout -s KILL "$HANG" "$ORGRBAC" check "$user" --service "$svc" \
			--at "$SAMPLE_AT" --config "$WORK/pair.conf" 2>&1)
		got+="$(sed -n 's/^decision: *//p' <<<"$out") "
	done
	if [ "$got" = "$want_sshd $want_sudo " ]; then
		ok "4a A stopped, B decides: $user sshd $want_sshd, sudo $want_sudo"
	else
		ko "4a A stopped, B decides: $user: wanted $want_sshd $want_sudo, got $got"
	fi
done < <(sed -nE 's/^#   ([a-z]+) +(allow|deny|expired) +(allow|deny|expired) .*/\1 \2 \3/p' \
	"$ORGRBAC_TOP/etc/sample-org.ldif")
[ "$users" -gt 0 ] || ko "4a no table of expected decisions in etc/sample-org.ldif"
pam_case "4a A stopped, B decides" pair sshd alice PAM_SUCCESS 1
pam_case "4a A stopped, B decides" pair sudo heidi PAM_SUCCESS 1
pam_case "4a A stopped, B decides over ldaps://" pair-ldaps sshd alice PAM_SUCCESS 1
pam_case "4a A stopped, B decides" pair mfa grace PAM_SUCCESS 1
revoke "$B" cn=heidi-security,ou=grants,o=acme,dc=example,dc=com
pam_case "4b revoked on B, the next decision" pair sudo heidi PAM_PERM_DENIED 1
cli_case "4b revoked on B, the next decision" pair sudo heidi 1 "decision: +deny" 1
orgrbac_slapd_restart "$A"
if "$ORGRBAC_SLAPD_SH" sync-wait "$A" "$B" 30; then
	ok "4c A restarted and caught up with B"
else
	ko "4c A restarted and did not catch up with B in 30s"
fi
pam_case "4c A alone after catching up: the revocation" a sudo heidi PAM_PERM_DENIED
pam_case "4c A alone after catching up: the rest" a sshd alice PAM_SUCCESS
cli_case "4c A alone after catching up: the revocation" a sudo heidi 1 "decision: +deny"
# The other way round: B stopped cleanly, listed first; A decides and takes a revocation.
"$ORGRBAC_SLAPD_SH" stop "$B"
pam_case "4d B stopped, A decides" pair-ba sshd bob PAM_SUCCESS 1
revoke "$A" cn=engineering-members,ou=grants,o=acme,dc=example,dc=com
pam_case "4d revoked on A, the next decision" pair-ba sshd bob PAM_PERM_DENIED 1
orgrbac_slapd_restart "$B"
if "$ORGRBAC_SLAPD_SH" sync-wait "$A" "$B" 30; then
	ok "4e B restarted and caught up with A"
else
	ko "4e B restarted and did not catch up with A in 30s"
fi
pam_case "4e B alone after catching up: both revocations" b sshd bob PAM_PERM_DENIED
pam_case "4e B alone after catching up: both revocations" b sudo heidi PAM_PERM_DENIED
pam_case "4e B alone after catching up: the rest" b sshd alice PAM_SUCCESS
# Both up: a revocation on B reaches A by replication, not by a restart.
pam_case "4f both up, before a revocation on B" a sshd carol PAM_SUCCESS
revoke "$B" cn=carol-payments-owner,ou=grants,o=acme,dc=example,dc=com
if "$ORGRBAC_SLAPD_SH" sync-wait "$A" "$B" 30; then
	ok "4f the revocation on B replicated to A"
else
	ko "4f the revocation on B did not reach A in 30s"
fi
pam_case "4f both up, after a revocation on B, asking A" a sshd carol PAM_PERM_DENIED

echo "# 5. TLS: a certificate of the wrong CA, or for another host name, is refused"
CONF_CA=$WRONG_CA conf wrong-ca "$MAIN_LDAPS"
CONF_CA=$WRONG_CA conf wrong-ca-starttls "$MAIN_URI" "starttls = yes"
pam_case "5a right CA (ldaps), the control" main-ldaps sshd alice PAM_SUCCESS
pam_case "5a right CA (StartTLS), the control" main-starttls sshd alice PAM_SUCCESS
pam_case "5b wrong CA (ldaps)" wrong-ca sshd alice PAM_AUTHINFO_UNAVAIL 1
pam_case "5b wrong CA (ldaps)" wrong-ca mfa grace PAM_AUTHINFO_UNAVAIL 1
cli_case "5b wrong CA (ldaps)" wrong-ca sshd alice 2 "no directory server answered" 1
pam_case "5b wrong CA (StartTLS)" wrong-ca-starttls sshd alice PAM_AUTHINFO_UNAVAIL 1
cli_case "5b wrong CA (StartTLS)" wrong-ca-starttls sshd alice 2 "StartTLS failed" 1
# The right CA, but the certificate names wrong-name.invalid, not 127.0.0.1.
server_cert() { # CERT KEY: what MAIN presents from its next TLS handshake on
	(
		orgrbac_slapd_env "$MAIN"
		LDAPNOINIT=1 ldapmodify -x -H "$LDAPI_URI" -D "$LDAP_CONFIG_DN" -w "$LDAP_CONFIG_PW" \
			>/dev/null <<-EOF
			dn: cn=config
			changetype: modify
			replace: olcTLSCertificateFile
			olcTLSCertificateFile: $1
			-
			replace: olcTLSCertificateKeyFile
			olcTLSCertificateKeyFile: $2
		EOF
	)
}
if server_cert "$MAIN/tls/wrong-name.pem" "$MAIN/tls/wrong-name.key"; then
	pam_case "5c host name mismatch (ldaps)" main-ldaps sshd alice PAM_AUTHINFO_UNAVAIL 1
	cli_case "5c host name mismatch (ldaps)" main-ldaps sshd alice 2 \
		"no directory server answered" 1
	pam_case "5c host name mismatch (StartTLS)" main-starttls sshd alice PAM_AUTHINFO_UNAVAIL 1
	pam_case "5c host name mismatch (StartTLS)" main-starttls mfa grace PAM_AUTHINFO_UNAVAIL 1
	server_cert "$MAIN/tls/server.pem" "$MAIN/tls/server.key" ||
		ko "5c could not restore the server certificate"
	pam_case "5c the right name again, the control" main-ldaps sshd alice PAM_SUCCESS
else
	ko "5c could not give the server a certificate for another name"
fi

echo "# 6. plaintext to a non-loopback address: a configuration error, nothing contacted"
conf plain-remote "ldap://ldap.invalid/"
pam_case "6a ldap://ldap.invalid/" plain-remote sshd alice PAM_SERVICE_ERR
pam_case "6a ldap://ldap.invalid/" plain-remote mfa grace PAM_SERVICE_ERR
cli_case "6a ldap://ldap.invalid/" plain-remote sshd alice 2 \
	"plaintext LDAP to a non-loopback host refused"
if command -v unshare >/dev/null && command -v ip >/dev/null; then
	out=$(unshare --net "$BASH" "$0" --in-netns plaintext "$WORK" "$CA" 2>&1)
	rc=$?
	plain=$(grep '^plain ' <<<"$out")
	tls=$(grep '^starttls ' <<<"$out")
	if [ "$rc" -eq 77 ]; then
		printf 'skip 6b a listener on 192.0.2.1 in a private network namespace: %s\n' \
			"cannot create one here"
	elif [[ "$plain" == "plain exit=2 accepts=0 "*"plaintext LDAP to a non-loopback host refused"* ]] &&
		[[ "$tls" == "starttls exit=2 accepts=1 "* ]]; then
		ok "6b ldap://192.0.2.1 (a listener in our own netns): refused, 0 connections; with StartTLS: 1"
	else
		ko "6b ldap://192.0.2.1 in our own netns: $(tr '\n' ' ' <<<"$out")"
	fi
else
	printf 'skip 6b a listener in a private network namespace: no unshare or ip\n'
fi

echo "# 7. the bind password file: root-owned, private, not a symbolic link"
secret="$WORK/secret"
ldap_admin=$(orgrbac_slapd_env "$MAIN" && echo "$LDAP_ADMIN_DN")
(orgrbac_slapd_env "$MAIN" && printf '%s\n' "$LDAP_ADMIN_PW") >"$secret"
chmod 0600 "$secret"
conf bind "$MAIN_URI" "bind_dn = $ldap_admin" "bind_password_file = $secret"
pam_case "7a root, 0600, the control" bind sshd alice PAM_SUCCESS
chown 65534 "$secret"
pam_case "7b owned by uid 65534" bind sshd alice PAM_SERVICE_ERR
pam_case "7b owned by uid 65534" bind mfa grace PAM_SERVICE_ERR
cli_case "7b owned by uid 65534" bind sshd alice 2 "must be owned by root"
chown 0 "$secret"
for mode in 0640 0604 0660; do
	chmod "$mode" "$secret"
	pam_case "7c mode $mode" bind sshd alice PAM_SERVICE_ERR
	cli_case "7c mode $mode" bind sshd alice 2 "must not be (accessible|writable) by group or others"
done
# Refused before any connection: a listener in place of the server sees none.
start_fake silent
conf bind-fake "ldap://127.0.0.1:$FAKE_PORT/" "bind_dn = $ldap_admin" "bind_password_file = $secret"
pam_case "7c mode 0660, no connection made" bind-fake sshd alice PAM_SERVICE_ERR
[ "$(accepts)" -eq 0 ] || ko "7c mode 0660: the server saw $(accepts) connections, wanted 0"
stop_fake
chmod 0600 "$secret"
mv "$secret" "$secret.real"
ln -s "$secret.real" "$secret"
pam_case "7d a symbolic link to a good file" bind sshd alice PAM_SERVICE_ERR
cli_case "7d a symbolic link to a good file" bind sshd alice 2 "symbolic link"
rm -f "$secret"
mv "$secret.real" "$secret"
printf 'wrong-password\n' >"$secret"
pam_case "7e a wrong password" bind sshd alice PAM_AUTHINFO_UNAVAIL
rm -f "$secret"
pam_case "7f no such file" bind sshd alice PAM_SERVICE_ERR
cli_case "7f no such file" bind sshd alice 2 "cannot open"

echo "# 8. a server that resets, truncates or drags its answer: UNAVAIL, and no SIGPIPE reaches the process"
for mode in reset-request half-request reset-search half-search starttls-reset tls-reset \
	trickle-search huge-search; do
	start_fake "$mode"
	case $mode in
	starttls-*) conf "$mode" "ldap://127.0.0.1:$FAKE_PORT/" "starttls = yes" ;;
	tls-*) conf "$mode" "ldaps://127.0.0.1:$FAKE_PORT/" ;;
	*) conf "$mode" "ldap://127.0.0.1:$FAKE_PORT/" ;;
	esac
	pam_case "8 $mode" "$mode" sshd alice PAM_AUTHINFO_UNAVAIL 1
	pam_case "8 $mode" "$mode" mfa grace PAM_AUTHINFO_UNAVAIL 1
	cli_case "8 $mode" "$mode" sshd alice 2 "no directory server answered|failed" 1
	[ "$(accepts)" -ge 3 ] || ko "8 $mode: the fake server saw $(accepts) connections, wanted 3"
	stop_fake
done

echo "# 9. fork after a decision: both sides decide right on connections of their own"
out=$(timeout -s KILL "$HANG" "$CLIENT" fork "$WORK/pam.main" 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && [ "$(grep -c '^child: ' <<<"$out")" -eq 5 ] &&
	[ "$(grep -c '^parent: ' <<<"$out")" -eq 5 ]; then
	ok "9 fork: parent and child each made 5 right decisions, no descriptor left behind"
else
	ko "9 fork: exit $rc: $(tr '\n' ' ' <<<"$out")"
fi

echo "# 10. a name server that never answers: UNAVAIL, as soon as the resolver gives up"
# The name lookup is bounded by resolv.conf (timeout x attempts), not by
# [ldap] timeout; the listener and resolv.conf exist only in our namespaces.
if command -v unshare >/dev/null && command -v ip >/dev/null && command -v python3 >/dev/null; then
	out=$(unshare --net --mount "$BASH" "$0" --in-netns dns "$WORK" "$CA" 2>&1)
	rc=$?
	dns=$(grep '^dns ' <<<"$out")
	secs=$(sed -n 's/^dns exit=[0-9]* seconds=\([0-9]*\) .*/\1/p' <<<"$dns")
	limit=$((RESOLVER_TIMEOUT + $(bound 1)))
	if [ "$rc" -eq 77 ]; then
		printf 'skip 10 a silent name server in private namespaces: cannot create them here\n'
	elif [[ "$dns" == "dns exit=2 "*"no directory server answered"* ]] &&
		[ "${secs:-99}" -le "$limit" ]; then
		ok "10 ldaps://ldap.example.test/, the name server silent -> exit 2 (${secs}s, bound ${limit}s)"
	else
		ko "10 a silent name server: $(tr '\n' ' ' <<<"$out")"
	fi
else
	printf 'skip 10 a silent name server in private namespaces: no unshare, ip or python3\n'
fi

echo "# 11. a server that does not hold the base (a replica not yet initialized): UNAVAIL, not unknown"
# Read as "no such user", it would let every directory user through a stack
# that passes users unknown to the directory (ignore_unknown_user).
orgrbac_slapd_start --empty
EMPTY_URI=$LDAP_URI
conf empty "$EMPTY_URI"
pam_case "11 control: a user unknown to a real directory passes" main local nobody PAM_SUCCESS
pam_case "11 control: a denied user is denied" main local erin PAM_PERM_DENIED
pam_case "11 empty server" empty local erin PAM_AUTHINFO_UNAVAIL 1
pam_case "11 empty server" empty sshd alice PAM_AUTHINFO_UNAVAIL 1
pam_case "11 empty server" empty mfa grace PAM_AUTHINFO_UNAVAIL 1
cli_case "11 empty server" empty sshd alice 2 "does not hold the base dc=example,dc=com" 1

echo "# 12. orgrbac sync against a faulty server: the snapshot is left as it was"
# sync_case CASE CONF EXIT: exits EXIT, says so, and the snapshot is unchanged.
sync_case() {
	local case=$1 name=$2 want=$3 out rc t0 t1 secs
	t0=$(usec)
	out=$(timeout -s KILL "$HANG" "$ORGRBAC" sync --config "$WORK/$name.conf" 2>&1)
	rc=$?
	t1=$(usec)
	secs=$(((t1 - t0) / 1000000))
	if [ "$rc" -ne "$want" ]; then
		ko "$case: orgrbac sync exited $rc, wanted $want: $(tr '\n' ' ' <<<"$out")"
	elif [ "$want" -ne 0 ] && ! grep -q "left as it was" <<<"$out"; then
		ko "$case: orgrbac sync: $(tr '\n' ' ' <<<"$out")"
	elif [ "$want" -ne 0 ] && ! cmp -s "$WORK/snapshot.db" "$WORK/snapshot.good"; then
		ko "$case: the snapshot changed"
	elif [ "$secs" -gt "$(bound 1)" ]; then
		ko "$case: orgrbac sync took ${secs}s, over $(bound 1)s"
	else
		ok "$case: orgrbac sync -> exit $rc, snapshot $([ "$want" -eq 0 ] && echo written || echo unchanged) (${secs}s)"
	fi
}
sync_case "12 control" main 0
cp "$WORK/snapshot.db" "$WORK/snapshot.good"
sync_case "12 empty server" empty 1
for mode in reset-search half-search trickle-search silent; do
	start_fake "$mode"
	conf "sync-$mode" "ldap://127.0.0.1:$FAKE_PORT/"
	sync_case "12 $mode" "sync-$mode" 1
	stop_fake
done

echo "# 13. offline = snapshot: every fault that leaves no server to answer falls back to the snapshot"
# The snapshot of case 12 (written from the sample organization a moment ago)
# decides the account question; the 2FA exemption is never granted offline,
# and a configuration error never falls back.
start_fake silent
CONF_PAM="offline = snapshot" conf off-silent "ldap://127.0.0.1:$FAKE_PORT/"
pam_case "13 silent server, offline" off-silent sshd alice PAM_SUCCESS 1
pam_case "13 silent server, offline" off-silent sudo bob PAM_PERM_DENIED 1
pam_case "13 silent server, offline" off-silent mfa grace PAM_AUTHINFO_UNAVAIL 1
start_fake reset-search
CONF_PAM="offline = snapshot" conf off-reset "ldap://127.0.0.1:$FAKE_PORT/"
pam_case "13 reset mid-answer, offline" off-reset sshd alice PAM_SUCCESS 1
pam_case "13 reset mid-answer, offline" off-reset sudo bob PAM_PERM_DENIED 1
stop_fake
CONF_PAM="offline = snapshot" conf off-empty "$EMPTY_URI"
pam_case "13 empty server, offline" off-empty sshd alice PAM_SUCCESS 1
pam_case "13 empty server, offline" off-empty sudo bob PAM_PERM_DENIED 1
CONF_PAM="offline = snapshot" CONF_CA=$WRONG_CA conf off-wrong-ca "$MAIN_LDAPS"
pam_case "13 wrong CA, offline" off-wrong-ca sshd alice PAM_SUCCESS 1
CONF_PAM="offline = snapshot" conf off-plain "ldap://ldap.invalid/"
pam_case "13 plaintext refused: a configuration error, no fallback" off-plain sshd alice \
	PAM_SERVICE_ERR

echo "# 14. referrals and partial results on any search of a decision: denied, never unknown, never followed"
# fake_ldap's proxy modes relay a decision to MAIN and change the answer to
# its Nth search: with memberOf, alice's decision searches 1 her entry, 2 the
# nested groups, 3 the grants, 4 the roles, 5 the external-access entries.
# Every referral names a silent listener that must never see a connection.
# The 2FA exemption is never granted: the module answers PAM_IGNORE, which
# libpam reports as PAM_PERM_DENIED for a stack that nothing decided.
# nosuchobject changes only searches that find entries (alice's second one
# finds none: that is vanish, below).
SECONDS_14=$SECONDS
REF_PID=""
stop_ref() {
	[ -n "$REF_PID" ] || return 0
	kill "$REF_PID" 2>/dev/null
	wait "$REF_PID" 2>/dev/null
	REF_PID=""
}
orgrbac_at_exit stop_ref
ref_dir=$(mktemp -d "$WORK/ref.XXXXXX")
"$FAKE" silent "$ref_dir/port" >"$ref_dir/accepts" 2>"$ref_dir/err" &
REF_PID=$!
for ((i = 0; i < 200; i++)); do
	[ -s "$ref_dir/port" ] && break
	sleep 0.05
done
[ -s "$ref_dir/port" ] || fail "the referral target did not start: $(cat "$ref_dir/err")"
REF_URI="ldap://127.0.0.1:$(cat "$ref_dir/port")/ou=elsewhere,o=acme,dc=example,dc=com"
MAIN_PORT=${MAIN_URI##*:}
MAIN_PORT=${MAIN_PORT%/}
# alice's decision searches: 1 the user in the host's organization, 2 her
# groups, 3 the organization's grants, 4 the platform grants, 5 the roles,
# 6 the external-access entries.
# The server's own size, time or administrative limit says nothing about the
# user: unavailable (offline = snapshot decides), with the limit named; every
# other spoiled answer denies.
for mode in refs referral sizelimit timelimit adminlimit critical nosuchobject; do
	limit=no
	case $mode in sizelimit | timelimit | adminlimit) limit=yes ;; esac
	for n in 1 2 3 4 5 6; do
		[ "$mode" != nosuchobject ] || [ "$n" -ne 2 ] || continue
		FAKE_ARGS=(-u "$MAIN_PORT" -n "$n" -r "$REF_URI")
		start_fake "$mode"
		conf px "ldap://127.0.0.1:$FAKE_PORT/"
		CONF_PAM="offline = snapshot" conf px-off "ldap://127.0.0.1:$FAKE_PORT/"
		label="14 $mode on search $n"
		# noSuchObject with no entry on the platform grants: none, as for vanish below
		want=PAM_PERM_DENIED
		[ "$limit" = no ] || want=PAM_AUTHINFO_UNAVAIL
		[ "$mode" != nosuchobject ] || [ "$n" -ne 4 ] || want=PAM_SUCCESS
		pam_case "$label" px sshd alice "$want"
		grep -q "^changed $n $mode$" "$FAKE_LOG" ||
			ko "$label: the decision made no search $n: $(grep '^search' "$FAKE_LOG" | tr '\n' ' ')"
		pam_case "$label" px mfa grace "$want"
		if [ "$n" -eq 1 ] || [ "$n" -eq 6 ]; then
			if [ "$limit" = yes ]; then
				pam_case "$label, offline = snapshot: the snapshot decides" px-off \
					sshd alice PAM_SUCCESS
			else
				pam_case "$label, offline = snapshot: no fallback" px-off sshd alice \
					PAM_PERM_DENIED
			fi
		fi
		if [ "$n" -eq 1 ] && [ "$limit" = yes ]; then
			pam_case "$label" px local alice PAM_AUTHINFO_UNAVAIL
			pam_case "$label" px local nobody PAM_AUTHINFO_UNAVAIL
			cli_case "$label" px sshd alice 2 \
				"the server's (size|time|administrative) limit stopped the search" 1
		elif [ "$n" -eq 1 ]; then
			# not "unknown": through the stack that lets unknown users pass
			pam_case "$label" px local alice PAM_PERM_DENIED
			[ "$mode" = nosuchobject ] || pam_case "$label" px local nobody PAM_PERM_DENIED
			cli_case "$label" px sshd alice 2 "referral|partial answer|ambiguous" 1
		fi
		[ "$n" -ne 6 ] || pam_case "$label (an external user)" px sshd uma "$want"
	done
	# orgrbac sync: 1 is the check for the base, 2-6 the paged searches of the
	# image; a server's limit is "unavailable" (exit 1), the old snapshot kept
	cp "$WORK/snapshot.good" "$WORK/snapshot.db"
	for n in 1 2 3 4 5 6; do
		FAKE_ARGS=(-u "$MAIN_PORT" -n "$n" -r "$REF_URI")
		start_fake "$mode"
		conf px-sync "ldap://127.0.0.1:$FAKE_PORT/"
		sync_case "14 $mode on search $n" px-sync "$([ "$limit" = yes ] && echo 1 || echo 2)"
		grep -q "^changed $n $mode$" "$FAKE_LOG" || ko "14 $mode: sync made no search $n"
	done
done
# A page whose paging control does not parse must not pass for the last page:
# sync fails and keeps the snapshot (2-6 are the paged searches of the image).
cp "$WORK/snapshot.good" "$WORK/snapshot.db"
for n in 2 3 4 5 6; do
	FAKE_ARGS=(-u "$MAIN_PORT" -n "$n")
	start_fake badpage
	conf px-sync "ldap://127.0.0.1:$FAKE_PORT/"
	sync_case "14 badpage on search $n" px-sync 2
	grep -q "^changed $n badpage$" "$FAKE_LOG" || ko "14 badpage: sync made no search $n"
done
# noSuchObject alone: the server does not hold a base that must exist, on
# whichever search: UNAVAIL (the snapshot decides with offline = snapshot),
# never "unknown" and never an organization without external-access entries.
# The platform grants (search 4) are the one base a directory may lack: read
# as none, which only narrows (alice and grace hold acme's own grants).
for n in 1 2 3 4 5 6; do
	FAKE_ARGS=(-u "$MAIN_PORT" -n "$n")
	start_fake vanish
	conf px "ldap://127.0.0.1:$FAKE_PORT/"
	label="14 vanish on search $n"
	want=PAM_AUTHINFO_UNAVAIL
	[ "$n" -ne 4 ] || want=PAM_SUCCESS
	pam_case "$label" px sshd alice "$want"
	grep -q "^changed $n vanish$" "$FAKE_LOG" || ko "$label: the decision made no search $n"
	pam_case "$label" px mfa grace "$want"
	[ "$n" -ne 1 ] || pam_case "$label" px local nobody PAM_AUTHINFO_UNAVAIL
	[ "$n" -ne 1 ] || cli_case "$label" px sshd alice 2 "does not hold the base" 1
	[ "$n" -ne 6 ] || pam_case "$label (an external user)" px sshd uma PAM_AUTHINFO_UNAVAIL
done
cp "$WORK/snapshot.good" "$WORK/snapshot.db"
for n in 1 2 3 4 5 6; do
	FAKE_ARGS=(-u "$MAIN_PORT" -n "$n")
	start_fake vanish
	conf px-sync "ldap://127.0.0.1:$FAKE_PORT/"
	sync_case "14 vanish on search $n" px-sync 1
done
FAKE_ARGS=(-u "$MAIN_PORT")
start_fake proxy
conf px "ldap://127.0.0.1:$FAKE_PORT/"
pam_case "14 control: the proxy changing nothing" px sshd alice PAM_SUCCESS
[ "$(grep -c '^search ' "$FAKE_LOG")" -eq 6 ] ||
	ko "14 control: $(grep -c '^search ' "$FAKE_LOG") searches in alice's decision, wanted 6"
pam_case "14 control: the proxy changing nothing" px local nobody PAM_SUCCESS
pam_case "14 control: the proxy changing nothing" px mfa grace PAM_SUCCESS
conf px-sync "ldap://127.0.0.1:$FAKE_PORT/"
sync_case "14 control: the proxy changing nothing" px-sync 0
stop_fake
FAKE_ARGS=()

# A real referral from slapd (a referral object in the organization), over
# ldaps:// and StartTLS: every search of the organization answers with a
# continuation reference to a plaintext URI, which is never followed.
ORGRBAC_SLAPD_DIR=$MAIN ldapmodify_admin -a >/dev/null <<-LDIF || ko "14 cannot add a referral object"
	dn: ou=elsewhere,o=acme,dc=example,dc=com
	objectClass: referral
	objectClass: extensibleObject
	ou: elsewhere
	ref: $REF_URI
LDIF
pam_case "14 a referral object in slapd (ldaps)" main-ldaps sshd alice PAM_PERM_DENIED
pam_case "14 a referral object in slapd (StartTLS)" main-starttls sshd alice PAM_PERM_DENIED
pam_case "14 a referral object in slapd (StartTLS)" main-starttls mfa grace PAM_PERM_DENIED
pam_case "14 a referral object in slapd" main local nobody PAM_PERM_DENIED
cli_case "14 a referral object in slapd (ldaps)" main-ldaps sshd alice 2 "not followed"
cp "$WORK/snapshot.good" "$WORK/snapshot.db"
sync_case "14 a referral object in slapd" main 2
ORGRBAC_SLAPD_DIR=$MAIN ldapmodify_admin -M >/dev/null <<-LDIF || ko "14 cannot delete the referral object"
	dn: ou=elsewhere,o=acme,dc=example,dc=com
	changetype: delete
LDIF
pam_case "14 the referral object deleted, the control" main-ldaps sshd alice PAM_SUCCESS
refs=$(grep -c '^accept$' "$ref_dir/accepts")
if [ "$refs" -eq 0 ]; then
	ok "14 no referral was followed: the URI they named saw no connection"
else
	ko "14 a referral was followed: the URI it named saw $refs connections"
fi
stop_ref
echo "# (section 14 took $((SECONDS - SECONDS_14)) s)"

printf 'faults: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
