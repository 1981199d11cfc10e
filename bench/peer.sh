# SPDX-License-Identifier: BSD-2-Clause
# The peer of the benchmarks, sourced by bench/run-nss.sh and bench/run-glibc.sh
# (after tests/lib/lib.sh, with $work a private temporary directory): Debian's
# nslcd + libnss-ldapd, pam_ldap from libpam-ldapd, and a throwaway slapd
# holding bench/gen's LDIF.

# nslcd and libnss-ldapd, installed if missing, with debconf preseeded so that
# /etc/nsswitch.conf stays as it is (checked, and restored if a package changed
# it) and with services kept from starting.
bench_install_peer() {
	local policy_made=no
	dpkg-query -W -f='${Status}\n' nslcd libnss-ldapd 2>/dev/null | grep -vq 'install ok installed' ||
		[ "$(dpkg-query -W -f='${Status}\n' nslcd libnss-ldapd 2>/dev/null | wc -l)" -ne 2 ] ||
		return 0
	cp -a /etc/nsswitch.conf "$work/nsswitch.conf.saved"
	debconf-set-selections <<-'PRESEED'
		libnss-ldapd libnss-ldapd/nsswitch multiselect
		libnss-ldapd libnss-ldapd/clean_nsswitch boolean false
		nslcd nslcd/ldap-uris string ldap://127.0.0.1/
		nslcd nslcd/ldap-base string dc=example,dc=com
		nslcd nslcd/ldap-auth-type select none
	PRESEED
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\n# services stay stopped while the benchmark installs nslcd\nexit 101\n' \
			>/usr/sbin/policy-rc.d
		chmod 0755 /usr/sbin/policy-rc.d
		policy_made=yes
	fi
	echo "== installing nslcd and libnss-ldapd for the comparison"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		nslcd libnss-ldapd >/dev/null || true
	[ "$policy_made" = no ] || rm -f /usr/sbin/policy-rc.d
	if ! cmp -s /etc/nsswitch.conf "$work/nsswitch.conf.saved"; then
		cp -a "$work/nsswitch.conf.saved" /etc/nsswitch.conf
		echo "bench: /etc/nsswitch.conf restored"
	fi
}

# The path of libnss_ldap.so.2, or nothing.
bench_peer_nss() {
	ls /lib/*/libnss_ldap.so.2 /usr/lib/*/libnss_ldap.so.2 2>/dev/null | head -n1 || true
}

# pam_ldap.so of libpam-ldapd, unpacked into $work and never installed: the
# package's maintainer scripts would run pam-auth-update over /etc/pam.d. Prints
# its path, or nothing. PAM_LDAP_DEB names a local .deb to use instead.
bench_pam_ldap() {
	local deb=${PAM_LDAP_DEB:-}
	if [ -z "$deb" ]; then
		(cd "$work" && apt-get download -qq libpam-ldapd >/dev/null 2>&1) || return 0
		deb=$(ls "$work"/libpam-ldapd_*.deb 2>/dev/null | head -n1)
	fi
	[ -n "$deb" ] && dpkg-deb -x "$deb" "$work/pam-ldapd" || return 0
	find "$work/pam-ldapd" -name pam_ldap.so | head -n1
}

# bench_load_slapd LDIF: a throwaway slapd with the indexes nslcd's searches
# need, loaded with slapadd; leaves it running ($bench_slapd) on $LDAP_URI.
bench_load_slapd() {
	local t0 slapd_bin
	orgrbac_slapd_start >/dev/null
	LDAPNOINIT=1 ldapmodify -x -H "$LDAP_URI" -D "$LDAP_CONFIG_DN" -w "$LDAP_CONFIG_PW" >/dev/null <<-LDIF
		dn: olcDatabase={1}mdb,cn=config
		changetype: modify
		add: olcDbIndex
		olcDbIndex: memberUid eq
		olcDbIndex: uidNumber eq
		olcDbIndex: gidNumber eq
		olcDbIndex: cn eq
	LDIF
	"$ORGRBAC_SLAPD_SH" stop "$ORGRBAC_SLAPD_DIR" >/dev/null
	t0=$SECONDS
	slapadd -q -F "$ORGRBAC_SLAPD_DIR/slapd.d" -b dc=example,dc=com -l "$1"
	echo "   slapadd: $((SECONDS - t0)) s"
	slapd_bin=$(orgrbac_find_slapd)
	"$slapd_bin" -h "$LDAP_URI" -F "$ORGRBAC_SLAPD_DIR/slapd.d" -d none </dev/null \
		>>"$ORGRBAC_SLAPD_DIR/slapd.log" 2>&1 &
	bench_slapd=$!
	orgrbac_at_exit "kill $bench_slapd 2>/dev/null; wait $bench_slapd 2>/dev/null || true"
	for _ in $(seq 1 100); do
		LDAPNOINIT=1 ldapsearch -x -H "$LDAP_URI" -b dc=example,dc=com -s base >/dev/null 2>&1 && break
		sleep 0.2
	done
}

# bench_nslcd_conf FILE [LINE...]: nslcd's configuration for bench/gen's directory.
bench_nslcd_conf() {
	local f=$1
	shift
	{
		printf '%s\n' "uid nslcd" "gid nslcd" "uri $LDAP_URI" "base dc=example,dc=com" \
			"base group ou=groups,o=bench,dc=example,dc=com" \
			"base passwd ou=people,o=bench,dc=example,dc=com"
		[ $# -eq 0 ] || printf '%s\n' "$@"
	} >"$f"
	chmod 0640 "$f"
	chgrp nslcd "$f" 2>/dev/null || true
}
