/* SPDX-License-Identifier: MIT */
/*
 * A guest-physical address space: what a board builds (vm->gpa) and every engine, loader and
 * device reaches guest memory through. Regions never overlap:
 *   RAM   host pages from plat_pages_alloc; the guest reads and writes them
 *   ROM   host pages the guest reads and executes but cannot write (loaders fill them)
 *   MMIO  a device's struct mmio_ops; every access is a call
 *
 * Translated code. The block cache translates guest code once and runs it many times, so it must
 * learn when the code changes. Each RAM/ROM page keeps a word: bit 0 says "translated code was
 * made from this page", the rest count the writes that found the bit set (the page's generation).
 * A block remembers the generation of its page when it is translated and is stale once the count
 * moves; the softmmu sends stores to marked pages down its slow path so that they reach
 * gpa_code_written. The words are atomics: a vCPU on one host thread may write code that another
 * runs.
 */
#ifndef PV_MMU_GPA_H
#define PV_MMU_GPA_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GPA_PAGE_SHIFT 12
#define GPA_PAGE_SIZE (1ull << GPA_PAGE_SHIFT)
#define GPA_PAGE_MASK (~(GPA_PAGE_SIZE - 1))

#define GPA_MAX_REGIONS 64

/*
 * A device's registers. offset is from the region's base; size is 1, 2, 4 or 8 and the access
 * never crosses the region's end. A nonzero return (a negative errno) means the device refuses
 * the access: the guest sees an access fault (RISC-V's load/store access fault, Arm's external
 * abort). Callbacks may run on any vCPU's thread at once: devices lock what they share.
 */
struct mmio_ops {
	int (*read)(void *opaque, uint64_t offset, unsigned size, uint64_t *value);
	int (*write)(void *opaque, uint64_t offset, unsigned size, uint64_t value);
};

enum gpa_kind { GPA_RAM, GPA_ROM, GPA_MMIO };

struct gpa_region {
	uint64_t base;
	uint64_t size; /* bytes, a multiple of GPA_PAGE_SIZE for RAM and ROM */
	enum gpa_kind kind;
	const char *name; /* for messages: "ram", "uart0" */
	uint8_t *host; /* RAM, ROM: the backing pages */
	atomic_uint *code; /* RAM, ROM: one word per page, see the comment at the top */
	const struct mmio_ops *ops; /* MMIO */
	void *opaque; /* MMIO: the device's own pointer, passed to ops */
};

/* Called after a write reached a page with translated code; addr is the page's base. */
typedef void (*gpa_code_hook_fn)(void *ctx, uint64_t page_addr);

struct gpa_space {
	struct gpa_region regions[GPA_MAX_REGIONS]; /* sorted by base */
	unsigned nregions;
	gpa_code_hook_fn code_hook;
	void *code_hook_ctx;
	/*
	 * Moves whenever a page becomes marked as code. Each TLB remembers the value it last saw:
	 * when it changed, some fast-path write entry may point at a page that is now code, and
	 * the TLB is flushed before the vCPU runs on (tlb_sync_code_epoch).
	 */
	atomic_uint code_epoch;
};

/* An empty space; NULL when out of memory. */
struct gpa_space *gpa_space_create(void);
/* Frees the space and the RAM and ROM it allocated; devices stay the caller's. */
void gpa_space_destroy(struct gpa_space *space);

/*
 * Adds zeroed RAM or ROM of size bytes at base (both page-aligned). Returns 0, -EINVAL for a
 * size of 0, a misaligned or wrapping range, -EEXIST when it overlaps a region, -ENOSPC past
 * GPA_MAX_REGIONS, -ENOMEM.
 */
int gpa_add_ram(struct gpa_space *space, uint64_t base, uint64_t size, const char *name);
int gpa_add_rom(struct gpa_space *space, uint64_t base, uint64_t size, const char *name);
/* Adds a device's registers (any alignment, size > 0); errors as for gpa_add_ram. */
int gpa_add_mmio(struct gpa_space *space, uint64_t base, uint64_t size, const struct mmio_ops *ops,
		 void *opaque, const char *name);

/* The region holding addr, or NULL. */
const struct gpa_region *gpa_lookup(const struct gpa_space *space, uint64_t addr);

/* Whether every byte of [addr, addr + len) is RAM (possibly across adjacent regions): what a
 * loader checks before writing anything, so that a refused image writes nothing. */
bool gpa_range_is_ram(const struct gpa_space *space, uint64_t addr, uint64_t len);

/*
 * The host address of [addr, addr + len) when the whole range is inside one RAM region (not ROM:
 * the pointer is writable), else NULL. Writing through it bypasses code tracking: callers that
 * may write guest code (DMA) use gpa_write, or call gpa_code_written.
 */
void *gpa_ram_ptr(const struct gpa_space *space, uint64_t addr, uint64_t len);

/*
 * Copies between guest memory and buf, for loaders and devices (DMA). The range may span
 * adjacent regions but every byte must be RAM or ROM: returns 0 or -EFAULT (nothing is copied
 * then). gpa_write refuses ROM (-EFAULT); gpa_load writes ROM too, for firmware loaders. Both
 * writes invalidate translated code.
 */
int gpa_read(const struct gpa_space *space, uint64_t addr, void *buf, uint64_t len);
int gpa_write(struct gpa_space *space, uint64_t addr, const void *buf, uint64_t len);
int gpa_load(struct gpa_space *space, uint64_t addr, const void *buf, uint64_t len);

/*
 * One access of size 1, 2, 4 or 8 bytes, little-endian, within one region of any kind: what the
 * softmmu's slow path does for MMIO and for pages it cannot reach directly. Returns 0, -EFAULT
 * outside every region or across a region's end, -EACCES for a write to ROM, or the device's
 * error. Writes to RAM invalidate translated code.
 */
int gpa_access_read(struct gpa_space *space, uint64_t addr, unsigned size, uint64_t *value);
int gpa_access_write(struct gpa_space *space, uint64_t addr, unsigned size, uint64_t value);

/* Registers the one hook told about writes to code pages (NULL removes it). */
void gpa_set_code_hook(struct gpa_space *space, gpa_code_hook_fn hook, void *ctx);

/*
 * Marks the RAM/ROM page holding addr as holding translated code and returns its generation.
 * *newly tells whether the mark is new (the code epoch then moved). Returns -EFAULT (as a
 * negative int64_t) outside RAM and ROM.
 */
int64_t gpa_code_mark(struct gpa_space *space, uint64_t addr, bool *newly);
/*
 * The code word of the page holding addr (NULL outside RAM and ROM): stable for the space's life,
 * so a block keeps it and checks its generation with one load (gpa_code_word_gen).
 */
const atomic_uint *gpa_code_word(const struct gpa_space *space, uint64_t addr);

static inline uint32_t gpa_code_word_gen(const atomic_uint *word)
{
	return atomic_load_explicit(word, memory_order_acquire) >> 1;
}

/* The generation of the page holding addr (0 outside RAM and ROM). */
uint32_t gpa_code_gen(const struct gpa_space *space, uint64_t addr);
/* Whether the page holding addr is marked as code. */
bool gpa_code_marked(const struct gpa_space *space, uint64_t addr);
/*
 * Tells code tracking that [addr, addr + len) was written: each marked page in the range loses
 * its mark, its generation moves and the hook runs.
 */
void gpa_code_written(struct gpa_space *space, uint64_t addr, uint64_t len);

#endif
