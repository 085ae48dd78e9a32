/* SPDX-License-Identifier: MIT */
/*
 * The riscv64 hart as both engines see it: one struct holding the unprivileged registers, the
 * privileged state of M, S and U modes, and the LR/SC reservation. The emulation engine's IR
 * reaches the registers through byte offsets into it (rv_ir_guest); the hardware engine will copy
 * the same struct into and out of the H-extension's VS CSRs. Views such as sstatus, sie and sip are
 * not stored: they are masks over mstatus, mie and mip, as the privileged spec defines them.
 */
#ifndef PV_ARCH_RISCV64_GUEST_CPU_H
#define PV_ARCH_RISCV64_GUEST_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "ir/ir.h"

enum rv_priv { RV_PRIV_U = 0, RV_PRIV_S = 1, RV_PRIV_M = 3 };

/* mstatus fields (privileged spec, "Machine Status Register"). */
#define RV_MSTATUS_SIE (1ull << 1)
#define RV_MSTATUS_MIE (1ull << 3)
#define RV_MSTATUS_SPIE (1ull << 5)
#define RV_MSTATUS_UBE (1ull << 6)
#define RV_MSTATUS_MPIE (1ull << 7)
#define RV_MSTATUS_SPP (1ull << 8)
#define RV_MSTATUS_VS (3ull << 9)
#define RV_MSTATUS_MPP_SHIFT 11
#define RV_MSTATUS_MPP (3ull << RV_MSTATUS_MPP_SHIFT)
#define RV_MSTATUS_FS (3ull << 13)
#define RV_MSTATUS_FS_DIRTY (3ull << 13)
#define RV_MSTATUS_XS (3ull << 15)
#define RV_MSTATUS_MPRV (1ull << 17)
#define RV_MSTATUS_SUM (1ull << 18)
#define RV_MSTATUS_MXR (1ull << 19)
#define RV_MSTATUS_TVM (1ull << 20)
#define RV_MSTATUS_TW (1ull << 21)
#define RV_MSTATUS_TSR (1ull << 22)
#define RV_MSTATUS_UXL (3ull << 32)
#define RV_MSTATUS_SXL (3ull << 34)
#define RV_MSTATUS_SBE (1ull << 36)
#define RV_MSTATUS_MBE (1ull << 37)
#define RV_MSTATUS_SD (1ull << 63)
/* UXL and SXL read 2: U and S mode are 64-bit and cannot be switched to 32. */
#define RV_MSTATUS_XLEN64 ((2ull << 32) | (2ull << 34))

/* The bits of mstatus that sstatus shows to S mode. */
#define RV_SSTATUS_MASK                                                                       \
	(RV_MSTATUS_SIE | RV_MSTATUS_SPIE | RV_MSTATUS_UBE | RV_MSTATUS_SPP | RV_MSTATUS_VS | \
	 RV_MSTATUS_FS | RV_MSTATUS_XS | RV_MSTATUS_SUM | RV_MSTATUS_MXR | RV_MSTATUS_UXL |   \
	 RV_MSTATUS_SD)

/* Interrupt numbers: bit n of mip/mie, and mcause's code with the interrupt bit set. */
enum rv_irq {
	RV_IRQ_S_SOFT = 1,
	RV_IRQ_M_SOFT = 3,
	RV_IRQ_S_TIMER = 5,
	RV_IRQ_M_TIMER = 7,
	RV_IRQ_S_EXT = 9,
	RV_IRQ_M_EXT = 11,
};
#define RV_MIP_SSIP (1ull << RV_IRQ_S_SOFT)
#define RV_MIP_MSIP (1ull << RV_IRQ_M_SOFT)
#define RV_MIP_STIP (1ull << RV_IRQ_S_TIMER)
#define RV_MIP_MTIP (1ull << RV_IRQ_M_TIMER)
#define RV_MIP_SEIP (1ull << RV_IRQ_S_EXT)
#define RV_MIP_MEIP (1ull << RV_IRQ_M_EXT)
#define RV_MIP_S_MASK (RV_MIP_SSIP | RV_MIP_STIP | RV_MIP_SEIP)
#define RV_MIP_ALL (RV_MIP_S_MASK | RV_MIP_MSIP | RV_MIP_MTIP | RV_MIP_MEIP)

#define RV_CAUSE_INTERRUPT (1ull << 63)

/* Synchronous exception codes (mcause with the interrupt bit clear). */
enum rv_exception {
	RV_EXC_INSN_MISALIGNED = 0,
	RV_EXC_INSN_ACCESS = 1,
	RV_EXC_ILLEGAL_INSN = 2,
	RV_EXC_BREAKPOINT = 3,
	RV_EXC_LOAD_MISALIGNED = 4,
	RV_EXC_LOAD_ACCESS = 5,
	RV_EXC_STORE_MISALIGNED = 6,
	RV_EXC_STORE_ACCESS = 7,
	RV_EXC_ECALL_U = 8,
	RV_EXC_ECALL_S = 9,
	RV_EXC_ECALL_M = 11,
	RV_EXC_INSN_PAGE_FAULT = 12,
	RV_EXC_LOAD_PAGE_FAULT = 13,
	RV_EXC_STORE_PAGE_FAULT = 15,
};

/* satp.MODE values; the walker supports each of them. */
enum rv_satp_mode { RV_SATP_BARE = 0, RV_SATP_SV39 = 8, RV_SATP_SV48 = 9, RV_SATP_SV57 = 10 };
#define RV_SATP_MODE_SHIFT 60
#define RV_SATP_ASID_SHIFT 44
#define RV_SATP_ASID_MASK 0xffffull
#define RV_SATP_PPN_MASK ((1ull << 44) - 1)

/* menvcfg/senvcfg: the cache-block operation enables (Zicbom, Zicboz). */
#define RV_ENVCFG_FIOM (1ull << 0)
#define RV_ENVCFG_CBIE (3ull << 4)
#define RV_ENVCFG_CBCFE (1ull << 6)
#define RV_ENVCFG_CBZE (1ull << 7)
#define RV_MENVCFG_STCE (1ull << 63)

/* The size of a cache block as cbo.* and the device tree's riscv,cbo*-block-size report it. */
#define RV_CACHE_BLOCK_SIZE 64u

#define RV_PMP_COUNT 16

/*
 * What a riscv64 board provides to its harts. Every board of arch/riscv64/guest starts its
 * board_priv with one, so the engine glue finds it from the VM without knowing the board.
 */
struct rv_platform {
	/* The value of the time CSR and of mtime: ticks of the board's timebase. */
	uint64_t (*read_time)(void *ctx);
	/* Called between blocks for devices the host polls (Spike's HTIF, virt's UART input);
	 * returns true when the machine must stop, with *reset telling a reboot from a
	 * poweroff. NULL when nothing is polled. */
	bool (*poll)(void *ctx, bool *reset);
	void *ctx;
	uint64_t reset_pc; /* where harts start: the boot ROM, or the loaded kernel's entry */
	/* a1 and a2 at reset (a0 is the hart id), as firmware hands over the DTB (Linux's
	 * boot protocol, OpenSBI's fw_dynamic info). */
	uint64_t reset_a1, reset_a2;
};

struct rv_cpu {
	/* Unprivileged state: what IR blocks reach by offset. x[0] stays 0: writes to x0 are
	 * dropped by the decoder, never emitted. */
	uint64_t x[32];
	uint64_t pc;
	/* f[n] holds a double, or a single NaN-boxed in the upper 32 bits (all ones). */
	uint64_t f[32];
	uint32_t fflags; /* fcsr.fflags, in IR_FFLAG_* order (the same bits) */
	uint32_t frm; /* fcsr.frm; 0..4 are enum ir_round's first five values */

	/* Privileged state. */
	uint8_t priv; /* enum rv_priv */
	bool wfi; /* stopped in WFI until an interrupt is pending (enabled or not) */
	uint64_t mstatus;
	uint64_t misa;
	uint64_t medeleg;
	uint64_t mideleg;
	uint64_t mie;
	uint64_t mip; /* software-writable bits; the board's lines are merged in by rv_cpu_mip */
	uint64_t mip_lines; /* MEIP, SEIP, MTIP, MSIP driven by the board's devices */
	uint64_t mtvec;
	uint64_t stvec;
	uint64_t mepc;
	uint64_t sepc;
	uint64_t mcause;
	uint64_t scause;
	uint64_t mtval;
	uint64_t stval;
	uint64_t mscratch;
	uint64_t sscratch;
	uint64_t satp;
	uint32_t mcounteren;
	uint32_t scounteren;
	uint64_t menvcfg;
	uint64_t senvcfg;
	uint64_t pmpcfg[RV_PMP_COUNT / 8]; /* pmpcfg0 and pmpcfg2: eight 8-bit entries each */
	uint64_t pmpaddr[RV_PMP_COUNT];
	uint64_t mhartid;
	uint64_t mvendorid;
	uint64_t marchid;
	uint64_t mimpid;
	uint64_t stimecmp;
	/* Counter bases: mcycle and minstret read insns_retired - base, so a write only moves the
	 * base. The engine counts retired instructions into insns_retired. */
	uint64_t insns_retired;
	uint64_t mcycle_base;
	uint64_t minstret_base;

	/* LR/SC: SC succeeds only against the address and value LR saw, compared atomically by
	 * IR_CMPXCHG, so a store by another hart between them makes it fail. */
	uint64_t reservation_addr;
	uint64_t reservation_value;
	uint64_t reservation_valid; /* 0 or 1; 64-bit so IR reaches it without narrowing */

	/* The time when the engine last polled the board: reading the clock at every block
	 * would cost more than the block. */
	uint64_t time_polled;

	const struct rv_platform *platform;
};

/* The description of struct rv_cpu the IR, its printer and every backend use. */
extern const struct ir_guest rv_ir_guest;

/*
 * The hart after reset: M mode at the platform's reset PC (0 without a platform), a0 the hart
 * id, a1 and a2 the platform's reset_a1 and reset_a2, RV64GC with S and U in misa, everything
 * else 0.
 */
void rv_cpu_reset(struct rv_cpu *cpu, uint64_t hartid, const struct rv_platform *platform);

/* mip as software reads it: the writable bits, the board's lines, and Sstc's timer. */
uint64_t rv_cpu_mip(const struct rv_cpu *cpu);

/* mip with Sstc's timer compared against time_polled instead of the clock: what the engine
 * checks between blocks. Never early, at most one poll interval late. */
uint64_t rv_cpu_mip_polled(const struct rv_cpu *cpu);

/* The board raises or lowers one of mip's device-driven lines (MEIP, SEIP, MTIP, MSIP); true
 * when this call raised a line that was low, the edge that must wake a hart waiting in WFI. */
bool rv_cpu_set_irq_line(struct rv_cpu *cpu, uint64_t mip_bit, bool level);

/* The time CSR: the board's timebase, or 0 on a board without one. */
uint64_t rv_cpu_time(const struct rv_cpu *cpu);

#endif
