#!/usr/bin/env bash
# tests/nodebug/run.sh TAPC RELEASE - kprobe.* probes need no debuginfo
# (stap's DWARFLESS family).  Each script here is compiled twice: as is,
# and under strace with every open of the release's debug vmlinux and of
# the debug virtio_net.ko failing with ENOENT, as if linux-image-*-dbg
# were not installed.  Both must succeed with the same C (-p3); the first
# script is also built to a .ko that way (-p4).  A script that needed the
# DWARF would fail or change.  The DWARF index must not even be looked
# for.  Prints "N passed, N failed".
set -uo pipefail

# Under make check-asan: LeakSanitizer cannot stop the world of a
# process under ptrace (strace here) and aborts it, so leak checks are
# off in this suite; ASan and UBSan still run.
if [ -n "${ASAN_OPTIONS:-}" ]; then
	export ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0"
fi
TAPC=$(realpath "$1")
REL=$2
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
passed=0 failed=0
DEBUG_VMLINUX=/usr/lib/debug/boot/vmlinux-$REL
DEBUG_KO=$(find "/usr/lib/debug/lib/modules/$REL" -name virtio_net.ko | head -1)

ok() { echo "PASS nodebug/$1"; passed=$((passed + 1)); }
ko() { echo "FAIL nodebug/$1: $2"; sed 's/^/    /' "$WORK/log" 2>/dev/null | head -20
       failed=$((failed + 1)); }

# Runs tapc with the debuginfo hidden: the opens strace saw into $WORK/opens.
hidden() {
	strace -f -qq -o "$WORK/opens" -P "$DEBUG_VMLINUX" -P "$DEBUG_KO" \
		-e trace=openat -e inject=openat:error=ENOENT "$TAPC" "$@"
}

if [ ! -f "$DEBUG_VMLINUX" ] || [ -z "$DEBUG_KO" ] || ! command -v strace >/dev/null; then
	echo "FAIL nodebug: needs strace and the debuginfo of $REL to hide"
	echo "0 passed, 1 failed"
	exit 1
fi

for f in "$HERE"/*.stp; do
	name=$(basename "$f" .stp)
	export XDG_CACHE_HOME="$WORK/cache-$name"
	if ! strace -f -qq -o "$WORK/all" -e trace=openat,open,stat,newfstatat \
		"$TAPC" -r "$REL" -p3 "$f" > "$WORK/with.c" 2> "$WORK/log"; then
		ko "$name" "does not compile with the debuginfo"; continue
	fi
	if grep -q 'dwarf-[^"]*\.idx' "$WORK/all"; then
		grep 'dwarf-' "$WORK/all" > "$WORK/log"
		ko "$name" "looks for the DWARF index"; continue
	fi
	if ! hidden -r "$REL" -p3 "$f" > "$WORK/without.c" 2> "$WORK/log"; then
		ko "$name" "does not compile without the debuginfo"; continue
	fi
	if ! grep -q ENOENT "$WORK/opens"; then
		ko "$name" "strace hid nothing (is the path right?)"; continue
	fi
	if ! diff -u "$WORK/with.c" "$WORK/without.c" > "$WORK/log"; then
		ko "$name" "the C differs without the debuginfo"; continue
	fi
	ok "$name"
done

f=$(ls "$HERE"/*.stp | head -1)
export XDG_CACHE_HOME="$WORK/cache-p4"
if hidden -r "$REL" -p4 "$f" > "$WORK/ko" 2> "$WORK/log" &&
   [ -f "$(cat "$WORK/ko")" ]; then
	ok "p4-$(basename "$f" .stp)"
else
	ko "p4-$(basename "$f" .stp)" "no .ko without the debuginfo"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
