#!/usr/bin/env bash
# tests/terminal/run.sh TAPC - tapc on a terminal and in a pipe.
#
# A tmux session gives a shell a pseudo-terminal; the commands are typed
# into it (send-keys) and everything the terminal receives is logged raw
# (pipe-pane).  On the terminal: coloured diagnostics (error red, caret
# green), the status line of a kbuild and of a guest's boot, erased before
# what follows.  In a pipe, and with NO_COLOR or --color=never: none.
set -u
tapc=$(realpath "${1:?usage: run.sh TAPC}")
release=$("$tapc" --print-vm-kernel)
work=$(mktemp -d "${TMPDIR:-/tmp}/tapc-term.XXXXXX")
sock=$work/tmux.sock
tm() { tmux -S "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$work"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }
ESC=$'\033'

tm new-session -d -x 160 -y 40 "env PS1='$ ' bash --norc --noprofile"
tm pipe-pane -o "cat >> '$work/tty.log'"

# type CMD and wait until the terminal has shown all it printed: the
# shell then prints a marker (typed as tapc-end''N so that the echo of the
# command line does not match), and pipe-pane delivers in order
n=0
type_cmd() {
	n=$((n + 1))
	: > "$work/tty.log"
	tm send-keys "$1; echo tapc-end''$n" Enter
	until grep -q "tapc-end$n" "$work/tty.log"; do sleep 0.2; done
}
has() { grep -qF -- "$1" "$work/tty.log"; }

cd "$work" || exit 1
bad_script="probe begin { x = }"
type_cmd "'$tapc' -p2 -e '$bad_script'"
if has "${ESC}[01;31merror:${ESC}[m" && has "${ESC}[01;32m^${ESC}[m" &&
   has "${ESC}[01m<input>:1:19:${ESC}[m"; then
	ok tty-colour
else
	bad tty-colour "$(cat -v "$work/tty.log" | head -5)"
fi
type_cmd "NO_COLOR=1 '$tapc' -p2 -e '$bad_script'"
if ! has "${ESC}[01" && has "<input>:1:19: error: expected an expression"; then
	ok tty-no-color
else
	bad tty-no-color "$(cat -v "$work/tty.log" | head -5)"
fi
type_cmd "'$tapc' --color=never -p2 -e '$bad_script'"
if ! has "${ESC}[01"; then ok tty-color-never; else bad tty-color-never "colour"; fi
type_cmd "'$tapc' --color=always -p2 -e '$bad_script' 2> '$work/pipe.err'"
if grep -qF "${ESC}[01;31merror:" "$work/pipe.err"; then
	ok pipe-color-always
else
	bad pipe-color-always "$(cat -v "$work/pipe.err")"
fi

# kbuild's status line, erased before the module's path is printed
one="probe begin { println(\"hi\"); exit() }"
type_cmd "'$tapc' -r $release --disable-cache -p4 -m t_term -e '$one'"
if has "${ESC}[Kkbuild t_term for $release ... 1s" &&
   has "${ESC}[Kt_term.ko"; then
	ok tty-progress-kbuild
else
	bad tty-progress-kbuild "$(cat -v "$work/tty.log" | head -5)"
fi
# the first DWARF index of a kernel (an empty cache), with a percentage;
# shown at once, as the index can take less than the second of the delay
type_cmd "TAPC_PROGRESS_DELAY_MS=0 XDG_CACHE_HOME='$work/cache' '$tapc' -r $release -p2 -e 'probe kernel.function(\"vfs_read\") { }'"
if grep -Eq "${ESC}\[Kbuilding the DWARF index of kernel \.\.\. [0-9]+%" "$work/tty.log" &&
   has "${ESC}[K# probes"; then
	ok tty-progress-index
else
	bad tty-progress-index "$(cat -v "$work/tty.log" | head -5)"
fi
# a guest's boot, erased before the script's output
type_cmd "'$tapc' --vm-kernel $release -e '$one'"
if has "${ESC}[Kbooting the guest ($release) ..." && has "${ESC}[Khi"; then
	ok tty-progress-boot
else
	bad tty-progress-boot "$(cat -v "$work/tty.log" | head -5)"
fi

# the same in a pipe: plain text, no status line
"$tapc" -p2 -e "$bad_script" 2>&1 | cat > "$work/pipe1"
"$tapc" -r "$release" --disable-cache -p4 -m t_term -e "$one" 2>&1 | cat > "$work/pipe2"
"$tapc" --vm-kernel "$release" -e "$one" 2>&1 | cat > "$work/pipe3"
if ! grep -q "$ESC" "$work/pipe1" "$work/pipe2" "$work/pipe3" &&
   grep -q '^<input>:1:19: error: ' "$work/pipe1" &&
   [ "$(cat "$work/pipe2")" = t_term.ko ] && [ "$(cat "$work/pipe3")" = hi ]; then
	ok pipe-plain
else
	bad pipe-plain "$(cat -v "$work"/pipe[123])"
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
