// SPDX-License-Identifier: MIT
/*
 * Hostile drivers: every malformed ring or descriptor the specification forbids, fed to a device
 * (virtio-rng, whose requests are the simplest) through virtio-mmio. Each must leave the device in
 * DEVICE_NEEDS_RESET with a configuration interrupt, publish nothing, touch no host memory outside
 * guest RAM (the sanitized build checks that), and the device must work again after a reset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "virtio/rng.h"
#include "test_virtio_driver.h"

#define RAM_END (VDRV_RAM + VDRV_RAM_SIZE)

struct hostile {
	struct virtio_rng rng;
	struct vdrv d;
};

static int setup(void **state)
{
	struct hostile *h = calloc(1, sizeof(*h));
	struct gpa_space *gpa = vdrv_space();

	assert_non_null(h);
	virtio_rng_init(&h->rng, gpa);
	vdrv_attach(&h->d, gpa, &h->rng.vdev);
	vdrv_start(&h->d, 0, 1);
	vdrv_ack(&h->d);
	*state = h;
	return 0;
}

static int teardown(void **state)
{
	struct hostile *h = *state;

	vdrv_destroy(&h->d);
	free(h);
	return 0;
}

static uint64_t desc_table(struct hostile *h)
{
	return h->d.q[0].desc;
}

/* A good request works: the device is live and answers with the bytes it wrote. */
static void assert_serves_requests(struct hostile *h)
{
	uint64_t buf = vdrv_alloc(&h->d, 32);
	struct vbuf chain[] = { { buf, 32, true } };
	uint32_t id, len;

	vdrv_chain(&h->d, 0, chain, 1);
	vdrv_notify(&h->d, 0);
	assert_true(vdrv_used(&h->d, 0, &id, &len));
	assert_int_equal(len, 32);
}

/* Notifies and checks the device refused: NEEDS_RESET, a config interrupt, nothing used; then
 * a reset and a fresh bring-up make it work again. */
static void notify_and_assert_refused(struct hostile *h)
{
	uint32_t id, len;

	vdrv_notify(&h->d, 0);
	assert_true(vdrv_needs_reset(&h->d));
	assert_true(h->d.irq_level);
	assert_int_equal(vdrv_ack(&h->d), VIRTIO_INT_CONFIG);
	assert_false(h->d.irq_level);
	assert_false(vdrv_used(&h->d, 0, &id, &len));
	/* Further notifications are ignored until the reset. */
	vdrv_notify(&h->d, 0);
	assert_false(vdrv_used(&h->d, 0, &id, &len));
	vdrv_start(&h->d, 0, 1);
	assert_false(vdrv_needs_reset(&h->d));
	assert_serves_requests(h);
}

static void one_desc(struct hostile *h, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	vdrv_desc_at(&h->d, desc_table(h), 0, addr, len, flags, next);
	vdrv_avail_push(&h->d, 0, 0);
}

static void test_virtq_refuses_buffer_outside_guest_ram(void **state)
{
	struct hostile *h = *state;

	one_desc(h, 0x1000, 64, VIRTQ_DESC_F_WRITE, 0);
	notify_and_assert_refused(h);
}

static void test_virtq_refuses_buffer_straddling_the_end_of_ram(void **state)
{
	struct hostile *h = *state;

	one_desc(h, RAM_END - 8, 16, VIRTQ_DESC_F_WRITE, 0);
	notify_and_assert_refused(h);
}

static void test_virtq_refuses_wrapping_address(void **state)
{
	struct hostile *h = *state;

	one_desc(h, UINT64_MAX - 0xfff, 0x2000, VIRTQ_DESC_F_WRITE, 0);
	notify_and_assert_refused(h);
}

static void test_virtq_refuses_giant_length(void **state)
{
	struct hostile *h = *state;

	one_desc(h, VDRV_BUFFERS, UINT32_MAX, VIRTQ_DESC_F_WRITE, 0);
	notify_and_assert_refused(h);
}

static void test_virtq_refuses_self_loop(void **state)
{
	struct hostile *h = *state;

	one_desc(h, VDRV_BUFFERS, 16, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 0);
	notify_and_assert_refused(h);
}

static void test_virtq_refuses_loop_through_the_whole_table(void **state)
{
	struct hostile *h = *state;
	unsigned i;

	for (i = 0; i < VDRV_QSIZE; i++)
		vdrv_desc_at(&h->d, desc_table(h), i, VDRV_BUFFERS + 16 * i, 16,
			     VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT,
			     (uint16_t)((i + 1) % VDRV_QSIZE));
	vdrv_avail_push(&h->d, 0, 3);
	notify_and_assert_refused(h);
}

static void test_virtq_refuses_next_index_out_of_range(void **state)
{
	struct hostile *h = *state;

	one_desc(h, VDRV_BUFFERS, 16, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, VDRV_QSIZE);
	notify_and_assert_refused(h);
}

static void test_virtq_refuses_readable_after_writable(void **state)
{
	struct hostile *h = *state;

	vdrv_desc_at(&h->d, desc_table(h), 0, VDRV_BUFFERS, 16,
		     VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
	vdrv_desc_at(&h->d, desc_table(h), 1, VDRV_BUFFERS + 16, 16, 0, 0);
	vdrv_avail_push(&h->d, 0, 0);
	notify_and_assert_refused(h);
}

static void test_virtq_refuses_head_index_out_of_range(void **state)
{
	struct hostile *h = *state;

	vdrv_avail_push(&h->d, 0, 0xffff);
	notify_and_assert_refused(h);
}

static void test_virtq_refuses_avail_index_jumping_past_the_queue_size(void **state)
{
	struct hostile *h = *state;

	one_desc(h, VDRV_BUFFERS, 16, VIRTQ_DESC_F_WRITE, 0);
	vdrv_poke16(&h->d, h->d.q[0].avail + 2, VDRV_QSIZE + 1);
	notify_and_assert_refused(h);
}

/* An indirect descriptor to a table at `table` of `len` bytes. */
static void indirect_desc(struct hostile *h, uint64_t table, uint32_t len, uint16_t extra_flags)
{
	one_desc(h, table, len, VIRTQ_DESC_F_INDIRECT | extra_flags, 0);
}

static void test_virtq_refuses_indirect_table_of_partial_entries(void **state)
{
	struct hostile *h = *state;
	uint64_t table = vdrv_alloc(&h->d, 64);

	vdrv_desc_at(&h->d, table, 0, VDRV_BUFFERS, 16, VIRTQ_DESC_F_WRITE, 0);
	indirect_desc(h, table, 24, 0);
	notify_and_assert_refused(h);
}

static void test_virtq_refuses_empty_indirect_table(void **state)
{
	struct hostile *h = *state;

	indirect_desc(h, vdrv_alloc(&h->d, 16), 0, 0);
	notify_and_assert_refused(h);
}

static void test_virtq_refuses_indirect_table_longer_than_the_queue(void **state)
{
	struct hostile *h = *state;
	uint64_t table = vdrv_alloc(&h->d, 16 * (VDRV_QSIZE + 1));
	unsigned i;

	for (i = 0; i <= VDRV_QSIZE; i++)
		vdrv_desc_at(&h->d, table, i, VDRV_BUFFERS, 16,
			     VIRTQ_DESC_F_WRITE | (i < VDRV_QSIZE ? VIRTQ_DESC_F_NEXT : 0),
			     (uint16_t)(i + 1));
	indirect_desc(h, table, 16 * (VDRV_QSIZE + 1), 0);
	notify_and_assert_refused(h);
}

static void test_virtq_refuses_nested_indirect_table(void **state)
{
	struct hostile *h = *state;
	uint64_t outer = vdrv_alloc(&h->d, 16), inner = vdrv_alloc(&h->d, 16);

	vdrv_desc_at(&h->d, inner, 0, VDRV_BUFFERS, 16, VIRTQ_DESC_F_WRITE, 0);
	vdrv_desc_at(&h->d, outer, 0, inner, 16, VIRTQ_DESC_F_INDIRECT, 0);
	indirect_desc(h, outer, 16, 0);
	notify_and_assert_refused(h);
}

static void test_virtq_refuses_indirect_with_next(void **state)
{
	struct hostile *h = *state;
	uint64_t table = vdrv_alloc(&h->d, 16);

	vdrv_desc_at(&h->d, table, 0, VDRV_BUFFERS, 16, VIRTQ_DESC_F_WRITE, 0);
	indirect_desc(h, table, 16, VIRTQ_DESC_F_NEXT);
	notify_and_assert_refused(h);
}

static void test_virtq_refuses_indirect_table_outside_ram(void **state)
{
	struct hostile *h = *state;

	indirect_desc(h, RAM_END - 16, 32, 0);
	notify_and_assert_refused(h);
}

static void test_virtq_refuses_loop_inside_indirect_table(void **state)
{
	struct hostile *h = *state;
	uint64_t table = vdrv_alloc(&h->d, 32);

	vdrv_desc_at(&h->d, table, 0, VDRV_BUFFERS, 16, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
	vdrv_desc_at(&h->d, table, 1, VDRV_BUFFERS, 16, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 0);
	indirect_desc(h, table, 32, 0);
	notify_and_assert_refused(h);
}

static void test_virtq_refuses_next_past_the_indirect_table(void **state)
{
	struct hostile *h = *state;
	uint64_t table = vdrv_alloc(&h->d, 16);

	vdrv_desc_at(&h->d, table, 0, VDRV_BUFFERS, 16, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
	indirect_desc(h, table, 16, 0);
	notify_and_assert_refused(h);
}

static void test_virtq_refuses_direct_and_indirect_parts_longer_than_the_queue(void **state)
{
	struct hostile *h = *state;
	uint64_t table = vdrv_alloc(&h->d, 32);
	unsigned i;

	/* 15 direct descriptors, then an indirect table of 2: 17 in all for a queue of 16. */
	for (i = 0; i < VDRV_QSIZE - 1; i++)
		vdrv_desc_at(&h->d, desc_table(h), i, VDRV_BUFFERS, 16,
			     VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, (uint16_t)(i + 1));
	vdrv_desc_at(&h->d, desc_table(h), VDRV_QSIZE - 1, table, 32, VIRTQ_DESC_F_INDIRECT, 0);
	vdrv_desc_at(&h->d, table, 0, VDRV_BUFFERS, 16, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
	vdrv_desc_at(&h->d, table, 1, VDRV_BUFFERS, 16, VIRTQ_DESC_F_WRITE, 0);
	vdrv_avail_push(&h->d, 0, 0);
	notify_and_assert_refused(h);
}

/* Ring areas set up wrongly are refused when the driver makes the queue ready. */
static void enable_queue_with(struct hostile *h, uint32_t num, uint64_t desc, uint64_t avail,
			      uint64_t used)
{
	vdrv_wr(&h->d, VM_STATUS, 0);
	assert_true(vdrv_negotiate(&h->d, 1ull << VIRTIO_F_VERSION_1));
	vdrv_wr(&h->d, VM_QUEUE_SEL, 0);
	vdrv_wr(&h->d, VM_QUEUE_NUM, num);
	vdrv_wr(&h->d, VM_QUEUE_DESC_LOW, (uint32_t)desc);
	vdrv_wr(&h->d, VM_QUEUE_DESC_HIGH, (uint32_t)(desc >> 32));
	vdrv_wr(&h->d, VM_QUEUE_DRIVER_LOW, (uint32_t)avail);
	vdrv_wr(&h->d, VM_QUEUE_DRIVER_HIGH, (uint32_t)(avail >> 32));
	vdrv_wr(&h->d, VM_QUEUE_DEVICE_LOW, (uint32_t)used);
	vdrv_wr(&h->d, VM_QUEUE_DEVICE_HIGH, (uint32_t)(used >> 32));
	vdrv_wr(&h->d, VM_QUEUE_READY, 1);
}

static void assert_queue_refused(struct hostile *h)
{
	assert_int_equal(vdrv_rd(&h->d, VM_QUEUE_READY), 0);
	assert_true(vdrv_needs_reset(&h->d));
	/* A notify to the refused queue does nothing. */
	vdrv_notify(&h->d, 0);
}

static void test_virtq_refuses_rings_outside_ram_or_misaligned(void **state)
{
	struct hostile *h = *state;

	enable_queue_with(h, 16, 0x1000, VDRV_RAM + 0x400, VDRV_RAM + 0x800);
	assert_queue_refused(h);
	enable_queue_with(h, 16, VDRV_RAM + 8, VDRV_RAM + 0x400, VDRV_RAM + 0x800);
	assert_queue_refused(h);
	enable_queue_with(h, 16, VDRV_RAM, VDRV_RAM + 0x401, VDRV_RAM + 0x800);
	assert_queue_refused(h);
	enable_queue_with(h, 16, VDRV_RAM, VDRV_RAM + 0x400, RAM_END - 64);
	assert_queue_refused(h);
	enable_queue_with(h, 16, UINT64_MAX & ~15ull, VDRV_RAM + 0x400, VDRV_RAM + 0x800);
	assert_queue_refused(h);
}

static void test_virtq_refuses_queue_sizes_not_a_power_of_two_or_too_big(void **state)
{
	struct hostile *h = *state;

	enable_queue_with(h, 12, VDRV_RAM, VDRV_RAM + 0x400, VDRV_RAM + 0x800);
	assert_queue_refused(h);
	enable_queue_with(h, 0, VDRV_RAM, VDRV_RAM + 0x400, VDRV_RAM + 0x800);
	assert_queue_refused(h);
	enable_queue_with(h, VIRTQ_SIZE_MAX * 2, VDRV_RAM, VDRV_RAM + 0x400, VDRV_RAM + 0x800);
	assert_queue_refused(h);
}

static void test_virtq_ignores_notify_of_a_missing_queue(void **state)
{
	struct hostile *h = *state;

	vdrv_notify(&h->d, 1);
	vdrv_notify(&h->d, 0xffffffffu);
	assert_false(vdrv_needs_reset(&h->d));
	assert_serves_requests(h);
}

static void test_virtq_moving_rings_under_the_device_cannot_escape_ram(void **state)
{
	struct hostile *h = *state;
	uint32_t id, len;

	/* Queue addresses are fixed once ready: writes to them are ignored, not obeyed. */
	vdrv_wr(&h->d, VM_QUEUE_SEL, 0);
	vdrv_wr(&h->d, VM_QUEUE_DESC_LOW, 0x1000);
	vdrv_wr(&h->d, VM_QUEUE_DEVICE_LOW, 0x2000);
	vdrv_wr(&h->d, VM_QUEUE_NUM, 4096);
	assert_serves_requests(h);
	assert_false(vdrv_used(&h->d, 0, &id, &len));
}

int main(void)
{
#define HOSTILE(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		HOSTILE(test_virtq_refuses_buffer_outside_guest_ram),
		HOSTILE(test_virtq_refuses_buffer_straddling_the_end_of_ram),
		HOSTILE(test_virtq_refuses_wrapping_address),
		HOSTILE(test_virtq_refuses_giant_length),
		HOSTILE(test_virtq_refuses_self_loop),
		HOSTILE(test_virtq_refuses_loop_through_the_whole_table),
		HOSTILE(test_virtq_refuses_next_index_out_of_range),
		HOSTILE(test_virtq_refuses_readable_after_writable),
		HOSTILE(test_virtq_refuses_head_index_out_of_range),
		HOSTILE(test_virtq_refuses_avail_index_jumping_past_the_queue_size),
		HOSTILE(test_virtq_refuses_indirect_table_of_partial_entries),
		HOSTILE(test_virtq_refuses_empty_indirect_table),
		HOSTILE(test_virtq_refuses_indirect_table_longer_than_the_queue),
		HOSTILE(test_virtq_refuses_nested_indirect_table),
		HOSTILE(test_virtq_refuses_indirect_with_next),
		HOSTILE(test_virtq_refuses_indirect_table_outside_ram),
		HOSTILE(test_virtq_refuses_loop_inside_indirect_table),
		HOSTILE(test_virtq_refuses_next_past_the_indirect_table),
		HOSTILE(test_virtq_refuses_direct_and_indirect_parts_longer_than_the_queue),
		HOSTILE(test_virtq_refuses_rings_outside_ram_or_misaligned),
		HOSTILE(test_virtq_refuses_queue_sizes_not_a_power_of_two_or_too_big),
		HOSTILE(test_virtq_ignores_notify_of_a_missing_queue),
		HOSTILE(test_virtq_moving_rings_under_the_device_cannot_escape_ram),
	};
#undef HOSTILE

	return cmocka_run_group_tests(tests, NULL, NULL);
}
