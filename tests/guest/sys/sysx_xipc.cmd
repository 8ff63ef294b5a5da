@BIN@/sysx_xipc
