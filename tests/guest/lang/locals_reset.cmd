@BIN@/getppid_workers 30 2
