cat /nonexistent /dev/null
