#!/usr/bin/env bash
# tests/vm/run.sh - the guest runner's own tests (compiler/vm/,
# runtime/guest/init.sh), with a stand-in module and a stand-in taprun.
#
#   bash tests/vm/run.sh [-k] [-r RELEASE] [TEST...]
#     -k  keep the work directory      TEST: names below (default: all)
#
# Needs qemu-system-x86_64, busybox-static, an installed cloud kernel with
# headers (make setup), and root to read /boot/vmlinuz-*.  Another kernel:
#   TAPC_VM_SYSROOT=DIR KDIR=HEADERS bash tests/vm/run.sh -r RELEASE
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
keep=0
release=
while getopts kr: opt; do
	case $opt in
	k) keep=1 ;;
	r) release=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))

work=$(mktemp -d "${TMPDIR:-/tmp}/tapc-vmtest.XXXXXX")
export XDG_CACHE_HOME=$work/cache	# the modules' disk image (t_modules)
cleanup() {
	[ $keep = 1 ] && echo "work directory: $work" || rm -rf "$work"
}
trap cleanup EXIT

pass=0 fail=0 failed=
ok() { pass=$((pass + 1)); echo "PASS $1${2:+ ($2)}"; }
bad() {
	fail=$((fail + 1)); failed="$failed $1"
	echo "FAIL $1: $2"
	[ -n "${3:-}" ] && [ -f "$3" ] && sed 's/^/    /' "$3" | tail -n 30
}

# ---- build: the test program and the stand-in module ----

selftest=$work/vm_selftest
${CC:-gcc} -O2 -g -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE \
	-I"$top/compiler" -DTAPC_SRCDIR="\"$top\"" -o "$selftest" \
	"$here/vm_selftest.c" "$top"/compiler/vm/*.c ||
	{ echo "FAIL build"; exit 1; }

[ -n "$release" ] || release=$("$selftest" release) ||
	{ echo "FAIL release: no installed cloud kernel with headers"; exit 1; }
echo "kernel $release"
ropt=(-r "$release")

mkdir -p "$work/mod"
cp "$here/hello.c" "$work/mod/"
printf 'obj-m := tapc_hello.o\ntapc_hello-y := hello.o\n' >"$work/mod/Kbuild"
# KDIR: another kernel tree, e.g. with TAPC_VM_SYSROOT (see
# compiler/vm/vm_kernel.c); no BTF, which would need pahole
make -s -C "${KDIR:-/lib/modules/$release/build}" M="$work/mod" \
	CONFIG_DEBUG_INFO_BTF_MODULES= modules >"$work/mod/build.log" 2>&1 ||
	{ echo "FAIL module build"; cat "$work/mod/build.log"; exit 1; }
mod=$work/mod/tapc_hello.ko
taprun=$here/fake_taprun.sh

# run NAME [vm_selftest run options and operands]: NAME.out, NAME.err, NAME.rc
run() {
	local name=$1
	shift
	"$selftest" run "${ropt[@]}" "$@" >"$work/$name.out" 2>"$work/$name.err"
	echo $? >"$work/$name.rc"
}

# the pid of the qemu a verbose run started, from its stderr
qemu_pid() {
	sed -n 's/^tapc: vm: qemu pid \([0-9]*\)$/\1/p' "$1" | head -n 1
}

# wait until file $1 has a line $2, at most $3 s
wait_for() {
	local i=0
	while ! grep -qx -- "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt $(($3 * 10)) ] && return 1
		sleep 0.1
	done
}

gone() { [ -z "$1" ] || ! kill -0 "$1" 2>/dev/null; }

# ---- tests ----

t_release() {
	local root=${TAPC_VM_SYSROOT:-}
	[ -r "$root/boot/vmlinuz-$release" ] && [ -d "$root/lib/modules/$release" ] &&
		ok release || bad release "$release is not an installed kernel"
}

# exit status, stdout and stderr apart, no kernel log in either
t_basic() {
	run basic -l "$work/basic.log" "$taprun" "$mod" --lines 3 --exit 3
	local w=$work/basic
	if [ "$(cat "$w.rc")" != 3 ]; then
		bad basic "exit status $(cat "$w.rc"), not 3" "$w.err"
	elif [ "$(cat "$w.out")" != "$(printf 'out 1\nout 2\nout 3')" ]; then
		bad basic "stdout is wrong" "$w.out"
	elif [ "$(grep -v '^vm_run' "$w.err")" != "$(printf 'err 1\nerr 2\nerr 3')" ]; then
		bad basic "stderr is wrong" "$w.err"
	elif ! grep -q 'tapc_hello: loaded' "$w.log" ||
		grep -q 'out 1' "$w.log"; then
		bad basic "the log file is wrong" "$w.log"
	else
		ok basic
	fi
}

# output comes while the guest runs, not at the end
t_stream() {
	local w=$work/stream
	"$selftest" run "${ropt[@]}" "$taprun" "$mod" --lines 2 --sleep 4 \
		2>"$w.err" | while IFS= read -r l; do
		echo "$(date +%s.%N) $l"
	done >"$w.out"
	local t1 t2
	t1=$(awk '$2 == "out" && $3 == 1 { print $1 }' "$w.out")
	t2=$(awk '$2 == "out" && $3 == 2 { print $1 }' "$w.out")
	if [ -z "$t1" ] || [ -z "$t2" ]; then
		bad stream "missing lines" "$w.out"
	elif awk -v a="$t1" -v b="$t2" 'BEGIN { exit !(b - a >= 3) }'; then
		ok stream
	else
		bad stream "out 1 came at $t1, only just before out 2 at $t2"
	fi
}

# SIGINT or SIGTERM to the runner: taprun stops cleanly, status 0
t_signal() {
	local sig=$1 w=$work/sig$1
	"$selftest" run -v "${ropt[@]}" "$taprun" "$mod" --wait \
		>"$w.out" 2>"$w.err" &
	local pid=$!
	if ! wait_for "$w.out" waiting 120; then
		kill -KILL $pid
		wait $pid
		bad "sig$sig" "the job did not start" "$w.err"
		return
	fi
	kill -"$sig" $pid
	wait $pid
	local rc=$? q
	q=$(qemu_pid "$w.err")
	if [ $rc != 0 ]; then
		bad "sig$sig" "exit status $rc" "$w.err"
	elif [ "$(tail -n 1 "$w.out")" != stopped ]; then
		bad "sig$sig" "taprun did not stop cleanly" "$w.out"
	elif ! gone "$q"; then
		bad "sig$sig" "qemu $q is still there"
	elif ! grep -q 'tapc_hello: unloaded' "$w.err"; then
		bad "sig$sig" "the module was not unloaded" "$w.err"
	else
		ok "sig$sig"
	fi
}

# a taprun that ignores SIGINT: the second SIGINT stops the guest
t_sigtwice() {
	local w=$work/sigtwice
	"$selftest" run -v "${ropt[@]}" "$taprun" "$mod" --wait --ignore \
		>"$w.out" 2>"$w.err" &
	local pid=$!
	if ! wait_for "$w.out" waiting 120; then
		kill -KILL $pid
		wait $pid
		bad sigtwice "the job did not start" "$w.err"
		return
	fi
	kill -INT $pid
	sleep 1
	kill -INT $pid
	local start=$SECONDS
	wait $pid
	local rc=$? q
	q=$(qemu_pid "$w.err")
	if [ $rc != 255 ]; then
		bad sigtwice "exit status $rc, not 255 (-1)" "$w.err"
	elif [ $((SECONDS - start)) -gt 5 ]; then
		bad sigtwice "took $((SECONDS - start)) s to stop"
	elif ! gone "$q"; then
		bad sigtwice "qemu $q is still there"
	else
		ok sigtwice
	fi
}

# the runner killed outright: qemu dies with it (PR_SET_PDEATHSIG)
t_sigkill() {
	local w=$work/sigkill
	"$selftest" run -v "${ropt[@]}" "$taprun" "$mod" --wait \
		>"$w.out" 2>"$w.err" &
	local pid=$! q i=0
	if ! wait_for "$w.out" waiting 120; then
		kill -KILL $pid
		wait $pid
		bad sigkill "the job did not start" "$w.err"
		return
	fi
	q=$(qemu_pid "$w.err")
	kill -KILL $pid
	wait $pid 2>/dev/null
	while ! gone "$q" && [ $i -lt 50 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	gone "$q" && ok sigkill || bad sigkill "qemu $q is still there"
}

# a panic in the guest is an error with the end of the kernel log
t_panic() {
	local w=$work/panic
	run panic -c 'echo c >/proc/sysrq-trigger' "$taprun" "$mod" --lines 1
	if [ "$(cat "$w.rc")" != 255 ]; then
		bad panic "exit status $(cat "$w.rc"), not 255 (-1)" "$w.err"
	elif ! grep -q 'Kernel panic' "$w.err" || ! grep -q sysrq "$w.err"; then
		bad panic "no kernel log tail" "$w.err"
	elif grep -q 'Kernel panic' "$w.out"; then
		bad panic "the kernel log is on stdout" "$w.out"
	else
		ok panic
	fi
}

# the -c command: a host binary that busybox lacks, and ./script
t_command() {
	local w=$work/command d=$work/cwd
	mkdir -p "$d"
	printf '#!/bin/sh\necho "hello from $(basename "$0") in $(pwd)"\n' >"$d/hi.sh"
	chmod +x "$d/hi.sh"
	(cd "$d" && "$selftest" run "${ropt[@]}" \
		-c './hi.sh && stdbuf --version | head -n 1' "$taprun" "$mod" \
		--lines 1 >"$w.out" 2>"$w.err")
	if ! grep -qx "hello from hi.sh in $d" "$w.out"; then
		bad command "./hi.sh did not run in $d" "$w.out"
	elif ! grep -q 'GNU coreutils' "$w.out"; then
		bad command "stdbuf did not run" "$w.out"
	else
		ok command
	fi
}

# a closed stdout stops the job (SIGTERM forwarded)
t_epipe() {
	local w=$work/epipe start=$SECONDS rc
	"$selftest" run -v "${ropt[@]}" "$taprun" "$mod" --wait \
		2>"$w.err" | head -n 1 >"$w.out"
	rc=${PIPESTATUS[0]}
	if [ "$(cat "$w.out")" != "out 1" ]; then
		bad epipe "stdout is wrong" "$w.out"
	elif [ "$rc" != 0 ]; then
		bad epipe "exit status $rc" "$w.err"
	elif ! gone "$(qemu_pid "$w.err")"; then
		bad epipe "qemu is still there"
	else
		ok epipe
	fi
}

# three jobs (and a fourth with a command) in one boot
t_batch() {
	local d=$work/batch rc
	"$selftest" batch -v "${ropt[@]}" "$taprun" "$d" \
		"a=$mod,--lines,1" "b=$mod,--lines,2,--exit,3" \
		"c=$mod,--leak" "d=$mod,stdbuf --version,--lines,0" \
		>"$work/batch.stdout" 2>"$work/batch.stderr"
	rc=$?
	local boots
	boots=$(grep -c 'Linux version' "$d/dmesg" 2>/dev/null)
	if [ $rc != 0 ]; then
		bad batch "vm_run_batch returned $rc" "$work/batch.stderr"
	elif [ "$boots" != 1 ]; then
		bad batch "$boots boots in dmesg"
	elif [ "$(cat "$d/a.rc" "$d/b.rc" "$d/c.rc" "$d/d.rc")" != "$(printf '0\n3\n0\n0')" ]; then
		bad batch "wrong statuses: $(cat "$d"/*.rc | tr '\n' ' ')"
	elif [ "$(cat "$d/a.out")" != "out 1" ] ||
		[ "$(cat "$d/b.out")" != "$(printf 'out 1\nout 2')" ] ||
		[ "$(cat "$d/b.err")" != "$(printf 'err 1\nerr 2')" ]; then
		bad batch "wrong output" "$d/b.out"
	elif ! grep -q 'module tapc_hello is still loaded after job c' "$d/c.err"; then
		bad batch "the leak of job c is not reported" "$d/c.err"
	elif [ -s "$d/d.err" ]; then
		bad batch "job d has a stderr (the leak was not cleaned)" "$d/d.err"
	elif ! grep -q 'GNU coreutils' "$d/d.out"; then
		bad batch "job d's command did not run" "$d/d.out"
	elif [ "$(grep -c 'tapc_hello: loaded' "$d/dmesg")" != 4 ]; then
		bad batch "dmesg does not have the 4 loads" "$d/dmesg"
	elif [ -s "$work/batch.stdout" ]; then
		bad batch "something on stdout" "$work/batch.stdout"
	else
		ok batch
	fi
}

# a panic in the second of three jobs
t_batchpanic() {
	local d=$work/batchpanic rc
	"$selftest" batch "${ropt[@]}" "$taprun" "$d" \
		"a=$mod" "b=$mod,echo c >/proc/sysrq-trigger" "c=$mod" \
		>/dev/null 2>"$work/batchpanic.stderr"
	rc=$?
	if [ $rc != 255 ]; then
		bad batchpanic "vm_run_batch returned $rc, not -1" "$work/batchpanic.stderr"
	elif [ "$(cat "$d/a.rc" 2>/dev/null)" != 0 ] || [ -e "$d/b.rc" ] ||
		[ -e "$d/c.rc" ]; then
		bad batchpanic "wrong .rc files: $(ls "$d")"
	elif ! grep -q 'failed while this job ran' "$d/b.err" ||
		! grep -q 'not run' "$d/c.err"; then
		bad batchpanic "no notes in b.err and c.err" "$d/b.err"
	elif ! grep -q 'Kernel panic' "$d/dmesg"; then
		bad batchpanic "dmesg lacks the panic" "$d/dmesg"
	else
		ok batchpanic
	fi
}

# a kernel WARNING is reported on stderr and does not change the status
t_warn() {
	local w=$work/warn
	run warn "$taprun" "$mod" --lines 1 --param warn=1
	if [ "$(cat "$w.rc")" != 0 ]; then
		bad warn "exit status $(cat "$w.rc")" "$w.err"
	elif ! grep -q '^tapc: vm: guest kernel: .*WARNING: .*tapc_hello' "$w.err"; then
		bad warn "the warning is not reported" "$w.err"
	else
		ok warn
	fi
}

# an oops panics the guest: an error, the log from the oops on
t_oops() {
	local w=$work/oops
	run oops "$taprun" "$mod" --lines 1 --param oops=1
	if [ "$(cat "$w.rc")" != 255 ]; then
		bad oops "exit status $(cat "$w.rc"), not 255 (-1)" "$w.err"
	elif ! grep -q '^tapc: vm: the guest kernel crashed: .*BUG: kernel NULL pointer' "$w.err" ||
		! grep -q 'tapc_hello_init' "$w.err"; then
		bad oops "the oops is not shown" "$w.err"
	else
		ok oops
	fi
}

# Ctrl-C while the guest boots: the job does not run, no hang
t_sigboot() {
	local w=$work/sigboot start=$SECONDS
	"$selftest" run -v "${ropt[@]}" "$taprun" "$mod" --wait \
		>"$w.out" 2>"$w.err" &
	local pid=$!
	sleep 1
	kill -INT $pid
	wait $pid
	local rc=$?
	if [ $rc != 255 ]; then
		bad sigboot "exit status $rc, not 255 (-1)" "$w.err"
	elif ! grep -q '^tapc: vm: interrupted' "$w.err"; then
		bad sigboot "no message" "$w.err"
	elif [ -s "$w.out" ]; then
		bad sigboot "the job ran" "$w.out"
	elif ! gone "$(qemu_pid "$w.err")"; then
		bad sigboot "qemu is still there"
	else
		ok sigboot "$((SECONDS - start)) s"
	fi
}

# lots of output, text and binary, arrives whole
t_bulk() {
	local w=$work/bulk want got
	"$selftest" run "${ropt[@]}" -c 'seq 1 200000; head -c 20000000 /dev/zero' \
		"$taprun" "$mod" --lines 0 2>"$w.err" | md5sum >"$w.out"
	got=$(cat "$w.out")
	want=$( (seq 1 200000; head -c 20000000 /dev/zero; echo "command status 0") | md5sum)
	if [ "$got" = "$want" ]; then
		ok bulk
	else
		bad bulk "the output differs" "$w.err"
	fi
}

# a NIC whose driver can be unloaded and loaded again, and a given file
t_nic() {
	local w=$work/nic
	echo "data for the guest" >"$work/data.txt"
	run nic -n -f "$work/data.txt" -c "cat $work/data.txt; rmmod virtio_net &&
		[ ! -e /sys/class/net/eth0 ] && modprobe virtio_net &&
		sleep 0.5 && [ -e /sys/class/net/eth0 ] && echo reloaded" \
		"$taprun" "$mod" --lines 0
	if [ "$(cat "$w.rc")" != 0 ]; then
		bad nic "exit status $(cat "$w.rc")" "$w.err"
	elif ! grep -qx "data for the guest" "$w.out"; then
		bad nic "the file is not there" "$w.out"
	elif ! grep -qx reloaded "$w.out"; then
		bad nic "virtio_net did not reload" "$w.out"
	else
		ok nic
	fi
}

# every module of the kernel on a disk (all_kmods): modprobe loads one
# the initramfs lacks, with its dependency, and unloads it
t_modules() {
	local w=$work/modules
	run modules -M -c "modprobe bonding && grep -q '^tls ' /proc/modules &&
		echo loaded && modprobe -r bonding && ! grep -q '^bonding ' /proc/modules &&
		echo unloaded" "$taprun" "$mod" --lines 0
	if [ "$(cat "$w.rc")" != 0 ]; then
		bad modules "exit status $(cat "$w.rc")" "$w.err"
	elif [ "$(grep -xE 'loaded|unloaded' "$w.out" | tr '\n' ' ')" != "loaded unloaded " ]; then
		bad modules "modprobe did not load and unload bonding" "$w.out"
	else
		ok modules
	fi
}

# the real taprun with a module tapc built, when the tree builds them:
# output, and SIGINT running the end probe
t_real() {
	local w=$work/real ko
	if [ ! -d "/lib/modules/$release/build" ]; then
		echo "SKIP real: tapc builds only for installed kernels"
		return
	fi
	if ! make -s -C "$top" tapc taprun >"$w.build" 2>&1; then
		echo "SKIP real: tapc or taprun does not build"
		return
	fi
	ko=$("$top/tapc" -p4 -r "$release" -e 'probe begin { println("started") }
		probe end { println("end ran") }' 2>"$w.build") ||
		{ bad real "tapc -p4 failed" "$w.build"; return; }
	"$selftest" run "${ropt[@]}" "$top/taprun" "$ko" >"$w.out" 2>"$w.err" &
	local pid=$!
	if ! wait_for "$w.out" started 120; then
		kill -KILL $pid
		wait $pid
		bad real "the script did not start" "$w.err"
		return
	fi
	kill -INT $pid
	wait $pid
	local rc=$?
	if [ $rc != 0 ]; then
		bad real "exit status $rc" "$w.err"
	elif [ "$(cat "$w.out")" != "$(printf 'started\nend ran')" ]; then
		bad real "wrong output" "$w.out"
	else
		ok real
	fi
}

# nothing left behind: the runner makes no files at all
t_tempfiles() {
	local t=$work/tmpdir
	mkdir -p "$t"
	TMPDIR=$t run tempfiles "$taprun" "$mod" --lines 1
	if [ "$(cat "$work/tempfiles.rc")" != 0 ]; then
		bad tempfiles "exit status $(cat "$work/tempfiles.rc")" "$work/tempfiles.err"
	elif [ -n "$(ls -A "$t")" ]; then
		bad tempfiles "left: $(ls -A "$t")"
	else
		ok tempfiles
	fi
}

all="release basic stream signal_INT signal_TERM sigtwice sigboot sigkill panic oops warn
command nic modules bulk epipe batch batchpanic tempfiles real"
for t in ${@:-$all}; do
	case $t in
	signal_*) t_signal "${t#signal_}" ;;
	*) "t_$t" ;;
	esac
done
echo "tests/vm: $pass passed, $fail failed${failed:+:$failed}"
[ $fail = 0 ]
