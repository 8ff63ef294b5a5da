@BIN@/slow_pipe
