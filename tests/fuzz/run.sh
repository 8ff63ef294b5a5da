#!/usr/bin/env bash
# tests/fuzz/run.sh SECONDS - fuzz pass 1 (make fuzz).  Seeds the corpus
# with every script we have and Debian's SystemTap scripts if installed,
# then runs build/fuzz_parse with ASan, UBSan and leak checks for
# SECONDS on each CPU.  Exit status 0 only if nothing was found; a
# finding is left in build/fuzz/ as crash-*, leak-*, timeout-* or oom-*.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_TO_RUN=${1:-600}
OUT=$ROOT/build/fuzz
CORPUS=$OUT/corpus
mkdir -p "$CORPUS"
# Seeds: small scripts that reach every construct.
for f in "$ROOT"/tests/parse/*.stp "$ROOT"/tests/errors/*.stp \
	 "$ROOT"/tests/elab/*.stp "$ROOT"/tests/guest/*.stp \
	 "$ROOT"/examples/*.stp "$ROOT"/tapset/*.stp; do
	[ -f "$f" ] && cp "$f" "$CORPUS/seed-$(basename "$f")"
done
if [ -d /usr/share/systemtap ]; then
	find /usr/share/systemtap -name '*.stp' -size -4k |
	while read -r f; do
		cp "$f" "$CORPUS/seed-$(echo "$f" | md5sum | cut -c1-12)"
	done
fi
cd "$OUT" || exit 1
JOBS=$(nproc 2>/dev/null || echo 1)
echo "fuzz: $SECONDS_TO_RUN s on $JOBS jobs, corpus $CORPUS"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
"$ROOT/build/fuzz_parse" -max_total_time="$SECONDS_TO_RUN" \
	-jobs="$JOBS" -workers="$JOBS" -timeout=20 -rss_limit_mb=2048 \
	-max_len=8192 -close_fd_mask=3 -print_final_stats=1 \
	-dict="$ROOT/tests/fuzz/stap.dict" "$CORPUS" > "$OUT/fuzz.log" 2>&1
rc=$?
cat "$OUT"/fuzz-*.log >> "$OUT/fuzz.log" 2>/dev/null
grep -E 'stat::number_of_executed_units|ERROR|SUMMARY|Done' "$OUT/fuzz.log" | sort | uniq -c | head -20
if ls "$OUT"/crash-* "$OUT"/leak-* "$OUT"/timeout-* "$OUT"/oom-* >/dev/null 2>&1; then
	echo "fuzz: FOUND something, see $OUT"
	exit 1
fi
[ $rc -eq 0 ] && echo "fuzz: clean after $SECONDS_TO_RUN s"
exit $rc
