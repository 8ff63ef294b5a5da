exec sh -c 'exit 3'
