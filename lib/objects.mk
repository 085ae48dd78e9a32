# lib/: the freestanding base (layer 1).
core-y += lib/bitmap.o
core-y += lib/console.o
core-y += lib/errno.o
core-y += lib/file.o
core-y += lib/fmt.o
core-y += lib/heap.o
core-y += lib/ini.o
core-y += lib/log.o
core-y += lib/panic.o
core-y += lib/str.o
