@BIN@/syscall_calls
