@BIN@/getppid_workers 20000 2
