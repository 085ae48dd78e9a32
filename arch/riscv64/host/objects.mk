# arch/riscv64/host/: riscv64 as the bare-metal host: CPU, counter, virtualization probe (layer 7).
efi-riscv64-y += arch/riscv64/host/cpu.o
efi-riscv64-y += arch/riscv64/host/h_probe.o
efi-riscv64-y += arch/riscv64/host/virt_probe.o
