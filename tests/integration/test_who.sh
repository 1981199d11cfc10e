#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# `orgrbac who` and `orgrbac lint` against the throwaway slapd with the sample organization:
# who lists a principal exactly when check allows it, and lint names the sample's traps.
. "$(dirname "$0")/../lib/lib.sh"
set +e

: "${ORGRBAC:?}" "${LDAP_URI:?}" "${TLS_CA_FILE:?}" "${WORK:?}"
AT=2026-11-22T12:00:00Z
H=o=acme,dc=example,dc=com

conf="$WORK/who.conf"
orgrbac_write_conf "$conf" "ldap.tls_ca_file=$TLS_CA_FILE"
# the host of the narrower scope, for check: who --service payments --resource db01 asks about it
conf_db="$WORK/who-db01.conf"
orgrbac_write_conf "$conf_db" "ldap.tls_ca_file=$TLS_CA_FILE" host.services=payments \
	host.resource=db01.example.com
users=$(sed -n 's/^uid: //p' "$ORGRBAC_TOP/etc/sample-org.ldif")

# agree EXPR CONF [WHO-OPTIONS...]: who's list equals the users check allows.
# check runs as the program itself: test_cli.sh runs it under valgrind, and
# 266 checks under valgrind would take most of the valgrind pass.
agree() {
	local expr=$1 c=$2 listed allowed="" u rc
	shift 2
	listed=$("$ORGRBAC" who "$expr" --at "$AT" --config "$conf" "$@" | cut -d: -f1 | sort -u |
		tr '\n' ' ')
	for u in $users; do
		"${ORGRBAC_BIN:-$ORGRBAC}" check "$u" --require "$expr" --at "$AT" --config "$c" \
			>/dev/null 2>&1
		rc=$?
		[ "$rc" -le 1 ] || orgrbac_ko "check $u --require '$expr' exited $rc"
		[ "$rc" -ne 0 ] || allowed+="$u"$'\n'
	done
	allowed=$(printf '%s' "$allowed" | sort -u | tr '\n' ' ')
	if [ "$listed" = "$allowed" ]; then
		orgrbac_ok
	else
		orgrbac_ko "who '$expr' $* lists [$listed], check allows [$allowed]"
	fi
}

for expr in 'host:login || common:org:own' 'host:sudo || common:org:own' host:login \
	'host:login && host:sudo' catalog:read none 'common:org:cross'; do
	agree "$expr" "$conf"
	agree "$expr" "$conf_db" --service payments --resource db01.example.com
done

# the sample's expected sshd decisions (etc/sample-org.ldif), by name
got=$("$ORGRBAC" who 'host:login || common:org:own' --at "$AT" --config "$conf" | cut -d: -f1 |
	sort -u | tr '\n' ' ')
want="alice bob carol grace hank heidi ivan olga pat vic "
[ "$got" = "$want" ] && orgrbac_ok || orgrbac_ko "who for sshd: [$got], wanted [$want]"
# who can sudo on db01: dave's Resource Owner there, and nobody who only logs in
out=$("$ORGRBAC" who 'host:sudo' --service payments --resource db01.example.com --at "$AT" \
	--config "$conf")
grep -q "^dave: host:sudo <- .* of role 'Resource Owner' by grant 'dave-db01-owner'" <<<"$out" &&
	orgrbac_ok || orgrbac_ko "who host:sudo on db01 lacks dave's path: $out"
# the path names the group a grant came through, and the external entry and its window
out=$("$ORGRBAC" who host:login --at "$AT" --config "$conf")
grep -q "^bob: .*via cn=engineering,ou=groups,$H (member through cn=payments-team,ou=groups,$H > cn=engineering,ou=groups,$H)" \
	<<<"$out" && orgrbac_ok || orgrbac_ko "bob's group chain: $out"
grep -q "^pat: .*external partner 'contoso' window 2026-01-01T00:00:00Z .. 2036-01-01T00:00:00Z" \
	<<<"$out" && orgrbac_ok || orgrbac_ko "pat's window: $out"
grep -q "^olga: .*by platform grant 'olga-cross'.*(cross-organization from globex)" <<<"$out" &&
	orgrbac_ok || orgrbac_ko "olga's crossing: $out"
# nobody: exit 1; a bad expression or time: exit 2
"$ORGRBAC" who no:such:privilege --at "$AT" --config "$conf" >"$WORK/who-none.out"
rc=$?
# hank's Hooli entry has role management off: he holds every privilege
[ "$rc" -eq 0 ] && [ "$(cut -d: -f1 "$WORK/who-none.out")" = hank ] && orgrbac_ok ||
	orgrbac_ko "who no:such:privilege: exit $rc, $(cat "$WORK/who-none.out")"
"$ORGRBAC" who 'host:login &&' --config "$conf" >/dev/null 2>&1
[ $? -eq 2 ] && orgrbac_ok || orgrbac_ko "a bad expression is not exit 2"
"$ORGRBAC" who host:login --at yesterday --config "$conf" >/dev/null 2>&1
[ $? -eq 2 ] && orgrbac_ok || orgrbac_ko "a bad --at is not exit 2"
# --json is valid JSON, and says the same
"$ORGRBAC" who 'host:login || common:org:own' --at "$AT" --json --config "$conf" \
	>"$WORK/who.json"
if python3 -m json.tool "$WORK/who.json" >/dev/null; then
	got=$(python3 -c 'import json,sys; print(" ".join(p["user"] for p in json.load(sys.stdin)["principals"]))' \
		<"$WORK/who.json")
	[ "$got " = "$want" ] && orgrbac_ok || orgrbac_ko "who --json lists [$got]"
else
	orgrbac_ko "who --json is not JSON: $(head -c 400 "$WORK/who.json")"
fi

# lint: the sample's deliberate traps, and nothing else (no host group shadows a role)
: >"$WORK/nogroups"
"$ORGRBAC" lint --at "$AT" --group-file "$WORK/nogroups" --config "$conf" >"$WORK/lint.out" 2>&1
rc=$?
[ "$rc" -eq 1 ] && orgrbac_ok || orgrbac_ko "lint exited $rc on the sample, wanted 1: $(cat "$WORK/lint.out")"
got=$(grep -v '^  fix: ' "$WORK/lint.out" | grep -v ' findings\?$' | cut -d: -f1,2 | sort)
want=$(sort <<EOT
group-cycle: cn=cycle-a,ou=groups,$H
grant-grantee: cn=deleted-user-grant,ou=grants,$H
grant-role: cn=missing-role-grant,ou=grants,$H
window-over: cn=frank-member-2025,ou=grants,$H
window-over: cn=initech,ou=external,$H
role-unheld: cn=org owner,ou=roles,dc=example,dc=com
role-unheld: cn=billing admin,ou=roles,dc=example,dc=com
role-unheld: cn=service maintainer,ou=roles,$H
role-unheld: cn=service runner,ou=roles,$H
role-unheld: cn=service viewer,ou=roles,$H
role-unheld: cn=service auditor,ou=roles,$H
role-unheld: cn=resource user,ou=roles,$H
EOT
)
[ "$got" = "$want" ] && orgrbac_ok || orgrbac_ko "lint findings differ: got
$got
wanted
$want"
[ "$(grep -c '^  fix: ' "$WORK/lint.out")" -eq 12 ] && orgrbac_ok || orgrbac_ko "each finding has a fix"
"$ORGRBAC" lint --at "$AT" --group-file "$WORK/nogroups" --json --config "$conf" >"$WORK/lint.json"
python3 -m json.tool "$WORK/lint.json" >/dev/null && orgrbac_ok || orgrbac_ko "lint --json is not JSON"
# a host group of a role's name shadows it (the sample's Org Owner holds '*', so every
# privilege a requirement names is some role's: the unit tests cover that finding)
printf 'root:x:0:\norg-admin:x:3000:\n' >"$WORK/group"
"$ORGRBAC" lint --at "$AT" --group-file "$WORK/group" --config "$conf" >"$WORK/lint2.out" 2>&1
grep -q "^shadow: cn=org admin,ou=roles,dc=example,dc=com: .*'org-admin'" "$WORK/lint2.out" &&
	orgrbac_ok || orgrbac_ko "no shadow finding: $(cat "$WORK/lint2.out")"
# in 2040 Contoso's window (2026..2036) is over too
"$ORGRBAC" lint --at 2040-01-01T00:00:00Z --group-file "$WORK/nogroups" --config "$conf" \
	>"$WORK/lint3.out" 2>&1
grep -q "^window-over: cn=contoso,ou=external,$H" "$WORK/lint3.out" && orgrbac_ok ||
	orgrbac_ko "contoso's window is not over in 2040: $(cat "$WORK/lint3.out")"

# review: every principal with a role here, from when to when
out=$("$ORGRBAC" review --at "$AT" --config "$conf")
rc=$?
[ "$rc" -eq 0 ] && orgrbac_ok || orgrbac_ko "review exited $rc: $out"
got=$(cut -d: -f1 <<<"$out" | sort -u | tr '\n' ' ')
# frank's grant is over, ian's window closed, uma disabled, judy's role missing, vera and
# erin... erin holds Viewer: any role counts, not only the login privilege
want="alice bob carol erin grace hank heidi ivan leo olga pat vic "
[ "$got" = "$want" ] && orgrbac_ok || orgrbac_ko "review lists [$got], wanted [$want]"
grep -q "^leo: role 'Member' by grant 'leo-member-2035' .*from 2035-01-01T00:00:00Z until 2036-01-01T00:00:00Z" \
	<<<"$out" && orgrbac_ok || orgrbac_ko "leo's later grant: $out"
grep -q "^pat: role 'Member' .*until 2036-01-01T00:00:00Z; external partner 'contoso' window" \
	<<<"$out" && orgrbac_ok || orgrbac_ko "pat's window: $out"
! grep -q "ENDS SOON" <<<"$out" && orgrbac_ok || orgrbac_ko "nothing ends soon without --expiring: $out"
# who made each grant and when, from the directory's operational attributes
grep -qE "^alice: role 'Org Admin' by grant 'alice-org-admin' .*; granted by cn=[^ ]+ at 2[0-9]{3}-[0-9]{2}-[0-9]{2}T" \
	<<<"$out" && orgrbac_ok || orgrbac_ko "review does not say who made alice's grant: $out"
out=$("$ORGRBAC" review --at 2035-12-20T00:00:00Z --expiring 30d --config "$conf")
got=$(grep 'ENDS SOON' <<<"$out" | cut -d: -f1 | sort -u | tr '\n' ' ')
[ "$got" = "grace leo pat " ] && orgrbac_ok || orgrbac_ko "ending within 30 days of 2035-12-20: [$got]: $out"
"$ORGRBAC" review --at "$AT" --json --config "$conf" >"$WORK/review.json"
python3 -m json.tool "$WORK/review.json" >/dev/null && orgrbac_ok || orgrbac_ko "review --json is not JSON"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
rows = [r for p in d["principals"] for r in p["roles"] if r["grant"]]
assert rows and all(r["created_by"] and r["created"].endswith("Z") for r in rows), rows' \
	"$WORK/review.json" && orgrbac_ok || orgrbac_ko "review --json lacks created_by/created"
"$ORGRBAC" review --at "$AT" --csv --config "$conf" >"$WORK/review.csv"
python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1]))); assert len(r) > 10 and all(x["user"] for x in r) and all(x["created_by"] for x in r if x["grant"]), r' \
	"$WORK/review.csv" && orgrbac_ok || orgrbac_ko "review --csv does not parse: $(head -3 "$WORK/review.csv")"
"$ORGRBAC" review --expiring soon --config "$conf" >/dev/null 2>&1
[ $? -eq 2 ] && orgrbac_ok || orgrbac_ko "a bad --expiring is not exit 2"

# hostile names: a group and a grant whose names hold control characters come out escaped
ev=$(printf 'ev\001il' | base64)
gr=$(printf 'g\033[31mrant' | base64)
cat >"$WORK/hostile-who.ldif" <<EOT
dn: uid=mallory,ou=people,$H
objectClass: inetOrgPerson
objectClass: posixAccount
uid: mallory
cn: mallory
sn: mallory
uidNumber: 30301
gidNumber: 10000
homeDirectory: /home/mallory

dn:: $(printf 'cn=ev\001il,ou=groups,%s' "$H" | base64 -w0)
objectClass: groupOfNames
cn:: $ev
member: uid=mallory,ou=people,$H

dn:: $(printf 'cn=g\033[31mrant,ou=grants,%s' "$H" | base64 -w0)
objectClass: orgRoleGrant
cn:: $gr
orgGrantedRole: cn=Member,ou=roles,dc=example,dc=com
orgGrantee:: $(printf 'cn=ev\001il,ou=groups,%s' "$H" | base64 -w0)
EOT
if ldapmodify_admin -a -f "$WORK/hostile-who.ldif" >"$WORK/hostile-who.log" 2>&1; then
	out=$("$ORGRBAC" who host:login --at "$AT" --config "$conf")
	line=$(grep '^mallory: ' <<<"$out")
	if [ -n "$line" ] && ! LC_ALL=C grep -q '[[:cntrl:]]' <<<"$line"; then
		orgrbac_ok
	else
		orgrbac_ko "mallory's path missing or not escaped: $(printf '%q' "$line")"
	fi
	"$ORGRBAC" who host:login --at "$AT" --json --config "$conf" >"$WORK/who-hostile.json"
	python3 -m json.tool "$WORK/who-hostile.json" >/dev/null && orgrbac_ok ||
		orgrbac_ko "who --json with hostile names is not JSON"
	for fmt in "" --csv --json; do
		out=$("$ORGRBAC" review --at "$AT" $fmt --config "$conf")
		if grep -q mallory <<<"$out" && ! LC_ALL=C grep -q '[[:cntrl:]]' <<<"${out//$'\n'/}"; then
			orgrbac_ok
		else
			orgrbac_ko "review $fmt: mallory missing or not escaped: $(printf '%q' "$out")"
		fi
	done
	python3 -m json.tool <<<"$out" >/dev/null && orgrbac_ok || orgrbac_ko "review --json with hostile names"
	"$ORGRBAC" lint --at "$AT" --group-file "$WORK/nogroups" --json --config "$conf" \
		>"$WORK/lint-hostile.json"
	python3 -m json.tool "$WORK/lint-hostile.json" >/dev/null && orgrbac_ok ||
		orgrbac_ko "lint --json with hostile names is not JSON"
	# leave the directory as the next tests expect it
	{
		printf 'dn:: %s\nchangetype: delete\n\n' \
			"$(printf 'cn=g\033[31mrant,ou=grants,%s' "$H" | base64 -w0)"
		printf 'dn:: %s\nchangetype: delete\n\n' \
			"$(printf 'cn=ev\001il,ou=groups,%s' "$H" | base64 -w0)"
		printf 'dn: uid=mallory,ou=people,%s\nchangetype: delete\n' "$H"
	} >"$WORK/hostile-who-del.ldif"
	ldapmodify_admin -f "$WORK/hostile-who-del.ldif" >>"$WORK/hostile-who.log" 2>&1 ||
		orgrbac_ko "could not remove the hostile entries: $(tail -n 3 "$WORK/hostile-who.log")"
else
	orgrbac_ko "loading the hostile entries: $(tail -n 3 "$WORK/hostile-who.log")"
fi

# the administrator's connection options: reading as an acme administrator with -D and -y (the
# same answer: this server hides nothing), the checks on them, another organization's hosts
ALICE=uid=alice,ou=people,$H
printf 'dn: %s\nchangetype: modify\nreplace: userPassword\nuserPassword: alice-secret\n' "$ALICE" |
	ldapmodify_admin >"$WORK/who-pw.log" 2>&1 || orgrbac_ko "setting alice's password: $(cat "$WORK/who-pw.log")"
printf '%s' alice-secret >"$WORK/alice.pw"
printf '%s' wrong >"$WORK/wrong.pw"
want=$("$ORGRBAC" who host:login --at "$AT" --config "$conf")
got=$("$ORGRBAC" who host:login --at "$AT" --config "$conf" -D "$ALICE" -y "$WORK/alice.pw")
[ $? -eq 0 ] && [ "$got" = "$want" ] && orgrbac_ok ||
	orgrbac_ko "who as alice (-D -y) differs: $got"
got=$("$ORGRBAC" review -D "$ALICE" --at "$AT" -y "$WORK/alice.pw" --config "$conf")
[ "$got" = "$("$ORGRBAC" review --at "$AT" --config "$conf")" ] && orgrbac_ok ||
	orgrbac_ko "review as alice (-D -y) differs: $got"
orgrbac_expect 1 "^[0-9]+ findings" -- lint --at "$AT" --group-file "$WORK/nogroups" \
	--config "$conf" -D "$ALICE" -y "$WORK/alice.pw"
orgrbac_expect 2 "invalid credentials" -- who host:login --config "$conf" -D "$ALICE" -y "$WORK/wrong.pw"
orgrbac_expect 2 "orgrbac: who: -D needs -W or -y" -- who host:login --config "$conf" -D "$ALICE"
orgrbac_expect 2 "orgrbac: review: -W and -y exclude each other" -- review --config "$conf" \
	-D "$ALICE" -W -y "$WORK/alice.pw"
orgrbac_expect 2 "orgrbac: lint: -Y: only EXTERNAL" -- lint --config "$conf" -Y PLAIN
orgrbac_expect 2 "no directory server answered" -- who host:login --config "$conf" \
	-H ldap://127.0.0.1:1/
orgrbac_expect 2 "orgrbac: who: --platform: .*name it with --org" -- who host:login --platform \
	--config "$conf"
orgrbac_expect 2 "orgrbac: review: --platform" -- review --platform --config "$conf"
orgrbac_expect 2 "orgrbac: lint: --org and --platform exclude each other" -- lint --org acme \
	--platform --config "$conf"
printf 'dn: %s\nchangetype: modify\ndelete: userPassword\n' "$ALICE" |
	ldapmodify_admin >>"$WORK/who-pw.log" 2>&1 || orgrbac_ko "removing alice's password"
# --org globex: a host of globex, as check decides on one
conf_globex="$WORK/who-globex.conf"
orgrbac_write_conf "$conf_globex" "ldap.tls_ca_file=$TLS_CA_FILE" host.org=globex
for expr in 'host:login || common:org:own' host:sudo; do
	agree "$expr" "$conf_globex" --org globex
done
got=$("$ORGRBAC" who 'host:login || common:org:own' --org globex --at "$AT" --config "$conf" |
	cut -d: -f1 | sort -u | tr '\n' ' ')
[ "$got" = "$("$ORGRBAC" who 'host:login || common:org:own' --at "$AT" --config "$conf_globex" |
	cut -d: -f1 | sort -u | tr '\n' ' ')" ] && [ -n "$got" ] && [ "$got" != "$want" ] &&
	orgrbac_ok || orgrbac_ko "who --org globex lists [$got]"
out=$("$ORGRBAC" review --org globex --at "$AT" --json --config "$conf")
python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["organization"]=="globex" and d["principals"], d' \
	<<<"$out" && orgrbac_ok || orgrbac_ko "review --org globex: $out"
# lint --org and --platform: the findings in that organization, or outside every one
"$ORGRBAC" lint --at "$AT" --group-file "$WORK/nogroups" --org acme --config "$conf" \
	>"$WORK/lint-acme.out"
got=$(grep -v '^  fix: ' "$WORK/lint-acme.out" | grep -v ' findings\?$' | cut -d: -f2 | sort -u)
[ -n "$got" ] && ! grep -qv ",$H\$" <<<"$got" && grep -q '^10 findings$' "$WORK/lint-acme.out" &&
	orgrbac_ok || orgrbac_ko "lint --org acme: $(cat "$WORK/lint-acme.out")"
"$ORGRBAC" lint --at "$AT" --group-file "$WORK/nogroups" --platform --config "$conf" \
	>"$WORK/lint-platform.out"
got=$(grep -v '^  fix: ' "$WORK/lint-platform.out" | grep -v ' findings\?$' | cut -d: -f1,2 | sort)
want=$(printf '%s\n' "role-unheld: cn=billing admin,ou=roles,dc=example,dc=com" \
	"role-unheld: cn=org owner,ou=roles,dc=example,dc=com")
[ "$got" = "$want" ] && orgrbac_ok || orgrbac_ko "lint --platform: $(cat "$WORK/lint-platform.out")"
orgrbac_expect 0 "^0 findings" -- lint --at "$AT" --group-file "$WORK/nogroups" --org globex \
	--config "$conf"

orgrbac_summary test_who
