@BIN@/sysx_mq
