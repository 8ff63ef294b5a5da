modprobe null_blk nr_devices=1 && echo mq-deadline > /sys/block/nullb0/queue/scheduler && @BIN@/memio_workload blk /dev/nullb0 && rmmod null_blk
