#!/bin/sh
# install.sh install|uninstall DESTDIR PREFIX - what `make install` and
# `make uninstall` do (docs/install.md).
#
# Installs tapc and taprun in PREFIX/bin, the tapset library and the
# runtime (the kernel headers the modules build with, the guest's init)
# in PREFIX/share/tapc, a `stap` link to tapc in PREFIX/share/tapc/bin
# (for wrapper scripts that call stap: put that folder first in PATH),
# and the manual pages (tapc(1), taprun(1), the tapset reference in
# section 3tapc) and the bash completion where Debian keeps them.
# Uninstall removes exactly those files, then the folders of
# PREFIX/share/tapc that are left empty.
set -eu
what=$1 destdir=$2 prefix=$3
top=$(cd "$(dirname "$0")/.." && pwd)
root=$destdir$prefix
share=$root/share/tapc

# The files installed, as "SOURCE DEST MODE", one a line.
manifest() {
	echo "tapc bin/tapc 755"
	echo "taprun bin/taprun 755"
	(cd "$top" && find tapset runtime/kernel runtime/guest -type f | sort) |
		while read -r f; do
			case $f in *.sh) m=755 ;; *) m=644 ;; esac
			echo "$f share/tapc/$f $m"
		done
	echo "runtime/tapc_proto.h share/tapc/runtime/tapc_proto.h 644"
	for f in "$top"/docs/man/*.1; do
		echo "docs/man/${f##*/} share/man/man1/${f##*/} 644"
	done
	for f in "$top"/build/man3/*.3tapc; do
		echo "build/man3/${f##*/} share/man/man3/${f##*/} 644"
	done
	if [ -f "$top/scripts/tapc-completion.bash" ]; then
		echo "scripts/tapc-completion.bash share/bash-completion/completions/tapc 644"
	fi
}

case $what in
install)
	manifest | while read -r src dest mode; do
		install -D -m "$mode" "$top/$src" "$root/$dest"
	done
	mkdir -p "$share/bin"
	ln -sf ../../../bin/tapc "$share/bin/stap"
	;;
uninstall)
	manifest | while read -r src dest mode; do
		rm -f "$root/$dest"
	done
	rm -f "$share/bin/stap"
	[ -d "$share" ] && find "$share" -depth -type d -empty -delete
	rmdir "$root/share/bash-completion/completions" \
		"$root/share/bash-completion" 2>/dev/null || :
	for d in "$root"/share/man/man[1-9]; do rmdir "$d" 2>/dev/null || :; done
	rmdir "$root/share/man" "$root/share" "$root/bin" 2>/dev/null || :
	;;
*)
	echo "usage: install.sh install|uninstall DESTDIR PREFIX" >&2
	exit 2
	;;
esac
