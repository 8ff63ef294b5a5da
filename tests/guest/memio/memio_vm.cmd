@BIN@/memio_workload fault 64
