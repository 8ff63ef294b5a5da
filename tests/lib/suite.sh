# tests/lib/suite.sh - sourced by the session and stress suites (bash, on
# the host): counting results, and running a suite's cases.sh in one
# guest boot.  The sourcing script sets TAPC, release and work.

pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $1${2:+ ($2)}"; }
bad() {
	fail=$((fail + 1))
	echo "FAIL $1: $2"
	[ -n "${3:-}" ] && [ -f "$3" ] && sed 's/^/    /' "$3" | head -n 30
	return 0
}

# run_cases PREFIX ENV CASES_SH "CASE..." [FILE...]: each case is one
# batch job, "sh CASES_SH ENV CASE", all in one guest boot; the guest
# gets ENV, CASES_SH, tests/lib/guest.sh, FILE... and the .ko files ENV
# names.  A case passes when it exits 0 having printed "PASS CASE", and,
# with CASES_QUIET=1, nothing on stderr.  Then the guest's kernel log
# must be clean.
run_cases() {
	local prefix=$1 env=$2 cases_sh=$3 cases=$4 c f files=() d=$work/guest
	shift 4
	for f in "$env" "$cases_sh" "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/guest.sh" "$@" \
		 $(sed -n 's/^[A-Z0-9_]*=\(.*\.ko\)$/\1/p' "$env"); do
		files+=(--vm-file "$f")
	done
	for c in $cases; do
		printf '%s\t-\tsh %s %s %s\n' "$c" "$cases_sh" "$env" "$c"
	done >"$work/batch"
	"$TAPC" --vm-kernel "$release" "${files[@]}" --vm-batch "$work/batch" "$d" \
		>"$work/vm.log" 2>&1
	for c in $cases; do
		if [ ! -f "$d/$c.rc" ]; then
			bad "$prefix/$c" "did not run" "$work/vm.log"
		elif [ "$(cat "$d/$c.rc")" != 0 ] || ! grep -q "^PASS $c" "$d/$c.out"; then
			bad "$prefix/$c" "$(grep "^FAIL" "$d/$c.out")" "$d/$c.out"
		elif [ "${CASES_QUIET:-0}" = 1 ] && [ -s "$d/$c.err" ]; then
			bad "$prefix/$c" "stderr (a module left loaded?)" "$d/$c.err"
		else
			ok "$prefix/$(sed -n "s/^PASS //p" "$d/$c.out")"
		fi
	done
	if grep -E 'Oops|BUG:|WARNING:|Call Trace|soft lockup|hung task' "$d/dmesg" \
		>"$work/badlog"; then
		bad "$prefix/kernel-log-clean" "the guest kernel complained" "$work/badlog"
	else
		ok "$prefix/kernel-log-clean"
	fi
}
