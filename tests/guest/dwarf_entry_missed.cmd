@BIN@/entry_busy
