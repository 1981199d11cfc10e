#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# One source of group truth. The sample organization, plus 600 groups nested
# under 20 hubs, a chain deeper than ORGRBAC_MAX_GROUP_DEPTH and a user in 510
# groups, in servers of their own:
#   R  no memberOf, no size limit: the reference decisions, and a sync whose
#      snapshot agrees with the live decision on every membership;
#   a  the memberOf overlay enabled after the data is loaded (no backfill),
#      then a group added: its members have memberOf, nested groups none;
#   b  dynlist computing memberOf (nested groups included);
#   c  the memberOf overlay from the start, under olcSizeLimit 500: more
#      groups with memberOf than the server returns in one search.
# Every sample user decides in a, b and c exactly as in R (orgrbac check
# --json), but for the user in 510 groups under the size limit: unavailable,
# with the server's limit named (d); sync there fails the same way and keeps
# the old snapshot.
. "$(dirname "$0")/../lib/lib.sh"
set +e

builddir=${top_builddir:-$ORGRBAC_TOP/build}
[ -x "$builddir/orgrbac" ] || fail "$builddir/orgrbac not built"
[ -x "$builddir/tests/integration/groups_agree" ] || fail "groups_agree not built"
orgrbac_require_slapd

WORK=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-groups.XXXXXX")
orgrbac_at_exit "rm -rf '$WORK'"
ORGRBAC="$builddir/orgrbac"
AGREE="$builddir/tests/integration/groups_agree"
orgrbac_valgrind_cli "$builddir"

B=dc=example,dc=com
G="ou=groups,o=acme,$B"
P="ou=people,o=acme,$B"
AT=2026-11-22T12:00:00Z
EPOCH=$(date -u -d "$AT" +%s)
USERS="alice bob carol dave erin frank grace heidi ivan judy leo vic vera pat ian uma hank
	olga gus nora dora dina max nobody"
NESTED=600
WIDE=510
DEEP=17 # ORGRBAC_MAX_GROUP_DEPTH + 1

person() { # UID NUMBER
	printf 'dn: uid=%s,%s\nobjectClass: inetOrgPerson\nobjectClass: posixAccount\n' "$1" "$P"
	printf 'uid: %s\ncn: %s\nsn: %s\nuidNumber: %s\ngidNumber: 10000\n' "$1" "$1" "$1" "$2"
	printf 'homeDirectory: /home/%s\n\n' "$1"
}

group() { # CN MEMBER...
	local cn=$1 m
	shift
	printf 'dn: cn=%s,%s\nobjectClass: groupOfNames\ncn: %s\n' "$cn" "$G" "$cn"
	for m in "$@"; do
		printf 'member: %s\n' "$m"
	done
	printf '\n'
}

grant() { # CN GRANTEE
	printf 'dn: cn=%s,ou=grants,o=acme,%s\nobjectClass: orgRoleGrant\ncn: %s\n' "$1" "$B" "$1"
	printf 'orgGrantedRole: cn=Member,ou=roles,%s\norgGrantee: %s\n\n' "$B" "$2"
}

# nora: nest-7 -> hub-7 -> nest-root (granted Member); dora: deep-1 .. deep-17,
# one level too deep for the grant on deep-17; dina: deep-2 .. deep-17, just
# deep enough; max: in 510 flat groups, granted Member through wide-0.
extra_ldif() {
	local i members=()
	person nora 10301
	person dora 10302
	person dina 10303
	person max 10304
	for ((i = 0; i < NESTED; i++)); do
		if [ "$i" -eq 7 ]; then
			group "nest-$i" "uid=nora,$P"
		else
			group "nest-$i" "uid=filler,$P"
		fi
	done
	for ((i = 0; i < 20; i++)); do
		members=()
		for ((k = i; k < NESTED; k += 20)); do
			members+=("cn=nest-$k,$G")
		done
		group "hub-$i" "${members[@]}"
	done
	members=()
	for ((i = 0; i < 20; i++)); do
		members+=("cn=hub-$i,$G")
	done
	group nest-root "${members[@]}"
	grant nest-members "cn=nest-root,$G"
	group deep-1 "uid=dora,$P"
	group deep-2 "cn=deep-1,$G" "uid=dina,$P"
	for ((i = 3; i <= DEEP; i++)); do
		group "deep-$i" "cn=deep-$((i - 1)),$G"
	done
	grant deep-members "cn=deep-$DEEP,$G"
	for ((i = 0; i < WIDE; i++)); do
		group "wide-$i" "uid=max,$P"
	done
	grant wide-members "cn=wide-0,$G"
}
extra_ldif >"$WORK/extra.ldif"

# config_modify LDIF (stdin): a change to the current server's cn=config
config_modify() {
	LDAPNOINIT=1 ldapmodify -x -H "$LDAP_URI" -D "$LDAP_CONFIG_DN" -w "$LDAP_CONFIG_PW" \
		>/dev/null
}

size_limit() { # LIMIT: on the database, for every identity but its rootdn
	printf 'dn: olcDatabase={1}mdb,cn=config\nchangetype: modify\nreplace: olcSizeLimit\nolcSizeLimit: %s\n' \
		"$1" | config_modify || fail "cannot set olcSizeLimit $1"
}

load_module() { # NAME
	printf 'dn: cn=module{0},cn=config\nchangetype: modify\nadd: olcModuleLoad\nolcModuleLoad: %s\n' \
		"$1" | config_modify || fail "cannot load the slapd module $1"
}

# start_server NAME [--no-memberof]: a server with the sample organization and
# the extra entries; NAME.conf its configuration, with its own snapshot
start_server() {
	local name=$1
	shift
	orgrbac_slapd_start "$@"
	eval "SRV_$name=\$ORGRBAC_SLAPD_DIR"
	orgrbac_write_conf "$WORK/$name.conf" "ldap.tls_ca_file=$TLS_CA_FILE" \
		"nss.snapshot=$WORK/$name.snapshot.db"
}

# late-joiners: bob, ivan, nora, dina and dora; added again once memberOf is
# on, it gives them memberOf values that name it alone
late_ldif() {
	group late-joiners "uid=bob,$P" "uid=ivan,$P" "uid=nora,$P" "uid=dina,$P" "uid=dora,$P"
}

load_extra() {
	ldapmodify_admin -a -c -f "$WORK/extra.ldif" >/dev/null ||
		fail "cannot load the extra entries"
	late_ldif | ldapmodify_admin -a >/dev/null || fail "cannot add late-joiners"
}

# decide NAME DIR: every user's `orgrbac check --json` and exit status in DIR
decide() {
	local name=$1 out=$2 u
	mkdir -p "$out"
	for u in $USERS; do
		"$ORGRBAC" check "$u" --service sshd --at "$AT" --json --config "$WORK/$name.conf" \
			>"$out/$u" 2>"$out/$u.err"
		echo "exit $?" >>"$out/$u"
	done
}

# same_as_reference NAME DIR [SKIP]: each user decided as in R, but SKIP
same_as_reference() {
	local name=$1 dir=$2 skip=${3:-} u
	for u in $USERS; do
		[ "$u" != "$skip" ] || continue
		if cmp -s "$WORK/R/$u" "$dir/$u"; then
			orgrbac_ok
		else
			orgrbac_ko "$name: $u decides otherwise than without memberOf:" \
				"$(diff "$WORK/R/$u" "$dir/$u" | tr '\n' ' ' | cut -c 1-600)" \
				"$(cat "$dir/$u.err")"
		fi
	done
}

# --- R: the reference, without memberOf and without a size limit
start_server R --no-memberof
load_extra
size_limit unlimited
decide R "$WORK/R"
# the data says what it should: nora allowed at depth 3, dina at 16, not dora at 17
for want in "nora 0" "dina 0" "dora 1" "max 0" "bob 0" "ivan 0"; do
	set -- $want
	if tail -n 1 "$WORK/R/$1" | grep -qx "exit $2"; then
		orgrbac_ok
	else
		orgrbac_ko "R: $1 exited $(tail -n 1 "$WORK/R/$1"), wanted $2: $(head -c 600 "$WORK/R/$1")"
	fi
done
# (e) sync and the live decision agree on every membership of every user
out=$("$ORGRBAC" sync --config "$WORK/R.conf" 2>&1) || orgrbac_ko "R: sync failed: $out"
out=$("$AGREE" "$WORK/R.conf" "$EPOCH" $USERS 2>&1)
if [ $? -eq 0 ] && grep -q "^nora Member$" <<<"$out" && grep -q "^dina Member$" <<<"$out" &&
	! grep -q "^dora Member$" <<<"$out"; then
	orgrbac_ok
else
	orgrbac_ko "R: sync and check disagree: $(grep -v '^[a-z]* ' <<<"$out" | tr '\n' ' ')"
fi
# round trips grow with nesting, never with the 1150 groups of the
# organization: the bind, the user, one search per level and the empty last
# one (none after the 16th), the grants of the organization and of the
# platform, roles, external; 64 values to a search
trips() { sed -n "s/^# $1 round trips //p" <<<"$out"; }
printf 'round trips: alice %s, bob %s (2 levels), nora %s (3), dina %s (16), max %s (510 groups)\n' \
	"$(trips alice)" "$(trips bob)" "$(trips nora)" "$(trips dina)" "$(trips max)"
[ "$(trips bob)" = 9 ] && [ "$(trips nora)" = 10 ] && [ "$(trips dina)" = 22 ] && orgrbac_ok ||
	orgrbac_ko "R: round trips bob $(trips bob), nora $(trips nora), dina $(trips dina)"

# --- a: the memberOf overlay enabled once the data is there: nothing backfilled
load_module memberof
printf 'dn: olcOverlay=memberof,olcDatabase={1}mdb,cn=config\nchangetype: add\nobjectClass: olcOverlayConfig\nobjectClass: olcMemberOf\nolcOverlay: memberof\n' |
	config_modify || fail "cannot add the memberof overlay"
printf 'dn: cn=late-joiners,%s\nchangetype: delete\n' "$G" | ldapmodify_admin >/dev/null ||
	fail "cannot delete late-joiners"
late_ldif | ldapmodify_admin -a >/dev/null || fail "cannot add late-joiners again"
n=$(ldapsearch_admin "(uid=bob)" memberOf | grep -c '^memberOf:')
[ "$n" -eq 1 ] || orgrbac_ko "a: bob has $n memberOf values, not late-joiners alone"
n=$(ldapsearch_admin "(cn=payments-team)" memberOf | grep -c '^memberOf:')
[ "$n" -eq 0 ] || orgrbac_ko "a: payments-team has $n memberOf values: the overlay backfilled"
decide R "$WORK/a"
same_as_reference "a (memberOf added late)" "$WORK/a"
out=$("$AGREE" "$WORK/R.conf" "$EPOCH" $USERS 2>&1) || orgrbac_ko "a: sync and check disagree: $out"

# --- b: dynlist computes memberOf, nested groups too
start_server b --no-memberof
LDAPNOINIT=1 ldapadd -x -H "$LDAP_URI" -D "$LDAP_CONFIG_DN" -w "$LDAP_CONFIG_PW" \
	-f /etc/ldap/schema/dyngroup.ldif >/dev/null || fail "cannot load dyngroup.ldif"
load_module dynlist
printf 'dn: olcOverlay=dynlist,olcDatabase={1}mdb,cn=config\nchangetype: add\nobjectClass: olcOverlayConfig\nobjectClass: olcDynListConfig\nolcOverlay: dynlist\nolcDynListAttrSet: groupOfURLs memberURL member+memberOf@groupOfNames*\n' |
	config_modify || fail "cannot add the dynlist overlay"
load_extra
size_limit unlimited
n=$(ldapsearch_admin "(uid=bob)" memberOf | grep -c '^memberOf:')
[ "$n" -gt 0 ] || orgrbac_ko "b: dynlist gives bob no memberOf: the case tests nothing"
decide b "$WORK/b"
same_as_reference "b (dynlist memberOf)" "$WORK/b"

# --- c: memberOf from the start, olcSizeLimit 500, more than 500 groups with memberOf
start_server c
load_extra
size_limit 500
n=$(ldapsearch_admin -z 0 "(&(objectClass=groupOfNames)(memberOf=*))" 1.1 | grep -c '^dn:')
[ "$n" -gt 500 ] || orgrbac_ko "c: only $n groups have memberOf: the limit is never reached"
decide c "$WORK/c"
same_as_reference "c (memberOf, olcSizeLimit 500)" "$WORK/c" max
# (d) max's 510 groups are more than the server returns: unavailable, and why
if tail -n 1 "$WORK/c/max" | grep -qx "exit 2" &&
	grep -q "the server's size limit stopped the search for .* after 500 entries; raise olcSizeLimit/olcLimits for the bind DN" \
		"$WORK/c/max.err"; then
	orgrbac_ok
else
	orgrbac_ko "c: max: $(tail -n 1 "$WORK/c/max") $(cat "$WORK/c/max.err")"
fi
# sync under the same limit: unavailable, the old snapshot kept
cp "$WORK/R.snapshot.db" "$WORK/c.snapshot.db"
out=$("$ORGRBAC" sync --config "$WORK/c.conf" 2>&1)
rc=$?
if [ "$rc" -eq 1 ] && grep -q "the server's size limit stopped the paged search" <<<"$out" &&
	cmp -s "$WORK/R.snapshot.db" "$WORK/c.snapshot.db"; then
	orgrbac_ok
else
	orgrbac_ko "c: sync exited $rc: $out"
fi

orgrbac_summary groups
