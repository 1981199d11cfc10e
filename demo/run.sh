#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The demo: a throwaway OpenLDAP with the sample organization, and real decisions for its users.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}

bash "$top/scripts/install-deps.sh"
if [ ! -x "$build/orgrbac" ]; then
	echo "== building orgrbac in $build"
	(cd "$top" && ./autogen.sh >/dev/null 2>&1)
	mkdir -p "$build"
	(cd "$build" && "$top/configure" >/dev/null && make -j"$(nproc)" >/dev/null)
fi

. "$top/tests/lib/lib.sh"
echo "== starting a throwaway slapd on loopback with the sample organization"
orgrbac_slapd_start
work=$(mktemp -d /tmp/orgrbac-demo.XXXXXX)
orgrbac_at_exit "rm -rf '$work'"
conf="$work/orgrbac.conf"
cat >"$conf" <<CONF
[ldap]
uri = $LDAP_URI
base = dc=example,dc=com
timeout = 3

[host]
org = acme
services = payments, web
resource = web01.example.com

[pam]
mfa_exempt_role = 2FA-exempt
cross_org_privilege = common:org:cross

[service sshd]
require = host:login || common:org:own
[service sudo]
require = host:sudo || common:org:own
CONF
echo "   $LDAP_URI, host: organization acme, services payments and web, resource web01.example.com"
echo

orgrbac="$build/orgrbac"
printf '%-6s %-8s %-8s %s\n' USER SSHD SUDO "WHY (sshd)"
for user in alice bob carol dave erin frank grace heidi ivan judy leo vic vera pat ian uma hank olga gus nobody; do
	sshd=$("$orgrbac" check "$user" --service sshd --config "$conf" 2>&1) || true
	sudo=$("$orgrbac" check "$user" --service sudo --config "$conf" 2>&1) || true
	d1=$(sed -n 's/^decision: *//p' <<<"$sshd")
	d2=$(sed -n 's/^decision: *//p' <<<"$sudo")
	why=$(sed -n 's/^reason: *//p' <<<"$sshd")
	grep -q '^2FA-exempt: *yes' <<<"$sshd" && why="$why [2FA-exempt]"
	printf '%-6s %-8s %-8s %s\n' "$user" "$d1" "$d2" "$why"
done

echo
echo "== the full explanation for bob (nested groups) and pat (a partner window):"
"$orgrbac" check bob --service sshd --config "$conf" || true
echo
"$orgrbac" check pat --service sshd --config "$conf" || true
echo
echo "== cross-organization: olga (globex) crosses through the platform grant olga-cross;"
echo "   gus (globex) does not: globex's own grant of Cross-Org Admin and a platform grant"
echo "   of common:* are no cross-organization access"
"$orgrbac" check olga --service sshd --config "$conf" || true
echo
"$orgrbac" check gus --service sshd --config "$conf" | grep -E '^(decision|reason)' || true
echo
echo "== pat at the end of the partner window, and a hostile user name:"
"$orgrbac" check pat --at 2036-01-01T00:00:00Z --config "$conf" | grep -E '^(decision|reason)' || true
"$orgrbac" check 'alice)(uid=*' --config "$conf" || true

# Real PAM: pamtester drives libpam and pam_orgrbac.so through PAM files of a
# temporary /etc/pam.d, mounted over the real one in a private mount namespace.
echo
echo "== real PAM: pamtester and pam_orgrbac.so (the host's /etc/pam.d is not touched)"
pamd="$work/pam.d"
mkdir "$pamd"
module="$build/.libs/pam_orgrbac.so"
for svc in sshd sudo; do
	echo "account required $module config=$conf" >"$pamd/$svc"
done
# The 2FA bypass of sshd; pam_deny stands in for the one-time-code module.
cat >>"$pamd/sshd" <<PAMD
auth [success=done default=ignore] $module mfa_exempt config=$conf
auth required pam_deny.so
PAMD
# pam_authenticate as sshd runs it for keyboard-interactive: with
# SSH_AUTH_INFO_0 naming the key it verified first (an argument), or empty
# (no AuthenticationMethods line: keyboard-interactive is the only method).
cat >"$work/as-sshd.py" <<'PY'
import ctypes, sys
pam = ctypes.CDLL("libpam.so.0")
class Conv(ctypes.Structure):
    _fields_ = [("conv", ctypes.c_void_p), ("appdata_ptr", ctypes.c_void_p)]
conv, h = Conv(None, None), ctypes.c_void_p()
if pam.pam_start(b"sshd", sys.argv[1].encode(), ctypes.byref(conv), ctypes.byref(h)) != 0:
    sys.exit(2)
info = b"publickey ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDemo\n" if len(sys.argv) > 2 else b""
pam.pam_putenv(h, b"SSH_AUTH_INFO_0=" + info)
rc = pam.pam_authenticate(h, 0)
pam.pam_end(h, rc)
sys.exit(0 if rc == 0 else 1)
PY
cat >"$work/pamtester.sh" <<'SH'
export LIBMOUNT_UTAB="${1%/*}/utab" # not the host's /run/mount
mount -n --bind "$1" /etc/pam.d || exit 1
# What libpam returned, from pamtester's message.
say() {
	case $(pamtester "$@" 2>&1) in
	*"management done"*) echo "allow    PAM_SUCCESS" ;;
	*"Permission denied"*) echo "deny     PAM_PERM_DENIED" ;;
	*"has expired"*) echo "expired  PAM_ACCT_EXPIRED" ;;
	*"not known"*) echo "unknown  PAM_USER_UNKNOWN" ;;
	*) echo "error" ;;
	esac
}
# Skips the 2FA code: after a key sshd verified / with no key first.
skips() {
	local key=no bare=no
	python3 "${1%/*}/as-sshd.py" "$2" key && key=yes
	python3 "${1%/*}/as-sshd.py" "$2" && bare=yes
	echo "$key / $bare"
}
printf '%-6s %-26s %-26s %s\n' USER 'sshd account' 'sudo account' 'skips the code: key / no key'
for user in alice bob grace erin pat uma nobody; do
	printf '%-6s %-26s %-26s %s\n' "$user" "$(say sshd "$user" acct_mgmt)" \
		"$(say sudo "$user" acct_mgmt)" "$(skips "$1" "$user")"
done
SH
unshare --mount --propagation private bash "$work/pamtester.sh" "$pamd" ||
	echo "(needs root and util-linux unshare)"

echo
# ---- users and role groups: orgrbac sync, then getent and id through libnss_orgrbac ----
if [ "$(id -u)" -eq 0 ] && [ -e "$build/.libs/libnss_orgrbac.so.2" ] &&
	unshare --mount --propagation private true 2>/dev/null; then
	. "$top/tests/nss/lib.sh"
	ORGRBAC_BUILD=$build
	nss_setup "$work/nss"
	nss_passwd_from_snapshot
	printf '[nss]\nsnapshot = %s\n' "$work/nss/snap/snapshot.db" >>"$conf"
	echo "== orgrbac sync: the host's users and role groups into the snapshot"
	"$orgrbac" sync --config "$conf" 2>&1 | grep -v 'the NSS module reads only'
	echo
	echo "== in a private mount namespace (passwd: files orgrbac, group: files orgrbac),"
	echo "   the host untouched, no sample user in its passwd file:"
	echo "\$ getent passwd alice 10002"
	in_ns getent passwd alice 10002 || true
	echo "\$ getent passwd | grep :10000:   (the users holding a role on this host)"
	in_ns getent passwd | grep ':10000:' || true
	echo "\$ getent group org-admin member secadmin service-owner cross-org-admin"
	in_ns getent group org-admin member secadmin service-owner cross-org-admin || true
	for user in alice bob carol grace heidi pat olga frank uma; do
		echo "\$ id $user"
		in_ns id "$user" || true
	done
	echo
fi
# ---- the trust model in the directory: etc/slapd-acl.ldif ----
echo "== the directory's access control (etc/slapd-acl.ldif), with an operator, a host,"
echo "   acme's admin alice and Flexera's external admin vic (tests/data/acl-identities.ldif)"
ldapmodify_admin -a -f "$top/tests/data/acl-identities.ldif" >/dev/null
LDAPNOINIT=1 ldapmodify -x -H "$LDAP_URI" -D "$LDAP_CONFIG_DN" -w "$LDAP_CONFIG_PW" \
	-f "$top/etc/slapd-acl.ldif" >/dev/null
B=dc=example,dc=com
# attempt WHO PASSWORD WHAT [OPTION]: the LDIF on stdin, applied as WHO; prints the result
attempt() {
	local out rc=0
	out=$(LDAPNOINIT=1 ldapmodify -x -H "$LDAP_URI" -D "$1" -w "$2" "${@:4}" 2>&1) || rc=$?
	printf '%-14s %-40s %s\n' "${1%%,*}" "$3" \
		"$([ "$rc" -eq 0 ] && echo done || sed -n 's/^ldap_[a-z]*: //p' <<<"$out" | head -n1)"
}
grant_ldif() { # NAME PARENT GRANTEE ROLE
	printf 'dn: cn=%s,%s\nobjectClass: orgRoleGrant\ncn: %s\norgGrantedRole: %s\norgGrantee: %s\n' \
		"$1" "$2" "$1" "$4" "$3"
}
alice="uid=alice,ou=people,o=acme,$B"
grant_ldif demo-bob-sudo "ou=grants,o=acme,$B" "uid=bob,ou=people,o=acme,$B" \
	"cn=Resource Owner,ou=roles,o=acme,$B" | attempt "$alice" alice-secret "adds a grant in o=acme" -a
grant_ldif demo-alice-cross "ou=grants,$B" "$alice" "cn=Cross-Org Admin,ou=roles,$B" |
	attempt "$alice" alice-secret "adds a platform grant (cross access)" -a
printf 'dn: cn=Member,ou=roles,%s\nchangetype: modify\nadd: orgPrivilege\norgPrivilege: common:org:cross\n' "$B" |
	attempt "$alice" alice-secret "adds common:org:cross to a global role"
grant_ldif demo-alice-globex "ou=grants,o=globex,$B" "$alice" "cn=Member,ou=roles,$B" |
	attempt "$alice" alice-secret "adds a grant in o=globex" -a
printf 'dn: cn=Flexera,ou=external,o=acme,%s\nchangetype: modify\nreplace: orgRoleManagement\norgRoleManagement: FALSE\n' "$B" |
	attempt "uid=vic,cn=Flexera,ou=external,o=acme,$B" vic-secret "turns Flexera's role management off"
grant_ldif demo-host "ou=grants,o=acme,$B" "cn=host-web01,ou=hosts,$B" "cn=Member,ou=roles,$B" |
	attempt "cn=host-web01,ou=hosts,$B" host-secret "adds a grant in o=acme" -a
grant_ldif demo-alice-cross "ou=grants,$B" "$alice" "cn=Cross-Org Admin,ou=roles,$B" |
	attempt "cn=oper,ou=staff,$B" oper-secret "adds a platform grant" -a
echo

echo "== stopping slapd"
