@BIN@/getppid_workers 25 2
