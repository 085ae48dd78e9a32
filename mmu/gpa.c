// SPDX-License-Identifier: MIT
/*
 * Guest-physical address spaces (mmu/gpa.h). Regions live in a small sorted array: boards have a
 * few dozen at most and the hot paths (the TLB's fast path, the block cache) never look them up,
 * so a binary search on a TLB miss is all the speed this needs.
 */
#include "mmu/gpa.h"

#include <string.h>

#include "lib/errno.h"
#include "lib/plat.h"

#define CODE_MARK 1u
#define CODE_GEN_ONE 2u

struct gpa_space *gpa_space_create(void)
{
	struct gpa_space *space = plat_alloc(sizeof(*space));

	if (space)
		atomic_init(&space->code_epoch, 0);
	return space;
}

static uint64_t region_pages(const struct gpa_region *region)
{
	return region->size >> GPA_PAGE_SHIFT;
}

static void region_free(struct gpa_region *region)
{
	if (region->kind == GPA_MMIO)
		return;
	plat_pages_free(region->host, region_pages(region));
	plat_free(region->code);
}

void gpa_space_destroy(struct gpa_space *space)
{
	unsigned i;

	if (!space)
		return;
	for (i = 0; i < space->nregions; i++)
		region_free(&space->regions[i]);
	plat_free(space);
}

/* Where a region at [base, base + size) goes in the sorted array, or a negative errno. */
static int insert_slot(const struct gpa_space *space, uint64_t base, uint64_t size)
{
	unsigned i;

	if (size == 0 || base + size - 1 < base)
		return -EINVAL;
	if (space->nregions >= GPA_MAX_REGIONS)
		return -ENOSPC;
	for (i = 0; i < space->nregions; i++) {
		const struct gpa_region *r = &space->regions[i];

		if (base <= r->base + r->size - 1 && r->base <= base + size - 1)
			return -EEXIST;
		if (base < r->base)
			break;
	}
	return (int)i;
}

static struct gpa_region *insert_region(struct gpa_space *space, unsigned slot)
{
	struct gpa_region *region = &space->regions[slot];

	memmove(region + 1, region, (space->nregions - slot) * sizeof(*region));
	space->nregions++;
	memset(region, 0, sizeof(*region));
	return region;
}

static int add_memory(struct gpa_space *space, uint64_t base, uint64_t size, const char *name,
		      enum gpa_kind kind)
{
	struct gpa_region *region;
	atomic_uint *code;
	uint8_t *host;
	uint64_t i, npages;
	int slot;

	if ((base | size) & (GPA_PAGE_SIZE - 1))
		return -EINVAL;
	slot = insert_slot(space, base, size);
	if (slot < 0)
		return slot;
	npages = size >> GPA_PAGE_SHIFT;
	if (npages > SIZE_MAX / sizeof(*code))
		return -ENOMEM;
	host = plat_pages_alloc(npages);
	if (!host)
		return -ENOMEM;
	code = plat_alloc(npages * sizeof(*code));
	if (!code) {
		plat_pages_free(host, npages);
		return -ENOMEM;
	}
	for (i = 0; i < npages; i++)
		atomic_init(&code[i], 0);
	region = insert_region(space, (unsigned)slot);
	region->base = base;
	region->size = size;
	region->kind = kind;
	region->name = name;
	region->host = host;
	region->code = code;
	return 0;
}

int gpa_add_ram(struct gpa_space *space, uint64_t base, uint64_t size, const char *name)
{
	return add_memory(space, base, size, name, GPA_RAM);
}

int gpa_add_rom(struct gpa_space *space, uint64_t base, uint64_t size, const char *name)
{
	return add_memory(space, base, size, name, GPA_ROM);
}

int gpa_add_mmio(struct gpa_space *space, uint64_t base, uint64_t size, const struct mmio_ops *ops,
		 void *opaque, const char *name)
{
	struct gpa_region *region;
	int slot;

	if (!ops || !ops->read || !ops->write)
		return -EINVAL;
	slot = insert_slot(space, base, size);
	if (slot < 0)
		return slot;
	region = insert_region(space, (unsigned)slot);
	region->base = base;
	region->size = size;
	region->kind = GPA_MMIO;
	region->name = name;
	region->ops = ops;
	region->opaque = opaque;
	return 0;
}

const struct gpa_region *gpa_lookup(const struct gpa_space *space, uint64_t addr)
{
	unsigned lo = 0, hi = space->nregions;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		const struct gpa_region *r = &space->regions[mid];

		if (addr < r->base)
			hi = mid;
		else if (addr - r->base >= r->size)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

/* Whether [addr, addr + len) lies inside region (len may be 0). */
static bool region_holds(const struct gpa_region *region, uint64_t addr, uint64_t len)
{
	uint64_t offset = addr - region->base;

	return addr >= region->base && offset <= region->size && len <= region->size - offset;
}

void *gpa_ram_ptr(const struct gpa_space *space, uint64_t addr, uint64_t len)
{
	const struct gpa_region *region = gpa_lookup(space, addr);

	if (!region || region->kind != GPA_RAM || !region_holds(region, addr, len))
		return NULL;
	return region->host + (addr - region->base);
}

/*
 * Checks that every byte of [addr, addr + len) is RAM, or ROM when allow_rom, across adjacent
 * regions. Returns 0 or -EFAULT.
 */
static int check_memory_range(const struct gpa_space *space, uint64_t addr, uint64_t len,
			      bool allow_rom)
{
	while (len) {
		const struct gpa_region *region = gpa_lookup(space, addr);
		uint64_t chunk;

		if (!region || region->kind == GPA_MMIO || (region->kind == GPA_ROM && !allow_rom))
			return -EFAULT;
		chunk = region->base + region->size - addr;
		if (chunk >= len)
			return 0;
		len -= chunk;
		addr += chunk;
	}
	return 0;
}

static int copy_range(struct gpa_space *space, uint64_t addr, void *buf, const void *src,
		      uint64_t len, bool allow_rom)
{
	int ret;

	if (len && addr + len - 1 < addr)
		return -EFAULT;
	ret = check_memory_range(space, addr, len, allow_rom);
	if (ret)
		return ret;
	while (len) {
		const struct gpa_region *region = gpa_lookup(space, addr);
		uint64_t offset = addr - region->base;
		uint64_t chunk = region->size - offset < len ? region->size - offset : len;

		if (buf) {
			memcpy(buf, region->host + offset, chunk);
			buf = (uint8_t *)buf + chunk;
		} else {
			memcpy(region->host + offset, src, chunk);
			gpa_code_written(space, addr, chunk);
			src = (const uint8_t *)src + chunk;
		}
		addr += chunk;
		len -= chunk;
	}
	return 0;
}

int gpa_read(const struct gpa_space *space, uint64_t addr, void *buf, uint64_t len)
{
	if (!len)
		return 0;
	/* copy_range only writes the space when buf is NULL. */
	return copy_range((struct gpa_space *)space, addr, buf, NULL, len, true);
}

int gpa_write(struct gpa_space *space, uint64_t addr, const void *buf, uint64_t len)
{
	if (!len)
		return 0;
	return copy_range(space, addr, NULL, buf, len, false);
}

int gpa_load(struct gpa_space *space, uint64_t addr, const void *buf, uint64_t len)
{
	if (!len)
		return 0;
	return copy_range(space, addr, NULL, buf, len, true);
}

static uint64_t load_le(const uint8_t *p, unsigned size)
{
	uint64_t value = 0;

	memcpy(&value, p, size);
	return value;
}

static const struct gpa_region *access_region(struct gpa_space *space, uint64_t addr, unsigned size,
					      int *err)
{
	const struct gpa_region *region = gpa_lookup(space, addr);

	*err = 0;
	if (size != 1 && size != 2 && size != 4 && size != 8)
		*err = -EINVAL;
	else if (!region || !region_holds(region, addr, size))
		*err = -EFAULT;
	return region;
}

int gpa_access_read(struct gpa_space *space, uint64_t addr, unsigned size, uint64_t *value)
{
	int err;
	const struct gpa_region *region = access_region(space, addr, size, &err);

	if (err)
		return err;
	if (region->kind == GPA_MMIO)
		return region->ops->read(region->opaque, addr - region->base, size, value);
	*value = load_le(region->host + (addr - region->base), size);
	return 0;
}

int gpa_access_write(struct gpa_space *space, uint64_t addr, unsigned size, uint64_t value)
{
	int err;
	const struct gpa_region *region = access_region(space, addr, size, &err);

	if (err)
		return err;
	if (region->kind == GPA_MMIO)
		return region->ops->write(region->opaque, addr - region->base, size, value);
	if (region->kind == GPA_ROM)
		return -EACCES;
	memcpy(region->host + (addr - region->base), &value, size);
	gpa_code_written(space, addr, size);
	return 0;
}

void gpa_set_code_hook(struct gpa_space *space, gpa_code_hook_fn hook, void *ctx)
{
	space->code_hook = hook;
	space->code_hook_ctx = ctx;
}

/* The code word of the page holding addr, or NULL outside RAM and ROM. */
static atomic_uint *code_word(const struct gpa_space *space, uint64_t addr)
{
	const struct gpa_region *region = gpa_lookup(space, addr);

	if (!region || region->kind == GPA_MMIO)
		return NULL;
	return &region->code[(addr - region->base) >> GPA_PAGE_SHIFT];
}

int64_t gpa_code_mark(struct gpa_space *space, uint64_t addr, bool *newly)
{
	atomic_uint *word = code_word(space, addr);
	unsigned old;

	if (!word)
		return -EFAULT;
	old = atomic_fetch_or_explicit(word, CODE_MARK, memory_order_acq_rel);
	*newly = !(old & CODE_MARK);
	if (*newly)
		atomic_fetch_add_explicit(&space->code_epoch, 1, memory_order_release);
	return old >> 1;
}

const atomic_uint *gpa_code_word(const struct gpa_space *space, uint64_t addr)
{
	return code_word(space, addr);
}

uint32_t gpa_code_gen(const struct gpa_space *space, uint64_t addr)
{
	atomic_uint *word = code_word(space, addr);

	return word ? atomic_load_explicit(word, memory_order_acquire) >> 1 : 0;
}

bool gpa_code_marked(const struct gpa_space *space, uint64_t addr)
{
	atomic_uint *word = code_word(space, addr);

	return word && (atomic_load_explicit(word, memory_order_acquire) & CODE_MARK);
}

/* Unmarks one page and moves its generation; returns whether it was marked. */
static bool code_page_written(atomic_uint *word)
{
	unsigned old = atomic_load_explicit(word, memory_order_acquire);

	while (old & CODE_MARK) {
		unsigned next = (old & ~CODE_MARK) + CODE_GEN_ONE;

		if (atomic_compare_exchange_weak_explicit(word, &old, next, memory_order_acq_rel,
							  memory_order_acquire))
			return true;
	}
	return false;
}

void gpa_code_written(struct gpa_space *space, uint64_t addr, uint64_t len)
{
	uint64_t page, last;

	if (!len)
		return;
	last = (addr + len - 1) & GPA_PAGE_MASK;
	for (page = addr & GPA_PAGE_MASK;; page += GPA_PAGE_SIZE) {
		atomic_uint *word = code_word(space, page);

		if (word && code_page_written(word) && space->code_hook)
			space->code_hook(space->code_hook_ctx, page);
		if (page == last)
			break;
	}
}

bool gpa_range_is_ram(const struct gpa_space *space, uint64_t addr, uint64_t len)
{
	while (len > 0) {
		const struct gpa_region *region = gpa_lookup(space, addr);
		uint64_t span;

		if (!region || region->kind != GPA_RAM)
			return false;
		span = region->base + region->size - addr;
		if (span >= len)
			return true;
		addr += span;
		len -= span;
	}
	return true;
}
