exec 2>/dev/null; @BIN@/spin_user & p=$!; kill -USR1 $p; wait $p; trap true USR2; kill -USR2 $$; echo done
