#!/bin/sh
# cases.sh ENV CASE - one session test, run in the guest by
# tests/session/run.sh (one batch job per case, all in one boot).
#
# ENV is a file of shell variables: COUNT EXIT ERROR FLOOD ORDER (the
# modules tapc built from the .stp files here) and BIN (getppid_loop and
# pingpong).  Prints "PASS CASE" or "FAIL CASE: why" and what it saw;
# exits 0 or 1.  Waits are watchdogs against a hung guest, never a pass
# condition.

. "$1"
. "$(dirname "$0")/../lib/guest.sh"
case=$2
T=/tmp/session.$case
mkdir -p $T
out=$T/out
err=$T/err

ok() {
	echo "PASS $case${1:+ ($1)}"
	exit 0
}
bad() {
	echo "FAIL $case: $1"
	for f in $out $err $T/file $T/e1; do
		[ -s $f ] && { echo "--- ${f##*/}"; head -n 20 $f; }
	done
	exit 1
}
modname() { basename "$1" .ko; }
loaded() { grep -q "^$(modname "$1") " /proc/modules; }

# A signal to a session whose -c command would run for long: the end
# probe runs, the command is stopped, the module unloaded, status 0.
signal_case() {
	taprun -c 'sleep 100' $COUNT >$out 2>$err &
	pid=$!
	wait_for $out started || bad "did not start"
	kill -$1 $pid
	wait $pid
	rc=$?
	[ $rc = 0 ] || bad "exit status $rc"
	has $out "calls " || bad "the end probe did not run"
	[ ! -s $err ] || bad "stderr is not empty"
	! loaded $COUNT || bad "the module is still loaded"
	gone sleep || bad "the command still runs"
	ok
}

case $case in
c)
	# the command starts after the probes: its calls (and sh's one) count
	taprun -c "$BIN/getppid_loop 5" $COUNT >$out 2>$err
	rc=$?
	[ $rc = 0 ] && has $out "calls 6" && [ ! -s $err ] && ! loaded $COUNT ||
		bad "rc=$rc"
	ok
	;;
x)
	# -x: the target runs on once the probes are in; its end ends it all
	mkfifo $T/go
	sh -c "read x <$T/go; exec $BIN/getppid_loop 7" &
	tpid=$!
	taprun -x $tpid $COUNT >$out 2>$err &
	pid=$!
	wait_for $out started || bad "did not start"
	echo go >$T/go
	wait $pid
	rc=$?
	[ $rc = 0 ] && has $out "calls 7" && [ ! -s $err ] && ! loaded $COUNT ||
		bad "rc=$rc"
	ok
	;;
o)
	taprun -o $T/file -c "$BIN/getppid_loop 2" $COUNT >$out 2>$err
	rc=$?
	[ $rc = 0 ] && [ ! -s $out ] && has $T/file "calls 3" &&
		[ ! -s $err ] && ! loaded $COUNT || bad "rc=$rc"
	ok
	;;
T)
	taprun -T 1 $COUNT >$out 2>$err
	rc=$?
	[ $rc = 0 ] && has $out "calls 0" && [ ! -s $err ] && ! loaded $COUNT ||
		bad "rc=$rc"
	ok
	;;
exit)
	taprun -c "$BIN/getppid_loop 5; sleep 100" $EXIT >$out 2>$err
	rc=$?
	[ $rc = 0 ] || bad "exit status $rc"
	[ "$(cat $out)" = "$(printf 'begin\nhit\nend')" ] || bad "wrong output"
	[ ! -s $err ] && ! loaded $EXIT && gone sleep || bad "not clean"
	ok
	;;
error)
	taprun -c "$BIN/getppid_loop 3" $ERROR >$out 2>$err
	rc=$?
	[ $rc = 1 ] || bad "exit status $rc, not 1"
	has $err "ERROR: division by 0 near " || bad "no located error"
	has $err "WARNING: Number of errors: 1, skipped probes: 0" ||
		bad "no summary"
	has $out before && has $out "error probe" && ! has $out end &&
		! loaded $ERROR || bad "not clean"
	ok
	;;
sigint) signal_case INT ;;
sigterm) signal_case TERM ;;
sighup) signal_case HUP ;;
sigint2)
	# a second SIGINT may cut the end probes' output, never the unload
	taprun -c 'sleep 100' $COUNT >$out 2>$err &
	pid=$!
	wait_for $out started || bad "did not start"
	kill -INT $pid
	kill -INT $pid
	wait $pid
	rc=$?
	! loaded $COUNT && gone sleep || bad "not clean, rc=$rc"
	ok "status $rc"
	;;
stale)
	# a session killed outright leaves its module; the next removes it
	taprun $COUNT >$T/o1 2>$T/e1 &
	pid=$!
	wait_for $T/o1 started || bad "did not start"
	# (the shell's "Killed" notice is not the test's stderr)
	{ kill -KILL $pid; wait $pid; } 2>/dev/null
	loaded $COUNT || bad "the killed session's module is not loaded"
	taprun -c "$BIN/getppid_loop 1" $COUNT >$out 2>$err
	rc=$?
	[ $rc = 0 ] || bad "exit status $rc"
	has $err "removed module $(modname $COUNT), left loaded by a session that was killed (taprun pid $pid)" ||
		bad "no report of the removal"
	has $out "calls 2" && ! loaded $COUNT || bad "not clean"
	ok
	;;
drops)
	# everything on CPU 0: the reader cannot drain during the hits
	taskset 1 taprun -s 16k -o $T/file -c "$BIN/getppid_loop 3" $FLOOD \
		>$out 2>$err
	rc=$?
	lines=$(grep -c '^line ' $T/file)
	printed=$(sed -n 's/^printed //p' $T/file)
	dropped=$(sed -n 's/^WARNING: \([0-9]*\) messages dropped$/\1/p' $err)
	[ $rc = 0 ] && [ -n "$dropped" ] && [ "$dropped" -gt 0 ] &&
		[ "$printed" = 80000 ] && [ $((lines + dropped)) = "$printed" ] &&
		! loaded $FLOOD ||
		bad "rc=$rc lines=$lines dropped=$dropped printed=$printed"
	ok "received $lines + dropped $dropped = printed $printed"
	;;
order)
	# pingpong's turns: each event follows the other CPU's last one
	taprun -o $T/file -c "$BIN/pingpong 500" $ORDER >$out 2>$err
	rc=$?
	res=$(awk '{ if ($1 != NR) badn++
		     if (NR > 1 && $4 < ts) badts++
		     if (NR > 1 && $2 == cpu) samecpu++
		     ts = $4; cpu = $2 }
		END { printf "%d %d %d %d", NR, badn, badts, samecpu }' $T/file)
	[ $rc = 0 ] && [ "$res" = "1000 0 0 0" ] && [ ! -s $err ] &&
		! loaded $ORDER || bad "rc=$rc lines/misnumbered/misordered/same-cpu: $res"
	ok "1000 events on alternating CPUs, in number and timestamp order"
	;;
bulk)
	taprun -b -o $T/bulk -c "$BIN/pingpong 100" $ORDER >$out 2>$err
	rc=$?
	for c in 0 1; do
		res=$(awk -v c=$c '{ if ($2 != c) other++
				     if (NR > 1 && $1 <= n) back++
				     n = $1 }
			END { printf "%d %d %d", NR, other, back }' $T/bulk_cpu$c)
		[ "$res" = "100 0 0" ] || bad "bulk_cpu$c: lines/other-cpu/out-of-order: $res"
	done
	[ $rc = 0 ] && [ ! -s $out ] && [ ! -s $err ] && ! loaded $ORDER ||
		bad "rc=$rc"
	ok
	;;
*)
	bad "no such case"
	;;
esac
