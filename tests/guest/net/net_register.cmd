rmmod virtio_net; modprobe virtio_net; sleep 1
