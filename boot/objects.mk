# boot/: guest loaders (layer 3).
core-y += boot/elf.o
