ip link set lo up; ip link set eth0 up; ip addr add 10.0.2.15/24 dev eth0 2>/dev/null; ping -c 3 -W 1 10.0.2.2 > /dev/null || true; @BIN@/net_workload 4587 4588 300; sleep 1
