#!/bin/sh
# make-deb.sh - make deb: a Debian package of the committed tree (what a
# clone has: git archive HEAD), built by dpkg-buildpackage with debhelper
# in build/deb, then checked by lintian, whose errors fail the build.
# Prints the package's path last.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/^tapc (\([^)]*\)).*/\1/p' "$top/debian/changelog" | head -n 1)
out=$top/build/deb
src=$out/tapc-$version
rm -rf "$out"
mkdir -p "$src"
git -C "$top" archive HEAD | tar -x -C "$src"
(cd "$src" && dpkg-buildpackage -us -uc -b) > "$out/build.log" 2>&1 || {
	tail -n 30 "$out/build.log" >&2
	exit 1
}
deb=$out/tapc_${version}_amd64.deb
# lintian: errors fail; warnings are shown
lintian --fail-on error "$deb" > "$out/lintian.log" 2>&1 || {
	cat "$out/lintian.log" >&2
	exit 1
}
cat "$out/lintian.log"
echo "$deb"
