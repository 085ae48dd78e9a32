// SPDX-License-Identifier: MIT
/*
 * The softmmu's TLB and slow paths (mmu/tlb.h). The fast paths are inline in the header; here is
 * what happens on a miss (the guest's walk fills an entry), for pages the fast path must not
 * touch directly (MMIO, ROM writes, pages holding translated code), for misaligned accesses,
 * and the sfence.vma-style flushes.
 */
#include "mmu/tlb.h"

#include <string.h>

/* large_base when no large page was filled: no masked address has its low bits set. */
#define TLB_NO_LARGE UINT64_MAX

static void entry_invalidate(struct tlb_entry *entry)
{
	entry->tag_read = TLB_INVALID;
	entry->tag_write = TLB_INVALID;
	entry->tag_exec = TLB_INVALID;
	entry->addend = 0;
	entry->paddr = 0;
	entry->vpage = TLB_INVALID;
	entry->asid = 0;
	entry->global = false;
}

static void flush_index(struct tlb *tlb, unsigned idx)
{
	unsigned i;

	for (i = 0; i < TLB_ENTRIES; i++)
		entry_invalidate(&tlb->entries[idx][i]);
	tlb->large_mask[idx] = 0;
	tlb->large_base[idx] = TLB_NO_LARGE;
}

void tlb_init(struct tlb *tlb, struct gpa_space *gpa, mmu_translate_fn translate, void *ctx)
{
	unsigned idx;

	for (idx = 0; idx < TLB_MMU_IDX_MAX; idx++)
		flush_index(tlb, idx);
	tlb->gpa = gpa;
	tlb->translate = translate;
	tlb->translate_ctx = ctx;
	tlb->code_epoch = atomic_load_explicit(&gpa->code_epoch, memory_order_acquire);
	tlb->stats = (struct tlb_stats){ 0 };
}

void tlb_flush_all(struct tlb *tlb, unsigned idx_mask)
{
	unsigned idx;

	tlb->stats.flushes++;
	tlb->generation++;
	for (idx = 0; idx < TLB_MMU_IDX_MAX; idx++)
		if (idx_mask & (1u << idx))
			flush_index(tlb, idx);
}

static bool in_large_range(const struct tlb *tlb, unsigned idx, uint64_t vaddr)
{
	return tlb->large_base[idx] != TLB_NO_LARGE &&
	       (vaddr & tlb->large_mask[idx]) == tlb->large_base[idx];
}

/* Flushes vaddr's entry in every index of idx_mask; any_asid false keeps global entries and
 * those of other ASIDs. */
static void flush_page(struct tlb *tlb, unsigned idx_mask, uint64_t vaddr, bool any_asid,
		       uint16_t asid)
{
	uint64_t vpage = vaddr & GPA_PAGE_MASK;
	unsigned idx;

	tlb->stats.flushes++;
	tlb->generation++;
	for (idx = 0; idx < TLB_MMU_IDX_MAX; idx++) {
		struct tlb_entry *entry;

		if (!(idx_mask & (1u << idx)))
			continue;
		/* One large page fills many entries: without knowing which, flush them all. */
		if (in_large_range(tlb, idx, vaddr)) {
			flush_index(tlb, idx);
			continue;
		}
		entry = tlb_entry_of(tlb, idx, vaddr);
		if (entry->vpage != vpage)
			continue;
		if (any_asid || (!entry->global && entry->asid == asid))
			entry_invalidate(entry);
	}
}

void tlb_flush_page(struct tlb *tlb, unsigned idx_mask, uint64_t vaddr)
{
	flush_page(tlb, idx_mask, vaddr, true, 0);
}

void tlb_flush_page_asid(struct tlb *tlb, unsigned idx_mask, uint64_t vaddr, uint16_t asid)
{
	flush_page(tlb, idx_mask, vaddr, false, asid);
}

void tlb_flush_asid(struct tlb *tlb, unsigned idx_mask, uint16_t asid)
{
	unsigned idx, i;

	tlb->stats.flushes++;
	tlb->generation++;
	for (idx = 0; idx < TLB_MMU_IDX_MAX; idx++) {
		if (!(idx_mask & (1u << idx)))
			continue;
		for (i = 0; i < TLB_ENTRIES; i++) {
			struct tlb_entry *entry = &tlb->entries[idx][i];

			if (!entry->global && entry->asid == asid)
				entry_invalidate(entry);
		}
	}
}

static void note_large_page(struct tlb *tlb, unsigned idx, uint64_t vaddr, unsigned page_shift)
{
	uint64_t mask = page_shift >= 64 ? 0 : ~((1ull << page_shift) - 1);

	if (tlb->large_base[idx] != TLB_NO_LARGE)
		mask &= tlb->large_mask[idx];
	/* Widen the range until it covers both the old range and this page (mask 0: all). */
	while (mask && tlb->large_base[idx] != TLB_NO_LARGE &&
	       (vaddr & mask) != (tlb->large_base[idx] & mask))
		mask <<= 1;
	tlb->large_mask[idx] = mask;
	tlb->large_base[idx] = vaddr & mask;
}

/* The tag of an access kind: the page, with TLB_SLOW when the fast path must not take it. */
static uint64_t make_tag(uint64_t vpage, bool allowed, bool slow)
{
	if (!allowed)
		return TLB_INVALID;
	return vpage | (slow ? TLB_SLOW : 0);
}

/* Walks for access at vaddr and fills its entry. */
static enum mmu_fault_kind tlb_fill(struct tlb *tlb, unsigned idx, uint64_t vaddr,
				    enum mmu_access access)
{
	struct tlb_entry *entry = tlb_entry_of(tlb, idx, vaddr);
	uint64_t vpage = vaddr & GPA_PAGE_MASK;
	const struct gpa_region *region;
	struct mmu_translation tr = { 0 };
	enum mmu_fault_kind kind;
	bool memory, code;

	tlb->stats.misses++;
	kind = tlb->translate(tlb->translate_ctx, vaddr, access, idx, &tr);
	if (kind != MMU_FAULT_NONE)
		return kind;
	tr.paddr &= GPA_PAGE_MASK;
	region = gpa_lookup(tlb->gpa, tr.paddr);
	memory = region && region->kind != GPA_MMIO;
	code = memory && gpa_code_marked(tlb->gpa, tr.paddr);

	if (entry->vpage != vpage || entry->paddr != tr.paddr)
		entry_invalidate(entry);
	entry->vpage = vpage;
	entry->paddr = tr.paddr;
	entry->asid = tr.asid;
	entry->global = tr.global;
	entry->addend =
		memory ? (uintptr_t)(region->host + (tr.paddr - region->base)) - (uintptr_t)vpage :
			 0;
	entry->tag_read = make_tag(vpage, tr.prot & MMU_PROT_READ, !memory);
	entry->tag_write = make_tag(vpage, tr.prot & MMU_PROT_WRITE,
				    !memory || region->kind == GPA_ROM || code);
	entry->tag_exec = make_tag(vpage, tr.prot & MMU_PROT_EXEC, !memory);
	if (tr.page_shift > GPA_PAGE_SHIFT)
		note_large_page(tlb, idx, vaddr, tr.page_shift);
	return MMU_FAULT_NONE;
}

static struct mmu_fault fault_of(enum mmu_fault_kind kind, enum mmu_access access, uint64_t vaddr)
{
	return (struct mmu_fault){ .kind = (uint8_t)kind,
				   .access = (uint8_t)access,
				   .vaddr = vaddr };
}

static uint64_t *tag_of(struct tlb_entry *entry, enum mmu_access access)
{
	switch (access) {
	case MMU_LOAD:
		return &entry->tag_read;
	case MMU_STORE:
		return &entry->tag_write;
	default:
		return &entry->tag_exec;
	}
}

/* Makes vaddr's entry valid for access (walking when needed); returns the entry or the fault. */
static enum mmu_fault_kind entry_for(struct tlb *tlb, unsigned idx, uint64_t vaddr,
				     enum mmu_access access, struct tlb_entry **out)
{
	struct tlb_entry *entry = tlb_entry_of(tlb, idx, vaddr);
	enum mmu_fault_kind kind;

	if ((*tag_of(entry, access) & ~(uint64_t)TLB_SLOW) != (vaddr & GPA_PAGE_MASK)) {
		kind = tlb_fill(tlb, idx, vaddr, access);
		if (kind != MMU_FAULT_NONE)
			return kind;
	}
	*out = entry;
	return MMU_FAULT_NONE;
}

/* One access inside one page, through a valid entry. */
static struct mmu_fault page_load(struct tlb *tlb, unsigned idx, uint64_t vaddr, unsigned size,
				  uint64_t *value)
{
	struct tlb_entry *entry;
	enum mmu_fault_kind kind = entry_for(tlb, idx, vaddr, MMU_LOAD, &entry);

	if (kind != MMU_FAULT_NONE)
		return fault_of(kind, MMU_LOAD, vaddr);
	if (entry->tag_read & TLB_SLOW) {
		tlb->stats.slow++;
		if (gpa_access_read(tlb->gpa, entry->paddr | (vaddr & ~GPA_PAGE_MASK), size, value))
			return fault_of(MMU_FAULT_ACCESS, MMU_LOAD, vaddr);
		return fault_of(MMU_FAULT_NONE, MMU_LOAD, 0);
	}
	*value = 0;
	memcpy(value, (const void *)(uintptr_t)(vaddr + entry->addend), size);
	return fault_of(MMU_FAULT_NONE, MMU_LOAD, 0);
}

/* Refreshes a write tag whose page no longer holds code, so later stores take the fast path. */
static void refresh_write_tag(struct tlb *tlb, struct tlb_entry *entry)
{
	const struct gpa_region *region = gpa_lookup(tlb->gpa, entry->paddr);

	if (region && region->kind == GPA_RAM && !gpa_code_marked(tlb->gpa, entry->paddr))
		entry->tag_write &= ~(uint64_t)TLB_SLOW;
}

static struct mmu_fault page_store(struct tlb *tlb, unsigned idx, uint64_t vaddr, unsigned size,
				   uint64_t value)
{
	struct tlb_entry *entry;
	enum mmu_fault_kind kind = entry_for(tlb, idx, vaddr, MMU_STORE, &entry);

	if (kind != MMU_FAULT_NONE)
		return fault_of(kind, MMU_STORE, vaddr);
	if (entry->tag_write & TLB_SLOW) {
		tlb->stats.slow++;
		if (gpa_access_write(tlb->gpa, entry->paddr | (vaddr & ~GPA_PAGE_MASK), size,
				     value))
			return fault_of(MMU_FAULT_ACCESS, MMU_STORE, vaddr);
		refresh_write_tag(tlb, entry);
		return fault_of(MMU_FAULT_NONE, MMU_STORE, 0);
	}
	memcpy((void *)(uintptr_t)(vaddr + entry->addend), &value, size);
	return fault_of(MMU_FAULT_NONE, MMU_STORE, 0);
}

static bool misaligned(uint64_t vaddr, unsigned log2_size)
{
	return vaddr & ((1ull << log2_size) - 1);
}

struct mmu_fault mmu_load_slow(struct tlb *tlb, unsigned mmu_idx, uint64_t vaddr,
			       unsigned log2_size, bool aligned, uint64_t *value)
{
	unsigned size = 1u << log2_size, i;
	struct mmu_fault fault;
	uint64_t byte, result = 0;

	if (!misaligned(vaddr, log2_size))
		return page_load(tlb, mmu_idx, vaddr, size, value);
	if (aligned)
		return fault_of(MMU_FAULT_MISALIGNED, MMU_LOAD, vaddr);
	tlb->stats.slow++;
	/* Misaligned: byte by byte, each through the TLB (it may cross into another page). */
	for (i = 0; i < size; i++) {
		fault = mmu_load(tlb, mmu_idx, vaddr + i, 0, true, &byte);
		if (fault.kind != MMU_FAULT_NONE)
			return fault;
		result |= byte << (8 * i);
	}
	*value = result;
	return fault_of(MMU_FAULT_NONE, MMU_LOAD, 0);
}

struct mmu_fault mmu_store_slow(struct tlb *tlb, unsigned mmu_idx, uint64_t vaddr,
				unsigned log2_size, bool aligned, uint64_t value)
{
	unsigned size = 1u << log2_size, i;
	uint64_t last = vaddr + size - 1;
	struct tlb_entry *entry;
	enum mmu_fault_kind kind;
	struct mmu_fault fault;

	if (!misaligned(vaddr, log2_size))
		return page_store(tlb, mmu_idx, vaddr, size, value);
	if (aligned)
		return fault_of(MMU_FAULT_MISALIGNED, MMU_STORE, vaddr);
	tlb->stats.slow++;
	/* Both pages must accept the store before any byte is written: no torn stores. */
	kind = entry_for(tlb, mmu_idx, vaddr, MMU_STORE, &entry);
	if (kind != MMU_FAULT_NONE)
		return fault_of(kind, MMU_STORE, vaddr);
	if ((last & GPA_PAGE_MASK) != (vaddr & GPA_PAGE_MASK)) {
		kind = entry_for(tlb, mmu_idx, last, MMU_STORE, &entry);
		if (kind != MMU_FAULT_NONE)
			return fault_of(kind, MMU_STORE, last & GPA_PAGE_MASK);
	}
	for (i = 0; i < size; i++) {
		fault = mmu_store(tlb, mmu_idx, vaddr + i, 0, true, value >> (8 * i));
		if (fault.kind != MMU_FAULT_NONE)
			return fault;
	}
	return fault_of(MMU_FAULT_NONE, MMU_STORE, 0);
}

struct mmu_fault mmu_atomic_ptr(struct tlb *tlb, unsigned mmu_idx, uint64_t vaddr,
				unsigned log2_size, bool write, void **host)
{
	enum mmu_access access = write ? MMU_STORE : MMU_LOAD;
	const struct gpa_region *region;
	struct tlb_entry *entry;
	enum mmu_fault_kind kind;
	uint64_t tag;

	if (misaligned(vaddr, log2_size))
		return fault_of(MMU_FAULT_MISALIGNED, access, vaddr);
	kind = entry_for(tlb, mmu_idx, vaddr, access, &entry);
	if (kind != MMU_FAULT_NONE)
		return fault_of(kind, access, vaddr);
	tag = *tag_of(entry, access);
	if (tag & TLB_SLOW) {
		region = gpa_lookup(tlb->gpa, entry->paddr);
		if (!region || region->kind != GPA_RAM)
			return fault_of(MMU_FAULT_ACCESS, access, vaddr);
		gpa_code_written(tlb->gpa, entry->paddr | (vaddr & ~GPA_PAGE_MASK),
				 1ull << log2_size);
		refresh_write_tag(tlb, entry);
	}
	*host = (void *)(uintptr_t)(vaddr + entry->addend);
	return fault_of(MMU_FAULT_NONE, access, 0);
}

struct mmu_fault mmu_fetch_slow(struct tlb *tlb, unsigned mmu_idx, uint64_t vaddr,
				const uint8_t **host, uint64_t *paddr)
{
	struct tlb_entry *entry;
	enum mmu_fault_kind kind = entry_for(tlb, mmu_idx, vaddr, MMU_FETCH, &entry);

	if (kind != MMU_FAULT_NONE)
		return fault_of(kind, MMU_FETCH, vaddr);
	if (entry->tag_exec & TLB_SLOW)
		return fault_of(MMU_FAULT_ACCESS, MMU_FETCH, vaddr);
	*host = (const uint8_t *)(uintptr_t)(vaddr + entry->addend);
	*paddr = entry->paddr | (vaddr & ~GPA_PAGE_MASK);
	return fault_of(MMU_FAULT_NONE, MMU_FETCH, 0);
}
