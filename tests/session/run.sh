#!/usr/bin/env bash
# tests/session/run.sh - the session's tests: tapc's command line and
# module cache (host), taprun's options and signals with tapc-built
# modules (cases.sh, one batch job each, all in one guest boot), one
# whole tapc --vm session with --vm-net, -T and -v, and one with
# --vm-append nokaslr where kernel.statement(ADDR).absolute fires.
#
#   bash tests/session/run.sh [-k] [-r RELEASE] [host|guest]
#
# Last line: "tests/session: N passed, N failed".
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
TAPC=$top/tapc
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
what=${1:-all}

work=$(mktemp -d "${TMPDIR:-/tmp}/tapc-session.XXXXXX")
cleanup() {
	[ $keep = 1 ] && echo "work directory: $work" || rm -rf "$work"
}
trap cleanup EXIT
export XDG_CACHE_HOME=$work/cache
[ -n "$release" ] || release=$("$TAPC" --print-vm-kernel)

. "$top/tests/lib/suite.sh"

# ---- host: the command line ----

t_options() {
	local out=$work/opt
	if "$TAPC" --version >"$out" 2>&1 && grep -qx 'tapc [0-9.]*' "$out"; then
		ok version
	else
		bad version "no 'tapc VERSION'" "$out"
	fi
	if "$TAPC" --help >"$out" 2>&1 && [ "$("$TAPC" -h)" = "$(cat "$out")" ] &&
		(for o in -e -c -x -o -v -p -k -m -g -D -I -r -T -s -b -l -L -w \
			--vm --vm-kernel --vm-net --vm-file --vm-modules \
			--vm-append --disable-cache \
			--clean-cache; do
			grep -q -- "  $o " "$out" || { echo "missing $o"; exit 1; }
		done) >"$work/missing"; then
		ok help
	else
		bad help "an option is not described" "$work/missing"
	fi
	# -l lists matching points; -L adds their variables with types.
	"$TAPC" -r "$release" -l 'kernel.function("vfs_rea*")' >"$out" 2>&1
	if [ $? = 0 ] && grep -qx 'kernel.function("vfs_read")' "$out"; then
		ok list
	else
		bad list "-l does not list vfs_read" "$out"
	fi
	"$TAPC" -r "$release" -L 'kernel.function("vfs_read")' >"$out" 2>&1
	if [ $? = 0 ] && grep -q '^kernel.function("vfs_read@fs/read_write.c:[0-9]*") .*\$file:struct file\* ' "$out"; then
		ok list-vars
	else
		bad list-vars "-L does not show \$file:struct file*" "$out"
	fi
	# "func@file+N" (relative to the declaration, what the guest test
	# dwarf_statement uses on every kernel) and the absolute ":LINE" it
	# lists name the same statement.
	local st abs
	st='kernel.statement("do_sys_openat2@fs/open.c'
	"$TAPC" -r "$release" -l "$st+16\")" >"$out" 2>&1
	abs=$(sed -n 's/^kernel.statement("do_sys_openat2@fs\/open.c:\([0-9]*\)")$/\1/p' "$out")
	if [ -n "$abs" ] && [ "$("$TAPC" -r "$release" -l "$st:$abs\")" 2>&1)" = \
		"$(cat "$out")" ]; then
		ok list-statement-relative
	else
		bad list-statement-relative "+16 and :LINE differ" "$out"
	fi
	"$TAPC" -p 9 -e 'probe begin {}' >"$out" 2>&1
	if [ $? = 1 ]; then ok bad-pass; else bad bad-pass "-p 9 accepted" "$out"; fi
	t_vm_append
}

# --vm-append refuses what the guest runner sets itself, before building
# or booting anything (the positive case is vm_absolute's boot).
t_vm_append() {
	local out=$work/append a want
	for a in 'nokaslr init=/bin/sh|init=/bin/sh is not allowed: the guest runs the runner'"'"'s /init' \
		 'x "loglevel=7"|"loglevel=7" is not allowed: the runner reads oopses and warnings in the kernel log' \
		 'nokaslr -- x|-- is not allowed: what follows it would go to the runner'"'"'s /init' \
		 'dyndbg="file x.c|dyndbg="file x.c: a quote is not closed'; do
		want="tapc: vm: --vm-append: ${a#*|}"
		"$TAPC" --vm-append "${a%%|*}" -e 'probe begin { exit() }' \
			>"$out" 2>"$out.err"
		if [ $? != 1 ] || [ -s "$out" ] || [ "$(cat "$out.err")" != "$want" ]; then
			echo "want: $want" >>"$out.err"
			bad vm-append-refused "accepted, or not as said: ${a%%|*}" "$out.err"
			return
		fi
	done
	ok vm-append-refused
}

# tapc -p4 -v SCRIPT... into NAME.out (the path) and NAME.err
p4() {
	local name=$1
	shift
	(cd "$work" && "$TAPC" -r "$release" -p4 -v "$@") >"$work/$name.out" \
		2>"$work/$name.err"
}

# module entries only: the DWARF indexes (dwarf-*.idx, .inl) live there too
entries() { ls "$XDG_CACHE_HOME/tapc" 2>/dev/null | grep -v "^dwarf-" | wc -l; }

t_cache() {
	local s=$here/count.stp cold warm
	p4 cold "$s"
	cold=$(cat "$work/cold.out")
	if [ ! -f "$cold" ] || ! grep -q '^Pass 4: compiled C into ' "$work/cold.err"; then
		bad cache-cold "no module built" "$work/cold.err"
		return
	fi
	ok cache-cold
	p4 warm "$s"
	warm=$(cat "$work/warm.out")
	if [ "$warm" = "$cold" ] && ! grep -q '^Pass [234]: ' "$work/warm.err" &&
		grep -q "^Pass 2-4: using the cached module $cold " "$work/warm.err"; then
		ok cache-hit "$(sed -n 's/.*(looked up in \(.*\))$/\1/p' "$work/warm.err")"
	else
		bad cache-hit "the second run did not use the cache" "$work/warm.err"
	fi
	# what changes the code changes the key
	p4 define "$s" -D MAXACTION=999 &
	p4 args "$s" an-argument &
	p4 modname -m tapc_session_m "$s" &
	wait
	if [ "$(cat "$work/define.out")" != "$cold" ] &&
		[ "$(cat "$work/args.out")" != "$cold" ] &&
		[ "$(basename "$(cat "$work/modname.out")")" = tapc_session_m.ko ] &&
		grep -q '^Pass 4: compiled' "$work/define.err" &&
		[ "$(entries)" = 4 ]; then
		ok cache-key
	else
		bad cache-key "-D, arguments or -m did not make a new entry" "$work/define.err"
	fi
	# -k builds anyway, keeps its directory, and says where
	p4 keep -k "$s"
	local kept
	kept=$(sed -n 's/^tapc: kept the build directory //p' "$work/keep.err")
	if [ -n "$kept" ] && [ -f "$kept/$(basename "$cold" .ko).c" ] &&
		grep -q '^Pass 4: compiled' "$work/keep.err"; then
		ok keep
		rm -rf "$kept"
	else
		bad keep "no kept build directory" "$work/keep.err"
	fi
	# --disable-cache: built, left in the current directory, cache untouched
	p4 nocache --disable-cache "$s"
	if grep -q '^Pass 4: compiled' "$work/nocache.err" &&
		[ "$(cat "$work/nocache.out")" = "$(basename "$cold")" ] &&
		[ -f "$work/$(basename "$cold")" ] && [ "$(entries)" = 4 ]; then
		ok disable-cache
	else
		bad disable-cache "wrong" "$work/nocache.err"
	fi
	# --clean-cache alone empties it
	if "$TAPC" --clean-cache && [ "$(entries)" = 0 ]; then
		ok clean-cache
	else
		bad clean-cache "entries left: $(entries)"
	fi
}

# ---- the guest: taprun with tapc-built modules, one boot ----

guest_build() {
	local s name opts
	mkdir -p "$work/bin"
	for s in getppid_loop pingpong; do
		${CC:-gcc} -O2 -static -o "$work/bin/$s" "$top/tests/runtime/$s.c" ||
			{ bad "build/$s" "cannot build"; return 1; }
	done
	{
		echo "BIN=$work/bin"
		for s in count exit error flood order; do
			case $s in
			flood) opts="-D MAXACTION=10000000" ;;
			order) opts=-g ;;
			*) opts= ;;
			esac
			name=$(echo $s | tr a-z A-Z)
			# shellcheck disable=SC2086
			if ! p4 "build-$s" $opts "$here/$s.stp"; then
				bad "build/$s" "tapc -p4 failed" "$work/build-$s.err"
				return 1
			fi
			echo "$name=$(cat "$work/build-$s.out")"
		done
	} >"$work/guest.env"
}

guest_run() {
	guest_build || return
	CASES_QUIET=1 run_cases guest "$work/guest.env" "$here/cases.sh" \
		"c x o T exit error sigint sigterm sighup sigint2 stale drops order bulk" \
		"$work"/bin/*
}

# ---- one whole tapc --vm session: a NIC, -v's timings ----

vm_session() {
	local out=$work/vm.out err=$work/vm.err rc
	# The session ends when the command does (-T has its own case in
	# cases.sh: a -T here raced the command on a loaded host).
	"$TAPC" --vm-kernel "$release" --vm-net -v -e '
		probe begin { printf("begin\n") }
		probe end { printf("end\n") }' \
		-c 'cat /sys/class/net/eth0/operstate' >"$out" 2>"$err"
	rc=$?
	if [ $rc = 0 ] && [ "$(sed -n 1p "$out")" = begin ] &&
		grep -qxE 'up|down|unknown' <(sed -n 2p "$out") &&
		[ "$(tail -n 1 "$out")" = end ] &&
		grep -q '^Pass 5: ran the session in ' "$err" &&
		grep -q '^tapc: vm: first output .* after starting qemu' "$err"; then
		ok "vm-session" "$(sed -n 's/^tapc: vm: first output \([0-9.]* s\) after.*/first output \1 after qemu started/p' "$err")"
	else
		{ echo "rc=$rc"; cat "$out"; grep -v '^\[' "$err" | tail -n 20; } >"$work/msg"
		bad vm-session "wrong" "$work/msg"
	fi
}

# ---- tapc --vm -T: the time limit reaches taprun in the guest ----

vm_time_limit() {
	local out=$work/vmT.out err=$work/vmT.err rc
	"$TAPC" --vm-kernel "$release" -v -T 1 -e '
		probe begin { printf("begin\n") }
		probe end { printf("end\n") }' -c 'sleep 100' >"$out" 2>"$err"
	rc=$?
	if [ $rc = 0 ] && [ "$(printf 'begin\nend')" = "$(cat "$out")" ] &&
		grep -q '^taprun: time limit (-T) reached' "$err"; then
		ok "vm-time-limit"
	else
		{ echo "rc=$rc"; cat "$out"; grep -v '^\[' "$err" | tail -n 20; } >"$work/msg"
		bad vm-time-limit "wrong" "$work/msg"
	fi
}

# ---- kernel.statement(ADDR).absolute fires: a guest without KASLR ----

# The entry of function $2 in System.map $1, and the address of the
# first instruction past its entry that does work (not the ftrace call,
# endbr64, a push or a nop) and that every call runs (no branch before
# it), from the code of vmlinux $3: "ENTRY INNER", hex without 0x.
absolute_addrs() {
	local entry end
	entry=$(awk -v f="$2" '$3 == f { print $1; exit }' "$1")
	[ -n "$entry" ] || return 1
	# the function ends where the next higher symbol starts
	end=$(awk -v e="$entry" '$1 > e { print $1; exit }' "$1")
	[ -n "$end" ] || return 1
	objdump -d --no-show-raw-insn --start-address="0x$entry" \
		--stop-address="0x$end" "$3" |
		awk -v e="$entry" '
			/^ *[0-9a-f]+:\t/ {
				addr = $1; sub(":", "", addr); op = $2
				if (op ~ /^(j|ret|int3|ud)/) exit 1
				if (addr != e && op !~ /^(call|nop|endbr|push)/) {
					print e, addr; found = 1; exit
				}
			}
			END { if (!found) exit 1 }'
}

# A whole tapc --vm session booted with --vm-append nokaslr: addresses
# read on the host (System.map, objdump of vmlinux, at test time) are
# then the guest's.  With KASLR the same probes are refused at
# registration (ENOENT) and the output below would be missing.
vm_absolute() {
	local out=$work/abs.out err=$work/abs.err rc addrs entry inner
	local map=/usr/lib/debug/boot/System.map-$release
	local vmlinux=/usr/lib/debug/boot/vmlinux-$release
	addrs=$(absolute_addrs "$map" __x64_sys_getppid "$vmlinux")
	if [ -z "$addrs" ]; then
		bad vm-absolute "no addresses for __x64_sys_getppid in $map and $vmlinux"
		return
	fi
	entry=${addrs% *} inner=${addrs#* }
	# two probes on the inner address (kernel. and kprobe.) share one
	# kprobe in the kernel; each counts its own hits, by pp()
	"$TAPC" --vm-kernel "$release" --vm-append nokaslr -g -e '
		global hits
		probe kernel.statement($1).absolute, kernel.statement($2).absolute,
		      kprobe.statement($2).absolute {
			if (execname() == "getppid_loop")
				hits[pp()]++
		}
		probe end {
			foreach (p+ in hits)
				printf("%s %d\n", p, hits[p])
		}' "0x$entry" "0x$inner" -c "$work/bin/getppid_loop 7" >"$out" 2>"$err"
	rc=$?
	printf '%s.statement(0x%s).absolute 7\n' kernel "$entry" kernel "$inner" \
		kprobe "$inner" >"$work/abs.want"
	if [ $rc = 0 ] && [ ! -s "$err" ] && diff -u "$work/abs.want" "$out" >"$work/abs.diff"; then
		ok vm-absolute "__x64_sys_getppid+0x$(printf %x $((0x$inner - 0x$entry)))"
	else
		{ echo "rc=$rc"; cat "$work/abs.diff" "$err"; } >"$work/msg"
		bad vm-absolute "wrong" "$work/msg"
	fi
}

if [ "$what" = all ] || [ "$what" = host ]; then
	t_options
	t_cache
fi
if [ "$what" = all ] || [ "$what" = guest ]; then
	guest_run
	vm_session
	vm_time_limit
	vm_absolute
fi
echo "tests/session: $pass passed, $fail failed"
[ $fail = 0 ]
