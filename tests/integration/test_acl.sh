#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# etc/slapd-acl.ldif in a real slapd: who may write what, with the exact LDAP
# result code of each attempt (0 done, 50 insufficientAccess), what hosts and
# users may read, and that a host bound under the ACL decides exactly as an
# identity that reads everything.  Its own throwaway servers (with and without
# the memberOf overlay), because the ACL changes what every client reads.
. "$(dirname "$0")/../lib/lib.sh"
set +e
# `LDIF | write ...` counts in this shell, not in a subshell
shopt -s lastpipe

builddir=${top_builddir:-$ORGRBAC_TOP/build}
[ -x "$builddir/orgrbac" ] || fail "$builddir/orgrbac not built"
orgrbac_require_slapd

WORK=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-acl.XXXXXX")
orgrbac_at_exit "rm -rf '$WORK'"
ORGRBAC="$builddir/orgrbac"
orgrbac_valgrind_cli "$builddir"

B=dc=example,dc=com
AT=2026-11-22T12:00:00Z
OPER="cn=oper,ou=staff,$B"
HOST="cn=host-web01,ou=hosts,$B"
ALICE="uid=alice,ou=people,o=acme,$B" # an administrator of acme
GUS="uid=gus,ou=people,o=globex,$B"   # an administrator of globex
VIC="uid=vic,cn=Flexera,ou=external,o=acme,$B" # an external admin of Flexera
BOB="uid=bob,ou=people,o=acme,$B"     # a user
declare -A PW=([$OPER]=oper-secret [$HOST]=host-secret [$ALICE]=alice-secret
	[$GUS]=gus-secret [$VIC]=vic-secret [$BOB]=bob-secret)
USERS="alice bob carol dave erin frank grace heidi ivan judy leo vic vera pat ian uma hank olga gus nobody"

# write WHO WANT WHAT: the LDIF on stdin, applied as WHO, must end with the
# LDAP result code WANT (ldapmodify exits with it).
write() {
	local who=$1 want=$2 what=$3 out rc
	out=$(LDAPNOINIT=1 ldapmodify -x -H "$LDAP_URI" -D "$who" -w "${PW[$who]}" 2>&1)
	rc=$?
	if [ "$rc" != "$want" ]; then
		orgrbac_ko "$mode: ${who%%,*} $what: result $rc, wanted $want: $out"
	elif [ "$want" = 50 ] && ! grep -q 'Insufficient access (50)' <<<"$out"; then
		orgrbac_ko "$mode: ${who%%,*} $what: no insufficientAccess: $out"
	else
		orgrbac_ok
	fi
}

# search WHO ARGS...: the DNs WHO finds, one per line (nothing when refused)
search() {
	local who=$1
	shift
	LDAPNOINIT=1 ldapsearch -x -LLL -o ldif-wrap=no -H "$LDAP_URI" -D "$who" -w "${PW[$who]}" \
		"$@" 2>/dev/null
}

count() { # WHO WANT WHAT ARGS...: WHO finds WANT entries
	local who=$1 want=$2 what=$3 n
	shift 3
	n=$(search "$who" "$@" 1.1 | grep -c '^dn:')
	[ "$n" = "$want" ] && orgrbac_ok || orgrbac_ko "$mode: ${who%%,*} $what: $n entries, wanted $want"
}

grant() { # NAME PARENT GRANTEE [ROLE]: an orgRoleGrant to add
	printf 'dn: cn=%s,%s\nchangetype: add\nobjectClass: orgRoleGrant\ncn: %s\n' "$1" "$2" "$1"
	printf 'orgGrantedRole: %s\norgGrantee: %s\n' "${4:-cn=Member,ou=roles,$B}" "$3"
}

person() { # DN UID [LINES]: an inetOrgPerson to add, with extra LDIF lines
	printf 'dn: %s\nchangetype: add\nobjectClass: inetOrgPerson\nuid: %s\ncn: %s\nsn: %s\n%b' \
		"$1" "$2" "$2" "$2" "${3:-}"
}

modify() { # DN ATTR VALUE [OP]: one change
	printf 'dn: %s\nchangetype: modify\n%s: %s\n%s: %s\n-\n' "$1" "${4:-replace}" "$2" "$2" "$3"
}

# conf NAME BIND_DN PASSWORD: a host configuration binding as BIND_DN
conf() {
	umask 077
	printf '%s\n' "$3" >"$WORK/$1.pw"
	orgrbac_write_conf "$WORK/$1.conf" "ldap.base=$B" "ldap.bind_dn=$2" \
		"ldap.bind_password_file=$WORK/$1.pw" ldap.timeout=5 pam.ignore_users= \
		"nss.snapshot=$WORK/$1.db"
	umask 022
}

# decisions CONF: every sample user's full explanation for sshd and sudo
decisions() {
	local u s
	for u in $USERS; do
		for s in sshd sudo; do
			printf '== %s %s\n' "$u" "$s"
			"$ORGRBAC" check "$u" --service "$s" --at "$AT" --config "$1" 2>&1
			printf 'exit %s\n' "$?"
		done
	done
}

# read_counts: users, groups, roles and grants that a sync line says it read
read_counts() {
	sed -nE 's/.*read ([0-9]+) users, ([0-9]+) groups, ([0-9]+) roles, ([0-9]+) grants.*/\1 \2 \3 \4/p'
}

one_mode() {
	local out host_view root_view hu hg hr hgr ru rg rr rgr

	# The identities the ACL names, added by the rootdn; then the ACL itself.
	ldapmodify_admin -a -f "$ORGRBAC_TOP/tests/data/acl-identities.ldif" >"$WORK/ids.log" 2>&1 ||
		fail "loading tests/data/acl-identities.ldif: $(tail -n 3 "$WORK/ids.log")"
	conf root "$LDAP_ADMIN_DN" "$LDAP_ADMIN_PW"
	conf host "$HOST" "${PW[$HOST]}"
	decisions "$WORK/root.conf" >"$WORK/root.decisions"
	root_view=$("$ORGRBAC" sync --config "$WORK/root.conf" 2>/dev/null)
	# as its header says: the same file with and without the memberof overlay
	cp "$ORGRBAC_TOP/etc/slapd-acl.ldif" "$WORK/acl.ldif"
	LDAPNOINIT=1 ldapmodify -x -H "$LDAP_URI" -D "$LDAP_CONFIG_DN" -w "$LDAP_CONFIG_PW" \
		-f "$WORK/acl.ldif" >"$WORK/acl.log" 2>&1 ||
		fail "$mode: etc/slapd-acl.ldif does not load: $(cat "$WORK/acl.log")"

	orgrbac_progress "$mode: a host's decisions under the ACL"
	# ---- a host decides under the ACL exactly as the rootdn does ----
	decisions "$WORK/host.conf" >"$WORK/host.decisions"
	out=$(diff "$WORK/root.decisions" "$WORK/host.decisions") && orgrbac_ok ||
		orgrbac_ko "$mode: decisions of the host differ from the rootdn's: $out"
	grep -q '^decision: *allow' "$WORK/host.decisions" && orgrbac_ok || orgrbac_ko "$mode: the host allows nobody"
	# the same view of this host; the host reads every group but the operators'
	host_view=$("$ORGRBAC" sync --config "$WORK/host.conf" 2>/dev/null) ||
		orgrbac_ko "$mode: sync as the host failed"
	[ "$(grep -o 'generation.*memberships' <<<"$host_view")" = \
		"$(grep -o 'generation.*memberships' <<<"$root_view")" ] && orgrbac_ok ||
		orgrbac_ko "$mode: host view '$host_view', rootdn view '$root_view'"
	read -r hu hg hr hgr < <(read_counts <<<"$host_view")
	read -r ru rg rr rgr < <(read_counts <<<"$root_view")
	[ "$hu $hr $hgr" = "$ru $rr $rgr" ] && [ "$hg" = "$((rg - 1))" ] && orgrbac_ok ||
		orgrbac_ko "$mode: host read '$host_view', rootdn read '$root_view'"

	# ---- what each identity reads ----
	count "$HOST" 0 "reads another host" -b "ou=hosts,$B" "(cn=*)"
	# a passwd source binding as the host (nslcd): the users' POSIX
	# attributes and their primary group
	out=$(search "$HOST" -b "$BOB" -s base uid uidNumber gidNumber homeDirectory loginShell)
	[ "$(grep -cE '^(uid|uidNumber|gidNumber|homeDirectory|loginShell):' <<<"$out")" = 5 ] && orgrbac_ok ||
		orgrbac_ko "$mode: host reads bob's POSIX attributes as: $out"
	# memberOf (with the overlay) is not for hosts: decisions resolve member
	out=$(search "$HOST" -b "$BOB" -s base memberOf)
	! grep -qi '^memberOf:' <<<"$out" && orgrbac_ok || orgrbac_ko "$mode: host reads bob's memberOf: $out"
	count "$HOST" 1 "reads the primary group" -b "$B" "(&(objectClass=posixGroup)(gidNumber=10000))"
	count "$HOST" 0 "reads the operators' group" -b "$B" "(cn=operators)"
	out=$(search "$HOST" -b "$BOB" -s base userPassword mail cn)
	grep -q '^cn:' <<<"$out" && ! grep -qi '^userPassword' <<<"$out" && orgrbac_ok ||
		orgrbac_ko "$mode: host reads bob as: $out"
	count "$ALICE" 8 "reads the global roles" -b "ou=roles,$B" -s one "(objectClass=*)"
	count "$ALICE" 2 "reads the platform grants" -b "ou=grants,$B" -s one "(objectClass=*)"
	count "$ALICE" 0 "reads globex" -b "o=globex,$B" "(objectClass=*)"
	count "$GUS" 8 "reads the global roles" -b "ou=roles,$B" -s one "(objectClass=*)"
	count "$BOB" 1 "reads himself" -b "$BOB" -s base "(objectClass=*)"
	count "$BOB" 0 "reads acme's grants" -b "ou=grants,o=acme,$B" "(objectClass=*)"
	count "$BOB" 0 "reads the global roles" -b "ou=roles,$B" "(objectClass=*)"
	count "$BOB" 0 "reads other users" -b "o=acme,$B" "(uid=alice)"
	count "$VIC" 0 "reads acme's grants" -b "ou=grants,o=acme,$B" "(objectClass=*)"

	orgrbac_progress "$mode: writes by each identity"
	# ---- an organization admin: its own organization's roles, grants, groups ----
	grant "t-alice" "ou=grants,o=acme,$B" "$BOB" |
		write "$ALICE" 0 "adds a grant in o=acme"
	modify "cn=t-alice,ou=grants,o=acme,$B" orgScope service:web add |
		write "$ALICE" 0 "scopes its grant"
	printf 'dn: cn=t-alice,ou=grants,o=acme,%s\nchangetype: delete\n' "$B" |
		write "$ALICE" 0 "deletes its grant"
	printf 'dn: cn=T Role,ou=roles,o=acme,%s\nchangetype: add\nobjectClass: orgRole\ncn: T Role\norgPrivilege: host:login\n' "$B" |
		write "$ALICE" 0 "adds an acme role"
	modify "cn=engineering,ou=groups,o=acme,$B" member "uid=dave,ou=people,o=acme,$B" add |
		write "$ALICE" 0 "adds a member to an acme group"
	modify "cn=Contoso,ou=external,o=acme,$B" orgNotAfter 20340101000000Z |
		write "$ALICE" 0 "changes an external entry's window"
	# ... and nothing else
	grant "t-alice" "ou=grants,$B" "$ALICE" "cn=Cross-Org Admin,ou=roles,$B" |
		write "$ALICE" 50 "adds a platform grant"
	modify "cn=olga-cross,ou=grants,$B" orgGrantee "$ALICE" add |
		write "$ALICE" 50 "adds itself to a platform grant"
	printf 'dn: cn=T Global,ou=roles,%s\nchangetype: add\nobjectClass: orgRole\ncn: T Global\norgPrivilege: host:login\n' "$B" |
		write "$ALICE" 50 "adds a global role"
	modify "cn=Member,ou=roles,$B" orgPrivilege common:org:cross add |
		write "$ALICE" 50 "modifies a global role"
	grant "t-alice" "ou=grants,o=globex,$B" "$ALICE" |
		write "$ALICE" 50 "adds a grant in o=globex"
	modify "cn=gus-operator,ou=grants,o=globex,$B" orgGrantee "$ALICE" add |
		write "$ALICE" 50 "modifies a grant in o=globex"
	modify "$GUS" cn Mallory |
		write "$ALICE" 50 "modifies a user of o=globex"
	modify "$BOB" userPassword new-secret |
		write "$ALICE" 50 "sets a user's password"
	modify "$BOB" cn Robert |
		write "$ALICE" 50 "modifies a user of ou=people"
	printf 'dn: cn=engineering,ou=groups,o=acme,%s\nchangetype: modify\nadd: objectClass\nobjectClass: posixAccount\n-\nadd: uid\nuid: sneak\n-\n' "$B" |
		write "$ALICE" 50 "turns a group into a login"
	person "uid=sneak,ou=groups,o=acme,$B" sneak |
		write "$ALICE" 50 "adds a person in ou=groups"
	grant "t-alice" "cn=Flexera,ou=external,o=acme,$B" "$ALICE" |
		write "$ALICE" 50 "adds a grant outside ou=grants"
	modify "$VIC" uidNumber 0 |
		write "$ALICE" 50 "sets an external user's uidNumber"
	modify "$VIC" uid bob add |
		write "$ALICE" 50 "gives an external user a second login name"
	modify "cn=operators,ou=groups,$B" member "$ALICE" add |
		write "$ALICE" 50 "joins the operators"

	# ---- another organization's admin, the mirror image ----
	grant "t-gus" "ou=grants,o=globex,$B" "$GUS" |
		write "$GUS" 0 "adds a grant in o=globex"
	grant "t-gus" "ou=grants,o=acme,$B" "$GUS" |
		write "$GUS" 50 "adds a grant in o=acme"
	modify "cn=orgrbac-admins,ou=groups,o=acme,$B" member "$GUS" add |
		write "$GUS" 50 "joins acme's admins"

	# ---- an external admin: the individuals beneath its own entry ----
	person "uid=vnew,cn=Flexera,ou=external,o=acme,$B" vnew |
		write "$VIC" 0 "adds an individual beneath Flexera"
	modify "uid=vnew,cn=Flexera,ou=external,o=acme,$B" cn "V New" |
		write "$VIC" 0 "renames an individual"
	person "uid=vpw,cn=Flexera,ou=external,o=acme,$B" vpw 'userPassword: x\n' |
		write "$VIC" 50 "adds an individual with a password"
	person "uid=vposix,cn=Flexera,ou=external,o=acme,$B" vposix \
		'objectClass: posixAccount\nuidNumber: 10001\ngidNumber: 0\nhomeDirectory: /home/alice\n' |
		write "$VIC" 50 "adds a login with alice's uidNumber"
	modify "uid=vnew,cn=Flexera,ou=external,o=acme,$B" objectClass extensibleObject add |
		write "$VIC" 50 "opens an individual to any attribute"
	modify "$VIC" uid alice add |
		write "$VIC" 50 "gives itself a second login name"
	modify "cn=Flexera,ou=external,o=acme,$B" orgRoleManagement FALSE |
		write "$VIC" 50 "turns role management off"
	modify "cn=Flexera,ou=external,o=acme,$B" orgAccessMode continuous |
		write "$VIC" 50 "changes its access mode"
	modify "cn=orgrbac-external-admins,cn=Flexera,ou=external,o=acme,$B" member "$BOB" add |
		write "$VIC" 50 "adds an external admin"
	grant "t-vic" "cn=Flexera,ou=external,o=acme,$B" "$VIC" |
		write "$VIC" 50 "adds a grant beneath its entry"
	grant "t-vic" "ou=grants,o=acme,$B" "$VIC" |
		write "$VIC" 50 "adds a grant in o=acme"
	person "uid=vnew,cn=Contoso,ou=external,o=acme,$B" vnew |
		write "$VIC" 50 "adds an individual beneath Contoso"
	printf 'dn: uid=vnew,cn=Flexera,ou=external,o=acme,%s\nchangetype: delete\n' "$B" |
		write "$VIC" 0 "removes an individual"

	# ---- a host writes nothing ----
	grant "t-host" "ou=grants,o=acme,$B" "$BOB" |
		write "$HOST" 50 "adds a grant in o=acme"
	grant "t-host" "ou=grants,$B" "$BOB" |
		write "$HOST" 50 "adds a platform grant"
	modify "cn=Member,ou=roles,$B" orgPrivilege common:org:cross add |
		write "$HOST" 50 "modifies a global role"
	modify "cn=engineering,ou=groups,o=acme,$B" member "$BOB" add |
		write "$HOST" 50 "modifies a group"
	modify "$HOST" userPassword other-secret |
		write "$HOST" 50 "changes its own password"
	modify "cn=people,ou=groups,o=acme,$B" gidNumber 0 |
		write "$HOST" 50 "changes the primary group's gidNumber"
	modify "$BOB" uidNumber 0 |
		write "$HOST" 50 "changes a user's uidNumber"
	printf 'dn: cn=host-db01,ou=hosts,%s\nchangetype: add\nobjectClass: applicationProcess\ncn: host-db01\n' "$B" |
		write "$HOST" 50 "adds a host"
	printf 'dn: cn=engineering-members,ou=grants,o=acme,%s\nchangetype: delete\n' "$B" |
		write "$HOST" 50 "deletes a grant"

	# ---- a user writes nothing security-relevant ----
	grant "t-bob" "ou=grants,o=acme,$B" "$BOB" "cn=Org Admin,ou=roles,$B" |
		write "$BOB" 50 "adds a grant in o=acme"
	modify "cn=alice-org-admin,ou=grants,o=acme,$B" orgGrantee "$BOB" add |
		write "$BOB" 50 "adds himself to a grant"
	modify "cn=cycle-b,ou=groups,o=acme,$B" member "$BOB" add |
		write "$BOB" 50 "adds himself to a group"
	modify "$BOB" uidNumber 0 |
		write "$BOB" 50 "sets his own uidNumber"
	modify "$BOB" userPassword bob-new-secret |
		write "$BOB" 0 "changes his own password"
	PW[$BOB]=bob-new-secret

	# ---- operators: the platform ----
	grant "t-oper" "ou=grants,$B" "$BOB" "cn=Cross-Org Admin,ou=roles,$B" |
		write "$OPER" 0 "adds a platform grant"
	printf 'dn: cn=t-oper,ou=grants,%s\nchangetype: delete\n' "$B" |
		write "$OPER" 0 "deletes a platform grant"
	modify "cn=Viewer,ou=roles,$B" description "Read-only" |
		write "$OPER" 0 "modifies a global role"
}

for mode in memberof nomemberof; do
	if [ "$mode" = nomemberof ]; then
		orgrbac_slapd_start --no-memberof
	else
		orgrbac_slapd_start
	fi
	PW[$BOB]=bob-secret
	orgrbac_progress "$mode: identities and the ACL"
	one_mode
	orgrbac_slapd_stop
done

orgrbac_summary acl
