@BIN@/strace_demo
