#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The sample organization built through the tool alone: on an empty directory
# with the schema and etc/slapd-acl.ldif, people and groups come as LDIF (the
# tool does not manage them), and every role, grant and external-access entry
# of etc/sample-org.ldif is made by `orgrbac role`, `external` and `grant`,
# each by the identity the ACL lets write it: the operator the global roles
# and platform grants, acme's and globex's administrators their own. The
# sample's broken grants and windows over already are refused. Then the sample's expected decision
# table holds, through `orgrbac check` and through real libpam, and `lint`
# finds the sample's traps less those the tool refused to write: the two
# broken grants and the two windows over already (Initech is disabled instead,
# frank's grant is not written; their users are refused all the same).
. "$(dirname "$0")/../lib/lib.sh"
set +e

builddir=${top_builddir:-$ORGRBAC_TOP/build}
[ -x "$builddir/orgrbac" ] || fail "$builddir/orgrbac not built"
CLIENT="$builddir/tests/faults/fault_client"
[ -x "$CLIENT" ] || fail "$CLIENT not built"
orgrbac_require_slapd
[ "$(id -u)" -eq 0 ] || skip "needs root: the host's bind secret must be root's"
command -v python3 >/dev/null 2>&1 || skip "needs python3"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-build.XXXXXX")
orgrbac_at_exit "rm -rf '$WORK'"
ORGRBAC="$builddir/orgrbac"
orgrbac_valgrind_cli "$builddir"
PAM_SO=$(orgrbac_pam_module "$builddir")


B=dc=example,dc=com
AT=2026-11-22T00:00:00Z
SAMPLE="$ORGRBAC_TOP/etc/sample-org.ldif"

orgrbac_progress "build: an empty directory, people and groups"
orgrbac_slapd_start --empty

# split FILTER OUT: the sample's records FILTER keeps ("people": everything the
# tool does not make, but users beneath external entries; "external-users": those)
split() {
	python3 - "$SAMPLE" "$1" >"$2" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
keep = []
for rec in re.split(r'\n[ \t]*\n', text):
    lines = [l for l in rec.split('\n') if l and not l.startswith('#')]
    if not lines:
        continue
    body = '\n'.join(lines)
    made = re.search(r'^objectClass: (orgRole|orgRoleGrant|orgExternalAccess)$', body, re.M)
    beneath = re.match(r'dn: uid=[^,]+,cn=[^,]+,ou=external,', body)
    if sys.argv[2] == 'people' and not made and not beneath:
        keep.append(body)
    if sys.argv[2] == 'external-users' and beneath:
        keep.append(body)
print('\n\n'.join(keep))
EOF
}
split people "$WORK/people.ldif"
split external-users "$WORK/external-users.ldif"
# the identities the ACL names, but those beneath Flexera (made below)
python3 - "$ORGRBAC_TOP/tests/data/acl-identities.ldif" >"$WORK/ids.ldif" <<'EOF'
import re, sys
recs = re.split(r'\n[ \t]*\n', open(sys.argv[1]).read())
print('\n\n'.join(r for r in recs if 'ou=external' not in r and 'dn:' in r))
EOF
ldapmodify_admin -a -f "$WORK/people.ldif" >"$WORK/people.log" 2>&1 ||
	fail "loading people and groups: $(tail -n 3 "$WORK/people.log")"
ldapmodify_admin -a -f "$WORK/ids.ldif" >"$WORK/ids.log" 2>&1 ||
	fail "loading the ACL's identities: $(tail -n 3 "$WORK/ids.log")"
LDAPNOINIT=1 ldapmodify -x -H "$LDAP_URI" -D "$LDAP_CONFIG_DN" -w "$LDAP_CONFIG_PW" \
	-f "$ORGRBAC_TOP/etc/slapd-acl.ldif" >"$WORK/acl.log" 2>&1 ||
	fail "etc/slapd-acl.ldif does not load: $(cat "$WORK/acl.log")"
n=$(ldapsearch_admin '(|(objectClass=orgRole)(objectClass=orgRoleGrant)(objectClass=orgExternalAccess))' dn |
	grep -c '^dn:')
[ "$n" -eq 0 ] && orgrbac_ok || orgrbac_ko "the directory should start with no roles, grants or external entries: $n"

umask 077
printf '%s' oper-secret >"$WORK/oper.pw"
printf '%s' alice-secret >"$WORK/alice.pw"
printf '%s' gus-secret >"$WORK/gus.pw"
printf '%s\n' host-secret >"$WORK/host-conf.pw"
umask 022
# the demo host, bound as itself under the ACL
conf="$WORK/orgrbac.conf"
orgrbac_write_conf "$conf" "ldap.base=$B" "ldap.bind_dn=cn=host-web01,ou=hosts,$B" \
	"ldap.bind_password_file=$WORK/host-conf.pw" "nss.snapshot=$WORK/snapshot.db" \
	pam.ignore_users=
OPER=(--config "$conf" -D "cn=oper,ou=staff,$B" -y "$WORK/oper.pw")
ACME=(--config "$conf" -D "uid=alice,ou=people,o=acme,$B" -y "$WORK/alice.pw" --org acme)
GLOBEX=(--config "$conf" -D "uid=gus,ou=people,o=globex,$B" -y "$WORK/gus.pw" --org globex)

# run ARGS...: one command that must succeed
run() {
	local out
	if out=$("$ORGRBAC" "$@" 2>&1); then
		orgrbac_ok
	else
		orgrbac_ko "orgrbac $* exited $?: $out"
	fi
}

# refused PATTERN ARGS...: one command the tool must refuse (exit 1), saying PATTERN
refused() {
	local pattern=$1 out rc
	shift
	out=$("$ORGRBAC" "$@" 2>&1)
	rc=$?
	if [ "$rc" -ne 1 ]; then
		orgrbac_ko "orgrbac $* exited $rc, wanted 1: $out"
	elif ! grep -qiE -- "$pattern" <<<"$out"; then
		orgrbac_ko "orgrbac $* output lacks /$pattern/: $out"
	else
		orgrbac_ok
	fi
}

orgrbac_progress "build: external access, then the partners' users"
run external add Flexera --kind vendor --mode continuous --role-management on \
	--domain flexera.example --description 'Vendor support; only granted roles count' "${ACME[@]}"
run external add Contoso --kind partner --mode window --from 2026-01-01T00:00:00Z \
	--until 2036-01-01T00:00:00Z "${ACME[@]}"
# Initech's window closed in 2025: the tool writes no window that never opens, and an
# administrator ends such access with --mode disabled instead (the same decisions)
refused "would end in the past" external add Initech --kind partner --mode window \
	--from 2024-01-01T00:00:00Z --until 2025-01-01T00:00:00Z "${ACME[@]}"
run external add Initech --kind partner --mode disabled "${ACME[@]}"
run external add Umbrella --kind partner --mode disabled "${ACME[@]}"
run external add Hooli --kind partner --mode continuous --role-management off "${ACME[@]}"
# only operators make an entry a login (posixAccount), under the ACL
LDAPNOINIT=1 ldapadd -x -H "$LDAP_URI" -D "cn=oper,ou=staff,$B" -y "$WORK/oper.pw" \
	-f "$WORK/external-users.ldif" >"$WORK/external-users.log" 2>&1 && orgrbac_ok ||
	orgrbac_ko "the operator cannot add the partners' users: $(tail -n 3 "$WORK/external-users.log")"

orgrbac_progress "build: roles"
run role add 'Org Owner' --privilege '*' --gid 20001 --platform "${OPER[@]}"
run role add 'Org Admin' --privilege host:login --privilege host:sudo --privilege 'iam:*' \
	--gid 20002 --platform "${OPER[@]}"
run role add Member --privilege host:login --gid 20003 --platform "${OPER[@]}"
run role add Viewer --privilege catalog:read --gid 20004 --platform "${OPER[@]}"
run role add 2FA-exempt --privilege mfa:exempt --gid 20005 --platform "${OPER[@]}"
run role add Cross-Org\ Admin --privilege common:org:cross --privilege host:login \
	--privilege host:sudo --gid 20006 --platform "${OPER[@]}"
run role add 'Billing Admin' --privilege 'billing:*' --platform "${OPER[@]}"
run role add 'Platform Support' --privilege 'common:*' --privilege host:login --platform "${OPER[@]}"
run role add 'Service Owner' --privilege host:login --privilege host:sudo --privilege 'service:*' \
	--gid 21001 "${ACME[@]}"
run role add 'Service Maintainer' --privilege host:login --privilege service:edit --gid 21002 \
	"${ACME[@]}"
run role add 'Service Runner' --privilege workflow:run --gid 21003 "${ACME[@]}"
run role add 'Service Viewer' --privilege service:view "${ACME[@]}"
run role add 'Service Auditor' --privilege audit:read "${ACME[@]}"
run role add 'Resource Owner' --privilege host:login --privilege host:sudo --gid 21010 "${ACME[@]}"
run role add 'Resource User' --privilege host:login --gid auto "${ACME[@]}"
run role add 'Security Admin' --privilege 'iam:*' --privilege common:org:own --gid 21020 \
	--group-name secadmin "${ACME[@]}"
run role add 'Globex Operator' --privilege host:login --gid 22001 "${GLOBEX[@]}"
# the lowest free gid at or above 1000
gid=$(ldapsearch_admin '(cn=Resource User)' gidNumber | sed -n 's/^gidNumber: //p')
[ "$gid" = 1000 ] && orgrbac_ok || orgrbac_ko "--gid auto gave '$gid', wanted 1000"

orgrbac_progress "build: grants"
run grant 'Org Admin' --user alice --name alice-org-admin "${ACME[@]}"
run grant Member --group engineering --name engineering-members "${ACME[@]}"
run grant 'Service Owner' --user carol --service payments --name carol-payments-owner "${ACME[@]}"
run grant 'Resource Owner' --user dave --resource db01.example.com --name dave-db01-owner \
	"${ACME[@]}"
run grant Viewer --user erin --name erin-viewer "${ACME[@]}"
# frank's grant ended in 2025: a window that is over already is refused
refused "over already" grant Member --user frank --from 2025-01-01T00:00:00Z \
	--until 2025-06-01T00:00:00Z --name frank-member-2025 "${ACME[@]}"
run grant Member --user grace --from 2026-01-01T00:00:00Z --until 2036-01-01T00:00:00Z \
	--name grace-member "${ACME[@]}"
run grant 2FA-exempt --user grace --name grace-2fa-exempt "${ACME[@]}"
run grant 'Security Admin' --user heidi --name heidi-security "${ACME[@]}"
run grant Member --group cycle-b --name cycle-members "${ACME[@]}"
run grant Member --user leo --from 2035-01-01T00:00:00Z --until 2036-01-01T00:00:00Z \
	--name leo-member-2035 "${ACME[@]}"
run grant Member --user vic --name vic-member "${ACME[@]}"
run grant Member --user pat --name pat-member "${ACME[@]}"
run grant Member --user ian --name ian-member "${ACME[@]}"
run grant Member --user uma --name uma-member "${ACME[@]}"
# the sample's two broken grants: the tool refuses to write them
refused "ghost" grant Member --user ghost --name deleted-user-grant "${ACME[@]}"
refused "No Such Role" grant 'No Such Role' --user judy --name missing-role-grant "${ACME[@]}"
run grant 'Globex Operator' --user gus --name gus-operator "${GLOBEX[@]}"
run grant 'Cross-Org Admin' --user gus --name gus-cross-at-home "${GLOBEX[@]}"
run grant 2FA-exempt --user olga --name olga-2fa-exempt "${GLOBEX[@]}"
run grant 'Cross-Org Admin' --user "uid=olga,ou=people,o=globex,$B" --name olga-cross \
	--platform "${OPER[@]}"
run grant 'Platform Support' --user "uid=gus,ou=people,o=globex,$B" \
	--name gus-platform-support --platform "${OPER[@]}"
n=$(ldapsearch_admin '(objectClass=orgRoleGrant)' dn | grep -c '^dn:')
[ "$n" -eq 19 ] && orgrbac_ok || orgrbac_ko "$n grants written, wanted 19"

orgrbac_progress "build: the sample's decision table through check and libpam"
# user sshd sudo (from etc/sample-org.ldif's header)
table="alice allow allow
bob allow deny
carol allow allow
dave deny deny
erin deny deny
frank deny deny
grace allow deny
heidi allow allow
ivan allow deny
judy deny deny
leo deny deny
vic allow deny
vera deny deny
pat allow deny
ian expired expired
uma expired expired
hank allow allow
olga allow allow
gus deny deny"
mkdir -p "$WORK/pam.d"
for svc in sshd sudo; do
	printf 'account required %s config=%s\n' "$PAM_SO" "$conf" >"$WORK/pam.d/$svc"
done
printf 'auth required %s mfa_exempt config=%s\n' "$PAM_SO" "$conf" >>"$WORK/pam.d/sshd"
declare -A cli_code=([allow]=0 [deny]=1 [expired]=1)
declare -A pam_code=([allow]=PAM_SUCCESS [deny]=PAM_PERM_DENIED [expired]=PAM_ACCT_EXPIRED)
while read -r user sshd sudo; do
	for svc in sshd sudo; do
		want=${!svc}
		out=$("$ORGRBAC" check "$user" --service "$svc" --at "$AT" --config "$conf" 2>&1)
		rc=$?
		if [ "$rc" != "${cli_code[$want]}" ]; then
			orgrbac_ko "check $user --service $svc exited $rc, wanted $want: $out"
		elif [ "$want" = expired ] && ! grep -q expired <<<"$out"; then
			orgrbac_ko "check $user --service $svc should say expired: $out"
		else
			orgrbac_ok
		fi
		out=$("$CLIENT" pam "$WORK/pam.d" "$svc" "$user" 2>&1)
		grep -q "pam=${pam_code[$want]} " <<<"$out" && orgrbac_ok ||
			orgrbac_ko "libpam: $svc $user gave [$out], wanted ${pam_code[$want]}"
	done
done <<<"$table"
# the 2FA exemption: grace holds it here; olga's globex exemption does not count abroad
out=$("$CLIENT" pam "$WORK/pam.d" sshd grace auth 2>&1)
grep -q "pam=PAM_SUCCESS " <<<"$out" && orgrbac_ok || orgrbac_ko "libpam: grace's exemption gave [$out]"
# (the module alone in the auth stack: its PAM_IGNORE ends the stack as PAM_PERM_DENIED)
out=$("$CLIENT" pam "$WORK/pam.d" sshd olga auth 2>&1)
grep -q "pam=PAM_PERM_DENIED " <<<"$out" && orgrbac_ok || orgrbac_ko "libpam: olga's exemption gave [$out]"

orgrbac_progress "build: lint finds the traps the tool could write"
: >"$WORK/nogroups"
"$ORGRBAC" lint --at "$AT" --group-file "$WORK/nogroups" --config "$conf" >"$WORK/lint.out" 2>&1
rc=$?
[ "$rc" -eq 1 ] && orgrbac_ok || orgrbac_ko "lint exited $rc, wanted 1: $(cat "$WORK/lint.out")"
got=$(grep -v '^  fix: ' "$WORK/lint.out" | grep -v ' findings\?$' | cut -d: -f1 | sort | uniq -c |
	awk '{print $2 "=" $1}' | tr '\n' ' ')
want="group-cycle=1 role-unheld=7 "
[ "$got" = "$want" ] && orgrbac_ok || orgrbac_ko "lint findings [$got], wanted [$want]: $(cat "$WORK/lint.out")"

orgrbac_summary build-sample
