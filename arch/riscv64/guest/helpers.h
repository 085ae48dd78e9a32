/* SPDX-License-Identifier: MIT */
/*
 * The helpers riscv64 blocks call for what IR does not express: CSR accesses, xRET, WFI,
 * sfence.vma, cache-block permission checks. Each receives the struct emu_cpu * (interp/emu.h).
 */
#ifndef PV_ARCH_RISCV64_GUEST_HELPERS_H
#define PV_ARCH_RISCV64_GUEST_HELPERS_H

#include "ir/ir.h"

/* rv_helper_csr's first argument: CSR number, operation and which halves happen. */
#define RV_CSR_NUM_MASK 0xfffu
#define RV_CSR_OP_SHIFT 12
#define RV_CSR_OP_RW 1u
#define RV_CSR_OP_RS 2u
#define RV_CSR_OP_RC 3u
#define RV_CSR_DO_READ (1u << 14)
#define RV_CSR_DO_WRITE (1u << 15)
/* The instruction's index in its block: with the engine's count of instructions run before the
 * block, it makes instret exact at the CSR access. */
#define RV_CSR_INDEX_SHIFT 16

/* (csr|op|flags, source value, instruction bits) -> old value; raises illegal-instruction. */
extern const struct ir_helper rv_helper_csr;

/* cbo.*: (kind, instruction bits) -> 0; raises illegal-instruction when envcfg forbids it. */
enum rv_cbo { RV_CBO_INVAL = 0, RV_CBO_CLEAN = 1, RV_CBO_FLUSH = 2, RV_CBO_ZERO = 4 };
extern const struct ir_helper rv_helper_cbo_check;

/* (instruction bits): set the PC themselves; raise illegal-instruction where TSR/priv forbid. */
extern const struct ir_helper rv_helper_mret;
extern const struct ir_helper rv_helper_sret;
/* (instruction bits): halts until an interrupt is pending; illegal under mstatus.TW. */
extern const struct ir_helper rv_helper_wfi;
/* (rs1 value, rs2 value, instruction bits): flushes the TLB as sfence.vma rs1, rs2 asks. */
extern const struct ir_helper rv_helper_sfence_vma;
/* (): drops this hart's translated code. */

#endif
