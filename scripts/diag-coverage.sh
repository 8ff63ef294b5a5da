#!/usr/bin/env bash
# scripts/diag-coverage.sh - which diagnostic tags the host tests trigger.
#
#   scripts/diag-coverage.sh           run the host tests, then list every
#                                      tag of compiler/diag.h as "yes" or
#                                      "no", the uncovered ones and a count
#   scripts/diag-coverage.sh LOG       the same from LOG, a list of reported
#                                      tags (one a line) a run already wrote
#   scripts/diag-coverage.sh -q LOG    only the count line (tests/run)
#
# tapc built with -DTAPC_DIAG_LOG (the Makefile's diag.o) appends each tag
# it reports to the file $TAPC_DIAG_LOG; tests/run host sets that.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
quiet=0
[ "${1:-}" = -q ] && { quiet=1; shift; }

if [ $# -ge 1 ]; then
	log=$1
else
	dir=$(mktemp -d /tmp/diag-coverage.XXXXXX)
	trap 'rm -rf "$dir"' EXIT
	log=$dir/log
	: > "$log"
	TAPC_DIAG_LOG=$log bash "$ROOT/tests/run" host \
		> "$dir/run" 2>&1
	tail -1 "$dir/run"
fi

# The kebab names, in the order of the list: X(DG_NAME, "name", ...
tags=$(sed -n 's/^[[:space:]]*X(DG_[A-Z0-9_]*, "\([a-z0-9-]*\)",.*/\1/p' \
	"$ROOT/compiler/diag.h")
total=$(printf '%s\n' $tags | wc -l)
uncovered=()
for t in $tags; do
	if [ -f "$log" ] && grep -qx -- "$t" "$log"; then
		[ $quiet = 1 ] || echo "yes $t"
	else
		[ $quiet = 1 ] || echo "no  $t"
		uncovered+=("$t")
	fi
done
if [ ! -s "$log" ]; then
	echo "diag coverage: no tags logged (tapc built without -DTAPC_DIAG_LOG?)"
	exit 0
fi
[ $quiet = 1 ] || echo "uncovered: ${uncovered[*]}"
echo "diag coverage: ${#uncovered[@]} of $total tags triggered by no host test"
