@BIN@/getppid_workers 400 2
