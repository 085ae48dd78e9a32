// SPDX-License-Identifier: MIT
/*
 * mmu/tlb: hits and misses, per-kind permissions, the slow path for MMIO, ROM and code pages,
 * fetches, and each sfence.vma-style flush (all, by address, by ASID, by address and ASID,
 * global entries, large pages).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/plat.h"
#include "mmu/tlb.h"

#define RAM 0x80000000ull
#define ROM 0x1000ull
#define DEV 0x10000000ull

/* A fake page table: virtual page -> (physical page, permissions, ASID, global, size). */
struct mapping {
	uint64_t vaddr, paddr;
	unsigned shift;
	uint8_t prot;
	uint16_t asid;
	bool global;
};

static struct mapping maps[16];
static unsigned nmaps, walks;
static uint16_t current_asid;
static struct gpa_space *space;
static struct tlb *tlb;

static enum mmu_fault_kind walk(void *ctx, uint64_t vaddr, enum mmu_access access, unsigned mmu_idx,
				struct mmu_translation *out)
{
	static const uint8_t need[] = {
		[MMU_LOAD] = MMU_PROT_READ, [MMU_STORE] = MMU_PROT_WRITE, [MMU_FETCH] = MMU_PROT_EXEC
	};
	unsigned i;

	walks++;
	for (i = 0; i < nmaps; i++) {
		uint64_t size = 1ull << maps[i].shift;

		if (vaddr - maps[i].vaddr >= size)
			continue;
		if (!(maps[i].prot & need[access]))
			return MMU_FAULT_PAGE;
		out->paddr = maps[i].paddr + ((vaddr - maps[i].vaddr) & ~0xfffull);
		out->page_shift = (uint8_t)maps[i].shift;
		out->prot = maps[i].prot;
		out->asid = maps[i].global ? 0 : current_asid;
		out->global = maps[i].global;
		return MMU_FAULT_NONE;
	}
	return MMU_FAULT_PAGE;
}

static void map(uint64_t vaddr, uint64_t paddr, unsigned shift, uint8_t prot, bool global)
{
	maps[nmaps++] = (struct mapping){ vaddr, paddr, shift, prot, 0, global };
}

static int dev_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	*value = 0xd0 + offset;
	return 0;
}

static int dev_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	return offset == 4 ? -1 : 0;
}

static const struct mmio_ops dev_ops = { dev_read, dev_write };

#define RWX (MMU_PROT_READ | MMU_PROT_WRITE | MMU_PROT_EXEC)

static int setup(void **state)
{
	space = gpa_space_create();
	assert_int_equal(gpa_add_ram(space, RAM, 0x400000, "ram"), 0);
	assert_int_equal(gpa_add_rom(space, ROM, 0x1000, "rom"), 0);
	assert_int_equal(gpa_add_mmio(space, DEV, 0x1000, &dev_ops, NULL, "dev"), 0);
	tlb = plat_alloc(sizeof(*tlb));
	tlb_init(tlb, space, walk, NULL);
	nmaps = 0;
	map(0x10000, RAM, 12, RWX, false);
	map(0x11000, RAM + 0x1000, 12, MMU_PROT_READ, false);
	map(0x12000, DEV, 12, MMU_PROT_READ | MMU_PROT_WRITE, false);
	map(0x13000, ROM, 12, RWX, true);
	map(0x14000, RAM + 0x2000, 12, MMU_PROT_READ | MMU_PROT_EXEC, true);
	map(0x15000, 0x7000000, 12, RWX, false); /* nothing there */
	map(0x200000, RAM + 0x200000, 21, RWX, false);
	return 0;
}

static int teardown(void **state)
{
	plat_free(tlb);
	gpa_space_destroy(space);
	return 0;
}

static int reset(void **state)
{
	tlb_flush_all(tlb, TLB_IDX_ALL);
	walks = 0;
	current_asid = 0;
	return 0;
}

static uint64_t load(uint64_t vaddr, unsigned log2, struct mmu_fault *fault)
{
	uint64_t v = 0;

	*fault = mmu_load(tlb, 1, vaddr, log2, false, &v);
	return v;
}

static void test_tlb_walks_once_then_hits(void **state)
{
	struct mmu_fault f;

	assert_int_equal(mmu_store(tlb, 1, 0x10008, 3, false, 0x1234).kind, MMU_FAULT_NONE);
	assert_int_equal(walks, 1);
	assert_int_equal(load(0x10008, 3, &f), 0x1234);
	assert_int_equal(load(0x10ff8, 2, &f), 0);
	assert_int_equal(walks, 1);
	/* Another MMU index has its own table. */
	assert_int_equal(mmu_load(tlb, 2, 0x10008, 3, false, &(uint64_t){ 0 }).kind,
			 MMU_FAULT_NONE);
	assert_int_equal(walks, 2);
}

static void test_tlb_checks_each_access_kind_separately(void **state)
{
	struct mmu_fault f;

	load(0x11000, 3, &f);
	assert_int_equal(f.kind, MMU_FAULT_NONE);
	f = mmu_store(tlb, 1, 0x11010, 3, false, 1);
	assert_int_equal(f.kind, MMU_FAULT_PAGE);
	assert_int_equal(f.access, MMU_STORE);
	assert_int_equal(f.vaddr, 0x11010);
	f = mmu_fetch(tlb, 1, 0x11000, &(const uint8_t *){ NULL }, &(uint64_t){ 0 });
	assert_int_equal(f.kind, MMU_FAULT_PAGE);
	assert_int_equal(f.access, MMU_FETCH);
	load(0x99000, 0, &f);
	assert_int_equal(f.kind, MMU_FAULT_PAGE);
	assert_int_equal(f.access, MMU_LOAD);
}

static void test_tlb_fetch_returns_host_code_and_its_physical_address(void **state)
{
	const uint8_t *host;
	uint64_t paddr;
	uint32_t insn = 0x00100093;

	assert_int_equal(gpa_write(space, RAM + 0x2010, &insn, 4), 0);
	assert_int_equal(mmu_fetch(tlb, 0, 0x14010, &host, &paddr).kind, MMU_FAULT_NONE);
	assert_int_equal(paddr, RAM + 0x2010);
	assert_memory_equal(host, &insn, 4);
	assert_int_equal(mmu_fetch(tlb, 0, 0x13000, &host, &paddr).kind, MMU_FAULT_NONE);
	assert_int_equal(mmu_fetch(tlb, 0, 0x12000, &host, &paddr).kind, MMU_FAULT_PAGE);
	assert_int_equal(mmu_fetch(tlb, 0, 0x15000, &host, &paddr).kind, MMU_FAULT_ACCESS);
}

static void test_tlb_sends_mmio_rom_and_holes_down_the_slow_path(void **state)
{
	struct mmu_fault f;
	uint64_t slow = tlb->stats.slow;

	assert_int_equal(load(0x12008, 2, &f), 0xd8);
	assert_int_equal(load(0x12010, 2, &f), 0xe0);
	assert_int_equal(tlb->stats.slow, slow + 2);
	assert_int_equal(walks, 1);
	assert_int_equal(mmu_store(tlb, 1, 0x12000, 2, false, 1).kind, MMU_FAULT_NONE);
	assert_int_equal(mmu_store(tlb, 1, 0x12004, 2, false, 1).kind, MMU_FAULT_ACCESS);
	assert_int_equal(mmu_store(tlb, 1, 0x13000, 2, false, 1).kind, MMU_FAULT_ACCESS);
	load(0x15000, 3, &f);
	assert_int_equal(f.kind, MMU_FAULT_ACCESS);
	assert_int_equal(f.vaddr, 0x15000);
}

static void test_tlb_misaligned_store_is_all_or_nothing(void **state)
{
	uint64_t before = 0x1111111111111111ull, now;

	assert_int_equal(gpa_write(space, RAM + 0xffc, &before, 8), 0);
	/* 0x10ffc..0x11003 crosses into the read-only page: nothing may be written. */
	assert_int_equal(mmu_store(tlb, 1, 0x10ffc, 3, false, 0).kind, MMU_FAULT_PAGE);
	assert_int_equal(gpa_read(space, RAM + 0xffc, &now, 8), 0);
	assert_int_equal(now, before);
	assert_int_equal(mmu_store(tlb, 1, 0x10ffa, 2, false, 0xaabbccdd).kind, MMU_FAULT_NONE);
	assert_int_equal(gpa_read(space, RAM + 0xffa, &now, 4), 0);
	assert_int_equal((uint32_t)now, 0xaabbccdd);
	assert_int_equal(mmu_store(tlb, 1, 0x10ffa, 2, true, 0).kind, MMU_FAULT_MISALIGNED);
}

static void test_tlb_stores_to_code_pages_invalidate_them(void **state)
{
	uint32_t gen;
	bool newly;

	assert_int_equal(mmu_store(tlb, 1, 0x10100, 3, false, 1).kind, MMU_FAULT_NONE);
	gpa_code_mark(space, RAM, &newly);
	gen = gpa_code_gen(space, RAM);
	/* The fast-path write entry predates the mark: the epoch makes the TLB drop it. */
	tlb_sync_code_epoch(tlb);
	assert_int_equal(mmu_store(tlb, 1, 0x10100, 3, false, 2).kind, MMU_FAULT_NONE);
	assert_int_equal(gpa_code_gen(space, RAM), gen + 1);
	assert_false(gpa_code_marked(space, RAM));
	/* The page holds no code any more: the entry went back to the fast path. */
	assert_int_equal(tlb_entry_of(tlb, 1, 0x10100)->tag_write, 0x10000);
	{
		void *host;

		gpa_code_mark(space, RAM, &newly);
		tlb_sync_code_epoch(tlb);
		assert_int_equal(mmu_atomic_ptr(tlb, 1, 0x10100, 3, true, &host).kind,
				 MMU_FAULT_NONE);
		assert_int_equal(gpa_code_gen(space, RAM), gen + 2);
		assert_int_equal(mmu_atomic_ptr(tlb, 1, 0x12000, 2, false, &host).kind,
				 MMU_FAULT_ACCESS);
	}
}

static bool cached(unsigned idx, uint64_t vaddr)
{
	return tlb_entry_of(tlb, idx, vaddr)->tag_read == (vaddr & ~0xfffull);
}

static void fill(uint16_t asid)
{
	struct mmu_fault f;

	current_asid = asid;
	load(0x10000, 0, &f);
	load(0x13000, 0, &f);
	load(0x14000, 0, &f);
}

static void test_tlb_flush_all_and_by_address(void **state)
{
	fill(1);
	tlb_flush_page(tlb, 1u << 1, 0x13abc);
	assert_false(cached(1, 0x13000));
	assert_true(cached(1, 0x10000));
	tlb_flush_page(tlb, 1u << 1, 0x10000);
	assert_false(cached(1, 0x10000));
	assert_true(cached(1, 0x14000));
	tlb_flush_all(tlb, 1u << 2);
	assert_true(cached(1, 0x14000));
	tlb_flush_all(tlb, 1u << 1);
	assert_false(cached(1, 0x14000));
}

static void test_tlb_flush_by_asid_keeps_global_and_other_asids(void **state)
{
	fill(5);
	tlb_flush_asid(tlb, TLB_IDX_ALL, 6);
	assert_true(cached(1, 0x10000));
	tlb_flush_asid(tlb, TLB_IDX_ALL, 5);
	assert_false(cached(1, 0x10000));
	assert_true(cached(1, 0x13000));
	assert_true(cached(1, 0x14000));
}

static void test_tlb_flush_by_address_and_asid_spares_global_entries(void **state)
{
	fill(3);
	tlb_flush_page_asid(tlb, TLB_IDX_ALL, 0x13000, 3);
	assert_true(cached(1, 0x13000));
	tlb_flush_page_asid(tlb, TLB_IDX_ALL, 0x10000, 4);
	assert_true(cached(1, 0x10000));
	tlb_flush_page_asid(tlb, TLB_IDX_ALL, 0x10000, 3);
	assert_false(cached(1, 0x10000));
	assert_true(cached(1, 0x14000));
}

static void test_tlb_flush_inside_a_large_page_drops_all_its_entries(void **state)
{
	struct mmu_fault f;

	load(0x200000, 0, &f);
	load(0x3ff000, 0, &f);
	assert_int_equal(walks, 2);
	assert_true(cached(1, 0x200000));
	assert_true(cached(1, 0x3ff000));
	tlb_flush_page(tlb, 1u << 1, 0x250000);
	assert_false(cached(1, 0x200000));
	assert_false(cached(1, 0x3ff000));
	load(0x3ff000, 0, &f);
	assert_int_equal(gpa_access_write(space, RAM + 0x3ff008, 8, 0x42), 0);
	assert_int_equal(load(0x3ff008, 3, &f), 0x42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_tlb_walks_once_then_hits, reset),
		cmocka_unit_test_setup(test_tlb_checks_each_access_kind_separately, reset),
		cmocka_unit_test_setup(test_tlb_fetch_returns_host_code_and_its_physical_address,
				       reset),
		cmocka_unit_test_setup(test_tlb_sends_mmio_rom_and_holes_down_the_slow_path, reset),
		cmocka_unit_test_setup(test_tlb_misaligned_store_is_all_or_nothing, reset),
		cmocka_unit_test_setup(test_tlb_stores_to_code_pages_invalidate_them, reset),
		cmocka_unit_test_setup(test_tlb_flush_all_and_by_address, reset),
		cmocka_unit_test_setup(test_tlb_flush_by_asid_keeps_global_and_other_asids, reset),
		cmocka_unit_test_setup(test_tlb_flush_by_address_and_asid_spares_global_entries,
				       reset),
		cmocka_unit_test_setup(test_tlb_flush_inside_a_large_page_drops_all_its_entries,
				       reset),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
