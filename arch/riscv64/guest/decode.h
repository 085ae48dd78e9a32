/* SPDX-License-Identifier: MIT */
/*
 * The riscv64 frontend, one instruction at a time: the engine glue (emu.c) fetches and calls it
 * until it ends the block; unit tests call it on instruction words directly.
 */
#ifndef PV_ARCH_RISCV64_GUEST_DECODE_H
#define PV_ARCH_RISCV64_GUEST_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/riscv64/guest/cpu.h"
#include "ir/ir.h"

struct rv_decoder {
	struct ir_block *block;
	const struct rv_cpu *cpu; /* privilege mode, read at translation */
	uint32_t flags; /* rv_block_flags of the hart when the block is translated */
	bool fp_dirtied; /* the block already marked mstatus.FS Dirty */
	unsigned insns; /* instructions decoded so far */
};

void rv_decoder_init(struct rv_decoder *decoder, struct ir_block *block, const struct rv_cpu *cpu,
		     uint32_t flags);

/*
 * Emits the IR of the instruction raw (16 or 32 bits, by its low bits) at pc. Reserved
 * encodings become an illegal-instruction exit whose tval is raw. Returns true when the
 * instruction ended the block (its exit is emitted); otherwise the next one follows at
 * pc + rv_insn_length(raw). The caller checks ir_block_room(RV_INSN_MAX_OPS, ...) first.
 */
bool rv_decode_insn(struct rv_decoder *decoder, uint64_t pc, uint32_t raw);

/* Room one instruction may need in a block. */
#define RV_INSN_MAX_OPS 48
#define RV_INSN_MAX_TEMPS 48

static inline unsigned rv_insn_length(uint32_t first_parcel)
{
	return (first_parcel & 3u) == 3u ? 4 : 2;
}

/* The 32-bit instruction a compressed one stands for, or 0 for a reserved encoding. */
uint32_t rv_expand_compressed(uint16_t insn);

#endif
