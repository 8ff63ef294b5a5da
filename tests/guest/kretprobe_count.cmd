cat /dev/null /dev/null /dev/null
