# interp/: the IR interpreter and the emulation engine (layer 4).
core-y += interp/cache.o
core-y += interp/engine.o
core-y += interp/fpu.o
core-y += interp/interp.o
