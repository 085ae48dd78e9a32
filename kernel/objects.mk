# kernel/: the hypervisor's model and services (layer 3).
core-y += kernel/board.o
core-y += kernel/chardev.o
core-y += kernel/config.o
core-y += kernel/console_mux.o
core-y += kernel/engine.o
core-y += kernel/kernel_main.o
core-y += kernel/net_hub.o
core-y += kernel/netdev.o
core-y += kernel/vm.o
core-y += kernel/vm_loop.o
