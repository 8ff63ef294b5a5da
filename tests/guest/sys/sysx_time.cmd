@BIN@/sysx_time
