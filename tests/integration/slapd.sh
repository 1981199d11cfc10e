#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Starts and stops a throwaway slapd on 127.0.0.1 that serves the orgrbac
# schema and the sample organization, for the integration tests and the demo.
# Every server runs the syncprov overlay (replication, and orgrbac follow).
#
#   slapd.sh start DIR [--no-memberof] [--empty]
#                                         DIR must be absent or empty; with
#                                         --empty the database is empty (no base)
#   slapd.sh stop DIR                     safe to repeat, or after a failed start
#   slapd.sh check-schema                 slaptest the slapd.conf schema form
#   slapd.sh start-pair DIR [--no-memberof] [--consumer]
#                                         two servers, DIR/a and DIR/b, in
#                                         multi-provider replication (syncrepl);
#                                         with --consumer, B is a read-only
#                                         consumer of A instead
#   slapd.sh restart DIR                  start a stopped (or killed) server
#                                         again, on the ports it had
#   slapd.sh sync-wait DIR1 DIR2 [SECONDS]
#                                         wait until two replicating servers
#                                         hold the same contextCSN (default 30 s)
#
# start writes DIR/env (source it): LDAP_URI LDAPS_URI LDAPI_URI LDAP_PORT
# LDAPS_PORT LDAP_BASE LDAP_ADMIN_DN LDAP_ADMIN_PW LDAP_CONFIG_DN
# LDAP_CONFIG_PW TLS_CA_FILE WRONG_CA_FILE WRONG_NAME_CERT_FILE
# WRONG_NAME_KEY_FILE SLAPD_PID MEMBEROF SLAPD_DIR SERVER_ID.
# WRONG_NAME_* is a certificate of the right CA for another host name
# (wrong-name.invalid), for tests that swap it in through cn=config.
# start-pair stops both servers, DIR/a and DIR/b, when either fails to start;
# stop them with "stop DIR/a" and "stop DIR/b".  They share one CA and server
# certificate.  SERVER_ID is empty for a server that does not replicate.
# With --consumer, A is the only provider (server ID 1) and B a replica that
# follows it by syncrepl (refreshAndPersist) with no multi-provider setting
# and no server ID: B refuses every write, the root DN's too, with
# unwillingToPerform (53) "shadow context; no update referral" (no
# olcUpdateRef, so no referral to A).  B still runs syncprov, so that
# followers bound to it get A's changes as A's own followers do.
#
# Environment: SLAPD (slapd binary), SLAPD_MODULEDIR (where back_mdb and
# memberof live when they are modules), ORGRBAC_SLAPD_DEBUG (slapd -d level
# written to DIR/slapd.log; default "none": only messages slapd always logs),
# ORGRBAC_SLAPD_SCHEMA (the orgrbac schema in cn=config form to load instead of
# etc/orgrbac.ldif; the property test loads one without SINGLE-VALUE).
set -euo pipefail

readonly PROG=slapd.sh
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
readonly ROOT
readonly BASE_DN='dc=example,dc=com'
readonly ADMIN_DN="cn=admin,$BASE_DN"
readonly CONFIG_DN='cn=admin,cn=config'
# Seconds to wait for the server to answer, and for it to exit on stop.
readonly START_TIMEOUT=15
readonly STOP_TIMEOUT=10
# New ports are tried when another process wins the race for a port.
readonly START_ATTEMPTS=5

die() {
	printf '%s: %s\n' "$PROG" "$*" >&2
	exit 1
}

usage() {
	printf 'usage: %s start DIR [--no-memberof] [--empty]\n       %s stop DIR\n       %s check-schema\n' \
		"$PROG" "$PROG" "$PROG" >&2
	printf '       %s start-pair DIR [--no-memberof] [--consumer]\n       %s restart DIR\n' \
		"$PROG" "$PROG" >&2
	printf '       %s sync-wait DIR1 DIR2 [SECONDS]\n' "$PROG" >&2
	exit 2
}

find_slapd() {
	if [ -n "${SLAPD:-}" ]; then
		[ -x "$SLAPD" ] || die "SLAPD=$SLAPD is not executable"
		printf '%s\n' "$SLAPD"
	elif command -v slapd >/dev/null 2>&1; then
		command -v slapd
	elif [ -x /usr/sbin/slapd ]; then
		printf '%s\n' /usr/sbin/slapd
	else
		die "slapd not found (set SLAPD)"
	fi
}

# The offline tools are slapd itself under another name; prefer the one
# installed next to the chosen slapd so the two always match.
find_slaptool() {
	local name=$1 slapd=$2
	if [ -x "$(dirname "$slapd")/$name" ]; then
		printf '%s\n' "$(dirname "$slapd")/$name"
	elif command -v "$name" >/dev/null 2>&1; then
		command -v "$name"
	elif [ -x "/usr/sbin/$name" ]; then
		printf '%s\n' "/usr/sbin/$name"
	else
		die "$name not found"
	fi
}

need_tool() {
	command -v "$1" >/dev/null 2>&1 || die "$1 not found (install ldap-utils / openssl)"
}

# Prints the moduleload lines needed for the given backends/overlays, which
# are modules in distribution packages but may be built in elsewhere.
module_config() {
	local slapd=$1
	shift
	local statics dir="" name wanted=()
	statics=$("$slapd" -VVV 2>&1 || true)
	for name in "$@"; do
		# slapd -VVV lists static backends by name (mdb) and overlays by
		# name (memberof); modules are called back_mdb and memberof.
		if printf '%s\n' "$statics" | grep -qx "[[:space:]]*${name#back_}"; then
			continue
		fi
		wanted+=("$name")
	done
	[ "${#wanted[@]}" -gt 0 ] || return 0
	for dir in ${SLAPD_MODULEDIR:-} /usr/lib/ldap /usr/lib64/openldap \
		/usr/lib/openldap /usr/libexec/openldap /usr/local/libexec/openldap; do
		if [ -e "$dir/${wanted[0]}.la" ] || [ -e "$dir/${wanted[0]}.so" ]; then
			break
		fi
		dir=""
	done
	[ -n "$dir" ] || die "cannot find slapd modules ${wanted[*]} (set SLAPD_MODULEDIR)"
	printf 'dn: cn=module{0},cn=config\nobjectClass: olcModuleList\ncn: module{0}\n'
	printf 'olcModulePath: %s\n' "$dir"
	for name in "${wanted[@]}"; do
		printf 'olcModuleLoad: %s\n' "$name"
	done
	printf '\n'
}

# RFC 3986 percent-encoding, for the socket path inside an ldapi:// URL and
# for file:// URLs in LDIF include lines.
urlencode() {
	local s=$1 out="" c i
	local LC_ALL=C
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[A-Za-z0-9._~-]) out+=$c ;;
		*) out+=$(printf '%%%02X' "'$c") ;;
		esac
	done
	printf '%s\n' "$out"
}

file_url() {
	urlencode "$1" | sed 's,%2F,/,g; s,^,file://,'
}

port_busy() {
	local port=$1
	if command -v ss >/dev/null 2>&1; then
		[ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ] && return 0
	fi
	# A successful connect means a listener, whatever ss said.
	(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# A random port below the kernel's ephemeral range that nothing listens on
# now; slapd may still lose it to a race, which the caller handles by trying
# again. Below that range, because a server restarted on its ports (faults,
# failover) must not find one taken by a client connection's local port.
pick_port() {
	local avoid=${1:-0} port i first=10000 last=32767 lo
	read -r lo _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || lo=32768
	[ "$lo" -gt $((first + 1000)) ] && last=$((lo - 1))
	for ((i = 0; i < 100; i++)); do
		port=$((first + (RANDOM * 32768 + RANDOM) % (last - first + 1)))
		[ "$port" != "$avoid" ] || continue
		port_busy "$port" && continue
		printf '%s\n' "$port"
		return 0
	done
	die "no free TCP port found on 127.0.0.1"
}

# Runs openssl quietly; on failure shows what it said and stops the start.
ossl() {
	local err
	err=$(openssl "$@" 2>&1 >/dev/null) || {
		printf '%s\n' "$err" >&2
		die "openssl $1 failed"
	}
}

make_tls() {
	local tls=$1 san="IP:127.0.0.1, DNS:localhost" name
	local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
	local ca=(-addext 'basicConstraints=critical,CA:TRUE'
		-addext 'keyUsage=critical,keyCertSign,cRLSign')
	# Private until every key is created and closed to others.
	mkdir -m 0700 "$tls"
	ossl req -x509 "${ec[@]}" -keyout "$tls/ca.key" -out "$tls/ca.pem" \
		-days 3650 -subj '/O=orgrbac test/CN=orgrbac test CA' "${ca[@]}"
	# An unrelated CA: clients that trust only it must refuse the server.
	ossl req -x509 "${ec[@]}" -keyout "$tls/wrong-ca.key" -out "$tls/wrong-ca.pem" \
		-days 3650 -subj '/O=orgrbac test/CN=orgrbac unrelated CA' "${ca[@]}"
	ossl req -new "${ec[@]}" -keyout "$tls/server.key" -out "$tls/server.csr" \
		-subj '/O=orgrbac test/CN=localhost'
	# libldap checks the host in the URL against subjectAltName, and
	# replaces "localhost" with this machine's name before it does.
	for name in $(uname -n) $(hostname -f 2>/dev/null || true); do
		case $name in
		*[!A-Za-z0-9.-]* | localhost) ;;
		*) [[ "$san, " == *"DNS:$name, "* ]] || san+=", DNS:$name" ;;
		esac
	done
	cat >"$tls/server.ext" <<-EOF
		basicConstraints = critical, CA:FALSE
		keyUsage = critical, digitalSignature, keyEncipherment
		extendedKeyUsage = serverAuth
		subjectAltName = $san
	EOF
	ossl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" \
		-set_serial "0x$(openssl rand -hex 8)" -days 3650 \
		-extfile "$tls/server.ext" -out "$tls/server.pem"
	# The right CA, another host: clients must refuse it for 127.0.0.1.
	ossl req -new "${ec[@]}" -keyout "$tls/wrong-name.key" -out "$tls/server.csr" \
		-subj '/O=orgrbac test/CN=wrong-name.invalid'
	sed 's/^subjectAltName = .*/subjectAltName = DNS:wrong-name.invalid/' \
		"$tls/server.ext" >"$tls/wrong-name.ext"
	ossl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" \
		-set_serial "0x$(openssl rand -hex 8)" -days 3650 \
		-extfile "$tls/wrong-name.ext" -out "$tls/wrong-name.pem"
	rm -f "$tls/server.csr" "$tls/server.ext" "$tls/wrong-name.ext"
	chmod 0600 "$tls/ca.key" "$tls/wrong-ca.key" "$tls/server.key" "$tls/wrong-name.key"
	chmod 0644 "$tls/ca.pem" "$tls/wrong-ca.pem" "$tls/server.pem" "$tls/wrong-name.pem"
	chmod 0755 "$tls"
}

# The cn=config the server runs from.  The schema comes in through include
# lines so that the shipped etc/orgrbac.ldif is what gets loaded.
write_config() {
	local dir=$1 memberof=$2 slapd=$3 admin_pw=$4 config_pw=$5 server_id=${6:-}
	local f modules=(back_mdb)
	{
		printf '# Generated by %s for a throwaway test server.\n' "$PROG"
		printf 'dn: cn=config\nobjectClass: olcGlobal\ncn: config\n'
		printf 'olcPidFile: %s/slapd.pid\nolcArgsFile: %s/slapd.args\n' "$dir" "$dir"
		# Logging goes to stderr (DIR/slapd.log) at the -d level, never
		# to the host's syslog.
		printf 'olcLogLevel: 0\n'
		# Attribute options beyond the built-in lang- (orgNotBefore;x-foo), so that
		# tests can store what a directory may hold.  Set at start: a later change
		# of olcAttributeOptions loses lang-.
		printf 'olcAttributeOptions: x- lang-\n'
		printf 'olcTLSCACertificateFile: %s/tls/ca.pem\n' "$dir"
		printf 'olcTLSCertificateFile: %s/tls/server.pem\n' "$dir"
		printf 'olcTLSCertificateKeyFile: %s/tls/server.key\n' "$dir"
		printf 'olcTLSProtocolMin: 3.3\n'
		# A replicating server stamps its changes with its own ID.
		[ -z "$server_id" ] || printf 'olcServerID: %s\n' "$server_id"
		printf '\n'

		[ "$memberof" != yes ] || modules+=(memberof)
		# syncprov on every server: replication, and orgrbac follow (RFC 4533)
		modules+=(syncprov)
		module_config "$slapd" "${modules[@]}"

		printf 'dn: cn=schema,cn=config\nobjectClass: olcSchemaConfig\ncn: schema\n\n'
		for f in core cosine nis inetorgperson; do
			[ -r "/etc/ldap/schema/$f.ldif" ] || die "/etc/ldap/schema/$f.ldif missing"
			printf 'include: %s\n\n' "$(file_url "/etc/ldap/schema/$f.ldif")"
		done
		printf 'include: %s\n\n' "$(file_url "${ORGRBAC_SLAPD_SCHEMA:-$ROOT/etc/orgrbac.ldif}")"

		printf 'dn: olcDatabase={-1}frontend,cn=config\n'
		printf 'objectClass: olcDatabaseConfig\nobjectClass: olcFrontendConfig\n'
		printf 'olcDatabase: {-1}frontend\n\n'

		# Tests that change the server's configuration (indexes, ACLs)
		# bind as LDAP_CONFIG_DN, or over ldapi as the user who started it.
		printf 'dn: olcDatabase={0}config,cn=config\nobjectClass: olcDatabaseConfig\n'
		printf 'olcDatabase: {0}config\nolcRootDN: %s\nolcRootPW: %s\n' "$CONFIG_DN" "$config_pw"
		printf 'olcAccess: to * by dn.exact=gidNumber=%s+uidNumber=%s,cn=peercred,cn=external,cn=auth manage by * none\n\n' \
			"$(id -g)" "$(id -u)"

		printf 'dn: olcDatabase={1}mdb,cn=config\n'
		printf 'objectClass: olcDatabaseConfig\nobjectClass: olcMdbConfig\n'
		printf 'olcDatabase: {1}mdb\nolcSuffix: %s\nolcDbDirectory: %s/db\n' "$BASE_DN" "$dir"
		printf 'olcRootDN: %s\nolcRootPW: %s\n' "$ADMIN_DN" "$admin_pw"
		# The mdb default map size (10 MiB) is too small for benchmark data;
		# the file is sparse, so a large map costs nothing.
		printf 'olcDbMaxSize: 1073741824\n'
		# The indexes of etc/slapd-indexes.ldif.
		printf 'olcDbIndex: objectClass eq\nolcDbIndex: uid eq\n'
		printf 'olcDbIndex: member eq\nolcDbIndex: orgGrantee eq\n'
		if [ "$memberof" = yes ]; then
			printf 'olcDbIndex: memberOf eq\n'
		fi
		printf 'olcDbIndex: entryCSN eq\nolcDbIndex: entryUUID eq\n'

		# Hosts search anonymously or with their own DN; everyone reads,
		# as on a typical directory, but nobody but the user reads secrets.
		printf 'olcAccess: to attrs=userPassword by self write by anonymous auth by * none\n'
		printf 'olcAccess: to * by * read\n\n'

		if [ "$memberof" = yes ]; then
			printf 'dn: olcOverlay={0}memberof,olcDatabase={1}mdb,cn=config\n'
			printf 'objectClass: olcOverlayConfig\nobjectClass: olcMemberOf\n'
			printf 'olcOverlay: {0}memberof\nolcMemberOfRefInt: TRUE\n\n'
		fi
		# The provider side of replication (the consumer side, olcSyncrepl,
		# is added online once the peer's port is known) and of orgrbac follow.
		printf 'dn: olcOverlay=syncprov,olcDatabase={1}mdb,cn=config\n'
		printf 'objectClass: olcOverlayConfig\nobjectClass: olcSyncProvConfig\n'
		printf 'olcOverlay: syncprov\nolcSpCheckpoint: 10 1\n\n'

	} >"$dir/config.ldif"
}

# True when the server at URI answers a root DSE search.  nettimeout bounds
# only the connect, so timeout(1) bounds a listener that never replies.
server_answers() {
	local t=()
	command -v timeout >/dev/null 2>&1 && t=(timeout 5)
	LDAPNOINIT=1 "${t[@]}" ldapsearch -x -H "$1" -b '' -s base \
		-o nettimeout=2 '(objectClass=*)' 1.1 >/dev/null 2>&1
}

pid_alive() {
	[ -n "$1" ] && kill -0 "$1" 2>/dev/null
}

# Only a slapd that runs from this DIR is ours to kill: a stale pid file
# must never make us signal an unrelated process that reused the number.
pid_is_ours() {
	local pid=$1 dir=$2 cmdline
	pid_alive "$pid" || return 1
	[ -r "/proc/$pid/cmdline" ] || return 0
	cmdline=$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
	printf '%s\n' "$cmdline" | grep -qxF "$dir/slapd.d"
}

# SIGTERM lets slapd close the database cleanly; SIGKILL only if it hangs.
kill_slapd() {
	local pid=$1 deadline
	kill -TERM "$pid" 2>/dev/null || return 0
	deadline=$((SECONDS + STOP_TIMEOUT))
	while pid_alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do
		sleep 0.1
	done
	if pid_alive "$pid"; then
		printf '%s: slapd %s ignored SIGTERM; killing it\n' "$PROG" "$pid" >&2
		kill -KILL "$pid" 2>/dev/null || true
		deadline=$((SECONDS + 5))
		while pid_alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do
			sleep 0.1
		done
	fi
}

do_stop() {
	local dir=$1 pid f
	[ -d "$dir" ] || return 0
	dir=$(cd "$dir" && pwd)
	for f in "$dir/harness.pid" "$dir/slapd.pid"; do
		[ -r "$f" ] || continue
		pid=$(head -n1 "$f" 2>/dev/null || true)
		case $pid in
		'' | *[!0-9]*) continue ;;
		esac
		pid_is_ours "$pid" "$dir" || continue
		kill_slapd "$pid"
	done
	rm -f "$dir/harness.pid"
}

# Set while start runs, so that any failure stops a half-started server.
START_DIR=""
# The server this start launched: ours for certain while we are its parent.
START_PID=""
# Set while start-pair runs: both of its servers go when the pair fails.
PAIR_DIR=""
start_cleanup() {
	local rc=$?
	if [ -n "$PAIR_DIR" ]; then
		do_stop "$PAIR_DIR/a" || true
		do_stop "$PAIR_DIR/b" || true
	fi
	if [ -n "$START_DIR" ]; then
		[ -z "$START_PID" ] || kill_slapd "$START_PID"
		do_stop "$START_DIR" || true
		if [ -r "$START_DIR/slapd.log" ]; then
			printf '%s: start failed; last lines of %s:\n' "$PROG" "$START_DIR/slapd.log" >&2
			tail -n 20 "$START_DIR/slapd.log" >&2 || true
		fi
	fi
	exit "$rc"
}

# launch DIR SLAPD PORT TLSPORT LDAPI_URI WHY: runs slapd from DIR/slapd.d and
# waits until it answers; START_PID is then its pid.  Returns 1 when it did
# not come up, 2 when it lost a port to another process (try other ports).
launch() {
	local dir=$1 slapd=$2 port=$3 tlsport=$4 ldapi_uri=$5 why=$6
	local pid logpos deadline
	logpos=1
	[ ! -e "$dir/slapd.log" ] || logpos=$(($(wc -c <"$dir/slapd.log") + 1))
	printf '%s: starting slapd on ports %s/%s (%s)\n' \
		"$(date -u +%FT%TZ)" "$port" "$tlsport" "$why" >>"$dir/slapd.log"
	"$slapd" -h "ldap://127.0.0.1:$port/ ldaps://127.0.0.1:$tlsport/ $ldapi_uri" \
		-F "$dir/slapd.d" -d "${ORGRBAC_SLAPD_DEBUG:-none}" \
		</dev/null >>"$dir/slapd.log" 2>&1 &
	pid=$!
	START_PID=$pid
	printf '%s\n' "$pid" >"$dir/harness.pid"
	# Readiness is asked over the socket in DIR: a TCP port can be
	# answered by whoever won it, the socket only by our server.  slapd
	# opens every listener before it serves any, so then TCP is ours.
	deadline=$((SECONDS + START_TIMEOUT))
	while [ "$SECONDS" -le "$deadline" ]; do
		pid_alive "$pid" || break
		if server_answers "$ldapi_uri"; then
			server_answers "ldap://127.0.0.1:$port/" ||
				die "slapd answers on $ldapi_uri but not on port $port"
			return 0
		fi
		sleep 0.1
	done
	kill_slapd "$pid"
	START_PID=""
	do_stop "$dir"
	if tail -c "+$logpos" "$dir/slapd.log" |
		grep -qiE 'bind\(.*\) failed|address already in use'; then
		return 2
	fi
	return 1
}

# do_start DIR MEMBEROF [SERVER_ID [EMPTY [TLS]]]: a new server in DIR; with
# a SERVER_ID it is ready to replicate; EMPTY=yes leaves its database empty;
# TLS names the tls directory of a server whose CA and keys it shares.
do_start() {
	local dir=$1 memberof=$2 server_id=${3:-} empty=${4:-no} tls_from=${5:-}
	local slapd slapadd admin_pw config_pw ldapi_path ldapi_uri
	local port tlsport attempt pid="" up rc

	need_tool ldapsearch
	need_tool ldapadd
	need_tool openssl
	slapd=$(find_slapd)
	slapadd=$(find_slaptool slapadd "$slapd")

	if [ -e "$dir" ]; then
		[ -d "$dir" ] || die "$dir exists and is not a directory"
		[ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
	fi
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	# DIR ends up in URLs, LDIF and the single-quoted env file.
	case $dir in
	*[!A-Za-z0-9._/+@=,-]*) die "DIR may only contain [A-Za-z0-9._/+@=,-]: $dir" ;;
	esac
	# sun_path holds 108 bytes; a longer socket path fails only at bind.
	ldapi_path="$dir/ldapi"
	[ "${#ldapi_path}" -lt 100 ] || die "DIR path too long for a Unix socket: $dir"
	ldapi_uri="ldapi://$(urlencode "$ldapi_path")/"

	START_DIR=$dir
	trap start_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM

	admin_pw="admin-$(openssl rand -hex 12)"
	config_pw="config-$(openssl rand -hex 12)"
	mkdir -p "$dir/slapd.d" "$dir/db"
	chmod 0700 "$dir/slapd.d" "$dir/db"
	if [ -n "$tls_from" ]; then
		cp -a "$tls_from" "$dir/tls"
	else
		make_tls "$dir/tls"
	fi
	write_config "$dir" "$memberof" "$slapd" "$admin_pw" "$config_pw" "$server_id"
	"$slapadd" -n0 -F "$dir/slapd.d" -l "$dir/config.ldif" >"$dir/slapadd.log" 2>&1 ||
		{ cat "$dir/slapadd.log" >&2; die "slapadd of cn=config failed"; }

	up=no
	for ((attempt = 1; attempt <= START_ATTEMPTS; attempt++)); do
		port=$(pick_port)
		tlsport=$(pick_port "$port")
		rc=0
		launch "$dir" "$slapd" "$port" "$tlsport" "$ldapi_uri" "attempt $attempt" || rc=$?
		if [ "$rc" -eq 0 ]; then
			up=yes
			break
		fi
		# Only a lost port race is worth another try.
		[ "$rc" -eq 2 ] || break
	done
	[ "$up" = yes ] || die "slapd did not come up"
	pid=$START_PID

	# Loaded online so that the memberof overlay computes memberOf.  The
	# second server of a pair starts empty and gets it by replication.
	if [ "$empty" = no ]; then
		LDAPNOINIT=1 ldapadd -x -H "ldap://127.0.0.1:$port/" -D "$ADMIN_DN" -w "$admin_pw" \
			-f "$ROOT/etc/sample-org.ldif" >"$dir/ldapadd.log" 2>&1 ||
			{ tail -n 8 "$dir/ldapadd.log" >&2; die "loading etc/sample-org.ldif failed"; }
	fi

	# Single quotes only (no value contains one), so that programs other
	# than the shell can read the file as KEY='VALUE' lines too.
	{
		printf '# Throwaway slapd started by %s; source this file.\n' "$PROG"
		printf "SLAPD_DIR='%s'\n" "$dir"
		printf "LDAP_URI='%s'\n" "ldap://127.0.0.1:$port/"
		printf "LDAPS_URI='%s'\n" "ldaps://127.0.0.1:$tlsport/"
		printf "LDAPI_URI='%s'\n" "$ldapi_uri"
		printf "LDAP_PORT='%s'\n" "$port"
		printf "LDAPS_PORT='%s'\n" "$tlsport"
		printf "LDAP_BASE='%s'\n" "$BASE_DN"
		printf "LDAP_ADMIN_DN='%s'\n" "$ADMIN_DN"
		printf "LDAP_ADMIN_PW='%s'\n" "$admin_pw"
		printf "LDAP_CONFIG_DN='%s'\n" "$CONFIG_DN"
		printf "LDAP_CONFIG_PW='%s'\n" "$config_pw"
		printf "TLS_CA_FILE='%s'\n" "$dir/tls/ca.pem"
		printf "WRONG_CA_FILE='%s'\n" "$dir/tls/wrong-ca.pem"
		printf "WRONG_NAME_CERT_FILE='%s'\n" "$dir/tls/wrong-name.pem"
		printf "WRONG_NAME_KEY_FILE='%s'\n" "$dir/tls/wrong-name.key"
		printf "SLAPD_PID='%s'\n" "$pid"
		printf "MEMBEROF='%s'\n" "$memberof"
		printf "SERVER_ID='%s'\n" "$server_id"
	} >"$dir/env.tmp"
	mv "$dir/env.tmp" "$dir/env"

	START_DIR=""
	START_PID=""
	trap - EXIT INT TERM
	printf '%s: slapd %s up at ldap://127.0.0.1:%s/ (memberOf: %s); env in %s/env\n' \
		"$PROG" "$pid" "$port" "$memberof" "$dir" >&2
}

# env_get DIR KEY: one value of DIR/env.
env_get() {
	[ -r "$1/env" ] || die "$1/env: no such server"
	(
		# shellcheck source=/dev/null
		. "$1/env"
		printf '%s\n' "${!2}"
	)
}

# The server's contextCSN values, one per line, sorted; asked over its socket.
# Nothing while it has no base entry yet (a pair's B before its first refresh).
context_csn() {
	local dir=$1
	LDAPNOINIT=1 ldapsearch -x -LLL -o ldif-wrap=no -H "$(env_get "$dir" LDAPI_URI)" \
		-D "$ADMIN_DN" -w "$(env_get "$dir" LDAP_ADMIN_PW)" -b "$BASE_DN" -s base \
		'(objectClass=*)' contextCSN 2>/dev/null | sed -n 's/^contextCSN: //p' | sort ||
		true
}

# do_sync_wait DIR1 DIR2 SECONDS: both servers hold the same changes.
do_sync_wait() {
	local a=$1 b=$2 seconds=$3 deadline csn_a csn_b
	deadline=$((SECONDS + seconds))
	while :; do
		csn_a=$(context_csn "$a")
		csn_b=$(context_csn "$b")
		[ -z "$csn_a" ] || [ "$csn_a" != "$csn_b" ] || return 0
		[ "$SECONDS" -lt "$deadline" ] ||
			die "$a and $b did not converge in ${seconds}s (contextCSN '$csn_a' vs '$csn_b')"
		sleep 0.2
	done
}

# replicate CONSUMER PROVIDER RID MODE: CONSUMER follows PROVIDER's changes
# from now on, retrying every second while PROVIDER is down.  MODE multi also
# makes CONSUMER a provider (multi-provider); MODE consumer leaves it a
# read-only replica (a shadow database, which refuses writes).
replicate() {
	local consumer=$1 provider=$2 rid=$3 mode=$4 multi=""
	if [ "$mode" = multi ]; then
		multi=$(printf -- '-\nadd: olcMultiProvider\nolcMultiProvider: TRUE')
	fi
	LDAPNOINIT=1 ldapmodify -x -H "$(env_get "$consumer" LDAPI_URI)" \
		-D "$CONFIG_DN" -w "$(env_get "$consumer" LDAP_CONFIG_PW)" \
		>>"$consumer/ldapadd.log" 2>&1 <<-EOF || die "cannot make $consumer replicate $provider"
		dn: olcDatabase={1}mdb,cn=config
		changetype: modify
		add: olcSyncrepl
		olcSyncrepl: rid=$rid provider=$(env_get "$provider" LDAP_URI) bindmethod=simple binddn="$ADMIN_DN" credentials=$(env_get "$provider" LDAP_ADMIN_PW) searchbase="$BASE_DN" type=refreshAndPersist retry="1 +" timeout=3 network-timeout=3
		$multi
	EOF
}

# Two servers with one CA and certificate, as a cluster behind one name would
# have.  MODE multi: they replicate each other; B starts empty and follows A
# first, so that A never refreshes from an empty provider.  MODE consumer: B
# starts empty and only follows A, a read-only replica without a server ID.
do_start_pair() {
	local dir=$1 memberof=$2 mode=$3 b_id=2
	if [ -e "$dir" ]; then
		[ -d "$dir" ] || die "$dir exists and is not a directory"
		[ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
	fi
	mkdir -p "$dir"
	PAIR_DIR=$(cd "$dir" && pwd)
	do_start "$PAIR_DIR/a" "$memberof" 1 no
	trap start_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	[ "$mode" = multi ] || b_id=""
	do_start "$PAIR_DIR/b" "$memberof" "$b_id" yes "$PAIR_DIR/a/tls"
	trap start_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	replicate "$PAIR_DIR/b" "$PAIR_DIR/a" 1 "$mode"
	do_sync_wait "$PAIR_DIR/a" "$PAIR_DIR/b" 30
	if [ "$mode" = multi ]; then
		replicate "$PAIR_DIR/a" "$PAIR_DIR/b" 2 multi
		printf '%s: %s/a and %s/b replicate each other\n' "$PROG" "$PAIR_DIR" "$PAIR_DIR" >&2
	else
		printf '%s: %s/b is a read-only consumer of %s/a\n' "$PROG" "$PAIR_DIR" "$PAIR_DIR" >&2
	fi
	PAIR_DIR=""
	trap - EXIT INT TERM
}

# A server of ours that was stopped or killed, again on its ports.
do_restart() {
	local dir=$1 slapd f pid
	[ -r "$dir/env" ] || die "$dir/env: no such server"
	dir=$(cd "$dir" && pwd)
	for f in "$dir/harness.pid" "$dir/slapd.pid"; do
		[ -r "$f" ] || continue
		pid=$(head -n1 "$f" 2>/dev/null || true)
		case $pid in
		'' | *[!0-9]*) continue ;;
		esac
		! pid_is_ours "$pid" "$dir" || die "slapd $pid still runs from $dir"
	done
	slapd=$(find_slapd)
	START_DIR=$dir
	trap start_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	launch "$dir" "$slapd" "$(env_get "$dir" LDAP_PORT)" "$(env_get "$dir" LDAPS_PORT)" \
		"$(env_get "$dir" LDAPI_URI)" restart || die "slapd did not come back in $dir"
	sed "s/^SLAPD_PID=.*/SLAPD_PID='$START_PID'/" "$dir/env" >"$dir/env.tmp"
	mv "$dir/env.tmp" "$dir/env"
	printf '%s: slapd %s up again in %s\n' "$PROG" "$START_PID" "$dir" >&2
	START_DIR=""
	START_PID=""
	trap - EXIT INT TERM
}

# Proves the slapd.conf form of the schema loads; the cn=config form is
# proven by every start.
do_check_schema() {
	local slapd slaptest tmp rc=0
	slapd=$(find_slapd)
	slaptest=$(find_slaptool slaptest "$slapd")
	tmp=$(mktemp -d)
	{
		for f in core cosine nis inetorgperson; do
			printf 'include /etc/ldap/schema/%s.schema\n' "$f"
		done
		printf 'include %s/etc/orgrbac.schema\n' "$ROOT"
	} >"$tmp/slapd.conf"
	"$slaptest" -u -f "$tmp/slapd.conf" || rc=$?
	rm -rf "$tmp"
	[ "$rc" -eq 0 ] || die "etc/orgrbac.schema does not load"
	printf '%s: etc/orgrbac.schema loads\n' "$PROG" >&2
}

main() {
	[ $# -ge 1 ] || usage
	case $1 in
	start)
		if [ $# -lt 2 ] || [ $# -gt 4 ]; then usage; fi
		local memberof=yes empty=no opt
		for opt in "${@:3}"; do
			case $opt in
			--no-memberof) memberof=no ;;
			--empty) empty=yes ;;
			*) usage ;;
			esac
		done
		do_start "$2" "$memberof" "" "$empty"
		;;
	stop)
		[ $# -eq 2 ] || usage
		do_stop "$2"
		;;
	check-schema)
		[ $# -eq 1 ] || usage
		do_check_schema
		;;
	start-pair)
		if [ $# -lt 2 ] || [ $# -gt 4 ]; then usage; fi
		local pair_memberof=yes pair_mode=multi pair_opt
		for pair_opt in "${@:3}"; do
			case $pair_opt in
			--no-memberof) pair_memberof=no ;;
			--consumer) pair_mode=consumer ;;
			*) usage ;;
			esac
		done
		do_start_pair "$2" "$pair_memberof" "$pair_mode"
		;;
	restart)
		[ $# -eq 2 ] || usage
		do_restart "$2"
		;;
	sync-wait)
		if [ $# -lt 3 ] || [ $# -gt 4 ]; then usage; fi
		case ${4:-30} in
		'' | *[!0-9]*) usage ;;
		esac
		do_sync_wait "$2" "$3" "${4:-30}"
		;;
	*) usage ;;
	esac
}

main "$@"
