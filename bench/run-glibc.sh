#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# What a user pays, beside the peer on the same data in the same run: group
# lookups through glibc's nsswitch (`group: files orgrbac` over a generated
# snapshot, `group: files ldap` with nslcd over the same directory in a
# throwaway slapd); one exec per lookup (module load and first lookup in a
# fresh process, against `files` alone); PAM account decisions with a fresh
# handle per decision and a fresh process per decision (pam_orgrbac against
# pam_ldap of libpam-ldapd, which talks to the same nslcd); and the dlopen of
# each PAM module alone (and of pam_orgrbac's live library). Prints figures
# and ratios; asserts none. Run as root, after make check has built bench/.
#
#   bash bench/run-glibc.sh    USERS ROLES PER_USER ROUNDS CALLS EXECS DECISIONS
#                              in the environment (defaults below)
#
# Everything runs in a private mount namespace: a test nsswitch.conf is bound
# over /etc/nsswitch.conf, the snapshot where the module reads it, nslcd's own
# configuration over /etc/nslcd.conf and a tmpfs over /run (no nscd). nslcd and
# libnss-ldapd are installed if missing (bench/peer.sh); pam_ldap.so is only
# unpacked from its package into a temporary directory, never installed.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}
USERS=${USERS:-100000}
ROLES=${ROLES:-2000}
PER_USER=${PER_USER:-10}
ROUNDS=${ROUNDS:-5}
CALLS=${CALLS:-2000}
EXECS=${EXECS:-200}
DECISIONS=${DECISIONS:-500}
[ "$(id -u)" -eq 0 ] || { echo "bench: run as root (mount namespaces, packages)" >&2; exit 1; }
for f in bench/gen bench/glibc_bench bench/pam_fresh .libs/libnss_orgrbac.so.2 .libs/pam_orgrbac.so; do
	[ -e "$build/$f" ] || { echo "bench: $build/$f missing: run make check first" >&2; exit 1; }
done
snapdir=$(dirname "${ORGRBAC_SNAPSHOT_PATH:-/var/lib/orgrbac/snapshot.db}")

. "$top/tests/lib/lib.sh"
. "$top/bench/peer.sh"
work=$(mktemp -d /tmp/orgrbac-bench.XXXXXX)
orgrbac_at_exit "rm -rf '$work'"
mkdir -p "$work/snap" "$work/out"
chmod 0755 "$work" "$work/snap"

echo "== load: $(uptime | sed 's/.*load average/load average/') ($(nproc) cores)"
echo "== generating $USERS users, $ROLES roles, $((USERS * PER_USER)) memberships"
"$build/bench/gen" "$USERS" "$ROLES" "$PER_USER" "$work/snap/snapshot.db" "$work/bench.ldif"

bench_install_peer
[ -n "$(bench_peer_nss)" ] && [ -x /usr/sbin/nslcd ] ||
	{ echo "bench: nslcd or libnss-ldapd unavailable: no comparison" >&2; exit 1; }
pam_ldap=$(bench_pam_ldap)
[ -n "$pam_ldap" ] || echo "bench: pam_ldap.so unavailable: PAM without the peer"

echo "== loading the same data into a throwaway slapd"
bench_load_slapd "$work/bench.ldif"
# pam_ldap's authorization, the same rule as orgrbac's: holds a role (a group here)
bench_nslcd_conf "$work/nslcd.conf" "pam_authz_search (&(objectClass=posixGroup)(memberUid=\$username))"

# the stacks: nsswitch.conf files and PAM configuration directories
for s in files:files ours:"files orgrbac" ldap:"files ldap"; do
	printf 'passwd: files\ngroup: %s\nshadow: files\nhosts: files\n' "${s#*:}" >"$work/ns-${s%%:*}"
done
conf() { # conf NAME [EXTRA...]: pam_orgrbac's configuration, live unless EXTRA says
	local n=$1
	shift
	printf '%s\n' "[ldap]" "uri = $LDAP_URI" "base = dc=example,dc=com" "timeout = 10" \
		"[host]" "org = bench" "[service sshd]" "require = host:login" "$@" >"$work/$n.conf"
	mkdir -p "$work/pam-$n"
	echo "account required $build/.libs/pam_orgrbac.so config=$work/$n.conf service=sshd" \
		>"$work/pam-$n/sshd"
}
stacks="ours-live"
conf ours-live
if grep -q '"source"' "$top/common/store/config_keys.c"; then
	# its own snapshot with the decision part (bench/gen writes the group part only),
	# synced from the same slapd for the same host identity
	mkdir -p "$work/pamsnap"
	# a sync reads the whole directory: no size limit for it (slapd's default is 500)
	LDAPNOINIT=1 ldapmodify -x -H "$LDAP_URI" -D "$LDAP_CONFIG_DN" -w "$LDAP_CONFIG_PW" \
		>/dev/null <<-LDIF
		dn: olcDatabase={1}mdb,cn=config
		changetype: modify
		replace: olcSizeLimit
		olcSizeLimit: unlimited
	LDIF
	conf ours-snap "[pam]" "source = snapshot" "[nss]" "snapshot = $work/pamsnap/snapshot.db"
	rc=0
	"$build/orgrbac" sync --config "$work/ours-snap.conf" >"$work/pamsnap.log" 2>&1 || rc=$?
	if [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ]; then
		stacks="$stacks ours-snap"
	else
		echo "bench: orgrbac sync failed ($rc), no source = snapshot: $(tail -n 3 "$work/pamsnap.log")"
	fi
else
	echo "bench: this tree has no [pam] source = snapshot: pam_orgrbac asks slapd (live)"
fi
mkdir -p "$work/pam-permit" "$work/pam-ldap"
echo "account required pam_permit.so" >"$work/pam-permit/sshd"
stacks="$stacks permit"
if [ -n "$pam_ldap" ]; then
	echo "account required $pam_ldap" >"$work/pam-ldap/sshd"
	stacks="$stacks ldap"
fi
pam_permit=$(ls /lib/*/security/pam_permit.so /usr/lib/*/security/pam_permit.so 2>/dev/null | head -n1)

cat >"$work/inner.sh" <<'INNER'
set -eu
work=$1 build=$2 snapdir=$3 stacks=$4 pam_ldap=$5 pam_permit=$6
b=$build/bench
a=$snapdir
while [ ! -d "$a" ]; do a=$(dirname "$a"); done
[ -d "$snapdir" ] || { mount -n -t tmpfs bench "$a"; mkdir -p "$snapdir"; }
mount -n --bind "$work/snap" "$snapdir"
mount -n -t tmpfs bench /run
mkdir -p /run/nslcd
chown nslcd:nslcd /run/nslcd 2>/dev/null || true
mount -n --bind "$work/nslcd.conf" /etc/nslcd.conf
nslcd -n &
nslcd_pid=$!
trap 'kill "$nslcd_pid" 2>/dev/null || true' EXIT # nslcd would outlive the namespace
for _ in $(seq 1 100); do [ -S /run/nslcd/socket ] && break; sleep 0.1; done
# glibc loads libnss_orgrbac.so.2 by name: from the build tree, for every stack alike
export LD_LIBRARY_PATH=$build/.libs
ns() { umount /etc/nsswitch.conf 2>/dev/null || true; mount -n --bind "$work/ns-$1" /etc/nsswitch.conf; }

# files alone: the same calls, every one a miss in /etc/group, the floor of both stacks
for s in files ours ldap; do
	ns "$s"
	echo "   lookups through glibc: $s"
	"$b/glibc_bench" loop "$USERS" "$ROLES" 1 200 >/dev/null || true # warm up (nslcd, slapd, cache)
	"$b/glibc_bench" loop "$USERS" "$ROLES" "$ROUNDS" "$CALLS" >"$work/out/loop-$s" || true
done
# one exec per lookup, the stacks taking turns in ten rounds so that the load falls on each alike
echo "   one exec per lookup: files, files orgrbac, files ldap"
for _ in $(seq 1 10); do
	for s in files ours ldap; do
		ns "$s"
		"$b/glibc_bench" spawn $(((EXECS + 9) / 10)) "$b/glibc_bench" one role-0001 \
			>>"$work/out/exec-$s" || true
	done
done
ns files
modpath() { case $1 in ours-*) echo "$build/.libs/pam_orgrbac.so" ;; ldap) echo "$pam_ldap" ;; *) echo "$pam_permit" ;; esac; }
for s in $stacks; do
	echo "   PAM decisions: $s"
	"$b/pam_fresh" loop "$work/pam-$s" sshd "$USERS" 20 >/dev/null || true # warm up
	"$b/pam_fresh" loop "$work/pam-$s" sshd "$USERS" "$DECISIONS" >"$work/out/pam-$s" || true
	"$b/pam_fresh" loop "$work/pam-$s" sshd "$USERS" "$DECISIONS" "$(modpath "$s")" \
		>"$work/out/pamkeep-$s" || true
done
echo "   one exec per decision: $stacks"
for _ in $(seq 1 10); do
	for s in $stacks; do
		"$b/glibc_bench" spawn $(((EXECS + 9) / 10)) "$b/pam_fresh" one "$work/pam-$s" sshd \
			u000001 >>"$work/out/pamexec-$s" || true
	done
done
for m in orgrbac:$build/.libs/pam_orgrbac.so live:$build/.libs/orgrbac_live.so ldap:$pam_ldap \
	permit:$pam_permit; do
	[ -n "${m#*:}" ] || continue
	echo "   dlopen + dlclose: ${m%%:*}"
	for _ in $(seq 1 "$EXECS"); do "$b/pam_fresh" dlopen "${m#*:}"; done >"$work/out/dl-${m%%:*}"
done
INNER

echo "== measuring (private mount namespace)"
export USERS ROLES ROUNDS CALLS EXECS DECISIONS
LIBMOUNT_UTAB="$work/utab" unshare --mount --propagation private \
	bash "$work/inner.sh" "$work" "$build" "$snapdir" "$stacks" "$pam_ldap" "$pam_permit"

val() { sed -n "s/^$2 //p" "$work/out/$1" 2>/dev/null; }
# summ FILE mean|p50|p99|nonzero: over the numbers of FILE, one a line
summ() {
	sort -n "$work/out/$1" 2>/dev/null | awk -v w="$2" '/^nonzero/ { z += $2; next }
		{ v[++n] = $1; s += $1 }
		END { k = int(n * 0.99); if (k < 1) k = 1
			if (w == "nonzero") print z + 0; else if (n == 0) print "";
			else if (w == "mean") printf "%.0f\n", s / n;
			else if (w == "p50") printf "%.0f\n", v[int(n / 2) + 1]; else printf "%.0f\n", v[k] }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.2f\n", a / b }'; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "") print ""; else printf "%.2f\n", a - b }'; }
diff_() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "") print "-"; else printf "%+.0f\n", a - b }'; }
echo
echo "== load after: $(uptime | sed 's/.*load average/load average/')"
echo "== 1. through glibc, µs per call (median of $ROUNDS rounds of $CALLS calls; $USERS users, $ROLES roles, $((USERS * PER_USER)) memberships)"
printf '%-14s %8s %14s %11s %13s %14s   %s\n' call "files" "files orgrbac" "files ldap" "orgrbac/ldap" \
	"over files" "checksums (orgrbac, ldap)"
for k in getgrnam_r getgrgid_r getgrouplist; do
	f=$(val loop-files "${k}_us")
	a=$(val loop-ours "${k}_us")
	l=$(val loop-ldap "${k}_us")
	printf '%-14s %8s %14s %11s %12sx %13sx   %s %s\n' "$k" "${f:--}" "${a:--}" "${l:--}" \
		"$(ratio "$a" "$l")" "$(ratio "$(minus "$a" "$f")" "$(minus "$l" "$f")")" \
		"$(val loop-ours "${k}_sum")" "$(val loop-ldap "${k}_sum")"
done
echo "failed lookups: orgrbac $(val loop-ours failed_lookups), ldap $(val loop-ldap failed_lookups)"
echo "(ratios of times: below 1, orgrbac is faster; over files: each stack less files alone,"
echo " which glibc asks first and which misses here: the share of the modules themselves;"
echo " the checksums take members and gids in any order)"

echo
echo "== 2. one exec per lookup (getgrnam role-0001), µs per exec, $EXECS execs in ten turns"
printf '%-14s %9s %9s %9s %13s %13s %8s\n' stack mean p50 p99 "mean - files" "p50 - files" nonzero
for s in files ours ldap; do
	printf '%-14s %9s %9s %9s %13s %13s %8s\n' "$(sed 's/ours/files orgrbac/; s/^ldap/files ldap/' <<<"$s")" \
		"$(summ exec-$s mean)" "$(summ exec-$s p50)" "$(summ exec-$s p99)" \
		"$(diff_ "$(summ exec-$s mean)" "$(summ exec-files mean)")" \
		"$(diff_ "$(summ exec-$s p50)" "$(summ exec-files p50)")" "$(summ exec-$s nonzero)"
done
echo "(nonzero: execs whose lookup found nothing; files alone has no role-0001)"

echo
echo "== 3. PAM account decisions (users u000000..; a fresh pam_start_confdir per decision), µs per decision"
printf '%-22s %13s %13s %8s %8s %13s %9s\n' stack "fresh handle" "module kept" allowed errors \
	"fresh process" "p99"
for s in $stacks; do
	printf '%-22s %13s %13s %8s %8s %13s %9s\n' "$(sed 's/ours-live/pam_orgrbac (live)/;
		s/ours-snap/pam_orgrbac (snapshot)/; s/^ldap/pam_ldap + nslcd/; s/permit/pam_permit/' <<<"$s")" \
		"$(val pam-$s decision_us)" "$(val pamkeep-$s decision_us)" "$(val pam-$s allowed)" \
		"$(val pam-$s errors)" "$(summ pamexec-$s mean)" "$(summ pamexec-$s p99)"
done
echo "(fresh handle: $DECISIONS decisions in one process, libpam loading and unloading the module"
echo " at each; module kept: the same with the module held loaded, the decision alone;"
echo " fresh process: mean of $EXECS execs of one decision, the stacks taking turns)"
for s in $stacks; do
	case $s in ours-*) echo "time ratio $s / pam_ldap: fresh handle" \
		"$(ratio "$(val pam-$s decision_us)" "$(val pam-ldap decision_us)")x, module kept" \
		"$(ratio "$(val pamkeep-$s decision_us)" "$(val pamkeep-ldap decision_us)")x, fresh process" \
		"$(ratio "$(summ pamexec-$s mean)" "$(summ pamexec-ldap mean)")x" ;; esac
done
echo
echo "== 4. dlopen(RTLD_NOW) + dlclose of the PAM module alone, fresh process, µs ($EXECS processes)"
printf '%-14s %9s %9s %9s\n' module mean p50 p99
for m in orgrbac live ldap permit; do
	printf '%-14s %9s %9s %9s\n' "$(sed 's/^live/orgrbac_live/; s/^[a-z]*$/pam_&/' <<<"$m")" \
		"$(summ dl-$m mean)" "$(summ dl-$m p50)" "$(summ dl-$m p99)"
done
echo "(orgrbac_live: the live decision's library, which pam_orgrbac opens for source = live only)"
echo "pam_orgrbac / pam_ldap: $(ratio "$(summ dl-orgrbac mean)" "$(summ dl-ldap mean)")x"
