@BIN@/sysx_proc
