#!/bin/sh
# tapset-doc.sh [--man DIR] - print the tapset reference (markdown)
# generated from the doc comments of tapset/*.stp and tapset/x86_64/*.stp,
# or with --man write it as manual pages (section 3tapc: NAME.3tapc and
# probe::NAME.3tapc) into DIR.  `make doc` writes the markdown to
# docs/tapset-reference.md, which tests/run checks is current; `make`
# writes the pages to build/man3, so they are never stale.  Exit status
# 1, with the reasons on stderr, when a public function's doc comment is
# missing or incomplete.
set -eu
mandir=
if [ "${1:-}" = --man ]; then
	mandir=$(mkdir -p "$2" && cd "$2" && pwd)
fi
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../tapset"
files=$(LC_ALL=C ls *.stp; LC_ALL=C ls x86_64/*.stp 2>/dev/null || true)
# shellcheck disable=SC2086 # file names have no spaces
exec awk -v mandir="$mandir" -f "$here/tapset-doc.awk" $files
