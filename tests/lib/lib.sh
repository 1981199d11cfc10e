#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Shell helpers of the test suites: skip, a throwaway slapd that is always
# stopped when the test ends, admin changes to its directory, and the tests'
# configuration file.
#
# Source it from a test script:
#   . "$(dirname "$0")/../lib/lib.sh"
#   orgrbac_require_slapd            # exit 77 when slapd or ldap-utils are missing
#   orgrbac_slapd_start              # or: orgrbac_slapd_start --no-memberof
#   orgrbac_slapd_start_pair         # two servers replicating each other
#   orgrbac_slapd_start_pair --consumer   # a provider and a read-only consumer
#   ldapsearch -x -H "$LDAP_URI" -b "$LDAP_BASE" '(uid=bob)'
#   ldapmodify_admin <<EOF ... EOF    # change data as the directory admin
#   orgrbac_write_conf FILE ldap.timeout=5 nss.snapshot=...   # orgrbac.conf
#   orgrbac_progress "memberof: writes"   # a progress line of a long suite
#   orgrbac_expect 0 "decision: +allow" -- check alice   # one case; orgrbac_ok, orgrbac_ko
#   orgrbac_summary cli                 # "cli: P passed, F failed", false on a failure
#
# The variables of DIR/env (see slapd.sh) are exported after a start, with
# ORGRBAC_SLAPD_DIR naming the server's directory.  Register further cleanup
# with orgrbac_at_exit instead of setting an EXIT trap of your own: this file
# owns the EXIT, INT and TERM traps.  ORGRBAC_KEEP_SLAPD=1 keeps the
# directory (log, config, data) after the test for a post-mortem.

# Test scripts run strict; this file is sourced into them.
set -euo pipefail

ORGRBAC_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ORGRBAC_SLAPD_SH="$ORGRBAC_TOP/tests/integration/slapd.sh"
ORGRBAC_SLAPD_DIR=${ORGRBAC_SLAPD_DIR:-}
ORGRBAC_CLEANUP=()
ORGRBAC_TRAPS_SET=no
# The status the test is exiting with, while the cleanup runs.
ORGRBAC_EXIT_STATUS=0

# orgrbac_progress MESSAGE: one progress line of a long suite, "HH:MM:SS
# suite: MESSAGE": in the progress file of tests/run-all.sh, which prints it
# as the run goes, or on stderr when the suite runs on its own.
# orgrbac_progress_case MESSAGE: the same for one case of a suite that
# prints its cases itself: only into run-all's progress file.
orgrbac_progress() {
	local line
	line=$(printf '%s %s: %s' "$(date -u +%H:%M:%S)" "${0##*/}" "$*")
	if [ -n "${ORGRBAC_PROGRESS_FILE:-}" ]; then
		printf '  %s\n' "$line" >>"$ORGRBAC_PROGRESS_FILE" || true
	else
		printf '%s\n' "$line" >&2
	fi
}
orgrbac_progress_case() {
	[ -z "${ORGRBAC_PROGRESS_FILE:-}" ] || orgrbac_progress "$@"
}

# Exit status 77 is "skipped" to automake's test driver and to run-all.
skip() {
	printf 'SKIP: %s\n' "$*" >&2
	exit 77
}

fail() {
	printf 'FAIL: %s\n' "$*" >&2
	exit 1
}

# A suite's cases, counted: orgrbac_ok [WHAT] for one that passed,
# orgrbac_ko WHAT for one that failed (WHAT printed after "FAIL: "), and
# orgrbac_summary NAME [NOTE] at the end: "NAME: P passed, F failed[; NOTE]",
# true when none failed. ORGRBAC_CASE_PREFIX goes before each WHAT (a suite
# run in several modes names the mode there); with ORGRBAC_PRINT_OK=yes the
# cases that pass are printed too, after "ok: ".
ORGRBAC_PASSED=0
ORGRBAC_FAILED=0
ORGRBAC_CASE_PREFIX=${ORGRBAC_CASE_PREFIX:-}
ORGRBAC_PRINT_OK=${ORGRBAC_PRINT_OK:-no}
orgrbac_ok() {
	ORGRBAC_PASSED=$((ORGRBAC_PASSED + 1))
	[ "$ORGRBAC_PRINT_OK" != yes ] || printf 'ok: %s%s\n' "$ORGRBAC_CASE_PREFIX" "$*"
}
orgrbac_ko() {
	ORGRBAC_FAILED=$((ORGRBAC_FAILED + 1))
	printf 'FAIL: %s%s\n' "$ORGRBAC_CASE_PREFIX" "$*"
}
orgrbac_summary() {
	printf '%s: %d passed, %d failed%s\n' "$1" "$ORGRBAC_PASSED" "$ORGRBAC_FAILED" \
		"${2:+; $2}"
	[ "$ORGRBAC_FAILED" -eq 0 ]
}

# orgrbac_wait_until SECONDS CMD...: true once CMD succeeds, polling every
# 10 ms; false when SECONDS pass first.
orgrbac_wait_until() {
	local end=$(($(date +%s%3N) + $1 * 1000))
	shift
	while ! "$@"; do
		[ "$(date +%s%3N)" -lt "$end" ] || return 1
		sleep 0.01
	done
}

# orgrbac_expect STATUS PATTERN -- ARGS...: "$ORGRBAC" ARGS... exits with
# STATUS and its stdout and stderr together match the extended regular
# expression PATTERN; one case, counted.
orgrbac_expect() {
	local want=$1 pattern=$2 out status
	shift 3
	out=$("$ORGRBAC" "$@" 2>&1)
	status=$?
	if [ "$status" != "$want" ]; then
		orgrbac_ko "orgrbac $* exited $status, wanted $want; output: $out"
	elif ! grep -qE -- "$pattern" <<<"$out"; then
		orgrbac_ko "orgrbac $* output lacks /$pattern/: $out"
	else
		orgrbac_ok
	fi
}

orgrbac__run_cleanup() {
	local rc=$? i
	ORGRBAC_EXIT_STATUS=$rc
	# Later registrations depend on earlier ones (a test's data lives in
	# a server started before it), so undo in reverse order.
	for ((i = ${#ORGRBAC_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${ORGRBAC_CLEANUP[i]}" || true
	done
	ORGRBAC_CLEANUP=()
	exit "$rc"
}

# orgrbac_at_exit COMMAND: run COMMAND (a shell string) when the test exits,
# however it exits.
orgrbac_at_exit() {
	ORGRBAC_CLEANUP+=("$1")
	if [ "$ORGRBAC_TRAPS_SET" = no ]; then
		trap orgrbac__run_cleanup EXIT
		# Signals go through exit so that the EXIT trap does the work once.
		trap 'exit 129' HUP
		trap 'exit 130' INT
		trap 'exit 143' TERM
		ORGRBAC_TRAPS_SET=yes
	fi
}

orgrbac_find_slapd() {
	if [ -n "${SLAPD:-}" ]; then
		printf '%s\n' "$SLAPD"
	elif command -v slapd >/dev/null 2>&1; then
		command -v slapd
	elif [ -x /usr/sbin/slapd ]; then
		printf '%s\n' /usr/sbin/slapd
	fi
}

# Skips the test, naming what is missing, unless a slapd can be started.
orgrbac_require_slapd() {
	local slapd missing=() tool f
	slapd=$(orgrbac_find_slapd)
	if [ -z "$slapd" ] || [ ! -x "$slapd" ]; then
		missing+=("slapd${SLAPD:+ ($SLAPD)}")
	elif [ ! -x "$(dirname "$slapd")/slapadd" ] && ! command -v slapadd >/dev/null 2>&1; then
		missing+=(slapadd)
	fi
	for tool in ldapsearch ldapadd ldapmodify openssl; do
		command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
	done
	for f in core cosine nis inetorgperson; do
		[ -r "/etc/ldap/schema/$f.ldif" ] || missing+=("/etc/ldap/schema/$f.ldif")
	done
	[ "${#missing[@]}" -eq 0 ] || skip "needs ${missing[*]}"
}

# orgrbac_slapd_start [--no-memberof]: starts a server with the sample
# organization in a new temporary directory and exports its env.  Call it
# again for a second server; the variables then describe the newest one.
orgrbac_slapd_start() {
	local dir
	orgrbac_require_slapd
	dir=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-slapd.XXXXXX")
	# Registered before the start so that a half-started server is stopped.
	orgrbac_at_exit "orgrbac_slapd_stop '$dir'"
	# slapd.sh wants an absent or empty directory and creates it itself.
	"$ORGRBAC_SLAPD_SH" start "$dir/srv" "$@" || fail "could not start slapd in $dir/srv"
	ORGRBAC_SLAPD_DIR="$dir/srv"
	orgrbac_slapd_env "$ORGRBAC_SLAPD_DIR"
}

# orgrbac_slapd_start_pair [--no-memberof] [--consumer]: starts two servers
# in multi-provider replication, each with the sample organization (see
# slapd.sh start-pair); with --consumer, B is a read-only consumer of A (it
# refuses writes; write to A).  Exports ORGRBAC_PAIR_A and ORGRBAC_PAIR_B,
# their server directories.  The variables of A are exported; switch with
# orgrbac_slapd_env.  Both are stopped when the test exits.
orgrbac_slapd_start_pair() {
	local dir
	orgrbac_require_slapd
	dir=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-slapd.XXXXXX")
	orgrbac_at_exit "orgrbac_slapd_stop_pair '$dir'"
	"$ORGRBAC_SLAPD_SH" start-pair "$dir/pair" "$@" ||
		fail "could not start a replicated pair in $dir/pair"
	ORGRBAC_PAIR_A="$dir/pair/a"
	ORGRBAC_PAIR_B="$dir/pair/b"
	export ORGRBAC_PAIR_A ORGRBAC_PAIR_B
	ORGRBAC_SLAPD_DIR=$ORGRBAC_PAIR_A
	orgrbac_slapd_env "$ORGRBAC_SLAPD_DIR"
}

# orgrbac_slapd_stop_pair TOP: stops both servers of a pair started by
# orgrbac_slapd_start_pair in the temporary directory TOP and removes it.
orgrbac_slapd_stop_pair() {
	local top=$1 srv
	for srv in "$top/pair/a" "$top/pair/b"; do
		orgrbac_slapd_stop_one "$srv"
	done
	if [ "${ORGRBAC_KEEP_SLAPD:-0}" != 1 ]; then
		case $top in
		*/orgrbac-slapd.*) rm -rf "$top" ;;
		esac
	fi
	return 0
}

# orgrbac_slapd_restart DIR: starts a stopped or killed server of ours again
# on its ports; its env then names the new pid, re-exported if it is current.
orgrbac_slapd_restart() {
	"$ORGRBAC_SLAPD_SH" restart "$1" || fail "could not restart slapd in $1"
	if [ "$1" = "$ORGRBAC_SLAPD_DIR" ]; then
		orgrbac_slapd_env "$1"
	fi
}

# orgrbac_slapd_env DIR: exports the variables of DIR/env.
orgrbac_slapd_env() {
	[ -r "$1/env" ] || fail "$1/env: no such server"
	set -a
	# shellcheck source=/dev/null
	. "$1/env"
	set +a
	export ORGRBAC_SLAPD_DIR
}

# orgrbac_slapd_stop [DIR]: stops the server (default: the newest) and
# removes its temporary directory.  Safe to call more than once.
orgrbac_slapd_stop() {
	local srv top
	srv=${1:-$ORGRBAC_SLAPD_DIR}
	[ -n "$srv" ] || return 0
	# DIR may be the temporary directory or the server directory in it.
	if [ -d "$srv/srv" ]; then
		top=$srv
		srv="$srv/srv"
	else
		top=$(dirname "$srv")
	fi
	[ -d "$srv" ] || { [ -d "$top" ] && rmdir "$top" 2>/dev/null; return 0; }
	orgrbac_slapd_stop_one "$srv"
	if [ "${ORGRBAC_KEEP_SLAPD:-0}" = 1 ]; then
		printf '%s: kept %s\n' "${0##*/}" "$srv" >&2
	else
		case $top in
		*/orgrbac-slapd.*) rm -rf "$top" ;;
		esac
	fi
	return 0
}

# orgrbac_slapd_stop_one SRV: stops the server in SRV and, when the test
# is failing, shows the end of its log.
orgrbac_slapd_stop_one() {
	local rc=$ORGRBAC_EXIT_STATUS srv=$1
	[ -d "$srv" ] || return 0
	"$ORGRBAC_SLAPD_SH" stop "$srv" || true
	# A failing test shows what the server said.
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] && [ -s "$srv/slapd.log" ]; then
		printf '%s: last lines of %s:\n' "${0##*/}" "$srv/slapd.log" >&2
		tail -n 20 "$srv/slapd.log" >&2 || true
	fi
}

orgrbac__env_dir() {
	local dir=${ORGRBAC_SLAPD_DIR:-${SLAPD_DIR:-}}
	if [ -z "$dir" ] || [ ! -r "$dir/env" ]; then
		fail "no test slapd started (ORGRBAC_SLAPD_DIR unset)"
	fi
	printf '%s\n' "$dir"
}

# ldapmodify_admin [ldapmodify options]: applies LDIF (stdin, or -f FILE) as
# the directory admin of the current test server.  The user's ldaprc and
# LDAP* variables are ignored so that they cannot redirect the change.
ldapmodify_admin() {
	local dir
	dir=$(orgrbac__env_dir)
	(
		# shellcheck source=/dev/null
		. "$dir/env"
		LDAPNOINIT=1 exec ldapmodify -x -H "$LDAP_URI" \
			-D "$LDAP_ADMIN_DN" -w "$LDAP_ADMIN_PW" "$@"
	)
}

# ldapsearch_admin [ldapsearch options] [filter] [attrs]: searches the test
# server's base as the directory admin, LDIF without comments.
ldapsearch_admin() {
	local dir
	dir=$(orgrbac__env_dir)
	(
		# shellcheck source=/dev/null
		. "$dir/env"
		LDAPNOINIT=1 exec ldapsearch -x -LLL -H "$LDAP_URI" \
			-D "$LDAP_ADMIN_DN" -w "$LDAP_ADMIN_PW" -b "$LDAP_BASE" "$@"
	)
}

# orgrbac_valgrind_cli BUILDDIR: when VALGRIND (a command prefix such as
# tests/valgrind.sh) is set, point ORGRBAC at a one-word wrapper in $WORK
# that runs BUILDDIR/orgrbac under it, so test scripts need no change.
# ORGRBAC_BIN stays the program itself, for a test that runs it as another
# user: the wrapper lies in root's private $WORK.
orgrbac_valgrind_cli() {
	ORGRBAC_BIN="$1/orgrbac"
	export ORGRBAC_BIN
	[ -n "${VALGRIND:-}" ] || return 0
	printf '#!/bin/sh\nexec %s %q "$@"\n' "$VALGRIND" "$1/orgrbac" >"$WORK/orgrbac-valgrind"
	chmod +x "$WORK/orgrbac-valgrind"
	ORGRBAC="$WORK/orgrbac-valgrind"
	export ORGRBAC
}

# orgrbac_write_conf FILE [SECTION.KEY=VALUE...]: the tests' orgrbac.conf in
# FILE: the sample organization's host (acme, web01.example.com) against the
# current test server (LDAP_URI, LDAP_BASE), with the sshd and sudo
# requirements of the shipped samples and root left to other modules. Each
# argument sets KEY in [SECTION] ("service sshd.require=host:login"); a key or
# section that the defaults lack is added after them; an empty VALUE leaves
# KEY out.
orgrbac_write_conf() {
	local file=$1 arg left sec key val i found
	local -a secs=(ldap ldap ldap host host host pam "service sshd" "service sudo")
	local -a keys=(uri base timeout org services resource ignore_users require require)
	local -a vals=("${LDAP_URI:-}" "${LDAP_BASE:-dc=example,dc=com}" 2 acme "payments, web"
		web01.example.com root "host:login || common:org:own" "host:sudo || common:org:own")
	local -a order=(ldap host pam "service sshd" "service sudo")
	shift
	for arg in "$@"; do
		left=${arg%%=*}
		val=${arg#*=}
		sec=${left%.*}
		key=${left##*.}
		[ "$left" != "$arg" ] && [ "$sec" != "$left" ] ||
			fail "orgrbac_write_conf: '$arg' is not SECTION.KEY=VALUE"
		found=no
		for i in "${!keys[@]}"; do
			if [ "${secs[i]}" = "$sec" ] && [ "${keys[i]}" = "$key" ]; then
				vals[i]=$val
				found=yes
			fi
		done
		[ "$found" = yes ] || { secs+=("$sec"); keys+=("$key"); vals+=("$val"); }
		found=no
		for i in "${!order[@]}"; do
			[ "${order[i]}" != "$sec" ] || found=yes
		done
		[ "$found" = yes ] || order+=("$sec")
	done
	{
		for sec in "${order[@]}"; do
			found=no
			for i in "${!keys[@]}"; do
				[ "${secs[i]}" = "$sec" ] && [ -n "${vals[i]}" ] || continue
				[ "$found" = yes ] || printf '[%s]\n' "$sec"
				found=yes
				printf '%s = %s\n' "${keys[i]}" "${vals[i]}"
			done
			[ "$found" = no ] || printf '\n'
		done
	} >"$file"
}

# orgrbac_acl_setup NAME: the start the tests of the administration commands
# share: the CLI in ORGRBAC (builddir: top_builddir or build/; under VALGRIND
# when set), WORK (a temporary directory, removed at exit), a throwaway slapd
# with tests/data/acl-identities.ldif (the ACL's identities), conf (an
# administrator's configuration: no bind of its own), WORK/root.conf (a host's,
# bound as the rootdn, for sync and check), the password files as ldapsearch -y
# reads them (the whole file, no newline) in WORK: root.pw, oper.pw, alice.pw,
# gus.pw, host.pw, vic.pw, and alice-newline.pw (with one), and the DNs B,
# OPER, HOST, ALICE, GUS. NAME goes into WORK's name.
orgrbac_acl_setup() {
	builddir=${top_builddir:-$ORGRBAC_TOP/build}
	[ -x "$builddir/orgrbac" ] || fail "$builddir/orgrbac not built"
	orgrbac_require_slapd
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-$1.XXXXXX")
	orgrbac_at_exit "rm -rf '$WORK'"
	ORGRBAC="$builddir/orgrbac"
	orgrbac_valgrind_cli "$builddir"

	B=dc=example,dc=com
	OPER="cn=oper,ou=staff,$B"
	HOST="cn=host-web01,ou=hosts,$B"
	ALICE="uid=alice,ou=people,o=acme,$B" # an administrator of acme
	GUS="uid=gus,ou=people,o=globex,$B"   # an administrator of globex

	orgrbac_slapd_start
	ldapmodify_admin -a -f "$ORGRBAC_TOP/tests/data/acl-identities.ldif" >"$WORK/ids.log" 2>&1 ||
		fail "loading tests/data/acl-identities.ldif: $(tail -n 3 "$WORK/ids.log")"

	conf="$WORK/orgrbac.conf"
	orgrbac_write_conf "$conf" "ldap.base=$B" "nss.snapshot=$WORK/snapshot.db" pam.ignore_users=
	(
		umask 077
		printf '%s' "$LDAP_ADMIN_PW" >"$WORK/root.pw"
		printf '%s' oper-secret >"$WORK/oper.pw"
		printf '%s' alice-secret >"$WORK/alice.pw"
		printf '%s' gus-secret >"$WORK/gus.pw"
		printf '%s' host-secret >"$WORK/host.pw"
		printf '%s' vic-secret >"$WORK/vic.pw"
		printf '%s\n' alice-secret >"$WORK/alice-newline.pw"
		printf '%s\n' "$LDAP_ADMIN_PW" >"$WORK/root-conf.pw"
	)
	orgrbac_write_conf "$WORK/root.conf" "ldap.base=$B" "ldap.bind_dn=$LDAP_ADMIN_DN" \
		"ldap.bind_password_file=$WORK/root-conf.pw" "nss.snapshot=$WORK/snapshot.db" \
		pam.ignore_users=
}

# orgrbac_pam_module BUILDDIR: the PAM module a test loads. Root tests the
# module that is installed; anyone else its test build, which trusts files of
# any owner (tests/integration/local.mk).
orgrbac_pam_module() {
	if [ "$(id -u)" -eq 0 ]; then
		printf '%s\n' "$1/.libs/pam_orgrbac.so"
	else
		printf '%s\n' "$1/tests/integration/.libs/pam_orgrbac_test.so"
	fi
}

# orgrbac_pam_wrapped SERVICES CMD...: CMD under pam_wrapper (PAM_WRAPPER_SO,
# found by configure), with the PAM stacks of the directory SERVICES, which
# pam_wrapper copies when CMD starts; what pam_syslog is given goes to CMD's
# stderr. Without pam_wrapper, CMD runs as it is and PAM_WRAPPER stays unset.
orgrbac_pam_wrapped() {
	local services=$1
	shift
	if [ -z "${PAM_WRAPPER_SO:-}" ] || [ ! -e "$PAM_WRAPPER_SO" ]; then
		"$@"
		return
	fi
	LD_PRELOAD=$PAM_WRAPPER_SO PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR=$services \
		PAM_WRAPPER_DEBUGLEVEL=2 "$@"
}
