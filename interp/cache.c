// SPDX-License-Identifier: MIT
/* The per-vCPU block cache (interp/cache.h): a chained hash table over the virtual PC. */
#include "interp/cache.h"

#include <string.h>

#include "lib/plat.h"

static unsigned bucket_of(uint64_t pc)
{
	/* Guest code is 2- or 4-byte aligned; fold in the page bits so loops spread out. */
	return (unsigned)((pc >> 1) ^ (pc >> 13)) & (INTERP_CACHE_BUCKETS - 1);
}

static unsigned jump_of(uint64_t pc)
{
	return (unsigned)(pc >> 1) & (INTERP_JUMP_ENTRIES - 1);
}

static size_t block_size(unsigned nops)
{
	return sizeof(struct interp_block) + nops * sizeof(struct ir_op);
}

struct interp_cache *interp_cache_create(void)
{
	return plat_alloc(sizeof(struct interp_cache));
}

void interp_cache_flush(struct interp_cache *cache)
{
	unsigned i;

	for (i = 0; i < INTERP_CACHE_BUCKETS; i++) {
		struct interp_block *block = cache->buckets[i];

		while (block) {
			struct interp_block *next = block->next;

			plat_free(block);
			block = next;
		}
		cache->buckets[i] = NULL;
	}
	memset(cache->jumps, 0, sizeof(cache->jumps));
	cache->bytes = 0;
	cache->nblocks = 0;
}

void interp_cache_forget_code(struct interp_cache *cache)
{
	struct interp_block *block;
	unsigned i;

	for (i = 0; i < INTERP_CACHE_BUCKETS; i++)
		for (block = cache->buckets[i]; block; block = block->next) {
			block->code = NULL;
			block->runs = 0;
		}
}

void interp_cache_destroy(struct interp_cache *cache)
{
	if (!cache)
		return;
	interp_cache_flush(cache);
	plat_free(cache);
}

static bool block_stale(const struct interp_block *block)
{
	unsigned i;

	for (i = 0; i < 2 && block->code_word[i]; i++)
		if (gpa_code_word_gen(block->code_word[i]) != block->code_gen[i])
			return true;
	return false;
}

struct interp_block *interp_cache_lookup(struct interp_cache *cache, uint64_t pc, uint64_t phys,
					 unsigned mmu_idx, uint32_t flags, bool *stale)
{
	struct interp_block **link = &cache->buckets[bucket_of(pc)];
	struct interp_block *block;

	for (; (block = *link) != NULL; link = &block->next) {
		if (block->pc != pc || block->phys != phys || block->mmu_idx != mmu_idx ||
		    block->flags != flags)
			continue;
		if (!block_stale(block))
			return block;
		*link = block->next;
		if (cache->jumps[jump_of(pc)].block == block)
			cache->jumps[jump_of(pc)].block = NULL;
		cache->bytes -= block_size(block->nops);
		cache->nblocks--;
		plat_free(block);
		if (stale)
			*stale = true;
		return NULL;
	}
	return NULL;
}

struct interp_block *interp_cache_jump(struct interp_cache *cache, uint64_t pc, unsigned mmu_idx,
				       uint32_t flags, uint64_t tlb_generation)
{
	const struct interp_jump *jump = &cache->jumps[jump_of(pc)];
	struct interp_block *block = jump->block;

	/* A stale block is left for interp_cache_lookup, which frees it. */
	if (!block || jump->tlb_generation != tlb_generation || block->pc != pc ||
	    block->mmu_idx != mmu_idx || block->flags != flags || block_stale(block))
		return NULL;
	return block;
}

void interp_cache_remember_jump(struct interp_cache *cache, struct interp_block *block,
				uint64_t tlb_generation)
{
	cache->jumps[jump_of(block->pc)] =
		(struct interp_jump){ .block = block, .tlb_generation = tlb_generation };
}

struct interp_block *interp_cache_insert(struct interp_cache *cache, struct gpa_space *gpa,
					 const struct ir_block *block, uint32_t gen)
{
	size_t size = block_size(block->nops);
	struct interp_block *copy;
	unsigned bucket;
	int64_t gen2;
	bool newly;

	if (cache->bytes + size > INTERP_CACHE_MAX_BYTES)
		interp_cache_flush(cache);
	copy = plat_alloc(size);
	if (!copy)
		return NULL;
	copy->pc = block->guest_pc;
	copy->phys = block->guest_phys;
	copy->flags = block->flags;
	copy->mmu_idx = block->mmu_idx;
	copy->code_word[0] = gpa_code_word(gpa, block->guest_phys);
	copy->code_gen[0] = gen;
	copy->code_word[1] = NULL;
	copy->code_gen[1] = 0;
	if (block->phys_page2 != IR_NO_PAGE) {
		gen2 = gpa_code_mark(gpa, block->phys_page2, &newly);
		if (gen2 >= 0) {
			copy->code_word[1] = gpa_code_word(gpa, block->phys_page2);
			copy->code_gen[1] = (uint32_t)gen2;
		}
	}
	copy->insns = block->guest_insns;
	copy->code = NULL;
	copy->runs = 0;
	copy->jit_refused = false;
	copy->nops = block->nops;
	copy->ntemps = block->ntemps;
	memcpy(copy->ops, block->ops, block->nops * sizeof(struct ir_op));
	bucket = bucket_of(copy->pc);
	copy->next = cache->buckets[bucket];
	cache->buckets[bucket] = copy;
	cache->bytes += size;
	cache->nblocks++;
	return copy;
}
