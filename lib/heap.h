/* SPDX-License-Identifier: MIT */
/*
 * Memory of one's own: a page allocator over the ranges it is handed, and a heap of objects on
 * top of it. The bare-metal platform feeds it the firmware's free memory once boot services are
 * gone; it knows nothing of where the ranges come from, so the host's unit tests run it on an
 * array.
 *
 * Pages: the free ranges are kept sorted by address and merged when freed next to each other;
 * an allocation takes the start of the first range that is large enough. Objects: sizes up to
 * HEAP_SMALL_MAX come from lists of one power-of-two size each, carved from whole pages; larger
 * ones take pages of their own. Every object starts after a header saying which it is, so a free
 * needs no size. Whatever is handed out is zeroed.
 */
#ifndef PV_LIB_HEAP_H
#define PV_LIB_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/spinlock.h"

#define HEAP_MAX_FREE_RANGES 512
#define HEAP_MAX_REGIONS 64
#define HEAP_SMALL_CLASSES 7 /* 32 .. 2048 bytes, header included */
#define HEAP_SMALL_MAX (2048u - 16u)

struct heap_range {
	uintptr_t base;
	size_t npages;
};

struct heap {
	struct spinlock lock;
	struct heap_range free[HEAP_MAX_FREE_RANGES]; /* sorted by base, never adjacent */
	unsigned nfree;
	struct heap_range regions[HEAP_MAX_REGIONS]; /* everything ever added: what heap_owns knows */
	unsigned nregions;
	void *small[HEAP_SMALL_CLASSES]; /* free objects of each class, linked through their first word */
	size_t free_pages;
};

void heap_init(struct heap *heap);

/*
 * Hands the page-aligned range [base, base + npages pages) to the heap. Returns 0, -EINVAL for a
 * misaligned, empty or wrapping range or one overlapping what the heap has, -ENOSPC when the
 * tables are full.
 */
int heap_add_range(struct heap *heap, uintptr_t base, size_t npages);

/* Whether ptr lies in a range the heap was given (what it may take back). */
bool heap_owns(const struct heap *heap, const void *ptr);

/* npages zeroed contiguous pages, or NULL. */
void *heap_pages_alloc(struct heap *heap, size_t npages);
/* Gives back what heap_pages_alloc returned; pages the heap does not own are left alone. */
void heap_pages_free(struct heap *heap, void *pages, size_t npages);

/* size zeroed bytes aligned to 16, or NULL. */
void *heap_alloc(struct heap *heap, size_t size);
/* Gives back what heap_alloc returned; NULL and pointers the heap does not own are left alone. */
void heap_free(struct heap *heap, void *ptr);

#endif
