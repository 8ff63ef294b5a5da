@BIN@/syscall_more
