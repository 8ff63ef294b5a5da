#!/usr/bin/env bash
# bench/probe.sh - probe cost and output rate in the guest, as markdown
# tables on stdout (bench/run puts them in RESULTS.md).
#
# One guest boot with one vCPU under single-threaded TCG and qemu's
# -icount shift=3,sleep=off: guest time then advances with the
# instructions executed, so a ns-per-call figure repeats whatever the
# host's load (bench/guest.sh runs the no-probe case twice to show it).
# On __x64_sys_getppid, N calls of a static workload: no probe; the
# hand-written kprobe counter (the floor, bench/floor/kprobe_count.c);
# tapc counting; tapc c[execname()]++; the hand-written kretprobe counter
# and tapc's .return counter; Debian's bpftrace counting and @[comm] =
# count(), when it is installed (make setup).  Then a printf per hit at full rate with
# the default and a 64 KiB buffer, and bursts of 5000 printf per hit
# that a 64 KiB buffer cannot hold: lines delivered, and lost, which
# must equal taprun's "N messages dropped".
#
#   bash bench/probe.sh [-k]     (-k: keep the work directory)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TAPC="$ROOT/tapc"
RELEASE=${RELEASE:-$("$TAPC" --print-vm-kernel)}
KDIR=/lib/modules/$RELEASE/build
N=${N:-100000}
M=${M:-20000}
WORK=$(mktemp -d /tmp/tapc-probebench.XXXXXX)
[ "${1:-}" = -k ] && echo "work directory: $WORK" >&2 ||
	trap 'rm -rf "$WORK"' EXIT
export XDG_CACHE_HOME="$WORK/cache"

build() {
	mkdir -p "$WORK/bin" "$WORK/floor"
	gcc -O2 -Wall -static -o "$WORK/bin/getppid_bench" "$ROOT/bench/getppid_bench.c"
	cp "$ROOT"/bench/floor/*.c "$WORK/floor/"
	echo 'obj-m := kprobe_count.o kretprobe_count.o' > "$WORK/floor/Kbuild"
	make -s -C "$KDIR" M="$WORK/floor" CONFIG_DEBUG_INFO_BTF_MODULES= modules
	{
		echo "BIN=$WORK/bin N=$N M=$M"
		echo "KP=$WORK/floor/kprobe_count.ko KRP=$WORK/floor/kretprobe_count.ko"
		echo "BPFTRACE=$([ -n "$BPFTRACE" ] && echo 1 || echo 0)"
		for s in count execname return flood burst; do
			opts=
			[ $s = burst ] && opts="-D MAXACTION=1000000"
			# shellcheck disable=SC2086
			echo "$(echo $s | tr a-z A-Z)=$("$TAPC" -r "$RELEASE" -p4 $opts \
				-m "tapc_bench_$s" "$ROOT/bench/$s.stp")"
		done
	} > "$WORK/env"
}

# Debian's bpftrace, given to the guest with its libraries (LLVM's make
# the initramfs ~200 MiB: the guest gets 2 GiB of memory then).
BPFTRACE=$(command -v bpftrace || true)

run_guest() {
	local files=() f mem=
	if [ -n "$BPFTRACE" ]; then
		files+=(--vm-file "$BPFTRACE")
		mem=2G
	fi
	for f in "$WORK/env" "$ROOT/bench/guest.sh" "$WORK/bin/getppid_bench" \
		 "$WORK"/floor/*.ko $(grep -o '/[^ ]*\.ko' "$WORK/env" | grep -v /floor/); do
		files+=(--vm-file "$f")
	done
	printf 'bench\t-\tsh %s %s\n' "$ROOT/bench/guest.sh" "$WORK/env" > "$WORK/batch"
	TAPC_VM_MEM=$mem TAPC_VM_SMP=1 TAPC_VM_ICOUNT=shift=3,sleep=off TAPC_VM_ACCEL=tcg,thread=single \
		"$TAPC" --vm-kernel "$RELEASE" "${files[@]}" --vm-batch "$WORK/batch" \
		"$WORK/out" > "$WORK/vm.log" 2>&1 || true
	if [ ! -s "$WORK/out/bench.out" ]; then
		echo "bench/probe.sh: the guest run failed:" >&2
		cat "$WORK/vm.log" "$WORK/out/bench.err" >&2 2>/dev/null || true
		exit 1
	fi
	if grep -E 'Oops|BUG:|WARNING:|Call Trace|soft lockup' "$WORK/out/dmesg" >&2; then
		echo "bench/probe.sh: the guest kernel complained" >&2
		exit 1
	fi
	if grep '^FAIL' "$WORK/out/bench.out" >&2; then
		exit 1
	fi
}

# The tables, from the guest's RESULT and OUTPUT lines.
tables() {
	awk -v n="$N" -v bpf="$BPFTRACE" '
	$1 == "RESULT" {
		if ($2 == "none") { if (none == "") none = $3; else none2 = $3; next }
		name[++k] = $2; ns[$2] = $3; hits[$2] = $4
	}
	$1 == "OUTPUT" { out[++o] = $0 }
	$1 == "NOBPF" && nobpf == "" { nobpf = $0; sub(/^NOBPF [^ ]* */, "", nobpf) }
	function row(label, key, floor,   over) {
		over = ns[key] - none
		printf "| %s | %.1f | %.1f | %s | %s |\n", label, ns[key], over,
			floor == "" ? "1.00x (floor)" : sprintf("%.2fx", over / (ns[floor] - none)),
			hits[key]
	}
	END {
		printf "| probe on __x64_sys_getppid (%d calls) | ns/call | overhead ns | ratio to floor | hits |\n", n
		print "|---|---|---|---|---|"
		printf "| no probe (two runs: %.1f, %.1f) | %.1f | - | - | - |\n", none, none2, none
		row("hand-written kprobe counter (floor)", "kprobe-floor", "")
		row("tapc counter `n++`", "count", "kprobe-floor")
		row("tapc `c[execname()]++`", "execname", "kprobe-floor")
		row("hand-written kretprobe counter (floor)", "kretprobe-floor", "")
		row("tapc `.return` counter", "return", "kretprobe-floor")
		if ("bpftrace-count" in ns) {
			row("bpftrace counter `@ = count()`", "bpftrace-count", "kprobe-floor")
			row("bpftrace `@[comm] = count()`", "bpftrace-comm", "kprobe-floor")
		} else {
			why = "it fails in the guest: " nobpf
			if (bpf == "")
				why = "bpftrace is not installed on the host (make setup)"
			printf "| bpftrace | - | - | not measured: %s | - |\n", why
		}
		print ""
		print "| output: a printf per hit | printed | delivered | dropped (reported) | delivered + dropped = printed | lines/s printed (guest time) |"
		print "|---|---|---|---|---|---|"
		for (i = 1; i <= o; i++) {
			split(out[i], f, " ")
			gsub("_", " ", f[2])
			printf "| %s | %d | %d | %d | %s | %.0f |\n", f[2], f[3], f[4], f[5],
				f[4] + f[5] == f[3] ? "yes" : "NO", f[3] / (f[6] / 1e9)
		}
	}' "$WORK/out/bench.out"
}

build
run_guest
tables
