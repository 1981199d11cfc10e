#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Helpers of the NSS tests: a private mount namespace in which glibc finds the
# module and reads a test nsswitch.conf, passwd, group and snapshot, so that
# getent, id and sudo answer through libnss_orgrbac while the host is untouched.
#
#   nss_setup WORK            lay out WORK/{etc,lib,snap}; needs ORGRBAC_BUILD
#   nss_passwd_from_snapshot  then: the host's own passwd file, and passwd: files orgrbac
#   in_ns CMD...              run CMD in a new private mount namespace
#   want_out, want_not, want_status
#                             check what a command says through $NSS_RUN
#
# The snapshot directory the module reads (its built-in path,
# ORGRBAC_SNAPSHOT_PATH) is WORK/snap inside the namespace. glibc finds the
# module through an ld.so.cache written for the test (so setuid sudo finds it
# too) bind-mounted over /etc/ld.so.cache.

: "${ORGRBAC_SNAPSHOT_PATH:=/var/lib/orgrbac/snapshot.db}"

# The sample organization's users, for a passwd file of the suites that test
# groups alone (test_passwd.sh serves them from the snapshot instead).
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

# After nss_setup: the users come from the snapshot (passwd: files orgrbac),
# and the passwd file is the host's own, without the sample organization's.
nss_passwd_from_snapshot() {
	cp /etc/passwd "$NSS_WORK/etc/passwd"
	grep -vE '^passwd:' "$NSS_WORK/etc/nsswitch.conf" >"$NSS_WORK/etc/nsswitch.new"
	printf 'passwd: files orgrbac\n' >>"$NSS_WORK/etc/nsswitch.new"
	mv "$NSS_WORK/etc/nsswitch.new" "$NSS_WORK/etc/nsswitch.conf"
	chmod 0644 "$NSS_WORK/etc/nsswitch.conf" "$NSS_WORK/etc/passwd"
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

# The checks of the NSS suites, counted by orgrbac_ok and orgrbac_ko. Each runs the
# command through $NSS_RUN: in_ns (a private mount namespace, root), or the
# function a suite names instead (test_wrapper.sh: nss_wrapper).
NSS_RUN=in_ns

# want_out DESCRIPTION PATTERN CMD...: CMD succeeds and prints PATTERN
want_out() {
	local what=$1 pattern=$2 out
	shift 2
	out=$("$NSS_RUN" "$@" 2>&1)
	if [ $? -ne 0 ]; then
		orgrbac_ko "$what: '$*' failed: $out"
	elif ! grep -qE -- "$pattern" <<<"$out"; then
		orgrbac_ko "$what: '$*' printed '$out', wanted /$pattern/"
	else
		orgrbac_ok
	fi
}

# want_not DESCRIPTION PATTERN CMD...: CMD's output (if any) lacks PATTERN
want_not() {
	local what=$1 pattern=$2 out
	shift 2
	out=$("$NSS_RUN" "$@" 2>&1)
	if grep -qE -- "$pattern" <<<"$out"; then
		orgrbac_ko "$what: '$*' printed '$out', which has /$pattern/"
	else
		orgrbac_ok
	fi
}

# want_status DESCRIPTION STATUS CMD...
want_status() {
	local what=$1 want=$2 out rc
	shift 2
	out=$("$NSS_RUN" "$@" 2>&1)
	rc=$?
	if [ "$rc" -ne "$want" ]; then orgrbac_ko "$what: '$*' exited $rc, wanted $want: $out"; else orgrbac_ok; fi
}

# The sample organization's groups by name and gid, the members of one, and
# names and gids that are no group.
nss_check_groups() {
	local line u
	want_out "getent group org-admin" '^org-admin:x:20002:alice$' getent group org-admin
	want_out "getent group by gid" '^member:x:20003:' getent group 20003
	want_out "orgGroupName" '^secadmin:x:21020:heidi$' getent group secadmin
	want_out "service-scoped role" '^service-owner:x:21001:carol$' getent group service-owner
	line=$("$NSS_RUN" getent group member)
	for u in bob grace ivan vic pat; do
		grep -qE "[:,]$u(,|$)" <<<"$line" && orgrbac_ok || orgrbac_ko "member lacks $u: $line"
	done
	for u in frank leo ian uma vera dave gus; do
		grep -qE "[:,]$u(,|$)" <<<"$line" && orgrbac_ko "member has $u: $line" || orgrbac_ok
	done
	want_out "cross-organization member" '^cross-org-admin:x:20006:olga$' getent group cross-org-admin
	want_status "no such group" 2 getent group no-such-group
	want_status "no such gid" 2 getent group 29999
}

# The groups of the sample organization's users, and of those who lost theirs.
nss_check_ids() {
	want_out "id alice" 'groups=10000\([^)]*\),20002\(org-admin\)$' id alice
	want_out "id bob" 'groups=10000\([^)]*\),20003\(member\)$' id bob
	want_out "id grace" '20003\(member\),20005\(2fa-exempt\)|20005\(2fa-exempt\),20003\(member\)' id grace
	want_out "id -Gn heidi" '^[^ ]+ secadmin$' id -Gn heidi
	want_out "id olga" '20006\(cross-org-admin\)' id olga
	want_not "id frank: expired grant" 'member' id frank
	want_not "id ian: partner window closed" 'member' id ian
	want_not "id uma: access disabled" 'member' id uma
}

# nss_check_revocation CONF: a revoked role answers until the next sync
# (orgrbac sync --config CONF) and is gone after it.
nss_check_revocation() {
	local out
	ldapmodify_admin >/dev/null <<-LDIF
		dn: cn=alice-org-admin,ou=grants,o=acme,dc=example,dc=com
		changetype: delete
	LDIF
	want_out "before the next sync" '^org-admin:x:20002:alice$' getent group org-admin
	out=$("$ORGRBAC" sync --config "$1" 2>&1) && orgrbac_ok || orgrbac_ko "sync after the revocation: $out"
	want_out "after the next sync" '^org-admin:x:20002:$' getent group org-admin
	want_not "id alice after the revocation" 'org-admin' id alice
}

# nss_check_stale CONF: a snapshot synced with CONF (max_age = 3) answers, and
# no longer once it is older than that.
nss_check_stale() {
	local synced left
	"$ORGRBAC" sync --config "$1" >/dev/null || orgrbac_ko "sync with max_age 3"
	synced=$(date -u +%s)
	want_out "fresh" '^member:' getent group member
	left=$((synced + 5 - $(date -u +%s)))
	[ "$left" -le 0 ] || sleep "$left"
	want_status "stale snapshot" 2 getent group member
}
