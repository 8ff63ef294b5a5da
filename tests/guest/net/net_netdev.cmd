ip link set lo down; ip link set lo up; ifconfig lo mtu 9000; ifconfig lo promisc; ifconfig lo -promisc; @BIN@/net_workload 4577 4578 300; ip link set lo down
