# arch/x86_64/host/: x86_64 as the bare-metal host: CPU, counter, virtualization probe (layer 7).
efi-x86_64-y += arch/x86_64/host/cpu.o
efi-x86_64-y += arch/x86_64/host/virt_probe.o
