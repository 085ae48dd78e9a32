/* SPDX-License-Identifier: MIT */
/* polyrun -d out_asm: the JIT's host code, disassembled into the -d log. */
#ifndef PV_TOOLS_POLYRUN_OUT_ASM_H
#define PV_TOOLS_POLYRUN_OUT_ASM_H

#include <stddef.h>
#include <stdint.h>

/*
 * An emu_code_sink_fn: "OUT: block 0x... (N bytes of host code at 0x...)", then the code as
 * binutils' objdump disassembles it at its real address, on stderr; its bytes in hex when
 * objdump cannot run.
 */
void out_asm_block(void *ctx, uint64_t guest_pc, const void *code, size_t len);

#endif
