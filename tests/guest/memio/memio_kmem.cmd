@BIN@/memio_workload kmalloc 20
