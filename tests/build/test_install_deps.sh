#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# scripts/install-deps.sh with apt-get, dpkg-query, systemctl and id
# replaced by recorders: while apt-get installs, a policy-rc.d forbids
# starting services; afterwards the one that was there before is back, and
# exactly the units of service packages this run installed (slapd here,
# not openssh-server, installed before) are disabled. Nothing is installed
# and nothing on the host changes.
. "$(dirname "$0")/../lib/lib.sh"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-deps.XXXXXX")
orgrbac_at_exit "rm -rf '$WORK'"
passed=0
failed=0
check() { # WHAT COMMAND...
	local what=$1
	shift
	if "$@"; then
		passed=$((passed + 1))
		printf 'ok: %s\n' "$what"
	else
		failed=$((failed + 1))
		printf 'FAIL: %s\n' "$what"
	fi
}

bin=$WORK/bin
mkdir -p "$bin"
policy=$WORK/policy-rc.d
# dpkg-query: everything is installed but slapd and ldap-utils.
cat >"$bin/dpkg-query" <<'FAKE'
#!/bin/sh
for p; do :; done
case $p in slapd | ldap-utils) exit 1 ;; esac
printf 'install ok installed'
FAKE
# apt-get: records each call and what policy-rc.d answered then.
cat >"$bin/apt-get" <<FAKE
#!/bin/sh
rc=none
[ ! -x "$policy" ] || { "$policy" slapd start; rc=\$?; }
printf 'apt-get %s policy=%s\n' "\$*" "\$rc" >>"$WORK/calls"
FAKE
cat >"$bin/systemctl" <<FAKE
#!/bin/sh
printf 'systemctl %s\n' "\$*" >>"$WORK/calls"
FAKE
printf '#!/bin/sh\necho 0\n' >"$bin/id"
chmod +x "$bin"/*
# the policy-rc.d that was there before
printf '#!/bin/sh\n# the site'"'"'s own\nexit 0\n' >"$policy"
chmod +x "$policy"
cp "$policy" "$WORK/policy.before"

rc=0
PATH=$bin:$PATH ORGRBAC_POLICY_RC_D=$policy bash "$ORGRBAC_TOP/scripts/install-deps.sh" \
	>"$WORK/out" 2>&1 || rc=$?
cat "$WORK/out" "$WORK/calls"
check "install-deps.sh succeeds" test "$rc" -eq 0
check "it installs what is missing" grep -q '^apt-get install .* slapd ldap-utils policy=101$' "$WORK/calls"
check "no service may start while apt-get runs" bash -c "! grep '^apt-get' '$WORK/calls' | grep -qv 'policy=101\$'"
check "the site's policy-rc.d is back" cmp -s "$WORK/policy.before" "$policy"
check "no copy of it is left" test -z "$(find "$WORK" -maxdepth 1 -name 'policy-rc.d.orgrbac.*')"
check "slapd, installed now, is disabled" grep -qx 'systemctl disable slapd.service' "$WORK/calls"
check "ssh, installed before, is left alone" bash -c "! grep -q 'ssh' '$WORK/calls'"

# Without a policy-rc.d before, none is left after.
rm -f "$policy" "$WORK/calls"
rc=0
PATH=$bin:$PATH ORGRBAC_POLICY_RC_D=$policy bash "$ORGRBAC_TOP/scripts/install-deps.sh" \
	>"$WORK/out" 2>&1 || rc=$?
check "install-deps.sh succeeds without a policy-rc.d" test "$rc" -eq 0
check "it forbids starts meanwhile" grep -q '^apt-get install .* policy=101$' "$WORK/calls"
check "and leaves no policy-rc.d" test ! -e "$policy"

printf 'install-deps: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
