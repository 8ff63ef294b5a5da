#!/usr/bin/env bash
# tests/stress/run.sh - the reliability suite: sessions under stress in
# one guest boot (cases.sh, one batch job per case): Ctrl-C storms,
# SIGKILL then a new session, two sessions at once, both CPUs updating
# one array, a probe on _raw_spin_lock, 29 points loaded and unloaded
# five times, an interrupted output flood, print_backtrace()'s format,
# wildcards over every vfs_* and tcp_* function (kernel.function and
# kprobe.function, hundreds of points) in three sessions each under file
# and TCP-over-loopback load (tests/bin/io_workload.c).
# After every case no tapc module is loaded; after all, the guest's
# kernel log has no Oops, BUG, WARNING or lockup.  The hostile scripts
# are guest tests (tests/guest/hostile_*.stp, run by tests/run).
#
#   bash tests/stress/run.sh [-k] [-r RELEASE] [CASE...]
#
# Last line: "tests/stress: N passed, N failed".
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
TAPC=$top/tapc
keep=0
[ "${1:-}" = -k ] && { keep=1; shift; }
release=
[ "${1:-}" = -r ] && { release=$2; shift 2; }
cases=${*:-ctrlc-storm kill-then-new two-sessions array-two-cpus hot many-points flood-sigint backtrace
	wild-kernel-vfs wild-kernel-tcp wild-kprobe-vfs wild-kprobe-tcp}

work=$(mktemp -d "${TMPDIR:-/tmp}/tapc-stress.XXXXXX")
cleanup() {
	[ $keep = 1 ] && echo "work directory: $work" || rm -rf "$work"
}
trap cleanup EXIT
export XDG_CACHE_HOME=$work/cache
[ -n "$release" ] || release=$("$TAPC" --print-vm-kernel)

. "$top/tests/lib/suite.sh"

build() {
	local s v ko
	mkdir -p "$work/bin"
	for s in "$top/tests/runtime/getppid_loop.c" "$top/tests/bin/getppid_workers.c" \
		 "$top/tests/bin/tapset_workload.c" "$top/tests/bin/io_workload.c"; do
		gcc -O2 -static -o "$work/bin/$(basename "$s" .c)" "$s" ||
			{ bad "build/$s" "cannot build"; return 1; }
	done
	{
		echo "BIN=$work/bin"
		for s in count count2 hot array flood backtrace many \
			 wild_kernel_vfs wild_kernel_tcp wild_kprobe_vfs wild_kprobe_tcp; do
			v=$(echo $s | tr a-z A-Z)
			if ! ko=$(cd "$here" && "$TAPC" -r "$release" -p4 \
				-m "tapc_stress_$s" "${s%2}.stp" 2>"$work/$s.err") ||
			   [ -s "$work/$s.err" ]; then
				bad "build/$s" "tapc -p4 failed" "$work/$s.err"
				return 1
			fi
			echo "$v=$ko"
		done
	} >"$work/env"
}

run() {
	build || return
	run_cases stress "$work/env" "$here/cases.sh" "$cases" "$work"/bin/*
}

run
echo "tests/stress: $pass passed, $fail failed"
[ $fail = 0 ]
