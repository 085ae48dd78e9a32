// SPDX-License-Identifier: MIT
/* virtio/rng and plat_entropy: buffers come back filled, capped per request, several at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/plat.h"
#include "virtio/rng.h"
#include "test_virtio_driver.h"

struct rng_fixture {
	struct virtio_rng rng;
	struct vdrv d;
};

static int setup(void **state)
{
	struct rng_fixture *f = calloc(1, sizeof(*f));
	struct gpa_space *gpa = vdrv_space();

	assert_non_null(f);
	virtio_rng_init(&f->rng, gpa);
	vdrv_attach(&f->d, gpa, &f->rng.vdev);
	vdrv_start(&f->d, 1ull << VIRTIO_F_RING_EVENT_IDX, 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct rng_fixture *f = *state;

	vdrv_destroy(&f->d);
	free(f);
	return 0;
}

/* Whether 64 bytes look random enough that a zero or constant fill is ruled out. */
static bool varied(const uint8_t *buf, size_t len)
{
	unsigned distinct = 0, seen[256] = { 0 };
	size_t i;

	for (i = 0; i < len; i++)
		if (!seen[buf[i]]++)
			distinct++;
	return distinct > len / 4;
}

static void test_plat_entropy_fills_buffers(void **state)
{
	uint8_t a[64] = { 0 }, b[64] = { 0 };

	assert_int_equal(plat_entropy(a, sizeof(a)), 0);
	assert_int_equal(plat_entropy(b, sizeof(b)), 0);
	assert_true(varied(a, sizeof(a)));
	assert_memory_not_equal(a, b, sizeof(a));
	assert_int_equal(plat_entropy(a, 0), 0);
}

static void test_rng_fills_each_posted_buffer(void **state)
{
	struct rng_fixture *f = *state;
	uint64_t a = vdrv_alloc(&f->d, 64), b = vdrv_alloc(&f->d, 64);
	struct vbuf one[] = { { a, 64, true } }, two[] = { { b, 64, true } };
	uint8_t got_a[64], got_b[64];
	uint32_t id, len;

	vdrv_chain(&f->d, 0, one, 1);
	vdrv_chain(&f->d, 0, two, 1);
	vdrv_notify(&f->d, 0);
	assert_true(vdrv_used(&f->d, 0, &id, &len));
	assert_int_equal(len, 64);
	assert_true(vdrv_used(&f->d, 0, &id, &len));
	assert_int_equal(len, 64);
	vdrv_peek(&f->d, a, got_a, 64);
	vdrv_peek(&f->d, b, got_b, 64);
	assert_true(varied(got_a, 64));
	assert_memory_not_equal(got_a, got_b, 64);
	assert_true(f->d.irq_level);
}

static void test_rng_caps_a_request_and_fills_across_segments(void **state)
{
	struct rng_fixture *f = *state;
	uint64_t a = vdrv_alloc(&f->d, 200), b = vdrv_alloc(&f->d, 4096);
	struct vbuf chain[] = { { a, 200, true }, { b, 4096, true } };
	uint32_t id, len;

	vdrv_chain(&f->d, 0, chain, 2);
	vdrv_notify(&f->d, 0);
	assert_true(vdrv_used(&f->d, 0, &id, &len));
	assert_int_equal(len, VIRTIO_RNG_REQUEST_MAX);
}

static void test_rng_answers_a_chain_without_writable_bytes_with_nothing(void **state)
{
	struct rng_fixture *f = *state;
	struct vbuf chain[] = { { vdrv_alloc(&f->d, 16), 16, false } };
	uint32_t id, len;

	vdrv_chain(&f->d, 0, chain, 1);
	vdrv_notify(&f->d, 0);
	assert_true(vdrv_used(&f->d, 0, &id, &len));
	assert_int_equal(len, 0);
	assert_false(vdrv_needs_reset(&f->d));
}

static void test_rng_ignores_notifies_before_driver_ok(void **state)
{
	struct rng_fixture *f = *state;
	struct vbuf one[] = { { vdrv_alloc(&f->d, 16), 16, true } };
	uint32_t id, len;

	assert_true(vdrv_negotiate(&f->d, 1ull << VIRTIO_F_VERSION_1));
	vdrv_setup_queue(&f->d, 0);
	vdrv_chain(&f->d, 0, one, 1);
	vdrv_notify(&f->d, 0);
	assert_false(vdrv_used(&f->d, 0, &id, &len));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plat_entropy_fills_buffers),
		cmocka_unit_test_setup_teardown(test_rng_fills_each_posted_buffer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rng_caps_a_request_and_fills_across_segments,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_rng_answers_a_chain_without_writable_bytes_with_nothing, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_rng_ignores_notifies_before_driver_ok, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
