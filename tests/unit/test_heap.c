// SPDX-License-Identifier: MIT
/* lib/heap: pages from given ranges, merging frees, object classes, large objects, ownership. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/errno.h"
#include "lib/heap.h"
#include "lib/plat.h"

#define ARENA_PAGES 64

static _Alignas(4096) uint8_t arena[ARENA_PAGES * PLAT_PAGE_SIZE];
static struct heap heap;

static int setup(void **state)
{
	heap_init(&heap);
	memset(arena, 0xa5, sizeof(arena));
	return 0;
}

static uintptr_t page(unsigned n)
{
	return (uintptr_t)arena + n * PLAT_PAGE_SIZE;
}

static void test_heap_refuses_bad_and_overlapping_ranges(void **state)
{
	assert_int_equal(heap_add_range(&heap, page(0) + 1, 1), -EINVAL);
	assert_int_equal(heap_add_range(&heap, page(0), 0), -EINVAL);
	assert_int_equal(heap_add_range(&heap, page(0), 8), 0);
	assert_int_equal(heap_add_range(&heap, page(7), 2), -EINVAL);
	assert_int_equal(heap_add_range(&heap, page(8), 2), 0);
	assert_int_equal(heap.free_pages, 10);
	/* Adjacent ranges merge into one free range. */
	assert_int_equal(heap.nfree, 1);
}

static void test_heap_pages_come_zeroed_first_fit_and_merge_when_freed(void **state)
{
	uint8_t *a, *b, *c;

	assert_int_equal(heap_add_range(&heap, page(0), 4), 0);
	assert_int_equal(heap_add_range(&heap, page(10), 16), 0);
	a = heap_pages_alloc(&heap, 2);
	b = heap_pages_alloc(&heap, 4); /* does not fit what is left of the first range */
	c = heap_pages_alloc(&heap, 2);
	assert_ptr_equal(a, (void *)page(0));
	assert_ptr_equal(b, (void *)page(10));
	assert_ptr_equal(c, (void *)page(2));
	for (size_t i = 0; i < 4 * PLAT_PAGE_SIZE; i++)
		assert_int_equal(b[i], 0);
	assert_null(heap_pages_alloc(&heap, 13));
	heap_pages_free(&heap, a, 2);
	heap_pages_free(&heap, c, 2);
	heap_pages_free(&heap, b, 4);
	assert_int_equal(heap.free_pages, 20);
	assert_int_equal(heap.nfree, 2);
	assert_ptr_equal(heap_pages_alloc(&heap, 16), (void *)page(10));
}

static void test_heap_ignores_pages_it_does_not_own(void **state)
{
	assert_int_equal(heap_add_range(&heap, page(0), 4), 0);
	heap_pages_free(&heap, (void *)page(20), 2);
	assert_int_equal(heap.free_pages, 4);
	assert_false(heap_owns(&heap, (void *)page(20)));
	assert_true(heap_owns(&heap, (void *)(page(3) + 17)));
}

static void test_heap_small_objects_are_zeroed_aligned_and_reused(void **state)
{
	uint8_t *a, *b, *c;

	assert_int_equal(heap_add_range(&heap, page(0), 4), 0);
	a = heap_alloc(&heap, 1);
	b = heap_alloc(&heap, 100);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal((uintptr_t)a % 16, 0);
	assert_int_equal((uintptr_t)b % 16, 0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(b[i], 0);
	memset(b, 0xff, 100);
	heap_free(&heap, b);
	c = heap_alloc(&heap, 90); /* the same class: the object just freed, zeroed again */
	assert_ptr_equal(c, b);
	for (int i = 0; i < 90; i++)
		assert_int_equal(c[i], 0);
	/* Two classes took one page each. */
	assert_int_equal(heap.free_pages, 2);
}

static void test_heap_large_objects_take_pages_and_give_them_back(void **state)
{
	uint8_t *big;

	assert_int_equal(heap_add_range(&heap, page(0), 8), 0);
	big = heap_alloc(&heap, 3 * PLAT_PAGE_SIZE);
	assert_non_null(big);
	assert_int_equal(heap.free_pages, 4); /* 3 pages and the header need 4 */
	big[3 * PLAT_PAGE_SIZE - 1] = 1;
	heap_free(&heap, big);
	assert_int_equal(heap.free_pages, 8);
	assert_null(heap_alloc(&heap, 9 * PLAT_PAGE_SIZE));
	assert_null(heap_alloc(&heap, SIZE_MAX - 8));
}

static void test_heap_free_ignores_foreign_and_repeated_pointers(void **state)
{
	static uint64_t elsewhere[4];
	void *a;

	assert_int_equal(heap_add_range(&heap, page(0), 2), 0);
	heap_free(&heap, NULL);
	heap_free(&heap, &elsewhere[2]);
	a = heap_alloc(&heap, 40);
	heap_free(&heap, a);
	heap_free(&heap, a); /* a second free finds no header and changes nothing */
	assert_ptr_equal(heap_alloc(&heap, 40), a);
	assert_ptr_not_equal(heap_alloc(&heap, 40), a);
}

static void test_heap_runs_dry_cleanly(void **state)
{
	unsigned got = 0;

	assert_int_equal(heap_add_range(&heap, page(0), 2), 0);
	while (heap_alloc(&heap, 2000))
		got++;
	/* Two pages of 2048-byte objects. */
	assert_int_equal(got, 4);
	assert_null(heap_pages_alloc(&heap, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_heap_refuses_bad_and_overlapping_ranges, setup),
		cmocka_unit_test_setup(test_heap_pages_come_zeroed_first_fit_and_merge_when_freed,
				       setup),
		cmocka_unit_test_setup(test_heap_ignores_pages_it_does_not_own, setup),
		cmocka_unit_test_setup(test_heap_small_objects_are_zeroed_aligned_and_reused,
				       setup),
		cmocka_unit_test_setup(test_heap_large_objects_take_pages_and_give_them_back,
				       setup),
		cmocka_unit_test_setup(test_heap_free_ignores_foreign_and_repeated_pointers, setup),
		cmocka_unit_test_setup(test_heap_runs_dry_cleanly, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
