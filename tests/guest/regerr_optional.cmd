sh -c 'exec cat /proc/version > /dev/null'
