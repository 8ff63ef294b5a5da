exec @BIN@/tapset_workload sleep
