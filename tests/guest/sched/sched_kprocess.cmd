@BIN@/getppid_workers 1 1; /no/such/program; exit 3
