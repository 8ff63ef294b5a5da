@BIN@/getppid_workers 500 2
