exec @BIN@/tapset_workload
