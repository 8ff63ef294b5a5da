@BIN@/getppid_workers 1 1; sleep 0.2
