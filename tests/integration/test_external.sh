#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# `orgrbac external` against a real slapd under etc/slapd-acl.ldif: each
# subcommand, every validation refusal (nothing written), --dry-run, who may
# write where (an organization's admins, another organization's, a host, a
# vendor's own admins), hostile names, and each change reaching `check`.
. "$(dirname "$0")/../lib/lib.sh"
set +e

orgrbac_acl_setup external
# the cases counted as lib.sh counts them
ok() { orgrbac_ok "$@"; }
ko() { orgrbac_ko "$@"; }
X="ou=external,o=acme,$B"
VIC="uid=vic,cn=Flexera,$X" # one of Flexera's own administrators

ROOT=(--config "$conf" -D "$LDAP_ADMIN_DN" -y "$WORK/root.pw")
AL=(--config "$conf" -D "$ALICE" -y "$WORK/alice.pw")
GU=(--config "$conf" -D "$GUS" -y "$WORK/gus.pw")
HO=(--config "$conf" -D "$HOST" -y "$WORK/host.pw")

# expect STATUS PATTERN -- ARGS...: exit status, and each line of PATTERN
# (an extended regular expression) in stdout+stderr
expect() {
	local want=$1 pattern=$2 out status line
	shift 3
	out=$("$ORGRBAC" "$@" 2>&1)
	status=$?
	if [ "$status" != "$want" ]; then
		ko "orgrbac $* exited $status, wanted $want; output: $out"
		return
	fi
	while IFS= read -r line; do
		if ! grep -qE -- "$line" <<<"$out"; then
			ko "orgrbac $* output lacks /$line/: $out"
			return
		fi
	done <<<"$pattern"
	ok
}

# state: a digest of every entry of the directory, with its modifyTimestamp
state() {
	ldapsearch_admin -b "$B" '(objectClass=*)' '*' modifyTimestamp | md5sum
}
externals() {
	ldapsearch_admin -b "$B" '(objectClass=orgExternalAccess)' 1.1 | grep -c '^dn:'
}
# iso SECONDS-FROM-NOW: the time then, as --at takes it
iso() {
	date -u -d "@$(($(date -u +%s) + $1))" +%Y-%m-%dT%H:%M:%SZ
}

orgrbac_progress "external: reading, before the ACL"
expect 0 "^Contoso	partner	window	open until 2036-01-01T00:00:00Z" -- external list "${ROOT[@]}"
expect 0 "^Initech	partner	window	closed: access for partner Initech ended on 2025-01-01" -- \
	external list "${ROOT[@]}"
expect 0 "^Umbrella	partner	disabled	closed: access for partner Umbrella is disabled" -- \
	external list "${ROOT[@]}"
out=$("$ORGRBAC" external list --json "${ROOT[@]}")
python3 -c 'import json,sys; d=json.load(sys.stdin); x={e["name"]: e for e in d["external"]}
assert set(x)=={"Contoso","Flexera","Hooli","Initech","Umbrella"}, x
assert x["Flexera"]["kind"]=="vendor" and x["Flexera"]["open"] and x["Flexera"]["domains"]==["flexera.example"], x
assert x["Hooli"]["role_management"] is False and x["Initech"]["open"] is False, x
assert x["Contoso"]["window"]=={"from": "2026-01-01T00:00:00Z", "until": "2036-01-01T00:00:00Z"}, x' <<<"$out" &&
	ok || ko "external list --json: $out"
expect 0 "kind: +vendor" -- external show Flexera "${ROOT[@]}"
expect 0 "users: +vera vic \(2 users, 3 entries beneath\)" -- external show Flexera "${ROOT[@]}"
expect 0 "domains: +flexera.example" -- external show Flexera "${ROOT[@]}"
expect 0 "window: +2026-01-01T00:00:00Z to 2036-01-01T00:00:00Z" -- external show Contoso "${ROOT[@]}"
expect 0 "now: +open until 2036-01-01T00:00:00Z" -- external show Contoso "${ROOT[@]}"
expect 0 "role management: +off \(its users hold every privilege\)" -- external show Hooli "${ROOT[@]}"
expect 0 "now: +closed: access for partner Umbrella is disabled" -- external show Umbrella "${ROOT[@]}"
expect 0 "created: +20[0-9-]+T[0-9:]+Z by cn=admin,$B" -- external show Contoso "${ROOT[@]}"
expect 0 "managed: +no" -- external show Contoso "${ROOT[@]}"
out=$("$ORGRBAC" external show Contoso --json "${ROOT[@]}")
python3 -c 'import json,sys; d=json.load(sys.stdin)
assert d["dn"]=="cn=Contoso,ou=external,o=acme,dc=example,dc=com" and d["users"]==["pat"] and d["entries_beneath"]==1, d
assert d["created_by"]=="cn=admin,dc=example,dc=com" and d["open"] and d["mode"]=="window", d' <<<"$out" &&
	ok || ko "external show --json: $out"
expect 1 "no external entry named 'Nope' under o=acme,$B" -- external show Nope "${ROOT[@]}"
# an entry the gate cannot read is shown closed, and why
printf 'dn: cn=Umbrella,%s\nchangetype: modify\nadd: orgNotAfter\norgNotAfter: 20990101000000Z\n' "$X" |
	ldapmodify_admin >/dev/null 2>&1 || ko "adding a window to Umbrella"
printf 'dn: cn=Hooli,%s\nchangetype: modify\nadd: orgAccessMode;lang-en\norgAccessMode;lang-en: continuous\n' "$X" |
	ldapmodify_admin >"$WORK/garble.log" 2>&1 || ko "an option on Hooli's mode: $(cat "$WORK/garble.log")"
expect 0 "now: +closed: external access 'Hooli' is closed: orgAccessMode;lang-en has options" -- \
	external show Hooli "${ROOT[@]}"
expect 0 "window: +- to 2099-01-01T00:00:00Z \(not in force: the mode is disabled\)" -- \
	external show Umbrella "${ROOT[@]}"
printf 'dn: cn=Hooli,%s\nchangetype: modify\ndelete: orgAccessMode;lang-en\n' "$X" |
	ldapmodify_admin >/dev/null 2>&1
printf 'dn: cn=Umbrella,%s\nchangetype: modify\ndelete: orgNotAfter\n' "$X" | ldapmodify_admin >/dev/null 2>&1
expect 0 "open \(continuous\)" -- external show Hooli "${ROOT[@]}"

orgrbac_progress "external: options"
expect 2 "external entries belong to an organization: --platform does not apply" -- \
	external list --platform "${ROOT[@]}"
expect 2 "NAME missing" -- external show "${ROOT[@]}"
expect 2 "external list takes no NAME" -- external list X "${ROOT[@]}"
expect 2 "unknown external command" -- external frob "${ROOT[@]}"
expect 2 "--kind is for add" -- external set Contoso --kind vendor "${ROOT[@]}"
expect 2 "--domain and --description are for add" -- external set Contoso --domain a.example "${ROOT[@]}"
expect 2 "--json is for list and show" -- external add X --kind partner --mode disabled --json "${ROOT[@]}"
expect 2 "--dry-run is for add, set and delete" -- external list --dry-run "${ROOT[@]}"
expect 2 "--mode, --from, --until and --role-management are for add and set" -- \
	external delete Contoso --mode disabled "${ROOT[@]}"
expect 2 "-D needs -W or -y" -- external list --config "$conf" -D "$ALICE"
expect 2 "usage" -- external
expect 0 "usage: orgrbac external list" -- external --help
# options and operands in any order
expect 0 "^external: +Contoso" -- external --config "$conf" show -D "$ALICE" Contoso -y "$WORK/alice.pw"

# the shipped ACL from here on
cp "$ORGRBAC_TOP/etc/slapd-acl.ldif" "$WORK/acl.ldif"
LDAPNOINIT=1 ldapmodify -x -H "$LDAP_URI" -D "$LDAP_CONFIG_DN" -w "$LDAP_CONFIG_PW" \
	-f "$WORK/acl.ldif" >"$WORK/acl.log" 2>&1 || fail "etc/slapd-acl.ldif does not load: $(cat "$WORK/acl.log")"

orgrbac_progress "external: validation refusals write nothing"
s0=$(state)
expect 1 "an external entry named 'Contoso' exists: cn=Contoso,$X" -- \
	external add Contoso --kind partner --mode continuous "${AL[@]}"
expect 1 "kind 'contractor' is none of vendor, partner" -- \
	external add X --kind contractor --mode continuous "${AL[@]}"
expect 1 "mode 'open' is none of continuous, window, disabled" -- \
	external add X --kind partner --mode open "${AL[@]}"
expect 1 "add needs --kind vendor\|partner and --mode" -- external add X --kind partner "${AL[@]}"
expect 1 "--mode window needs a window" -- external add X --kind partner --mode window "${AL[@]}"
expect 1 "a window needs an end: give --until" -- \
	external add X --kind partner --mode window --from +1h "${AL[@]}"
expect 1 "the window would end \(.*\) before it starts" -- \
	external add X --kind partner --mode window --from +2d --until +1d "${AL[@]}"
expect 1 "the window would end in the past \(2020-02-01T00:00:00Z\).*--mode disabled" -- \
	external add X --kind partner --mode window --from 2020-01-01 --until 2020-02-01 "${AL[@]}"
expect 1 "--until 'friday' is not a time" -- \
	external add X --kind partner --mode window --until friday "${AL[@]}"
expect 1 "they need --mode window \(the mode would be continuous\)" -- \
	external add X --kind partner --mode continuous --until +1d "${AL[@]}"
expect 1 "--role-management 'maybe' is neither on nor off" -- \
	external add X --kind partner --mode continuous --role-management maybe "${AL[@]}"
expect 1 "domain 'bad domain' is not a DNS name" -- \
	external add X --kind partner --mode continuous --domain 'bad domain' "${AL[@]}"
expect 1 "domain 'A.example' given twice" -- \
	external add X --kind partner --mode continuous --domain a.example --domain A.example "${AL[@]}"
expect 1 "name refused: a control character" -- \
	external add $'x\x01y' --kind partner --mode continuous "${AL[@]}"
expect 1 "name refused: not valid UTF-8" -- external add $'x\xffy' --kind partner --mode continuous "${AL[@]}"
expect 1 "no external entry named 'Nope'" -- external set Nope --mode disabled "${AL[@]}"
expect 1 "nothing to change" -- external set Contoso "${AL[@]}"
expect 1 "would end \(2026-01-01T00:00:00Z\) before it starts \(2026-01-01T00:00:00Z\)" -- \
	external set Contoso --until 2026-01-01 "${AL[@]}"
expect 1 "they need --mode window \(the mode would be continuous\)" -- \
	external set Flexera --until +1d "${AL[@]}"
expect 1 "'Flexera' is a vendor: vendors are never deleted, only disabled: orgrbac external set 'Flexera' --mode disabled" -- \
	external delete Flexera "${AL[@]}"
expect 1 "no external entry named 'Nope'" -- external delete Nope "${AL[@]}"
expect 1 "1 entry lies beneath cn=Contoso,$X .*external set 'Contoso' --mode disabled
  beneath: uid=pat,cn=Contoso,$X" -- external delete Contoso "${AL[@]}"
# the check of what lies beneath comes before a dry run too
expect 1 "1 entry lies beneath" -- external delete Initech --dry-run "${AL[@]}"
[ "$(state)" = "$s0" ] && ok || ko "a refused change wrote to the directory"

# an entry under a managed-services agreement is left alone
printf 'dn: cn=Hooli,%s\nchangetype: modify\nadd: orgManaged\norgManaged: TRUE\n' "$X" |
	ldapmodify_admin >"$WORK/managed.log" 2>&1 || ko "marking Hooli orgManaged: $(cat "$WORK/managed.log")"
s0=$(state)
expect 0 "managed: +yes \(orgManaged" -- external show Hooli "${AL[@]}"
expect 1 "cn=Hooli,$X is orgManaged \(a managed-services agreement\): orgrbac does not change it" -- \
	external set Hooli --mode disabled "${AL[@]}"
expect 1 "cn=Hooli,$X is orgManaged" -- external set Hooli --role-management on --dry-run "${AL[@]}"
expect 1 "cn=Hooli,$X is orgManaged" -- external delete Hooli "${AL[@]}"
[ "$(state)" = "$s0" ] && ok || ko "a change to an orgManaged entry wrote"

orgrbac_progress "external: --dry-run writes nothing"
out=$("$ORGRBAC" external add Wayne --kind partner --mode window --from 2027-01-01T00:00:00Z \
	--until 2027-02-01T08:30:00+01:00 --domain wayne.example --domain wayne.test \
	--role-management off --description 'Audit, January' --dry-run "${AL[@]}" 2>/dev/null)
want="dn: cn=Wayne,$X
changetype: add
objectClass: orgExternalAccess
cn: Wayne
orgExternalKind: partner
orgAccessMode: window
orgNotBefore: 20270101000000Z
orgNotAfter: 20270201073000Z
orgRoleManagement: FALSE
orgDomain: wayne.example
orgDomain: wayne.test
description: Audit, January"
[ "$out" = "$want" ] && ok || ko "add --dry-run printed: $out"
expect 0 "^dn: cn=Contoso,$X
changetype: modify
replace: orgAccessMode
orgAccessMode: disabled
-$" -- external set Contoso --mode disabled --dry-run "${AL[@]}"
expect 0 "dry run: nothing written" -- external set Contoso --until +3d --dry-run "${AL[@]}"
[ "$(state)" = "$s0" ] && ok || ko "--dry-run wrote"

orgrbac_progress "external: an organization's admin at work"
expect 0 "external 'Wayne' added: cn=Wayne,$X" -- external add Wayne --kind partner --mode window \
	--until +7d --domain wayne.example --description 'Audit' "${AL[@]}"
expect 0 "created: .* by $ALICE" -- external show Wayne "${AL[@]}"
expect 0 "now: +open until" -- external show Wayne "${AL[@]}"
expect 0 "users: +\(0 users, 0 entries beneath\)" -- external show Wayne "${AL[@]}"
expect 0 "changed" -- external set Wayne --role-management off --until +14d "${AL[@]}"
expect 0 "role management: +off" -- external show Wayne "${AL[@]}"
expect 0 "modified: .* by $ALICE" -- external show Wayne "${AL[@]}"
expect 0 "external 'Stark' added" -- external add Stark --kind vendor --mode continuous "${AL[@]}"
expect 0 "^Stark	vendor	continuous	open \(continuous\)" -- external list "${AL[@]}"
expect 0 "changetype: delete" -- external delete Wayne --dry-run "${AL[@]}"
expect 0 "external 'Wayne' deleted: cn=Wayne,$X" -- external delete Wayne "${AL[@]}"
expect 1 "no external entry named 'Wayne'" -- external show Wayne "${AL[@]}"

orgrbac_progress "external: each change reaches the gate"
# Contoso: disabled, pat is refused whatever his roles; a window reopens it until then
expect 0 "decision: +allow" -- check pat --require none --config "$WORK/root.conf"
expect 0 "changed" -- external set Contoso --mode disabled "${AL[@]}"
expect 1 "decision: +expired
access for partner Contoso is disabled" -- \
	check pat --require host:login --at "$(iso 60)" --config "$WORK/root.conf"
expect 0 "now: +closed: access for partner Contoso is disabled" -- external show Contoso "${AL[@]}"
expect 0 "changed" -- external set Contoso --mode window --until +1h "${AL[@]}"
expect 0 "decision: +allow" -- check pat --require host:login --at "$(iso 1800)" --config "$WORK/root.conf"
expect 1 "decision: +expired
access for partner Contoso ended on" -- \
	check pat --require host:login --at "$(iso 7200)" --config "$WORK/root.conf"
# Umbrella has no window at all: --until alone opens it from now
expect 1 "expired" -- check uma --require none --at "$(iso 60)" --config "$WORK/root.conf"
expect 0 "orgNotBefore: [0-9]{14}Z
-
replace: orgNotAfter" -- external set Umbrella --mode window --until +1h --dry-run "${AL[@]}"
expect 0 "changed" -- external set Umbrella --mode window --until +1h "${AL[@]}"
expect 0 "decision: +allow" -- check uma --require none --at "$(iso 1800)" --config "$WORK/root.conf"
expect 1 "expired" -- check uma --require none --at "$(iso 7200)" --config "$WORK/root.conf"
expect 1 "begins on" -- check uma --require none --at "$(iso -600)" --config "$WORK/root.conf"
# a vendor is disabled, never deleted
expect 0 "changed" -- external set Flexera --mode disabled "${AL[@]}"
expect 1 "decision: +expired
access for vendor Flexera is disabled" -- \
	check vic --require none --config "$WORK/root.conf"
expect 0 "changed" -- external set Flexera --mode continuous "${AL[@]}"
expect 0 "decision: +allow" -- check vic --require none --config "$WORK/root.conf"

orgrbac_progress "external: who may write where"
# globex keeps external entries too; Blank is a partner with nobody beneath
printf 'dn: ou=external,o=globex,%s\nchangetype: add\nobjectClass: organizationalUnit\nou: external\n' "$B" |
	ldapmodify_admin >/dev/null 2>&1 || ko "adding ou=external to globex"
expect 0 "added" -- external add Blank --kind partner --mode disabled "${AL[@]}"
s0=$(state)
# alice is refused in globex, in the server's words
expect 2 "refused the add of cn=X,ou=external,o=globex,$B: Insufficient access \(50\)" -- \
	external add X --kind partner --mode continuous --org globex "${AL[@]}"
# gus, globex's admin, on acme: its entries are hidden from him, and he cannot add one
expect 2 "o=acme,$B: no such entry \(or hidden from this identity\)" -- \
	external set Contoso --mode disabled --org acme "${GU[@]}"
expect 2 "refused the add of cn=X,$X: Insufficient access \(50\)" -- \
	external add X --kind partner --mode continuous --org acme "${GU[@]}"
# a host reads what decisions need and writes nothing
expect 0 "^Contoso	partner	window" -- external list "${HO[@]}"
expect 2 "refused the modify of cn=Contoso,$X: Insufficient access \(50\)" -- \
	external set Contoso --mode disabled "${HO[@]}"
expect 2 "Insufficient access \(50\)" -- external add X --kind partner --mode continuous "${HO[@]}"
expect 2 "refused the delete of cn=Blank,$X: Insufficient access \(50\)" -- external delete Blank "${HO[@]}"
# a vendor's own admins manage the individuals beneath it, not its access:
# the organization is hidden from them, and a write is refused
VI=(--config "$conf" -D "$VIC" -y "$WORK/vic.pw")
expect 2 "o=acme,$B: no such entry \(or hidden from this identity\)" -- \
	external set Flexera --mode disabled "${VI[@]}"
expect 2 "refused the add of cn=X,$X: Insufficient access \(50\)" -- \
	external add X --kind partner --mode continuous "${VI[@]}"
[ "$(state)" = "$s0" ] && ok || ko "a refused write changed the directory"
expect 0 "added: cn=Initech2,ou=external,o=globex,$B" -- \
	external add Initech2 --kind partner --mode disabled --org globex "${GU[@]}"

orgrbac_progress "external: hostile names are values, never filters"
expect 2 "o=acme\\\\x5c2Cdc\\\\x5c3Devil,$B: no such entry" -- external list --org 'acme,dc=evil' "${AL[@]}"
expect 2 "o=\\*,$B: no such entry" -- external list --org '*' "${AL[@]}"
expect 1 "no external entry named '\*'" -- external show '*' "${AL[@]}"
expect 1 "no external entry named 'Contoso\*'" -- external show 'Contoso*' "${AL[@]}"
expect 1 "no external entry named 'x\)\(cn=\*'" -- external show 'x)(cn=*' "${AL[@]}"
expect 1 "no external entry named 'Contoso\)\(cn=\*'" -- external delete 'Contoso)(cn=*' "${AL[@]}"
expect 1 "domain 'a\)\(cn=\*' is not a DNS name" -- \
	external add Y --kind partner --mode continuous --domain 'a)(cn=*' "${AL[@]}"
for name in '*' 'x)(cn=*' 'a\2a*' 'a,b=c+d' '#hash;' 'é"<>' 'trailing\'; do
	expect 0 "added" -- external add "$name" --kind partner --mode disabled "${AL[@]}"
	out=$("$ORGRBAC" external show "$name" --json "${AL[@]}" 2>&1)
	N="$name" python3 -c 'import json,os,sys; d=json.load(sys.stdin); assert d["name"]==os.environ["N"] and d["dn"].endswith(",ou=external,o=acme,dc=example,dc=com"), d' <<<"$out" &&
		ok || ko "show '$name': $out"
done
expect 0 "added: cn=-lead,$X" -- external add "${AL[@]}" --kind partner --mode disabled -- -lead
expect 0 "deleted" -- external delete "${AL[@]}" -- -lead
# '*' names only itself
n1=$(externals)
expect 0 "deleted" -- external delete '*' "${AL[@]}"
[ "$(externals)" = "$((n1 - 1))" ] && ok || ko "deleting '*' removed $((n1 - $(externals))) entries"
expect 0 "Contoso" -- external show Contoso "${AL[@]}"

orgrbac_summary external
