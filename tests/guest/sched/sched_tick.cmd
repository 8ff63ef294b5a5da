exec 2>/dev/null; @BIN@/spin_user & p=$!; sleep 0.3; kill $p; wait $p
