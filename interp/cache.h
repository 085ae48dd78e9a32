/* SPDX-License-Identifier: MIT */
/*
 * The block cache of one vCPU: translated blocks, as compact copies of the scratch ir_block the
 * frontend filled, keyed by what the translation depended on: the virtual PC (exits name virtual
 * PCs), the guest-physical address of the code, the fetch MMU index and the frontend's flags.
 *
 * Staleness is checked, not pushed: a block keeps its code pages' words (mmu/gpa.h) and the
 * generations they had when it was translated; a lookup that finds a block whose page was
 * written since drops it. No vCPU ever touches another's cache, so the cache takes no lock while
 * writes on other host threads still invalidate it.
 */
#ifndef PV_INTERP_CACHE_H
#define PV_INTERP_CACHE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "ir/ir.h"
#include "jit/jit.h"
#include "mmu/gpa.h"

#define INTERP_CACHE_BUCKETS 65536
/* Past this many bytes of blocks the cache starts over: guests rarely keep more code hot. */
#define INTERP_CACHE_MAX_BYTES (64u << 20)
/* The jump cache: direct-mapped by virtual PC, in front of the hash table. */
#define INTERP_JUMP_ENTRIES 16384

struct interp_block {
	struct interp_block *next; /* in its bucket */
	uint64_t pc;
	uint64_t phys;
	uint32_t flags;
	uint8_t mmu_idx;
	const atomic_uint *code_word[2]; /* the pages' code words; [1] NULL without a second */
	uint32_t code_gen[2];
	uint32_t insns;
	jit_code code; /* its host code once compiled (jit and hybrid engines), else NULL */
	uint32_t runs; /* times interpreted, toward the hybrid engine's compile threshold */
	bool jit_refused; /* the JIT declined it: it stays interpreted */
	uint16_t nops;
	uint16_t ntemps;
	struct ir_op ops[]; /* nops ops, the last one an exit */
};

/* The block last found at a virtual PC, while the TLB generation it was found under holds. */
struct interp_jump {
	struct interp_block *block;
	uint64_t tlb_generation;
};

struct interp_cache {
	struct interp_block *buckets[INTERP_CACHE_BUCKETS];
	struct interp_jump jumps[INTERP_JUMP_ENTRIES];
	size_t bytes;
	size_t nblocks;
};

/* An empty cache; NULL when out of memory. */
struct interp_cache *interp_cache_create(void);
void interp_cache_destroy(struct interp_cache *cache);
/* Drops every block (fence.i, a full cache). */
void interp_cache_flush(struct interp_cache *cache);
/* Forgets every block's host code (the JIT's code cache was flushed); the blocks stay. */
void interp_cache_forget_code(struct interp_cache *cache);

/*
 * The block for this key, or NULL. A block found stale is dropped and *stale set (for the
 * statistics); stale may be NULL.
 */
struct interp_block *interp_cache_lookup(struct interp_cache *cache, uint64_t pc, uint64_t phys,
					 unsigned mmu_idx, uint32_t flags, bool *stale);

/*
 * Adds a compact copy of block (translated from guest-physical block->guest_phys, whose page
 * generation was gen) keyed by its pc, phys, mmu_idx and flags. The second page, if any, is
 * marked here. Returns the copy, or NULL when out of memory.
 */
/*
 * The jump cache, which finds a block from its virtual PC alone, skipping the fetch translation
 * and the hash chain: valid while the TLB generation the block was remembered under holds (no
 * flush since, so the virtual PC still maps where it did) and its code pages are unwritten.
 */
struct interp_block *interp_cache_jump(struct interp_cache *cache, uint64_t pc, unsigned mmu_idx,
				       uint32_t flags, uint64_t tlb_generation);
void interp_cache_remember_jump(struct interp_cache *cache, struct interp_block *block,
				uint64_t tlb_generation);

struct interp_block *interp_cache_insert(struct interp_cache *cache, struct gpa_space *gpa,
					 const struct ir_block *block, uint32_t gen);

#endif
