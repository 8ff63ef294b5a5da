ip link set lo up; @BIN@/net_workload 4567 4568 300
