// SPDX-License-Identifier: MIT
/*
 * The JIT's core (jit/jit.h): the code cache and the compile driver. The cache is one range of
 * W^X pages filled front to back; a block is translated into a scratch buffer, then the pages it
 * lands on are made writable, the code copied in and the pages made executable again. Nothing is
 * ever freed alone: when the range is full the whole cache starts over (jit_flush), which is
 * cheap because the engine recompiles only what is still hot.
 */
#include "jit/jit.h"

#include <string.h>

#include "jit/backend.h"
#include "lib/errno.h"
#include "lib/plat.h"

/* The largest block's code: IR_BLOCK_MAX_OPS ops of the longest expansion (a load) fit. */
#define JIT_SCRATCH_BYTES (192u << 10)
/* Blocks start on a cache line: the host fetches and predicts whole lines. */
#define JIT_ALIGN 16u

struct jit {
	struct jit_layout layout;
	uint8_t *base; /* the code cache's pages */
	size_t pages;
	size_t used; /* bytes from base holding code */
	size_t last_at, last_len; /* the block compiled last */
	uint8_t *scratch;
	struct jit_stats stats;
};

bool jit_available(void)
{
	void *page;

	if (!jit_backend_present())
		return false;
	page = plat_code_alloc(1);
	if (!page)
		return false;
	plat_code_free(page, 1);
	return true;
}

struct jit *jit_create(const struct jit_layout *layout, size_t cache_bytes)
{
	struct jit *jit;

	if (!jit_backend_present())
		return NULL;
	jit = plat_alloc(sizeof(*jit));
	if (!jit)
		return NULL;
	jit->layout = *layout;
	jit->pages = (cache_bytes + PLAT_PAGE_SIZE - 1) / PLAT_PAGE_SIZE;
	jit->base = plat_code_alloc(jit->pages);
	jit->scratch = plat_alloc(JIT_SCRATCH_BYTES);
	if (!jit->base || !jit->scratch) {
		jit_destroy(jit);
		return NULL;
	}
	return jit;
}

void jit_destroy(struct jit *jit)
{
	if (!jit)
		return;
	if (jit->base)
		plat_code_free(jit->base, jit->pages);
	plat_free(jit->scratch);
	plat_free(jit);
}

void jit_flush(struct jit *jit)
{
	jit->used = 0;
	jit->stats.flushes++;
}

const struct jit_stats *jit_stats(const struct jit *jit)
{
	return &jit->stats;
}

/* Copies len bytes of code to base + at, keeping every page writable or executable, never both. */
static int install(struct jit *jit, size_t at, const uint8_t *code, size_t len)
{
	size_t first = at / PLAT_PAGE_SIZE, last = (at + len - 1) / PLAT_PAGE_SIZE;
	uint8_t *pages = jit->base + first * PLAT_PAGE_SIZE;
	size_t npages = last - first + 1;
	int err;

	err = plat_code_protect(pages, npages, false);
	if (err)
		return err;
	memcpy(jit->base + at, code, len);
	return plat_code_protect(pages, npages, true);
}

void jit_last_code(const struct jit *jit, const void **start, size_t *len)
{
	*start = jit->base + jit->last_at;
	*len = jit->last_len;
}

int jit_compile(struct jit *jit, const struct ir_op *ops, unsigned nops, jit_code *code)
{
	size_t len, entry, at = (jit->used + JIT_ALIGN - 1) & ~(size_t)(JIT_ALIGN - 1);
	int err;

	err = jit_backend_translate(&jit->layout, ops, nops, jit->scratch, JIT_SCRATCH_BYTES, &len,
				    &entry);
	if (err) {
		jit->stats.refused++;
		return err;
	}
	if (at + len > jit->pages * PLAT_PAGE_SIZE)
		return -ENOSPC;
	err = install(jit, at, jit->scratch, len);
	if (err)
		return err;
	jit->used = at + len;
	jit->last_at = at;
	jit->last_len = len;
	jit->stats.compiled++;
	jit->stats.code_bytes += len;
	/* Data to code pointer: the conversion the code cache exists for. */
	*code = (jit_code)(uintptr_t)(jit->base + at + entry);
	return 0;
}
