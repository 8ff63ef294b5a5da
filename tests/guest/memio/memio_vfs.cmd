@BIN@/memio_workload rw 5000
