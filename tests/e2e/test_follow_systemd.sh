#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# End to end: orgrbac-follow.service, the shipped unit, run by a real systemd.
#
# As root, systemd boots as PID 1 of private PID, mount, cgroup and UTS
# namespaces (unshare), chrooted into a root made of the host's /usr
# (read-only), a few files of /etc, the unit built from
# etc/orgrbac-follow.service.in and the built orgrbac; it shares the
# network, so the follower reaches the throwaway slapd on loopback. Then:
# `systemctl start` returns once the follower sent READY=1 (Type=notify),
# StatusText says it follows, a change reaches the snapshot, `systemctl
# restart` gives a new process that follows again, the sandbox lets the
# unit write the snapshot's directory and nothing else, and `systemctl
# stop` leaves the state "stopped". The namespaces die with the test.
. "$(dirname "$0")/../lib/lib.sh"
set +e

builddir=${top_builddir:-$ORGRBAC_TOP/build}
ORGRBAC="$builddir/orgrbac"
SNAPDUMP="$builddir/tests/integration/snapdump"
SYSTEMD=/usr/lib/systemd/systemd
[ "$(id -u)" = 0 ] || skip "root only (systemd as PID 1 of a namespace)"
[ -x "$SYSTEMD" ] || skip "no $SYSTEMD"
command -v nsenter >/dev/null 2>&1 || skip "no nsenter"
[ -x "$ORGRBAC" ] || fail "$ORGRBAC not built"
[ -x "$SNAPDUMP" ] || fail "$SNAPDUMP not built (make tests/integration/snapdump)"
orgrbac_require_slapd

WORK=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-follow-systemd.XXXXXX")
orgrbac_at_exit "rm -rf '$WORK'"
R=$WORK/root
B=dc=example,dc=com
ERIN="uid=erin,ou=people,o=acme,$B"
ok() { orgrbac_ok "$@"; }
ko() { orgrbac_ko "$@"; }
now_ms() { date +%s%3N; }

orgrbac_slapd_start

# ---- the root: the host's /usr, a minimal /etc, the unit and the tool ----
mkdir -p "$R"/{usr,etc,var/lib,var/tmp,run,tmp,proc,sys,dev,root,home,opt/orgrbac/sbin}
for d in bin sbin lib lib64; do ln -s "usr/$d" "$R/$d"; done
cp /etc/passwd /etc/group /etc/nsswitch.conf "$R/etc/"
cp /etc/os-release "$R/etc/" 2>/dev/null || cp /usr/lib/os-release "$R/etc/os-release"
printf '%s\n' "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" >"$R/etc/machine-id"
install -m 0755 "$ORGRBAC" "$R/opt/orgrbac/sbin/orgrbac"
mkdir -p "$R/etc/systemd/system"
sed -e 's|@sbindir[@]|/opt/orgrbac/sbin|g' -e 's|@snapshotdir[@]|/var/lib/orgrbac|g' \
	"$ORGRBAC_TOP/etc/orgrbac-follow.service.in" >"$R/etc/systemd/system/orgrbac-follow.service"
printf '[Unit]\nDescription=orgrbac test boot\n' >"$R/etc/systemd/system/orgrbac-test.target"
orgrbac_write_conf "$R/etc/orgrbac.conf" "nss.snapshot=/var/lib/orgrbac/snapshot.db" \
	pam.ignore_users=
chmod 0644 "$R/etc/orgrbac.conf"
snap=$R/var/lib/orgrbac/snapshot.db
# the configuration where the built tool looks for it ($sysconfdir), in the root
confpath=$(grep -ao '/[[:alnum:]/._-]*/orgrbac\.conf' "$ORGRBAC" | head -n 1)
[ -n "$confpath" ] || fail "the built tool's configuration path not found"
confdir=${confpath%/orgrbac.conf}
if [ "$confdir" != /etc ]; then
	mkdir -p "$WORK/confdir"
	mv "$R/etc/orgrbac.conf" "$WORK/confdir/"
fi

# ---- systemd as PID 1 of its namespaces, its log in a file for its console ----
: >"$WORK/console"
# the root a mount point of its own (systemd makes / a slave in each unit's namespace)
unshare --pid --fork --mount --mount-proc --cgroup --uts sh -c "
	mount --bind '$R' '$R' &&
	mount --bind /usr '$R/usr' && mount -o remount,bind,ro '$R/usr' &&
	{ [ '$confdir' = /etc ] || mount --bind '$WORK/confdir' '$R$confdir'; } &&
	mount -t proc proc '$R/proc' && mount --rbind /sys '$R/sys' &&
	mount --rbind /dev '$R/dev' && mount --bind '$WORK/console' '$R/dev/console' &&
	mount -t tmpfs tmpfs '$R/run' &&
	mount -t tmpfs tmpfs '$R/tmp' &&
	exec chroot '$R' env container=orgrbac-test $SYSTEMD --unit=orgrbac-test.target \
		--log-target=console --log-level=notice" >"$WORK/boot.log" 2>&1 &
UNSHARE=$!
# the namespace's PID 1: the child of unshare
SD=
orgrbac_wait_until 10 eval 'SD=$(ps -o pid= --ppid "$UNSHARE" | tr -d " "); [ -n "$SD" ]' ||
	fail "systemd did not start: $(cat "$WORK/boot.log")"
orgrbac_at_exit "kill -KILL $SD 2>/dev/null"
sctl() { timeout 30 nsenter -t "$SD" -m -p -r -w /usr/bin/systemctl --no-pager "$@"; }
booted() {
	case $(sctl is-system-running 2>/dev/null) in running | degraded) true ;; *) false ;; esac
}
orgrbac_wait_until 30 booted || fail "systemd did not boot: $(sctl is-system-running 2>&1) $(cat "$WORK/boot.log")"
ok

prop() { sctl show -p "$1" --value orgrbac-follow.service; }
# the unit's main process, as the host numbers it
host_pid() {
	local p want=$1
	for p in $(ps -o pid= --ppid "$SD"); do
		[ "$(awk '/^NSpid:/ { print $NF }' "/proc/$p/status" 2>/dev/null)" = "$want" ] &&
			printf '%s\n' "$p" && return 0
	done
	return 1
}
members() { "$SNAPDUMP" "$snap" | tail -n +2 | awk -F: -v g="$1" '$1 == g { print $3 }'; }
has() { members "$1" | tr ',' '\n' | grep -qx "$2"; }
state_is() { grep -qx "state $1" "$snap.follow" 2>/dev/null; }

# ---- start: returns once READY=1 came, and says it follows ----
t0=$(now_ms)
out=$(sctl start orgrbac-follow.service 2>&1)
st=$?
printf 'follow-systemd: systemctl start returned after %s ms\n' $(($(now_ms) - t0))
[ "$st" = 0 ] && ok || ko "systemctl start: exit $st: $out $(sctl status orgrbac-follow 2>&1)"
[ "$(prop Type)" = notify ] && ok || ko "the unit's Type: $(prop Type)"
[ "$(prop ActiveState)" = active ] && ok || ko "ActiveState $(prop ActiveState)"
# READY=1 is sent only once the first refresh is published, so start returned after it
"$SNAPDUMP" "$snap" >/dev/null && ok || ko "no snapshot once started"
case $(prop StatusText) in
following\ ldap://*) ok ;;
*) ko "StatusText: $(prop StatusText)" ;;
esac
pid1=$(prop MainPID)

# ---- a change reaches the snapshot ----
has member erin && ko "erin is a member before any grant" || ok
ldapmodify_admin -a >/dev/null <<-LDIF
	dn: cn=erin-member,ou=grants,o=acme,$B
	objectClass: orgRoleGrant
	cn: erin-member
	orgGrantedRole: cn=Member,ou=roles,$B
	orgGrantee: $ERIN
LDIF
orgrbac_wait_until 2 has member erin && ok || ko "a grant did not reach the snapshot in 2 s"

# ---- the sandbox: the snapshot's directory writable, nothing else ----
hp=$(host_pid "$pid1")
if [ -n "$hp" ]; then
	# the unit's mount namespace and root: what it sees is what it can write
	in_unit() { nsenter -t "$hp" -m -r -w -- /bin/sh -c "$1" 2>/dev/null; }
	in_boot() { nsenter -t "$SD" -m -r -w -- /bin/sh -c "$1" 2>/dev/null; }
	# the same paths are writable outside the unit: the refusals below are its sandbox's
	in_boot 'touch /etc/probe && rm /etc/probe && touch /opt/probe && rm /opt/probe' && ok ||
		ko "the booted root itself is not writable"
	in_unit 'touch /var/lib/orgrbac/probe && rm /var/lib/orgrbac/probe' && ok ||
		ko "the unit cannot write its snapshot directory"
	for path in /etc/probe /usr/probe /var/probe /opt/probe /root/probe /probe; do
		in_unit "touch $path" && ko "the unit could write $path" || ok
	done
	# its /tmp is its own
	in_unit 'touch /tmp/probe' && ok || ko "the unit has no writable /tmp"
	in_boot 'test ! -e /tmp/probe' && ok || ko "the unit's /tmp is not private"
	[ "$(awk '/^NoNewPrivs:/ { print $2 }' "/proc/$hp/status")" = 1 ] && ok ||
		ko "the unit's process may gain privileges"
else
	ko "the unit's main process $pid1 not found"
fi

# ---- restart: a new process, ready and following again ----
gen=$("$SNAPDUMP" "$snap" | sed -n 's/^generation //p')
out=$(sctl restart orgrbac-follow.service 2>&1)
[ $? = 0 ] && ok || ko "systemctl restart: $out"
pid2=$(prop MainPID)
[ "$pid2" != "$pid1" ] && [ "$pid2" != 0 ] && ok || ko "restart kept pid $pid1 ($pid2)"
[ "$(prop ActiveState)" = active ] && ok || ko "after restart: ActiveState $(prop ActiveState)"
gen2=$("$SNAPDUMP" "$snap" | sed -n 's/^generation //p')
[ "${gen2:-0}" -gt "${gen:-0}" ] && ok || ko "restart published nothing ($gen then $gen2)"
ldapmodify_admin >/dev/null <<<"dn: cn=erin-member,ou=grants,o=acme,$B
changetype: delete"
orgrbac_wait_until 2 eval '! has member erin' && ok || ko "a revoke did not reach the snapshot after restart"
# status where the follower's pid means it: inside the namespaces
out=$(timeout 30 nsenter -t "$SD" -m -p -r -w /opt/orgrbac/sbin/orgrbac status 2>&1)
st=$?
[ "$st" = 0 ] && grep -q 'verdict: *current' <<<"$out" && ok || ko "status: exit $st: $out"

# ---- stop ----
out=$(sctl stop orgrbac-follow.service 2>&1)
[ $? = 0 ] && ok || ko "systemctl stop: $out"
state_is stopped && ok || ko "state after stop: $(cat "$snap.follow")"
[ "$(prop Result)" = success ] && ok || ko "stop: Result $(prop Result)"

[ "$ORGRBAC_FAILED" = 0 ] || { echo "systemd's log:"; tail -n 40 "$WORK/console" "$WORK/boot.log"; }
orgrbac_summary test_follow_systemd
