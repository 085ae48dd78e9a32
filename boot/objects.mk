# boot/: guest loaders (layer 3).
core-y += boot/elf.o
core-y += boot/linux.o
core-y += boot/fdt.o
core-y += boot/fdt_chosen.o
