sh -c 'd=$(echo /proc/systemtap/*); sort $d/metrics > $d/echo; wc -l < $d/big > $d/echo; grep "n=\"99\"" $d/big > $d/echo'
