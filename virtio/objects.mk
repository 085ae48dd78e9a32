# virtio/: virtqueues, transports and VirtIO devices (layer 4).
core-y += virtio/virtqueue.o
core-y += virtio/virtio.o
core-y += virtio/mmio.o
core-y += virtio/blk.o
core-y += virtio/console.o
core-y += virtio/net.o
core-y += virtio/rng.o
