// SPDX-License-Identifier: MIT
/*
 * The loop-heavy riscv64 program `make bench` runs under polyrun's interpreter and under
 * qemu-riscv64: integer hashing, a prime sieve, a small matrix product and a byte-wise CRC, about
 * half a billion guest instructions in all. It returns a checksum so that both runs can be seen to
 * have computed the same thing.
 */
#include <stdint.h>

#define SIEVE_SIZE 200000
#define MATRIX_N 48
#define CRC_BYTES 65536

uint64_t bench_main(void);

static uint8_t sieve[SIEVE_SIZE];
static uint32_t matrix_a[MATRIX_N][MATRIX_N], matrix_b[MATRIX_N][MATRIX_N];
static uint8_t crc_input[CRC_BYTES];

static uint64_t mix_hash(unsigned rounds)
{
	uint64_t h = 0x243f6a8885a308d3ull;

	for (unsigned i = 0; i < rounds; i++) {
		h ^= h >> 29;
		h *= 0xbf58476d1ce4e5b9ull;
		h += i;
		h = (h << 13) | (h >> 51);
	}
	return h;
}

static uint64_t count_primes(unsigned passes)
{
	uint64_t total = 0;

	for (unsigned pass = 0; pass < passes; pass++) {
		for (unsigned i = 0; i < SIEVE_SIZE; i++)
			sieve[i] = 1;
		for (unsigned i = 2; i * i < SIEVE_SIZE; i++) {
			if (!sieve[i])
				continue;
			for (unsigned j = i * i; j < SIEVE_SIZE; j += i)
				sieve[j] = 0;
		}
		for (unsigned i = 2; i < SIEVE_SIZE; i++)
			total += sieve[i];
	}
	return total;
}

static uint64_t matrix_product_trace(unsigned passes)
{
	uint64_t trace = 0;

	for (unsigned i = 0; i < MATRIX_N; i++) {
		for (unsigned j = 0; j < MATRIX_N; j++) {
			matrix_a[i][j] = i * 31 + j;
			matrix_b[i][j] = j * 17 + i;
		}
	}
	for (unsigned pass = 0; pass < passes; pass++) {
		for (unsigned i = 0; i < MATRIX_N; i++) {
			uint64_t sum = 0;

			for (unsigned k = 0; k < MATRIX_N; k++)
				sum += (uint64_t)matrix_a[i][k] * matrix_b[k][i];
			trace += sum + pass;
		}
	}
	return trace;
}

static uint32_t crc32_bytes(unsigned passes)
{
	uint32_t crc = 0xffffffffu;

	for (unsigned i = 0; i < CRC_BYTES; i++)
		crc_input[i] = (uint8_t)(i * 7 + 3);
	for (unsigned pass = 0; pass < passes; pass++) {
		for (unsigned i = 0; i < CRC_BYTES; i++) {
			crc ^= crc_input[i];
			for (unsigned bit = 0; bit < 8; bit++)
				crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
		}
	}
	return ~crc;
}

uint64_t bench_main(void)
{
	return mix_hash(20000000) ^ count_primes(40) ^ matrix_product_trace(2000) ^ crc32_bytes(12);
}
