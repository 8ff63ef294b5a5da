#!/usr/bin/env bash
# bench/parse.sh - how long pass 1 takes over every script Debian's
# systemtap-doc and systemtap-common ship (the files tests/realworld
# parses, with the same options and arguments), in one process.
# The target is well under a second for all of them.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
make -s -C "$ROOT" build/parsebench
RELEASE=${RELEASE:-$("$ROOT/tapc" --print-vm-kernel 2>/dev/null || uname -r)}
JOBS=$(mktemp /tmp/tapc-parsebench.XXXXXX)
trap 'rm -f "$JOBS"' EXIT
bash "$ROOT/tests/realworld/run.sh" --list > "$JOBS"
"$ROOT/build/parsebench" -n "${ROUNDS:-7}" -r "$RELEASE" \
	-I /usr/share/systemtap/tapset "$JOBS"
