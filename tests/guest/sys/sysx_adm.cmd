@BIN@/sysx_adm
