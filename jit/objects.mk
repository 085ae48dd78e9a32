# jit/: the code cache, the x86-64 backend (empty of code on other hosts) and its slow paths.
core-y += jit/jit.o
core-y += jit/runtime.o
core-y += jit/x86_64.o
