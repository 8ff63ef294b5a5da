@BIN@/sysx_misc
