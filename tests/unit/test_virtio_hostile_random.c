// SPDX-License-Identifier: MIT
/*
 * Random hostile rings against virtio-blk, the device that parses the most: descriptor tables,
 * indirect tables, avail rings and request headers full of pseudo-random values (biased towards
 * the edges of guest RAM, where the bugs would be), thousands of rounds. The device must answer
 * every round with used entries or NEEDS_RESET and never touch host memory outside guest RAM:
 * run under the sanitized build, an out-of-bounds access aborts the test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/plat.h"
#include "virtio/blk.h"
#include "test_virtio_driver.h"

#define ROUNDS 3000u
#define RAM_END (VDRV_RAM + VDRV_RAM_SIZE)

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

/* xorshift64*: reproducible from the fixed seed, so a failure replays. */
static uint64_t next_random(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

/* An address a hostile driver would try: inside, at the edges of, or far outside RAM. */
static uint64_t hostile_addr(void)
{
	static const uint64_t bases[] = {
		VDRV_BUFFERS, RAM_END, VDRV_RAM, 0, UINT64_MAX, VDRV_MMIO
	};

	return bases[next_random() % 6] + (next_random() % 64) - 32;
}

static uint32_t hostile_len(void)
{
	static const uint32_t lens[] = { 0, 1, 16, 512, 513, 4096, UINT32_MAX };

	return next_random() % 2 ? lens[next_random() % 7] : (uint32_t)(next_random() % 2048);
}

static uint16_t hostile_flags(void)
{
	return (uint16_t)(next_random() % 8);
}

static void fill_table(struct vdrv *d, uint64_t table, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		vdrv_desc_at(d, table, i, hostile_addr(), hostile_len(), hostile_flags(),
			     (uint16_t)(next_random() % (n + 2)));
}

static void test_virtq_survives_random_hostile_rings(void **state)
{
	char path[] = "/tmp/pv-hostile-XXXXXX";
	uint8_t sector[512] = { 0 };
	struct plat_file *file;
	struct virtio_blk *blk = calloc(1, sizeof(*blk));
	struct gpa_space *gpa = vdrv_space();
	struct vdrv d;
	unsigned round, refused = 0, answered = 0, i;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	for (i = 0; i < 16; i++)
		assert_int_equal(write(fd, sector, sizeof(sector)), (ssize_t)sizeof(sector));
	close(fd);
	assert_int_equal(plat_file_open(path, PLAT_FILE_READ | PLAT_FILE_WRITE, &file), 0);
	assert_non_null(blk);
	assert_int_equal(virtio_blk_init(blk, gpa, file, false, "fuzz"), 0);
	vdrv_attach(&d, gpa, &blk->vdev);
	for (round = 0; round < ROUNDS; round++) {
		uint64_t indirect = VDRV_BUFFERS + 0x8000, header = VDRV_BUFFERS;
		uint8_t h[16];
		uint32_t id, len;
		unsigned n;

		vdrv_start(&d, (next_random() % 2) << VIRTIO_F_RING_EVENT_IDX, 1);
		fill_table(&d, d.q[0].desc, VDRV_QSIZE);
		fill_table(&d, indirect, 8);
		/* Some descriptors point at a plausible header and the indirect table. */
		for (i = 0; i < sizeof(h); i++)
			h[i] = (uint8_t)next_random();
		h[0] %= 16;
		h[1] = h[2] = h[3] = 0;
		vdrv_poke(&d, header, h, sizeof(h));
		vdrv_desc_at(&d, d.q[0].desc, (unsigned)(next_random() % VDRV_QSIZE), header, 16,
			     VIRTQ_DESC_F_NEXT, (uint16_t)(next_random() % VDRV_QSIZE));
		vdrv_desc_at(&d, d.q[0].desc, (unsigned)(next_random() % VDRV_QSIZE), indirect,
			     16 * (uint32_t)(next_random() % 10), VIRTQ_DESC_F_INDIRECT, 0);
		n = (unsigned)(next_random() % 4);
		for (i = 0; i < n; i++)
			vdrv_avail_push(&d, 0, (uint16_t)(next_random() % (VDRV_QSIZE + 2)));
		if (next_random() % 16 == 0)
			vdrv_poke16(&d, d.q[0].avail + 2, (uint16_t)next_random());
		vdrv_notify(&d, 0);
		if (vdrv_needs_reset(&d))
			refused++;
		while (vdrv_used(&d, 0, &id, &len)) {
			assert_true(id < VDRV_QSIZE);
			answered++;
		}
	}
	/* Both outcomes occur: the generator reaches well-formed and malformed requests. */
	assert_true(refused > 0);
	assert_true(answered > 0);
	vdrv_destroy(&d);
	virtio_blk_destroy(blk);
	free(blk);
	plat_file_close(file);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_virtq_survives_random_hostile_rings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
