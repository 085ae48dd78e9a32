/* SPDX-License-Identifier: MIT */
/*
 * The IR interpreter: runs one block's ops against a vCPU. It is the reference semantics of the
 * IR (ir/ir.h) that the JIT's output must match op for op; the engine (interp/engine.c) decides
 * what to do with the way the block ended.
 */
#ifndef PV_INTERP_INTERP_H
#define PV_INTERP_INTERP_H

#include <stdint.h>

#include "interp/emu.h"
#include "ir/ir.h"
#include "mmu/tlb.h"

enum interp_exit_kind {
	INTERP_EXIT_PC, /* GOTO, taken GOTO_IF, JUMP: continue at exit.pc */
	INTERP_EXIT_STATE, /* EXIT_STATE: the state's PC already names the next instruction */
	INTERP_EXIT_EXCEPTION, /* EXIT_EXCEPTION: raise (cause, tval) at cpu->insn_pc */
	INTERP_EXIT_FAULT, /* a memory op faulted at cpu->insn_pc: exit.fault says how */
	INTERP_EXIT_RAISED, /* a helper raised (emu_raise): the guest is in its trap handler */
};

struct interp_exit {
	enum interp_exit_kind kind;
	uint64_t pc;
	uint64_t cause;
	uint64_t tval;
	struct mmu_fault fault;
};

/*
 * One FP op (IR_INFO_FP) of a block, evaluated as interp_exec would: its result, the guest's
 * IEEE flags raised in its state. The JIT calls it for the FP ops it compiles (jit_layout).
 */
uint64_t interp_eval_fp(void *cpu, const struct ir_op *op, const uint64_t *temps);

/*
 * Runs ops[0..nops) (a verified block) on cpu with temps as scratch (ntemps slots), until an exit
 * leaves or an op faults. cpu->insn_pc follows the block's IR_INSN_START markers.
 */
void interp_exec(struct emu_cpu *cpu, const struct ir_op *ops, uint64_t *temps,
		 struct interp_exit *exit);

#endif
