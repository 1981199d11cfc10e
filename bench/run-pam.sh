#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Benchmark of pam_orgrbac against a throwaway slapd with the sample organization,
# with and without the memberOf overlay. Prints figures; asserts nothing.
# usage: bench/run-pam.sh [DECISIONS]   (as root: the module trusts only root-owned files)
. "$(dirname "$0")/../tests/lib/lib.sh"

n=${1:-1000}
[ "$(id -u)" -eq 0 ] || skip "run as root: pam_orgrbac reads only a root-owned configuration"
top=$ORGRBAC_TOP
build=${BUILD_DIR:-$top/build}
if [ ! -f "$build/Makefile" ]; then
	(cd "$top" && ./autogen.sh >/dev/null 2>&1)
	mkdir -p "$build"
	(cd "$build" && "$top/configure" >/dev/null)
fi
make -C "$build" -j2 pam_orgrbac.la bench/bench_pam >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-bench.XXXXXX")
orgrbac_at_exit "rm -rf '$work'"
echo "account required $build/.libs/pam_orgrbac.so config=$work/orgrbac.conf service=sshd" \
	>"$work/bench"

# conf URI [CA]: the host configuration for one run.
conf() {
	cat >"$work/orgrbac.conf" <<CONF
[ldap]
uri = $1
base = $LDAP_BASE
${2:+tls_ca_file = $2}
timeout = 3
[host]
org = acme
services = payments, web
resource = web01.example.com
[service sshd]
require = host:login || common:org:own
CONF
}

for mode in memberof nomemberof; do
	if [ "$mode" = memberof ]; then orgrbac_slapd_start; else orgrbac_slapd_start --no-memberof; fi
	echo "== $LDAP_URI (loopback, plaintext), memberOf overlay: $MEMBEROF; $n decisions over 9 sample users"
	conf "$LDAP_URI"
	"$build/bench/bench_pam" "$work/orgrbac.conf" "$work" "$n"
	echo "== $LDAPS_URI (loopback, TLS), memberOf overlay: $MEMBEROF; $n decisions"
	conf "$LDAPS_URI" "$TLS_CA_FILE"
	"$build/bench/bench_pam" "$work/orgrbac.conf" "$work" "$n"
	orgrbac_slapd_stop "$ORGRBAC_SLAPD_DIR"
done
