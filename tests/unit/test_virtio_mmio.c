// SPDX-License-Identifier: MIT
/*
 * virtio/mmio and the common device core: identification registers, feature negotiation,
 * queue registers, status and reset, interrupt status and acknowledgement, config space and
 * generation, empty slots, and accesses the transport refuses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/errno.h"
#include "virtio/console.h"
#include "virtio/rng.h"
#include "test_virtio_driver.h"

struct mmio_fixture {
	struct virtio_rng rng;
	struct vdrv d;
};

static int setup(void **state)
{
	struct mmio_fixture *f = calloc(1, sizeof(*f));
	struct gpa_space *gpa = vdrv_space();

	assert_non_null(f);
	virtio_rng_init(&f->rng, gpa);
	vdrv_attach(&f->d, gpa, &f->rng.vdev);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct mmio_fixture *f = *state;

	vdrv_destroy(&f->d);
	free(f);
	return 0;
}

static void test_mmio_identifies_a_version_2_device(void **state)
{
	struct mmio_fixture *f = *state;

	assert_int_equal(vdrv_rd(&f->d, VM_MAGIC), 0x74726976);
	assert_int_equal(vdrv_rd(&f->d, VM_VERSION), 2);
	assert_int_equal(vdrv_rd(&f->d, VM_DEVICE_ID), VIRTIO_ID_RNG);
	assert_int_equal(vdrv_rd(&f->d, VM_VENDOR_ID), VIRTIO_MMIO_VENDOR);
}

static void test_mmio_offers_version_1_event_idx_and_indirect_in_two_selects(void **state)
{
	struct mmio_fixture *f = *state;

	vdrv_wr(&f->d, VM_DEVICE_FEATURES_SEL, 0);
	assert_int_equal(vdrv_rd(&f->d, VM_DEVICE_FEATURES),
			 (1u << VIRTIO_F_RING_INDIRECT_DESC) | (1u << VIRTIO_F_RING_EVENT_IDX));
	vdrv_wr(&f->d, VM_DEVICE_FEATURES_SEL, 1);
	assert_int_equal(vdrv_rd(&f->d, VM_DEVICE_FEATURES), 1);
	vdrv_wr(&f->d, VM_DEVICE_FEATURES_SEL, 2);
	assert_int_equal(vdrv_rd(&f->d, VM_DEVICE_FEATURES), 0);
}

static void test_mmio_features_ok_needs_version_1_and_an_offered_subset(void **state)
{
	struct mmio_fixture *f = *state;

	assert_false(vdrv_negotiate(&f->d, 0));
	assert_false(vdrv_negotiate(&f->d, (1ull << VIRTIO_F_VERSION_1) | (1ull << 40)));
	assert_true(vdrv_negotiate(&f->d, (1ull << VIRTIO_F_VERSION_1) |
						  (1ull << VIRTIO_F_RING_EVENT_IDX)));
	assert_int_equal(f->rng.vdev.driver_features,
			 (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_RING_EVENT_IDX));
	/* Fixed once FEATURES_OK is set. */
	vdrv_wr(&f->d, VM_DRIVER_FEATURES_SEL, 0);
	vdrv_wr(&f->d, VM_DRIVER_FEATURES, 0);
	assert_int_equal(f->rng.vdev.driver_features,
			 (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_RING_EVENT_IDX));
}

static void test_mmio_driver_ok_without_features_ok_is_refused(void **state)
{
	struct mmio_fixture *f = *state;

	vdrv_wr(&f->d, VM_STATUS,
		VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_DRIVER_OK);
	assert_int_equal(vdrv_rd(&f->d, VM_STATUS),
			 VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
}

static void test_mmio_queue_registers_configure_and_report_ready(void **state)
{
	struct mmio_fixture *f = *state;

	vdrv_start(&f->d, 1ull << VIRTIO_F_RING_EVENT_IDX, 1);
	assert_int_equal(vdrv_rd(&f->d, VM_QUEUE_READY), 1);
	assert_int_equal(f->rng.vdev.vq[0].size, VDRV_QSIZE);
	assert_int_equal(f->rng.vdev.vq[0].desc, VDRV_RAM);
	assert_int_equal(f->rng.vdev.vq[0].avail, VDRV_RAM + 0x400);
	assert_int_equal(f->rng.vdev.vq[0].used, VDRV_RAM + 0x800);
	assert_true(f->rng.vdev.vq[0].event_idx);
	/* A queue the device does not have. */
	vdrv_wr(&f->d, VM_QUEUE_SEL, 1);
	assert_int_equal(vdrv_rd(&f->d, VM_QUEUE_NUM_MAX), 0);
	assert_int_equal(vdrv_rd(&f->d, VM_QUEUE_READY), 0);
	vdrv_wr(&f->d, VM_QUEUE_READY, 1);
	assert_int_equal(vdrv_rd(&f->d, VM_QUEUE_READY), 0);
}

static void test_mmio_status_zero_resets_device_queues_and_interrupts(void **state)
{
	struct mmio_fixture *f = *state;
	struct vbuf one[] = { { VDRV_BUFFERS, 8, true } };

	vdrv_start(&f->d, 0, 1);
	vdrv_chain(&f->d, 0, one, 1);
	vdrv_notify(&f->d, 0);
	assert_true(f->d.irq_level);
	vdrv_wr(&f->d, VM_STATUS, 0);
	assert_int_equal(vdrv_rd(&f->d, VM_STATUS), 0);
	assert_int_equal(vdrv_rd(&f->d, VM_INTERRUPT_STATUS), 0);
	assert_false(f->d.irq_level);
	vdrv_wr(&f->d, VM_QUEUE_SEL, 0);
	assert_int_equal(vdrv_rd(&f->d, VM_QUEUE_READY), 0);
	assert_int_equal(f->rng.vdev.driver_features, 0);
	assert_int_equal(f->rng.vdev.vq[0].last_avail, 0);
}

static void test_mmio_interrupt_ack_lowers_the_line_when_nothing_is_left(void **state)
{
	struct mmio_fixture *f = *state;
	struct vbuf one[] = { { VDRV_BUFFERS, 8, true } };

	vdrv_start(&f->d, 0, 1);
	vdrv_chain(&f->d, 0, one, 1);
	vdrv_notify(&f->d, 0);
	assert_int_equal(vdrv_rd(&f->d, VM_INTERRUPT_STATUS), VIRTIO_INT_USED_RING);
	assert_true(f->d.irq_level);
	vdrv_wr(&f->d, VM_INTERRUPT_ACK, VIRTIO_INT_CONFIG);
	assert_true(f->d.irq_level);
	vdrv_wr(&f->d, VM_INTERRUPT_ACK, VIRTIO_INT_USED_RING);
	assert_false(f->d.irq_level);
	assert_int_equal(f->d.irq_raises, 1);
}

static void test_mmio_event_idx_suppresses_interrupts_until_used_event(void **state)
{
	struct mmio_fixture *f = *state;
	struct vbuf one[] = { { VDRV_BUFFERS, 8, true } };
	uint64_t used_event;
	uint32_t id, len;
	unsigned i;

	vdrv_start(&f->d, 1ull << VIRTIO_F_RING_EVENT_IDX, 1);
	used_event = f->d.q[0].avail + 4 + 2 * VDRV_QSIZE;
	vdrv_poke16(&f->d, used_event, 3);
	for (i = 0; i < 4; i++) {
		vdrv_chain(&f->d, 0, one, 1);
		vdrv_notify(&f->d, 0);
		assert_true(vdrv_used(&f->d, 0, &id, &len));
		/* Entry 3 is the fourth completion: the first three stay silent. */
		assert_int_equal(f->d.irq_level, i == 3);
	}
	/* avail_event tells the driver which entry to notify for next. */
	assert_int_equal(vdrv_peek16(&f->d, f->d.q[0].used + 4 + 8 * VDRV_QSIZE), 4);
}

static void test_mmio_refuses_narrow_or_misaligned_register_accesses(void **state)
{
	struct mmio_fixture *f = *state;
	uint64_t v;

	assert_int_not_equal(gpa_access_read(f->d.gpa, VDRV_MMIO + VM_MAGIC, 1, &v), 0);
	assert_int_not_equal(gpa_access_read(f->d.gpa, VDRV_MMIO + 2, 4, &v), 0);
	assert_int_not_equal(gpa_access_write(f->d.gpa, VDRV_MMIO + VM_STATUS, 2, 1), 0);
	assert_int_not_equal(gpa_access_read(f->d.gpa, VDRV_MMIO + VM_MAGIC, 8, &v), 0);
	/* Unknown registers read as zero and ignore writes. */
	assert_int_equal(vdrv_rd(&f->d, 0x0c0), 0);
	vdrv_wr(&f->d, 0x0c0, 0xffffffff);
	/* Write-only registers read as zero. */
	assert_int_equal(vdrv_rd(&f->d, VM_QUEUE_NOTIFY), 0);
}

static size_t no_input(void *backend, uint8_t *buf, size_t len)
{
	return 0;
}

static void record_output(void *backend, const uint8_t *buf, size_t len)
{
	memcpy(backend, buf, len);
}

static void test_mmio_config_space_takes_byte_accesses_and_bumps_generation(void **state)
{
	struct virtio_console con;
	struct gpa_space *gpa = vdrv_space();
	uint8_t out[4] = { 0 };
	struct chardev chr = { record_output, no_input, out };
	struct vdrv d;

	virtio_console_init(&con, gpa, &chr);
	vdrv_attach(&d, gpa, &con.vdev);
	assert_int_equal(vdrv_config(&d, 0, 2), 0);
	assert_int_equal(vdrv_config(&d, 4, 4), 0);
	/* emerg_wr: one byte of output through the config space. */
	assert_int_equal(gpa_access_write(gpa, VDRV_MMIO + VM_CONFIG + 8, 4, 'E'), 0);
	assert_int_equal(out[0], 'E');
	assert_int_equal(vdrv_rd(&d, VM_CONFIG_GENERATION), 0);
	spin_lock(&con.vdev.lock);
	virtio_dev_config_changed(&con.vdev);
	spin_unlock(&con.vdev.lock);
	assert_int_equal(vdrv_rd(&d, VM_CONFIG_GENERATION), 1);
	assert_int_equal(vdrv_ack(&d), VIRTIO_INT_CONFIG);
	vdrv_destroy(&d);
}

static void test_mmio_empty_slot_reads_device_id_zero(void **state)
{
	struct gpa_space *gpa = vdrv_space();
	struct virtio_mmio slot;
	uint64_t v;

	virtio_mmio_init(&slot, NULL, NULL);
	assert_int_equal(virtio_mmio_map(&slot, gpa, VDRV_MMIO, "virtio7"), 0);
	assert_int_equal(gpa_access_read(gpa, VDRV_MMIO + VM_MAGIC, 4, &v), 0);
	assert_int_equal(v, VIRTIO_MMIO_MAGIC);
	assert_int_equal(gpa_access_read(gpa, VDRV_MMIO + VM_VERSION, 4, &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(gpa_access_read(gpa, VDRV_MMIO + VM_DEVICE_ID, 4, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(gpa_access_write(gpa, VDRV_MMIO + VM_STATUS, 4, 1), 0);
	assert_int_equal(gpa_access_write(gpa, VDRV_MMIO + VM_QUEUE_NOTIFY, 4, 0), 0);
	gpa_space_destroy(gpa);
}

int main(void)
{
#define MMIO(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		MMIO(test_mmio_identifies_a_version_2_device),
		MMIO(test_mmio_offers_version_1_event_idx_and_indirect_in_two_selects),
		MMIO(test_mmio_features_ok_needs_version_1_and_an_offered_subset),
		MMIO(test_mmio_driver_ok_without_features_ok_is_refused),
		MMIO(test_mmio_queue_registers_configure_and_report_ready),
		MMIO(test_mmio_status_zero_resets_device_queues_and_interrupts),
		MMIO(test_mmio_interrupt_ack_lowers_the_line_when_nothing_is_left),
		MMIO(test_mmio_event_idx_suppresses_interrupts_until_used_event),
		MMIO(test_mmio_refuses_narrow_or_misaligned_register_accesses),
		cmocka_unit_test(test_mmio_config_space_takes_byte_accesses_and_bumps_generation),
		cmocka_unit_test(test_mmio_empty_slot_reads_device_id_zero),
	};
#undef MMIO

	return cmocka_run_group_tests(tests, NULL, NULL);
}
