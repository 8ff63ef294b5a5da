#!/bin/sh
# init.sh - /init of the tapc --vm guest: busybox sh as PID 1.
#
# compiler/vm/vm_initramfs.c puts this in the initramfs with /tapc/config and
# one /tapc/job/K per job; compiler/vm/vm.c is the other end of the channels.
#
# Channels, three virtio console ports found by name:
#   tapc.out  the jobs' stdout          tapc.err  their stderr
#   tapc.ctl  lines both ways.  Guest to host: "ready", "rc K STATUS",
#             "skip K", "bye".  Host to guest: "signal INT|TERM",
#             "poweroff" (the host has read everything).
# After each job an end marker is written on tapc.out and tapc.err, so the
# host knows where a job's output ends whatever order qemu delivers the
# ports in.  The kernel log is on ttyS0, which the host keeps apart.

PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH

/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s 2>/dev/null  # -c binaries may be there first
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null

# A name, as any machine has (scripts and -c commands read /etc/hostname).
mkdir -p /etc
echo tapc-vm > /etc/hostname
hostname tapc-vm

. /tapc/config
[ -n "$TAPC_LIBPATH" ] && export LD_LIBRARY_PATH="$TAPC_LIBPATH"

die() {
	echo "tapc-vm: $*" >/dev/console
	poweroff -f
	exit 1
}

while read -r m; do
	insmod "$m" || die "cannot load ${m##*/}"
done </tapc/kmods

# Every module of the kernel (tapc --vm-modules): a read-only disk over
# the few the initramfs has, so modprobe finds any.
if [ "$TAPC_MODDISK" = 1 ]; then
	i=0
	until [ -b /dev/vda ]; do
		i=$((i + 1))
		[ $i -gt 1000 ] && die "the modules' disk did not appear"
		sleep 0.01
	done
	mount -t ext4 -o ro /dev/vda "/lib/modules/$(uname -r)" ||
		die "cannot mount the modules' disk"
fi

# Port devices by name: /dev/vportNpM, named in /sys/class/virtio-ports.
# They appear a little after virtio_console loads.
find_ports() {
	for p in /sys/class/virtio-ports/*; do
		[ -r "$p/name" ] && [ -c "/dev/${p##*/}" ] || continue
		read -r n <"$p/name"
		case $n in
		tapc.out) OUT=/dev/${p##*/} ;;
		tapc.err) ERR=/dev/${p##*/} ;;
		tapc.ctl) CTL=/dev/${p##*/} ;;
		esac
	done
	[ -n "$OUT" ] && [ -n "$ERR" ] && [ -n "$CTL" ]
}

i=0
until find_ports; do
	i=$((i + 1))
	[ $i -gt 1000 ] && die "the virtio console ports did not appear"
	sleep 0.01
done
exec 3>"$OUT" 4>"$ERR" 5<>"$CTL"

# Whether process $1 can take signal $2 now: it runs taprun (the exec is
# done) and catches or blocks the signal.  Before that a SIGINT would kill
# it without its end probes, or be lost.
taking() {
	[ -n "$1" ] && read -r comm 2>/dev/null <"/proc/$1/comm" || return 1
	[ "$comm" = taprun ] || return 1
	case $2 in
	INT) bit=2 ;;
	*) bit=16384 ;;
	esac
	while read -r key mask; do
		case $key in
		SigBlk: | SigCgt:)
			# the low 16 signals are the last 4 hex digits
			[ $((0x${mask#"${mask%????}"} & bit)) -ne 0 ] && return 0 ;;
		esac
	done 2>/dev/null <"/proc/$1/status"
	return 1
}

# Deliver signal $1 to the running job's taprun, or to the next job's if
# one is starting; nothing if the guest is between jobs (the stop flag
# then skips the rest).  If taprun never takes it, send it after ~10 s.
deliver() {
	n=0
	while [ $n -lt 2000 ]; do
		pid=
		[ -r /run/tapc.pid ] && read -r pid </run/tapc.pid
		if [ -n "$pid" ]; then
			if taking "$pid" "$1" || [ $n -ge 1000 ]; then
				kill -"$1" "$pid" 2>/dev/null
				return
			fi
		elif [ -e /run/tapc.idle ]; then
			return
		fi
		n=$((n + 1))
		sleep 0.01
	done
}

reader() {
	while read -r cmd arg <&5; do
		case $cmd in
		signal)
			case $arg in INT | TERM) ;; *) arg=TERM ;; esac
			[ -e /run/tapc.stop ] && continue
			echo "$arg" >/run/tapc.stop
			deliver "$arg" &
			;;
		poweroff)
			poweroff -f
			;;
		esac
	done
}

# A tapc_* module still loaded $1 ("before" or "after") the job is a leak:
# say so on the job's stderr; after the job, try to unload it.
leftover() {
	while read -r mod rest; do
		case $mod in
		tapc_*)
			echo "tapc-vm: module $mod is still loaded $1 job $TAPC_NAME" >&4
			if [ "$1" = after ]; then
				rmmod "$mod" 2>&4 ||
					echo "tapc-vm: cannot unload $mod" >&4
			fi
			;;
		esac
	done </proc/modules
}

end_of_job() {
	printf '\036tapc-eos-%s\037' "$TAPC_NONCE" >&3
	printf '\036tapc-eos-%s\037' "$TAPC_NONCE" >&4
}

: >/run/tapc.idle
reader &
cd "$TAPC_CWD" 2>/dev/null || cd /
echo ready >&5

k=0
while [ "$k" -lt "$TAPC_NJOBS" ]; do
	. "/tapc/job/$k"
	leftover before
	rm -f /run/tapc.idle
	if [ -e /run/tapc.stop ]; then
		: >/run/tapc.idle
		end_of_job
		echo "skip $k" >&5
	else
		# In the foreground, not with &: a background job would start
		# with SIGINT ignored.  The sh -c tells deliver its pid.
		sh -c 'echo $$ >/run/tapc.pid; exec "$@"' taprun "$@" \
			</dev/null >&3 2>&4 3>&- 4>&- 5>&-
		rc=$?
		rm -f /run/tapc.pid
		: >/run/tapc.idle
		leftover after
		end_of_job
		echo "rc $k $rc" >&5
	fi
	k=$((k + 1))
done

echo bye >&5
# The reader powers off when the host says it has read everything.
while :; do
	sleep 1000
done
