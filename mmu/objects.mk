# mmu/: guest-physical space and the softmmu (layer 2).
core-y += mmu/gpa.o
core-y += mmu/tlb.o
