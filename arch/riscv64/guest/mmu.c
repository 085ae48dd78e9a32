// SPDX-License-Identifier: MIT
/*
 * Stage-1 translation of a riscv64 hart: the Sv39, Sv48 and Sv57 page walks of the privileged
 * spec ("Virtual Address Translation Process"), with hardware A/D updates done atomically (a
 * compare-and-swap on the PTE, restarting the walk when another hart changed it), SUM and MXR,
 * and superpage alignment checks, then the physical-memory protection (PMP) check of the page. The softmmu reaches the walk through emu.c;
 * tests call rv_walk directly.
 */
#include <stdint.h>

#include "arch/riscv64/guest/cpu.h"
#include "arch/riscv64/guest/mmu.h"

#define RV_PTE_V (1ull << 0)
#define RV_PTE_R (1ull << 1)
#define RV_PTE_W (1ull << 2)
#define RV_PTE_X (1ull << 3)
#define RV_PTE_U (1ull << 4)
#define RV_PTE_G (1ull << 5)
#define RV_PTE_A (1ull << 6)
#define RV_PTE_D (1ull << 7)
#define RV_PTE_PPN_SHIFT 10
#define RV_PTE_PPN_MASK ((1ull << 44) - 1)
/* Bits 63:54: Svnapot's N, Svpbmt's PBMT and reserved bits, none implemented: they must be 0. */
#define RV_PTE_RESERVED (~0ull << 54)

/* What each MMU index means: the access's privilege, SUM and MXR. */
static const struct {
	uint8_t priv;
	bool sum;
	bool mxr;
} rv_mmu_regimes[RV_MMU_IDX_COUNT] = {
	[RV_MMU_IDX_U] = { RV_PRIV_U, false, false },
	[RV_MMU_IDX_S] = { RV_PRIV_S, false, false },
	[RV_MMU_IDX_S_SUM] = { RV_PRIV_S, true, false },
	[RV_MMU_IDX_M] = { RV_PRIV_M, false, false },
	[RV_MMU_IDX_U_MXR] = { RV_PRIV_U, false, true },
	[RV_MMU_IDX_S_MXR] = { RV_PRIV_S, false, true },
	[RV_MMU_IDX_S_SUM_MXR] = { RV_PRIV_S, true, true },
};

unsigned rv_fetch_mmu_idx(const struct rv_cpu *cpu)
{
	return cpu->priv == RV_PRIV_M ? RV_MMU_IDX_M :
	       cpu->priv == RV_PRIV_S ? RV_MMU_IDX_S :
					RV_MMU_IDX_U;
}

unsigned rv_data_mmu_idx(const struct rv_cpu *cpu)
{
	unsigned priv = cpu->priv;
	bool mxr = cpu->mstatus & RV_MSTATUS_MXR;

	/* MPRV makes M-mode loads and stores use MPP's privilege (and its translation). */
	if (priv == RV_PRIV_M && (cpu->mstatus & RV_MSTATUS_MPRV))
		priv = (unsigned)((cpu->mstatus & RV_MSTATUS_MPP) >> RV_MSTATUS_MPP_SHIFT);
	if (priv == RV_PRIV_M)
		return RV_MMU_IDX_M;
	if (priv == RV_PRIV_U)
		return mxr ? RV_MMU_IDX_U_MXR : RV_MMU_IDX_U;
	if (cpu->mstatus & RV_MSTATUS_SUM)
		return mxr ? RV_MMU_IDX_S_SUM_MXR : RV_MMU_IDX_S_SUM;
	return mxr ? RV_MMU_IDX_S_MXR : RV_MMU_IDX_S;
}

uint32_t rv_block_flags(const struct rv_cpu *cpu)
{
	uint32_t flags = rv_data_mmu_idx(cpu);

	flags |= (uint32_t)((cpu->mstatus & RV_MSTATUS_FS) >> 13) << RV_BLOCK_FS_SHIFT;
	if (cpu->frm <= IR_ROUND_NEAREST_MAX)
		flags |= RV_BLOCK_FRM_VALID;
	return flags;
}

/* The PTE at paddr in RAM (or ROM, which A/D updates cannot write: *writable says which). */
static uint64_t *rv_pte_ptr(struct gpa_space *gpa, uint64_t paddr, bool *writable)
{
	const struct gpa_region *region = gpa_lookup(gpa, paddr);

	if (!region || region->kind == GPA_MMIO || paddr + 8 > region->base + region->size)
		return NULL;
	*writable = region->kind == GPA_RAM;
	return (uint64_t *)(region->host + (paddr - region->base));
}

static unsigned rv_satp_levels(uint64_t satp)
{
	switch (satp >> RV_SATP_MODE_SHIFT) {
	case RV_SATP_SV39:
		return 3;
	case RV_SATP_SV48:
		return 4;
	case RV_SATP_SV57:
		return 5;
	default:
		return 0;
	}
}

/* The accesses a leaf allows the regime, before A/D: MMU_PROT_* bits. */
static unsigned rv_leaf_prot(uint64_t pte, unsigned priv, bool sum, bool mxr)
{
	bool user_page = pte & RV_PTE_U, data_ok, exec_ok;

	if (priv == RV_PRIV_U) {
		data_ok = exec_ok = user_page;
	} else {
		/* S mode never executes user pages, and reads or writes them only with SUM. */
		data_ok = !user_page || sum;
		exec_ok = !user_page;
	}
	return ((data_ok && ((pte & RV_PTE_R) || (mxr && (pte & RV_PTE_X)))) ? MMU_PROT_READ : 0) |
	       ((data_ok && (pte & RV_PTE_W)) ? MMU_PROT_WRITE : 0) |
	       ((exec_ok && (pte & RV_PTE_X)) ? MMU_PROT_EXEC : 0);
}

static unsigned rv_access_prot(enum mmu_access access)
{
	return access == MMU_FETCH ? MMU_PROT_EXEC :
	       access == MMU_STORE ? MMU_PROT_WRITE :
				     MMU_PROT_READ;
}

/* pmpcfg.A: how an entry's address register describes its range. */
enum { RV_PMP_OFF, RV_PMP_TOR, RV_PMP_NA4, RV_PMP_NAPOT };
#define RV_PMP_L 0x80u

static unsigned rv_pmp_cfg(const struct rv_cpu *cpu, unsigned entry)
{
	return (unsigned)(cpu->pmpcfg[entry / 8] >> (8 * (entry % 8))) & 0xffu;
}

/* The bytes [*lo, *hi) entry matches; false when it is off or empty. */
static bool rv_pmp_range(const struct rv_cpu *cpu, unsigned entry, uint64_t *lo, uint64_t *hi)
{
	uint64_t addr = cpu->pmpaddr[entry];
	unsigned ones;

	switch ((rv_pmp_cfg(cpu, entry) >> 3) & 3u) {
	case RV_PMP_TOR:
		*lo = entry ? cpu->pmpaddr[entry - 1] << 2 : 0;
		*hi = addr << 2;
		return *lo < *hi;
	case RV_PMP_NA4:
		*lo = addr << 2;
		*hi = *lo + 4;
		return true;
	case RV_PMP_NAPOT:
		/* The trailing ones of pmpaddr encode the size: 8 << ones bytes. */
		ones = (unsigned)__builtin_ctzll(~addr);
		if (ones >= 54) {
			*lo = 0;
			*hi = UINT64_MAX;
			return true;
		}
		*lo = (addr & ~((1ull << ones) - 1)) << 2;
		*hi = *lo + (8ull << ones);
		return true;
	default:
		return false;
	}
}

unsigned rv_pmp_prot(const struct rv_cpu *cpu, unsigned priv, uint64_t base, uint64_t len)
{
	uint64_t lo, hi;
	unsigned cfg;

	for (unsigned entry = 0; entry < RV_PMP_COUNT; entry++) {
		if (!rv_pmp_range(cpu, entry, &lo, &hi) || base + len <= lo || base >= hi)
			continue;
		/* The first entry that matches any byte decides, and must match them all. */
		if (base < lo || base + len > hi)
			return 0;
		cfg = rv_pmp_cfg(cpu, entry);
		if (priv == RV_PRIV_M && !(cfg & RV_PMP_L))
			return MMU_PROT_READ | MMU_PROT_WRITE | MMU_PROT_EXEC;
		/* pmpcfg's R, W, X bits are MMU_PROT_READ, _WRITE, _EXEC. */
		return cfg & 7u;
	}
	return priv == RV_PRIV_M ? MMU_PROT_READ | MMU_PROT_WRITE | MMU_PROT_EXEC : 0;
}

/*
 * Limits a translation by PMP. The softmmu caches whole 4 KiB pages, so PMP is applied per page:
 * a page only partly covered by the first entry matching it is refused below M mode, never
 * granted more than its strictest byte allows.
 */
static void rv_walk_pmp(const struct rv_cpu *cpu, enum mmu_access access, unsigned priv,
			struct rv_walk *out)
{
	unsigned pmp = rv_pmp_prot(cpu, priv, out->paddr & ~0xfffull, 0x1000);

	if (!(pmp & rv_access_prot(access))) {
		out->fault = MMU_FAULT_ACCESS;
		return;
	}
	out->prot &= pmp;
}

void rv_walk(const struct rv_cpu *cpu, struct gpa_space *gpa, uint64_t vaddr,
	     enum mmu_access access, unsigned mmu_idx, struct rv_walk *out)
{
	unsigned priv = rv_mmu_regimes[mmu_idx].priv, levels = rv_satp_levels(cpu->satp);
	unsigned va_bits = 12 + 9 * levels, level, prot;
	uint64_t pte, pte_addr, table, want, *ptr;
	bool writable;

	*out = (struct rv_walk){ .page_shift = 12 };
	if (priv == RV_PRIV_M || levels == 0) {
		out->paddr = vaddr;
		out->prot = MMU_PROT_READ | MMU_PROT_WRITE | MMU_PROT_EXEC;
		out->global = true;
		rv_walk_pmp(cpu, access, priv, out);
		return;
	}
	/* Bits above the virtual-address width must all equal its top bit. */
	if ((uint64_t)((int64_t)(vaddr << (64 - va_bits)) >> (64 - va_bits)) != vaddr) {
		out->fault = MMU_FAULT_PAGE;
		return;
	}
restart:
	table = (cpu->satp & RV_SATP_PPN_MASK) << 12;
	out->global = false;
	for (level = levels - 1;; level--) {
		pte_addr = table + ((vaddr >> (12 + 9 * level)) & 511u) * 8;
		ptr = rv_pte_ptr(gpa, pte_addr, &writable);
		/* The walk's own reads are S-mode accesses for PMP, whatever mode translates. */
		if (!ptr || !(rv_pmp_prot(cpu, RV_PRIV_S, pte_addr, 8) & MMU_PROT_READ)) {
			out->fault = MMU_FAULT_ACCESS;
			return;
		}
		pte = __atomic_load_n(ptr, __ATOMIC_ACQUIRE);
		if (!(pte & RV_PTE_V) || (!(pte & RV_PTE_R) && (pte & RV_PTE_W)) ||
		    (pte & RV_PTE_RESERVED)) {
			out->fault = MMU_FAULT_PAGE;
			return;
		}
		if (pte & RV_PTE_G)
			out->global = true;
		if (pte & (RV_PTE_R | RV_PTE_X))
			break;
		if (level == 0) {
			out->fault = MMU_FAULT_PAGE;
			return;
		}
		table = ((pte >> RV_PTE_PPN_SHIFT) & RV_PTE_PPN_MASK) << 12;
	}
	/* A superpage's PPN must be aligned to its size. */
	if (level > 0 && ((pte >> RV_PTE_PPN_SHIFT) & ((1ull << (9 * level)) - 1))) {
		out->fault = MMU_FAULT_PAGE;
		return;
	}
	prot = rv_leaf_prot(pte, priv, rv_mmu_regimes[mmu_idx].sum, rv_mmu_regimes[mmu_idx].mxr);
	if (!(prot & rv_access_prot(access))) {
		out->fault = MMU_FAULT_PAGE;
		return;
	}
	want = RV_PTE_A | (access == MMU_STORE ? RV_PTE_D : 0);
	if ((pte & want) != want) {
		if (!writable || !(rv_pmp_prot(cpu, RV_PRIV_S, pte_addr, 8) & MMU_PROT_WRITE)) {
			out->fault = MMU_FAULT_ACCESS;
			return;
		}
		/* Another hart may have changed the PTE since it was read: walk again then. */
		if (!__atomic_compare_exchange_n(ptr, &pte, pte | want, false, __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE))
			goto restart;
		pte |= want;
		/* A store by the walker is a store: code translated from this page is stale. */
		if (gpa_code_marked(gpa, pte_addr))
			gpa_code_written(gpa, pte_addr, 8);
	}
	/* Writes go through the TLB only once D is set, so the first store walks and sets it. */
	if (!(pte & RV_PTE_D))
		prot &= ~MMU_PROT_WRITE;
	out->page_shift = 12 + 9 * level;
	out->prot = prot;
	out->paddr = ((((pte >> RV_PTE_PPN_SHIFT) & RV_PTE_PPN_MASK) << 12) &
		      ~((1ull << out->page_shift) - 1)) |
		     (vaddr & ((1ull << out->page_shift) - 1));
	rv_walk_pmp(cpu, access, priv, out);
}
