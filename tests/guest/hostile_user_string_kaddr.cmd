exec @BIN@/getppid_workers 3 1
