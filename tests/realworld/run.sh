#!/usr/bin/env bash
# tests/realworld/run.sh - every .stp and .stpm file Debian ships in
# systemtap-doc (the examples) and systemtap-common (the tapset library)
# parses with tapc -p1, and the printed tree parses back the same.
#
#   run.sh TAPC RELEASE        test; prints "N passed, N failed"
#   run.sh --stap RELEASE      run stap -p1 on the examples the same way
#                              (to check what exclude.txt says)
#   run.sh --list              print the jobs: PATH<TAB>DIR<TAB>OPTIONS...
#                              (bench/parse uses it)
#
# The files are read where the packages install them, never copied here.
# An example is parsed with the options and arguments its .meta file's
# test_check line gives stap (-g, -I, $1 $2 ...), and stap's own tapset
# directory, where the library macros it uses are.  Tapset files are
# parsed with -I /usr/share/systemtap/tapset too.  exclude.txt lists the
# files stap itself rejects, each with the reason.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
EXAMPLES=/usr/share/systemtap/examples
TAPSETS=/usr/share/systemtap/tapset
MODE=tapc TAPC= RELEASE=
case ${1:-} in
--stap) MODE=stap; RELEASE=$2 ;;
--list) MODE=list ;;
*) TAPC=$(realpath "$1"); RELEASE=$2 ;;
esac

if [ ! -d "$EXAMPLES" ] || [ ! -d "$TAPSETS" ]; then
	echo "FAIL realworld: systemtap-doc and systemtap-common are not" \
	     "installed (make setup)"
	echo "0 passed, 1 failed"
	exit 1
fi

# The stap options that take an argument.
ARG_OPTS=cxoDIdTmraBesSpPRG

# Sets OPTS (tapc options) and ARGS (script arguments) from the
# test_check line of the example's .meta file, if it has one.
meta_options() { # script
	local stp=$1 meta=${1%.stp}.meta line words w i c rest seen=0
	OPTS=() ARGS=()
	[ -f "$meta" ] || return 0
	# What the shell would have run there, a command's output, or
	# expanded, its pid: a number.
	line=$(sed -n 's/^test_check: *//p' "$meta" | head -n1 |
		sed 's/`[^`]*`/0/g; s/\(^\| \)\$\$\( \|$\)/\11\2/g')
	[ -n "$line" ] || return 0
	# xargs splits the shell words, honouring quotes, expanding nothing.
	mapfile -t words < <(printf '%s\n' "$line" | xargs -n1 printf '%s\n' 2>/dev/null)
	for ((i = 1; i < ${#words[@]}; i++)); do
		w=${words[i]}
		if [ "$w" = "$(basename "$stp")" ] && [ $seen = 0 ]; then
			seen=1; continue
		fi
		case $w in
		--*) continue ;;
		-?*)
			rest=${w#-}
			while [ -n "$rest" ]; do
				c=${rest:0:1}; rest=${rest:1}
				case $ARG_OPTS in
				*"$c"*)
					[ -z "$rest" ] && { i=$((i + 1)); rest=${words[i]:-}; }
					[ "$c" = I ] && OPTS+=(-I "$rest")
					rest= ;;
				*)
					[ "$c" = g ] && OPTS+=(-g) ;;
				esac
			done ;;
		*)
			[ $seen = 1 ] && ARGS+=("$w") ;;
		esac
	done
}

declare -A EXCLUDED
while IFS=$'\t' read -r path reason; do
	case $path in ''|'#'*) continue ;; esac
	EXCLUDED[$path]=$reason
done < "$HERE/exclude.txt"

# The jobs, one a line: PATH, the directory to run in, then tapc's
# arguments, tab-separated.
jobs() {
	local f
	while read -r f; do
		meta_options "$f"
		(IFS=$'\t'; echo "$f	$(dirname "$f")	${OPTS[*]+${OPTS[*]}	}-I	$TAPSETS	$(basename "$f")${ARGS[*]+	${ARGS[*]}}")
	done < <(find "$EXAMPLES" -name '*.stp' | sort)
	while read -r f; do
		printf '%s\t%s\t-I\t%s\t%s\n' "$f" "$TAPSETS" "$TAPSETS" "$f"
	done < <(find "$TAPSETS" -name '*.stp' -o -name '*.stpm' | sort)
}

if [ $MODE = list ]; then
	jobs | while IFS=$'\t' read -r f rest; do
		[ -n "${EXCLUDED[${f#/usr/share/systemtap/}]:-}" ] || printf '%s\t%s\n' "$f" "$rest"
	done
	exit 0
fi

WORK=$(mktemp -d /tmp/tapc-realworld.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# One file: parse, print, parse the print, compare.  Prints PASS, FAIL
# (with the messages) or EXCLUDED.
check_one() { # path dir args...
	local f=$1 dir=$2 rel=${1#/usr/share/systemtap/} w=$WORK/$BASHPID
	shift 2
	if [ -n "${EXCLUDED[$rel]:-}" ]; then
		echo "EXCLUDED $rel"
		return
	fi
	if [ $MODE = stap ]; then
		case $rel in tapset/*) return ;; esac	# stap runs no tapset alone
		if (cd "$dir" && stap -r "$RELEASE" -p1 "$@") > "$w.out" 2>&1; then
			echo "PASS $rel"
		else
			echo "FAIL $rel"; grep -v WARNING "$w.out" | head -5 | sed 's/^/    /'
		fi
		return
	fi
	if ! (cd "$dir" && "$TAPC" -r "$RELEASE" -p1 "$@") > "$w.p1" 2> "$w.err"; then
		echo "FAIL $rel"
		head -20 "$w.err" | sed 's/^/    /'
		return
	fi
	cp "$w.p1" "$w.stp"
	if ! "$TAPC" -r "$RELEASE" -p1 "$w.stp" > "$w.p2" 2> "$w.err" ||
	   ! cmp -s "$w.p1" "$w.p2"; then
		echo "FAIL $rel (round trip)"
		{ cat "$w.err"; diff "$w.p1" "$w.p2"; } | head -20 | sed 's/^/    /'
		return
	fi
	echo "PASS $rel"
}

# As many workers as CPUs, each taking every Nth job.
N=$(nproc 2>/dev/null || echo 2)
jobs > "$WORK/jobs"
for ((k = 0; k < N; k++)); do
	awk -v n=$N -v k=$k 'NR % n == k' "$WORK/jobs" |
	while IFS=$'\t' read -r -a job; do
		check_one "${job[@]}"
	done > "$WORK/result.$k" &
done
wait
cat "$WORK"/result.* | grep -v '^PASS' | grep -v '^EXCLUDED'
passed=$(cat "$WORK"/result.* | grep -c '^PASS')
failed=$(cat "$WORK"/result.* | grep -c '^FAIL')
excluded=$(cat "$WORK"/result.* | grep -c '^EXCLUDED')
echo "realworld: $passed files parsed and printed back the same, $excluded excluded (tests/realworld/exclude.txt)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
