// SPDX-License-Identifier: MIT
/* virtio/blk over a temporary file: every request type, read-only disks, bounds, bad headers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/errno.h"
#include "lib/plat.h"
#include "virtio/blk.h"
#include "test_virtio_driver.h"

/* 192 KiB: larger than the device's 64 KiB bounce buffer. */
#define DISK_SECTORS 384u

struct blk_fixture {
	char path[64];
	struct plat_file *file;
	struct virtio_blk blk;
	struct vdrv d;
};

static uint8_t sector_byte(uint64_t sector, unsigned i)
{
	return (uint8_t)(sector * 7 + i);
}

static struct blk_fixture *fixture_new(bool readonly, const char *id)
{
	struct blk_fixture *f = calloc(1, sizeof(*f));
	uint8_t sector[VIRTIO_BLK_SECTOR_SIZE];
	unsigned s, i;
	int fd;

	assert_non_null(f);
	strcpy(f->path, "/tmp/pv-blk-XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	for (s = 0; s < DISK_SECTORS; s++) {
		for (i = 0; i < sizeof(sector); i++)
			sector[i] = sector_byte(s, i);
		assert_int_equal(write(fd, sector, sizeof(sector)), (ssize_t)sizeof(sector));
	}
	close(fd);
	assert_int_equal(plat_file_open(f->path,
					readonly ? PLAT_FILE_READ :
						   PLAT_FILE_READ | PLAT_FILE_WRITE,
					&f->file),
			 0);
	struct gpa_space *gpa = vdrv_space();
	assert_int_equal(virtio_blk_init(&f->blk, gpa, f->file, readonly, id), 0);
	vdrv_attach(&f->d, gpa, &f->blk.vdev);
	return f;
}

static void fixture_free(struct blk_fixture *f)
{
	virtio_blk_destroy(&f->blk);
	plat_file_close(f->file);
	unlink(f->path);
	vdrv_destroy(&f->d);
	free(f);
}

static int setup(void **state)
{
	struct blk_fixture *f = fixture_new(false, "pv-disk-0");

	vdrv_start(&f->d,
		   (1ull << VIRTIO_BLK_F_FLUSH) | (1ull << VIRTIO_BLK_F_DISCARD) |
			   (1ull << VIRTIO_BLK_F_WRITE_ZEROES),
		   1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture_free(*state);
	return 0;
}

/* A header buffer in guest memory. */
static uint64_t blk_header(struct vdrv *d, uint32_t type, uint64_t sector)
{
	uint8_t h[16] = { 0 };
	uint64_t addr = vdrv_alloc(d, sizeof(h));

	memcpy(h, &type, 4);
	memcpy(h + 8, &sector, 8);
	vdrv_poke(d, addr, h, sizeof(h));
	return addr;
}

/* Sends header + bufs + a status byte as one chain, and returns the status; *used_len too. */
static uint8_t blk_submit(struct vdrv *d, uint32_t type, uint64_t sector, const struct vbuf *data,
			  unsigned ndata, uint32_t *used_len)
{
	struct vbuf chain[8];
	uint64_t status = vdrv_alloc(d, 1);
	uint8_t value = 0xee;
	uint32_t id = 0, len = 0;
	uint16_t head;
	unsigned i;

	chain[0] = (struct vbuf){ blk_header(d, type, sector), 16, false };
	for (i = 0; i < ndata; i++)
		chain[1 + i] = data[i];
	chain[1 + ndata] = (struct vbuf){ status, 1, true };
	vdrv_poke(d, status, &value, 1);
	head = vdrv_chain(d, 0, chain, ndata + 2);
	vdrv_notify(d, 0);
	assert_true(vdrv_used(d, 0, &id, &len));
	assert_int_equal(id, head);
	if (used_len)
		*used_len = len;
	vdrv_peek(d, status, &value, 1);
	return value;
}

static void read_file(struct blk_fixture *f, uint64_t offset, void *buf, size_t len)
{
	assert_int_equal(plat_file_read(f->file, buf, len, offset), (int64_t)len);
}

static void test_blk_config_reports_capacity_and_limits(void **state)
{
	struct blk_fixture *f = *state;

	assert_int_equal(vdrv_rd(&f->d, VM_DEVICE_ID), VIRTIO_ID_BLOCK);
	assert_int_equal(vdrv_config(&f->d, 0, 8), DISK_SECTORS);
	assert_int_equal(vdrv_config(&f->d, 0, 4), DISK_SECTORS);
	assert_int_equal(vdrv_config(&f->d, 12, 4), VIRTQ_SIZE_MAX - 2);
	assert_int_equal(vdrv_config(&f->d, 40, 4), VIRTIO_BLK_RANGES_MAX);
	/* Past the config space: zero, not a fault. */
	assert_int_equal(vdrv_config(&f->d, 0xf0, 4), 0);
}

static void test_blk_read_spans_segments_and_reports_length(void **state)
{
	struct blk_fixture *f = *state;
	uint64_t a = vdrv_alloc(&f->d, 700), b = vdrv_alloc(&f->d, 324);
	struct vbuf data[] = { { a, 700, true }, { b, 324, true } };
	uint8_t got[1024];
	uint32_t len;
	unsigned i;

	assert_int_equal(blk_submit(&f->d, VIRTIO_BLK_T_IN, 3, data, 2, &len), VIRTIO_BLK_S_OK);
	assert_int_equal(len, 1025);
	vdrv_peek(&f->d, a, got, 700);
	vdrv_peek(&f->d, b, got + 700, 324);
	for (i = 0; i < sizeof(got); i++)
		assert_int_equal(got[i], sector_byte(3 + i / 512, i % 512));
	assert_true(vdrv_ack(&f->d) & VIRTIO_INT_USED_RING);
}

static void test_blk_write_reaches_the_file(void **state)
{
	struct blk_fixture *f = *state;
	uint64_t a = vdrv_alloc(&f->d, 512);
	struct vbuf data[] = { { a, 512, false } };
	uint8_t out[512], back[512];

	memset(out, 0x5a, sizeof(out));
	vdrv_poke(&f->d, a, out, sizeof(out));
	assert_int_equal(blk_submit(&f->d, VIRTIO_BLK_T_OUT, 10, data, 1, NULL), VIRTIO_BLK_S_OK);
	read_file(f, 10 * 512, back, sizeof(back));
	assert_memory_equal(back, out, sizeof(out));
}

static void test_blk_indirect_write_then_read_round_trips(void **state)
{
	struct blk_fixture *f = *state;
	uint64_t hdr = blk_header(&f->d, VIRTIO_BLK_T_OUT, 20), st = vdrv_alloc(&f->d, 1);
	uint64_t a = vdrv_alloc(&f->d, 1024);
	struct vbuf chain[] = { { hdr, 16, false }, { a, 1024, false }, { st, 1, true } };
	uint8_t out[1024], status;
	uint32_t id, len;
	unsigned i;

	for (i = 0; i < sizeof(out); i++)
		out[i] = (uint8_t)(i * 13);
	vdrv_poke(&f->d, a, out, sizeof(out));
	vdrv_chain_indirect(&f->d, 0, chain, 3);
	vdrv_notify(&f->d, 0);
	assert_true(vdrv_used(&f->d, 0, &id, &len));
	vdrv_peek(&f->d, st, &status, 1);
	assert_int_equal(status, VIRTIO_BLK_S_OK);
	uint8_t back[1024];
	read_file(f, 20 * 512, back, sizeof(back));
	assert_memory_equal(back, out, sizeof(out));
}

static void test_blk_flush_succeeds(void **state)
{
	struct blk_fixture *f = *state;
	uint32_t len;

	assert_int_equal(blk_submit(&f->d, VIRTIO_BLK_T_FLUSH, 0, NULL, 0, &len), VIRTIO_BLK_S_OK);
	assert_int_equal(len, 1);
}

static void test_blk_get_id_returns_the_serial(void **state)
{
	struct blk_fixture *f = *state;
	uint64_t a = vdrv_alloc(&f->d, VIRTIO_BLK_ID_BYTES);
	struct vbuf data[] = { { a, VIRTIO_BLK_ID_BYTES, true } };
	char id[VIRTIO_BLK_ID_BYTES + 1] = { 0 };
	uint32_t len;

	assert_int_equal(blk_submit(&f->d, VIRTIO_BLK_T_GET_ID, 0, data, 1, &len), VIRTIO_BLK_S_OK);
	assert_int_equal(len, VIRTIO_BLK_ID_BYTES + 1);
	vdrv_peek(&f->d, a, id, VIRTIO_BLK_ID_BYTES);
	assert_string_equal(id, "pv-disk-0");
}

static uint64_t blk_range(struct vdrv *d, uint64_t sector, uint32_t count, uint32_t flags)
{
	uint8_t r[16];
	uint64_t addr = vdrv_alloc(d, sizeof(r));

	memcpy(r, &sector, 8);
	memcpy(r + 8, &count, 4);
	memcpy(r + 12, &flags, 4);
	vdrv_poke(d, addr, r, sizeof(r));
	return addr;
}

static void test_blk_write_zeroes_clears_the_ranges(void **state)
{
	struct blk_fixture *f = *state;
	struct vbuf data[] = { { blk_range(&f->d, 4, 2, 0), 16, false },
			       { blk_range(&f->d, 30, 1, VIRTIO_BLK_DISCARD_WZ_UNMAP), 16,
				 false } };
	uint8_t back[3 * 512], zero[3 * 512] = { 0 };

	assert_int_equal(blk_submit(&f->d, VIRTIO_BLK_T_WRITE_ZEROES, 0, data, 2, NULL),
			 VIRTIO_BLK_S_OK);
	read_file(f, 4 * 512, back, 1024);
	read_file(f, 30 * 512, back + 1024, 512);
	assert_memory_equal(back, zero, sizeof(zero));
	read_file(f, 6 * 512, back, 1);
	assert_int_equal(back[0], sector_byte(6, 0));
}

static void test_blk_discard_checks_ranges_and_flags(void **state)
{
	struct blk_fixture *f = *state;
	struct vbuf ok[] = { { blk_range(&f->d, 0, DISK_SECTORS, 0), 16, false } };
	struct vbuf unmap[] = { { blk_range(&f->d, 0, 1, VIRTIO_BLK_DISCARD_WZ_UNMAP), 16,
				  false } };
	struct vbuf past[] = { { blk_range(&f->d, DISK_SECTORS - 1, 2, 0), 16, false } };
	struct vbuf huge[] = { { blk_range(&f->d, UINT64_MAX, 1, 0), 16, false } };
	struct vbuf torn[] = { { blk_range(&f->d, 0, 1, 0), 15, false } };

	assert_int_equal(blk_submit(&f->d, VIRTIO_BLK_T_DISCARD, 0, ok, 1, NULL), VIRTIO_BLK_S_OK);
	assert_int_equal(blk_submit(&f->d, VIRTIO_BLK_T_DISCARD, 0, unmap, 1, NULL),
			 VIRTIO_BLK_S_UNSUPP);
	assert_int_equal(blk_submit(&f->d, VIRTIO_BLK_T_DISCARD, 0, past, 1, NULL),
			 VIRTIO_BLK_S_IOERR);
	assert_int_equal(blk_submit(&f->d, VIRTIO_BLK_T_DISCARD, 0, huge, 1, NULL),
			 VIRTIO_BLK_S_IOERR);
	assert_int_equal(blk_submit(&f->d, VIRTIO_BLK_T_DISCARD, 0, torn, 1, NULL),
			 VIRTIO_BLK_S_UNSUPP);
	assert_false(vdrv_needs_reset(&f->d));
}

static void test_blk_out_of_range_sectors_fail_with_ioerr(void **state)
{
	struct blk_fixture *f = *state;
	uint64_t a = vdrv_alloc(&f->d, 1024);
	struct vbuf two[] = { { a, 1024, true } };
	struct vbuf odd[] = { { a, 100, true } };

	assert_int_equal(blk_submit(&f->d, VIRTIO_BLK_T_IN, DISK_SECTORS - 1, two, 1, NULL),
			 VIRTIO_BLK_S_IOERR);
	assert_int_equal(blk_submit(&f->d, VIRTIO_BLK_T_IN, DISK_SECTORS, two, 1, NULL),
			 VIRTIO_BLK_S_IOERR);
	assert_int_equal(blk_submit(&f->d, VIRTIO_BLK_T_IN, UINT64_MAX / 256, two, 1, NULL),
			 VIRTIO_BLK_S_IOERR);
	assert_int_equal(blk_submit(&f->d, VIRTIO_BLK_T_IN, 0, odd, 1, NULL), VIRTIO_BLK_S_IOERR);
	two[0].write = false;
	assert_int_equal(blk_submit(&f->d, VIRTIO_BLK_T_OUT, DISK_SECTORS - 1, two, 1, NULL),
			 VIRTIO_BLK_S_IOERR);
	assert_false(vdrv_needs_reset(&f->d));
}

static void test_blk_unknown_request_is_unsupported(void **state)
{
	struct blk_fixture *f = *state;

	assert_int_equal(blk_submit(&f->d, 0x7777, 0, NULL, 0, NULL), VIRTIO_BLK_S_UNSUPP);
}

static void test_blk_header_without_status_byte_needs_reset(void **state)
{
	struct blk_fixture *f = *state;
	struct vbuf chain[] = { { blk_header(&f->d, VIRTIO_BLK_T_FLUSH, 0), 16, false } };
	uint32_t id, len;

	vdrv_ack(&f->d);
	vdrv_chain(&f->d, 0, chain, 1);
	vdrv_notify(&f->d, 0);
	assert_true(vdrv_needs_reset(&f->d));
	assert_false(vdrv_used(&f->d, 0, &id, &len));
	assert_true(f->d.irq_level);
	assert_int_equal(vdrv_ack(&f->d), VIRTIO_INT_CONFIG);
}

static void test_blk_short_header_needs_reset(void **state)
{
	struct blk_fixture *f = *state;
	struct vbuf chain[] = { { blk_header(&f->d, VIRTIO_BLK_T_IN, 0), 8, false },
				{ vdrv_alloc(&f->d, 1), 1, true } };

	vdrv_chain(&f->d, 0, chain, 2);
	vdrv_notify(&f->d, 0);
	assert_true(vdrv_needs_reset(&f->d));
}

static void test_blk_readonly_offers_ro_and_refuses_writes(void **state)
{
	struct blk_fixture *f = fixture_new(true, NULL);
	uint64_t a = vdrv_alloc(&f->d, 512);
	struct vbuf out[] = { { a, 512, false } };
	struct vbuf in[] = { { a, 512, true } };
	struct vbuf range[] = { { blk_range(&f->d, 0, 1, 0), 16, false } };
	uint8_t back[512], zero[512] = { 0 };

	vdrv_wr(&f->d, VM_DEVICE_FEATURES_SEL, 0);
	assert_true(vdrv_rd(&f->d, VM_DEVICE_FEATURES) & (1u << VIRTIO_BLK_F_RO));
	assert_false(vdrv_rd(&f->d, VM_DEVICE_FEATURES) & (1u << VIRTIO_BLK_F_DISCARD));
	vdrv_start(&f->d, 1ull << VIRTIO_BLK_F_RO, 1);
	vdrv_poke(&f->d, a, zero, sizeof(zero));
	assert_int_equal(blk_submit(&f->d, VIRTIO_BLK_T_OUT, 0, out, 1, NULL), VIRTIO_BLK_S_IOERR);
	assert_int_equal(blk_submit(&f->d, VIRTIO_BLK_T_WRITE_ZEROES, 0, range, 1, NULL),
			 VIRTIO_BLK_S_IOERR);
	assert_int_equal(blk_submit(&f->d, VIRTIO_BLK_T_DISCARD, 0, range, 1, NULL),
			 VIRTIO_BLK_S_IOERR);
	read_file(f, 0, back, sizeof(back));
	assert_int_equal(back[1], sector_byte(0, 1));
	assert_int_equal(blk_submit(&f->d, VIRTIO_BLK_T_IN, 1, in, 1, NULL), VIRTIO_BLK_S_OK);
	vdrv_peek(&f->d, a, back, sizeof(back));
	assert_int_equal(back[5], sector_byte(1, 5));
	fixture_free(f);
}

static void test_blk_large_read_goes_through_the_bounce_buffer_in_pieces(void **state)
{
	struct blk_fixture *f = *state;
	uint64_t a = vdrv_alloc(&f->d, DISK_SECTORS * 512);
	struct vbuf data[] = { { a, DISK_SECTORS * 512, true } };
	uint8_t got[512];

	assert_int_equal(blk_submit(&f->d, VIRTIO_BLK_T_IN, 0, data, 1, NULL), VIRTIO_BLK_S_OK);
	vdrv_peek(&f->d, a + 200 * 512, got, sizeof(got));
	assert_int_equal(got[100], sector_byte(200, 100));
	vdrv_peek(&f->d, a + (DISK_SECTORS - 1) * 512, got, sizeof(got));
	assert_int_equal(got[511], sector_byte(DISK_SECTORS - 1, 511));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_blk_config_reports_capacity_and_limits, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_blk_read_spans_segments_and_reports_length,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_blk_write_reaches_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blk_indirect_write_then_read_round_trips,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_blk_flush_succeeds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blk_get_id_returns_the_serial, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_blk_write_zeroes_clears_the_ranges, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_blk_discard_checks_ranges_and_flags, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_blk_out_of_range_sectors_fail_with_ioerr,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_blk_unknown_request_is_unsupported, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_blk_header_without_status_byte_needs_reset,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_blk_short_header_needs_reset, setup, teardown),
		cmocka_unit_test(test_blk_readonly_offers_ro_and_refuses_writes),
		cmocka_unit_test_setup_teardown(
			test_blk_large_read_goes_through_the_bounce_buffer_in_pieces, setup,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
