// SPDX-License-Identifier: MIT
/* lib/bitmap: bit operations and scans over sizes that do and do not fill whole words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "lib/bitmap.h"

static const size_t sizes[] = { 1, 7, 63, 64, 65, 127, 128, 129, 200, 1000 };

static void test_bitmap_set_clear_and_test_single_bits(void **state)
{
	DECLARE_BITMAP(map, 130);

	bitmap_zero(map, 130);
	bitmap_set(map, 0);
	bitmap_set(map, 63);
	bitmap_set(map, 64);
	bitmap_set(map, 129);
	assert_true(bitmap_test(map, 0));
	assert_false(bitmap_test(map, 1));
	assert_true(bitmap_test(map, 63));
	assert_true(bitmap_test(map, 64));
	assert_false(bitmap_test(map, 128));
	assert_true(bitmap_test(map, 129));
	bitmap_clear(map, 63);
	assert_false(bitmap_test(map, 63));
	assert_true(bitmap_test(map, 64));
	assert_int_equal(bitmap_weight(map, 130), 3);
}

static void test_bitmap_words_cover_the_size(void **state)
{
	assert_int_equal(BITMAP_WORDS(0), 0);
	assert_int_equal(BITMAP_WORDS(1), 1);
	assert_int_equal(BITMAP_WORDS(BITMAP_WORD_BITS), 1);
	assert_int_equal(BITMAP_WORDS(BITMAP_WORD_BITS + 1), 2);
}

static void test_bitmap_empty_map_has_no_set_bit(void **state)
{
	DECLARE_BITMAP(map, 1000);
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		bitmap_zero(map, sizes[i]);
		assert_int_equal(bitmap_first_set(map, sizes[i]), sizes[i]);
		assert_int_equal(bitmap_first_zero(map, sizes[i]), 0);
		assert_int_equal(bitmap_weight(map, sizes[i]), 0);
	}
}

static void test_bitmap_fill_sets_exactly_the_first_nbits(void **state)
{
	DECLARE_BITMAP(map, 1000);
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i];

		memset(map, 0, sizeof(map));
		bitmap_fill(map, n);
		assert_int_equal(bitmap_weight(map, n), n);
		assert_int_equal(bitmap_first_zero(map, n), n);
		assert_int_equal(bitmap_first_set(map, n), 0);
		/* The slack past nbits stays clear, so a larger view sees exactly n bits. */
		assert_int_equal(bitmap_weight(map, 1000), n);
	}
}

static void test_bitmap_next_set_walks_every_set_bit_in_order(void **state)
{
	static const size_t bits[] = { 0, 1, 62, 63, 64, 65, 127, 128, 500, 999 };
	DECLARE_BITMAP(map, 1000);
	size_t seen = 0;
	size_t bit;
	size_t i;

	bitmap_zero(map, 1000);
	for (i = 0; i < 10; i++)
		bitmap_set(map, bits[i]);
	bitmap_for_each_set(bit, map, 1000) {
		assert_int_equal(bit, bits[seen]);
		seen++;
	}
	assert_int_equal(seen, 10);
	assert_int_equal(bitmap_next_set(map, 1000, 129), 500);
	assert_int_equal(bitmap_next_set(map, 1000, 1000), 1000);
	assert_int_equal(bitmap_next_set(map, 1000, 5000), 1000);
}

static void test_bitmap_next_zero_finds_free_slots(void **state)
{
	DECLARE_BITMAP(map, 200);

	bitmap_fill(map, 200);
	bitmap_clear(map, 70);
	bitmap_clear(map, 199);
	assert_int_equal(bitmap_first_zero(map, 200), 70);
	assert_int_equal(bitmap_next_zero(map, 200, 71), 199);
	assert_int_equal(bitmap_next_zero(map, 200, 199), 199);
	bitmap_set(map, 199);
	assert_int_equal(bitmap_next_zero(map, 200, 71), 200);
}

static void test_bitmap_scans_ignore_bits_past_nbits(void **state)
{
	DECLARE_BITMAP(map, 128);

	/* A map of 70 bits whose last word holds stray bits past 70. */
	memset(map, 0, sizeof(map));
	bitmap_set(map, 100);
	assert_int_equal(bitmap_first_set(map, 70), 70);
	assert_int_equal(bitmap_weight(map, 70), 0);
	memset(map, 0xff, sizeof(map));
	bitmap_clear(map, 100);
	assert_int_equal(bitmap_first_zero(map, 70), 70);
}

static void test_bitmap_first_set_finds_the_single_bit_anywhere(void **state)
{
	DECLARE_BITMAP(map, 1000);
	size_t bit;

	for (bit = 0; bit < 1000; bit++) {
		bitmap_zero(map, 1000);
		bitmap_set(map, bit);
		assert_int_equal(bitmap_first_set(map, 1000), bit);
		assert_int_equal(bitmap_next_set(map, 1000, bit + 1), 1000);
		bitmap_fill(map, 1000);
		bitmap_clear(map, bit);
		assert_int_equal(bitmap_first_zero(map, 1000), bit);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bitmap_set_clear_and_test_single_bits),
		cmocka_unit_test(test_bitmap_words_cover_the_size),
		cmocka_unit_test(test_bitmap_empty_map_has_no_set_bit),
		cmocka_unit_test(test_bitmap_fill_sets_exactly_the_first_nbits),
		cmocka_unit_test(test_bitmap_next_set_walks_every_set_bit_in_order),
		cmocka_unit_test(test_bitmap_next_zero_finds_free_slots),
		cmocka_unit_test(test_bitmap_scans_ignore_bits_past_nbits),
		cmocka_unit_test(test_bitmap_first_set_finds_the_single_bit_anywhere),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
