sh -c 'exec /bin/cat /init > /dev/null'
