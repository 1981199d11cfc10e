#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The Debian packages in a fresh Debian 12 root: build, lintian, install with apt,
# decide, upgrade, remove and purge, and find the root as it was.
#
# As root: builds the three packages from the tree (dpkg-buildpackage, once per
# content of the tree), checks them with lintian, creates a minimal bookworm
# root with mmdebstrap from the Debian mirrors this machine's apt configuration
# names (read at run time; the root is cached for the day under the work
# directory) and, in a private mount namespace with that root chrooted:
#
#   - installs the packages with apt, which resolves their dependencies, and
#     sees that no PAM file changed and that nsswitch.conf names the module;
#   - points /etc/orgrbac.conf at a throwaway slapd on the host's loopback with
#     the sample organization, runs pam-auth-update --enable orgrbac, and asks
#     pamtester for every user of the sample table (etc/sample-org.ldif
#     header), for sshd and sudo, which have no PAM file of their own there
#     and so go through common-account, a local account and root included;
#   - runs orgrbac sync and asks getent group org-admin and id alice;
#   - upgrades to a later build (the same packages under a higher version)
#     while a watcher asks for the snapshot and the group all along;
#   - refuses a login while the directory is down, removes the packages (the
#     configuration and the snapshot stay, PAM files and nsswitch.conf are back)
#     and purges them with the dependencies apt brought: /etc is then what it
#     was before the install, file for file, and nothing of ours is left.
#
# The sample organization's users have no passwd entry in the root (the module
# serves groups only): test copies of passwd, shadow and group with them are
# bind-mounted over the root's while logins are decided, and never while apt
# runs. Exits 77 when a tool is missing, when this machine's apt configuration
# names no Debian 12 mirror, or when mmdebstrap cannot reach it.
#
# Environment: BUILD_DIR (default build/; the work directory is
# BUILD_DIR/packages, ORGRBAC_PACKAGES_DIR to choose another).
. "$(dirname "$0")/../lib/lib.sh"
# Nothing here asks; nothing may wait for a terminal that CI does not have.
exec </dev/null

readonly SUITE=bookworm
# What the test needs in the root besides the apt variant: the PAM client.
readonly ROOT_PACKAGES=pamtester
readonly PACKAGES="orgrbac libpam-orgrbac libnss-orgrbac"

top=$ORGRBAC_TOP
work=${ORGRBAC_PACKAGES_DIR:-${BUILD_DIR:-$top/build}/packages}
root=$work/root
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

# ---- outside the root ------------------------------------------------------

preflight() {
	local tool
	[ "$(id -u)" -eq 0 ] || skip "needs root (mmdebstrap, chroot, private mount namespaces)"
	for tool in dpkg-buildpackage dpkg-parsechangelog dpkg-deb lintian mmdebstrap unshare chroot \
		apt-get git; do
		command -v "$tool" >/dev/null 2>&1 || skip "needs $tool (scripts/install-deps.sh installs it)"
	done
	unshare --mount --propagation private true 2>/dev/null ||
		skip "cannot create a mount namespace"
	[ -d "$top/.git" ] || [ -f "$top/.git" ] || skip "builds the packages from a git tree"
	mkdir -p "$work"
	# The root lies under the work directory; nothing may be mounted there.
	if grep -qF " $root" /proc/self/mounts; then
		fail "something is mounted under $root"
	fi
}

# The version is configure.ac's; debian/changelog must say the same.
check_version() {
	version=$(sed -n 's/^AC_INIT(\[orgrbac\], \[\([^]]*\)\].*/\1/p' "$top/configure.ac")
	[ -n "$version" ] || fail "no version in configure.ac's AC_INIT"
	local deb
	deb=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
	if [ "$deb" = "$version" ]; then
		ok "debian/changelog has configure.ac's version $version"
	else
		ko "debian/changelog says $deb, configure.ac's AC_INIT $version"
	fi
	arch=$(dpkg --print-architecture)
}

# Builds the packages from the files git knows (tracked, or new and not
# ignored), unless the packages of exactly these files are there already.
build_packages() {
	local src=$work/src stamp sum
	(cd "$top" && git ls-files -z --cached --others --exclude-standard |
		tar --null -T - --ignore-failed-read -cf "$work/tree.tar" 2>/dev/null) ||
		fail "cannot copy the tree"
	# The names and contents decide, not the times.
	sum=$(tar -tvf "$work/tree.tar" | awk '{ print $1, $NF }' | LC_ALL=C sort |
		cat - <(cd "$top" && git ls-files -z --cached --others --exclude-standard |
			xargs -0 sha256sum -- 2>/dev/null) | sha256sum | cut -d' ' -f1)
	stamp=$work/debs/tree.sha256
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ] &&
		[ -f "$work/debs/orgrbac_${version}_$arch.changes" ]; then
		echo "packages of this tree already built in $work/debs"
		return 0
	fi
	rm -rf "$src" "$work/debs"
	mkdir -p "$src/orgrbac-$version" "$work/debs"
	tar -C "$src/orgrbac-$version" -xf "$work/tree.tar"
	# The unit tests run in the suite; here the packaging is under test.
	if ! (cd "$src/orgrbac-$version" &&
		DEB_BUILD_OPTIONS="nocheck noautodbgsym parallel=$(nproc)" DEB_BUILD_PROFILES=nocheck \
			dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1; then
		tail -n 60 "$work/build.log"
		fail "dpkg-buildpackage failed (log: $work/build.log)"
	fi
	mv "$src"/*.deb "$src"/*.changes "$src"/*.buildinfo "$work/debs/"
	rm -rf "$src"
	printf '%s\n' "$sum" >"$stamp"
}

check_packages() {
	local p out
	for p in $PACKAGES; do
		if [ -f "$work/debs/${p}_${version}_$arch.deb" ]; then
			ok "dpkg-buildpackage built $p"
		else
			ko "dpkg-buildpackage did not build $p"
		fi
	done
	if lintian --fail-on error,warning --info --display-info --pedantic \
		"$work/debs/orgrbac_${version}_$arch.changes" >"$work/lintian.log" 2>&1; then
		out=$(grep -v 'root privileges' "$work/lintian.log" || true)
		ok "lintian: no error or warning${out:+ (it said: $out)}"
	else
		ko "lintian: $(cat "$work/lintian.log")"
	fi
}

# This machine's apt sources for Debian 12, as one-line entries: the mirror is
# whatever the host's apt configuration names, never one written here.
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

# A fresh root from the cached tarball, made anew once a day or when the
# mirrors or the package list change.
make_root() {
	local mirrors=() line key tarball log
	while IFS= read -r line; do mirrors+=("$line"); done < <(host_mirrors)
	[ "${#mirrors[@]}" -gt 0 ] ||
		skip "this machine's apt configuration names no Debian 12 ($SUITE) mirror"
	key=$( {
		printf '%s\n' "${mirrors[@]}" "$ROOT_PACKAGES" "$(date -u +%F)"
		mmdebstrap --version
	} | sha256sum | cut -c1-16)
	mkdir -p "$work/cache"
	tarball=$work/cache/$SUITE-$key.tar
	if [ ! -s "$tarball" ]; then
		rm -f "$work/cache/$SUITE"-*.tar
		log=$work/mmdebstrap.log
		printf 'mmdebstrap from: %s\n' "${mirrors[@]}"
		# root mode mounts /proc and /dev in the target: in a namespace of its own.
		# No fsync for a throwaway root (it stays in the root's dpkg.cfg.d), and
		# no path-exclude: mmdebstrap then filters every file itself, 7 times slower.
		if ! unshare --mount --propagation private mmdebstrap --variant=apt \
			--include="$ROOT_PACKAGES" --format=tar --skip=cleanup/apt/lists \
			--aptopt='Acquire::Languages "none"' --dpkgopt=force-unsafe-io \
			"$SUITE" "$tarball.tmp" "${mirrors[@]}" >"$log" 2>&1; then
			rm -f "$tarball.tmp"
			if grep -qE 'Failed to fetch|Could not resolve|Temporary failure|Unable to connect|Connection (failed|refused|timed out)|No route to host|apt-get update failed|Network is unreachable' "$log"; then
				skip "mmdebstrap cannot reach the mirror ($(grep -m1 -E 'Failed to fetch|Could not|Unable|Connection|unreachable|failed' "$log"))"
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

# ---- inside the namespaces -------------------------------------------------

# in_root CMD...: CMD chrooted in the root, with a clean environment.
in_root() {
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive chroot "$root" "$@"
}

apt_root() {
	in_root apt-get -y -q -o Dpkg::Use-Pty=0 -o APT::Install-Recommends=false "$@" \
		>>"$work/apt.log" 2>&1
}

# The sample users (uids from etc/sample-org.ldif, group 10000) and ghost, a
# local account the directory does not know, over the root's files.
users_on() {
	local f
	for f in passwd shadow group; do
		cp -p "$root/etc/$f" "$work/$f"
	done
	awk '/^dn: uid=/ { sub(/^dn: uid=/, ""); sub(/,.*/, ""); u = $0 }
	     /^uidNumber: / && u != "" { print u, $2; u = "" }' "$top/etc/sample-org.ldif" |
		while read -r name uid; do
			printf '%s:x:%s:10000:%s:/nonexistent:/bin/sh\n' "$name" "$uid" "$name" >>"$work/passwd"
			printf '%s:*:19000:0:99999:7:::\n' "$name" >>"$work/shadow"
		done
	printf 'ghost:x:10999:10000:ghost:/nonexistent:/bin/sh\n' >>"$work/passwd"
	printf 'ghost:*:19000:0:99999:7:::\n' >>"$work/shadow"
	printf 'people:x:10000:\n' >>"$work/group"
	for f in passwd shadow group; do
		mount -n --bind "$work/$f" "$root/etc/$f"
	done
}

users_off() {
	local f
	for f in passwd shadow group; do
		umount -n "$root/etc/$f"
	done
}

# decide USER SERVICE EXPECTED: pamtester's account answer is EXPECTED
# (allow, deny: PAM_PERM_DENIED, expired: PAM_ACCT_EXPIRED, unavail:
# PAM_AUTHINFO_UNAVAIL).
decide() {
	local user=$1 service=$2 want=$3 out rc=0 got
	out=$(in_root pamtester "$service" "$user" acct_mgmt 2>&1) || rc=$?
	case $rc:$out in
	0:*) got=allow ;;
	*"Permission denied"*) got=deny ;;
	*"User account has expired"*) got=expired ;;
	*"cannot retrieve authentication info"*) got=unavail ;;
	*) got="other ($rc: $out)" ;;
	esac
	if [ "$got" = "$want" ]; then
		ok "$user $service: $want"
	else
		ko "$user $service: wanted $want, got $got"
	fi
}

# The account line pam-auth-update wrote, first of the Additional block.
account_line() {
	sed -n '/(the "Additional" block)/{n;p;}' "$root/etc/pam.d/common-account"
}

# same WHAT A B: files or trees A and B are the same (content, mode, owner, links).
same() {
	local what=$1 a=$2 b=$3 d
	d=$(diff -r --no-dereference "$a" "$b" 2>&1; diff <(tree_list "$a") <(tree_list "$b"))
	if [ -z "$d" ]; then
		ok "$what"
	else
		ko "$what: $(printf '%s\n' "$d" | head -n 20)"
	fi
}

tree_list() {
	if [ -d "$1" ]; then
		(cd "$1" && find . -printf '%p %M %u %g %l\n' | LC_ALL=C sort)
	else
		stat -c '%A %U %G' "$1"
	fi
}

# Everything in the root but the state of dpkg and apt, caches, logs and
# the mount points.
root_list() {
	(cd "$root" && find . \( -path ./proc -o -path ./dev -o -path ./tmp -o -path ./run \
		-o -path ./var/lib/apt -o -path ./var/lib/dpkg -o -path ./var/cache -o -path ./var/log \) \
		-prune -o -printf '%p %M %u %g %l\n' | LC_ALL=C sort)
}

# A later build: the same files under version VERSION+upgrade1.
repack_upgrade() {
	local p d new=${version}+upgrade1
	rm -rf "$work/upgrade"
	mkdir -p "$work/upgrade"
	for p in $PACKAGES; do
		d=$work/upgrade/$p
		dpkg-deb -R "$work/debs/${p}_${version}_$arch.deb" "$d"
		sed -i -e "s/^Version: .*/Version: $new/" -e "s/(= $version)/(= $new)/g" "$d/DEBIAN/control"
		dpkg-deb -b "$d" "$work/upgrade/${p}_${new}_$arch.deb" >/dev/null
		rm -rf "$d"
	done
	upgrade_version=$new
}

inside() {
	local p before_etc=$work/etc.before f out line n
	# A watcher left running would keep the namespace alive.
	trap 'touch "$root/tmp/watch.stop" 2>/dev/null || true' EXIT
	mount -n -t proc proc "$root/proc"
	cp -a "$root/etc" "$before_etc.tmp" && rm -rf "$before_etc" && mv "$before_etc.tmp" "$before_etc"
	root_list >"$work/root.before"
	: >"$work/apt.log"

	phase "install with apt"
	mkdir -p "$root/tmp/debs"
	for p in $PACKAGES; do
		cp "$work/debs/${p}_${version}_$arch.deb" "$root/tmp/debs/"
	done
	if apt_root install $(for p in $PACKAGES; do printf '/tmp/debs/%s_%s_%s.deb ' "$p" "$version" "$arch"; done); then
		ok "apt installs the three packages and their dependencies"
	else
		tail -n 30 "$work/apt.log"
		fail "apt could not install the packages"
	fi
	same "installing changes no PAM file" "$before_etc/pam.d" "$root/etc/pam.d"
	for db in group passwd; do
		if grep -qE "^$db:.*[[:space:]]orgrbac([[:space:]]|$)" "$root/etc/nsswitch.conf"; then
			ok "nsswitch.conf: $db names orgrbac"
		else
			ko "nsswitch.conf: $db lacks orgrbac: $(grep "^$db:" "$root/etc/nsswitch.conf")"
		fi
	done
	for f in /usr/lib/*/security/pam_orgrbac.so /usr/lib/*/security/orgrbac_live.so \
		/usr/lib/*/libnss_orgrbac.so.2 /usr/sbin/orgrbac \
		/usr/share/pam-configs/orgrbac /lib/systemd/system/orgrbac-sync.timer /etc/orgrbac.conf; do
		if compgen -G "$root$f" >/dev/null; then ok "installed $f"; else ko "missing $f"; fi
	done

	phase "configure, enable, decide"
	cat >"$root/etc/orgrbac.conf" <<-CONF
		[ldap]
		uri = $LDAP_URI
		base = $LDAP_BASE
		timeout = 3

		[host]
		org = acme
		services = payments, web
		resource = web01.example.com

		[service sshd]
		require = host:login || common:org:own
		[service sudo]
		require = host:sudo || common:org:own
	CONF
	chmod 0644 "$root/etc/orgrbac.conf"
	# Silent: a profile pam-auth-update cannot read cleanly would make it warn
	# on every run, whichever package runs it.
	if out=$(in_root pam-auth-update --enable orgrbac 2>&1) && [ -z "$out" ]; then
		ok "pam-auth-update --enable orgrbac, silently"
	else
		ko "pam-auth-update --enable orgrbac: $out"
	fi
	line=$(account_line)
	if [[ "$line" =~ ^account[[:space:]]+required[[:space:]]+pam_orgrbac\.so[[:space:]]+ignore_unknown_user[[:space:]]+ignore_users=root[[:space:]]*$ ]]; then
		ok "common-account: the gate opens the Additional block: $line"
	else
		ko "common-account: wanted the gate first in the Additional block, got '$line'"
	fi
	users_on
	n=0
	while read -r user sshd sudo; do
		decide "$user" sshd "$sshd"
		decide "$user" sudo "$sudo"
		n=$((n + 1))
	done < <(sed -nE 's/^#   ([a-z]+) +(allow|deny|expired) +(allow|deny|expired) .*/\1 \2 \3/p' \
		"$top/etc/sample-org.ldif")
	[ "$n" -ge 15 ] || ko "read only $n users from the sample table"
	decide ghost sshd allow
	decide root sudo allow

	phase "sync, groups"
	if out=$(in_root orgrbac sync 2>&1); then ok "orgrbac sync: $out"; else ko "orgrbac sync: $out"; fi
	out=$(in_root getent group org-admin 2>&1) || true
	if [[ "$out" =~ ^org-admin:[^:]*:20002:.*alice ]]; then
		ok "getent group org-admin: $out"
	else
		ko "getent group org-admin: '$out'"
	fi
	out=$(in_root id alice 2>&1) || true
	if [[ "$out" == *"uid=10001(alice)"*"20002(org-admin)"* ]]; then
		ok "id alice: $out"
	else
		ko "id alice: '$out'"
	fi
	users_off

	phase "upgrade to a later build"
	repack_upgrade
	for p in $PACKAGES; do
		cp "$work/upgrade/${p}_${upgrade_version}_$arch.deb" "$root/tmp/debs/"
	done
	rm -f "$root/tmp/watch.stop"
	# Asks for the snapshot and the group all through the upgrade, one line a
	# round, for five minutes at most whatever happens to this script.
	in_root sh -c 'end=$(($(date +%s) + 300))
	while [ ! -e /tmp/watch.stop ] && [ "$(date +%s)" -lt "$end" ]; do
		if [ ! -s /var/lib/orgrbac/snapshot.db ]; then echo "snapshot missing"
		elif ! getent group org-admin >/dev/null; then echo "org-admin missing"
		else echo round; fi
		sleep 0.02
	done' >"$work/watch.log" 2>&1 &
	local watcher=$!
	sleep 0.5
	if apt_root install $(for p in $PACKAGES; do printf '/tmp/debs/%s_%s_%s.deb ' "$p" "$upgrade_version" "$arch"; done); then
		ok "apt upgrades to $upgrade_version"
	else
		tail -n 30 "$work/apt.log"
		ko "apt could not upgrade"
	fi
	sleep 0.5
	touch "$root/tmp/watch.stop"
	wait "$watcher" || true
	n=$(grep -c '^round$' "$work/watch.log" || true)
	if [ "$n" -gt 0 ] && ! grep -qv '^round$' "$work/watch.log"; then
		ok "the snapshot and org-admin answered throughout the upgrade ($n rounds)"
	else
		ko "during the upgrade: $(sort "$work/watch.log" | uniq -c | tr '\n' ' ')"
	fi
	if [ "$(account_line)" = "$line" ]; then
		ok "the upgrade keeps the enabled gate"
	else
		ko "after the upgrade common-account has '$(account_line)'"
	fi
	if [ "$(grep -c '^group:.*orgrbac' "$root/etc/nsswitch.conf")" = 1 ] &&
		[ "$(grep -o orgrbac "$root/etc/nsswitch.conf" | wc -l)" = 2 ]; then
		ok "the upgrade keeps one orgrbac on each line of nsswitch.conf"
	else
		ko "after the upgrade nsswitch.conf has: $(grep orgrbac "$root/etc/nsswitch.conf")"
	fi
	if grep -q "^uri = $LDAP_URI" "$root/etc/orgrbac.conf" &&
		[ -z "$(find "$root/etc" -name '*.dpkg-*' -o -name '*.ucf-*')" ]; then
		ok "the upgrade keeps /etc/orgrbac.conf and leaves no .dpkg-* file"
	else
		ko "after the upgrade: $(find "$root/etc" -name '*.dpkg-*') $(head -3 "$root/etc/orgrbac.conf")"
	fi
	users_on
	decide alice sudo allow
	decide bob sudo deny

	phase "directory down"
	orgrbac_slapd_stop
	decide alice sshd unavail
	decide root sudo allow
	users_off

	phase "remove"
	if apt_root remove $PACKAGES; then ok "apt removes the packages"; else ko "apt remove failed"; fi
	same "removal: the PAM files are as before the install" "$before_etc/pam.d" "$root/etc/pam.d"
	same "removal: nsswitch.conf is as before the install" "$before_etc/nsswitch.conf" "$root/etc/nsswitch.conf"
	if grep -q "^uri = $LDAP_URI" "$root/etc/orgrbac.conf" 2>/dev/null &&
		[ -s "$root/var/lib/orgrbac/snapshot.db" ]; then
		ok "removal keeps /etc/orgrbac.conf and the snapshot"
	else
		ko "removal lost /etc/orgrbac.conf or the snapshot"
	fi
	if compgen -G "$root/usr/lib/*/security/pam_orgrbac.so" >/dev/null ||
		compgen -G "$root/usr/lib/*/security/orgrbac_live.so" >/dev/null ||
		compgen -G "$root/usr/lib/*/libnss_orgrbac.so.2" >/dev/null; then
		ko "removal left a module behind"
	else
		ok "removal takes the modules"
	fi

	if grep -E 'pam-auth-update|Use of uninit' "$work/apt.log" | grep -v '^Setting up' >"$work/warnings"; then
		ko "pam-auth-update complained during apt's runs: $(head -n 5 "$work/warnings")"
	else
		ok "pam-auth-update said nothing during install, upgrade and removal"
	fi

	phase "purge"
	if apt_root purge --autoremove $PACKAGES; then ok "apt purges the packages and their dependencies"; else ko "apt purge failed"; fi
	out=$(in_root dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' $PACKAGES 2>/dev/null | grep -v '^un ' || true)
	[ -z "$out" ] && ok "dpkg knows none of the packages any more" || ko "dpkg still has: $out"
	same "purge: /etc is as before the install" "$before_etc" "$root/etc"
	[ ! -e "$root/var/lib/orgrbac" ] && ok "purge removes /var/lib/orgrbac" || ko "purge left /var/lib/orgrbac"
	rm -rf "$root/tmp/debs" "$root/tmp/watch.stop"
	root_list >"$work/root.after"
	out=$(diff "$work/root.before" "$work/root.after" || true)
	[ -z "$out" ] && ok "purge: the root's files are as before the install" ||
		ko "purge: the root differs: $(printf '%s\n' "$out" | head -n 20)"
	umount -n "$root/proc"
	echo "packages: $passed passed, $failed failed"
	[ "$failed" -eq 0 ] || return 1
	# Kept for a post-mortem when something failed; the cached tarball stays.
	rm -rf "$root" "$work/upgrade" "$work/tree.tar"
}

if [ "${1:-}" = --inside ]; then
	# Re-entered in the namespaces: the state comes in the environment.
	version=$ORGRBAC_PKG_VERSION arch=$ORGRBAC_PKG_ARCH
	passed=$ORGRBAC_PKG_PASSED failed=$ORGRBAC_PKG_FAILED
	t0=$ORGRBAC_PKG_T0
	ORGRBAC_SLAPD_DIR=$ORGRBAC_PKG_SLAPD
	orgrbac_slapd_env "$ORGRBAC_SLAPD_DIR"
	inside
	exit
fi

preflight
phase "version"
check_version
phase "build the packages"
build_packages
check_packages
phase "a fresh $SUITE root"
make_root
orgrbac_slapd_start
rc=0
ORGRBAC_PKG_VERSION=$version ORGRBAC_PKG_ARCH=$arch ORGRBAC_PKG_PASSED=$passed \
	ORGRBAC_PKG_FAILED=$failed ORGRBAC_PKG_T0=$t0 ORGRBAC_PKG_SLAPD=$ORGRBAC_SLAPD_DIR \
	LIBMOUNT_UTAB=$work/utab \
	unshare --mount --propagation private bash "$0" --inside || rc=$?
phase "done"
exit "$rc"
