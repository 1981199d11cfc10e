#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# etc/bash-completion/orgrbac under bash with bash-completion: the commands, each command's
# options and values, users, and role names read from the throwaway slapd; no role names (and
# no password prompt) when the line holds -W or the configuration cannot be read.
. "$(dirname "$0")/../lib/lib.sh"
set +e

: "${ORGRBAC:?}" "${LDAP_URI:?}" "${TLS_CA_FILE:?}" "${WORK:?}"
BASH_COMPLETION=${BASH_COMPLETION:-/usr/share/bash-completion/bash_completion}
[ -r "$BASH_COMPLETION" ] || skip "needs bash-completion ($BASH_COMPLETION)"
SCRIPT="$ORGRBAC_TOP/etc/bash-completion/orgrbac"

conf="$WORK/completion.conf"
orgrbac_write_conf "$conf" "ldap.tls_ca_file=$TLS_CA_FILE"
# the completion runs the `orgrbac` of PATH, as a shell would
mkdir -p "$WORK/completion-bin"
ln -sf "$ORGRBAC" "$WORK/completion-bin/orgrbac"

# completions LINE: what pressing TAB at the end of LINE offers, one per line, sorted
completions() {
	PATH="$WORK/completion-bin:$PATH" timeout 30 bash -c '
		. "$1" || exit 3
		. "$2" || exit 3
		COMP_LINE=$3
		COMP_POINT=${#COMP_LINE}
		# words split at each space that no backslash escapes, as the shell splits them
		line=${COMP_LINE//\\ /$'"'"'\x01'"'"'}
		read -ra COMP_WORDS <<<"$line"
		COMP_WORDS=("${COMP_WORDS[@]//$'"'"'\x01'"'"'/\\ }")
		[[ $line == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMPREPLY=()
		_orgrbac orgrbac "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		[ "${#COMPREPLY[@]}" -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"
	' _ "$BASH_COMPLETION" "$SCRIPT" "$1" </dev/null 2>"$WORK/completion.err" | sort
}

# offers LINE WORD...: each WORD is among the completions of LINE
offers() {
	local line=$1 got w missing=""
	shift
	got=$(completions "$line")
	for w in "$@"; do
		grep -qxF -- "$w" <<<"$got" || missing+=" $w"
	done
	if [ -z "$missing" ]; then
		orgrbac_ok
	else
		orgrbac_ko "'$line' lacks$missing; offers: $(tr '\n' ' ' <<<"$got") $(cat "$WORK/completion.err")"
	fi
}

# offers_only LINE WORD...: exactly these completions
offers_only() {
	local line=$1 got want
	shift
	got=$(completions "$line" | tr '\n' ' ')
	want=$(printf '%s\n' "$@" | sed '/^$/d' | sort | tr '\n' ' ')
	[ "$got" = "$want" ] && orgrbac_ok ||
		orgrbac_ko "'$line' offers [$got], wanted [$want] $(cat "$WORK/completion.err")"
}

# the script loads cleanly and registers itself
out=$(bash -c '. "$1" && . "$2" && complete -p orgrbac' _ "$BASH_COMPLETION" "$SCRIPT" 2>&1)
grep -q "complete -F _orgrbac orgrbac" <<<"$out" && orgrbac_ok || orgrbac_ko "not registered: $out"

# commands
offers "orgrbac " check sync follow status doctor role grant revoke grants external who review lint
offers_only "orgrbac re" review revoke
offers_only "orgrbac --v" --version
# each command's options
offers "orgrbac check alice --" --service --require --at --json --config --help
offers_only "orgrbac sync --" --config --help
offers "orgrbac who host:login --" --service --resource --at --json --org --config
offers "orgrbac who host:login -" -H -D -W -y -Y
offers "orgrbac review --" --expiring --csv --json --org
offers "orgrbac lint --" --group-file --at --json --org --platform
offers "orgrbac role add X --" --privilege --gid --group-name --description --dry-run --org
offers "orgrbac grant Member --" --user --group --service --resource --from --until --for --name
offers "orgrbac revoke x --" --user --group --at --dry-run
offers "orgrbac grants --" --user --role --expiring --json
offers "orgrbac external add x --" --kind --mode --from --until --role-management --dry-run
offers_only "orgrbac external " list show add set delete
offers_only "orgrbac role " list show add set delete
# option values
offers_only "orgrbac external add x --kind " vendor partner
offers_only "orgrbac external set x --mode w" window
offers_only "orgrbac role list -Y " EXTERNAL
offers_only "orgrbac role add x --gid " auto
offers "orgrbac grant Member --user ro" root
offers "orgrbac check ro" root
# role names from the sample organization (acme's roles), quoted for the shell
offers "orgrbac role show --config $conf " 'Service\ Owner' 'Resource\ Owner' 'Service\ Viewer'
offers_only "orgrbac role delete --config $conf Resource\\ " 'Resource\ Owner' 'Resource\ User'
offers "orgrbac grant --config $conf Serv" 'Service\ Owner' 'Service\ Maintainer'
offers "orgrbac grants --config $conf --role Serv" 'Service\ Owner'
offers "orgrbac role show --config $conf --platform " Member
# none when a password would be asked for, or the configuration cannot be read
offers_only "orgrbac role show --config $conf -D cn=x -W "
offers_only "orgrbac role show --config $WORK/no-such.conf "
offers_only "orgrbac grant --config $conf -D cn=x "

orgrbac_summary completion
