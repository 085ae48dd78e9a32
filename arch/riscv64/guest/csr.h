/* SPDX-License-Identifier: MIT */
/*
 * The riscv64 CSR file (csr.c): numbers, access checks and reads/writes with the privileged
 * spec's WARL rules. Pure functions of struct rv_cpu, so both engines and the tests use them; a
 * write that needs the engine to act (flush its TLB) says so in *effects.
 */
#ifndef PV_ARCH_RISCV64_GUEST_CSR_H
#define PV_ARCH_RISCV64_GUEST_CSR_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/riscv64/guest/cpu.h"
#include "arch/riscv64/guest/helpers.h"

enum rv_csr_num {
	RV_CSR_FFLAGS = 0x001,
	RV_CSR_FRM = 0x002,
	RV_CSR_FCSR = 0x003,
	RV_CSR_CYCLE = 0xc00,
	RV_CSR_TIME = 0xc01,
	RV_CSR_INSTRET = 0xc02,
	RV_CSR_HPMCOUNTER3 = 0xc03,
	RV_CSR_HPMCOUNTER31 = 0xc1f,
	RV_CSR_SSTATUS = 0x100,
	RV_CSR_SIE = 0x104,
	RV_CSR_STVEC = 0x105,
	RV_CSR_SCOUNTEREN = 0x106,
	RV_CSR_SENVCFG = 0x10a,
	RV_CSR_SSCRATCH = 0x140,
	RV_CSR_SEPC = 0x141,
	RV_CSR_SCAUSE = 0x142,
	RV_CSR_STVAL = 0x143,
	RV_CSR_SIP = 0x144,
	RV_CSR_STIMECMP = 0x14d,
	RV_CSR_SATP = 0x180,
	RV_CSR_MVENDORID = 0xf11,
	RV_CSR_MARCHID = 0xf12,
	RV_CSR_MIMPID = 0xf13,
	RV_CSR_MHARTID = 0xf14,
	RV_CSR_MCONFIGPTR = 0xf15,
	RV_CSR_MSTATUS = 0x300,
	RV_CSR_MISA = 0x301,
	RV_CSR_MEDELEG = 0x302,
	RV_CSR_MIDELEG = 0x303,
	RV_CSR_MIE = 0x304,
	RV_CSR_MTVEC = 0x305,
	RV_CSR_MCOUNTEREN = 0x306,
	RV_CSR_MENVCFG = 0x30a,
	RV_CSR_MCOUNTINHIBIT = 0x320,
	RV_CSR_MHPMEVENT3 = 0x323,
	RV_CSR_MHPMEVENT31 = 0x33f,
	RV_CSR_MSCRATCH = 0x340,
	RV_CSR_MEPC = 0x341,
	RV_CSR_MCAUSE = 0x342,
	RV_CSR_MTVAL = 0x343,
	RV_CSR_MIP = 0x344,
	RV_CSR_PMPCFG0 = 0x3a0,
	RV_CSR_PMPADDR0 = 0x3b0,
	RV_CSR_TSELECT = 0x7a0,
	RV_CSR_TDATA1 = 0x7a1,
	RV_CSR_TDATA2 = 0x7a2,
	RV_CSR_TDATA3 = 0x7a3,
	RV_CSR_TINFO = 0x7a4,
	RV_CSR_MCYCLE = 0xb00,
	RV_CSR_MINSTRET = 0xb02,
	RV_CSR_MHPMCOUNTER3 = 0xb03,
	RV_CSR_MHPMCOUNTER31 = 0xb1f,
};

/* What the engine must do after a write. */
#define RV_CSR_EFFECT_FLUSH_TLB 0x1u /* satp changed: cached translations are stale */
#define RV_CSR_EFFECT_FLUSH_ALL 0x2u /* PMP changed: M mode's cached pages are stale too */

/*
 * Whether the current mode may read (write false) or write the CSR: it exists, the mode has the
 * privilege its number encodes, it is not read-only for a write, and its own rules (FS, counter
 * enables, TVM, STCE) allow it. Returns 0 or -EPERM: the guest takes an illegal instruction.
 */
int rv_csr_check(const struct rv_cpu *cpu, unsigned csr, bool write);
/* Checked accesses; writes apply the CSR's WARL rules. Return 0 or -EPERM. */
int rv_csr_read(struct rv_cpu *cpu, unsigned csr, uint64_t *value);
int rv_csr_write(struct rv_cpu *cpu, unsigned csr, uint64_t value, unsigned *effects);

/*
 * The value CSRRS and CSRRC set or clear bits in, given what the read returned: for mip, SEIP as
 * software wrote it rather than ORed with the PLIC's line, as the privileged spec rules; else
 * the value read. Setting SSIP while a device interrupt is pending must not latch SEIP on.
 */
uint64_t rv_csr_rmw_base(const struct rv_cpu *cpu, unsigned csr, uint64_t old);

/* Whether menvcfg/senvcfg let the current mode run a cbo.* of this kind. */
bool rv_cbo_allowed(const struct rv_cpu *cpu, enum rv_cbo kind);

#endif
