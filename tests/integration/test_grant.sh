#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# `orgrbac grant`, `revoke` and `grants` against a real slapd under
# etc/slapd-acl.ldif: grants to users and groups, scoped and windowed, found again by
# content (idempotent), revoked by name or by role and grantee, listed; every
# validation refusal (nothing written), --dry-run, who may write where, hostile
# values, and a grant made by the tool reaching `orgrbac check`.
. "$(dirname "$0")/../lib/lib.sh"
set +e

orgrbac_acl_setup grant
# the cases counted as lib.sh counts them
ok() { orgrbac_ok "$@"; }
ko() { orgrbac_ko "$@"; }
BOB="uid=bob,ou=people,o=acme,$B"
CAROL="uid=carol,ou=people,o=acme,$B"
G="ou=grants,o=acme,$B"

AL=(--config "$conf" -D "$ALICE" -y "$WORK/alice.pw")
GU=(--config "$conf" -D "$GUS" -y "$WORK/gus.pw")
OP=(--config "$conf" -D "$OPER" -y "$WORK/oper.pw")
HO=(--config "$conf" -D "$HOST" -y "$WORK/host.pw")

# expect STATUS PATTERN -- ARGS...: exit status and a pattern in stdout+stderr
expect() {
	local want=$1 pattern=$2 out status
	shift 3
	out=$("$ORGRBAC" "$@" 2>&1)
	status=$?
	if [ "$status" != "$want" ]; then
		ko "orgrbac $* exited $status, wanted $want; output: $out"
	elif ! grep -qE -- "$pattern" <<<"$out"; then
		ko "orgrbac $* output lacks /$pattern/: $out"
	else
		ok
	fi
}

# the grants under BASE, every value, as the rootdn reads them (a fingerprint of the directory)
grants_dump() {
	ldapsearch_admin -b "$B" '(objectClass=orgRoleGrant)' cn orgGrantedRole orgGrantee orgScope \
		orgNotBefore orgNotAfter | grep -v '^#' | sort
}
# attr DN ATTR: that attribute's values (rootdn)
attr() {
	ldapsearch_admin -b "$1" -s base '(objectClass=*)' "$2" 2>/dev/null | sed -n "s/^$2: //p"
}
gtime_in() { date -u -d "$1" +%Y%m%d%H%M; }

cp "$ORGRBAC_TOP/etc/slapd-acl.ldif" "$WORK/acl.ldif"
LDAPNOINIT=1 ldapmodify -x -H "$LDAP_URI" -D "$LDAP_CONFIG_DN" -w "$LDAP_CONFIG_PW" \
	-f "$WORK/acl.ldif" >"$WORK/acl.log" 2>&1 || fail "etc/slapd-acl.ldif does not load: $(cat "$WORK/acl.log")"

orgrbac_progress "grant: validation refusals write nothing"
d0=$(grants_dump)
expect 1 "no role named 'Nope' in organization acme nor among the global roles" -- \
	grant Nope --user bob "${AL[@]}"
expect 1 "user 'mallory': no inetOrgPerson with uid 'mallory' under o=acme,$B" -- \
	grant 'Service Runner' --user mallory "${AL[@]}"
expect 1 "user 'gus': no inetOrgPerson with uid 'gus' under o=acme" -- \
	grant 'Service Runner' --user gus "${AL[@]}"
expect 1 "group 'nobody-here': no groupOfNames" -- grant 'Service Runner' --group nobody-here "${AL[@]}"
expect 1 "is not beneath o=acme,$B" -- grant 'Service Runner' --user "$GUS" "${AL[@]}"
expect 1 "no inetOrgPerson uid=zed,ou=people,o=acme" -- \
	grant 'Service Runner' --user "uid=zed,ou=people,o=acme,$B" "${AL[@]}"
expect 1 "scope 'service:pay ments' refused" -- grant 'Service Runner' --user bob --service 'pay ments' "${AL[@]}"
expect 1 "scope 'resource:' refused" -- grant 'Service Runner' --user bob --resource '' "${AL[@]}"
expect 1 "scope 'service:payments' given twice" -- grant 'Service Runner' --user bob \
	--service payments --service payments "${AL[@]}"
expect 1 "ends before it starts" -- grant 'Service Runner' --user bob --from +7d --until +1d "${AL[@]}"
expect 1 "ends before it starts" -- grant 'Service Runner' --user bob \
	--from 2030-01-02T00:00:00Z --until 2030-01-01 "${AL[@]}"
expect 1 "window is over already" -- grant 'Service Runner' --user bob --until 2020-01-01 "${AL[@]}"
expect 1 "--from 'tomorrow' is not a time" -- grant 'Service Runner' --user bob --from tomorrow "${AL[@]}"
expect 1 "--until '2026-13-01' is not a time" -- grant 'Service Runner' --user bob --until 2026-13-01 "${AL[@]}"
expect 1 "--until '\+7x' is not a time" -- grant 'Service Runner' --user bob --until +7x "${AL[@]}"
expect 1 "--for '0d' is not a duration" -- grant 'Service Runner' --user bob --for 0d "${AL[@]}"
expect 2 "--until and --for exclude each other" -- grant 'Service Runner' --user bob --until +1d --for 1d "${AL[@]}"
expect 1 "grantee uid=bob,ou=people,o=acme,$B given twice" -- grant 'Service Runner' --user bob --user "$BOB" "${AL[@]}"
expect 1 "user name refused" -- grant 'Service Runner' --user 'bo b' "${AL[@]}"
expect 1 "grant name refused: longer than 256 bytes" -- grant 'Service Runner' --user bob \
	--name "$(printf 'n%.0s' {1..300})" "${AL[@]}"
expect 2 "give at least one --user U or --group G" -- grant 'Service Runner' "${AL[@]}"
expect 2 "ROLE missing" -- grant --user bob "${AL[@]}"
expect 2 "--at is for revoke" -- grant 'Service Runner' --user bob --at +1d "${AL[@]}"
expect 2 "--role and --expiring are for grants" -- revoke x --role y "${AL[@]}"
[ "$(grants_dump)" = "$d0" ] && ok || ko "a refused grant wrote something"

orgrbac_progress "grant: --dry-run prints the LDIF, writes nothing"
out=$("$ORGRBAC" grant 'Service Runner' --user bob --service payments --for 7d --dry-run "${AL[@]}" 2>&1)
grep -q "^dn: cn=bob-service-runner-payments-[0-9a-f]\{8\},$G$" <<<"$out" &&
	grep -q '^changetype: add$' <<<"$out" && grep -q "^orgGrantee: $BOB$" <<<"$out" &&
	grep -q '^orgScope: service:payments$' <<<"$out" &&
	grep -q "^orgNotAfter: $(gtime_in '+7 days')[0-9][0-9]Z$" <<<"$out" &&
	grep -q 'dry run: nothing written' <<<"$out" && ok || ko "grant --dry-run: $out"
[ "$(grants_dump)" = "$d0" ] && ok || ko "grant --dry-run wrote something"

orgrbac_progress "grant: to a user, a group, scoped, windowed, idempotent"
expect 0 "grant added" -- grant 'Service Runner' --user bob --service payments --for 7d "${AL[@]}"
cn=$(ldapsearch_admin -b "$G" "(&(objectClass=orgRoleGrant)(orgGrantee=$BOB)(orgScope=service:payments))" cn | sed -n 's/^cn: //p')
[[ "$cn" =~ ^bob-service-runner-payments-[0-9a-f]{8}$ ]] && ok || ko "generated name: '$cn'"
[ "$(attr "cn=$cn,$G" orgGrantedRole)" = "cn=Service Runner,ou=roles,o=acme,$B" ] && ok || ko "role of $cn"
[[ "$(attr "cn=$cn,$G" orgNotAfter)" == "$(gtime_in '+7 days')"* ]] && ok || ko "window of $cn: $(attr "cn=$cn,$G" orgNotAfter)"
# the same grant again: the same entry, its window updated, nothing else
d1=$(grants_dump)
expect 0 "grant updated" -- grant 'Service Runner' --user bob --service payments --until +14d "${AL[@]}"
[ "$(ldapsearch_admin -b "$B" "(&(objectClass=orgRoleGrant)(orgGrantee=$BOB)(orgScope=service:payments))" 1.1 | grep -c '^dn:')" = 1 ] &&
	ok || ko "a second run made a second entry"
[[ "$(attr "cn=$cn,$G" orgNotAfter)" == "$(gtime_in '+14 days')"* ]] && ok || ko "window not updated"
diff <(grep -v '^orgNotAfter' <<<"$d1") <(grants_dump | grep -v '^orgNotAfter') >/dev/null && ok ||
	ko "the second run changed more than the window"
until=$(attr "cn=$cn,$G" orgNotAfter | sed -E 's/^(....)(..)(..)(..)(..)(..)Z$/\1-\2-\3T\4:\5:\6Z/')
expect 0 "grant unchanged" -- grant 'Service Runner' --user bob --service payments --until "$until" "${AL[@]}"
[ "$(grants_dump)" = "$(grants_dump)" ] && ok
expect 0 "window: +20[0-9-]+T.* \.\. 20" -- grant 'Service Runner' --user bob --service payments \
	--from +1h --for 7d "${AL[@]}"
[[ "$(attr "cn=$cn,$G" orgNotBefore)" == "$(gtime_in '+1 hour')"* ]] && ok || ko "--from +1h"
# a group, a named grant, a global role, two grantees
expect 0 "grant added" -- grant Viewer --group payments-team --name payments-viewers "${AL[@]}"
[ "$(attr "cn=payments-viewers,$G" orgGrantee)" = "cn=payments-team,ou=groups,o=acme,$B" ] && ok || ko "group grant"
[ "$(attr "cn=payments-viewers,$G" orgGrantedRole)" = "cn=Viewer,ou=roles,$B" ] && ok || ko "global role"
expect 0 "grant added" -- grant 'Service Viewer' --user bob --user carol --resource db01.example.com \
	--name pair "${AL[@]}"
expect 1 "a grant named 'pair' exists" -- grant 'Service Viewer' --user bob --name pair "${AL[@]}"
expect 0 '"result": "added"' -- grant 'Service Auditor' --user bob --json "${AL[@]}"
out=$("$ORGRBAC" grant 'Service Auditor' --user bob --json "${AL[@]}")
python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["result"]=="unchanged" and d["grant"]["role"].startswith("cn=Service Auditor") and d["grant"]["until"] is None, d' <<<"$out" && ok || ko "grant --json: $out"

orgrbac_progress "grants: the listing"
expect 0 "grant: +pair" -- grants "${AL[@]}"
expect 0 "created: +20[0-9-]+T[0-9:]+Z by uid=alice" -- grants --role 'Service Viewer' "${AL[@]}"
expect 0 "grantee: +cn=payments-team" -- grants --role Viewer "${AL[@]}"
out=$("$ORGRBAC" grants --user carol --json "${AL[@]}")
python3 -c 'import json,sys; d=json.load(sys.stdin); n=[g["name"] for g in d["grants"]]; assert "pair" in n and "carol-payments-owner" in n and "alice-org-admin" not in n, n' <<<"$out" && ok || ko "grants --user carol --json: $out"
out=$("$ORGRBAC" grants --expiring 10d --json "${AL[@]}")
python3 -c 'import json,sys; d=json.load(sys.stdin); n=[g["name"] for g in d["grants"]]; assert n and all(g["until"] for g in d["grants"]) and "pair" not in n, n' <<<"$out" && ok || ko "grants --expiring 10d: $out"
expect 1 "no grants" -- grants --expiring 1m "${AL[@]}"
expect 1 "no inetOrgPerson with uid 'mallory'" -- grants --user mallory "${AL[@]}"
expect 1 "no role named 'Nope'" -- grants --role Nope "${AL[@]}"
# a grant the gate sees as void is listed as void, with why
printf 'dn: cn=broken,%s\nchangetype: add\nobjectClass: orgRoleGrant\ncn: broken\norgGrantedRole: cn=Viewer,ou=roles,%s\norgGrantee: %s\norgScope: host:web01\n' \
	"$G" "$B" "$BOB" | ldapmodify_admin >/dev/null 2>&1 || ko "adding a void grant"
expect 0 "state: +void: orgScope 'host:web01' is not service:NAME" -- grants --role Viewer "${AL[@]}"
out=$("$ORGRBAC" grants --json "${AL[@]}")
python3 -c 'import json,sys; d=json.load(sys.stdin); g={x["name"]: x for x in d["grants"]}; assert g["broken"]["state"]=="void" and "host:web01" in g["broken"]["void"] and g["pair"]["void"] is None, g["broken"]' <<<"$out" && ok || ko "grants --json void: $out"

orgrbac_progress "revoke: by name, by role and grantee, --at"
d2=$(grants_dump)
expect 2 "NAME or ROLE missing" -- revoke "${AL[@]}"
expect 1 "no grant named 'nope'" -- revoke nope "${AL[@]}"
expect 1 "no grant of that role names those grantees" -- revoke 'Service Viewer' --user alice "${AL[@]}"
expect 1 "--at 'soon' is not a time" -- revoke pair --at soon "${AL[@]}"
expect 1 "names other grantees too" -- revoke 'Service Viewer' --user bob --at +1d "${AL[@]}"
out=$("$ORGRBAC" revoke pair --dry-run "${AL[@]}" 2>&1)
grep -q "^dn: cn=pair,$G" <<<"$out" && grep -q '^changetype: delete' <<<"$out" && ok || ko "revoke --dry-run: $out"
[ "$(grants_dump)" = "$d2" ] && ok || ko "a refused or dry revoke wrote something"
# bob is one grantee of two: only he goes, in one modify
expect 0 "removed grantees from cn=pair,$G" -- revoke 'Service Viewer' --user bob "${AL[@]}"
[ "$(attr "cn=pair,$G" orgGrantee)" = "$CAROL" ] && ok || ko "pair after bob left: $(attr "cn=pair,$G" orgGrantee)"
expect 0 "deleted cn=pair,$G" -- revoke 'Service Viewer' --user carol "${AL[@]}"
[ -z "$(attr "cn=pair,$G" cn)" ] && ok || ko "pair still there"
expect 0 "grant added" -- grant 'Service Viewer' --group engineering "${AL[@]}"
expect 0 "deleted cn=engineering-service-viewer-[0-9a-f]{8},$G" -- revoke 'Service Viewer' --group engineering "${AL[@]}"
expect 0 "ended cn=payments-viewers" -- revoke payments-viewers --at 2030-12-24T18:00:00Z "${AL[@]}"
[ "$(attr "cn=payments-viewers,$G" orgNotAfter)" = 20301224180000Z ] && ok || ko "--at"
expect 0 "deleted cn=payments-viewers" -- revoke payments-viewers "${AL[@]}"

orgrbac_progress "grant: who may write where"
d3=$(grants_dump)
expect 2 "refused the add of cn=.*,ou=grants,o=globex,$B: Insufficient access \(50\)|no such entry" -- \
	grant Viewer --user "$GUS" --org globex "${AL[@]}"
expect 2 "Insufficient access \(50\)" -- grant Viewer --user bob --platform "${AL[@]}"
expect 2 "o=acme,$B: no such entry \(or hidden from this identity\)" -- \
	grant Viewer --user bob --org acme "${GU[@]}"
expect 2 "Insufficient access \(50\)|no such entry" -- grant Viewer --user bob "${HO[@]}"
expect 2 "Insufficient access \(50\)|no such entry" -- revoke alice-org-admin "${HO[@]}"
[ "$(grants_dump)" = "$d3" ] && ok || ko "a refused identity wrote something"
expect 0 "grant added" -- grant Viewer --user gus --org globex "${GU[@]}"
# platform grants: the operators, with grantees of any organization, by name or DN
expect 0 "grant added" -- grant Viewer --user gus --platform --name gus-support "${OP[@]}"
[ "$(attr "cn=gus-support,ou=grants,$B" orgGrantee)" = "$GUS" ] && ok || ko "platform grant"
expect 0 "grant added" -- grant Viewer --user "$BOB" --platform "${OP[@]}"
# a name that several organizations hold is refused: the DN says which
printf 'dn: uid=bob,ou=people,o=globex,%s\nchangetype: add\nobjectClass: inetOrgPerson\nuid: bob\ncn: bob\nsn: bob\n' \
	"$B" | ldapmodify_admin >/dev/null 2>&1 || ko "adding globex's bob"
expect 1 "'bob' names several entries: give the grantee's DN" -- grant Viewer --user bob --platform "${OP[@]}"
expect 0 "grant unchanged" -- grant Viewer --user "$BOB" --platform "${OP[@]}"
# the sample's platform grant of Platform Support to gus is found again, not doubled
expect 0 "grant unchanged" -- grant 'Platform Support' --user gus --platform "${OP[@]}"
expect 1 "no global role named 'Service Runner'" -- grant 'Service Runner' --user bob --platform "${OP[@]}"
expect 0 "grant: +gus-support" -- grants --platform "${OP[@]}"
expect 0 "deleted" -- revoke gus-support --platform "${OP[@]}"

orgrbac_progress "grant: hostile values are values, never filters"
d4=$(grants_dump)
expect 1 "no role named '\*'" -- grant '*' --user bob "${AL[@]}"
expect 1 "no role named 'x\)\(cn=\*'" -- grant 'x)(cn=*' --user bob "${AL[@]}"
expect 1 "user name refused" -- grant Viewer --user '*' "${AL[@]}"
expect 1 "user name refused" -- grant Viewer --user 'bob)(uid=*' "${AL[@]}"
expect 1 "group '\*': no groupOfNames with cn '\*'" -- grant Viewer --group '*' "${AL[@]}"
expect 1 "no groupOfNames with cn 'x\)\(cn=\*'" -- grant Viewer --group 'x)(cn=*' "${AL[@]}"
expect 1 "no grant named '\*'" -- revoke '*' "${AL[@]}"
expect 1 "no grant named 'a\)\(cn=\*'" -- revoke 'a)(cn=*' "${AL[@]}"
expect 1 "scope 'service:" -- grant Viewer --user bob --service "$(printf 's%.0s' {1..5000})" "${AL[@]}"
expect 1 "user name refused" -- grant Viewer --user "$(printf 'u%.0s' {1..5000})" "${AL[@]}"
expect 1 "grant name refused" -- grant Viewer --user bob --name $'a\nb' "${AL[@]}"
[ "$(grants_dump)" = "$d4" ] && ok || ko "a hostile value wrote something"
expect 0 "grant added" -- grant Viewer --user bob --service 'a)(cn=*' --name 'x)(cn=*' "${AL[@]}"
[ "$(attr "cn=x)(cn=*,$G" orgScope)" = 'service:a)(cn=*' ] && ok || ko "hostile scope stored as a value"
expect 0 "deleted" -- revoke 'x)(cn=*' "${AL[@]}"
[ "$(grants_dump)" = "$d4" ] && ok || ko "revoking the hostile name removed more than it"

orgrbac_progress "grant: a grant made by the tool reaches check"
expect 0 "added" -- role add 'Deploy Runner' --privilege deploy:run "${AL[@]}"
expect 1 "lacks privileges: deploy:run" -- check bob --require deploy:run --config "$WORK/root.conf"
expect 0 "grant added" -- grant 'Deploy Runner' --user bob --for 1d "${AL[@]}"
expect 0 "deploy:run <- deploy:run of role 'Deploy Runner' by grant 'bob-deploy-runner-[0-9a-f]{8}'" -- \
	check bob --require deploy:run --config "$WORK/root.conf"
expect 0 "deleted" -- revoke 'Deploy Runner' --user bob "${AL[@]}"
expect 1 "lacks privileges: deploy:run" -- check bob --require deploy:run --config "$WORK/root.conf"

orgrbac_summary grant
