// SPDX-License-Identifier: MIT
/*
 * The riscv64 side of the differential test, shared by the Linux and the spike wrapper: runs
 * every generated stream on a freshly filled scratch buffer and prints its final state in a
 * fixed text format. Freestanding (no libc): the wrapper supplies difftest_write().
 */
#include <stdint.h>

#define BUF_SIZE 4096

struct stream {
	void (*entry)(void);
	uint64_t seed;
};

extern const uint64_t stream_count;
extern const struct stream stream_table[];
extern uint8_t difftest_buf[BUF_SIZE];
extern uint64_t difftest_regs[65];

void run_stream(void (*entry)(void));
void difftest_write(const char *text, unsigned long len);
void difftest_main(void);

static char line[128];
static unsigned int line_len;

static void put_char(char c)
{
	line[line_len++] = c;
	if (c == '\n' || line_len == sizeof(line)) {
		difftest_write(line, line_len);
		line_len = 0;
	}
}

static void put_str(const char *s)
{
	while (*s)
		put_char(*s++);
}

static void put_hex(uint64_t value, int digits)
{
	while (digits--)
		put_char("0123456789abcdef"[(value >> (digits * 4)) & 0xf]);
}

static void put_dec(uint64_t value)
{
	char digits[20];
	int n = 0;

	do {
		digits[n++] = (char)('0' + value % 10);
		value /= 10;
	} while (value);
	while (n)
		put_char(digits[--n]);
}

/* The buffer's initial contents: xorshift64 from the stream's seed (never 0). */
static void fill_buffer(uint64_t seed)
{
	uint64_t x = seed | 1;
	int i;

	for (i = 0; i < BUF_SIZE; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		*(volatile uint64_t *)&difftest_buf[i] = x;
	}
}

/* FNV-1a over the whole buffer. */
static uint64_t hash_buffer(void)
{
	uint64_t h = 0xcbf29ce484222325ull;
	int i;

	for (i = 0; i < BUF_SIZE; i++) {
		h ^= ((volatile uint8_t *)difftest_buf)[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

/* One stream's dump: "stream N", four registers a line, then fcsr and the buffer hash. */
static void dump(uint64_t index)
{
	int i;

	put_str("stream ");
	put_dec(index);
	put_char('\n');
	for (i = 0; i < 64; i++) {
		put_char(i < 32 ? 'x' : 'f');
		put_dec((uint64_t)(i % 32));
		put_char(' ');
		put_hex(difftest_regs[i], 16);
		put_char(i % 4 == 3 ? '\n' : ' ');
	}
	put_str("fcsr ");
	put_hex(difftest_regs[64], 2);
	put_str(" mem ");
	put_hex(hash_buffer(), 16);
	put_char('\n');
}

void difftest_main(void)
{
	uint64_t i;

	for (i = 0; i < stream_count; i++) {
		fill_buffer(stream_table[i].seed);
		run_stream(stream_table[i].entry);
		dump(i);
	}
	put_str("done\n");
}
