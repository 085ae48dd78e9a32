# arch/riscv64/guest: riscv64 as a guest ISA (layer 5): state, decoder, CSRs, traps, page walk.
core-y += arch/riscv64/guest/compress.o
core-y += arch/riscv64/guest/cpu.o
core-y += arch/riscv64/guest/csr.o
core-y += arch/riscv64/guest/decode.o
core-y += arch/riscv64/guest/emu.o
core-y += arch/riscv64/guest/helpers.o
core-y += arch/riscv64/guest/mmu.o
core-y += arch/riscv64/guest/spike.o
core-y += arch/riscv64/guest/trap.o
core-y += arch/riscv64/guest/virt.o
