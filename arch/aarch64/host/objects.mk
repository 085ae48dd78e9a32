# arch/aarch64/host/: aarch64 as the bare-metal host: CPU, counter, virtualization probe (layer 7).
efi-aarch64-y += arch/aarch64/host/cpu.o
efi-aarch64-y += arch/aarch64/host/virt_probe.o
