// SPDX-License-Identifier: MIT
/* The page allocator and object heap of lib/heap.h. */
#include "lib/heap.h"

#include <string.h>

#include "lib/errno.h"
#include "lib/plat.h"

#define HEAP_MAGIC 0x50564850u /* "PHVP": a header heap_alloc wrote */
#define HEAP_LARGE 0xffu
#define HEAP_HEADER 16u
#define HEAP_MIN_SHIFT 5 /* the smallest class: 32 bytes with its header */

/* Before every object: which class it came from, or HEAP_LARGE and its page count. */
struct heap_header {
	uint32_t magic;
	uint32_t kind;
	uint64_t npages;
};

_Static_assert(sizeof(struct heap_header) == HEAP_HEADER, "objects stay 16-byte aligned");
_Static_assert((HEAP_SMALL_MAX + HEAP_HEADER) == 1u << (HEAP_MIN_SHIFT + HEAP_SMALL_CLASSES - 1),
	       "the largest class holds HEAP_SMALL_MAX");

void heap_init(struct heap *heap)
{
	memset(heap, 0, sizeof(*heap));
	spin_lock_init(&heap->lock);
}

static uintptr_t range_end(const struct heap_range *range)
{
	return range->base + range->npages * PLAT_PAGE_SIZE;
}

static bool owns_locked(const struct heap *heap, uintptr_t addr)
{
	for (unsigned i = 0; i < heap->nregions; i++)
		if (addr >= heap->regions[i].base && addr < range_end(&heap->regions[i]))
			return true;
	return false;
}

bool heap_owns(const struct heap *heap, const void *ptr)
{
	return owns_locked(heap, (uintptr_t)ptr);
}

/* Puts [base, base + npages) back among the free ranges, merged with its neighbours. */
static int free_insert(struct heap *heap, uintptr_t base, size_t npages)
{
	uintptr_t end = base + npages * PLAT_PAGE_SIZE;
	unsigned i = 0;

	while (i < heap->nfree && heap->free[i].base < base)
		i++;
	if (i > 0 && range_end(&heap->free[i - 1]) == base) {
		heap->free[i - 1].npages += npages;
		if (i < heap->nfree && heap->free[i].base == end) {
			heap->free[i - 1].npages += heap->free[i].npages;
			memmove(&heap->free[i], &heap->free[i + 1],
				(heap->nfree - i - 1) * sizeof(heap->free[0]));
			heap->nfree--;
		}
	} else if (i < heap->nfree && heap->free[i].base == end) {
		heap->free[i].base = base;
		heap->free[i].npages += npages;
	} else {
		if (heap->nfree == HEAP_MAX_FREE_RANGES)
			return -ENOSPC;
		memmove(&heap->free[i + 1], &heap->free[i],
			(heap->nfree - i) * sizeof(heap->free[0]));
		heap->free[i] = (struct heap_range){ .base = base, .npages = npages };
		heap->nfree++;
	}
	heap->free_pages += npages;
	return 0;
}

int heap_add_range(struct heap *heap, uintptr_t base, size_t npages)
{
	struct heap_range range = { .base = base, .npages = npages };
	int err;

	if (!npages || base % PLAT_PAGE_SIZE || npages > (UINTPTR_MAX - base) / PLAT_PAGE_SIZE)
		return -EINVAL;
	spin_lock(&heap->lock);
	for (unsigned i = 0; i < heap->nregions; i++) {
		if (base < range_end(&heap->regions[i]) &&
		    heap->regions[i].base < range_end(&range)) {
			spin_unlock(&heap->lock);
			return -EINVAL;
		}
	}
	if (heap->nregions == HEAP_MAX_REGIONS) {
		spin_unlock(&heap->lock);
		return -ENOSPC;
	}
	err = free_insert(heap, base, npages);
	if (!err)
		heap->regions[heap->nregions++] = range;
	spin_unlock(&heap->lock);
	return err;
}

static void *pages_alloc_locked(struct heap *heap, size_t npages)
{
	for (unsigned i = 0; i < heap->nfree; i++) {
		struct heap_range *range = &heap->free[i];
		uintptr_t base = range->base;

		if (range->npages < npages)
			continue;
		range->base += npages * PLAT_PAGE_SIZE;
		range->npages -= npages;
		if (!range->npages) {
			memmove(range, range + 1, (heap->nfree - i - 1) * sizeof(*range));
			heap->nfree--;
		}
		heap->free_pages -= npages;
		return (void *)base;
	}
	return NULL;
}

void *heap_pages_alloc(struct heap *heap, size_t npages)
{
	void *pages;

	if (!npages)
		return NULL;
	spin_lock(&heap->lock);
	pages = pages_alloc_locked(heap, npages);
	spin_unlock(&heap->lock);
	if (pages)
		memset(pages, 0, npages * PLAT_PAGE_SIZE);
	return pages;
}

/*
 * A free that would not fit the range table keeps its pages out of use: lost memory beats a
 * corrupt table, and it takes more than HEAP_MAX_FREE_RANGES scattered holes to happen.
 */
void heap_pages_free(struct heap *heap, void *pages, size_t npages)
{
	if (!pages || !npages)
		return;
	spin_lock(&heap->lock);
	if (owns_locked(heap, (uintptr_t)pages))
		free_insert(heap, (uintptr_t)pages, npages);
	spin_unlock(&heap->lock);
}

/* The class for an object of size bytes plus header: 0 for 32 bytes, 1 for 64, ... */
static unsigned class_of(size_t size)
{
	unsigned cls = 0;

	while ((1u << (HEAP_MIN_SHIFT + cls)) < size + HEAP_HEADER)
		cls++;
	return cls;
}

/* Refills an empty class with the objects of one fresh page. */
static bool class_refill(struct heap *heap, unsigned cls)
{
	size_t object = 1u << (HEAP_MIN_SHIFT + cls);
	uint8_t *page = pages_alloc_locked(heap, 1);

	if (!page)
		return false;
	for (size_t off = 0; off + object <= PLAT_PAGE_SIZE; off += object) {
		void **slot = (void **)(page + off);

		*slot = heap->small[cls];
		heap->small[cls] = slot;
	}
	return true;
}

void *heap_alloc(struct heap *heap, size_t size)
{
	struct heap_header *header;
	size_t npages = 0;
	unsigned cls = HEAP_LARGE;

	if (size <= HEAP_SMALL_MAX) {
		cls = class_of(size);
		spin_lock(&heap->lock);
		if (!heap->small[cls] && !class_refill(heap, cls)) {
			spin_unlock(&heap->lock);
			return NULL;
		}
		header = heap->small[cls];
		heap->small[cls] = *(void **)header;
		spin_unlock(&heap->lock);
		memset(header, 0, 1u << (HEAP_MIN_SHIFT + cls));
	} else {
		if (size > SIZE_MAX - HEAP_HEADER - PLAT_PAGE_SIZE)
			return NULL;
		npages = (size + HEAP_HEADER + PLAT_PAGE_SIZE - 1) / PLAT_PAGE_SIZE;
		header = heap_pages_alloc(heap, npages);
		if (!header)
			return NULL;
	}
	*header = (struct heap_header){ .magic = HEAP_MAGIC, .kind = cls, .npages = npages };
	return (uint8_t *)header + HEAP_HEADER;
}

void heap_free(struct heap *heap, void *ptr)
{
	struct heap_header *header;

	if (!ptr || !heap_owns(heap, ptr))
		return;
	header = (struct heap_header *)((uint8_t *)ptr - HEAP_HEADER);
	/* A pointer heap_alloc did not return is not taken: the table stays sound. */
	if (header->magic != HEAP_MAGIC)
		return;
	header->magic = 0;
	if (header->kind == HEAP_LARGE) {
		heap_pages_free(heap, header, header->npages);
		return;
	}
	if (header->kind >= HEAP_SMALL_CLASSES)
		return;
	spin_lock(&heap->lock);
	*(void **)header = heap->small[header->kind];
	heap->small[header->kind] = header;
	spin_unlock(&heap->lock);
}
