#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End to end: real sshd and sudo through pam_orgrbac against a throwaway slapd, in a private mount namespace.
#
# As root, this enters `unshare --mount --pid` and mounts test copies of
# /etc/passwd, /etc/shadow, /etc/group, /etc/sudoers and /etc/pam.d/{sshd,
# sudo,login} over the real ones, tmpfs over /run, /var/log and
# /var/lib/sudo, and a /dev whose log socket is ours, so that the decisions
# pam_orgrbac logs can be read back. Nothing on the host changes; sshd
# listens on a free loopback port and dies with the PID namespace, however
# the test ends. The PAM files are the samples of etc/pam.d/ with the
# module's absolute path and a test configuration; sshd runs with the
# sample etc/sshd_config.d/orgrbac.conf, with it less its
# AuthenticationMethods line (keyboard-interactive alone must not let a
# 2FA-exempt user in on no credential), and with keys only.
. "$(dirname "$0")/../lib/lib.sh"

# Users of the sample organization (see etc/sample-org.ldif), plus ghost,
# a local account the directory does not know.
USERS="alice bob erin uma grace ghost"
declare -A UIDS=([alice]=10001 [bob]=10002 [erin]=10005 [uma]=10131 [grace]=10007 [ghost]=10999)

ok=0
bad=0
pass() {
	ok=$((ok + 1))
	printf 'ok %s\n' "$*"
	orgrbac_progress_case "ok $*"
}
flunk() {
	bad=$((bad + 1))
	printf 'not ok %s\n' "$*"
	orgrbac_progress_case "not ok $*"
}

# The decisions pam_orgrbac logged for USER through SERVICE, from our /dev/log.
logged() {
	grep -a "pam_orgrbac($2:$3): .*; user=$1 service=$2 " "$T/syslog" || true
}

# expect_log USER SERVICE TYPE RESULT: the newest line of USER is RESULT, at authpriv.
expect_log() {
	local line
	line=$(logged "$1" "$2" "$3" | tail -n 1)
	if [ -n "$line" ] && grep -q "result=$4 reason=." <<<"$line" &&
		grep -qE '^<8[0-7]>' <<<"$line"; then
		pass "$2 $3 logged $4 for $1: ${line#*reason=}"
	else
		flunk "$2 $3 did not log $4 for $1 (got: ${line:-nothing})"
	fi
}

# ssh_as USER [ssh options]: run a command as USER on the test sshd; prints its marker.
ssh_as() {
	local user=$1
	shift
	timeout 60 ssh -F /dev/null -p "$PORT" -i "$T/keys/$user" -o IdentitiesOnly=yes \
		-o UserKnownHostsFile="$T/known_hosts" -o StrictHostKeyChecking=yes \
		-o ConnectTimeout=20 -o LogLevel=ERROR "$@" "$user@127.0.0.1" \
		'echo "orgrbac-e2e-shell-$(id -un)"' </dev/null 2>>"$T/ssh.err"
}

# Key only: BatchMode, no prompt possible.
key_login() {
	ssh_as "$1" -o BatchMode=yes -o PreferredAuthentications=publickey
}

# Key and then keyboard-interactive, without a terminal; the askpass script
# gives the code (a wrong one with a second argument, nothing with "none")
# and notes each prompt.
twofa_login() (
	export ORGRBAC_E2E_USER=$1 ORGRBAC_E2E_CODE=${2:-right}
	export SSH_ASKPASS="$T/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=none
	ssh_as "$1" -o BatchMode=no -o NumberOfPasswordPrompts=1 \
		-o PreferredAuthentications=publickey,keyboard-interactive
)

# No key at all, only keyboard-interactive; the code as for twofa_login.
nokey_login() (
	export ORGRBAC_E2E_USER=$1 ORGRBAC_E2E_CODE=${2:-right}
	export SSH_ASKPASS="$T/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=none
	ssh_as "$1" -o BatchMode=no -o NumberOfPasswordPrompts=1 -o PubkeyAuthentication=no \
		-o PreferredAuthentications=keyboard-interactive
)

# asked USER: the askpass script saw a code prompt for USER since the log was emptied.
asked() {
	grep -q "^$1 .*One-time password" "$T/askpass.log"
}

# start_sshd MODE [EXPOSE]: sshd with the test's own lines (port, keys, logs)
# and then, by MODE: "publickey", keys only; "sample", the shipped
# etc/sshd_config.d/orgrbac.conf; "no-methods", that sample without its
# AuthenticationMethods line (keyboard-interactive is then a login method of
# its own). EXPOSE is sshd's ExposeAuthInfo (default no).
start_sshd() {
	local mode=$1 i sample="$ORGRBAC_TOP/etc/sshd_config.d/orgrbac.conf"
	{
		sed "s/@EXPOSE@/${2:-no}/" "$T/sshd_config.in"
		case $mode in
		publickey)
			printf 'UsePAM yes\nPubkeyAuthentication yes\nPasswordAuthentication no\n'
			printf 'KbdInteractiveAuthentication yes\nAuthenticationMethods publickey\n'
			;;
		sample) cat "$sample" ;;
		no-methods) grep -v '^AuthenticationMethods' "$sample" ;;
		*) fail "start_sshd: unknown mode $mode" ;;
		esac
	} >"$T/sshd_config"
	/usr/sbin/sshd -t -f "$T/sshd_config" || fail "sshd rejects its test configuration"
	/usr/sbin/sshd -D -f "$T/sshd_config" -E "$T/sshd.log" &
	SSHD_PID=$!
	for ((i = 0; i < 200; i++)); do
		if timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" 2>/dev/null; then
			return 0
		fi
		kill -0 "$SSHD_PID" 2>/dev/null || fail "sshd exited: $(tail -n 5 "$T/sshd.log")"
		sleep 0.1
	done
	fail "sshd did not listen on 127.0.0.1:$PORT"
}

stop_sshd() {
	if [ -n "${SSHD_PID:-}" ]; then
		kill "$SSHD_PID" 2>/dev/null || true
		wait "$SSHD_PID" 2>/dev/null || true
		SSHD_PID=
	fi
}

# Our own /dev: the real device nodes, and a log socket we read.
private_dev() {
	mkdir -p "$T/realdev"
	mount -n --rbind /dev "$T/realdev"
	mount -n -t tmpfs -o mode=755,nosuid tmpfs /dev
	for n in null zero full random urandom tty; do
		touch "/dev/$n"
		mount -n --bind "$T/realdev/$n" "/dev/$n"
	done
	mkdir /dev/pts /dev/shm
	mount -n --rbind "$T/realdev/pts" /dev/pts
	mount -n --rbind "$T/realdev/shm" /dev/shm
	ln -s pts/ptmx /dev/ptmx
	ln -s /proc/self/fd /dev/fd
	ln -s /proc/self/fd/0 /dev/stdin
	ln -s /proc/self/fd/1 /dev/stdout
	ln -s /proc/self/fd/2 /dev/stderr
	python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
os.chmod("/dev/log", 0o666)
out = open(sys.argv[1], "ab", buffering=0)
open(sys.argv[1] + ".ready", "w").close()
while True:
    out.write(s.recv(8192).rstrip(b"\0\n") + b"\n")
' "$T/syslog" &
	for ((i = 0; i < 100; i++)); do
		[ -e "$T/syslog.ready" ] && return 0
		sleep 0.1
	done
	fail "no log socket"
}

# login_stack USER WANT [LABEL]: the login sample's account stack through
# pamtester passes USER (WANT 0) or refuses it (WANT 1).
login_stack() {
	local rc=0
	pamtester login "$1" acct_mgmt >>"$T/sudo.err" 2>&1 || rc=$?
	if { [ "$2" = 0 ] && [ "$rc" -eq 0 ]; } || { [ "$2" = 1 ] && [ "$rc" -ne 0 ]; }; then
		pass "${3:-}login account stack for $1: exit $rc"
	else
		flunk "${3:-}login account stack for $1: exit $rc"
	fi
}

# A typo in the configuration locks nobody but the judged out: root logs in
# by key and through the console's account stack, with the shipped lines
# (ignore_users=root) and with the built-in floor alone; alice is refused
# everywhere; each line names the file, line and key.
broken_configuration() {
	local rc out line
	echo "# a broken configuration: root still gets in, everyone else is refused"
	cp "$T/orgrbac.conf" "$T/orgrbac.conf.good"
	sed -i 's|^base = |bind_pasword_file = /etc/orgrbac.secret\nbase = |' "$T/orgrbac.conf"
	start_sshd publickey
	if [ "$(key_login root)" = orgrbac-e2e-shell-root ]; then
		pass "broken configuration: root logs in by key"
	else
		flunk "broken configuration: root was refused by key"
	fi
	expect_log root sshd account PAM_IGNORE
	if out=$(key_login alice); then
		flunk "broken configuration: alice got a shell: $out"
	else
		pass "broken configuration: alice is refused by key"
	fi
	expect_log alice sshd account PAM_SERVICE_ERR
	stop_sshd
	login_stack root 0 "broken configuration: "
	login_stack alice 1 "broken configuration: "
	expect_log root login account PAM_IGNORE
	expect_log alice login account PAM_SERVICE_ERR
	rc=0
	sudo -n true 2>>"$T/sudo.err" || rc=$?
	if [ "$rc" -eq 0 ]; then
		pass "broken configuration: sudo as root"
	else
		flunk "broken configuration: sudo as root: exit $rc"
	fi
	rc=0
	setpriv --reuid="${UIDS[alice]}" --regid=10000 --clear-groups -- \
		sudo -n true 2>>"$T/sudo.err" || rc=$?
	if [ "$rc" -ne 0 ]; then
		pass "broken configuration: sudo as alice is refused"
	else
		flunk "broken configuration: sudo as alice: exit 0"
	fi
	expect_log alice sudo account PAM_SERVICE_ERR
	# The floor alone: the console's file without ignore_users=root, written
	# in place (the bind mount holds the file's inode).
	cp "$T/etc/pam.d/login" "$T/login.shipped"
	sed 's/ ignore_users=root//' "$T/login.shipped" >"$T/etc/pam.d/login"
	rc=0
	pamtester login root acct_mgmt >>"$T/sudo.err" 2>&1 || rc=$?
	line=$(logged root login account | tail -n 1)
	if [ "$rc" -eq 0 ] && grep -q 'orgrbac.conf:3: \[ldap\] bind_pasword_file: unknown key; passed through: root (uid 0), the built-in floor' <<<"$line" &&
		grep -qE '^<83>' <<<"$line"; then
		pass "broken configuration, no ignore_users=: root passes by the floor, logged as an error"
	else
		flunk "broken configuration, no ignore_users=: root: exit $rc, ${line:-no line}"
	fi
	cat "$T/login.shipped" >"$T/etc/pam.d/login"
	cp "$T/orgrbac.conf.good" "$T/orgrbac.conf"
}

inside() {
	T=$1
	. "$T/env"
	# mount(8) keeps no table (-n), and libmount's lock goes here, not to the host's /run.
	export LIBMOUNT_UTAB="$T/utab"
	orgrbac_at_exit stop_sshd

	# Our test copies over the real files, for this namespace only.
	mount -n -t tmpfs -o mode=755 tmpfs /run
	mkdir -m 755 /run/sshd
	mount -n -t tmpfs tmpfs /var/log
	[ ! -d /var/lib/sudo ] || mount -n -t tmpfs -o mode=711 tmpfs /var/lib/sudo
	for f in passwd shadow group sudoers pam.d/sshd pam.d/sudo pam.d/login; do
		mount -n --bind "$T/etc/$f" "/etc/$f"
	done
	private_dev

	echo "# public key only: the account gate decides"
	start_sshd publickey
	for u in alice bob; do
		if [ "$(key_login "$u")" = "orgrbac-e2e-shell-$u" ]; then
			pass "ssh: $u logs in by key and runs a command"
		else
			flunk "ssh: $u was refused"
		fi
		expect_log "$u" sshd account PAM_SUCCESS
	done
	for u in erin:PAM_PERM_DENIED uma:PAM_ACCT_EXPIRED ghost:PAM_USER_UNKNOWN; do
		if out=$(key_login "${u%%:*}"); then
			flunk "ssh: ${u%%:*} got a shell: $out"
		else
			pass "ssh: ${u%%:*} is refused"
		fi
		expect_log "${u%%:*}" sshd account "${u#*:}"
	done
	stop_sshd

	echo "# the shipped sshd_config sample: a public key, then a one-time code that 2FA-exempt users skip"
	start_sshd sample
	: >"$T/askpass.log"
	if [ "$(twofa_login grace none)" = orgrbac-e2e-shell-grace ] &&
		! grep -q '^grace ' "$T/askpass.log"; then
		pass "2FA: grace (2FA-exempt) logs in with her key and is not asked for a code"
	else
		flunk "2FA: grace was refused or asked for a code ($(cat "$T/askpass.log"))"
	fi
	expect_log grace sshd auth PAM_SUCCESS
	: >"$T/askpass.log"
	if out=$(nokey_login grace none); then
		flunk "2FA: grace got a shell with no key and no code: $out"
	elif asked grace; then
		flunk "2FA: grace was asked for a code without a key first"
	else
		pass "2FA: grace without a key is refused before any code (publickey first)"
	fi
	if out=$(twofa_login alice wrong); then
		flunk "2FA: alice got a shell with a wrong code: $out"
	else
		pass "2FA: alice is refused with a wrong code"
	fi
	expect_log alice sshd auth PAM_IGNORE
	: >"$T/askpass.log"
	if [ "$(twofa_login alice)" = orgrbac-e2e-shell-alice ] &&
		grep -q '^alice .*One-time password' "$T/askpass.log"; then
		pass "2FA: alice is asked for a code and logs in with it"
	else
		flunk "2FA: alice did not log in with a code ($(cat "$T/askpass.log"))"
	fi
	if out=$(twofa_login erin); then
		flunk "2FA: erin got a shell: $out"
	else
		pass "2FA: erin gives a good code and is still refused by the account gate"
	fi
	expect_log erin sshd account PAM_PERM_DENIED
	# With the directory down the bypass falls through: grace must give a
	# code, and the account gate then refuses everyone.
	cp "$T/orgrbac.conf" "$T/orgrbac.conf.up"
	sed -i 's|^uri = .*|uri = ldap://127.0.0.1:1/|' "$T/orgrbac.conf"
	: >"$T/askpass.log"
	if out=$(twofa_login grace); then
		flunk "2FA: grace got a shell with the directory down: $out"
	elif grep -q '^grace .*One-time password' "$T/askpass.log"; then
		pass "2FA: with the directory down grace is asked for a code, then refused"
	else
		flunk "2FA: with the directory down grace was not asked for a code"
	fi
	expect_log grace sshd auth PAM_AUTHINFO_UNAVAIL
	expect_log grace sshd account PAM_AUTHINFO_UNAVAIL
	cp "$T/orgrbac.conf.up" "$T/orgrbac.conf"
	stop_sshd

	# sshd puts SSH_AUTH_INFO_0 into the PAM environment whether or not it
	# also exposes it to the session.
	echo "# the shipped sample with ExposeAuthInfo yes"
	start_sshd sample yes
	: >"$T/askpass.log"
	if [ "$(twofa_login grace none)" = orgrbac-e2e-shell-grace ] && ! asked grace; then
		pass "2FA, ExposeAuthInfo yes: grace logs in with her key and is not asked for a code"
	else
		flunk "2FA, ExposeAuthInfo yes: grace was refused or asked ($(cat "$T/askpass.log"))"
	fi
	expect_log grace sshd auth PAM_SUCCESS
	stop_sshd

	# A forgotten AuthenticationMethods line: keyboard-interactive is a login
	# method of its own, so no key was verified first and the exemption
	# declines: everyone, exempt or not, must give the code.
	echo "# the sample without AuthenticationMethods: plain UsePAM and keyboard-interactive"
	start_sshd no-methods
	: >"$T/askpass.log"
	if out=$(nokey_login grace none); then
		flunk "2FA: grace got a shell with no key and no code: $out"
	elif asked grace; then
		pass "2FA: grace without a key is asked for a code, and refused without one"
	else
		flunk "2FA: grace without a key was refused but never asked for a code"
	fi
	expect_log grace sshd auth PAM_IGNORE
	if logged grace sshd auth | tail -n 1 | grep -q "set 'AuthenticationMethods publickey,keyboard-interactive'"; then
		pass "2FA: the log line tells the administrator to set AuthenticationMethods"
	else
		flunk "2FA: the log line does not say what to set: $(logged grace sshd auth | tail -n 1)"
	fi
	if out=$(nokey_login grace wrong); then
		flunk "2FA: grace got a shell with no key and a wrong code: $out"
	else
		pass "2FA: grace without a key is refused with a wrong code"
	fi
	: >"$T/askpass.log"
	if [ "$(twofa_login grace none)" = orgrbac-e2e-shell-grace ] && ! asked grace; then
		pass "2FA: grace with her key logs in and is not asked for a code"
	else
		flunk "2FA: grace with her key was refused or asked ($(cat "$T/askpass.log"))"
	fi
	expect_log grace sshd account PAM_SUCCESS
	: >"$T/askpass.log"
	# bob: alice's code of this 30-second step is spent (pam_oath refuses a replay)
	if out=$(nokey_login bob none); then
		flunk "2FA: bob got a shell with no key and no code: $out"
	elif asked bob; then
		pass "2FA: bob (not exempt) without a key is asked for a code, and refused without one"
	else
		flunk "2FA: bob without a key was refused but never asked for a code"
	fi
	expect_log bob sshd auth PAM_IGNORE
	: >"$T/askpass.log"
	if [ "$(nokey_login bob)" = orgrbac-e2e-shell-bob ] && asked bob; then
		pass "2FA: bob without a key logs in with a code"
	else
		flunk "2FA: bob did not log in with a code ($(cat "$T/askpass.log"))"
	fi
	expect_log bob sshd account PAM_SUCCESS
	stop_sshd

	echo "# login: the shipped sample's account stack, through pamtester"
	for u in alice:0 erin:1 uma:1; do
		login_stack "${u%%:*}" "${u#*:}"
	done
	expect_log alice login account PAM_SUCCESS
	expect_log erin login account PAM_PERM_DENIED
	expect_log uma login account PAM_ACCT_EXPIRED

	echo "# sudo: the account stack, with sudoers allowing everyone"
	for u in alice:0 bob:1 uma:1; do
		user=${u%%:*}
		rc=0
		setpriv --reuid="${UIDS[$user]}" --regid=10000 --clear-groups -- \
			sudo -n true 2>>"$T/sudo.err" || rc=$?
		if { [ "${u#*:}" = 0 ] && [ "$rc" -eq 0 ]; } ||
			{ [ "${u#*:}" = 1 ] && [ "$rc" -ne 0 ]; }; then
			pass "sudo -n true as $user: exit $rc"
		else
			flunk "sudo -n true as $user: exit $rc"
		fi
	done
	expect_log alice sudo account PAM_SUCCESS
	expect_log bob sudo account PAM_PERM_DENIED
	expect_log uma sudo account PAM_ACCT_EXPIRED

	# One line per decision: 5 key logins; with the sample, 5 logins with
	# 2FA (4 auth and account decisions, and alice's wrong code stops before
	# the account stack; grace without a key never reaches PAM); with
	# ExposeAuthInfo, 1 login (auth and account); without
	# AuthenticationMethods, 3 refused keyboard-interactive attempts (auth
	# only), grace's key login (account only) and bob's code (auth and
	# account); 3 login account stacks, 3 sudo.
	n=$(grep -ac 'pam_orgrbac(' "$T/syslog" || true)
	if [ "$n" -eq 28 ]; then
		pass "one log line per decision (28)"
	else
		flunk "expected 28 decision lines, found $n"
		grep -a 'pam_orgrbac(' "$T/syslog" || true
	fi
	broken_configuration
	echo "end-to-end: $ok passed, $bad failed"
	if [ "$bad" -ne 0 ]; then
		echo "---- sshd log"
		tail -n 40 "$T/sshd.log" || true
		echo "---- ssh and sudo errors"
		tail -n 20 "$T/ssh.err" "$T/sudo.err" 2>/dev/null || true
		exit 1
	fi
	exit 0
}

if [ "${1:-}" = --inside ]; then
	inside "$2"
fi

[ "$(id -u)" -eq 0 ] || skip "needs root: a private mount namespace, sshd on a loopback port and sudo"
missing=()
for tool in /usr/sbin/sshd ssh ssh-keygen sudo oathtool pamtester unshare setpriv python3 timeout nm; do
	command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
pam_oath=
for f in /lib/*/security/pam_oath.so /usr/lib/*/security/pam_oath.so; do
	[ -e "$f" ] && pam_oath=$f && break
done
[ -n "$pam_oath" ] || missing+=("pam_oath.so (libpam-oath)")
[ "${#missing[@]}" -eq 0 ] || skip "needs ${missing[*]} (scripts/install-deps.sh)"
builddir=${top_builddir:-$ORGRBAC_TOP/build}
module="$builddir/.libs/pam_orgrbac.so"
[ -f "$module" ] || fail "$module not built"

# Only the PAM entry points are exported.
exported=$(nm -D --defined-only "$module" | awk '{ print $3 }' | sort | tr '\n' ' ')
[ "$exported" = "pam_sm_acct_mgmt pam_sm_authenticate pam_sm_setcred " ] ||
	fail "$module exports more than pam_sm_*: $exported"

orgrbac_slapd_start
T=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-e2e.XXXXXX")
orgrbac_at_exit "rm -rf '$T'"
# sshd reads authorized_keys as the user: the homes must be reachable.
chmod 755 "$T"
mkdir -p "$T/etc/pam.d" "$T/keys" "$T/home"

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$T/env" <<ENV
PORT=$PORT
ENV

orgrbac_write_conf "$T/orgrbac.conf" ldap.timeout=3 "service login.require=host:login"

# The user database: the host's, plus the sample users with homes in $T.
cp /etc/passwd /etc/shadow /etc/group "$T/etc/"
echo "orgusers:x:10000:" >>"$T/etc/group"
for u in $USERS; do
	echo "$u:x:${UIDS[$u]}:10000:$u:$T/home/$u:/bin/sh" >>"$T/etc/passwd"
	echo "$u:*:20000:0:99999:7:::" >>"$T/etc/shadow"
	install -d -m 755 -o "${UIDS[$u]}" -g 10000 "$T/home/$u"
	install -d -m 700 -o "${UIDS[$u]}" -g 10000 "$T/home/$u/.ssh"
	ssh-keygen -q -t ed25519 -N '' -C "$u" -f "$T/keys/$u"
	install -m 600 -o "${UIDS[$u]}" -g 10000 "$T/keys/$u.pub" "$T/home/$u/.ssh/authorized_keys"
	# A TOTP secret per user; pam_oath rewrites this file as codes are used.
	secret=$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')
	echo "$secret" >"$T/keys/$u.oath"
	echo "HOTP/T30/6 $u - $secret" >>"$T/users.oath"
done
chmod 600 "$T/users.oath"
# root logs in by key (prohibit-password) from a home of the test's own.
sed -i "s|^\(root:[^:]*:0:0:[^:]*\):[^:]*:|\1:$T/home/root:|" "$T/etc/passwd"
install -d -m 700 "$T/home/root" "$T/home/root/.ssh"
ssh-keygen -q -t ed25519 -N '' -C root -f "$T/keys/root"
install -m 600 "$T/keys/root.pub" "$T/home/root/.ssh/authorized_keys"

# sudoers lets everyone run anything: here only pam_orgrbac decides.
printf 'Defaults !fqdn, !lecture\nroot ALL=(ALL:ALL) ALL\nALL ALL=(ALL:ALL) NOPASSWD: ALL\n' \
	>"$T/etc/sudoers"
chmod 440 "$T/etc/sudoers"

# The shipped samples, pointed at the built module and the test files.
for s in sshd sudo login; do
	sed -e "s|pam_orgrbac.so|$module config=$T/orgrbac.conf|" \
		-e "s|usersfile=/etc/users.oath|usersfile=$T/users.oath|" \
		"$ORGRBAC_TOP/etc/pam.d/$s" >"$T/etc/pam.d/$s"
done
chmod 644 "$T/etc/pam.d/"* "$T/orgrbac.conf"

ssh-keygen -q -t ed25519 -N '' -f "$T/ssh_host_ed25519_key"
echo "[127.0.0.1]:$PORT $(cat "$T/ssh_host_ed25519_key.pub")" >"$T/known_hosts"
cat >"$T/sshd_config.in" <<CONF
Port $PORT
ListenAddress 127.0.0.1
HostKey $T/ssh_host_ed25519_key
PidFile $T/sshd.pid
ExposeAuthInfo @EXPOSE@
AuthorizedKeysFile .ssh/authorized_keys
PermitRootLogin prohibit-password
PrintMotd no
PrintLastLog no
UseDNS no
LogLevel VERBOSE
CONF

# The second factor: the askpass script notes each prompt, then answers it
# with the right code, a wrong one, or nothing (ORGRBAC_E2E_CODE).
cat >"$T/askpass" <<'SH'
#!/bin/sh
printf '%s %s\n' "$ORGRBAC_E2E_USER" "$1" >>"${0%/*}/askpass.log"
case $ORGRBAC_E2E_CODE in
wrong) echo 000000 ;;
none) echo ;;
*) oathtool --totp "$(cat "${0%/*}/keys/$ORGRBAC_E2E_USER.oath")" ;;
esac
SH
chmod 755 "$T/askpass"

unshare --mount --propagation private --pid --fork --mount-proc \
	bash "$ORGRBAC_TOP/tests/e2e/test_sshd_sudo.sh" --inside "$T"
