/* SPDX-License-Identifier: MIT */
/*
 * Bitmaps of any size, stored in unsigned long words (bit n lives in word n / BITMAP_WORD_BITS):
 * free-ID allocation, dirty-page tracking, CPU sets. Not atomic: callers that share one lock it.
 */
#ifndef PV_LIB_BITMAP_H
#define PV_LIB_BITMAP_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define BITMAP_WORD_BITS (sizeof(unsigned long) * CHAR_BIT)
#define BITMAP_WORDS(nbits) (((nbits) + BITMAP_WORD_BITS - 1) / BITMAP_WORD_BITS)

/* An array big enough for nbits bits; zero it (bitmap_zero, or an initializer) before use. */
#define DECLARE_BITMAP(name, nbits) unsigned long name[BITMAP_WORDS(nbits)]

static inline unsigned long bitmap_mask(size_t bit)
{
	return 1ul << (bit % BITMAP_WORD_BITS);
}

static inline void bitmap_set(unsigned long *map, size_t bit)
{
	map[bit / BITMAP_WORD_BITS] |= bitmap_mask(bit);
}

static inline void bitmap_clear(unsigned long *map, size_t bit)
{
	map[bit / BITMAP_WORD_BITS] &= ~bitmap_mask(bit);
}

static inline bool bitmap_test(const unsigned long *map, size_t bit)
{
	return (map[bit / BITMAP_WORD_BITS] & bitmap_mask(bit)) != 0;
}

void bitmap_zero(unsigned long *map, size_t nbits);
/* Sets bits 0..nbits-1; the bits past nbits in the last word stay clear. */
void bitmap_fill(unsigned long *map, size_t nbits);

/* The lowest set (or clear) bit at or after start, or nbits when there is none. */
size_t bitmap_next_set(const unsigned long *map, size_t nbits, size_t start);
size_t bitmap_next_zero(const unsigned long *map, size_t nbits, size_t start);

static inline size_t bitmap_first_set(const unsigned long *map, size_t nbits)
{
	return bitmap_next_set(map, nbits, 0);
}

static inline size_t bitmap_first_zero(const unsigned long *map, size_t nbits)
{
	return bitmap_next_zero(map, nbits, 0);
}

/* The number of set bits among the first nbits. */
size_t bitmap_weight(const unsigned long *map, size_t nbits);

#define bitmap_for_each_set(bit, map, nbits)                          \
	for ((bit) = bitmap_next_set(map, nbits, 0); (bit) < (nbits); \
	     (bit) = bitmap_next_set(map, nbits, (bit) + 1))

#endif
