@BIN@/getppid_workers 50 2
