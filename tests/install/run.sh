#!/usr/bin/env bash
# tests/install/run.sh - make install into a temporary DESTDIR: the
# installed tapc builds a one-liner (-p4) and runs one in the guest
# (--vm), finds its files again once the tree is moved, honours -R and
# TAPC_RUNTIME, and make uninstall leaves no file behind.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/tapc-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
release=$("$top/tapc" --print-vm-kernel)
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() {
	fail=$((fail + 1)); echo "FAIL $1"
	[ -f "$work/log" ] && sed 's/^/    /' "$work/log" | tail -n 20
}
check() { # name command...: passes when the command does
	local name=$1; shift
	if "$@" > "$work/log" 2>&1; then ok "$name"; else bad "$name"; fi
}

dest=$work/dest
prefix=/opt/tapc-test
root=$dest$prefix
one='probe kernel.function("vfs_read") { println("read by ", execname()); exit() }'

check install make -s -C "$top" install DESTDIR="$dest" PREFIX="$prefix"
check installed-files test -x "$root/bin/tapc" -a -x "$root/bin/taprun" \
	-a -f "$root/share/tapc/tapset/context.stp" \
	-a -f "$root/share/tapc/runtime/kernel/runtime.h" \
	-a -f "$root/share/tapc/runtime/guest/init.sh" \
	-a -L "$root/share/tapc/bin/stap"
manpage() { # section name: the installed page renders
	MANWIDTH=80 man -M "$root/share/man" "$1" "$2" | grep -q "$2"
}
check man-tapc manpage 1 tapc
check completion test -f "$root/share/bash-completion/completions/tapc"
check man-tapset manpage 3tapc execname
check man-tapset-probe manpage 3tapc probe::vfs.read

# -p4 with the installed tree only: the source tree is out of reach.
p4() { # tapc-path
	(cd "$work" && "$1" -r "$release" --disable-cache -p4 -m t_inst -e "$one" &&
		test -s t_inst.ko && rm t_inst.ko)
}
check installed-p4 p4 "$root/bin/tapc"
check stap-link "$root/share/tapc/bin/stap" -p2 -e 'probe begin { println(pid()) }'

# In the guest: the installed taprun and guest init.
vm() {
	"$root/bin/tapc" --vm-kernel "$release" -e "$one" -c 'cat /dev/null' \
		> "$work/vm.out" 2>&1 && grep -q '^read by ' "$work/vm.out"
}
if vm; then ok installed-vm; else cp "$work/vm.out" "$work/log"; bad installed-vm; fi

# Moved elsewhere, the tree still finds itself.
mv "$root" "$work/moved"
check relocated-p4 p4 "$work/moved/bin/tapc"
# -R and TAPC_RUNTIME name the runtime: a copy of it works, a folder
# without one is refused before kbuild.
cp -r "$work/moved/share/tapc/runtime" "$work/rt"
build_with() { # runtime-folder [-R]: a -p4 build with it
	local tapc=$work/moved/bin/tapc
	if [ "${2:-}" = -R ]; then
		(cd "$work" && "$tapc" -R "$1" -r "$release" --disable-cache -p4 \
			-m t_inst -e "$one")
	else
		(cd "$work" && TAPC_RUNTIME=$1 "$tapc" -r "$release" \
			--disable-cache -p4 -m t_inst -e "$one")
	fi
}
check runtime-option build_with "$work/rt" -R
check runtime-env build_with "$work/rt"
refused() { # build_with's arguments
	! build_with "$@" 2> "$work/err" &&
		grep -q "^tapc: error: no tapc runtime in $work/none " "$work/err"
}
check runtime-option-missing refused "$work/none" -R
check runtime-env-missing refused "$work/none"
rm -f "$work/t_inst.ko"
mv "$work/moved" "$root"

check uninstall make -s -C "$top" uninstall DESTDIR="$dest" PREFIX="$prefix"
left() { [ -z "$(find "$dest" ! -type d)" ] && [ ! -d "$root/share" ]; }
if left; then ok uninstall-clean; else find "$dest" > "$work/log"; bad uninstall-clean; fi

echo "$pass passed, $fail failed"
[ $fail = 0 ]
