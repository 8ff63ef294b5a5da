@BIN@/close_badfd 987 3
