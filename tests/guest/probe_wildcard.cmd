head -n1 /proc/version >/dev/null
