@BIN@/sysx_ipc
