dmesg -r | sed -n 's/^\(<[0-9]*>\)\[[^]]*\] *\(tapc-tapset-printk\)/\1\2/p'
