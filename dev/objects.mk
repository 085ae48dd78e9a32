# dev/: device models shared by boards (layer 4).
core-y += dev/clint.o
core-y += dev/sifive_test.o
core-y += dev/goldfish_rtc.o
core-y += dev/uart16550.o
core-y += dev/plic.o
