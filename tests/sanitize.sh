#!/usr/bin/env bash
# tests/sanitize.sh asan|valgrind - the compiler under the sanitizers.
#
#   asan      the host tests (tests/run host) with build/asan/tapc, built
#             with AddressSanitizer and UndefinedBehaviorSanitizer (make
#             check-asan builds it, and build/asan/taprun); every report
#             goes to a log file, and any log file is a failure.
#   valgrind  tapc -p3 under valgrind (memcheck) over every guest script
#             (tests/guest, its subdirectories and examples/): no error.
#
# Memory tapc holds until it exits is not reported (detect_leaks=0,
# --leak-check=no): see docs/sanitizers.md.  Last line: "N passed, N failed".
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/tapc-sanitize.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export XDG_CACHE_HOME="$WORK/cache"

asan() {
	local rc logs
	mkdir -p "$WORK/logs"
	export ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:log_path=$WORK/logs/asan"
	export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$WORK/logs/ubsan"
	TAPC="$ROOT/build/asan/tapc" bash "$ROOT/tests/run" host | tee "$WORK/run.log" |
		grep -v '^PASS '
	rc=${PIPESTATUS[0]}
	logs=$(ls "$WORK/logs")
	if [ -n "$logs" ]; then
		echo "FAIL sanitizer reports:"
		head -n 60 "$WORK"/logs/*
		echo "$(grep -c '^PASS' "$WORK/run.log") passed, 1 failed"
		return 1
	fi
	return "$rc"
}

# One guest script under valgrind: its tapc-options, -p3, no cache.
vg_one() { # script
	local f=$1 name opts rel
	name=$(basename "$f" .stp)
	rel=$("$ROOT/tapc" --print-vm-kernel)
	opts=$(sed -n 's/^# tapc-options: //p' "$f")
	opts=${opts//@RELEASE@/$rel}
	# shellcheck disable=SC2086
	if (cd "$(dirname "$f")" && valgrind -q --error-exitcode=99 \
		--leak-check=no --track-origins=yes "$ROOT/tapc" -r "$rel" $opts \
		--disable-cache -p3 "$name.stp") > /dev/null 2> "$WORK/vg.$name"; then
		echo "PASS valgrind/$name"
	elif [ $? = 99 ] || grep -q '^==[0-9]*== ' "$WORK/vg.$name"; then
		echo "FAIL valgrind/$name"
		sed 's/^/    /' "$WORK/vg.$name" | head -n 40
	else
		# tapc itself refused the script: not valgrind's business,
		# but say so (a guest script should translate)
		echo "FAIL valgrind/$name (tapc failed without valgrind errors)"
		sed 's/^/    /' "$WORK/vg.$name" | head -n 10
	fi
}

valgrind_all() {
	export -f vg_one
	export ROOT WORK
	ls "$ROOT"/tests/guest/*.stp "$ROOT"/tests/guest/*/*.stp \
	   "$ROOT"/examples/*.stp 2>/dev/null |
		xargs -P "$(nproc)" -I{} bash -c 'vg_one "$1" > "$WORK/res.$(basename "$1")"' _ {}
	cat "$WORK"/res.* > "$WORK/vg.log"
	grep -v '^PASS' "$WORK/vg.log"
	echo "$(grep -c '^PASS' "$WORK/vg.log") passed, $(grep -c '^FAIL' "$WORK/vg.log") failed"
	! grep -q '^FAIL' "$WORK/vg.log"
}

case ${1:-} in
asan) asan ;;
valgrind) valgrind_all ;;
*) echo "usage: tests/sanitize.sh asan|valgrind" >&2; exit 2 ;;
esac
