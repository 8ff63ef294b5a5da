#!/usr/bin/env bash
# tests/sanitize.sh asan|valgrind - the compiler under the sanitizers.
#
#   asan      the host tests (tests/run host) with build/asan/tapc, built
#             with AddressSanitizer and UndefinedBehaviorSanitizer (make
#             check-asan builds it, and build/asan/taprun), LeakSanitizer
#             on; then build/asan/taprun on what runs without loading a
#             module (its usage and argument errors).  Every report goes
#             to a log file, and any log file is a failure.
#   valgrind  tapc -p3 under valgrind (memcheck) over every guest script
#             (tests/guest, its subdirectories and examples/), and tapc
#             -p2 over every tests/errors script: no error, and no block
#             definitely or indirectly lost (a leak is an error).
#
# What tapc holds until it exits stays reachable and is not reported;
# what it drops it frees (docs/sanitizers.md).  Last line: "N passed,
# N failed".
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/tapc-sanitize.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export XDG_CACHE_HOME="$WORK/cache"

asan() {
	local rc logs
	mkdir -p "$WORK/logs"
	export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:log_path=$WORK/logs/asan"
	export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$WORK/logs/ubsan"
	TAPC="$ROOT/build/asan/tapc" bash "$ROOT/tests/run" host | tee "$WORK/run.log" |
		grep -v '^PASS '
	rc=${PIPESTATUS[0]}
	asan_taprun >> "$WORK/run.log"
	logs=$(ls "$WORK/logs")
	if [ -n "$logs" ]; then
		echo "FAIL sanitizer reports:"
		head -n 60 "$WORK"/logs/*
		echo "$(grep -c '^PASS' "$WORK/run.log") passed, 1 failed"
		return 1
	fi
	return "$rc"
}

# taprun loads modules, which only the guest may do: on the host, under
# the sanitizers, only what it does before loading (the logs judge).
asan_taprun() {
	local t=$ROOT/build/asan/taprun
	"$t" -h > /dev/null
	"$t" 2> /dev/null
	"$t" -Z 2> /dev/null
	"$t" -s 0 x.ko 2> /dev/null
	"$t" -o /nonexistent/dir/out not-a-module.txt p=1 2> /dev/null
	echo "PASS taprun/asan-arguments"
}

# One script under valgrind: its tapc-options, no cache; pass 3 for a
# guest script, pass 2 for an error script (tapc exits 1 there: only
# valgrind's own exit status and report count).
vg_one() { # script pass
	local f=$1 pass=$2 name label opts rel rc t
	local vg=(-q --error-exitcode=99 --track-origins=yes --leak-check=full
		  --show-leak-kinds=definite,indirect
		  --errors-for-leak-kinds=definite,indirect --num-callers=30)
	name=$(basename "$f" .stp)
	label=$name
	[ "$pass" = 2 ] && label=errors/$name
	rel=$("$ROOT/tapc" --print-vm-kernel)
	opts=$(sed -n 's/^# tapc-options: //p' "$f")
	opts=${opts//@RELEASE@/$rel}
	t=$(date +%s.%N)
	# shellcheck disable=SC2086
	(cd "$(dirname "$f")" && valgrind "${vg[@]}" "$ROOT/tapc" \
		-r "$rel" $opts --disable-cache -p"$pass" "$name.stp") \
		> /dev/null 2> "$WORK/vg.$pass.$name"
	rc=$?
	echo "$label $(echo "$(date +%s.%N) - $t" | bc)" > "$WORK/time.$pass.$name"
	if [ $rc = 99 ] || grep -q '^==[0-9]*== ' "$WORK/vg.$pass.$name"; then
		echo "FAIL valgrind/$label"
		sed 's/^/    /' "$WORK/vg.$pass.$name" | head -n 60
	elif [ "$pass" = 3 ] && [ $rc != 0 ]; then
		# tapc itself refused the script: not valgrind's business,
		# but say so (a guest script should translate)
		echo "FAIL valgrind/$label (tapc failed without valgrind errors)"
		sed 's/^/    /' "$WORK/vg.$pass.$name" | head -n 10
	else
		echo "PASS valgrind/$label"
	fi
}

valgrind_all() {
	local t=$SECONDS
	export -f vg_one
	export ROOT WORK
	{
		ls "$ROOT"/tests/guest/*.stp "$ROOT"/tests/guest/*/*.stp \
		   "$ROOT"/examples/*.stp 2>/dev/null | sed 's/$/ 3/'
		ls "$ROOT"/tests/errors/*.stp | sed 's/$/ 2/'
	} | xargs -P "$(nproc)" -L1 bash -c \
		'vg_one "$1" "$2" > "$WORK/res.$2.$(basename "$1")"' _
	cat "$WORK"/res.* > "$WORK/vg.log"
	grep -v '^PASS' "$WORK/vg.log"
	echo "valgrind: $(ls "$WORK"/time.* | wc -l) scripts in $((SECONDS - t)) s; slowest:"
	cat "$WORK"/time.* | sort -k2 -rn | head -n 3 | sed 's/^/    /'
	echo "$(grep -c '^PASS' "$WORK/vg.log") passed, $(grep -c '^FAIL' "$WORK/vg.log") failed"
	! grep -q '^FAIL' "$WORK/vg.log"
}

case ${1:-} in
asan) asan ;;
valgrind) valgrind_all ;;
*) echo "usage: tests/sanitize.sh asan|valgrind" >&2; exit 2 ;;
esac
