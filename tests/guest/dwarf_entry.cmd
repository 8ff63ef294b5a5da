@BIN@/entry_open
