#!/bin/sh
# fake_taprun.sh - a stand-in taprun for the guest runner's tests (busybox
# sh in the guest).  Loads the module, writes to stdout and stderr, runs the
# -c command, unloads, and on SIGINT/SIGTERM says "stopped" and exits 0.
#
#   taprun [--lines N] [--sleep S] [--wait] [--exit N] [--leak] [-c CMD] MODULE
#     --lines N  N lines on stdout and on stderr (default 2), S s apart
#     --wait     then wait for a signal
#     --exit N   exit status (default 0)
#     --leak     leave the module loaded
#     --ignore   ignore SIGINT and SIGTERM
#     --param P  a module parameter (name=value)
lines=2 pause=0 wait=0 status=0 leak=0 ignore=0 param= cmd= mod=
while [ $# -gt 0 ]; do
	case $1 in
	--lines) lines=$2; shift ;;
	--sleep) pause=$2; shift ;;
	--wait) wait=1 ;;
	--exit) status=$2; shift ;;
	--leak) leak=1 ;;
	--ignore) ignore=1 ;;
	--param) param=$2; shift ;;
	-c) cmd=$2; shift ;;
	*) mod=$1 ;;
	esac
	shift
done
name=${mod##*/}
name=${name%.ko}

unload() {
	[ $leak = 1 ] || rmmod "$name"
}

stop() {
	echo stopped
	unload
	exit 0
}
if [ $ignore = 1 ]; then
	trap '' INT TERM
else
	trap stop INT TERM
fi

insmod "$mod" $param || exit 9
i=1
while [ $i -le "$lines" ]; do
	echo "out $i"
	echo "err $i" >&2
	[ $i -lt "$lines" ] && sleep "$pause"
	i=$((i + 1))
done
if [ -n "$cmd" ]; then
	sh -c "$cmd"
	echo "command status $?"
fi
if [ $wait = 1 ]; then
	echo waiting
	# sleep in the background so the trap runs as soon as a signal comes
	while :; do
		sleep 1000 &
		wait $!
	done
fi
unload
exit "$status"
