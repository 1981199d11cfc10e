#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# slapd.sh start-pair --consumer, the layout bench/run-scale.sh measures: a
# provider (A) and a read-only consumer replica (B) following it by syncrepl.
# A change written to A reaches B (sync-wait, then a search of B); a write to
# B, even as the root DN, is refused with unwillingToPerform (53) and lands
# nowhere; an `orgrbac follow` bound to B sees a grant and its revocation
# written to A.
. "$(dirname "$0")/../lib/lib.sh"
set +e

builddir=${top_builddir:-$ORGRBAC_TOP/build}
ORGRBAC="$builddir/orgrbac"
SNAPDUMP="$builddir/tests/integration/snapdump"
[ -x "$ORGRBAC" ] || fail "$ORGRBAC not built"
[ -x "$SNAPDUMP" ] || fail "$SNAPDUMP not built (make tests/integration/snapdump)"
orgrbac_require_slapd

WORK=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-consumer.XXXXXX")
orgrbac_at_exit "rm -rf '$WORK'"
B=dc=example,dc=com
ERIN="uid=erin,ou=people,o=acme,$B"
GRANT="cn=erin-member,ou=grants,o=acme,$B"

ok() { orgrbac_ok "$@"; }
ko() { orgrbac_ko "$@"; }
now_ms() { date +%s%3N; }
not() { ! "$@"; }
# has SNAPSHOT GROUP USER: USER is a member of GROUP in the snapshot
has() {
	"$SNAPDUMP" "$1" | tail -n +2 | awk -F: -v g="$2" '$1 == g { print $3 }' |
		tr ',' '\n' | grep -qx "$3"
}
state_is() { grep -qx "state $2" "$1.follow" 2>/dev/null; }
# on_b LDAPMODIFY-OPTIONS...: ldapmodify against the consumer as its root DN
on_b() { LDAPNOINIT=1 ldapmodify -x -H "$URI_B" -D "$LDAP_ADMIN_DN" -w "$PW_B" "$@"; }
# count DIR DN: 1 when the server in DIR holds DN, 0 when not
count() {
	(
		orgrbac_slapd_env "$1"
		LDAPNOINIT=1 ldapsearch -x -LLL -H "$LDAP_URI" -b "$2" -s base '(objectClass=*)' 1.1 \
			2>/dev/null | grep -c '^dn:'
	)
}
sync_wait() { "$ORGRBAC_SLAPD_SH" sync-wait "$A" "$BB" 10; }

orgrbac_slapd_start_pair --consumer
A=$ORGRBAC_PAIR_A
BB=$ORGRBAC_PAIR_B
orgrbac_slapd_env "$BB"
URI_B=$LDAP_URI
PW_B=$LDAP_ADMIN_PW
[ -z "$SERVER_ID" ] && ok || ko "the consumer has server ID $SERVER_ID"
orgrbac_slapd_env "$A"

# ---- a follower bound to the consumer ----
mkdir -p "$WORK/f"
snap="$WORK/f/snapshot.db"
orgrbac_write_conf "$WORK/f.conf" "ldap.uri=$URI_B" "ldap.tls_ca_file=$TLS_CA_FILE" \
	"nss.snapshot=$snap" pam.ignore_users=
"$ORGRBAC" follow --config "$WORK/f.conf" 2>>"$WORK/f.log" &
FPID=$!
orgrbac_at_exit "kill -TERM $FPID 2>/dev/null || true"
orgrbac_wait_until 10 state_is "$snap" following && ok || ko "follower on B: not following: $(cat "$WORK/f.log")"
not has "$snap" member erin && ok || ko "erin is a member before the grant"

# ---- a change written to the provider reaches the consumer and its follower ----
t0=$(now_ms)
ldapmodify_admin -a >/dev/null <<-LDIF || ko "the grant is refused by the provider"
	dn: $GRANT
	objectClass: orgRoleGrant
	cn: erin-member
	orgGrantedRole: cn=Member,ou=roles,$B
	orgGrantee: $ERIN
LDIF
sync_wait && ok || ko "B did not converge with A after the grant"
[ "$(count "$BB" "$GRANT")" = 1 ] && ok || ko "B does not hold the grant written to A"
orgrbac_wait_until 5 has "$snap" member erin && ok || ko "follower on B: the grant not seen: $(tail -n 3 "$WORK/f.log")"
printf 'consumer: a grant on the provider in the consumer'"'"'s follower after %s ms\n' \
	$(($(now_ms) - t0))

# ---- writes to the consumer are refused, even the root DN's ----
out=$(on_b -a 2>&1 <<-LDIF
	dn: cn=written-to-b,ou=grants,o=acme,$B
	objectClass: orgRoleGrant
	cn: written-to-b
	orgGrantedRole: cn=Member,ou=roles,$B
	orgGrantee: $ERIN
LDIF
)
st=$?
[ "$st" = 53 ] && grep -q 'shadow context; no update referral' <<<"$out" && ok ||
	ko "an add on B: exit $st: $out"
out=$(on_b 2>&1 <<<"dn: $GRANT
changetype: delete")
st=$?
[ "$st" = 53 ] && ok || ko "a delete on B: exit $st: $out"
out=$(on_b 2>&1 <<<"dn: $ERIN
changetype: modify
replace: description
description: written to the consumer")
st=$?
[ "$st" = 53 ] && ok || ko "a modify on B: exit $st: $out"
[ "$(count "$BB" "cn=written-to-b,ou=grants,o=acme,$B")" = 0 ] && ok || ko "B holds its refused add"
[ "$(count "$A" "cn=written-to-b,ou=grants,o=acme,$B")" = 0 ] && ok || ko "A holds B's refused add"
[ "$(count "$BB" "$GRANT")" = 1 ] && ok || ko "B's refused delete removed the grant"

# ---- the revocation on the provider reaches both ----
ldapmodify_admin >/dev/null <<<"dn: $GRANT
changetype: delete" || ko "the revocation is refused by the provider"
sync_wait && ok || ko "B did not converge with A after the revocation"
[ "$(count "$BB" "$GRANT")" = 0 ] && ok || ko "B still holds the revoked grant"
orgrbac_wait_until 5 not has "$snap" member erin && ok || ko "follower on B: the revocation not seen"
kill -0 "$FPID" 2>/dev/null && ok || ko "the follower exited: $(cat "$WORK/f.log")"

orgrbac_summary test_consumer
