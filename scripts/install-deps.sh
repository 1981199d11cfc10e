#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Install the Debian 12 packages orgrbac needs to build, test and demo; only what is missing.
#
# The tests and the demo start their own slapd and sshd on loopback ports;
# the system services of the packages installed here are not needed. A
# policy-rc.d keeps maintainer scripts from starting any service during the
# install, and the services of packages this run installed (slapd, ssh) are
# then left stopped and disabled. Services that were installed before are
# left as they were.
set -euo pipefail

packages=(
	build-essential autoconf autoconf-archive automake libtool pkg-config
	libpam0g-dev libldap2-dev libcmocka-dev
	slapd ldap-utils openssl python3 iproute2 util-linux
	# pam_orgrbac end to end and in the demo: real sshd and sudo, TOTP, pamtester
	openssh-server openssh-client sudo libpam-oath oathtool pamtester
	# the modules' test builds through glibc and libpam for any user
	libnss-wrapper libpam-wrapper
	# sanitizer, valgrind and fuzzing runs (tests/run-all.sh, tests/fuzz/run.sh)
	clang libclang-rt-14-dev valgrind
	# the bash completion's test (tests/integration/test_completion.sh)
	bash-completion
	# orgrbac-follow.service under systemd (tests/e2e/test_follow_systemd.sh)
	systemd
	# the formatting check of .ci/run
	clang-format git
	# the Debian packages and their test in a fresh root (tests/packages/run.sh)
	dpkg-dev debhelper dh-nss lintian mmdebstrap
)

# Packages that bring a service listening on the network, and their units.
declare -A services=([slapd]=slapd.service [openssh-server]="ssh.service ssh.socket")

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing=()
for p in "${packages[@]}"; do
	installed "$p" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages: ${missing[*]} (run as root to install them)" >&2
	exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive

# invoke-rc.d asks /usr/sbin/policy-rc.d before it starts a service; 101 is
# "action forbidden". An existing policy-rc.d is put back afterwards.
# (ORGRBAC_POLICY_RC_D: another path, for tests/build/test_install_deps.sh.)
policy=${ORGRBAC_POLICY_RC_D:-/usr/sbin/policy-rc.d}
saved=
if [ -e "$policy" ] || [ -L "$policy" ]; then
	saved=$(mktemp "$policy.orgrbac.XXXXXX")
	mv -f "$policy" "$saved"
fi
restore_policy() {
	rm -f "$policy"
	if [ -n "$saved" ]; then mv -f "$saved" "$policy"; fi
}
trap restore_policy EXIT
printf '#!/bin/sh\n# install-deps.sh: no service starts while it installs packages\nexit 101\n' >"$policy"
chmod 0755 "$policy"

apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
restore_policy
trap - EXIT

# Leave the services of packages installed just now stopped and disabled.
if command -v systemctl >/dev/null 2>&1; then
	for p in "${missing[@]}"; do
		for unit in ${services[$p]:-}; do
			echo "install-deps: $unit of $p left stopped and disabled"
			# disable works without a running systemd (a container); stop needs one
			systemctl disable "$unit" >/dev/null 2>&1 || true
			if [ -d /run/systemd/system ]; then
				systemctl stop "$unit" >/dev/null 2>&1 || true
			fi
		done
	done
fi
