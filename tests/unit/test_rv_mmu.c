// SPDX-License-Identifier: MIT
/* arch/riscv64/guest/mmu: Sv39/Sv48/Sv57 walks, A/D updates, SUM/MXR, superpages, MMU indexes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arch/riscv64/guest/cpu.h"
#include "arch/riscv64/guest/mmu.h"
#include "mmu/gpa.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (4ull << 20)
#define ROOT (RAM_BASE + 0x100000)

#define PTE_V 0x01u
#define PTE_R 0x02u
#define PTE_W 0x04u
#define PTE_X 0x08u
#define PTE_U 0x10u
#define PTE_G 0x20u
#define PTE_A 0x40u
#define PTE_D 0x80u

/* What firmware does before it enters S mode: one NAPOT entry over everything, RWX. */
static void open_pmp(struct rv_cpu *cpu)
{
	cpu->pmpaddr[0] = (1ull << 54) - 1;
	cpu->pmpcfg[0] = 0x1f;
}

struct fixture {
	struct gpa_space *gpa;
	struct rv_cpu cpu;
	uint64_t next_table; /* bump allocator for page-table pages */
};

static int setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));

	f->gpa = gpa_space_create();
	assert_non_null(f->gpa);
	assert_int_equal(gpa_add_ram(f->gpa, RAM_BASE, RAM_SIZE, "ram"), 0);
	rv_cpu_reset(&f->cpu, 0, NULL);
	f->cpu.priv = RV_PRIV_S;
	f->cpu.satp = ((uint64_t)RV_SATP_SV39 << RV_SATP_MODE_SHIFT) | (ROOT >> 12);
	f->next_table = ROOT + 0x1000;
	open_pmp(&f->cpu);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	gpa_space_destroy(f->gpa);
	test_free(f);
	return 0;
}

static uint64_t read_pte(struct fixture *f, uint64_t addr)
{
	uint64_t pte;

	assert_int_equal(gpa_read(f->gpa, addr, &pte, 8), 0);
	return pte;
}

static void write_pte(struct fixture *f, uint64_t addr, uint64_t pte)
{
	assert_int_equal(gpa_write(f->gpa, addr, &pte, 8), 0);
}

/*
 * Maps vaddr to paddr with a leaf at level (0: 4 KiB) of a levels-deep table rooted at ROOT,
 * creating intermediate tables as needed. Returns the leaf PTE's address.
 */
static uint64_t map(struct fixture *f, unsigned levels, uint64_t vaddr, uint64_t paddr,
		    unsigned leaf_level, uint64_t flags)
{
	uint64_t table = ROOT, addr, pte;

	for (unsigned level = levels - 1;; level--) {
		addr = table + ((vaddr >> (12 + 9 * level)) & 511u) * 8;
		if (level == leaf_level) {
			write_pte(f, addr, ((paddr >> 12) << 10) | flags | PTE_V);
			return addr;
		}
		pte = read_pte(f, addr);
		if (!(pte & PTE_V)) {
			pte = ((f->next_table >> 12) << 10) | PTE_V;
			f->next_table += 0x1000;
			write_pte(f, addr, pte);
		}
		table = (pte >> 10) << 12;
	}
}

static struct rv_walk walk(struct fixture *f, uint64_t vaddr, enum mmu_access access, unsigned idx)
{
	struct rv_walk out;

	rv_walk(&f->cpu, f->gpa, vaddr, access, idx, &out);
	return out;
}

static void test_sv39_walk_translates_a_4k_page(void **state)
{
	struct fixture *f = *state;
	struct rv_walk w;

	map(f, 3, 0x40001000, RAM_BASE + 0x5000, 0, PTE_R | PTE_W | PTE_A | PTE_D);
	w = walk(f, 0x40001234, MMU_LOAD, RV_MMU_IDX_S);
	assert_int_equal(w.fault, MMU_FAULT_NONE);
	assert_int_equal(w.paddr, RAM_BASE + 0x5234);
	assert_int_equal(w.page_shift, 12);
	assert_int_equal(w.prot, MMU_PROT_READ | MMU_PROT_WRITE);
	assert_false(w.global);
}

static void test_sv39_walk_sets_accessed_bit_on_load(void **state)
{
	struct fixture *f = *state;
	uint64_t leaf = map(f, 3, 0x2000, RAM_BASE + 0x7000, 0, PTE_R | PTE_W);
	struct rv_walk w = walk(f, 0x2000, MMU_LOAD, RV_MMU_IDX_S);

	assert_int_equal(w.fault, MMU_FAULT_NONE);
	assert_true(read_pte(f, leaf) & PTE_A);
	assert_false(read_pte(f, leaf) & PTE_D);
	/* Without D the TLB must not cache write permission: the first store walks again. */
	assert_int_equal(w.prot, MMU_PROT_READ);
}

static void test_sv39_walk_sets_dirty_bit_on_store(void **state)
{
	struct fixture *f = *state;
	uint64_t leaf = map(f, 3, 0x2000, RAM_BASE + 0x7000, 0, PTE_R | PTE_W);
	struct rv_walk w = walk(f, 0x2000, MMU_STORE, RV_MMU_IDX_S);

	assert_int_equal(w.fault, MMU_FAULT_NONE);
	assert_int_equal(read_pte(f, leaf) & (PTE_A | PTE_D), PTE_A | PTE_D);
	assert_int_equal(w.prot, MMU_PROT_READ | MMU_PROT_WRITE);
}

static void test_sv39_store_to_read_only_page_faults_without_setting_dirty(void **state)
{
	struct fixture *f = *state;
	uint64_t leaf = map(f, 3, 0x3000, RAM_BASE + 0x7000, 0, PTE_R);

	assert_int_equal(walk(f, 0x3000, MMU_STORE, RV_MMU_IDX_S).fault, MMU_FAULT_PAGE);
	assert_false(read_pte(f, leaf) & (PTE_A | PTE_D));
}

static void test_sv39_invalid_and_reserved_ptes_fault(void **state)
{
	struct fixture *f = *state;
	uint64_t leaf;

	assert_int_equal(walk(f, 0x5000, MMU_LOAD, RV_MMU_IDX_S).fault, MMU_FAULT_PAGE);
	/* W without R is reserved. */
	map(f, 3, 0x6000, RAM_BASE, 0, PTE_W | PTE_A | PTE_D);
	assert_int_equal(walk(f, 0x6000, MMU_LOAD, RV_MMU_IDX_S).fault, MMU_FAULT_PAGE);
	/* Bits 63:54 (PBMT, N) are not implemented and must be zero. */
	leaf = map(f, 3, 0x7000, RAM_BASE, 0, PTE_R | PTE_A);
	write_pte(f, leaf, read_pte(f, leaf) | (1ull << 61));
	assert_int_equal(walk(f, 0x7000, MMU_LOAD, RV_MMU_IDX_S).fault, MMU_FAULT_PAGE);
}

static void test_sv39_non_canonical_address_faults(void **state)
{
	struct fixture *f = *state;

	map(f, 3, 0x1000, RAM_BASE, 0, PTE_R | PTE_A);
	assert_int_equal(walk(f, 0x1000 | (1ull << 40), MMU_LOAD, RV_MMU_IDX_S).fault,
			 MMU_FAULT_PAGE);
}

static void test_sv39_user_page_needs_sum_in_supervisor(void **state)
{
	struct fixture *f = *state;

	map(f, 3, 0x8000, RAM_BASE, 0, PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D);
	assert_int_equal(walk(f, 0x8000, MMU_LOAD, RV_MMU_IDX_S).fault, MMU_FAULT_PAGE);
	assert_int_equal(walk(f, 0x8000, MMU_LOAD, RV_MMU_IDX_S_SUM).fault, MMU_FAULT_NONE);
	assert_int_equal(walk(f, 0x8000, MMU_STORE, RV_MMU_IDX_S_SUM).fault, MMU_FAULT_NONE);
	/* SUM never lets S mode execute user code. */
	assert_int_equal(walk(f, 0x8000, MMU_FETCH, RV_MMU_IDX_S).fault, MMU_FAULT_PAGE);
	assert_int_equal(walk(f, 0x8000, MMU_FETCH, RV_MMU_IDX_U).fault, MMU_FAULT_NONE);
}

static void test_sv39_user_cannot_touch_supervisor_page(void **state)
{
	struct fixture *f = *state;

	map(f, 3, 0x9000, RAM_BASE, 0, PTE_R | PTE_X | PTE_A);
	assert_int_equal(walk(f, 0x9000, MMU_LOAD, RV_MMU_IDX_U).fault, MMU_FAULT_PAGE);
	assert_int_equal(walk(f, 0x9000, MMU_FETCH, RV_MMU_IDX_U).fault, MMU_FAULT_PAGE);
	assert_int_equal(walk(f, 0x9000, MMU_FETCH, RV_MMU_IDX_S).fault, MMU_FAULT_NONE);
}

static void test_sv39_mxr_makes_execute_only_pages_readable(void **state)
{
	struct fixture *f = *state;

	map(f, 3, 0xa000, RAM_BASE, 0, PTE_X | PTE_A);
	assert_int_equal(walk(f, 0xa000, MMU_LOAD, RV_MMU_IDX_S).fault, MMU_FAULT_PAGE);
	assert_int_equal(walk(f, 0xa000, MMU_LOAD, RV_MMU_IDX_S_MXR).fault, MMU_FAULT_NONE);
	assert_int_equal(walk(f, 0xa000, MMU_STORE, RV_MMU_IDX_S_MXR).fault, MMU_FAULT_PAGE);
}

static void test_sv39_megapage_translates_the_offset_within_it(void **state)
{
	struct fixture *f = *state;
	struct rv_walk w;

	map(f, 3, 0x40200000, RAM_BASE + 0x200000, 1, PTE_R | PTE_A | PTE_G);
	w = walk(f, 0x40312345, MMU_LOAD, RV_MMU_IDX_S);
	assert_int_equal(w.fault, MMU_FAULT_NONE);
	assert_int_equal(w.paddr, RAM_BASE + 0x312345);
	assert_int_equal(w.page_shift, 21);
	assert_true(w.global);
}

static void test_sv39_misaligned_superpage_faults(void **state)
{
	struct fixture *f = *state;

	map(f, 3, 0x40200000, RAM_BASE + 0x201000, 1, PTE_R | PTE_A);
	assert_int_equal(walk(f, 0x40200000, MMU_LOAD, RV_MMU_IDX_S).fault, MMU_FAULT_PAGE);
}

static void test_sv39_gigapage_translates(void **state)
{
	struct fixture *f = *state;
	struct rv_walk w;

	map(f, 3, 0xc0000000, 0x80000000, 2, PTE_R | PTE_W | PTE_A | PTE_D);
	w = walk(f, 0xc0123456, MMU_STORE, RV_MMU_IDX_S);
	assert_int_equal(w.fault, MMU_FAULT_NONE);
	assert_int_equal(w.paddr, 0x80123456);
	assert_int_equal(w.page_shift, 30);
}

static void test_sv39_pointer_at_last_level_faults(void **state)
{
	struct fixture *f = *state;

	/* A non-leaf PTE (no R, W, X) at level 0 has nowhere to point. */
	map(f, 3, 0xb000, RAM_BASE + 0x9000, 0, 0);
	assert_int_equal(walk(f, 0xb000, MMU_LOAD, RV_MMU_IDX_S).fault, MMU_FAULT_PAGE);
}

static void test_sv39_page_table_outside_ram_is_an_access_fault(void **state)
{
	struct fixture *f = *state;

	f->cpu.satp = ((uint64_t)RV_SATP_SV39 << RV_SATP_MODE_SHIFT) | (0x1000000ull >> 12);
	assert_int_equal(walk(f, 0x1000, MMU_LOAD, RV_MMU_IDX_S).fault, MMU_FAULT_ACCESS);
}

static void test_sv48_and_sv57_walk_four_and_five_levels(void **state)
{
	struct fixture *f = *state;
	struct rv_walk w;

	f->cpu.satp = ((uint64_t)RV_SATP_SV48 << RV_SATP_MODE_SHIFT) | (ROOT >> 12);
	map(f, 4, 0x7f0000001000ull, RAM_BASE + 0x3000, 0, PTE_R | PTE_A);
	w = walk(f, 0x7f0000001008ull, MMU_LOAD, RV_MMU_IDX_S);
	assert_int_equal(w.fault, MMU_FAULT_NONE);
	assert_int_equal(w.paddr, RAM_BASE + 0x3008);
	/* Sv48's canonical form: bits 63:48 copy bit 47. */
	assert_int_equal(walk(f, 0x0001000000001000ull, MMU_LOAD, RV_MMU_IDX_S).fault,
			 MMU_FAULT_PAGE);

	memset(gpa_ram_ptr(f->gpa, ROOT, 0x100000), 0, 0x100000);
	f->next_table = ROOT + 0x1000;
	f->cpu.satp = ((uint64_t)RV_SATP_SV57 << RV_SATP_MODE_SHIFT) | (ROOT >> 12);
	map(f, 5, 0x00f0000000002000ull, RAM_BASE + 0x4000, 0, PTE_R | PTE_A);
	w = walk(f, 0x00f0000000002010ull, MMU_LOAD, RV_MMU_IDX_S);
	assert_int_equal(w.fault, MMU_FAULT_NONE);
	assert_int_equal(w.paddr, RAM_BASE + 0x4010);
}

static void test_bare_satp_and_machine_mode_are_identity(void **state)
{
	struct fixture *f = *state;
	struct rv_walk w;

	w = walk(f, 0x1234, MMU_STORE, RV_MMU_IDX_M);
	assert_int_equal(w.fault, MMU_FAULT_NONE);
	assert_int_equal(w.paddr, 0x1234);
	f->cpu.satp = 0;
	w = walk(f, 0x80001000, MMU_FETCH, RV_MMU_IDX_U);
	assert_int_equal(w.fault, MMU_FAULT_NONE);
	assert_int_equal(w.paddr, 0x80001000);
}

static void test_pmp_refuses_supervisor_pages_an_entry_closes(void **state)
{
	struct fixture *f = *state;
	struct rv_walk w;

	map(f, 3, 0x1000, RAM_BASE + 0x8000, 0, PTE_R | PTE_W | PTE_A | PTE_D);
	/* Entry 0: NAPOT 4 KiB at RAM_BASE + 0x8000, no access; entry 1: the rest, RWX. */
	f->cpu.pmpaddr[0] = ((RAM_BASE + 0x8000) >> 2) | 0x1ff;
	f->cpu.pmpaddr[1] = (1ull << 54) - 1;
	f->cpu.pmpcfg[0] = (0x1full << 8) | 0x18;
	assert_int_equal(walk(f, 0x1000, MMU_LOAD, RV_MMU_IDX_S).fault, MMU_FAULT_ACCESS);
	/* M mode is bound only by locked entries. */
	w = walk(f, RAM_BASE + 0x8000, MMU_STORE, RV_MMU_IDX_M);
	assert_int_equal(w.fault, MMU_FAULT_NONE);
	f->cpu.pmpcfg[0] |= 0x80;
	assert_int_equal(walk(f, RAM_BASE + 0x8000, MMU_STORE, RV_MMU_IDX_M).fault,
			 MMU_FAULT_ACCESS);
}

static void test_pmp_limits_permissions_and_checks_page_table_reads(void **state)
{
	struct fixture *f = *state;
	struct rv_walk w;

	map(f, 3, 0x1000, RAM_BASE + 0x8000, 0, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
	/* TOR entry 1 over [RAM_BASE, RAM_BASE + 0x10000): read-only; the rest RWX. */
	f->cpu.pmpaddr[0] = RAM_BASE >> 2;
	f->cpu.pmpaddr[1] = (RAM_BASE + 0x10000) >> 2;
	f->cpu.pmpaddr[2] = (1ull << 54) - 1;
	f->cpu.pmpcfg[0] = (0x1full << 16) | (0x09ull << 8);
	w = walk(f, 0x1000, MMU_LOAD, RV_MMU_IDX_S);
	assert_int_equal(w.fault, MMU_FAULT_NONE);
	assert_int_equal(w.prot, MMU_PROT_READ);
	assert_int_equal(walk(f, 0x1000, MMU_STORE, RV_MMU_IDX_S).fault, MMU_FAULT_ACCESS);
	/* Without any matching entry S mode may not even read its page tables. */
	f->cpu.pmpcfg[0] = 0;
	assert_int_equal(walk(f, 0x1000, MMU_LOAD, RV_MMU_IDX_S).fault, MMU_FAULT_ACCESS);
	assert_int_equal(walk(f, 0x1000, MMU_LOAD, RV_MMU_IDX_M).fault, MMU_FAULT_NONE);
}

static void test_pmp_page_partly_covered_by_its_first_entry_is_refused(void **state)
{
	struct fixture *f = *state;

	/* NA4 over 4 bytes of the page, then everything RWX: the page is not uniform. */
	f->cpu.satp = 0;
	f->cpu.pmpaddr[0] = (RAM_BASE + 0x8010) >> 2;
	f->cpu.pmpaddr[1] = (1ull << 54) - 1;
	f->cpu.pmpcfg[0] = (0x1full << 8) | 0x17;
	assert_int_equal(walk(f, RAM_BASE + 0x8100, MMU_LOAD, RV_MMU_IDX_S).fault,
			 MMU_FAULT_ACCESS);
	assert_int_equal(walk(f, RAM_BASE + 0x9000, MMU_LOAD, RV_MMU_IDX_S).fault, MMU_FAULT_NONE);
}

static void test_data_mmu_index_follows_mprv_sum_and_mxr(void **state)
{
	struct fixture *f = *state;

	f->cpu.priv = RV_PRIV_M;
	assert_int_equal(rv_data_mmu_idx(&f->cpu), RV_MMU_IDX_M);
	f->cpu.mstatus |= RV_MSTATUS_MPRV | (1ull << RV_MSTATUS_MPP_SHIFT) | RV_MSTATUS_SUM;
	assert_int_equal(rv_data_mmu_idx(&f->cpu), RV_MMU_IDX_S_SUM);
	/* MPRV changes data accesses only: fetches stay in M mode. */
	assert_int_equal(rv_fetch_mmu_idx(&f->cpu), RV_MMU_IDX_M);
	f->cpu.priv = RV_PRIV_U;
	f->cpu.mstatus |= RV_MSTATUS_MXR;
	assert_int_equal(rv_data_mmu_idx(&f->cpu), RV_MMU_IDX_U_MXR);
	assert_int_equal(rv_fetch_mmu_idx(&f->cpu), RV_MMU_IDX_U);
}

static void test_block_flags_carry_fs_and_frm_validity(void **state)
{
	struct fixture *f = *state;

	f->cpu.mstatus &= ~RV_MSTATUS_FS;
	f->cpu.frm = 5;
	assert_int_equal(rv_block_flags(&f->cpu) & (RV_BLOCK_FS_MASK | RV_BLOCK_FRM_VALID), 0);
	f->cpu.mstatus |= RV_MSTATUS_FS_DIRTY;
	f->cpu.frm = 4;
	assert_int_equal(rv_block_flags(&f->cpu) & (RV_BLOCK_FS_MASK | RV_BLOCK_FRM_VALID),
			 RV_BLOCK_FS_DIRTY | RV_BLOCK_FRM_VALID);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_sv39_walk_translates_a_4k_page),
		T(test_sv39_walk_sets_accessed_bit_on_load),
		T(test_sv39_walk_sets_dirty_bit_on_store),
		T(test_sv39_store_to_read_only_page_faults_without_setting_dirty),
		T(test_sv39_invalid_and_reserved_ptes_fault),
		T(test_sv39_non_canonical_address_faults),
		T(test_sv39_user_page_needs_sum_in_supervisor),
		T(test_sv39_user_cannot_touch_supervisor_page),
		T(test_sv39_mxr_makes_execute_only_pages_readable),
		T(test_sv39_megapage_translates_the_offset_within_it),
		T(test_sv39_misaligned_superpage_faults),
		T(test_sv39_gigapage_translates),
		T(test_sv39_pointer_at_last_level_faults),
		T(test_sv39_page_table_outside_ram_is_an_access_fault),
		T(test_sv48_and_sv57_walk_four_and_five_levels),
		T(test_bare_satp_and_machine_mode_are_identity),
		T(test_pmp_refuses_supervisor_pages_an_entry_closes),
		T(test_pmp_limits_permissions_and_checks_page_table_reads),
		T(test_pmp_page_partly_covered_by_its_first_entry_is_refused),
		T(test_data_mmu_index_follows_mprv_sum_and_mxr),
		T(test_block_flags_carry_fs_and_frm_validity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
