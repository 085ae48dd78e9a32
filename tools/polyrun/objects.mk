# tools/polyrun: lib/plat.h on Linux, polyrun's QEMU-style command line, and its main().
polyrun-y += tools/polyrun/cli.o
polyrun-y += tools/polyrun/main.o
polyrun-y += tools/polyrun/out_asm.o
polyrun-y += tools/polyrun/plat_linux.o
polyrun-y += tools/polyrun/tap.o
polyrun-y += tools/polyrun/machine.o
