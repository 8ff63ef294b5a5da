#!/usr/bin/env bash
# tests/compat/run.sh - how many of SystemTap's own examples tapc builds.
#
# tests/compat/examples.tsv lists the 149 examples of Debian's
# systemtap-doc (/usr/share/systemtap/examples) that SystemTap 4.8 itself
# built with -p4 for Debian 12's 6.1 cloud kernel, each with the check
# command of its .meta file (examples-all.tsv has all 193 checkable ones,
# with stap's first error where it failed).  Each command is run as
# written, from the example's directory, with `stap` on the PATH meaning
# tapc for the default guest kernel (so the wrapper scripts that call stap,
# kmalloc-top and socktop, run tapc too).  Prints one line per example,
# "OK dir/name" or "FAIL dir/name: first error", then the count.
#
#   COMPAT_PASS=N   stop at pass N instead of 4 (2 is quick: no kbuild)
#   COMPAT_ONLY=RE  only the examples whose dir/name matches RE
#   TAPC=PATH       the tapc to run
#   COMPAT_TABLE=F  also write F: the examples that fail, as a markdown
#                   table with each one's first error (for README.md)
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TAPC=${TAPC:-$ROOT/tapc}
EX=/usr/share/systemtap/examples
PASS=${COMPAT_PASS:-4}
WORK=$(mktemp -d /tmp/tapc-compat.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export XDG_CACHE_HOME="$WORK/cache"

[ -d "$EX" ] || { echo "no $EX: install systemtap-doc (make setup)"; exit 1; }
REL=$("$TAPC" --print-vm-kernel) || { echo "no guest kernel: make setup"; exit 1; }

# stap, for the examples: tapc for REL, -p4 turned into -pPASS.
mkdir -p "$WORK/bin"
cat > "$WORK/bin/stap" <<EOF
#!/usr/bin/env bash
args=()
for a in "\$@"; do
	case \$a in
	-p4) a=-p$PASS ;;
	-*p4) a=\${a%p4}p$PASS ;;
	esac
	args+=("\$a")
done
exec "$TAPC" -r "$REL" "\${args[@]}"
EOF
chmod +x "$WORK/bin/stap"

one() { # category command (the example's name is its .stp or wrapper)
	local cat=$1 cmd=$2 name out
	name=$(printf '%s\n' "$cmd" | grep -Eo '[A-Za-z0-9_.-]+\.stp' | head -n1)
	[ -n "$name" ] || name=$(printf '%s\n' "$cmd" | sed 's|^\./||; s| .*||')
	name=${name%.stp}
	out="$WORK/out.${cat//\//_}.$name"
	(cd "$EX/$cat" && PATH="$WORK/bin:$PATH" bash -c "$cmd" \
		< /dev/null > "$out" 2>&1)
	if [ $? = 0 ]; then
		echo "OK $cat/$name"
	else
		echo "FAIL $cat/$name: $(grep -m1 -E 'error|ERROR|not supported' "$out" ||
			tail -n1 "$out")"
	fi
}
export -f one
export EX WORK

cat "$ROOT/tests/compat/examples.tsv" |
	grep -E "${COMPAT_ONLY:-.}" |
	tr '\t' '\001' |
	xargs -d '\n' -P "$(nproc)" -I{} bash -c 'IFS=$(printf "\001") read -r c m <<< "$1"; one "$c" "$m"' _ {} |
	sort -k2 > "$WORK/results"
cat "$WORK/results"
ok=$(grep -c '^OK ' "$WORK/results")
total=$(wc -l < "$WORK/results")
echo "compat: tapc -p$PASS builds $ok of $total SystemTap examples ($REL)"
if [ -n "${COMPAT_TABLE:-}" ]; then
	{
		echo "| example | why it does not build yet |"
		echo "|---|---|"
		sed -n 's/^FAIL \([^:]*\): \(.*\)/\1\t\2/p' "$WORK/results" |
			sed 's/^\([^\t]*\)\t[^ ]*:[0-9]*:[0-9]*: error: /\1\t/' |
			sed 's/|/\\|/g; s/\t/ | /; s/^/| /; s/$/ |/'
	} > "$COMPAT_TABLE"
fi
