#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Install the Debian 12 packages orgrbac needs to build, test and demo; only what is missing.
set -euo pipefail

packages=(
	build-essential autoconf autoconf-archive automake libtool pkg-config
	libpam0g-dev libldap2-dev libiniparser-dev libcmocka-dev
	slapd ldap-utils openssl python3 iproute2 util-linux
	# pam_orgrbac end to end and in the demo: real sshd and sudo, TOTP, pamtester
	openssh-server openssh-client sudo libpam-oath oathtool pamtester
	# the modules' test builds through glibc and libpam for any user
	libnss-wrapper libpam-wrapper
	# sanitizer, valgrind and fuzzing runs (tests/run-all.sh, tests/fuzz/run.sh)
	clang libclang-rt-14-dev valgrind
	# the formatting check of .ci/run
	clang-format git
	# the Debian packages and their test in a fresh root (tests/packages/run.sh)
	dpkg-dev debhelper dh-nss lintian mmdebstrap
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages: ${missing[*]} (run as root to install them)" >&2
	exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
