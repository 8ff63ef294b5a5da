modprobe dummy && ip link set dummy0 up && echo 0 > /sys/class/net/dummy0/carrier && sleep 2 && rmmod dummy
