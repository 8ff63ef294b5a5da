#!/bin/sh
# guest_cases.sh - runtime and taprun tests, run inside the guest by the
# /init that run-guest.sh builds.  Prints one "PASS name" or "FAIL name"
# line per case, then "RESULT: n passed, m failed".
#
# Expects /bin/taprun, /bin/getppid_loop, /bin/pingpong and /rt_hello.ko.

# The -c command runs as "sh -c CMD": busybox sh calls getppid() once
# itself before it execs CMD, so the target's count is one more than
# CMD's own calls.

pass=0
fail=0
ko=/rt_hello.ko
T=/tmp/t
mkdir -p $T

ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() {
	echo "FAIL $1: $2"
	for f in $T/out $T/err; do
		[ -s $f ] && { echo "--- $f"; head -20 $f; }
	done
	fail=$((fail + 1))
}

# has FILE TEXT: FILE contains the fixed string TEXT
has() { grep -qF -- "$2" "$1"; }

# unloaded: the module is not loaded any more
unloaded() { ! grep -q '^rt_hello ' /proc/modules; }

# run NAME ARGS...: taprun ARGS, output in $T/out, $T/err, status in $rc
run() {
	name=$1
	shift
	case $1 in
	taskset) ;;
	*) set -- taprun "$@" ;;
	esac
	"$@" >$T/out 2>$T/err
	rc=$?
}

# 1. begin prints; kprobe and kretprobe count the -c command's calls
run hello -c '/bin/getppid_loop 10' $ko
if [ $rc = 0 ] && has $T/out "hello 42" &&
	has $T/out "hits some mine 11 rets 11" && has $T/out "bye" &&
	[ ! -s $T/err ] && unloaded
then ok hello; else bad hello "rc=$rc"; fi

# 2. -v reports progress on stderr, -o writes the output to a file
run verbose -v -o $T/file -c '/bin/getppid_loop 3' $ko
if [ $rc = 0 ] && [ ! -s $T/out ] && has $T/file "mine 4 rets 4" &&
	has $T/err "loaded" && has $T/err "started, target pid" &&
	has $T/err "unloaded" && unloaded
then ok verbose; else bad verbose "rc=$rc"; fi

# 3. exit() in begin ends the session right after it
run exit-begin $ko mode=1
if [ $rc = 0 ] && has $T/out "hello 42" && has $T/out "mine 0 rets 0" &&
	unloaded
then ok exit-begin; else bad exit-begin "rc=$rc"; fi

# 4. exit() in a kprobe: nothing but end probes runs after that hit
run exit-kprobe -c '/bin/getppid_loop 1000' $ko mode=2
if [ $rc = 0 ] && has $T/out "mine 3 rets 2" && unloaded
then ok exit-kprobe; else bad exit-kprobe "rc=$rc"; fi

# 5. a runtime error: reported with location and probe, status 1; as in
# stap, a session ended by errors runs the error probes, not the end ones
run error -c '/bin/getppid_loop 10' $ko mode=3
if [ $rc = 1 ] &&
	has $T/err 'ERROR: division by zero near rt_hello.c:42:9 (probe kernel.function("__x64_sys_getppid"))' &&
	has $T/err "WARNING: Number of errors: 1, skipped probes: 0" &&
	has $T/out "hello 42" && ! has $T/out "mine" && unloaded
then ok error; else bad error "rc=$rc"; fi

# 6. a symbol that cannot be probed: no begin, status 1 (the message
# gives the table's probe point, which sym= does not change)
run badsym $ko sym=no_such_function_here
if [ $rc = 1 ] &&
	has $T/err 'ERROR: probe kernel.function("__x64_sys_getppid") registration error (rc -2, ENOENT: no such symbol, or no code at that address, in the running kernel)' &&
	! has $T/out "hello" && unloaded
then ok badsym; else bad badsym "rc=$rc"; fi

# 7. SIGINT: end probes run, status 0
taprun -x 1 $ko >$T/out 2>$T/err &
pid=$!
sleep 2
/bin/getppid_loop 5
kill -INT $pid
wait $pid
rc=$?
if [ $rc = 0 ] && has $T/out "hello 42" && has $T/out "hits some mine 0" &&
	unloaded
then ok sigint; else bad sigint "rc=$rc"; fi

# 8. SIGTERM and SIGHUP too, with the -c command still running
for sig in TERM HUP; do
	taprun -c 'sleep 30' $ko >$T/out 2>$T/err &
	pid=$!
	sleep 2
	kill -$sig $pid
	wait $pid
	rc=$?
	if [ $rc = 0 ] && has $T/out "mine 1 rets 1" && unloaded &&
		! pidof sleep >/dev/null
	then ok sig$sig; else bad sig$sig "rc=$rc"; fi
done

# 9. two SIGINTs in a row: still unloaded
taprun -c 'sleep 30' $ko >$T/out 2>$T/err &
pid=$!
sleep 2
kill -INT $pid
kill -INT $pid
wait $pid
rc=$?
if unloaded; then ok double-sigint; else bad double-sigint "rc=$rc"; fi

# 9b. a second signal while stopping: give up the output, still unload
taprun -c 'sleep 30' $ko >$T/out 2>$T/err &
pid=$!
sleep 2
kill -INT $pid
kill -TERM $pid
wait $pid
rc=$?
if [ $rc = 1 ] && has $T/err "second signal" && unloaded
then ok second-signal; else bad second-signal "rc=$rc"; fi

# 10. taprun killed: the module stays; rmmod runs stop itself
taprun -x 1 $ko >$T/out 2>$T/err &
pid=$!
sleep 2
kill -KILL $pid
wait $pid
sleep 1
if grep -q '^rt_hello ' /proc/modules && /bin/getppid_loop 5 &&
	rmmod rt_hello && unloaded
then ok rmmod; else bad rmmod "module state wrong"; fi

# 11. module already loaded: said clearly, and not unloaded by taprun
insmod $ko
run eexist $ko
if [ $rc = 1 ] && has $T/err "already loaded" &&
	grep -q '^rt_hello ' /proc/modules && rmmod rt_hello && unloaded
then ok eexist; else bad eexist "rc=$rc"; fi

# 12. one reader at a time
taprun -c 'sleep 3' $ko >$T/out 2>$T/err &
pid=$!
sleep 1
cat /proc/rt_hello >$T/cat 2>&1
catrc=$?
wait $pid
rc=$?
if [ $catrc != 0 ] && has $T/cat "busy" && [ $rc = 0 ] && unloaded
then ok busy; else bad busy "cat rc=$catrc rc=$rc"; fi

# 13. a printf per hit at full rate: every line arrives
run flood -o $T/file -c '/bin/getppid_loop 20000' $ko mode=4
lines=$(grep -c '^hit ' $T/file)
if [ $rc = 0 ] && [ $lines = 20001 ] && ! has $T/err dropped && unloaded
then ok flood; else bad flood "rc=$rc lines=$lines"; fi

# 14. more than the buffer holds in one hit: the loss is counted exactly.
# On one CPU the reader cannot drain while the hit runs.
run overflow taskset 1 taprun -o $T/file -c '/bin/getppid_loop 2' $ko mode=5
lines=$(grep -c '^line ' $T/file)
dropped=$(sed -n 's/^WARNING: \([0-9]*\) messages dropped$/\1/p' $T/err)
if [ $rc = 0 ] && [ -n "$dropped" ] &&
	[ $((lines + dropped)) = 150000 ] && has $T/file "mine 3 rets 3" &&
	unloaded
then ok "overflow (lines $lines dropped $dropped)"
else bad overflow "rc=$rc lines=$lines dropped=$dropped"; fi

# 15. bad usage and bad files
run usage
run2=$rc
run nofile /no/such.ko
if [ $run2 = 1 ] && [ $rc = 1 ] && has $T/err "cannot open"
then ok usage; else bad usage "rc=$run2/$rc"; fi

# 16. order across CPUs: two processes on two CPUs take turns; every
# event must come out after the one it followed, with rising stamps
run order -o $T/file -c '/bin/pingpong 500' $ko mode=7
grep '^ev ' $T/file >$T/ev
summary=$(awk '
	NR == 1 { first = $2 }
	{ if (NR > 1 && ($2 == ptgid || $4 < pts)) bad++
	  if (NR > 1 && $3 == pcpu) samecpu++
	  ptgid = $2; pts = $4; pcpu = $3 }
	END { printf "%d %d %d", NR, bad + 0, samecpu + 0 }' $T/ev)
if [ $rc = 0 ] && [ "$summary" = "1000 0 0" ] && unloaded
then ok "order (1000 events, alternating CPUs, rising stamps)"
else bad order "rc=$rc events/misordered/same-cpu=$summary"; fi

# 17. floods on both CPUs into 16 KiB buffers, the reader on CPU 1:
# lines received plus lines reported dropped equal lines printed
run drops taskset 2 taprun -s 16k -o $T/file -c '/bin/pingpong 3' $ko mode=8
lines=$(grep -c '^flood ' $T/file)
printed=$(sed -n 's/^printed //p' $T/file)
dropped=$(sed -n 's/^WARNING: \([0-9]*\) messages dropped$/\1/p' $T/err)
if [ $rc = 0 ] && [ -n "$dropped" ] && [ "$dropped" -gt 0 ] &&
	[ "$printed" = 120000 ] && [ $((lines + dropped)) = "$printed" ] &&
	unloaded
then ok "drops (received $lines + dropped $dropped = printed $printed)"
else bad drops "rc=$rc lines=$lines dropped=$dropped printed=$printed"; fi

# 18. -T: the session ends by itself, end probes run
run timeout -T 1 -x 1 $ko
if [ $rc = 0 ] && has $T/out "hits" && has $T/out "bye" && unloaded
then ok timeout; else bad timeout "rc=$rc"; fi

# 19. -x: the session ends when the target exits
sleep 2 &
spid=$!
run target-exit -x $spid $ko
wait $spid
if [ $rc = 0 ] && has $T/out "bye" && unloaded
then ok target-exit; else bad target-exit "rc=$rc"; fi

# 20. -b: one file per CPU, each holding only its CPU's events
rm -f $T/bulk_cpu*
run bulk -b -o $T/bulk -c '/bin/pingpong 50' $ko mode=7
n0=$(grep -c '^ev [0-9]* 0 ' $T/bulk_cpu0 2>/dev/null)
n1=$(grep -c '^ev [0-9]* 1 ' $T/bulk_cpu1 2>/dev/null)
o0=$(grep -vc '^ev [0-9]* 0 ' $T/bulk_cpu0 2>/dev/null)
if [ $rc = 0 ] && [ "$n0" = 50 ] && [ "$n1" = 50 ] && [ ! -s $T/out ] &&
	unloaded
then ok bulk; else bad bulk "rc=$rc cpu0=$n0 cpu1=$n1 other-on-cpu0=$o0"; fi

# 21. a session killed with SIGKILL: the next one removes its module
taprun -x 1 $ko >$T/out 2>$T/err &
pid=$!
sleep 2
kill -KILL $pid
wait $pid
run stale -c '/bin/getppid_loop 2' $ko
if [ $rc = 0 ] && has $T/err "removed module rt_hello, left loaded by a session that was killed (taprun pid $pid)" &&
	has $T/out "mine 3 rets 3" && unloaded
then ok stale; else bad stale "rc=$rc"; fi

# 22. a module another running session owns is left alone
taprun -x 1 $ko >$T/out1 2>$T/err1 &
pid=$!
sleep 2
run live $ko
kill -INT $pid
wait $pid
rc1=$?
if [ $rc = 1 ] && has $T/err "the session of taprun pid $pid runs it" &&
	[ $rc1 = 0 ] && has $T/out1 "bye" && unloaded
then ok live; else bad live "rc=$rc rc1=$rc1"; fi

# 23. bad -s and -T values
run bad-s -s 1k $ko
r1=$rc
run bad-T -T 0 $ko
if [ $r1 = 1 ] && [ $rc = 1 ] && unloaded
then ok bad-options; else bad bad-options "rc=$r1/$rc"; fi

# The kernel must have stayed clean since the first load.
dmesg | sed -n '/rt_hello: loading/,$p' >$T/dmesg
if grep -qE 'Oops|BUG|WARNING|Call Trace|general protection|leak' $T/dmesg
then
	bad dmesg "kernel complained"
	grep -E -A20 'Oops|BUG|WARNING|Call Trace|general protection|leak' \
		$T/dmesg | head -60
else
	ok dmesg
fi

echo "RESULT: $pass passed, $fail failed"
