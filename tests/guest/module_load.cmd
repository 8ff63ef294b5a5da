modprobe dummy && rmmod dummy
