/* SPDX-License-Identifier: MIT */
/*
 * IR optimizer passes, run on a verified block before it is cached. Each keeps the block valid
 * and its guest-visible behaviour (state at exits and faults, memory, flags) unchanged.
 */
#ifndef PV_IR_OPT_H
#define PV_IR_OPT_H

#include "ir/ir.h"

/*
 * Constant folding: integer ops, compares, selects and extensions whose operands are all
 * constants become IR_CONST; a GOTO_IF on a constant becomes a GOTO (taken) or disappears.
 * Returns the number of ops changed.
 */
unsigned ir_fold_constants(struct ir_block *block);

/*
 * Redundant guest-state access elimination: a GET of an offset whose value the block already
 * holds (from an earlier GET or SET) becomes a MOV, and a SET overwritten by a later SET of the
 * same offset with nothing in between that could observe the state is dropped. Helper calls
 * observe the state when their flags say they read it (IR_HELPER_READS_STATE) or may raise;
 * writes by helpers (IR_HELPER_WRITES_STATE) forget every value; FP ops touch the flags and
 * rounding-mode fields; memory ops that may fault and exits observe everything.
 * Returns the number of ops changed.
 */
unsigned ir_eliminate_redundant_state(struct ir_block *block);

/*
 * Copy propagation: an operand that a MOV copied from another temporary reads that temporary
 * instead (while it still holds the same value), so the MOVs that state forwarding leaves die.
 * Returns the number of operands changed.
 */
unsigned ir_propagate_copies(struct ir_block *block);

/*
 * Dead code elimination: ops without effects whose results nothing uses, NOPs, and IR_INSN_START
 * markers of instructions with nothing that can raise or call a helper (memory ops, calls,
 * exception exits) are removed; the ops array is compacted. Returns the number of ops removed.
 */
unsigned ir_eliminate_dead_code(struct ir_block *block);

/* All of the above, to a fixed point (bounded). */
void ir_optimize(struct ir_block *block);

#endif
