#!/usr/bin/env bash
# scripts/p3-snapshot.sh DIR - what passes 2 and 3 make of every script the
# tests use, one file each in DIR: tapc -p3 of every guest script and
# example (DIR/p3/NAME.c), tapc -p2 of every tests/elab and tests/errors
# script (DIR/p2/NAME, stdout and stderr).  A refactoring that keeps the
# compiler's behaviour leaves "diff -r OLD NEW" empty.
#
#   TAPC=PATH  the tapc to run (default: the tree's)
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TAPC=${TAPC:-$ROOT/tapc}
OUT=${1:?usage: p3-snapshot.sh DIR}
mkdir -p "$OUT/p3" "$OUT/p2"
export XDG_CACHE_HOME=${XDG_CACHE_HOME:-$(mktemp -d /tmp/tapc-snap.XXXXXX)}
REL=$("$TAPC" --print-vm-kernel)

one() { # script pass outfile
	local f=$1 pass=$2 out=$3 opts args=()
	opts=$(sed -n 's/^# tapc-options: //p' "$f")
	opts=${opts//@RELEASE@/$REL}
	eval "args=($(sed -n 's/^# tapc-args: //p' "$f"))"
	# shellcheck disable=SC2086
	(cd "$(dirname "$f")" && "$TAPC" -r "$REL" $opts -p"$pass" \
		"$(basename "$f")" "${args[@]}") > "$out.raw" 2>&1
	echo "exit $?" >> "$out.raw"
	# The tree's own path, so that two worktrees compare equal.
	sed "s|$ROOT|@ROOT@|g" "$out.raw" > "$out" && rm -f "$out.raw"
}
export -f one
export TAPC REL ROOT

{
	for f in "$ROOT"/tests/guest/*.stp "$ROOT"/tests/guest/*/*.stp \
		 "$ROOT"/examples/*.stp; do
		echo "$f 3 $OUT/p3/$(basename "$f" .stp).c"
	done
	for f in "$ROOT"/tests/elab/*.stp "$ROOT"/tests/errors/*.stp; do
		d=$(basename "$(dirname "$f")")
		echo "$f 2 $OUT/p2/$d.$(basename "$f" .stp)"
	done
} | xargs -P "$(nproc)" -L1 bash -c 'one "$1" "$2" "$3"' _
echo "p3-snapshot: $(ls "$OUT/p3" | wc -l) translations, $(ls "$OUT/p2" | wc -l) elaborations in $OUT"
