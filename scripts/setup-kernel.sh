#!/usr/bin/env bash
# scripts/setup-kernel.sh SERIES - install a second guest kernel of the
# cloud flavour beside the distribution's one (make setup-6.12 runs it
# with 6.12), for tapc -r REL / --vm-kernel REL and TAPC_TEST_KERNEL=REL.
#
# The release is found at run time: the newest REL of SERIES for which
# the image (signed linux-image-REL, else linux-image-REL-unsigned),
# linux-headers-REL and linux-image-REL-dbg are all available at the
# same version.  Only those packages are installed by name; the
# linux-image-cloud-amd64 meta-package, and with it tapc's default guest
# kernel, is left alone.  Idempotent: prints the release and installs
# nothing when it is already there.
set -euo pipefail

series=${1:?usage: setup-kernel.sh SERIES (e.g. 6.12)}
flavour=cloud-amd64
export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-y -q --no-install-recommends)

# The candidate version apt would install, or "" when none.
candidate() {
	apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p' |
		grep -v '^(none)$' || true
}

installed_version() {
	dpkg-query -W -f '${Status} ${Version}' "$1" 2>/dev/null |
		sed -n 's/^install ok installed //p'
}

# The releases of SERIES that have headers, newest first.
releases() {
	apt-cache pkgnames "linux-headers-$series." |
		sed -n "s/^linux-headers-\(${series//./\\.}\.[^ ]*-$flavour\)$/\1/p" |
		sort -V -r
}

# Sets rel, ver and pkgs for the newest release with all three packages.
pick_release() {
	local r image v
	for r in $(releases); do
		v=$(candidate "linux-headers-$r")
		[ -n "$v" ] || continue
		image=linux-image-$r
		[ "$(candidate "$image")" = "$v" ] || image=$image-unsigned
		[ "$(candidate "$image")" = "$v" ] || continue
		[ "$(candidate "linux-image-$r-dbg")" = "$v" ] || continue
		rel=$r ver=$v
		pkgs=("$image=$v" "linux-headers-$r=$v" "linux-image-$r-dbg=$v")
		return 0
	done
	return 1
}

# Refreshes the lists only when they do not know the series yet.
[ -n "$(releases)" ] || apt-get update -q
if ! pick_release; then
	apt-get update -q
	pick_release || {
		echo "setup: no $series $flavour kernel with image, headers and" \
			"debug symbols at one version in the apt sources" >&2
		exit 1
	}
fi

missing=()
for p in "${pkgs[@]}"; do
	[ "$(installed_version "${p%%=*}")" = "$ver" ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing ${missing[*]}"
	apt-get install "${APT_OPTS[@]}" "${missing[@]}"
fi
echo "setup: kernel $rel ($ver) ready; use tapc -r $rel --vm," \
	"TAPC_TEST_KERNEL=$rel tests/run guest"
