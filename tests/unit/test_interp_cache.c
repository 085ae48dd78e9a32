// SPDX-License-Identifier: MIT
/* interp/cache: keys, staleness through either code page, flushing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "interp/cache.h"
#include "ir/builder.h"

#define RAM 0x80000000ull

static struct gpa_space *space;
static struct interp_cache *cache;
static struct ir_block block;

static const struct ir_guest guest = { .isa_name = "toy", .state_size = 64 };

static int setup(void **state)
{
	space = gpa_space_create();
	assert_int_equal(gpa_add_ram(space, RAM, 0x10000, "ram"), 0);
	cache = interp_cache_create();
	assert_non_null(cache);
	return 0;
}

static int teardown(void **state)
{
	interp_cache_destroy(cache);
	gpa_space_destroy(space);
	return 0;
}

/* A one-instruction block at pc, translated from phys under (idx, flags). */
static struct interp_block *add(uint64_t pc, uint64_t phys, unsigned idx, uint32_t flags,
				uint64_t page2)
{
	bool newly;
	int64_t gen = gpa_code_mark(space, phys, &newly);

	assert_true(gen >= 0);
	ir_block_init(&block, &guest, pc);
	block.guest_phys = phys;
	block.mmu_idx = (uint8_t)idx;
	block.flags = flags;
	block.phys_page2 = page2;
	ir_insn_start(&block, pc);
	ir_exit_goto(&block, pc + 4);
	return interp_cache_insert(cache, space, &block, (uint32_t)gen);
}

static void test_cache_finds_blocks_only_by_their_whole_key(void **state)
{
	struct interp_block *b = add(0x1000, RAM + 0x100, 1, 7, IR_NO_PAGE);
	bool stale = false;

	assert_non_null(b);
	assert_int_equal(b->nops, 2);
	assert_int_equal(b->insns, 1);
	assert_ptr_equal(interp_cache_lookup(cache, 0x1000, RAM + 0x100, 1, 7, &stale), b);
	assert_null(interp_cache_lookup(cache, 0x1000, RAM + 0x200, 1, 7, &stale));
	assert_null(interp_cache_lookup(cache, 0x1000, RAM + 0x100, 2, 7, &stale));
	assert_null(interp_cache_lookup(cache, 0x1000, RAM + 0x100, 1, 8, &stale));
	assert_null(interp_cache_lookup(cache, 0x2000, RAM + 0x100, 1, 7, &stale));
	assert_false(stale);
	/* The same physical code at another virtual address is another block. */
	assert_non_null(add(0x7000, RAM + 0x100, 1, 7, IR_NO_PAGE));
	assert_int_equal(cache->nblocks, 2);
	interp_cache_flush(cache);
	assert_int_equal(cache->nblocks, 0);
	assert_int_equal(cache->bytes, 0);
	assert_null(interp_cache_lookup(cache, 0x1000, RAM + 0x100, 1, 7, NULL));
}

static void test_cache_drops_a_block_when_either_of_its_pages_is_written(void **state)
{
	uint32_t word = 0;
	bool stale = false;

	add(0x1ffc, RAM + 0x1ffc, 0, 0, RAM + 0x2000);
	assert_true(gpa_code_marked(space, RAM + 0x2000));
	assert_non_null(interp_cache_lookup(cache, 0x1ffc, RAM + 0x1ffc, 0, 0, &stale));
	assert_int_equal(gpa_write(space, RAM + 0x2400, &word, 4), 0);
	assert_null(interp_cache_lookup(cache, 0x1ffc, RAM + 0x1ffc, 0, 0, &stale));
	assert_true(stale);
	assert_int_equal(cache->nblocks, 0);

	stale = false;
	add(0x3000, RAM + 0x3000, 0, 0, IR_NO_PAGE);
	assert_int_equal(gpa_write(space, RAM + 0x3ffc, &word, 4), 0);
	assert_null(interp_cache_lookup(cache, 0x3000, RAM + 0x3000, 0, 0, &stale));
	assert_true(stale);
	/* Translated again after the write, the block is good until the next one. */
	add(0x3000, RAM + 0x3000, 0, 0, IR_NO_PAGE);
	assert_non_null(interp_cache_lookup(cache, 0x3000, RAM + 0x3000, 0, 0, &stale));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache_finds_blocks_only_by_their_whole_key),
		cmocka_unit_test(test_cache_drops_a_block_when_either_of_its_pages_is_written),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
