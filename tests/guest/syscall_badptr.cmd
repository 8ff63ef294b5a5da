@BIN@/sc_badptr
