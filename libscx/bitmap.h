/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * CPU bitmaps as the library stores them and the BPF maps hold them: arrays
 * of 64-bit words, bit N of word N / 64 is CPU N. Written once for the whole
 * library; not installed.
 */
#ifndef __SCX_BITMAP_H
#define __SCX_BITMAP_H

#include <stdbool.h>
#include <stddef.h>

static inline bool scx_bitmap_test(const unsigned long long *mask, size_t bit)
{
	return (mask[bit / 64] >> (bit % 64)) & 1;
}

static inline void scx_bitmap_set(unsigned long long *mask, size_t bit)
{
	mask[bit / 64] |= 1ULL << (bit % 64);
}

static inline int scx_bitmap_weight(const unsigned long long *mask, size_t nr_words)
{
	size_t i;
	int n = 0;

	for (i = 0; i < nr_words; i++)
		n += __builtin_popcountll(mask[i]);
	return n;
}

/* The first set bit at or after `from`, or nr_words * 64 when there is none.
 * Skips whole empty words: sibling lists are short, and testing every CPU id
 * of a 4096-CPU machine for each of them would cost 16M tests. */
static inline size_t scx_bitmap_next(const unsigned long long *mask, size_t nr_words, size_t from)
{
	size_t w = from / 64;
	unsigned long long bits;

	if (w >= nr_words)
		return nr_words * 64;
	bits = mask[w] & (~0ULL << (from % 64));
	while (!bits) {
		if (++w == nr_words)
			return nr_words * 64;
		bits = mask[w];
	}
	return w * 64 + (size_t)__builtin_ctzll(bits);
}

#define scx_bitmap_for_each(bit, mask, nr_words)					\
	for ((bit) = scx_bitmap_next((mask), (nr_words), 0); (size_t)(bit) < (nr_words) * 64; \
	     (bit) = scx_bitmap_next((mask), (nr_words), (bit) + 1))

#endif /* __SCX_BITMAP_H */
