#!/bin/sh
# cases.sh ENV CASE - one stress case, run in the guest by
# tests/stress/run.sh (one batch job per case, all in one boot).
#
# ENV sets BIN (getppid_loop, getppid_workers, tapset_workload,
# io_workload) and the modules tapc built from the .stp files here:
# COUNT COUNT2 HOT ARRAY FLOOD BACKTRACE MANY and WILD_KERNEL_VFS
# WILD_KERNEL_TCP WILD_KPROBE_VFS WILD_KPROBE_TCP.  Prints "PASS CASE" or "FAIL CASE: why" and what
# it saw.  After every case no tapc module may be left loaded.  Waits
# are watchdogs against a hung guest, never a pass condition.

. "$1"
. "$(dirname "$0")/../lib/guest.sh"
case=$2
T=/tmp/stress.$case
mkdir -p $T
out=$T/out
err=$T/err

bad() {
	echo "FAIL $case: $1"
	for f in $out $err $T/o1 $T/e1 $T/o2 $T/e2; do
		[ -s $f ] && { echo "--- ${f##*/}"; head -n 20 $f; }
	done
	exit 1
}
ok() {
	if grep '^tapc' /proc/modules; then
		bad "a tapc module is still loaded"
	fi
	echo "PASS $case${1:+ ($1)}"
	exit 0
}
# wild MODULE WORKLOAD: a wildcard module run in SESSIONS sessions one
# after the other, each under the workload; every session counts hits
# (> 0) and leaves nothing loaded
SESSIONS=3
wild() {
	i=1
	while [ $i -le $SESSIONS ]; do
		taprun -c "$BIN/io_workload $2 200" $1 >$out 2>$err
		rc=$?
		# a hit in an interrupt on a CPU already in a handler (TCP
		# receives in softirq) is skipped, and said: nothing else
		[ $rc = 0 ] && ! grep -qv '^WARNING: Number of errors: 0, skipped probes: [0-9]*$' $err ||
			bad "session $i: rc=$rc"
		has $out "$2 200" || bad "session $i: the workload failed"
		hits=$(sed -n 's/^hits \([0-9]*\) in \([0-9]*\) functions$/\1 \2/p' $out)
		[ -n "$hits" ] && [ "${hits%% *}" -gt 0 ] || bad "session $i: no hits"
		grep -q '^tapc' /proc/modules && bad "session $i: left loaded"
		i=$((i + 1))
	done
	ok "$SESSIONS sessions, last: ${hits% *} hits in ${hits#* } functions"
}
# background load: getppid_workers, parent and children
stop_load() {
	kill $(pidof getppid_workers) 2>/dev/null
	wait $load 2>/dev/null
}

case $case in
ctrlc-storm)
	# SIGINT after SIGINT while probes fire on both CPUs: the session
	# ends, the module goes, the command is stopped
	$BIN/getppid_workers 100000000 2 &
	load=$!
	taprun -c 'sleep 100' $FLOOD >$out 2>$err &
	pid=$!
	wait_for $out started || bad "did not start"
	i=0
	while [ $i -lt 30 ] && kill -INT $pid 2>/dev/null; do
		i=$((i + 1))
	done
	wait $pid
	rc=$?
	stop_load
	gone sleep || bad "the command still runs"
	# every line that came is whole and in order (drops leave gaps)
	awk '/^line / { if (NF != 2 || $2 <= last) bad++; last = $2 }
	     END { exit bad > 0 }' $out || bad "torn or disordered lines"
	ok "$i signals, status $rc"
	;;
kill-then-new)
	# a session killed outright while its probe fires on a hot path; the
	# next session removes its module and runs
	taprun $HOT >$T/o1 2>$T/e1 &
	pid=$!
	wait_for $T/o1 started || bad "did not start"
	{ kill -KILL $pid; wait $pid; } 2>/dev/null
	grep -q '^tapc_stress_hot ' /proc/modules || bad "the killed session's module is gone already"
	taprun -c "$BIN/getppid_loop 5" $COUNT >$out 2>$err
	rc=$?
	[ $rc = 0 ] || bad "exit status $rc"
	has $err "removed module tapc_stress_hot, left loaded by a session that was killed (taprun pid $pid)" ||
		bad "no report of the removal"
	has $out "calls 6" || bad "wrong count"
	ok
	;;
two-sessions)
	# two sessions at once, each counting its own target
	taprun -c "$BIN/getppid_loop 3000" $COUNT >$T/o1 2>$T/e1 &
	p1=$!
	taprun -c "$BIN/getppid_loop 5000" $COUNT2 >$T/o2 2>$T/e2 &
	p2=$!
	wait $p1
	r1=$?
	wait $p2
	r2=$?
	[ $r1 = 0 ] && [ $r2 = 0 ] || bad "exit status $r1 $r2"
	has $T/o1 "calls 3001" && has $T/o2 "calls 5001" || bad "wrong counts"
	[ ! -s $T/e1 ] && [ ! -s $T/e2 ] || bad "stderr"
	ok
	;;
array-two-cpus)
	taprun -c "$BIN/getppid_workers 20000 2" $ARRAY >$out 2>$err
	rc=$?
	[ $rc = 0 ] && [ ! -s $err ] || bad "rc=$rc"
	[ "$(grep -c '^worker 20000$' $out)" = 2 ] && has $out "total 40000 workers 2" ||
		bad "wrong totals"
	ok "2 x 20000 exact"
	;;
hot)
	# every spin lock of the guest, while both CPUs work
	taprun -c "$BIN/getppid_workers 20000 2" $HOT >$out 2>$err
	rc=$?
	[ $rc = 0 ] || bad "exit status $rc"
	has $out "hits counted" || bad "no hits"
	# reentrant hits (the runtime's own locks) may be skipped, and said
	ok "$(grep -o 'skipped probes: [0-9]*' $err)"
	;;
many-points)
	# 29 points loaded and unloaded five times
	for i in 1 2 3 4 5; do
		taprun -c "cat /proc/version" $MANY >$out 2>$err
		rc=$?
		[ $rc = 0 ] && [ ! -s $err ] || bad "round $i: rc=$rc"
		has $out "hits counted" || bad "round $i: no hits"
		grep -q '^tapc' /proc/modules && bad "round $i: left loaded"
	done
	ok "5 rounds"
	;;
flood-sigint)
	# output at full rate from both CPUs, interrupted: the lines that
	# came are whole; what was lost is reported
	$BIN/getppid_workers 100000000 2 &
	load=$!
	taprun -s 64k -c 'sleep 100' $FLOOD >$out 2>$err &
	pid=$!
	wait_for $out "line 20000" || bad "no flood"
	kill -INT $pid
	wait $pid
	rc=$?
	stop_load
	[ $rc = 0 ] || bad "exit status $rc"
	printed=$(sed -n 's/^printed //p' $out)
	lines=$(grep -c '^line [0-9]*$' $out)
	dropped=$(sed -n 's/^WARNING: \([0-9]*\) messages dropped$/\1/p' $err)
	[ -n "$printed" ] || bad "no end output"
	[ $((lines + ${dropped:-0})) = "$printed" ] ||
		bad "lines $lines + dropped ${dropped:-0} != printed $printed"
	ok "received $lines + dropped ${dropped:-0} = printed $printed"
	;;
backtrace)
	taprun -c "$BIN/tapset_workload" $BACKTRACE >$out 2>$err
	rc=$?
	[ $rc = 0 ] && [ ! -s $err ] || bad "rc=$rc"
	sed 's/0x[0-9a-f]\{16\}/ADDR/g; s/+0x[0-9a-f]*\/0x[0-9a-f]*/+OFF\/SIZE/' $out >$T/norm
	want=" ADDR : do_sys_openat2+OFF/SIZE [kernel]
 ADDR : __x64_sys_openat+OFF/SIZE [kernel]
 ADDR : do_syscall_64+OFF/SIZE [kernel]
 ADDR : entry_SYSCALL_64_after_hwframe+OFF/SIZE [kernel]"
	[ "$(cat $T/norm)" = "$(printf '%s\n--\n%s' "$want" "$want")" ] ||
		bad "unexpected backtrace: $(cat $T/norm)"
	ok
	;;
wild-kernel-vfs) wild $WILD_KERNEL_VFS file ;;
wild-kernel-tcp) wild $WILD_KERNEL_TCP tcp ;;
wild-kprobe-vfs) wild $WILD_KPROBE_VFS file ;;
wild-kprobe-tcp) wild $WILD_KPROBE_TCP tcp ;;
*)
	bad "no such case"
	;;
esac
