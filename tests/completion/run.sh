#!/usr/bin/env bash
# tests/completion/run.sh TAPC - the bash completion
# (scripts/tapc-completion.bash) through bash's own machinery: the
# function `complete -p tapc` names is called with COMP_LINE, COMP_POINT,
# COMP_WORDS and COMP_CWORD set as bash sets them for the line typed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tapc=${1:-$top/tapc}
release=$("$tapc" --print-vm-kernel)
pass=0 fail=0
. "$top/scripts/tapc-completion.bash"
fn=$(complete -p tapc | sed -n 's/.*-F \([^ ]*\) .*/\1/p')

# complete LINE: COMPREPLY for LINE typed with the cursor at its end.
complete_line() {
	COMP_LINE=$1
	COMP_POINT=${#1}
	read -ra COMP_WORDS <<< "$1"
	[[ $1 == *' ' ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_WORDS[0]=$tapc
	COMPREPLY=()
	"$fn" tapc "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
}
# expect NAME LINE WORD...: the replies include each WORD
expect() {
	local name=$1 line=$2 w missing=; shift 2
	complete_line "$line"
	for w in "$@"; do
		printf '%s\n' "${COMPREPLY[@]}" | grep -qxF -- "$w" || missing="$missing $w"
	done
	if [ -z "$missing" ] && [ ${#COMPREPLY[@]} -gt 0 ]; then
		pass=$((pass + 1)); echo "PASS $name (${#COMPREPLY[@]} replies)"
	else
		fail=$((fail + 1)); echo "FAIL $name: missing$missing; got: ${COMPREPLY[*]:0:20}"
	fi
}
# only NAME LINE WORD...: the replies are exactly the WORDs
only() {
	local name=$1 line=$2; shift 2
	complete_line "$line"
	if [ "${COMPREPLY[*]}" = "$*" ]; then
		pass=$((pass + 1)); echo "PASS $name"
	else
		fail=$((fail + 1)); echo "FAIL $name: got '${COMPREPLY[*]}', want '$*'"
	fi
}

[ -n "$fn" ] && { pass=$((pass + 1)); echo "PASS registered ($fn)"; } ||
	{ fail=$((fail + 1)); echo "FAIL registered"; }
only options-vm "tapc --vm-k" --vm-kernel
expect options-all "tapc -" -e -p -l -L -r --vm --disable-cache
only pass-numbers "tapc -p " 1 2 3 4 5
expect releases "tapc -r " "$release"
only arch "tapc -a x" x86_64
cd "$top/tests/guest" && expect script-files "tapc arr" arrays.stp && cd - >/dev/null
# probe points from the index: the text bash replaces is what follows the
# last word-break character ("), so replies carry the closing ")
expect points-function "tapc -r $release -l 'kernel.function(\"vfs_rea" 'vfs_read")'
expect points-function-L "tapc -r $release -L kernel.function(\"vfs_writ" 'vfs_write")'
expect points-trace "tapc -r $release -l 'kernel.trace(\"sched:sched_swi" 'sched_switch")'
expect points-default-release "tapc -l 'kernel.function(\"vfs_rea" 'vfs_read")'
# how long a warm probe-point completion takes (reported, not a limit)
complete_line "tapc -r $release -l 'kernel.function(\"vfs_rea" # warm
t0=$(date +%s%N)
complete_line "tapc -r $release -l 'kernel.function(\"vfs_rea"
echo "warm probe-point completion: $((($(date +%s%N) - t0) / 1000000)) ms"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
