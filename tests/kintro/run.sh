#!/usr/bin/env bash
# tests/kintro/run.sh RELEASE - the kernel-introspection library
# (compiler/kintro/) tested alone: builds build/kintro_test, which links
# only build/libkintro.a, util.o and progress.o, and runs it on the release's -dbg
# vmlinux (kintro_test.c says what it checks).  Prints PASS/FAIL lines
# and "N passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
rel=$1
make -s -C "$top" build/kintro_test || { echo "FAIL kintro/build"; exit 1; }
if [ -z "${XDG_CACHE_HOME:-}" ]; then	# where the DWARF index goes
	XDG_CACHE_HOME=$(mktemp -d)
	trap 'rm -rf "$XDG_CACHE_HOME"' EXIT
	export XDG_CACHE_HOME
fi
"$top/build/kintro_test" "$rel"
