sh -c 'for i in 1 2 3; do cat /init; done > /dev/null'
