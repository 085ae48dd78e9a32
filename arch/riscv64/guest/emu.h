/* SPDX-License-Identifier: MIT */
/* riscv64 as a guest of the emulation engine (emu.c), and its registration. */
#ifndef PV_ARCH_RISCV64_GUEST_EMU_H
#define PV_ARCH_RISCV64_GUEST_EMU_H

#include <stdint.h>

#include "interp/emu.h"
#include "mmu/tlb.h"

extern const struct emu_guest_ops rv_emu_guest_ops;

/* The RISC-V cause and tval for a softmmu fault (page, access, misaligned; by access kind). */
void rv_fault_cause(const struct mmu_fault *fault, uint64_t *cause, uint64_t *tval);

/*
 * Registers riscv64 with the emulation engine (emu_register_guest) and its boards with kernel/
 * (board_register): what a platform's entry point calls once at start. Returns 0 or the first
 * registry's error.
 */
int rv_guest_register(void);

#endif
