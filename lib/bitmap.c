// SPDX-License-Identifier: MIT
/* Bitmap scans (see lib/bitmap.h): a word at a time, so sparse maps are cheap to search. */
#include <string.h>

#include "lib/bitmap.h"

void bitmap_zero(unsigned long *map, size_t nbits)
{
	memset(map, 0, BITMAP_WORDS(nbits) * sizeof(*map));
}

void bitmap_fill(unsigned long *map, size_t nbits)
{
	size_t tail = nbits % BITMAP_WORD_BITS;

	memset(map, 0xff, nbits / BITMAP_WORD_BITS * sizeof(*map));
	if (tail != 0)
		map[nbits / BITMAP_WORD_BITS] = (1ul << tail) - 1;
}

/*
 * The shared scan: invert is all ones to look for clear bits. Bits before start are masked off in
 * the first word; a hit past nbits (in the last word's slack) counts as none.
 */
static size_t bitmap_scan(const unsigned long *map, size_t nbits, size_t start,
			  unsigned long invert)
{
	size_t index = start / BITMAP_WORD_BITS;
	unsigned long word;

	if (start >= nbits)
		return nbits;
	word = (map[index] ^ invert) & (~0ul << (start % BITMAP_WORD_BITS));
	for (;;) {
		if (word != 0) {
			size_t bit = index * BITMAP_WORD_BITS + (size_t)__builtin_ctzl(word);

			return bit < nbits ? bit : nbits;
		}
		if (++index >= BITMAP_WORDS(nbits))
			return nbits;
		word = map[index] ^ invert;
	}
}

size_t bitmap_next_set(const unsigned long *map, size_t nbits, size_t start)
{
	return bitmap_scan(map, nbits, start, 0);
}

size_t bitmap_next_zero(const unsigned long *map, size_t nbits, size_t start)
{
	return bitmap_scan(map, nbits, start, ~0ul);
}

size_t bitmap_weight(const unsigned long *map, size_t nbits)
{
	size_t full = nbits / BITMAP_WORD_BITS;
	size_t tail = nbits % BITMAP_WORD_BITS;
	size_t count = 0;
	size_t i;

	for (i = 0; i < full; i++)
		count += (size_t)__builtin_popcountl(map[i]);
	if (tail != 0)
		count += (size_t)__builtin_popcountl(map[full] & ((1ul << tail) - 1));
	return count;
}
