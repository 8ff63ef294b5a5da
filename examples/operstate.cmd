up() { i=0; while [ "$(cat /sys/class/net/eth0/operstate)" != up ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done; }; up && rmmod virtio_net && modprobe virtio_net && ip link set eth0 up && up
