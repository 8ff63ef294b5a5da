# bash completion for tapc (installed as
# PREFIX/share/bash-completion/completions/tapc; or source it).
#
# Completes options (from tapc --help, read once per shell), their
# arguments (kernel releases with headers for -r and --vm-kernel, pass
# numbers, files, commands, pids), script files, and probe points after
# -l and -L from tapc -l itself, which reads the cached symbol and DWARF
# index: `tapc -l 'kernel.function("vfs_` offers the vfs_ functions.
# Needs nothing of the bash-completion package.

_tapc_options=

# Every option tapc --help lists, once per shell.
_tapc_option_list() {
	if [ -z "$_tapc_options" ]; then
		_tapc_options=$("${1:-tapc}" --help 2>/dev/null |
			grep -Eo '^ +(-[A-Za-z]|--[a-z-]+)(, --[a-z-]+)?' | tr -d ',')
	fi
	printf '%s\n' $_tapc_options
}

# Kernel releases tapc can build for: those with headers.
_tapc_releases() {
	local d
	for d in /lib/modules/*/build; do
		[ -d "$d" ] || continue
		d=${d%/build}
		printf '%s\n' "${d##*/}"
	done
}

# The release a probe listing is for: -r or --vm-kernel on the line, else
# this machine's, else (no headers here) the one --vm would use.
_tapc_list_release() {
	local i w
	for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		-r|--vm-kernel) printf '%s\n' "${COMP_WORDS[i + 1]}"; return ;;
		--vm-kernel=*) printf '%s\n' "${w#*=}"; return ;;
		esac
	done
	if [ -d "/lib/modules/$(uname -r)/build" ]; then
		uname -r
	else
		"$1" --print-vm-kernel 2>/dev/null
	fi
}

# Probe points for the probe-point argument whose text so far is $2
# (quotes stripped): tapc -l with a wildcard where the text stops.
_tapc_points() {
	local tapc=$1 prefix=$2 pattern release
	case $prefix in
	*'("'*) # inside a string argument that is still open?
		if [[ $prefix =~ \(\"[^\"]*$ ]]; then
			pattern="$prefix*\")"
		else
			pattern="$prefix*"
		fi ;;
	*) pattern="$prefix*" ;;
	esac
	release=$(_tapc_list_release "$tapc")
	"$tapc" ${release:+-r "$release"} -l "$pattern" 2>/dev/null
}

# The text of the word being completed, as typed (COMP_WORDS splits at
# quotes, parentheses and colons), without a leading quote.
_tapc_raw_word() {
	local line=${COMP_LINE:0:COMP_POINT} word
	word=${line##* }
	word=${word#[\'\"]}
	printf '%s' "$word"
}

# Strip from each candidate what bash does not replace: the part of the
# raw word before its last word-break character.
_tapc_reply_relative() {
	local raw=$1 keep i c cand
	keep=0
	for ((i = 0; i < ${#raw}; i++)); do
		c=${raw:i:1}
		[[ $COMP_WORDBREAKS == *"$c"* ]] && keep=$((i + 1))
	done
	COMPREPLY=()
	while IFS= read -r cand; do
		[ -n "$cand" ] || continue
		[[ $cand == "$raw"* ]] || continue
		COMPREPLY+=("${cand:keep}")
	done
}

_tapc() {
	local tapc=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev raw
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	# -l 'kernel.function("x splits into several words: find the option
	raw=$(_tapc_raw_word)
	local line=${COMP_LINE:0:COMP_POINT}
	line=${line% *}
	case ${line##* } in
	-l|-L)
		_tapc_reply_relative "$raw" < <(_tapc_points "$tapc" "$raw")
		compopt -o nospace 2>/dev/null
		return ;;
	esac
	case $prev in
	-r|--vm-kernel)
		COMPREPLY=($(compgen -W "$(_tapc_releases)" -- "$cur")); return ;;
	-p) COMPREPLY=($(compgen -W "1 2 3 4 5" -- "$cur")); return ;;
	-a) COMPREPLY=($(compgen -W "x86_64" -- "$cur")); return ;;
	-c) COMPREPLY=($(compgen -c -- "$cur")); return ;;
	-x) COMPREPLY=($(compgen -W "$(cd /proc && printf '%s\n' [0-9]*)" -- "$cur")); return ;;
	-D) COMPREPLY=($(compgen -W "MAXACTION= MAXSTRINGLEN= MAXMAPENTRIES= MAXNESTING= MAXTRYLOCK= MAXERRORS= MAXSKIPPED=" -- "$cur"))
	    compopt -o nospace 2>/dev/null; return ;;
	-I|-R) COMPREPLY=($(compgen -d -- "$cur")); return ;;
	-o|-d|--vm-file|--vm-batch) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	-e|-m|-G|-T|-s|--vm-append|--compatible) return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_tapc_option_list "$tapc")" -- "$cur"))
		return
	fi
	# a script file
	COMPREPLY=($(compgen -f -X '!*.stp' -- "$cur") $(compgen -d -- "$cur"))
}

complete -F _tapc tapc
