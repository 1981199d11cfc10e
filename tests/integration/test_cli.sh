#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of `orgrbac check` against the throwaway slapd: every kind of sample user.
. "$(dirname "$0")/../lib/lib.sh"
set +e

: "${ORGRBAC:?}" "${LDAP_URI:?}" "${TLS_CA_FILE:?}" "${WORK:?}"
AT=2026-11-22T12:00:00Z

conf="$WORK/orgrbac.conf"
orgrbac_write_conf "$conf" "ldap.tls_ca_file=$TLS_CA_FILE"

check() { # USER SERVICE STATUS PATTERN
	orgrbac_expect "$3" "$4" -- check "$1" --service "$2" --at "$AT" --config "$conf"
}

# user   service  exit  why
check alice sshd 0 "host:login <- host:login of role 'Org Admin' by grant 'alice-org-admin'"
check alice sudo 0 "host:sudo <- host:sudo of role 'Org Admin'"
check bob sshd 0 "via cn=engineering,ou=groups,o=acme"
check bob sudo 1 "decision: +deny"
check carol sshd 0 "grant 'carol-payments-owner'"
check carol sudo 0 "role 'Service Owner'"
check dave sshd 1 "dave-db01-owner: .*scope does not cover this host"
check erin sshd 1 "lacks privileges: host:login \|\| common:org:own"
check frank sshd 1 "frank-member-2025: .*expired"
check grace sshd 0 "2FA-exempt: +yes \(grant 'grace-2fa-exempt'\)"
check grace sudo 1 "decision: +deny"
check heidi sshd 0 "common:org:own <- iam:\*|common:org:own <- common:org:own"
check heidi sudo 0 "common:org:own"
check ivan sshd 0 "via cn=cycle-b"
check judy sshd 1 "missing-role-grant: role .*role missing or out of reach"
check leo sshd 1 "leo-member-2035: .*not yet in force"
check vic sshd 0 "external: +vendor 'Flexera', continuous"
check vera sshd 1 "decision: +deny"
check pat sshd 0 "external: +partner 'Contoso', window"
check ian sshd 1 "ended on 2025-01-01"
check uma sshd 1 "disabled"
check hank sshd 0 "full access"
check hank sudo 0 "full access"
check olga sshd 0 "cross-organization"
check olga sshd 0 "2FA-exempt: +no"
check olga sudo 0 "decision: +allow"
check gus sshd 1 "organization globex: cross-organization access needs a platform grant"
check gus sudo 1 "organization globex: cross-organization access needs a platform grant"
check nobody sshd 1 "decision: +unknown"
check ALICE sshd 1 "refused: uid 'ALICE' matches an entry only without regard to case"

# windows: the same user at other times
# the mode, then the window once
orgrbac_expect 0 "external: +partner 'Contoso', window 2026-01-01T00:00:00Z \.\. 2036-01-01T00:00:00Z, role" -- \
	check pat --at "$AT" --config "$conf"
if "$ORGRBAC" check pat --at "$AT" --config "$conf" | grep -q "window, window"; then
	orgrbac_ko "check pat says 'window' twice"
else
	orgrbac_ok
fi
orgrbac_expect 0 "decision: +allow" -- check pat --at 2030-06-01T00:00:00Z --config "$conf"
orgrbac_expect 1 "begins on 2026-01-01" -- check pat --at 2025-12-31T23:59:59Z --config "$conf"
orgrbac_expect 1 "ended on 2036-01-01" -- check pat --at 2036-01-01T00:00:00Z --config "$conf"
orgrbac_expect 0 "decision: +allow" -- check frank --at 2025-03-01T00:00:00Z --config "$conf"
orgrbac_expect 0 "decision: +allow" -- check leo --at 2035-03-01T00:00:00Z --config "$conf"

# the default service is sshd; --require overrides the configuration
orgrbac_expect 0 "requires: +host:login \|\| common:org:own" -- check alice --at "$AT" --config "$conf"
orgrbac_expect 1 "lacks privileges: iam:invitation:create && billing:read" -- \
	check alice --require 'iam:invitation:create && billing:read' --at "$AT" --config "$conf"
orgrbac_expect 0 "none" -- check vera --require none --at "$AT" --config "$conf"
orgrbac_expect 1 "disabled" -- check uma --require none --at "$AT" --config "$conf"
# abroad, only platform grants count: olga's globex grant of 2FA-exempt does not
orgrbac_expect 1 "lacks privileges: mfa:exempt" -- check olga --require mfa:exempt --at "$AT" --config "$conf"

# JSON
out=$("$ORGRBAC" check bob --service sshd --at "$AT" --json --config "$conf")
if python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["decision"]=="allow" and d["matches"][0]["role"]=="Member" and len(d["groups"])==2, d' <<<"$out"; then orgrbac_ok; else orgrbac_ko "json for bob: $out"; fi

# hostile and malformed names: a clear error, exit 2, nobody matched
for name in '*' 'alice)(uid=*' $'al\x01ice' '' '-alice' 'a,b' 'alice '; do
	orgrbac_expect 2 "user name '.*' refused" -- check "$name" --at "$AT" --config "$conf"
done
long=$(printf 'a%.0s' $(seq 1 300))
orgrbac_expect 2 "longer than 256 bytes" -- check "$long" --at "$AT" --config "$conf"

# ignored users are not judged
orgrbac_expect 0 "ignore_users" -- check root --config "$conf"

# errors: bad --at, unknown service, bad config, dead server
orgrbac_expect 2 "not an ISO 8601 time" -- check alice --at 2026-13-01T00:00:00Z --config "$conf"
orgrbac_expect 2 "no requirement for service 'ftp'" -- check alice --service ftp --config "$conf"
orgrbac_expect 2 "column" -- check alice --require 'host:login ||' --config "$conf"
bad="$WORK/bad.conf"
sed 's/^timeout = 2/timeout = forever/' "$conf" >"$bad"
orgrbac_expect 2 "bad.conf:4: .*timeout" -- check alice --config "$bad"
dead="$WORK/dead.conf"
sed "s|^uri = .*|uri = ldap://127.0.0.1:1/|" "$conf" >"$dead"
orgrbac_expect 2 "no directory server answered" -- check alice --config "$dead"

# a wrong bind password: the server answered and refused the bind
: "${LDAP_ADMIN_DN:?}"
secret="$WORK/wrong-secret"
printf 'wrong-password\n' >"$secret"
chmod 0600 "$secret"
wrong="$WORK/wrong.conf"
orgrbac_write_conf "$wrong" "ldap.tls_ca_file=$TLS_CA_FILE" "ldap.bind_dn=$LDAP_ADMIN_DN" \
	"ldap.bind_password_file=$secret"
orgrbac_expect 2 "^orgrbac: .*bind refused: invalid credentials" -- check alice --config "$wrong"
orgrbac_expect 1 "server: .* answers, but: bind refused: invalid credentials" -- status --config "$wrong"

# root's bind secret, read by another user: say to run as root, and that the
# server was not asked, not that it is silent
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	pub=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-cli-pub.XXXXXX")
	chmod 0755 "$pub"
	printf 'wrong-password\n' >"$pub/secret"
	chmod 0600 "$pub/secret"
	orgrbac_write_conf "$pub/orgrbac.conf" "ldap.tls_ca_file=$TLS_CA_FILE" \
		"ldap.bind_dn=$LDAP_ADMIN_DN" "ldap.bind_password_file=$pub/secret"
	chmod 0644 "$pub/orgrbac.conf"
	# the program itself: under valgrind $ORGRBAC is a wrapper in root's $WORK
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "${ORGRBAC_BIN:-$ORGRBAC}" "$@"; }
	out=$(as_nobody check alice --config "$pub/orgrbac.conf" 2>&1)
	if [ $? -eq 2 ] && grep -q "run as root: the bind secret $pub/secret is root's" <<<"$out"; then
		orgrbac_ok
	else
		orgrbac_ko "check as nobody, root's secret: $out"
	fi
	out=$(as_nobody status --config "$pub/orgrbac.conf" 2>&1)
	if grep -q "server: .* not asked: run as root: the bind secret" <<<"$out" &&
		! grep -q "does not answer" <<<"$out"; then
		orgrbac_ok
	else
		orgrbac_ko "status as nobody, root's secret: $out"
	fi
	rm -rf "$pub"
fi
orgrbac_expect 2 "usage" -- check

# options and operands in any order; "--" ends options
orgrbac_expect 0 "decision: +allow" -- check --config "$conf" --at "$AT" alice --service sudo
orgrbac_expect 1 "decision: +deny" -- check --service sudo --config "$conf" bob --at "$AT"
orgrbac_expect 0 "decision: +allow" -- check --config "$conf" --at "$AT" -- alice
# a name starting with '-' reaches the name check, first or after "--"
orgrbac_expect 2 "user name '-alice' refused" -- check --config "$conf" --at "$AT" -- -alice
orgrbac_expect 2 "user name '--x' refused" -- check --config "$conf" -- --x
orgrbac_expect 2 "user name '-alice' refused" -- check -alice --config "$conf"
orgrbac_expect 2 "usage" -- check alice bob --config "$conf"
orgrbac_expect 2 "usage" -- check --config "$conf" -- alice bob
orgrbac_expect 2 "usage" -- status extra --config "$conf"
orgrbac_expect 2 "usage" -- sync --config "$conf" extra
orgrbac_expect 0 "^orgrbac [0-9]+\.[0-9]+\.[0-9]+$" -- --version
orgrbac_expect 0 "^orgrbac [0-9]+\.[0-9]+\.[0-9]+$" -- -V
orgrbac_expect 2 "unknown command" -- frobnicate

# usage_on STATUS STREAM PATTERN ARGS...: orgrbac ARGS exits with STATUS and prints PATTERN on
# STREAM (stdout or stderr) and nothing on the other
usage_on() {
	local want=$1 on=$2 pattern=$3 rc quiet
	shift 3
	"$ORGRBAC" "$@" >"$WORK/help.stdout" 2>"$WORK/help.stderr"
	rc=$?
	quiet=stderr
	[ "$on" = stdout ] || quiet=stdout
	if [ "$rc" -eq "$want" ] && grep -q -- "$pattern" "$WORK/help.$on" &&
		[ ! -s "$WORK/help.$quiet" ]; then
		orgrbac_ok
	else
		orgrbac_ko "orgrbac $*: exit $rc, stdout $(head -c 200 "$WORK/help.stdout"), stderr $(head -c 200 "$WORK/help.stderr")"
	fi
}

# --help and -h: the command's usage on stdout, exit 0; a wrong option: its usage on stderr,
# exit 2. A command this build lacks is left out.
for cmd in check sync status doctor role who review lint grant revoke grants external follow; do
	out=$("$ORGRBAC" "$cmd" --help 2>&1 >/dev/null)
	! grep -q "unknown command" <<<"$out" || continue
	usage_on 0 stdout "^usage: orgrbac $cmd" "$cmd" --help
	usage_on 0 stdout "^usage: orgrbac $cmd" "$cmd" -h
	usage_on 2 stderr "usage: orgrbac $cmd" "$cmd" --no-such-option
done
for opt in --help -h; do
	out=$("$ORGRBAC" "$opt" 2>"$WORK/help.err")
	rc=$?
	missing=""
	for cmd in check sync status doctor role who review lint; do
		grep -q "orgrbac $cmd" <<<"$out" || missing+=" $cmd"
	done
	if [ "$rc" -eq 0 ] && [ -z "$missing" ] && [ ! -s "$WORK/help.err" ]; then
		orgrbac_ok
	else
		orgrbac_ko "orgrbac $opt: exit $rc, lacks$missing: $out"
	fi
done
usage_on 2 stderr "^usage: orgrbac"
# check's first operand is its USER, but -h there asks for help
orgrbac_expect 0 "usage: orgrbac check" -- check -h --config "$conf"

orgrbac_summary cli
