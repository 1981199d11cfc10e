#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Helpers of the NSS tests: a private mount namespace in which glibc finds the
# module and reads a test nsswitch.conf, passwd, group and snapshot, so that
# getent, id and sudo answer through libnss_orgrbac while the host is untouched.
#
#   nss_setup WORK            lay out WORK/{etc,lib,snap}; needs ORGRBAC_BUILD
#   in_ns CMD...              run CMD in a new private mount namespace
#
# The snapshot directory the module reads (its built-in path,
# ORGRBAC_SNAPSHOT_PATH) is WORK/snap inside the namespace. glibc finds the
# module through an ld.so.cache written for the test (so setuid sudo finds it
# too) bind-mounted over /etc/ld.so.cache.

: "${ORGRBAC_SNAPSHOT_PATH:=/var/lib/orgrbac/snapshot.db}"

# The sample organization's users, for passwd: the NSS module serves groups only.
NSS_USERS="alice:10001 bob:10002 carol:10003 dave:10004 erin:10005 frank:10006
grace:10007 heidi:10008 ivan:10009 judy:10010 leo:10011 vic:10101 vera:10102
pat:10111 ian:10121 uma:10131 hank:10141 olga:10201 gus:10202"

nss_setup() {
	local work=$1 u name uid
	mkdir -p "$work/etc" "$work/lib" "$work/snap"
	chmod 0755 "$work" "$work/etc" "$work/lib" "$work/snap"
	cp "$ORGRBAC_BUILD/.libs/libnss_orgrbac.so.2" "$work/lib/libnss_orgrbac.so.2"
	grep -vE '^(group|initgroups):' /etc/nsswitch.conf >"$work/etc/nsswitch.conf"
	printf 'group: files orgrbac\n' >>"$work/etc/nsswitch.conf"
	cp /etc/passwd "$work/etc/passwd"
	for u in $NSS_USERS; do
		name=${u%%:*}
		uid=${u##*:}
		grep -q "^$name:" "$work/etc/passwd" ||
			printf '%s:x:%s:10000:%s:/nonexistent:/bin/sh\n' "$name" "$uid" "$name" \
				>>"$work/etc/passwd"
	done
	# sudo's account stack (pam_unix) wants a shadow entry, with no password
	cp /etc/shadow "$work/etc/shadow"
	for u in $NSS_USERS; do
		name=${u%%:*}
		grep -q "^$name:" "$work/etc/shadow" ||
			printf '%s:*:19000:0:99999:7:::\n' "$name" >>"$work/etc/shadow"
	done
	cp /etc/group "$work/etc/group"
	grep -q '^[^:]*:[^:]*:10000:' "$work/etc/group" ||
		printf 'people:x:10000:\n' >>"$work/etc/group"
	chmod 0644 "$work/etc/"*
	chmod 0640 "$work/etc/shadow"
	printf 'include /etc/ld.so.conf.d/*.conf\n%s\n' "$work/lib" >"$work/etc/ld.so.conf"
	# ldconfig also rewrites its auxiliary cache in /var/cache/ldconfig, even
	# with -C and -i: let it write that into a tmpfs of a namespace of its own.
	LIBMOUNT_UTAB="$work/utab" unshare --mount --propagation private sh -c '
		{ [ ! -d /var/cache/ldconfig ] ||
			mount -n -t tmpfs -o mode=0700 orgrbac-test /var/cache/ldconfig; } &&
			ldconfig -X -C "$1" -f "$2"' ldconfig \
		"$work/etc/ld.so.cache" "$work/etc/ld.so.conf" ||
		fail "ldconfig could not write a test cache"
	NSS_WORK=$work
}

# The directory that holds the module's snapshot, made to exist in the namespace.
nss__snapdir() {
	local d a
	d=$(dirname "$ORGRBAC_SNAPSHOT_PATH")
	if [ ! -d "$d" ]; then
		a=$d
		while [ ! -d "$a" ]; do a=$(dirname "$a"); done
		case $a in
		/ | /usr | /etc | /lib | /bin) return 1 ;;
		esac
		# a tmpfs over the nearest existing ancestor, in this namespace only
		mount -n -t tmpfs -o mode=0755 orgrbac-test "$a" && mkdir -p "$d" || return 1
	fi
	mount -n --bind "$NSS_WORK/snap" "$d"
}

# Runs in the namespace: the mounts, then the command.
nss__inside() {
	local f
	for f in nsswitch.conf passwd shadow group ld.so.cache; do
		mount -n --bind "$NSS_WORK/etc/$f" "/etc/$f" || exit 125
	done
	if [ -n "${NSS_SUDOERS:-}" ]; then
		mount -n --bind "$NSS_SUDOERS" /etc/sudoers || exit 125
	fi
	nss__snapdir || exit 125
	# A /run of our own: no nscd answering from its cache instead of the
	# module, and sudo's timestamps stay in the namespace; so does its state.
	mount -n -t tmpfs -o mode=0755 orgrbac-test /run || exit 125
	if [ -d /var/lib/sudo ]; then
		mount -n -t tmpfs -o mode=0711 orgrbac-test /var/lib/sudo || exit 125
	fi
	exec "$@"
}

# mount(8) keeps no table (-n), and libmount's lock goes to the test's
# directory: a first mount happens while /run is still the host's.
in_ns() {
	LIBMOUNT_UTAB=$NSS_WORK/utab NSS_WORK=$NSS_WORK ORGRBAC_SNAPSHOT_PATH=$ORGRBAC_SNAPSHOT_PATH NSS_SUDOERS=${NSS_SUDOERS:-} \
		unshare --mount --propagation private \
		bash -c "$(declare -f nss__snapdir nss__inside); nss__inside \"\$@\"" nss "$@"
}
