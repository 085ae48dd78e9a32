// SPDX-License-Identifier: MIT
/*
 * Bytes to the riscv64 decoder, as the engine's glue feeds it (arch/riscv64/guest/emu.c): a few
 * bytes of hart state (privilege, mstatus, frm, PC), then the code, 16-bit parcels at a time,
 * until an instruction ends the block, the block is full or the code runs out. Whatever block
 * comes out, the IR verifier must accept it, before and after the optimizer: a refusal is a
 * frontend (or optimizer) bug, and aborts with the verifier's message and the block.
 */
#include <stdio.h>
#include <stdlib.h>

#include "arch/riscv64/guest/cpu.h"
#include "arch/riscv64/guest/decode.h"
#include "arch/riscv64/guest/mmu.h"
#include "ir/builder.h"
#include "ir/opt.h"
#include "ir/print.h"
#include "ir/verify.h"
#include "fuzz.h"

/* As emu.c's limit: the decoder must keep a block valid however many instructions it holds. */
#define BLOCK_MAX_INSNS 128

static const uint8_t privs[] = { RV_PRIV_U, RV_PRIV_S, RV_PRIV_M };

static void print_sink(void *ctx, const char *text, size_t len)
{
	fwrite(text, 1, len, stderr);
}

static void check(const struct ir_block *block, const char *stage)
{
	char msg[160];

	if (!ir_verify(block, msg, sizeof(msg)))
		return;
	fprintf(stderr, "the IR verifier refused the block %s: %s\n", stage, msg);
	ir_print(block, print_sink, NULL);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ir_block block;
	struct fuzz_input in = { data, size };
	struct rv_decoder decoder;
	struct rv_cpu cpu;
	uint64_t pc;

	rv_cpu_reset(&cpu, 0, NULL);
	cpu.priv = privs[fuzz_u8(&in) % 3];
	cpu.mstatus = fuzz_u64(&in);
	cpu.frm = fuzz_u8(&in) & 7;
	pc = fuzz_u64(&in) & ~1ull;
	ir_block_init(&block, &rv_ir_guest, pc);
	rv_decoder_init(&decoder, &block, &cpu, rv_block_flags(&cpu));
	for (;;) {
		uint32_t raw;

		if (fuzz_empty(&in) || block.guest_insns >= BLOCK_MAX_INSNS ||
		    !ir_block_room(&block, RV_INSN_MAX_OPS, RV_INSN_MAX_TEMPS)) {
			ir_exit_goto(&block, pc);
			break;
		}
		raw = fuzz_u16(&in);
		if (rv_insn_length(raw) == 4)
			raw |= (uint32_t)fuzz_u16(&in) << 16;
		if (rv_decode_insn(&decoder, pc, raw))
			break;
		pc += rv_insn_length(raw);
	}
	/* The engine never runs an overflowed block; the frontend must not produce one. */
	if (block.overflow) {
		fprintf(stderr, "the decoder overflowed a block it had checked for room\n");
		abort();
	}
	check(&block, "from the decoder");
	ir_optimize(&block);
	check(&block, "after ir_optimize");
	return 0;
}
