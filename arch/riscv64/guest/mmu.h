/* SPDX-License-Identifier: MIT */
/*
 * The hart's address translation: MMU indexes (the softmmu's translation regimes), the Sv39,
 * Sv48 and Sv57 walks with hardware A/D updates, and the translation-time flags a block depends
 * on (which data regime its loads and stores use, FP state).
 */
#ifndef PV_ARCH_RISCV64_GUEST_MMU_H
#define PV_ARCH_RISCV64_GUEST_MMU_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/riscv64/guest/cpu.h"
#include "mmu/gpa.h"
#include "mmu/tlb.h"

/*
 * MMU indexes: one per distinct translation regime, so a TLB entry never serves an access whose
 * permissions differ. Bits 1:0 are the privilege of the access, bit 2 SUM (meaningful for S),
 * bit 3 MXR; M-mode accesses are untranslated and always use RV_MMU_IDX_M. Fetches use only
 * U, S and M: SUM, MXR and MPRV never affect them.
 */
enum rv_mmu_idx {
	RV_MMU_IDX_U = 0,
	RV_MMU_IDX_S = 1,
	RV_MMU_IDX_S_SUM = 2,
	RV_MMU_IDX_M = 3,
	RV_MMU_IDX_U_MXR = 4,
	RV_MMU_IDX_S_MXR = 5,
	RV_MMU_IDX_S_SUM_MXR = 6,
	RV_MMU_IDX_COUNT = 7,
};
/* Every index that goes through satp: what a satp write or sfence.vma flushes. */
#define RV_MMU_IDX_TRANSLATED_MASK (((1u << RV_MMU_IDX_COUNT) - 1) & ~(1u << RV_MMU_IDX_M))

/* The regime of instruction fetches at the hart's current privilege. */
unsigned rv_fetch_mmu_idx(const struct rv_cpu *cpu);
/* The regime of loads and stores: MPRV's MPP in M mode, SUM and MXR from mstatus. */
unsigned rv_data_mmu_idx(const struct rv_cpu *cpu);

/* Block flags: the data MMU index, mstatus.FS, and whether frm holds a valid rounding mode. */
#define RV_BLOCK_MEM_IDX_MASK 0x7u
#define RV_BLOCK_FS_SHIFT 3
#define RV_BLOCK_FS_MASK (3u << RV_BLOCK_FS_SHIFT)
#define RV_BLOCK_FS_DIRTY RV_BLOCK_FS_MASK
#define RV_BLOCK_FRM_VALID (1u << 5)
uint32_t rv_block_flags(const struct rv_cpu *cpu);

/*
 * What a walk found: the leaf's permissions after SUM/MXR, or the fault. Separate from the
 * softmmu's types so the page-walk tests and the hardware engine's emulated MMIO paths use it too.
 */
struct rv_walk {
	uint64_t paddr; /* guest-physical address of vaddr itself */
	unsigned page_shift; /* 12, 21, 30, 39 or 48 */
	unsigned prot; /* MMU_PROT_* the access regime may use through this leaf */
	bool global;
	enum mmu_fault_kind fault;
};

/*
 * Translates vaddr for access under mmu_idx with the hart's satp, reading and (for A/D)
 * atomically updating page tables in gpa, then applies PMP to the page. Bare satp or M mode:
 * identity. A walk refused by PMP (for the page or a page-table read) is an access fault.
 */
void rv_walk(const struct rv_cpu *cpu, struct gpa_space *gpa, uint64_t vaddr,
	     enum mmu_access access, unsigned mmu_idx, struct rv_walk *out);

/*
 * What PMP lets priv do to all of [base, base + len): MMU_PROT_* bits. M mode is bound only by
 * locked entries; S and U need a matching entry, as at least one is implemented.
 */
unsigned rv_pmp_prot(const struct rv_cpu *cpu, unsigned priv, uint64_t base, uint64_t len);

/* The softmmu's miss handler (mmu_translate_fn); ctx is the hart's struct emu_cpu. */
enum mmu_fault_kind rv_tlb_translate(void *ctx, uint64_t vaddr, enum mmu_access access,
				     unsigned mmu_idx, struct mmu_translation *out);

/* The ASID of satp, for the TLB's flush rules. */
static inline uint16_t rv_satp_asid(uint64_t satp)
{
	return (uint16_t)((satp >> RV_SATP_ASID_SHIFT) & RV_SATP_ASID_MASK);
}

#endif
