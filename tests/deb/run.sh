#!/usr/bin/env bash
# tests/deb/run.sh - make deb, then the package on a fresh Debian 12.
#
# Builds the package (scripts/make-deb.sh: dpkg-buildpackage, debhelper,
# lintian without errors), unpacks the fresh minimal root tests/fresh
# keeps (that suite runs first and makes it once), installs the
# package there with `apt install ./tapc_*.deb` from Debian's archive, as
# a new user would, and runs the installed tapc: -p4 of a one-liner
# against the kernel headers installed beside it, its manual pages, and
# that apt removes all of it.  Root only (chroot).  Last line: "N passed, N failed".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${FRESH_CACHE:-/var/tmp/tapc-fresh}
WORK=$(mktemp -d /var/tmp/tapc-deb-run.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS deb/$1"; }
fail() {
	failed=$((failed + 1)); echo "FAIL deb/$1"
	[ -n "${2:-}" ] && tail -n 30 "$2" | sed 's/^/    /'
	return 0
}
finish() { echo "$passed passed, $failed failed"; [ "$failed" = 0 ]; exit; }

# Runs a command as root in the unpacked root, with its own mounts.
in_root() { # log command
	local log=$1; shift
	unshare --mount --propagation private bash -c '
		r=$1; shift
		mount -t proc proc "$r/proc" && mount --rbind /sys "$r/sys" &&
		mount --rbind /dev "$r/dev" || exit 97
		cp /etc/resolv.conf "$r/etc/resolv.conf"
		exec chroot "$r" /usr/bin/env -i HOME=/root TERM=dumb \
			DEBIAN_FRONTEND=noninteractive \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			bash -c "cd /root && $*"
	' _ "$WORK/root" "$@" > "$log" 2>&1
}

[ "$(id -u)" = 0 ] || { echo "deb: needs root"; failed=1; finish; }
if deb=$(sh "$ROOT/scripts/make-deb.sh" 2> "$WORK/make.err" | tail -n 1) &&
   [ -f "$deb" ]; then
	pass "make-deb (lintian: no errors)"
else
	fail make-deb "$WORK/make.err"; finish
fi

# tests/fresh (run before this suite) makes and keeps the root
[ -s "$CACHE/bookworm-minbase.tar" ] || { echo "no $CACHE/bookworm-minbase.tar: run tests/fresh first" > "$WORK/root.err"; fail root "$WORK/root.err"; finish; }
mkdir -p "$WORK/root"
tar -C "$WORK/root" -xf "$CACHE/bookworm-minbase.tar"
cp -a /etc/apt/sources.list.d "$WORK/root/etc/apt/" 2>/dev/null
[ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$WORK/root/etc/apt/"
rm -f "$WORK"/root/etc/apt/sources.list.d/*disabled* 2>/dev/null
cp "$deb" "$WORK/root/root/"

# without the Recommends' qemu (hundreds of MB the test has no use for):
# the package, the headers of a kernel, and man to read its pages
if in_root "$WORK/install.log" "apt-get update -q && apt-get install -y -q --no-install-recommends ./$(basename "$deb") linux-headers-cloud-amd64 man-db"; then
	pass "apt-install"
else
	fail apt-install "$WORK/install.log"; finish
fi
# the release whose headers were installed
one='probe begin { println(\"hi\") } probe kprobe.function(\"vfs_read\") { exit() }'
if in_root "$WORK/p4.log" 'r=$(ls /lib/modules | head -n 1) && tapc -r $r --disable-cache -p4 -m t_deb -e "'"$one"'" && test -s t_deb.ko'; then
	pass "installed-tapc-p4"
else
	fail installed-tapc-p4 "$WORK/p4.log"
fi
if in_root "$WORK/man.log" "man 3tapc execname | grep -q execname && man tapc | grep -q SYNOPSIS"; then
	pass "installed-man"
else
	fail installed-man "$WORK/man.log"
fi
if in_root "$WORK/rm.log" "apt-get remove -y -q tapc && ! test -e /usr/bin/tapc && ! test -d /usr/share/tapc"; then
	pass "apt-remove"
else
	fail apt-remove "$WORK/rm.log"
fi
finish
