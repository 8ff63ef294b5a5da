# tests/lib/guest.sh - sourced by the cases.sh scripts that run in the
# guest (busybox sh): small checks shared by the session and stress cases.

# has FILE TEXT: FILE contains the fixed string TEXT
has() { grep -qF -- "$2" "$1"; }
# wait_for FILE TEXT: until FILE holds TEXT (at most ~60 s)
wait_for() {
	i=0
	while ! grep -qF -- "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 6000 ] && return 1
		sleep 0.01
	done
}
# gone NAME: no process named NAME is left
gone() { ! pidof "$1" >/dev/null; }
