#!/bin/sh
# tapset-doc.sh - print the tapset reference (markdown) generated from
# the doc comments of tapset/*.stp and tapset/x86_64/*.stp.  `make doc`
# writes it to docs/tapset-reference.md; tests/run checks that file is
# current.  Exit status 1, with the reasons on stderr, when a public
# function's doc comment is missing or incomplete.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../tapset"
files=$(LC_ALL=C ls *.stp; LC_ALL=C ls x86_64/*.stp 2>/dev/null || true)
# shellcheck disable=SC2086 # file names have no spaces
exec awk -f "$here/tapset-doc.awk" $files
