#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Bad input through `orgrbac check` and pam_orgrbac.so: hostile user names, and hostile or
# broken directory data (tests/data/hostile.ldif and a generated 10,000-member group).
# Each case has one expected result; README.md, section "Security", lists them.
# Run by run.sh after the other tests, against the same throwaway slapd.
. "$(dirname "$0")/../lib/lib.sh"
set +e

: "${ORGRBAC:?}" "${LDAP_URI:?}" "${TLS_CA_FILE:?}" "${WORK:?}"
builddir=${top_builddir:-$ORGRBAC_TOP/build}
AT=2026-11-22T12:00:00Z
H=ou=hostile,o=acme,dc=example,dc=com

# The data: the static files, a grant with an over-long scope, then a group of 10,000
# members of which one exists.
for f in hostile trust; do
	ldapmodify_admin -a -f "$ORGRBAC_TOP/tests/data/$f.ldif" >"$WORK/$f-add.log" 2>&1 ||
		fail "loading tests/data/$f.ldif: $(tail -n 3 "$WORK/$f-add.log")"
done
{
	printf 'dn: uid=long-scope,ou=people,%s\nobjectClass: inetOrgPerson\n' "$H"
	printf 'objectClass: posixAccount\nuid: long-scope\ncn: long-scope\nsn: long-scope\n'
	printf 'uidNumber: 30215\ngidNumber: 10000\nhomeDirectory: /home/long-scope\n\n'
	printf 'dn: cn=long-scope,ou=grants,%s\nobjectClass: orgRoleGrant\ncn: long-scope\n' "$H"
	printf 'orgGrantedRole: cn=Org Admin,ou=roles,dc=example,dc=com\n'
	printf 'orgGrantee: uid=long-scope,ou=people,%s\n' "$H"
	printf 'orgScope: resource:%s\n' "$(printf 'x%.0s' $(seq 1 5000))"
	# another tenant holds acme's twofold twenty times over, in both cases: no lock-out
	for i in $(seq 1 20); do
		printf '\ndn: cn=shadow-%d,ou=people,o=globex,dc=example,dc=com\n' "$i"
		printf 'objectClass: inetOrgPerson\nobjectClass: posixAccount\ncn: shadow\nsn: x\n'
		printf 'uid: %s\nuidNumber: %d\ngidNumber: 10000\nhomeDirectory: /nonexistent\n' \
			"$([ $((i % 2)) -eq 0 ] && echo twofold || echo TWOFOLD)" $((30300 + i))
	done
} >"$WORK/long-scope.ldif"
ldapmodify_admin -a -f "$WORK/long-scope.ldif" >"$WORK/long-scope-add.log" 2>&1 ||
	fail "loading the over-long scope: $(tail -n 3 "$WORK/long-scope-add.log")"
{
	printf 'dn: cn=crowd,ou=groups,%s\nobjectClass: groupOfNames\ncn: crowd\n' "$H"
	for i in $(seq 1 10000); do
		if [ "$i" -eq 5000 ]; then
			printf 'member: uid=crowd-member,ou=people,%s\n' "$H"
		else
			printf 'member: uid=crowd-%05d,ou=people,%s\n' "$i" "$H"
		fi
	done
	printf '\ndn: cn=crowd,ou=grants,%s\nobjectClass: orgRoleGrant\ncn: crowd\n' "$H"
	printf 'orgGrantedRole: cn=Member,ou=roles,dc=example,dc=com\n'
	printf 'orgGrantee: cn=crowd,ou=groups,%s\n' "$H"
} >"$WORK/crowd.ldif"
ldapmodify_admin -a -f "$WORK/crowd.ldif" >"$WORK/crowd-add.log" 2>&1 ||
	fail "loading the 10,000-member group: $(tail -n 3 "$WORK/crowd-add.log")"

conf="$WORK/hostile.conf"
orgrbac_write_conf "$conf" ldap.timeout=5 "ldap.tls_ca_file=$TLS_CA_FILE"

# expect STATUS PATTERN USER [SERVICE]: exit status and an extended regex in stdout+stderr.
# No case may ever print an allow it was not meant to.
expect() {
	local want=$1 pattern=$2 user=$3 service=${4:-sshd} out status
	out=$("$ORGRBAC" check --service "$service" --at "$AT" --config "$conf" -- "$user" 2>&1)
	status=$?
	if [ "$status" != "$want" ]; then
		orgrbac_ko "check '$user' ($service) exited $status, wanted $want: $out"
	elif ! LC_ALL=C grep -qE -- "$pattern" <<<"$out"; then
		orgrbac_ko "check '$user' ($service) lacks /$pattern/: $out"
	elif [ "$want" != 0 ] && grep -qE 'decision: +allow' <<<"$out"; then
		orgrbac_ko "check '$user' ($service) printed an allow: $out"
	elif LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' <<<"$out"; then
		orgrbac_ko "check '$user' ($service) printed a control character: $(printf '%q' "$out")"
	else
		orgrbac_ok
	fi
}

# --- user names: refused (exit 2) before any query, or unknown (exit 1) -----
refused="user name '.*' refused"
long=$(printf 'a%.0s' $(seq 1 257))
expect 2 "$refused.*empty" ''
expect 2 "$refused.*longer than 256" "$long"
expect 2 "$refused.*control" $'ali\x01ce'
expect 2 "$refused.*control" $'alice\n'
expect 2 "$refused.*control" $'\x1b[31malice'
expect 2 "$refused.*white space|control" $'alice\t'
expect 2 "$refused" '*'
expect 2 "$refused" 'alice*'
expect 2 "$refused" '(uid=alice)'
expect 2 "$refused" 'alice)(|(uid=*'
expect 2 "$refused" 'alice\2a'
expect 2 "$refused" 'ali\ce'
expect 2 "$refused" 'uid=alice,ou=people'
expect 2 "$refused.*'-'" '-alice'
expect 2 "$refused.*white space" 'alice '
expect 2 "$refused.*white space" ' alice'
expect 2 "$refused.*UTF-8" $'alice\xff'
expect 2 "$refused.*UTF-8" $'\xc0\xafalice'     # overlong '/'
expect 2 "$refused.*UTF-8" $'\xed\xa0\x80'       # a surrogate
expect 2 "$refused.*UTF-8|control" $'\xc2\x85alice' # C1 control NEL
# well-formed, matching an entry only without regard to case (or Unicode folding):
# refused, never unknown, which a stack with ignore_unknown_user would let through
nocase="refused: uid '.*' matches an entry only without regard to case"
expect 1 "$nocase" 'ALICE'
expect 1 "$nocase" 'Alice'
expect 1 "$nocase" 'FRANK'
expect 1 "$nocase" $'\xef\xbd\x81lice'        # fullwidth a
expect 1 "$nocase" 'mixcase'
# nobody's login name in any case
expect 1 "decision: +unknown" $'alice\xcc\x81'           # combining acute
expect 1 "decision: +unknown" $'\xe2\x80\xaealice'       # right-to-left override
expect 1 "decision: +unknown" '%s%n%s%n%99999999d'
expect 0 "decision: +allow" 'Mixcase'
expect 1 "decision: +unknown" 'ghost2'

# --- directory values ---------------------------------------------------------
expect 1 "unknown access mode" odd-mode
expect 1 "unknown kind" odd-kind
expect 1 "begins on 2030-01-01" ext-backwards
expect 1 "malformed or incomplete" ext-halfopen
expect 1 "malformed or incomplete" ext-leapsec
expect 1 "win-backwards: .*not yet in force" win-backwards
expect 1 "win-leapsec: .*void: orgNotBefore or orgNotAfter" win-leapsec
expect 0 "decision: +allow" win-hourly
expect 0 "role 'No Gid'" nogid
expect 0 "role 'Dup Gid A'" dupgid
expect 0 "role 'Dup Gid B'" dupgid sudo
expect 0 "role 'Root Gid'" sysgid
expect 0 "role 'Sudo Gid'" sysgid sudo
expect 0 "grant 'ghost-peer'" ghost-peer
expect 1 "norole: .*role missing or out of reach" norole
expect 1 "foreign-role: .*role missing or out of reach" foreign-role
expect 1 "lacks privileges" foreign-grantee
expect 0 "through group cn=loop-self" loop-self
expect 0 "group: +cn=ring-c" loop-ring
expect 1 "loop-ring: .*scope does not cover this host" loop-idle
expect 0 'Evil\\x0a\\x1b\[31mRole' evil-role
expect 1 "lacks privileges" bad-privs
expect 1 "grant 'scope-junk' is void: orgScope 'service:' is not" scope-junk
expect 1 "refused: uid 'twin' is ambiguous: 2 entries hold it in the host organization" twin

# --- what an organization's or a vendor's administrator could write (trust.ldif) ----
cross="cross-organization access needs a platform grant of a role holding common:org:cross"
expect 1 "$cross" mallory
expect 1 "$cross" mallory sudo
expect 1 "$cross" wanda
expect 1 "$cross" rolf
expect 1 "rolf-everything: .*role missing or not global" rolf
expect 1 "lacks privileges" club-member
expect 1 "grant 'tagged-scope' is void: orgScope;lang-en has options" tagged-scope
expect 1 "grant 'tagged-time' is void: orgNotBefore;lang-en has options" tagged-time
expect 1 "grant 'tagged-role' is void: orgGrantedRole;lang-en has options" tagged-role
expect 1 "grant 'tagged-grantee' is void: orgGrantee;lang-en has options" tagged-grantee
expect 1 "grant 'long-scope' is void: an orgScope value is over 4096 bytes" long-scope
expect 1 "access for vendor Shutdown is disabled" reopened
expect 1 "lacks privileges" half-full
expect 1 "external access 'Tagged' is closed: orgAccessMode;lang-en has options" tagged-mode
expect 1 "refused: entry uid=drifter,ou=loose,dc=example,dc=com is not inside an organization" drifter
expect 0 "entry: +uid=twofold,ou=people,ou=hostile,o=acme" twofold
expect 1 "refused: uid 'stray' is ambiguous: 2 entries hold it, none of them here" stray
SECONDS=0
expect 0 "through group cn=crowd" crowd-member
expect 1 "lacks privileges" crowd-outsider
[ "$SECONDS" -le 60 ] && orgrbac_ok || orgrbac_ko "the 10,000-member group took ${SECONDS}s for two checks"

# JSON escapes what the text output escapes
out=$("$ORGRBAC" check --json --at "$AT" --config "$conf" evil-role 2>&1)
if python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["matches"][0]["role"]=="Evil\n\x1b[31mRole", d' <<<"$out"; then
	orgrbac_ok
else
	orgrbac_ko "json for evil-role: $out"
fi

# --- what the module may call: no exit, no output, no global syslog or signal settings
module_so="$builddir/.libs/pam_orgrbac.so"
if command -v nm >/dev/null 2>&1 && [ -f "$module_so" ]; then
	bad=$(nm -D --undefined-only "$module_so" | awk '{ sub(/@.*/, "", $2); print $2 }' |
		grep -xE 'exit|_exit|_Exit|abort|openlog|closelog|setlogmask|(__)?(f|v|vf|d)?printf(_chk)?|puts|fputs|putchar|perror|err|errx|warn|warnx|signal|sigaction|setlocale|chdir|umask|setuid|seteuid|setgid|setegid' || true)
	[ -z "$bad" ] && orgrbac_ok || orgrbac_ko "pam_orgrbac.so calls $(echo $bad)"
else
	orgrbac_ko "cannot list the imports of $module_so (nm missing?)"
fi
# --- what the module loads at every pam_start: libpam and libc alone (and the sanitizers'
# runtimes in their builds); libldap, liblber and GnuTLS are the live library's, opened for
# source = live only, and the live library exports its one entry point
if command -v readelf >/dev/null 2>&1 && [ -f "$module_so" ]; then
	needed=$(readelf -d "$module_so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
	bad=$(grep -vE '^(libpam|libc|libasan|libubsan)\.so\.[0-9]+$' <<<"$needed" || true)
	if [ -z "$needed" ]; then
		orgrbac_ko "readelf lists no DT_NEEDED of $module_so"
	elif [ -n "$bad" ]; then
		orgrbac_ko "pam_orgrbac.so needs $(echo $bad)"
	else
		orgrbac_ok
	fi
	live_so="$builddir/.libs/orgrbac_live.so"
	exported=$(nm -D --defined-only "$live_so" 2>/dev/null | awk '$2 ~ /^[TDBRVW]$/ { print $3 }')
	[ "$exported" = orgrbac_live_evaluate_v1 ] && orgrbac_ok ||
		orgrbac_ko "orgrbac_live.so exports: $(echo $exported)"
else
	orgrbac_ko "cannot list what $module_so needs (readelf missing?)"
fi

# --- an organization hidden from the host's bind ------------------------------------
# An ACL that hides o=acme itself (its entries stay readable) makes every search
# based there answer noSuchObject: "unavailable", never "no external entries". Without
# this, a disabled partner with require=none would be let in.
acl_config() {
	(
		. "$(orgrbac__env_dir)/env"
		LDAPNOINIT=1 ldapmodify -x -H "$LDAPI_URI" -D cn=admin,cn=config -w "$LDAP_CONFIG_PW"
	) >>"$WORK/acl.log" 2>&1
}
if acl_config <<'LDIF'
dn: olcDatabase={1}mdb,cn=config
changetype: modify
add: olcAccess
olcAccess: {0}to dn.base="o=acme,dc=example,dc=com" by dn.exact="cn=admin,dc=example,dc=com" manage by * none
LDIF
then
	expect 2 "does not hold the base o=acme,dc=example,dc=com" uma
	out=$("$ORGRBAC" check --require none --at "$AT" --config "$conf" uma 2>&1)
	status=$?
	[ "$status" = 2 ] && orgrbac_ok || orgrbac_ko "check uma --require none with o=acme hidden exited $status: $out"
	acl_config <<'LDIF' || orgrbac_ko "cannot remove the hiding ACL: $(tail -n 3 "$WORK/acl.log")"
dn: olcDatabase={1}mdb,cn=config
changetype: modify
delete: olcAccess
olcAccess: {0}
LDIF
	expect 1 "disabled" uma
else
	orgrbac_ko "cannot add the hiding ACL: $(tail -n 3 "$WORK/acl.log")"
fi

# orgrbac lint names each broken entry of the hostile data, with its fix
: >"$WORK/no-groups"
"$ORGRBAC" lint --at "$AT" --group-file "$WORK/no-groups" --config "$conf" >"$WORK/lint.out" 2>&1
rc=$?
[ "$rc" -eq 1 ] && orgrbac_ok || orgrbac_ko "lint on the hostile data exited $rc, wanted 1"
HH=ou=hostile,o=acme,dc=example,dc=com
while IFS= read -r want; do
	grep -qF -- "$want" "$WORK/lint.out" && orgrbac_ok || orgrbac_ko "lint lacks '$want'"
done <<EOT
window-order: cn=win-backwards,ou=grants,$HH:
void-grant: cn=win-leapsec,ou=grants,$HH:
grant-grantee: cn=ghost-peer,ou=grants,$HH: grant names uid=ghost2,ou=people,$HH,
grant-grantee: cn=ghost-peer,ou=grants,$HH: grant names cn=no-such-group,ou=groups,$HH,
grant-role: cn=norole,ou=grants,$HH:
grant-role: cn=foreign-role,ou=grants,$HH:
void-grant: cn=scope-junk,ou=grants,$HH:
grant-grantee: cn=foreign-grantee,ou=grants,o=globex,dc=example,dc=com:
void-external: cn=oddity,ou=external,$HH:
void-external: cn=stranger,ou=external,$HH:
window-order: cn=backwards,ou=external,$HH:
window-missing: cn=halfopen,ou=external,$HH:
uid-twice: uid=twin,ou=people,$HH:
uid-twice: uid=twin,ou=more,$HH:
gid-collision: cn=dup gid b,ou=roles,$HH:
gid-low: cn=root gid,ou=roles,$HH:
gid-low: cn=sudo gid,ou=roles,$HH:
group-cycle: cn=loop-self,ou=groups,$HH:
group-cycle: cn=ring-a,ou=groups,$HH:
EOT
# one finding per cycle, never one per group of it
[ "$(grep -c '^group-cycle: cn=ring-' "$WORK/lint.out")" -eq 1 ] && orgrbac_ok ||
	orgrbac_ko "the ring is named more than once: $(grep '^group-cycle' "$WORK/lint.out")"
! LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$WORK/lint.out" && orgrbac_ok ||
	orgrbac_ko "lint printed a control character"
"$ORGRBAC" lint --at "$AT" --group-file "$WORK/no-groups" --json --config "$conf" \
	>"$WORK/lint.json"
python3 -m json.tool "$WORK/lint.json" >/dev/null && orgrbac_ok ||
	orgrbac_ko "lint --json on the hostile data is not JSON"

orgrbac_summary hostile-cli

# --- the same data through the PAM module, and the host process's environment ---
status=0
if [ -x "$builddir/tests/integration/test_hardening" ]; then
	rc=0
	HOSTILE_CONF="$conf" PAM_ORGRBAC_SO=$(orgrbac_pam_module "$builddir") \
		${VALGRIND:-} "$builddir/tests/integration/test_hardening" || rc=$?
	[ "$rc" -eq 0 ] || [ "$rc" -eq 77 ] || status=1
fi
[ "$ORGRBAC_FAILED" -eq 0 ] && exit "$status"
exit 1
