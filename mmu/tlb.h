/* SPDX-License-Identifier: MIT */
/*
 * The softmmu: a per-vCPU software TLB and the guest memory accesses that go through it.
 *
 * The TLB is direct-mapped by virtual page number (entry = vpn % TLB_ENTRIES, no hashing), one
 * table per MMU index (the guest's translation regimes: RISC-V's U, S, M, S with SUM, ...). An
 * entry caches one 4 KiB page with a tag per access kind (read, write, execute) and a host
 * addend: on a hit, host address = guest virtual address + addend, so a load is a compare and an
 * add. A tag holds the page's virtual address, or that with flag bits (above the alignment bits
 * and below the page bits) that force the slow path:
 *   TLB_INVALID   no translation for this access kind
 *   TLB_SLOW      MMIO and holes, writes to ROM, writes to a page that holds translated code
 * The fast path compares the tag with (vaddr & (page mask | (size - 1))), so a misaligned
 * access misses too and the slow path splits it or faults.
 *
 * Host memory is accessed with __builtin_memcpy of a constant size: one unaligned-safe load or
 * store, inlined even though -ffreestanding turns off the implicit memcpy builtin.
 *
 * A miss calls the guest ISA's translate callback (its page walk, PMP, ...). Entries carry the
 * ASID they were filled under and whether the mapping is global, so flushes follow RISC-V's
 * sfence.vma (and Arm's TLBI by ASID) without flushing more than needed.
 */
#ifndef PV_MMU_TLB_H
#define PV_MMU_TLB_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "mmu/gpa.h"

#define TLB_BITS 8
#define TLB_ENTRIES (1u << TLB_BITS)
#define TLB_MMU_IDX_MAX 8

#define TLB_INVALID 0x08u
#define TLB_SLOW 0x10u

enum mmu_access { MMU_LOAD, MMU_STORE, MMU_FETCH };

enum mmu_fault_kind {
	MMU_FAULT_NONE,
	MMU_FAULT_PAGE, /* no valid translation, or its permissions refuse the access */
	MMU_FAULT_ACCESS, /* translated, but the physical access failed (no region, device, PMP) */
	MMU_FAULT_MISALIGNED, /* an access that must be aligned was not */
};

/* What went wrong in an access: the guest maps (kind, access) to its own cause. */
struct mmu_fault {
	uint8_t kind; /* enum mmu_fault_kind; MMU_FAULT_NONE when the access succeeded */
	uint8_t access; /* enum mmu_access */
	uint64_t vaddr; /* the faulting virtual address (the guest's tval / FAR) */
};

#define MMU_PROT_READ 0x1u
#define MMU_PROT_WRITE 0x2u
#define MMU_PROT_EXEC 0x4u

/* A translation the guest's page walk found for one virtual address. */
struct mmu_translation {
	uint64_t paddr; /* guest-physical address of the 4 KiB page holding vaddr */
	uint8_t page_shift; /* 12 for a 4 KiB leaf, 21 for 2 MiB, 30, 39, 48 for larger ones */
	/*
	 * MMU_PROT_*: the accesses this translation may serve later without another walk. A walk
	 * that sets A/D bits grants WRITE only once D is set, so the first store walks again.
	 */
	uint8_t prot;
	bool global; /* survives flushes by ASID */
	uint16_t asid;
};

/*
 * The guest's page walk for one access at vaddr under mmu_idx. Returns MMU_FAULT_NONE with *out
 * filled (and the translation must allow this access), or the fault the guest must take.
 */
typedef enum mmu_fault_kind (*mmu_translate_fn)(void *ctx, uint64_t vaddr, enum mmu_access access,
						unsigned mmu_idx, struct mmu_translation *out);

struct tlb_entry {
	uint64_t tag_read;
	uint64_t tag_write;
	uint64_t tag_exec;
	uintptr_t addend; /* host = vaddr + addend, for RAM and ROM pages */
	uint64_t paddr; /* guest-physical page, for the slow path */
	uint64_t vpage; /* the virtual page, for flushes (the tags may be invalid) */
	uint16_t asid;
	bool global;
};

struct tlb_stats {
	uint64_t misses; /* translate callbacks */
	uint64_t slow; /* accesses the slow path served (MMIO, code pages, misaligned) */
	uint64_t flushes;
};

struct tlb {
	struct tlb_entry entries[TLB_MMU_IDX_MAX][TLB_ENTRIES];
	/* Per MMU index, the virtual range covered by large pages filled since the last flush:
	 * a flush by address inside it flushes the whole index (one large page spans entries). */
	uint64_t large_base[TLB_MMU_IDX_MAX];
	uint64_t large_mask[TLB_MMU_IDX_MAX];
	struct gpa_space *gpa;
	mmu_translate_fn translate;
	void *translate_ctx;
	unsigned code_epoch; /* gpa->code_epoch at the last full flush */
	/* Moves at every flush: what was learnt about virtual addresses before (the engine's jump
	 * cache from virtual PC to block) holds while it stays the same. */
	uint64_t generation;
	struct tlb_stats stats;
};

/* An empty TLB over gpa; translate(ctx, ...) fills it. */
void tlb_init(struct tlb *tlb, struct gpa_space *gpa, mmu_translate_fn translate, void *ctx);

/*
 * Flushes, each over the MMU indexes whose bit is set in idx_mask, following sfence.vma:
 *   tlb_flush_all          every entry
 *   tlb_flush_page         every entry for the page holding vaddr, global or not, any ASID
 *   tlb_flush_asid         every non-global entry filled under asid
 *   tlb_flush_page_asid    the non-global entry for vaddr's page filled under asid
 */
void tlb_flush_all(struct tlb *tlb, unsigned idx_mask);
void tlb_flush_page(struct tlb *tlb, unsigned idx_mask, uint64_t vaddr);
void tlb_flush_asid(struct tlb *tlb, unsigned idx_mask, uint16_t asid);
void tlb_flush_page_asid(struct tlb *tlb, unsigned idx_mask, uint64_t vaddr, uint16_t asid);
#define TLB_IDX_ALL ((1u << TLB_MMU_IDX_MAX) - 1)

/* Flushes everything when a page became code since the last check (see struct gpa_space). */
static inline void tlb_sync_code_epoch(struct tlb *tlb)
{
	unsigned epoch = atomic_load_explicit(&tlb->gpa->code_epoch, memory_order_acquire);

	if (epoch != tlb->code_epoch) {
		tlb_flush_all(tlb, TLB_IDX_ALL);
		tlb->code_epoch = epoch;
	}
}

/* The slow paths behind the inline accessors below. */
struct mmu_fault mmu_load_slow(struct tlb *tlb, unsigned mmu_idx, uint64_t vaddr,
			       unsigned log2_size, bool aligned, uint64_t *value);
struct mmu_fault mmu_store_slow(struct tlb *tlb, unsigned mmu_idx, uint64_t vaddr,
				unsigned log2_size, bool aligned, uint64_t value);

static inline struct tlb_entry *tlb_entry_of(struct tlb *tlb, unsigned mmu_idx, uint64_t vaddr)
{
	return &tlb->entries[mmu_idx][(vaddr >> GPA_PAGE_SHIFT) & (TLB_ENTRIES - 1)];
}

static inline uint64_t mmu_tag_of(uint64_t vaddr, unsigned log2_size)
{
	return vaddr & (GPA_PAGE_MASK | ((1ull << log2_size) - 1));
}

/*
 * Loads 1 << log2_size bytes (little-endian, zero-extended into *value) from vaddr. aligned: a
 * misaligned access faults (MMU_FAULT_MISALIGNED) rather than being split into bytes.
 */
static inline struct mmu_fault mmu_load(struct tlb *tlb, unsigned mmu_idx, uint64_t vaddr,
					unsigned log2_size, bool aligned, uint64_t *value)
{
	struct tlb_entry *entry = tlb_entry_of(tlb, mmu_idx, vaddr);

	if (__builtin_expect(entry->tag_read == mmu_tag_of(vaddr, log2_size), 1)) {
		const void *host = (const void *)(uintptr_t)(vaddr + entry->addend);

		switch (log2_size) {
		case 0:
			*value = *(const uint8_t *)host;
			break;
		case 1: {
			uint16_t v;
			__builtin_memcpy(&v, host, 2);
			*value = v;
			break;
		}
		case 2: {
			uint32_t v;
			__builtin_memcpy(&v, host, 4);
			*value = v;
			break;
		}
		default:
			__builtin_memcpy(value, host, 8);
			break;
		}
		return (struct mmu_fault){ 0 };
	}
	return mmu_load_slow(tlb, mmu_idx, vaddr, log2_size, aligned, value);
}

/* Stores the low 1 << log2_size bytes of value at vaddr; aligned as for mmu_load. */
static inline struct mmu_fault mmu_store(struct tlb *tlb, unsigned mmu_idx, uint64_t vaddr,
					 unsigned log2_size, bool aligned, uint64_t value)
{
	struct tlb_entry *entry = tlb_entry_of(tlb, mmu_idx, vaddr);

	if (__builtin_expect(entry->tag_write == mmu_tag_of(vaddr, log2_size), 1)) {
		void *host = (void *)(uintptr_t)(vaddr + entry->addend);

		switch (log2_size) {
		case 0:
			*(uint8_t *)host = (uint8_t)value;
			break;
		case 1: {
			uint16_t v = (uint16_t)value;
			__builtin_memcpy(host, &v, 2);
			break;
		}
		case 2: {
			uint32_t v = (uint32_t)value;
			__builtin_memcpy(host, &v, 4);
			break;
		}
		default:
			__builtin_memcpy(host, &value, 8);
			break;
		}
		return (struct mmu_fault){ 0 };
	}
	return mmu_store_slow(tlb, mmu_idx, vaddr, log2_size, aligned, value);
}

/*
 * The host address of an aligned 1 << log2_size byte atomic at vaddr, for C11 atomics: the
 * page must be RAM, readable, and writable too when write is set (AMOs, SC; LR reads only). A
 * write access invalidates translated code in the page. MMIO and ROM answer with an access
 * fault, misalignment with MMU_FAULT_MISALIGNED; page faults are those of the access kind.
 */
struct mmu_fault mmu_atomic_ptr(struct tlb *tlb, unsigned mmu_idx, uint64_t vaddr,
				unsigned log2_size, bool write, void **host);

/*
 * Instruction fetch: the host address of the code at vaddr, readable up to the end of its 4 KiB
 * page, and its guest-physical address (the block cache's key). RAM and ROM only: fetching from
 * MMIO or nothing is an access fault.
 */
struct mmu_fault mmu_fetch_slow(struct tlb *tlb, unsigned mmu_idx, uint64_t vaddr,
				const uint8_t **host, uint64_t *paddr);

static inline struct mmu_fault mmu_fetch(struct tlb *tlb, unsigned mmu_idx, uint64_t vaddr,
					 const uint8_t **host, uint64_t *paddr)
{
	struct tlb_entry *entry = tlb_entry_of(tlb, mmu_idx, vaddr);

	if (__builtin_expect(entry->tag_exec == (vaddr & GPA_PAGE_MASK), 1)) {
		*host = (const uint8_t *)(uintptr_t)(vaddr + entry->addend);
		*paddr = entry->paddr | (vaddr & ~GPA_PAGE_MASK);
		return (struct mmu_fault){ 0 };
	}
	return mmu_fetch_slow(tlb, mmu_idx, vaddr, host, paddr);
}

#endif
