@BIN@/getppid_workers 100 2
