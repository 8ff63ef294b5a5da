#!/usr/bin/env bash
# run-guest.sh - boot a qemu guest and run guest_cases.sh in it.
#
# Builds taprun, rt_hello.ko, getppid_loop and pingpong, packs them with
# busybox-static into an initramfs under a fresh /tmp/rt-guest.XXXXXX
# directory, boots tapc's default guest kernel (or KVER=...)
# and prints the guest's console.  Exit status 0 if every case passed.
#   CASES=script        run another script in the guest instead
#   KERNEL=vmlinuz KDIR=build-tree   a kernel that is not installed
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
make -s -C "$top" tapc taprun
# tapc's default, not the newest: a 6.12 installed for -r is not chosen.
kver=${KVER:-$("$top/tapc" --print-vm-kernel)}
kdir=${KDIR:-/lib/modules/$kver/build}
kernel=${KERNEL:-/boot/vmlinuz-$kver}

make -s -C "$here" clean KDIR="$kdir" >/dev/null
make -s -C "$here" KDIR="$kdir" modules getppid_loop pingpong

work=$(mktemp -d /tmp/rt-guest.XXXXXX)
root=$work/root
mkdir -p "$root"/{bin,dev,proc,sys,tmp,lib64,lib/x86_64-linux-gnu}
cp /bin/busybox "$root/bin/busybox"
cp "$top/taprun" "$here/getppid_loop" "$here/pingpong" "$root/bin/"
cp "$here/rt_hello.ko" "$root/"
cp "${CASES:-$here/guest_cases.sh}" "$root/guest_cases.sh"
# taprun's shared libraries, at the paths the loader looks for them.
for lib in $(ldd "$top/taprun" | grep -o '/[^ ]*'); do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
cat >"$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo "guest kernel $(uname -r), $(nproc) cpus"
sh /guest_cases.sh
echo "guest done"
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.gz"

timeout 600 qemu-system-x86_64 -accel tcg,thread=single -smp 2 -m 512M \
	-nographic -no-reboot -kernel "$kernel" \
	-initrd "$work/initrd.gz" -append 'console=ttyS0 panic=-1 quiet' |
	tee "$work/console.log"
grep -q 'RESULT: [0-9]* passed, 0 failed' "$work/console.log"
