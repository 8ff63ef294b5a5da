@BIN@/spin_user
