/* SPDX-License-Identifier: MIT */
/*
 * Traps of a riscv64 hart (trap.c): entering M or S mode for exceptions and interrupts with
 * medeleg/mideleg delegation, returning with mret/sret, and which interrupt is taken when.
 * Pure functions of struct rv_cpu, shared by the emulation engine's glue and the tests.
 */
#ifndef PV_ARCH_RISCV64_GUEST_TRAP_H
#define PV_ARCH_RISCV64_GUEST_TRAP_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/riscv64/guest/cpu.h"

/*
 * Enters the trap handler for cause (RV_CAUSE_INTERRUPT set for an interrupt) taken at
 * cpu->pc: S mode when the cause is delegated and the hart is not in M mode, else M mode.
 */
void rv_trap_enter(struct rv_cpu *cpu, uint64_t cause, uint64_t tval);

/*
 * The interrupt the hart takes now, if any: pending in mip, enabled in mie, and enabled by the
 * privilege rules (a higher target mode is always enabled, the same mode needs xIE, a lower one
 * never). Highest priority first: MEI, MSI, MTI, SEI, SSI, STI. Returns its cause or 0.
 */
uint64_t rv_interrupt_to_take(const struct rv_cpu *cpu);

/* The same choice for a given mip value. */
uint64_t rv_interrupt_select(const struct rv_cpu *cpu, uint64_t mip);

/* Whether any interrupt is pending and enabled in mie, regardless of xIE: WFI's wake-up rule. */
bool rv_interrupt_pending(const struct rv_cpu *cpu);

/* mret and sret: return to xPP with xIE from xPIE. Return 0, or -EPERM for illegal-instruction. */
int rv_mret(struct rv_cpu *cpu);
int rv_sret(struct rv_cpu *cpu);

/* Whether WFI may stall in the current mode (-EPERM: illegal under TW or in U mode). */
int rv_wfi_check(const struct rv_cpu *cpu);

#endif
