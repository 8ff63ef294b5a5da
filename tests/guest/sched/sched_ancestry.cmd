@BIN@/getppid_workers 1 1; true
