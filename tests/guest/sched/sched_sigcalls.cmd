@BIN@/sig_workload
