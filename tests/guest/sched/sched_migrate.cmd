exec 2>/dev/null; @BIN@/spin_user & p=$!; sleep 0.1; taskset -p 1 $p > /dev/null; sleep 0.1; taskset -p 2 $p > /dev/null; sleep 0.1; kill $p; wait $p
