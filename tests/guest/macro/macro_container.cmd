exec @BIN@/io_workload file 1 > /dev/null
