#!/usr/bin/env bash
# bench/dwarf.sh - the DWARF index: `tapc -L 'kernel.function("vfs_*")'`
# cold (the index of vmlinux built from its DWARF and saved) and warm
# (the saved index read), against the guest's kernel.  The target is
# well under a second warm.  Uses a scratch XDG_CACHE_HOME, so the
# user's cache is left alone.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
make -s -C "$ROOT" tapc
RELEASE=${RELEASE:-$("$ROOT/tapc" --print-vm-kernel)}
ROUNDS=${ROUNDS:-5}
export XDG_CACHE_HOME=$(mktemp -d /tmp/tapc-dwarfbench.XXXXXX)
trap 'rm -rf "$XDG_CACHE_HOME"' EXIT
PP='kernel.function("vfs_*")'

run() {	# prints the wall time of one -L in ms
	local t0 t1
	t0=$(date +%s%N)
	"$ROOT/tapc" -r "$RELEASE" -L "$PP" > /dev/null
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000000 ))
}

echo "kernel $RELEASE, tapc -L '$PP' ($("$ROOT/tapc" -r "$RELEASE" -L "$PP" | wc -l) points)"
cold=()
for ((i = 0; i < ROUNDS; i++)); do
	rm -rf "${XDG_CACHE_HOME:?}"/tapc
	cold+=("$(run)")
done
warm=()
for ((i = 0; i < ROUNDS; i++)); do
	warm+=("$(run)")
done
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
echo "cold (index built): median $(median "${cold[@]}") ms of ${cold[*]}"
echo "warm (index read):  median $(median "${warm[@]}") ms of ${warm[*]}"
echo "index file: $(du -h "$XDG_CACHE_HOME"/tapc/dwarf-*.idx | cut -f1)"
