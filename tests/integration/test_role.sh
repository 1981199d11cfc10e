#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# `orgrbac role` against a real slapd under etc/slapd-acl.ldif: each
# subcommand, every validation refusal (nothing written), --dry-run, the
# connection options, who may write where (an organization's admins, the
# operators, a host), hostile names, and a new role reaching check and sync.
. "$(dirname "$0")/../lib/lib.sh"
set +e

orgrbac_acl_setup role
AT=2026-11-22T12:00:00Z

ROOT=(--config "$conf" -D "$LDAP_ADMIN_DN" -y "$WORK/root.pw")
AL=(--config "$conf" -D "$ALICE" -y "$WORK/alice.pw")

# roles ARGS...: the number of orgRole entries the rootdn sees under BASE
roles() {
	ldapsearch_admin -b "$B" '(objectClass=orgRole)' 1.1 | grep -c '^dn:'
}
# has DN ATTR VALUE: does the entry hold that value (read by the rootdn)?
has() {
	ldapsearch_admin -b "$1" -s base "($2=$3)" 1.1 2>/dev/null | grep -q '^dn:'
}

orgrbac_progress "role: reading, before the ACL"
orgrbac_expect 0 "Service Owner	gid=21001	host:login host:sudo service:\*" -- role list "${ROOT[@]}"
orgrbac_expect 0 "^Org Admin	gid=20002" -- role --platform list "${ROOT[@]}"
out=$("$ORGRBAC" role list --json "${ROOT[@]}")
python3 -c 'import json,sys; d=json.load(sys.stdin); r={x["name"]: x for x in d["roles"]}; assert r["Service Owner"]["gid"]==21001 and "service:*" in r["Service Owner"]["privileges"], d' <<<"$out" && orgrbac_ok || orgrbac_ko "role list --json: $out"
orgrbac_expect 0 "created: +20[0-9-]+T[0-9:]+Z by cn=admin,$B" -- role show 'Org Admin' --platform "${ROOT[@]}"
orgrbac_expect 1 "no role named 'Nope'" -- role show Nope "${ROOT[@]}"
out=$("$ORGRBAC" role show 'Service Owner' --json "${ROOT[@]}")
python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["dn"].startswith("cn=Service Owner,ou=roles,o=acme") and d["created_by"]=="cn=admin,dc=example,dc=com", d' <<<"$out" && orgrbac_ok || orgrbac_ko "role show --json: $out"
# SASL EXTERNAL over ldapi:// (root's peer credentials manage the directory)
if [ "$(id -u)" -eq 0 ]; then
	orgrbac_expect 0 "^Member	gid=20003" -- role list --platform --config "$conf" -H "$LDAPI_URI" -Y EXTERNAL
fi
# -y takes the whole file: a trailing newline is part of the password
orgrbac_expect 2 "invalid credentials" -- role list --config "$conf" -D "$ALICE" -y "$WORK/alice-newline.pw"
orgrbac_expect 2 "-D needs -W or -y" -- role list --config "$conf" -D "$ALICE"
: >"$WORK/empty.pw"
orgrbac_expect 2 "-y: empty password" -- role list --config "$conf" -D "$ALICE" -y "$WORK/empty.pw"
orgrbac_expect 2 "-W: no terminal to ask on" -- role list --config "$conf" -D "$ALICE" -W
# -W asks on the terminal: a pseudo-terminal through script(1), typed after the prompt
# (typed after the prompt: earlier input is flushed, as getpass(3) does; valgrind is slower to ask)
typed_after=1
[ -z "${VALGRIND:-}" ] || typed_after=8
if command -v script >/dev/null 2>&1; then
	out=$( (sleep "$typed_after"; printf 'alice-secret\n') | timeout 20 script -qec \
		"'$ORGRBAC' role show 'Service Owner' --config '$conf' -D '$ALICE' -W" /dev/null 2>&1)
	grep -q 'Enter LDAP Password:' <<<"$out" && grep -q '^dn: *cn=Service Owner' <<<"$out" &&
		! grep -q 'alice-secret' <<<"$out" && orgrbac_ok || orgrbac_ko "-W through a terminal: $out"
	out=$( (sleep "$typed_after"; printf '\n') | timeout 20 script -qec \
		"'$ORGRBAC' role list --config '$conf' -D '$ALICE' -W" /dev/null 2>&1)
	grep -q -- '-W: empty password' <<<"$out" && orgrbac_ok || orgrbac_ko "-W, an empty password: $out"
fi
# options and operands in any order; a NAME starting with '-' follows "--"
orgrbac_expect 0 "^role: +Service Owner" -- role --config "$conf" show -D "$ALICE" 'Service Owner' -y "$WORK/alice.pw"
orgrbac_expect 1 "no role named '-x'" -- role show "${AL[@]}" -- -x
orgrbac_expect 2 "--privilege is for add" -- role set 'Service Owner' --privilege a "${AL[@]}"
orgrbac_expect 2 "--add-privilege and --remove-privilege for set" -- role add X --privilege a --remove-privilege b "${AL[@]}"
orgrbac_expect 2 "NAME missing" -- role show "${AL[@]}"
orgrbac_expect 2 "role list takes no NAME" -- role list X "${AL[@]}"
orgrbac_expect 2 "only EXTERNAL" -- role list --config "$conf" -Y PLAIN
orgrbac_expect 2 "exclude each other" -- role list --config "$conf" --org acme --platform
orgrbac_expect 2 "usage" -- role
orgrbac_expect 2 "unknown role command" -- role frob "${ROOT[@]}"
orgrbac_expect 2 "no directory server answered" -- role list --config "$conf" -H ldap://127.0.0.1:1/ \
	-D "$ALICE" -y "$WORK/alice.pw"

# the shipped ACL from here on
cp "$ORGRBAC_TOP/etc/slapd-acl.ldif" "$WORK/acl.ldif"
LDAPNOINIT=1 ldapmodify -x -H "$LDAP_URI" -D "$LDAP_CONFIG_DN" -w "$LDAP_CONFIG_PW" \
	-f "$WORK/acl.ldif" >"$WORK/acl.log" 2>&1 || fail "etc/slapd-acl.ldif does not load: $(cat "$WORK/acl.log")"

orgrbac_progress "role: validation refusals write nothing"
n0=$(roles)
orgrbac_expect 1 "privilege 'bad priv' does not parse" -- role add X --privilege 'bad priv' "${AL[@]}"
orgrbac_expect 1 "privilege 'host:\*:x' does not parse" -- role add X --privilege 'host:*:x' "${AL[@]}"
orgrbac_expect 1 "gid 20002 is taken by cn=Org Admin,ou=roles,$B" -- role add X --privilege a --gid 20002 "${AL[@]}"
orgrbac_expect 1 "gid 21001 is taken by cn=Service Owner" -- role add X --privilege a --gid 21001 "${AL[@]}"
orgrbac_expect 1 "gid 999 is below 1000" -- role add X --privilege a --gid 999 "${AL[@]}"
orgrbac_expect 1 "not a number" -- role add X --privilege a --gid -5 "${AL[@]}"
orgrbac_expect 1 "a role named 'Service Owner' exists" -- role add 'Service Owner' --privilege a "${AL[@]}"
orgrbac_expect 1 "a global role named 'Member' exists" -- role add Member --privilege a "${AL[@]}"
orgrbac_expect 1 "at least one --privilege" -- role add X "${AL[@]}"
orgrbac_expect 1 "given twice" -- role add X --privilege a --privilege a "${AL[@]}"
orgrbac_expect 1 "group name 'bad name' is not usable" -- role add X --privilege a --group-name 'bad name' "${AL[@]}"
orgrbac_expect 1 "control character" -- role add $'x\x01y' --privilege a "${AL[@]}"
orgrbac_expect 1 "not valid UTF-8" -- role add $'x\xffy' --privilege a "${AL[@]}"
orgrbac_expect 1 "already holds privilege 'host:login'" -- role set 'Service Owner' --add-privilege host:login "${AL[@]}"
orgrbac_expect 1 "does not hold privilege 'nope'" -- role set 'Service Owner' --remove-privilege nope "${AL[@]}"
orgrbac_expect 1 "nothing to change" -- role set 'Service Owner' "${AL[@]}"
orgrbac_expect 1 "no role named 'Nope'" -- role set Nope --add-privilege a "${AL[@]}"
orgrbac_expect 1 "1 grant names this role.*
  grant cn=carol-payments-owner,ou=grants,o=acme,$B" -- role delete 'Service Owner' "${AL[@]}"
[ "$(roles)" = "$n0" ] && orgrbac_ok || orgrbac_ko "a refused change wrote: $n0 roles before, $(roles) after"

# a role under a managed-services agreement (orgManaged, through extensibleObject) is left alone
printf 'dn: cn=Service Runner,ou=roles,o=acme,%s\nchangetype: modify\nadd: objectClass\nobjectClass: extensibleObject\n-\nadd: orgManaged\norgManaged: TRUE\n-\n' "$B" |
	ldapmodify_admin >"$WORK/managed.log" 2>&1 || orgrbac_ko "marking a role orgManaged: $(cat "$WORK/managed.log")"
orgrbac_expect 0 "managed: +yes" -- role show 'Service Runner' "${AL[@]}"
orgrbac_expect 1 "role 'Service Runner' is orgManaged" -- role set 'Service Runner' --add-privilege a "${AL[@]}"
orgrbac_expect 1 "role 'Service Runner' is orgManaged" -- role delete 'Service Runner' "${AL[@]}"
has "cn=Service Runner,ou=roles,o=acme,$B" orgPrivilege a && orgrbac_ko "set wrote to an orgManaged role" || orgrbac_ok
[ "$(roles)" = "$n0" ] && orgrbac_ok || orgrbac_ko "a refused change wrote: $n0 roles before, $(roles) after"

orgrbac_progress "role: --dry-run writes nothing"
out=$("$ORGRBAC" role add 'Deploy Bot' --privilege deploy:run --privilege host:login --gid 30000 \
	--dry-run "${AL[@]}" 2>/dev/null)
want="dn: cn=Deploy Bot,ou=roles,o=acme,$B
changetype: add
objectClass: orgRole
cn: Deploy Bot
orgPrivilege: deploy:run
orgPrivilege: host:login
gidNumber: 30000"
[ "$out" = "$want" ] && orgrbac_ok || orgrbac_ko "add --dry-run printed: $out"
orgrbac_expect 0 "changetype: modify
add: orgPrivilege
orgPrivilege: x:y
-" -- role set 'Service Owner' --add-privilege x:y --dry-run "${AL[@]}"
orgrbac_expect 0 "changetype: delete" -- role delete 'Service Viewer' --dry-run "${AL[@]}"
[ "$(roles)" = "$n0" ] && orgrbac_ok || orgrbac_ko "--dry-run wrote: $n0 roles before, $(roles) after"
has "cn=Service Owner,ou=roles,o=acme,$B" orgPrivilege x:y && orgrbac_ko "set --dry-run wrote" || orgrbac_ok

orgrbac_progress "role: an organization's admin at work"
orgrbac_expect 0 "role 'Deploy Bot' added: cn=Deploy Bot,ou=roles,o=acme,$B" -- \
	role add 'Deploy Bot' --privilege deploy:run --gid auto --description 'CI deployments' "${AL[@]}"
orgrbac_expect 0 "created: .* by $ALICE" -- role show 'Deploy Bot' "${AL[@]}"
orgrbac_expect 0 "gid: +1000$" -- role show 'Deploy Bot' "${AL[@]}"
# the next --gid auto skips it
orgrbac_expect 0 "gidNumber: 1001" -- role add 'Other' --privilege a --gid auto --dry-run "${AL[@]}"
orgrbac_expect 0 "changed" -- role set 'Deploy Bot' --add-privilege host:login --add-privilege 'deploy:*' \
	--remove-privilege deploy:run --gid 30001 --group-name deployers "${AL[@]}"
orgrbac_expect 0 "privileges: +deploy:\* host:login|privileges: +host:login deploy:\*" -- role show 'Deploy Bot' "${AL[@]}"
orgrbac_expect 0 "group name: +deployers" -- role show 'Deploy Bot' "${AL[@]}"
orgrbac_expect 0 "modified: .* by $ALICE" -- role show 'Deploy Bot' "${AL[@]}"
# a role keeps its own gid
orgrbac_expect 0 "changed" -- role set 'Deploy Bot' --gid 30001 "${AL[@]}"
orgrbac_expect 0 "role 'Service Viewer' deleted" -- role delete 'Service Viewer' "${AL[@]}"
orgrbac_expect 1 "no role named 'Service Viewer'" -- role show 'Service Viewer' "${AL[@]}"

orgrbac_progress "role: who may write where"
# alice is refused on globex and on the platform, in the server's words
orgrbac_expect 2 "refused the add of cn=X,ou=roles,o=globex,$B: Insufficient access \(50\)" -- \
	role add X --privilege a --org globex "${AL[@]}"
orgrbac_expect 2 "refused the add of cn=X,ou=roles,$B: Insufficient access \(50\)" -- \
	role add X --privilege a --platform "${AL[@]}"
orgrbac_expect 2 "Insufficient access \(50\)" -- role set Viewer --add-privilege a --platform "${AL[@]}"
# gus, globex's admin, on acme: acme's roles are hidden from him, and he cannot add one
orgrbac_expect 2 "o=acme,$B: no such entry \(or hidden from this identity\)" -- \
	role set 'Deploy Bot' --add-privilege a --org acme --config "$conf" -D "$GUS" -y "$WORK/gus.pw"
orgrbac_expect 2 "refused the add of cn=X,ou=roles,o=acme,$B: Insufficient access \(50\)" -- \
	role add X --privilege a --org acme --config "$conf" -D "$GUS" -y "$WORK/gus.pw"
orgrbac_expect 0 "added" -- role add 'Globex Ops' --privilege ops:run --org globex \
	--config "$conf" -D "$GUS" -y "$WORK/gus.pw"
# a host writes nothing
orgrbac_expect 2 "Insufficient access \(50\)" -- role add X --privilege a \
	--config "$conf" -D "$HOST" -y "$WORK/host.pw"
orgrbac_expect 2 "Insufficient access \(50\)" -- role delete 'Deploy Bot' \
	--config "$conf" -D "$HOST" -y "$WORK/host.pw"
# the operators manage the global roles
orgrbac_expect 0 "added: cn=Platform Ops,ou=roles,$B" -- role add 'Platform Ops' --privilege 'ops:*' \
	--platform --config "$conf" -D "$OPER" -y "$WORK/oper.pw"
orgrbac_expect 0 "deleted" -- role delete 'Platform Ops' --platform --config "$conf" -D "$OPER" -y "$WORK/oper.pw"

orgrbac_progress "role: hostile names are values, never filters"
# --org is an RDN value too: no organization named so, never another entry
orgrbac_expect 2 "o=acme\\\\x5c2Cdc\\\\x5c3Devil,$B: no such entry" -- role list --org 'acme,dc=evil' "${AL[@]}"
orgrbac_expect 2 "o=\\*,$B: no such entry" -- role list --org '*' "${AL[@]}"
orgrbac_expect 1 "no role named '\*'" -- role show '*' "${AL[@]}"
orgrbac_expect 1 "no role named 'Service\*'" -- role show 'Service*' "${AL[@]}"
orgrbac_expect 1 "no role named" -- role show $'\xff*' "${AL[@]}"
orgrbac_expect 1 "no role named" -- role show 'Service\2a' "${AL[@]}"
orgrbac_expect 1 "no role named 'x\)\(cn=\*'" -- role show 'x)(cn=*' "${AL[@]}"
orgrbac_expect 1 "no role named 'Service Owner\)\(cn=\*'" -- role delete 'Service Owner)(cn=*' "${AL[@]}"
for name in '*' 'x)(cn=*' 'a\2a*' 'a,b=c+d' '#hash;' 'é"<>' 'trailing\'; do
	orgrbac_expect 0 "added" -- role add "$name" --privilege a "${AL[@]}"
	out=$("$ORGRBAC" role show "$name" --json "${AL[@]}" 2>&1)
	N="$name" python3 -c 'import json,os,sys; d=json.load(sys.stdin); assert d["name"]==os.environ["N"] and d["dn"].endswith(",ou=roles,o=acme,dc=example,dc=com"), d' <<<"$out" && orgrbac_ok || orgrbac_ko "show '$name': $out"
done
orgrbac_expect 0 "added: cn=-lead,ou=roles,o=acme" -- role add "${AL[@]}" --privilege a -- -lead
orgrbac_expect 0 "deleted" -- role delete "${AL[@]}" -- -lead
# '*' names only itself: the roles of acme are still all there, and deleting it deletes one
n1=$(roles)
orgrbac_expect 0 "deleted" -- role delete '*' "${AL[@]}"
[ "$(roles)" = "$((n1 - 1))" ] && orgrbac_ok || orgrbac_ko "deleting '*' removed $((n1 - $(roles))) roles"
orgrbac_expect 0 "Service Owner" -- role show 'Service Owner' "${AL[@]}"

orgrbac_progress "role: a new role reaches check and sync"
orgrbac_expect 0 "added" -- role add 'Deploy Runner' --privilege deploy:run --gid 30100 "${ROOT[@]}"
printf 'dn: cn=bob-deploy,ou=grants,o=acme,%s\nchangetype: add\nobjectClass: orgRoleGrant\ncn: bob-deploy\norgGrantedRole: cn=Deploy Runner,ou=roles,o=acme,%s\norgGrantee: uid=bob,ou=people,o=acme,%s\n' \
	"$B" "$B" "$B" | ldapmodify_admin >/dev/null 2>&1 || orgrbac_ko "adding bob's grant"
orgrbac_expect 0 "deploy:run <- deploy:run of role 'Deploy Runner' by grant 'bob-deploy'" -- \
	check bob --require deploy:run --at "$AT" --config "$WORK/root.conf"
orgrbac_expect 1 "refused: 1 grant names this role" -- role delete 'Deploy Runner' "${ROOT[@]}"
orgrbac_expect 0 "snapshot" -- sync --config "$WORK/root.conf"
"$ORGRBAC" status --config "$WORK/root.conf" >"$WORK/status1" 2>&1
g1=$(sed -nE 's/^counts: .* ([0-9]+) groups.*/\1/p' "$WORK/status1")
orgrbac_expect 0 "changed" -- role set 'Deploy Runner' --remove-privilege deploy:run --add-privilege x "${ROOT[@]}"
orgrbac_expect 1 "lacks privileges: deploy:run" -- check bob --require deploy:run --at "$AT" --config "$WORK/root.conf"
orgrbac_expect 0 "added" -- role add 'Second Runner' --privilege deploy:run --gid 30101 "${ROOT[@]}"
printf 'dn: cn=bob-second,ou=grants,o=acme,%s\nchangetype: add\nobjectClass: orgRoleGrant\ncn: bob-second\norgGrantedRole: cn=Second Runner,ou=roles,o=acme,%s\norgGrantee: uid=bob,ou=people,o=acme,%s\n' \
	"$B" "$B" "$B" | ldapmodify_admin >/dev/null 2>&1 || orgrbac_ko "adding bob's second grant"
orgrbac_expect 0 "snapshot" -- sync --config "$WORK/root.conf"
"$ORGRBAC" status --config "$WORK/root.conf" >"$WORK/status2" 2>&1
g2=$(sed -nE 's/^counts: .* ([0-9]+) groups.*/\1/p' "$WORK/status2")
[ -n "$g1" ] && [ "$g2" = "$((g1 + 1))" ] && orgrbac_ok || orgrbac_ko "groups in the snapshot: $g1, then $g2 after a role with a gid"

orgrbac_summary role
