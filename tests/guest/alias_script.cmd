@BIN@/getppid_workers 5 2
