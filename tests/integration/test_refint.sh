#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# etc/slapd-refint.ldif in a real slapd: a user re-created with a deleted
# user's DN must not inherit the deleted user's grants or groups.  Without the
# overlay it does (the control case, which shows why the file exists); with
# it, deleting a grant's only grantee leaves the placeholder DN of
# olcRefintNothing in the grant, and the re-created user gets nothing from it.
# Also checks that etc/slapd-dynlist.ldif loads and computes memberOf.
# Its own throwaway servers, with and without the memberOf overlay.
. "$(dirname "$0")/../lib/lib.sh"
set +e

builddir=${top_builddir:-$ORGRBAC_TOP/build}
[ -x "$builddir/orgrbac" ] || fail "$builddir/orgrbac not built"
orgrbac_require_slapd

WORK=$(mktemp -d "${TMPDIR:-/tmp}/orgrbac-refint.XXXXXX")
orgrbac_at_exit "rm -rf '$WORK'"
ORGRBAC="$builddir/orgrbac"
orgrbac_valgrind_cli "$builddir"
# each case printed, with the mode it ran in
ORGRBAC_PRINT_OK=yes

B=dc=example,dc=com
AT=2026-11-22T12:00:00Z
PLACEHOLDER=$(sed -n 's/^olcRefintNothing: //p' "$ORGRBAC_TOP/etc/slapd-refint.ldif")

# decide USER SERVICE WANT WHAT: orgrbac check exits WANT (0 allow, 1 deny)
decide() {
	local out rc
	out=$("$ORGRBAC" check "$1" --service "$2" --at "$AT" --config "$WORK/orgrbac.conf" 2>&1)
	rc=$?
	[ "$rc" = "$3" ] && orgrbac_ok "$4" || orgrbac_ko "$4: orgrbac check $1 exited $rc, wanted $3: $out"
}

# config_load FILE: a cn=config change as the cn=config administrator; the
# record adding a module is left out where slapd has the module built in.
config_load() {
	local file=$1 module
	module=$(sed -n 's/^olcModuleLoad: //p' "$file")
	if "$SLAPD_BIN" -VVV 2>&1 | grep -qx "[[:space:]]*$module"; then
		awk 'BEGIN { RS = ""; ORS = "\n\n" } !/cn=module\{0\}/' "$file" >"$WORK/load.ldif"
	else
		cp "$file" "$WORK/load.ldif"
	fi
	LDAPNOINIT=1 ldapmodify -x -H "$LDAP_URI" -D "$LDAP_CONFIG_DN" -w "$LDAP_CONFIG_PW" \
		-f "$WORK/load.ldif" >"$WORK/load.log" 2>&1
}

# recreate DN: delete the entry, then add it again with the same DN and the
# same attributes, as an administrator re-using a login name would.
recreate() {
	ldapsearch_admin -o ldif-wrap=no -b "$1" -s base >"$WORK/entry.ldif" 2>&1 ||
		{ orgrbac_ko "reading $1: $(cat "$WORK/entry.ldif")"; return; }
	printf 'dn: %s\nchangetype: delete\n' "$1" | ldapmodify_admin >"$WORK/del.log" 2>&1 ||
		{ orgrbac_ko "deleting $1: $(cat "$WORK/del.log")"; return; }
	ldapmodify_admin -a -f "$WORK/entry.ldif" >"$WORK/add.log" 2>&1 ||
		orgrbac_ko "re-creating $1: $(cat "$WORK/add.log")"
}

# values DN ATTR: the values of ATTR in DN, one per line
values() {
	ldapsearch_admin -o ldif-wrap=no -b "$1" -s base "(objectClass=*)" "$2" 2>/dev/null |
		sed -n "s/^$2: //p"
}

SLAPD_BIN=$(orgrbac_find_slapd)
for mode in memberof nomemberof; do
	ORGRBAC_CASE_PREFIX="$mode: "
	orgrbac_progress "$mode"
	if [ "$mode" = nomemberof ]; then
		orgrbac_slapd_start --no-memberof
	else
		orgrbac_slapd_start
	fi
	orgrbac_write_conf "$WORK/orgrbac.conf"

	# ---- without the overlay, a re-created user inherits (the hazard) ----
	decide alice sshd 0 "alice allowed by her own grant"
	recreate "uid=alice,ou=people,o=acme,$B"
	decide alice sshd 0 "without refint, a re-created alice inherits her grant"

	# ---- with the overlay ----
	config_load "$ORGRBAC_TOP/etc/slapd-refint.ldif" && orgrbac_ok "etc/slapd-refint.ldif loads" ||
		orgrbac_ko "etc/slapd-refint.ldif does not load: $(cat "$WORK/load.log")"

	# a grant's only grantee
	decide carol sshd 0 "carol allowed by her own grant"
	recreate "uid=carol,ou=people,o=acme,$B"
	want=$PLACEHOLDER
	got=$(values "cn=carol-payments-owner,ou=grants,o=acme,$B" orgGrantee)
	[ "$got" = "$want" ] && orgrbac_ok "the grant's grantee is the placeholder" ||
		orgrbac_ko "carol-payments-owner names '$got', wanted '$want'"
	decide carol sshd 1 "with refint, a re-created carol does not inherit her grant"
	decide carol sudo 1 "with refint, a re-created carol gets no sudo either"

	# a group's only member
	decide bob sshd 0 "bob allowed through payments-team"
	recreate "uid=bob,ou=people,o=acme,$B"
	got=$(values "cn=payments-team,ou=groups,o=acme,$B" member)
	[ "$got" = "$want" ] && orgrbac_ok "the group's member is the placeholder" ||
		orgrbac_ko "payments-team holds '$got', wanted '$want'"
	decide bob sshd 1 "with refint, a re-created bob is in no group"

	# the other grants are untouched
	decide heidi sshd 0 "heidi still allowed"
	decide ivan sshd 0 "ivan still allowed through the cycle"

	# ---- dynlist: memberOf for other tools, where memberof is not loaded ----
	if [ "$mode" = nomemberof ]; then
		LDAPNOINIT=1 ldapadd -x -H "$LDAP_URI" -D "$LDAP_CONFIG_DN" -w "$LDAP_CONFIG_PW" \
			-f /etc/ldap/schema/dyngroup.ldif >"$WORK/dyngroup.log" 2>&1 ||
			orgrbac_ko "the dyngroup schema does not load: $(cat "$WORK/dyngroup.log")"
		config_load "$ORGRBAC_TOP/etc/slapd-dynlist.ldif" && orgrbac_ok "etc/slapd-dynlist.ldif loads" ||
			orgrbac_ko "etc/slapd-dynlist.ldif does not load: $(cat "$WORK/load.log")"
		got=$(values "uid=ivan,ou=people,o=acme,$B" memberOf)
		[ "$got" = "cn=cycle-a,ou=groups,o=acme,$B" ] && orgrbac_ok "dynlist computes ivan's memberOf" ||
			orgrbac_ko "ivan's memberOf under dynlist: '$got'"
		# Decisions resolve member values alone: dynlist's memberOf changes none.
		decide ivan sshd 0 "ivan, through nested groups, still allowed with dynlist loaded"
		decide bob sshd 1 "bob still refused with dynlist loaded"
	fi
	orgrbac_slapd_stop
done

orgrbac_summary refint
