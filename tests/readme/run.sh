#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The README's first-day commands against Debian's own slapd, in a fresh
# Debian 12 root: the directory steps (the README block marked
# "readme-check: directory") run as written, on the database that
# `apt-get install slapd` created from debconf (domain example.com); then
# `orgrbac check` and `orgrbac sync` of this build, bound as the sample's
# cn=host-web01 with the secret those steps set, and nslcd configured from
# the README's nslcd.conf and nsswitch blocks serves the sample's users and
# their primary group.
#
# As root. The root is made with mmdebstrap from the Debian mirrors this
# machine's apt configuration names (cached for the day under the work
# directory); slapd and nslcd run chrooted in it, in a private mount
# namespace, on a free loopback port, and are stopped at the end. Exits 77
# when a tool is missing, when no Debian 12 mirror is configured, or when
# mmdebstrap cannot reach it. About two minutes the first time in a day.
#
# Environment: BUILD_DIR (default build/, where orgrbac is built; the work
# directory is BUILD_DIR/readme).
. "$(dirname "$0")/../lib/lib.sh"
exec </dev/null
readonly SUITE=bookworm
readonly ROOT_PACKAGES=slapd,ldap-utils,nslcd,libnss-ldapd,openssl
top=$ORGRBAC_TOP
build=${BUILD_DIR:-$top/build}
work=$build/readme
root=$work/root
readonly ADMIN_PW=readme-admin-secret
B=dc=example,dc=com
HOST="cn=host-web01,ou=hosts,$B"
AT=2026-11-22T12:00:00Z
t0=$(date +%s)
passed=0
failed=0
ok() {
	passed=$((passed + 1))
	printf 'ok %s\n' "$*"
}
ko() {
	failed=$((failed + 1))
	printf 'not ok %s\n' "$*"
}
phase() { printf '== %s (%ss)\n' "$*" "$(($(date +%s) - t0))"; }

# in_root CMD...: CMD chrooted in the root, with a clean environment.
in_root() {
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 chroot "$root" "$@"
}

# block NAME: the code block of README.md that follows <!-- readme-check: NAME -->
block() {
	awk -v name="$1" '
		$0 == "<!-- readme-check: " name " -->" { want = 1; next }
		want && /^```/ { if (inside) exit; inside = 1; next }
		inside { print }' "$top/README.md"
}

# This machine's apt sources for Debian 12 (as in tests/packages/run.sh).
host_mirrors() {
	apt-get indextargets --format '$(TARGET_OF)|$(REPO_URI)|$(RELEASE)|$(CODENAME)|$(ORIGIN)|$(COMPONENT)' \
		'Identifier: Packages' 2>/dev/null |
		awk -F'|' -v suite="$SUITE" '
			$1 == "deb" && ($5 == "Debian" || $5 == "") &&
			($3 ~ "^" suite "(-updates|-security)?$" || $4 ~ "^" suite "(-updates|-security)?$") {
				key = $2 " " $3
				if (!(key in comps)) { order[++n] = key; comps[key] = "" }
				if (index(" " comps[key] " ", " " $6 " ") == 0) comps[key] = comps[key] " " $6
			}
			END { for (i = 1; i <= n; i++) print "deb " order[i] comps[order[i]] }'
}

preflight() {
	local tool
	[ "$(id -u)" -eq 0 ] || skip "needs root (mmdebstrap, chroot, private mount namespaces)"
	for tool in mmdebstrap unshare chroot apt-get; do
		command -v "$tool" >/dev/null 2>&1 || skip "needs $tool (scripts/install-deps.sh installs it)"
	done
	[ -x "$build/orgrbac" ] || fail "$build/orgrbac not built"
	unshare --mount --propagation private true 2>/dev/null || skip "cannot create a mount namespace"
	[ -n "$(block directory)" ] || fail "README.md has no block marked readme-check: directory"
	mkdir -p "$work"
	if grep -qF " $root" /proc/self/mounts; then
		fail "something is mounted under $root"
	fi
}

# A fresh root with Debian's slapd installed as apt-get install installs it,
# the domain example.com and the admin password preseeded in debconf.
make_root() {
	local mirrors=() line key tarball log preseed=$work/preseed
	while IFS= read -r line; do mirrors+=("$line"); done < <(host_mirrors)
	[ "${#mirrors[@]}" -gt 0 ] ||
		skip "this machine's apt configuration names no Debian 12 ($SUITE) mirror"
	cat >"$preseed" <<PRESEED
slapd slapd/domain string example.com
slapd shared/organization string Example
slapd slapd/password1 password $ADMIN_PW
slapd slapd/password2 password $ADMIN_PW
slapd slapd/no_configuration boolean false
nslcd nslcd/ldap-uris string ldap://127.0.0.1/
nslcd nslcd/ldap-base string $B
libnss-ldapd libnss-ldapd/nsswitch multiselect
PRESEED
	key=$( {
		printf '%s\n' "${mirrors[@]}" "$ROOT_PACKAGES" "$(date -u +%F)"
		cat "$preseed"
		mmdebstrap --version
	} | sha256sum | cut -c1-16)
	mkdir -p "$work/cache"
	tarball=$work/cache/$SUITE-$key.tar
	if [ ! -s "$tarball" ]; then
		rm -f "$work/cache/$SUITE"-*.tar
		log=$work/mmdebstrap.log
		printf 'mmdebstrap from: %s\n' "${mirrors[@]}"
		# mmdebstrap keeps services from starting while it installs.
		if ! unshare --mount --propagation private mmdebstrap --variant=apt \
			--include="$ROOT_PACKAGES" --format=tar \
			--essential-hook="chroot \"\$1\" debconf-set-selections <'$preseed'" \
			--aptopt='Acquire::Languages "none"' --dpkgopt=force-unsafe-io \
			"$SUITE" "$tarball.tmp" "${mirrors[@]}" >"$log" 2>&1; then
			rm -f "$tarball.tmp"
			if grep -qE 'Failed to fetch|Could not resolve|Temporary failure|Unable to connect|Connection (failed|refused|timed out)|No route to host|apt-get update failed|Network is unreachable' "$log"; then
				skip "mmdebstrap cannot reach the mirror"
			fi
			tail -n 30 "$log"
			fail "mmdebstrap failed (log: $log)"
		fi
		mv "$tarball.tmp" "$tarball"
	fi
	rm -rf "$root"
	mkdir -p "$root"
	tar -C "$root" -xpf "$tarball"
}

free_port() {
	local port
	while :; do
		port=$((20000 + RANDOM % 40000))
		ss -Htln "sport = :$port" 2>/dev/null | grep -q . || break
	done
	printf '%s\n' "$port"
}

# ---- in the private mount namespace ----------------------------------------

# The daemons started in the root run in this machine's PID namespace: stop
# them by their pids before the namespace goes.
stop_daemons() {
	local pid i
	for pid in ${nslcd_pid:-} ${slapd_pid:-}; do
		kill "$pid" 2>/dev/null || continue
		for i in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
	done
	nslcd_pid=
	slapd_pid=
}

inside() {
	local port uri out i suffix want rc a
	# every check below reports; none stops the run
	set +e
	slapd_pid=
	nslcd_pid=
	trap stop_daemons EXIT
	mount -n -t proc proc "$root/proc"
	mount -n --bind /dev "$root/dev"

	phase "Debian's slapd"
	port=$(free_port)
	uri=ldap://127.0.0.1:$port/
	mkdir -p "$root/run/slapd"
	in_root chown openldap:openldap /run/slapd
	in_root /usr/sbin/slapd -h "ldapi:/// $uri" -u openldap -g openldap -F /etc/ldap/slapd.d ||
		fail "Debian's slapd does not start"
	for i in $(seq 50); do
		in_root ldapsearch -Q -LLL -Y EXTERNAL -H ldapi:/// -b cn=config -s base 1.1 >/dev/null 2>&1 && break
		sleep 0.2
	done
	slapd_pid=$(cat "$root/run/slapd/slapd.pid" 2>/dev/null || true)
	suffix=$(in_root ldapsearch -Q -LLL -o ldif-wrap=no -Y EXTERNAL -H ldapi:/// -b cn=config \
		'(olcSuffix=*)' olcSuffix 2>/dev/null | sed -n 's/^olcSuffix: //p')
	[ "$suffix" = "$B" ] && ok "debconf made the suffix $B" || fail "Debian's slapd serves '$suffix'"

	phase "the README's directory steps"
	mkdir -p "$root/usr/share/orgrbac"
	cp "$top"/etc/*.ldif "$root/usr/share/orgrbac/"
	(umask 077 && printf '%s' "$ADMIN_PW" >"$root/root/admin.pw")
	# as written, but for the password the administrator would type
	block directory | sed 's| -W\b| -y /root/admin.pw|' >"$root/root/directory.sh"
	in_root bash -c 'cd /root && bash -x directory.sh' >"$work/directory.log" 2>&1
	sed 's/^/    /' "$work/directory.log"
	out=$(in_root ldapsearch -Q -LLL -o ldif-wrap=no -Y EXTERNAL -H ldapi:/// -b cn=schema,cn=config \
		-s one '(cn=*orgrbac)' 1.1 2>/dev/null)
	grep -q '^dn: cn={[0-9]*}orgrbac,' <<<"$out" && ok "the schema is loaded" || ko "no orgrbac schema: $out"
	out=$(in_root ldapsearch -Q -LLL -o ldif-wrap=no -Y EXTERNAL -H ldapi:/// -b cn=config \
		"(olcSuffix=$B)" olcDbIndex 2>/dev/null)
	for a in orgGrantee member uid objectClass; do
		grep -qE "^olcDbIndex: ([^ ]*,)?$a(,[^ ]*)? eq" <<<"$out" && ok "index on $a" ||
			ko "no $a index: $out"
	done
	out=$(in_root ldapsearch -Q -LLL -o ldif-wrap=no -Y EXTERNAL -H ldapi:/// -b cn=config \
		'(objectClass=olcRefintConfig)' olcRefintAttribute 2>/dev/null)
	grep -q '^olcRefintAttribute: member orgGrantee orgGrantedRole' <<<"$out" && ok "refint is loaded" ||
		ko "no refint overlay: $out"
	out=$(in_root ldapsearch -Q -LLL -o ldif-wrap=no -Y EXTERNAL -H ldapi:/// -b cn=config \
		"(olcSuffix=$B)" olcAccess 2>/dev/null | grep -c '^olcAccess:')
	[ "$out" = "$(grep -c '^olcAccess:' "$top/etc/slapd-acl.ldif")" ] && ok "the ACL is loaded" ||
		ko "$out olcAccess values, not the shipped ACL's"
	out=$(in_root ldapsearch -x -LLL -H ldapi:/// -D "cn=admin,$B" -y /root/admin.pw -b "$B" \
		'(|(uid=alice)(cn=host-web01)(cn=people))' 1.1 2>&1 | grep -c '^dn:')
	[ "$out" = 3 ] && ok "the sample is loaded (alice, host-web01, people)" || ko "the sample: $out of 3 entries"

	phase "orgrbac bound as $HOST"
	mkdir -p "$work/host"
	install -m 0600 -o root -g root "$root/root/host-web01.secret" "$work/host/orgrbac.secret" ||
		fail "the README's steps wrote no host-web01.secret"
	orgrbac_write_conf "$work/host/orgrbac.conf" "ldap.uri=$uri" "ldap.base=$B" \
		"ldap.bind_dn=$HOST" "ldap.bind_password_file=$work/host/orgrbac.secret" ldap.timeout=5 \
		"nss.snapshot=$work/host/snapshot.db"
	chmod 0644 "$work/host/orgrbac.conf"
	for want in "alice sshd 0" "alice sudo 0" "bob sshd 0" "bob sudo 1" "erin sshd 1" "ian sshd 1"; do
		set -- $want
		out=$("$build/orgrbac" check "$1" --service "$2" --at "$AT" --config "$work/host/orgrbac.conf" 2>&1)
		rc=$?
		[ "$rc" = "$3" ] && ok "orgrbac check $1 --service $2: exit $3" ||
			ko "orgrbac check $1 --service $2: exit $rc, wanted $3: $out"
	done
	out=$("$build/orgrbac" sync --config "$work/host/orgrbac.conf" 2>&1) && [ -s "$work/host/snapshot.db" ] &&
		ok "orgrbac sync as the host: $out" || ko "orgrbac sync as the host: $out"
	out=$(printf 'dn: cn=engineering-members,ou=grants,o=acme,%s\nchangetype: delete\n' "$B" |
		LDAPNOINIT=1 ldapmodify -x -H "$uri" -D "$HOST" -y <(head -n 1 "$work/host/orgrbac.secret" | tr -d '\n') 2>&1)
	grep -q 'Insufficient access (50)' <<<"$out" && ok "the host cannot delete a grant" ||
		ko "the host deleting a grant: $out"

	phase "the README's grant and revoke, as the directory's administrator"
	admin=(-H "$uri" -D "cn=admin,$B" -y "$root/root/admin.pw" --config "$work/host/orgrbac.conf")
	out=$("$build/orgrbac" grant 'Service Owner' --user bob --service payments --for 7d "${admin[@]}" 2>&1) &&
		ok "orgrbac grant 'Service Owner' --user bob --service payments --for 7d: $out" ||
		ko "orgrbac grant: $out"
	out=$("$build/orgrbac" check bob --service sudo --config "$work/host/orgrbac.conf" 2>&1) &&
		ok "bob may sudo now" || ko "bob's sudo after the grant: $out"
	out=$("$build/orgrbac" grants --user bob "${admin[@]}" 2>&1)
	grep -q "Service Owner" <<<"$out" && ok "orgrbac grants --user bob lists it" ||
		ko "orgrbac grants --user bob: $out"
	out=$("$build/orgrbac" revoke 'Service Owner' --user bob "${admin[@]}" 2>&1) &&
		ok "orgrbac revoke 'Service Owner' --user bob: $out" || ko "orgrbac revoke: $out"
	"$build/orgrbac" check bob --service sudo --config "$work/host/orgrbac.conf" >/dev/null 2>&1
	[ $? -eq 1 ] && ok "bob may not sudo after the revoke" || ko "bob's sudo after the revoke"

	phase "users and roles from the snapshot: the README's passwd and group lines for orgrbac"
	nsslib=$(in_root sh -c 'dirname "$(readlink -f /lib/*/libnss_files.so.2)"')
	install -m 0644 "$build/.libs/libnss_orgrbac.so.2" "$root$nsslib/libnss_orgrbac.so.2"
	mkdir -p "$root/var/lib/orgrbac"
	install -m 0644 "$work/host/snapshot.db" "$root/var/lib/orgrbac/snapshot.db"
	cp "$root/etc/nsswitch.conf" "$work/nsswitch.orig"
	block nsswitch-orgrbac >"$work/nsswitch.lines"
	awk 'NR == FNR { db = $1; line[db] = $0; next }
	     ($1 in line) { print line[$1]; next } { print }' "$work/nsswitch.lines" \
		"$work/nsswitch.orig" >"$root/etc/nsswitch.conf"
	out=$(in_root getent passwd alice)
	[ "${out%%:*}:$(cut -d: -f3,4,6 <<<"$out")" = "alice:10001:10000:/home/alice" ] &&
		ok "getent passwd alice from the snapshot: $out" || ko "getent passwd alice: '$out'"
	out=$(in_root id alice 2>&1)
	grep -q 'uid=10001(alice) gid=10000.*org-admin' <<<"$out" && ok "id alice from the snapshot: $out" ||
		ko "id alice from the snapshot: $out"
	out=$(in_root getent passwd ghost)
	[ -z "$out" ] && ok "getent passwd ghost: nothing" || ko "getent passwd ghost: '$out'"
	rm -f "$root$nsslib/libnss_orgrbac.so.2" "$root/var/lib/orgrbac/snapshot.db"
	cp "$work/nsswitch.orig" "$root/etc/nsswitch.conf"

	phase "nslcd from the README's nslcd.conf and nsswitch lines"
	{
		block nslcd.conf | sed -e "s|^uri .*|uri $uri|" \
			-e "s|^bindpw .*|bindpw $(head -n 1 "$work/host/orgrbac.secret")|" -e '/^tls_/d'
	} >"$root/etc/nslcd.conf"
	in_root chown root:nslcd /etc/nslcd.conf
	chmod 0640 "$root/etc/nslcd.conf"
	block nsswitch >"$work/nsswitch.lines"
	awk 'NR == FNR { db = $1; line[db] = $0; next }
	     ($1 in line) { print line[$1]; next } { print }' "$work/nsswitch.lines" \
		"$root/etc/nsswitch.conf" >"$work/nsswitch.conf"
	cp "$work/nsswitch.conf" "$root/etc/nsswitch.conf"
	mkdir -p "$root/run/nslcd"
	in_root chown nslcd:nslcd /run/nslcd
	in_root /usr/sbin/nslcd || ko "nslcd does not start"
	sleep 1
	nslcd_pid=$(cat "$root/run/nslcd/nslcd.pid" 2>/dev/null || true)
	out=$(in_root getent passwd alice)
	[ "${out%%:*}:$(cut -d: -f3,4,6 <<<"$out")" = "alice:10001:10000:/home/alice" ] &&
		ok "getent passwd alice: $out" || ko "getent passwd alice: '$out'"
	out=$(in_root getent group 10000)
	[ "${out%%:*}" = people ] && ok "getent group 10000: $out" || ko "getent group 10000: '$out'"
	out=$(in_root id alice 2>&1)
	grep -q 'uid=10001(alice) gid=10000(people)' <<<"$out" && ok "id alice: $out" || ko "id alice: $out"
	out=$(in_root getent passwd ghost)
	[ -z "$out" ] && ok "getent passwd ghost: nothing" || ko "getent passwd ghost: '$out'"
	out=$(in_root getent shadow alice 2>/dev/null || true)
	! grep -q '{SSHA}' <<<"$out" && ok "no password hash reaches the host" || ko "getent shadow alice: $out"

	stop_daemons
	umount -n "$root/dev" "$root/proc"
	echo "readme: $passed passed, $failed failed"
	[ "$failed" -eq 0 ] || return 1
	rm -rf "$root"
}

if [ "${1:-}" = --inside ]; then
	passed=$ORGRBAC_README_PASSED failed=$ORGRBAC_README_FAILED t0=$ORGRBAC_README_T0
	inside
	exit
fi
preflight
phase "a fresh $SUITE root with Debian's slapd"
make_root
rc=0
ORGRBAC_README_PASSED=$passed ORGRBAC_README_FAILED=$failed ORGRBAC_README_T0=$t0 BUILD_DIR=$build \
	LIBMOUNT_UTAB=$work/utab unshare --mount --propagation private bash "$0" --inside || rc=$?
phase "done"
exit "$rc"
