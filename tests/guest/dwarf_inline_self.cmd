modprobe dummy && ip link set dummy0 up && echo 0 > /sys/class/net/dummy0/carrier && echo 1 > /sys/class/net/dummy0/carrier && echo 0 > /sys/class/net/dummy0/carrier && rmmod dummy
