#!/usr/bin/env bash
# tests/fresh/run.sh - the README on a fresh Debian 12, as a new user meets it.
#
# Builds a minimal Debian 12 root (debootstrap --variant=minbase from the
# archive this host's apt uses), copies the tree's committed files into it
# (git archive HEAD: what a clone would have), and runs in a chroot, as
# root, exactly the commands README.md shows:
#   - the set-up block of "Set up, build, test": each command must exit 0
#     (the first one on a root that has neither make nor gcc);
#   - the one-liner of "Run a one-liner": exit 0, "hello 42" then a
#     process name on stdout, and nothing on stderr (no error message);
#   - with FRESH_CHECK=1 (make check-fresh sets it), the test command of
#     that block too, whose last line must say "N passed, 0 failed".
# The root is made once and kept as a tarball in $FRESH_CACHE (default
# /var/tmp/tapc-fresh), so later runs skip debootstrap; each run starts
# from the tarball, so every run is on a fresh root.  Mounts live in a
# private mount namespace and vanish with it.  Last line: "N passed, N
# failed".
set -uo pipefail

# FRESH_TREE: the tree to test (default: this script's), so a copy of
# the script can run while the tree changes.
ROOT=${FRESH_TREE:-$(cd "$(dirname "$0")/../.." && pwd)}
CACHE=${FRESH_CACHE:-/var/tmp/tapc-fresh}
WORK=$(mktemp -d /var/tmp/tapc-fresh-run.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
passed=0 failed=0

pass() { passed=$((passed + 1)); echo "PASS fresh/$1"; }
fail() {
	failed=$((failed + 1)); echo "FAIL fresh/$1"
	[ -n "${2:-}" ] && tail -n 40 "$2" | sed 's/^/    /'
	return 0
}

# The first archive URI this host's apt is configured with.
mirror() {
	local m
	m=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources \
		2>/dev/null | grep -v security | head -n1)
	[ -n "$m" ] || m=$(sed -n 's/^deb  *\(\[[^]]*\] *\)\?\([^ ]*\) .*/\2/p' \
		/etc/apt/sources.list 2>/dev/null | grep -v security | head -n1)
	echo "$m"
}

make_root_tarball() {
	local tmp=$WORK/debootstrap m
	m=$(mirror)
	[ -n "$m" ] || { echo "fresh: no apt archive configured" >&2; return 1; }
	echo "fresh: debootstrap --variant=minbase bookworm (once)"
	debootstrap --variant=minbase bookworm "$tmp" "$m" > "$WORK/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$WORK/debootstrap.log" >&2; return 1; }
	mkdir -p "$CACHE"
	tar -C "$tmp" -cf "$CACHE/bookworm-minbase.tar.new" . &&
		mv "$CACHE/bookworm-minbase.tar.new" "$CACHE/bookworm-minbase.tar"
	rm -rf "$tmp"
}

# The indented command lines of README.md's block after heading $1, as
# written; blank lines and comments after '#' are the README's, not ours.
readme_block() { # heading
	awk -v h="## $1" '
		$0 == h { inside = 1; next }
		inside && /^## / { exit }
		inside && /^    / { print; seen = 1; next }
		inside && seen && !/^    / && NF { exit }
	' "$ROOT/README.md" | sed 's/^    //'
}

# Runs a command in the fresh root's copy of the tree.
in_root() { # log command
	local log=$1; shift
	unshare --mount --propagation private bash -c '
		r=$1; shift
		mount -t proc proc "$r/proc" && mount --rbind /sys "$r/sys" &&
		mount --rbind /dev "$r/dev" || exit 97
		cp /etc/resolv.conf "$r/etc/resolv.conf"
		exec chroot "$r" /usr/bin/env -i HOME=/root TERM=dumb TAPC_FRESH_ROOT=1 \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			bash -c "cd /root/tapc && $*"
	' _ "$WORK/root" "$@" > "$log" 2> "$log.err"
}

[ "$(id -u)" = 0 ] || { echo "fresh: needs root"; echo "0 passed, 1 failed"; exit 1; }
command -v debootstrap > /dev/null || { echo "fresh: needs debootstrap (make setup)";
	echo "0 passed, 1 failed"; exit 1; }
[ -s "$CACHE/bookworm-minbase.tar" ] || make_root_tarball ||
	{ echo "0 passed, 1 failed"; exit 1; }
mkdir -p "$WORK/root"
tar -C "$WORK/root" -xf "$CACHE/bookworm-minbase.tar"
# The same archives as this host (the kernel packages come from its
# security and updates suites too).
cp -a /etc/apt/sources.list.d "$WORK/root/etc/apt/" 2>/dev/null
[ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$WORK/root/etc/apt/"
rm -f "$WORK"/root/etc/apt/sources.list.d/*disabled* 2>/dev/null
mkdir -p "$WORK/root/root/tapc"
git -C "$ROOT" archive HEAD | tar -C "$WORK/root/root/tapc" -xf -

# The root has no make, gcc or strace: what the README's set-up must
# bring itself.
for tool in make gcc strace; do
	if [ -e "$WORK/root/usr/bin/$tool" ]; then
		fail "no-$tool-before" 
	else
		pass "no-$tool-before"
	fi
done

setup=$(readme_block "Set up, build, test")
first=$(printf '%s\n' "$setup" | head -n1 | sed 's/ *#.*//')
check=$(printf '%s\n' "$setup" | tail -n1 | sed 's/ *#.*//')
if in_root "$WORK/setup.log" "$first"; then pass "setup: $first"
else cat "$WORK/setup.log.err" >> "$WORK/setup.log"; fail "setup: $first" "$WORK/setup.log"; fi
# Run twice: the second must install nothing and still succeed.
if in_root "$WORK/setup2.log" "$first" && ! grep -q 'setup: installing' "$WORK/setup2.log"
then pass "setup-again"
else fail "setup-again" "$WORK/setup2.log"; fi

# The build step the README's one-liner section relies on.
if in_root "$WORK/make.log" "make"; then pass "make"
else cat "$WORK/make.log.err" >> "$WORK/make.log"; fail "make" "$WORK/make.log"; fi

oneliner=$(readme_block "Run a one-liner")
if in_root "$WORK/one.log" "$oneliner" && [ ! -s "$WORK/one.log.err" ] &&
	[ "$(sed -n 1p "$WORK/one.log")" = "hello 42" ] &&
	[ -n "$(sed -n 2p "$WORK/one.log")" ]; then
	pass "one-liner"
else
	cat "$WORK/one.log.err" >> "$WORK/one.log"
	fail "one-liner" "$WORK/one.log"
fi

if [ "${FRESH_CHECK:-0}" = 1 ]; then
	in_root "$WORK/check.log" "$check"
	last=$(tail -n1 "$WORK/check.log")
	echo "fresh: $check in the fresh root: $last"
	if [[ $last =~ ^[0-9]+\ passed,\ 0\ failed ]]; then pass "make-check"
	else fail "make-check" "$WORK/check.log"; fi
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
