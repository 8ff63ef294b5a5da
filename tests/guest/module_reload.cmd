modprobe dummy && rmmod dummy && modprobe dummy && rmmod dummy && modprobe dummy
