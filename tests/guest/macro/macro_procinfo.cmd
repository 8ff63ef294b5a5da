@BIN@/close_badfd 1 0; exec env -i TAPC_ENV_TEST=hello-env OTHER=1 TAPC_ENV_LAST=last @BIN@/close_badfd 987 1
