#!/bin/sh
# bench/guest.sh ENV - the probe-cost and output benchmarks, run in one
# guest boot by bench/probe.sh (one vCPU, qemu -icount: guest time
# follows the instructions executed).
#
# ENV sets BIN (getppid_bench), N (calls per run), M (calls of the
# output runs), the floor modules KP and KRP, tapc's modules COUNT
# EXECNAME RETURN FLOOD BURST, and BPFTRACE=1 when bpftrace is there.
# Prints lines "RESULT NAME NS_PER_CALL HITS" and "OUTPUT NAME PRINTED
# DELIVERED DROPPED NS", or "FAIL NAME: why".

. "$1"
T=/tmp/bench
mkdir -p $T

# ns per call of the workload alone, printed by it
bare() {
	set -- $($BIN/getppid_bench $N)
	echo "RESULT none $1 -"
}

# a hand-written module: loaded around the workload; its count is in
# the kernel log when it is removed
floor() { # name module
	insmod "$2" || { echo "FAIL $1: insmod"; return; }
	set -- "$1" "$2" $($BIN/getppid_bench $N)
	rmmod "$(basename "$2" .ko)"
	echo "RESULT $1 $3 $(dmesg | sed -n 's/.* \(called\|returned\) \([0-9]*\) times$/\2/p' | tail -n 1)"
}

# a tapc module under taprun -c; the script prints its count at the end
tapc() { # name module
	taprun -o $T/$1.out -c "$BIN/getppid_bench $N" "$2" >$T/$1.ns 2>$T/$1.err ||
		{ echo "FAIL $1: taprun: $(cat $T/$1.err)"; return; }
	echo "RESULT $1 $(cut -d' ' -f1 $T/$1.ns) $(sed -n 's/^hits \([0-9]*\)$/\1/p' $T/$1.out)"
}

# bpftrace (when bench/probe.sh gave it, BPFTRACE=1): -c starts the
# workload once the probes are attached; the maps are printed at exit
bpf() { # name program
	[ "${BPFTRACE:-0}" = 1 ] || return 0
	# a failure is a line of the table ("NOBPF NAME why"), not the end
	bpftrace -e "$2" -c "$BIN/getppid_bench $N" >$T/$1.out 2>$T/$1.err ||
		{ echo "NOBPF $1 $(grep -v WARNING $T/$1.err | head -n 1)"; return; }
	echo "RESULT $1 $(sed -n 's/^\([0-9.]*\) [0-9]*$/\1/p' $T/$1.out) \
$(awk '/^@.*: [0-9]+$/ { n += $NF } END { print n + 0 }' $T/$1.out)"
}

# a printf per hit at full rate, with the default buffer and a small one
output() { # name module calls taprun-options...
	name=$1 ko=$2 calls=$3
	shift 3
	f=$T/$(echo "$name" | tr ' ' _)
	taprun "$@" -o $f.out -c "$BIN/getppid_bench $calls" $ko \
		>$f.ns 2>$f.err ||
		{ echo "FAIL $name: taprun: $(cat $f.err)"; return; }
	delivered=$(grep -c '^line ' $f.out)
	printed=$(sed -n 's/^printed \([0-9]*\)$/\1/p' $f.out)
	dropped=$(sed -n 's/^WARNING: \([0-9]*\) messages dropped$/\1/p' $f.err)
	echo "OUTPUT ${f##*/} $printed $delivered ${dropped:-0} $(cut -d' ' -f2 $f.ns)"
}

bare
floor kprobe-floor $KP
tapc count $COUNT
tapc execname $EXECNAME
floor kretprobe-floor $KRP
tapc return $RETURN
bpf bpftrace-count 'kprobe:__x64_sys_getppid { @ = count(); }'
bpf bpftrace-comm 'kprobe:__x64_sys_getppid { @[comm] = count(); }'
bare
output "printf per hit, 1 MiB buffer" $FLOOD $M
output "printf per hit, 64 KiB buffer" $FLOOD $M -s 64k
output "5000 printf per hit, 64 KiB buffer" $BURST 20 -s 64k
grep "^tapc" /proc/modules && echo "FAIL modules: a tapc module is still loaded"
exit 0
