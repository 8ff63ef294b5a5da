@BIN@/getppid_workers 300 2
