// SPDX-License-Identifier: MIT
/*
 * virtio/virtqueue, driven directly: chains into requests, segment copies, used-ring publishing,
 * and the interrupt and notification suppression of VIRTQ_AVAIL_F_NO_INTERRUPT and EVENT_IDX.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/errno.h"
#include "test_virtio_driver.h"

struct vq_fixture {
	struct vdrv d; /* only its space and queue 0's layout: no transport here */
	struct virtq q;
	struct virtq_req req;
};

static int setup(void **state)
{
	struct vq_fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->d.gpa = vdrv_space();
	f->d.next_buffer = VDRV_BUFFERS;
	f->d.q[0].desc = VDRV_RAM;
	f->d.q[0].avail = VDRV_RAM + 0x400;
	f->d.q[0].used = VDRV_RAM + 0x800;
	virtq_reset(&f->q, f->d.gpa);
	f->q.size = VDRV_QSIZE;
	f->q.desc = f->d.q[0].desc;
	f->q.avail = f->d.q[0].avail;
	f->q.used = f->d.q[0].used;
	assert_int_equal(virtq_validate(&f->q), 0);
	f->q.ready = true;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct vq_fixture *f = *state;

	vdrv_destroy(&f->d);
	free(f);
	return 0;
}

static void test_virtq_pop_splits_readable_and_writable_segments(void **state)
{
	struct vq_fixture *f = *state;
	struct vbuf chain[] = { { VDRV_BUFFERS, 10, false },
				{ VDRV_BUFFERS + 0x100, 0, false },
				{ VDRV_BUFFERS + 0x200, 20, false },
				{ VDRV_BUFFERS + 0x300, 30, true } };
	uint16_t head = vdrv_chain(&f->d, 0, chain, 4);

	assert_int_equal(virtq_pending(&f->q), 1);
	assert_int_equal(virtq_pop(&f->q, &f->req), 1);
	assert_int_equal(f->req.head, head);
	/* The zero-length buffer carries nothing and is left out. */
	assert_int_equal(f->req.nread, 2);
	assert_int_equal(f->req.nwrite, 1);
	assert_int_equal(f->req.read_len, 30);
	assert_int_equal(f->req.write_len, 30);
	assert_int_equal(f->req.seg[1].addr, VDRV_BUFFERS + 0x200);
	assert_int_equal(f->req.seg[2].addr, VDRV_BUFFERS + 0x300);
	assert_int_equal(virtq_pop(&f->q, &f->req), 0);
}

static void test_virtq_indirect_chain_pops_like_a_direct_one(void **state)
{
	struct vq_fixture *f = *state;
	struct vbuf chain[] = { { VDRV_BUFFERS, 8, false }, { VDRV_BUFFERS + 8, 8, true } };

	vdrv_chain_indirect(&f->d, 0, chain, 2);
	assert_int_equal(virtq_pop(&f->q, &f->req), 1);
	assert_int_equal(f->req.nread, 1);
	assert_int_equal(f->req.nwrite, 1);
	assert_int_equal(f->req.seg[1].addr, VDRV_BUFFERS + 8);
}

static void test_virtq_copies_cross_segment_boundaries(void **state)
{
	struct vq_fixture *f = *state;
	struct vbuf chain[] = { { VDRV_BUFFERS, 3, false },
				{ VDRV_BUFFERS + 0x40, 5, false },
				{ VDRV_BUFFERS + 0x80, 2, true },
				{ VDRV_BUFFERS + 0xc0, 6, true } };
	uint8_t out[8], in[8];

	vdrv_poke(&f->d, VDRV_BUFFERS, "abc", 3);
	vdrv_poke(&f->d, VDRV_BUFFERS + 0x40, "defgh", 5);
	vdrv_chain(&f->d, 0, chain, 4);
	assert_int_equal(virtq_pop(&f->q, &f->req), 1);
	assert_int_equal(virtq_req_copy_from(&f->q, &f->req, 1, out, 6), 6);
	assert_memory_equal(out, "bcdefg", 6);
	/* Short at the end of the segments. */
	assert_int_equal(virtq_req_copy_from(&f->q, &f->req, 6, out, 8), 2);
	assert_int_equal(virtq_req_copy_to(&f->q, &f->req, 1, "XYZW", 4), 4);
	vdrv_peek(&f->d, VDRV_BUFFERS + 0x81, in, 1);
	vdrv_peek(&f->d, VDRV_BUFFERS + 0xc0, in + 1, 3);
	assert_memory_equal(in, "XYZW", 4);
}

static void test_virtq_push_publishes_used_entries_in_order(void **state)
{
	struct vq_fixture *f = *state;
	struct vbuf one[] = { { VDRV_BUFFERS, 8, true } };
	uint16_t a = vdrv_chain(&f->d, 0, one, 1), b = vdrv_chain(&f->d, 0, one, 1);
	uint32_t id, len;

	assert_int_equal(virtq_pop(&f->q, &f->req), 1);
	assert_int_equal(virtq_pop(&f->q, &f->req), 1);
	assert_int_equal(virtq_fill(&f->q, 0, a, 5), 0);
	assert_int_equal(virtq_fill(&f->q, 1, b, 6), 0);
	/* Nothing is visible before the flush. */
	assert_false(vdrv_used(&f->d, 0, &id, &len));
	assert_int_equal(virtq_flush(&f->q, 2), 0);
	assert_true(vdrv_used(&f->d, 0, &id, &len));
	assert_int_equal(id, a);
	assert_int_equal(len, 5);
	assert_true(vdrv_used(&f->d, 0, &id, &len));
	assert_int_equal(id, b);
	assert_int_equal(len, 6);
}

static void test_virtq_unpop_gives_chains_back(void **state)
{
	struct vq_fixture *f = *state;
	struct vbuf one[] = { { VDRV_BUFFERS, 8, true } };
	uint16_t head = vdrv_chain(&f->d, 0, one, 1);

	assert_int_equal(virtq_pop(&f->q, &f->req), 1);
	virtq_unpop(&f->q, 1);
	assert_int_equal(virtq_pending(&f->q), 1);
	assert_int_equal(virtq_pop(&f->q, &f->req), 1);
	assert_int_equal(f->req.head, head);
}

static void test_virtq_interrupt_respects_no_interrupt_flag(void **state)
{
	struct vq_fixture *f = *state;
	struct vbuf one[] = { { VDRV_BUFFERS, 8, true } };

	assert_false(virtq_need_interrupt(&f->q));
	vdrv_chain(&f->d, 0, one, 1);
	assert_int_equal(virtq_pop(&f->q, &f->req), 1);
	assert_int_equal(virtq_push(&f->q, f->req.head, 0), 0);
	vdrv_poke16(&f->d, f->d.q[0].avail, VIRTQ_AVAIL_F_NO_INTERRUPT);
	assert_false(virtq_need_interrupt(&f->q));
	vdrv_chain(&f->d, 0, one, 1);
	assert_int_equal(virtq_pop(&f->q, &f->req), 1);
	assert_int_equal(virtq_push(&f->q, f->req.head, 0), 0);
	vdrv_poke16(&f->d, f->d.q[0].avail, 0);
	assert_true(virtq_need_interrupt(&f->q));
	/* Nothing new since: no interrupt. */
	assert_false(virtq_need_interrupt(&f->q));
}

static void test_virtq_event_idx_interrupts_only_when_used_event_is_passed(void **state)
{
	struct vq_fixture *f = *state;
	struct vbuf one[] = { { VDRV_BUFFERS, 8, true } };
	uint64_t used_event = f->d.q[0].avail + 4 + 2 * VDRV_QSIZE;
	unsigned i;

	f->q.event_idx = true;
	/* The driver wants an interrupt once entry 2 is used (after the third completion). */
	vdrv_poke16(&f->d, used_event, 2);
	for (i = 0; i < 3; i++) {
		vdrv_chain(&f->d, 0, one, 1);
		assert_int_equal(virtq_pop(&f->q, &f->req), 1);
		assert_int_equal(virtq_push(&f->q, f->req.head, 0), 0);
		assert_int_equal(virtq_need_interrupt(&f->q), i == 2);
	}
	/* Two completions published at once that step over used_event still interrupt. */
	vdrv_poke16(&f->d, used_event, 3);
	vdrv_chain(&f->d, 0, one, 1);
	vdrv_chain(&f->d, 0, one, 1);
	assert_int_equal(virtq_pop(&f->q, &f->req), 1);
	assert_int_equal(virtq_push(&f->q, f->req.head, 0), 0);
	assert_int_equal(virtq_pop(&f->q, &f->req), 1);
	assert_int_equal(virtq_push(&f->q, f->req.head, 0), 0);
	assert_true(virtq_need_interrupt(&f->q));
}

static void test_virtq_event_idx_publishes_avail_event(void **state)
{
	struct vq_fixture *f = *state;
	struct vbuf one[] = { { VDRV_BUFFERS, 8, true } };
	uint64_t avail_event = f->d.q[0].used + 4 + 8 * VDRV_QSIZE;

	f->q.event_idx = true;
	vdrv_chain(&f->d, 0, one, 1);
	vdrv_chain(&f->d, 0, one, 1);
	assert_int_equal(virtq_pop(&f->q, &f->req), 1);
	assert_int_equal(vdrv_peek16(&f->d, avail_event), 1);
	assert_int_equal(virtq_pop(&f->q, &f->req), 1);
	assert_int_equal(virtq_pop(&f->q, &f->req), 0);
	assert_int_equal(vdrv_peek16(&f->d, avail_event), 2);
}

static void test_virtq_not_ready_queue_pops_nothing(void **state)
{
	struct vq_fixture *f = *state;
	struct vbuf one[] = { { VDRV_BUFFERS, 8, true } };

	vdrv_chain(&f->d, 0, one, 1);
	f->q.ready = false;
	assert_int_equal(virtq_pending(&f->q), 0);
	assert_int_equal(virtq_pop(&f->q, &f->req), 0);
}

static void test_virtq_indices_wrap_around_16_bits(void **state)
{
	struct vq_fixture *f = *state;
	struct vbuf one[] = { { VDRV_BUFFERS, 8, true } };
	uint32_t id, len;

	/* Both sides start just below the 16-bit wrap, as after 65534 requests. */
	f->q.last_avail = f->q.used_idx = f->q.signalled_used = 0xfffe;
	f->d.q[0].avail_idx = f->d.q[0].last_used = 0xfffe;
	vdrv_poke16(&f->d, f->d.q[0].used + 2, 0xfffe);
	for (unsigned i = 0; i < 4; i++) {
		uint16_t head = vdrv_chain(&f->d, 0, one, 1);

		assert_int_equal(virtq_pop(&f->q, &f->req), 1);
		assert_int_equal(f->req.head, head);
		assert_int_equal(virtq_push(&f->q, head, i), 0);
		assert_true(vdrv_used(&f->d, 0, &id, &len));
		assert_int_equal(len, i);
	}
	assert_int_equal(f->q.last_avail, 2);
}

int main(void)
{
#define VQ(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		VQ(test_virtq_pop_splits_readable_and_writable_segments),
		VQ(test_virtq_indirect_chain_pops_like_a_direct_one),
		VQ(test_virtq_copies_cross_segment_boundaries),
		VQ(test_virtq_push_publishes_used_entries_in_order),
		VQ(test_virtq_unpop_gives_chains_back),
		VQ(test_virtq_interrupt_respects_no_interrupt_flag),
		VQ(test_virtq_event_idx_interrupts_only_when_used_event_is_passed),
		VQ(test_virtq_event_idx_publishes_avail_event),
		VQ(test_virtq_not_ready_queue_pops_nothing),
		VQ(test_virtq_indices_wrap_around_16_bits),
	};
#undef VQ

	return cmocka_run_group_tests(tests, NULL, NULL);
}
