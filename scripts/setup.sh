#!/usr/bin/env bash
# scripts/setup.sh (also make setup): install every Debian package tapc and
# its tests need, only what is missing.  It needs only bash and apt, so it
# is the first command on a fresh Debian 12, which has no make, gcc or
# strace (tests/fresh checks that).  Idempotent: when everything is
# present it runs no apt-get at all.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-y -q --no-install-recommends)
updated=0

is_installed() {
	dpkg-query -W -f '${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

apt_install() {
	local missing=()
	for p in "$@"; do
		is_installed "$p" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ $updated -eq 0 ]; then
		apt-get update -q
		updated=1
	fi
	echo "setup: installing ${missing[*]}"
	apt-get install "${APT_OPTS[@]}" "${missing[@]}"
}

# The compiler, its libraries, and what the guest runner needs.
apt_install gcc make libc6-dev flex bison libdw-dev libelf-dev pkg-config \
	kmod cpio busybox-static qemu-system-x86 \
	linux-image-cloud-amd64 linux-headers-cloud-amd64

# What the tests run beside tapc: strace (tests/nodebug), valgrind and
# bc (make check-valgrind), debootstrap (make check-fresh), git (the
# fresh root gets the tree from git archive), man and groff (the manual
# pages render without warnings), tmux (tests/terminal's pseudo-terminal),
# debhelper, dpkg-dev and lintian (make deb, tests/deb).
apt_install strace valgrind bc debootstrap git man-db groff-base tmux \
	debhelper dpkg-dev lintian

# The front end's tests: Debian's SystemTap scripts and tapsets, parsed
# in place by tests/realworld; clang's libFuzzer for make fuzz.
apt_install systemtap-doc systemtap-common clang libclang-rt-dev

# make bench: bpftrace, run in the guest beside tapc (bench/probe.sh).
apt_install bpftrace

# The debuginfo must match the installed image exactly: read the image
# package the meta-package pulled in, then its version.
image_pkg=$(dpkg-query -W -f '${Depends}' linux-image-cloud-amd64 |
	tr ',' '\n' | sed -n 's/^ *\(linux-image-[^ ]*-cloud-amd64\).*/\1/p' | head -n1)
if [ -z "$image_pkg" ]; then
	echo "setup: cannot find the image package behind linux-image-cloud-amd64" >&2
	exit 1
fi
image_ver=$(dpkg-query -W -f '${Version}' "$image_pkg")
dbg_pkg="${image_pkg}-dbg"
if ! is_installed "$dbg_pkg" ||
	[ "$(dpkg-query -W -f '${Version}' "$dbg_pkg")" != "$image_ver" ]; then
	if [ $updated -eq 0 ]; then apt-get update -q; updated=1; fi
	echo "setup: installing ${dbg_pkg}=${image_ver}"
	apt-get install "${APT_OPTS[@]}" "${dbg_pkg}=${image_ver}"
fi
echo "setup: ready (kernel ${image_pkg#linux-image-} ${image_ver})"
