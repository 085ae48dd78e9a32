/* SPDX-License-Identifier: MIT */
/*
 * What every libFuzzer target of tests/fuzz/ shares: reading typed values off the fuzzer's bytes
 * (past the end every read yields zeros, so any input is a valid one), and silencing the core's
 * console and log, whose output would only slow the fuzzer down.
 */
#ifndef PV_TESTS_FUZZ_FUZZ_H
#define PV_TESTS_FUZZ_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/console.h"
#include "lib/log.h"

struct fuzz_input {
	const uint8_t *data;
	size_t len;
};

static inline bool fuzz_empty(const struct fuzz_input *in)
{
	return in->len == 0;
}

/* Up to len bytes into buf, the rest zeros; returns how many came from the input. */
static inline size_t fuzz_bytes(struct fuzz_input *in, void *buf, size_t len)
{
	size_t n = in->len < len ? in->len : len;

	memcpy(buf, in->data, n);
	memset((uint8_t *)buf + n, 0, len - n);
	in->data += n;
	in->len -= n;
	return n;
}

static inline uint8_t fuzz_u8(struct fuzz_input *in)
{
	uint8_t v;

	fuzz_bytes(in, &v, 1);
	return v;
}

static inline uint16_t fuzz_u16(struct fuzz_input *in)
{
	uint8_t b[2];

	fuzz_bytes(in, b, 2);
	return (uint16_t)(b[0] | b[1] << 8);
}

static inline uint32_t fuzz_u32(struct fuzz_input *in)
{
	uint8_t b[4];

	fuzz_bytes(in, b, 4);
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static inline uint64_t fuzz_u64(struct fuzz_input *in)
{
	uint64_t low = fuzz_u32(in);

	return low | (uint64_t)fuzz_u32(in) << 32;
}

static inline void fuzz_discard(void *ctx, const char *text, size_t len)
{
}

static inline void fuzz_quiet(void)
{
	console_set_sink(fuzz_discard, NULL);
	log_set_sink(fuzz_discard, NULL);
}

#endif
