#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End to end: a sudoers %group rule on a role group, with the real sudo and
# libnss_orgrbac in a private mount namespace; the holder may, nobody else.
set -uo pipefail
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/lib.sh"
set +e

: "${ORGRBAC:?}" "${LDAP_URI:?}" "${WORK:?}"
command -v sudo >/dev/null 2>&1 || skip "needs sudo"
command -v setpriv >/dev/null 2>&1 || skip "needs setpriv"

W="$WORK/sudo"
nss_setup "$W"
cat >"$W/orgrbac.conf" <<CONF
[ldap]
uri = $LDAP_URI
base = dc=example,dc=com
timeout = 2
[host]
org = acme
services = payments, web
resource = web01.example.com
[service sshd]
require = host:login
[nss]
snapshot = $W/snap/snapshot.db
CONF
"$ORGRBAC" sync --config "$W/orgrbac.conf" >/dev/null 2>&1 || orgrbac_ko "sync"

NSS_SUDOERS="$W/sudoers"
cat >"$NSS_SUDOERS" <<'SUDOERS'
Defaults !lecture, !fqdn, env_reset
root ALL=(ALL:ALL) ALL
%org-admin ALL=(ALL:ALL) NOPASSWD: ALL
SUDOERS
chmod 0440 "$NSS_SUDOERS"
export NSS_SUDOERS
visudo -c -f "$NSS_SUDOERS" >/dev/null 2>&1 || orgrbac_ko "the test sudoers does not parse"

# as_user USER CMD...: run CMD as USER (primary group 10000, groups from NSS)
as_user() {
	local user=$1 uid
	shift
	uid=$(in_ns id -u "$user") || return 125
	in_ns setpriv --reuid="$uid" --regid=10000 --init-groups "$@"
}

out=$(in_ns sudo -l -U alice 2>&1)
grep -q 'NOPASSWD: ALL' <<<"$out" && orgrbac_ok || orgrbac_ko "sudo -l -U alice: $out"
for u in bob carol heidi; do
	out=$(in_ns sudo -l -U "$u" 2>&1)
	grep -q 'not allowed to run sudo' <<<"$out" && orgrbac_ok || orgrbac_ko "sudo -l -U $u: $out"
done
out=$(as_user alice sudo -n id -u 2>&1)
[ "$out" = 0 ] && orgrbac_ok || orgrbac_ko "alice could not use sudo: $out"
for u in bob carol; do
	out=$(as_user "$u" sudo -n id -u 2>&1)
	[ $? -ne 0 ] && [ "$out" != 0 ] && orgrbac_ok || orgrbac_ko "$u used sudo: $out"
done
# without a snapshot the rule matches nobody: UNAVAIL, not a stale yes
mv "$W/snap/snapshot.db" "$W/snapshot.off"
out=$(as_user alice sudo -n id -u 2>&1)
[ $? -ne 0 ] && [ "$out" != 0 ] && orgrbac_ok || orgrbac_ko "alice used sudo without a snapshot: $out"

orgrbac_summary sudo
