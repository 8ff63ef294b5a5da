modprobe brd rd_nr=1 rd_size=4096 && @BIN@/memio_workload blk /dev/ram0 && rmmod brd
