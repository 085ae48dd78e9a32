/* SPDX-License-Identifier: MIT */
/*
 * The emulation engine's seam with a guest ISA. interp/ (layer 4) runs IR blocks; it does not
 * know any ISA. Each arch/<isa>/guest (layer 5) describes itself with a struct emu_guest_ops and
 * the platform's entry point registers it (emu_register_guest) next to the engines, so this
 * folder never includes an arch header.
 *
 * The run loop, per vCPU (interp/engine.c):
 *   1. leave when vcpu_kick asked (exit_request) or a helper asked for an exit (emu_exit);
 *   2. check_interrupts: the guest may take an interrupt (redirecting its PC) or wake from WFI
 *      (or ask for an exit itself, which is then taken before any block runs);
 *   3. find the block for (PC, its guest-physical address, fetch MMU index, block_flags) in the
 *      block cache, or translate one, verify it and optimize it;
 *   4. run it, interpreted or as the host code the JIT made of it (engines jit and hybrid);
 *      its exit names the next PC, or a fault makes the engine call raise_exception at the
 *      instruction that faulted (the last IR_INSN_START).
 *
 * Helpers (struct ir_helper) receive the struct emu_cpu * as their void *cpu argument; its first
 * member is the state pointer, so `*(struct rv_state **)cpu` also reaches the guest state.
 */
#ifndef PV_INTERP_EMU_H
#define PV_INTERP_EMU_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "ir/ir.h"
#include "lib/fmt.h"
#include "kernel/config.h"
#include "kernel/engine.h"
#include "kernel/vm.h"
#include "mmu/gpa.h"
#include "mmu/tlb.h"

struct emu_cpu;
struct interp_cache;

/* check_interrupts' answer, as bits. */
#define EMU_IRQ_PENDING 0x1u /* an enabled-or-not interrupt is pending: WFI wakes up */
#define EMU_IRQ_TAKEN 0x2u /* the guest took an interrupt: its PC now is the handler */

struct emu_guest_ops {
	enum vm_isa isa;
	const struct ir_guest *ir; /* state size, PC and FP-flag offsets, NaN rule */
	/* The architectural reset state, before the board sets boot registers with set_state. */
	void (*reset)(struct emu_cpu *cpu);
	/*
	 * Decodes one block at the state's PC into block (ir_block_init already called with that
	 * PC): it fetches with mmu_fetch under fetch_mmu_idx(cpu), and fills guest_phys,
	 * guest_bytes, mmu_idx, flags (block_flags(cpu)) and phys_page2 when an
	 * instruction straddles a page. A block ends in an exit. When the very first instruction
	 * cannot be fetched, returns that fetch fault (the engine raises it); a fault further on
	 * ends the block before the instruction instead, which then faults as the first of its own.
	 * Reserved encodings are not a translate failure: they become IR_EXIT_EXCEPTION.
	 */
	struct mmu_fault (*translate)(struct emu_cpu *cpu, struct ir_block *block);
	/*
	 * Enters the guest's trap handler for a synchronous exception: cause and tval in the
	 * ISA's own terms; the state's PC holds the faulting instruction's PC when it is called.
	 */
	void (*raise_exception)(struct emu_cpu *cpu, uint64_t cause, uint64_t tval);
	/* Called between blocks: returns EMU_IRQ_* bits (0: nothing pending). */
	unsigned (*check_interrupts)(struct emu_cpu *cpu);
	/* The page walk the TLB calls on a miss; ctx is the struct emu_cpu. */
	mmu_translate_fn tlb_translate;
	/* The MMU index instruction fetches use now (privilege mode, translation on or off). */
	unsigned (*fetch_mmu_idx)(struct emu_cpu *cpu);
	/* Translation-time state a block depends on besides its MMU index (FP enabled, XLEN...),
	 * part of the block cache's key. NULL when blocks depend on nothing else. */
	uint32_t (*block_flags)(struct emu_cpu *cpu);
	/* The guest's (cause, tval) for a softmmu fault. */
	void (*fault_cause)(struct emu_cpu *cpu, const struct mmu_fault *fault, uint64_t *cause,
			    uint64_t *tval);
};

/* What the run loop counts, printed by `polyrun -d stats`. */
struct emu_stats {
	uint64_t blocks_run;
	uint64_t blocks_looked_up; /* missed the jump cache: found through the fetch and hash table */
	uint64_t blocks_translated;
	uint64_t blocks_invalidated; /* found stale: their code page was written */
	uint64_t insns_run; /* guest instructions of the blocks run (an upper bound at faults) */
	uint64_t exceptions;
	uint64_t interrupts;
	uint64_t blocks_compiled; /* turned into host code by the JIT (jit, hybrid) */
	uint64_t blocks_run_compiled; /* of blocks_run, those that ran as host code */
};

/* The per-vCPU runtime of the emulation engine (vcpu->engine_priv). */
struct emu_cpu {
	void *state; /* the guest's architectural state (ir->state_size bytes); first: hot */
	struct tlb *tlb;
	struct gpa_space *gpa;
	struct vcpu *vcpu;
	const struct emu_guest_ops *ops;
	struct interp_cache *cache;
	atomic_uint exit_request; /* set by vcpu_kick from any thread */
	bool halted; /* in WFI/HLT: runs again once check_interrupts reports a pending IRQ */
	bool exit_pending; /* a helper filled exit with emu_exit */
	bool raised; /* raise_exception ran during the current block: it ends there */
	uint64_t insn_pc; /* guest PC of the instruction being executed (the last INSN_START) */
	struct vm_exit exit;
	struct emu_stats stats;
};

static inline uint64_t *emu_pc(struct emu_cpu *cpu)
{
	return (uint64_t *)((char *)cpu->state + cpu->ops->ir->pc_offset);
}

/*
 * Adds a guest ISA, at boot on one CPU like engine_register. Returns 0, -EINVAL for ops missing a
 * hook or an ISA, -EEXIST when the ISA already has one, -ENOSPC when the table is full.
 */
int emu_register_guest(const struct emu_guest_ops *ops);
void emu_unregister_guest(const struct emu_guest_ops *ops);
const struct emu_guest_ops *emu_find_guest(enum vm_isa isa);

/*
 * Raises a synchronous exception at the current instruction, from a helper (IR_HELPER_MAY_RAISE)
 * or the engine: sets the state's PC to insn_pc, calls the guest's raise_exception and ends the
 * block after the helper returns.
 */
void emu_raise(struct emu_cpu *cpu, uint64_t cause, uint64_t tval);

/* Makes vcpu_run return *exit after the current block (helpers: SBI calls, shutdown, WFI). */
void emu_exit(struct emu_cpu *cpu, const struct vm_exit *exit);

/* Halts the vCPU until check_interrupts reports a pending interrupt (WFI's helper). */
void emu_halt(struct emu_cpu *cpu);

/* The emulation engine's struct vcpu's runtime (NULL before vcpu_init). */
static inline struct emu_cpu *emu_cpu_of(struct vcpu *vcpu)
{
	return vcpu->engine_priv;
}

/* What the engine prints, for `polyrun -d`: EMU_DEBUG_* bits, for every VM. */
#define EMU_DEBUG_IR 0x1u /* each block as translated and as optimized (ir_print) */
#define EMU_DEBUG_STATS 0x2u /* struct emu_stats and the TLB's when a vCPU is destroyed */
#define EMU_DEBUG_OUT_ASM 0x4u /* each block's host code, to the code sink */
void emu_set_debug(unsigned flags);

/*
 * Where EMU_DEBUG_OUT_ASM sends a compiled block: its guest PC and its host code (the platform
 * disassembles it: polyrun with objdump). Called on the vCPU's thread.
 */
typedef void (*emu_code_sink_fn)(void *ctx, uint64_t guest_pc, const void *code, size_t len);
void emu_set_code_sink(emu_code_sink_fn sink, void *ctx);
/* Where that output goes: the console unless a sink is given (polyrun: stderr, as QEMU's -d). */
void emu_set_debug_sink(fmt_sink_fn sink, void *ctx);

/* Registers the interpreter engine (VM_ENGINE_INTERP) with kernel/engine. */
int interp_engine_register(void);
extern const struct engine_ops interp_engine_ops;

/*
 * Registers the JIT's engines with kernel/engine: VM_ENGINE_JIT (compile a block the first time
 * it runs) and VM_ENGINE_HYBRID (interpret it first, compile it once it ran EMU_HYBRID_THRESHOLD
 * times). They share the interpreter engine's loop, and a block the JIT declines runs in the
 * interpreter. Returns 0, -ENOTSUP when this host has no JIT (no backend for its ISA, or no
 * executable memory; nothing is registered then), or engine_register's errors.
 */
int jit_engine_register(void);
extern const struct engine_ops jit_engine_ops;
extern const struct engine_ops hybrid_engine_ops;
#define EMU_HYBRID_THRESHOLD 32

#endif
