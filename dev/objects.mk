# dev/: device models shared by boards (layer 4).
core-y += dev/clint.o
