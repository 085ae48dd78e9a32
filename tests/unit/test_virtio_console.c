// SPDX-License-Identifier: MIT
/* virtio/console: output to the chardev, input pulled into posted buffers only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "virtio/console.h"
#include "test_virtio_driver.h"

struct fake_tty {
	uint8_t out[256];
	size_t nout;
	uint8_t in[256];
	size_t nin, in_pos;
};

static void tty_write(void *backend, const uint8_t *buf, size_t len)
{
	struct fake_tty *t = backend;

	assert_true(t->nout + len <= sizeof(t->out));
	memcpy(t->out + t->nout, buf, len);
	t->nout += len;
}

static size_t tty_read(void *backend, uint8_t *buf, size_t len)
{
	struct fake_tty *t = backend;
	size_t n = t->nin - t->in_pos < len ? t->nin - t->in_pos : len;

	memcpy(buf, t->in + t->in_pos, n);
	t->in_pos += n;
	return n;
}

struct con_fixture {
	struct fake_tty tty;
	struct virtio_console con;
	struct vdrv d;
};

static int setup(void **state)
{
	struct con_fixture *f = calloc(1, sizeof(*f));
	struct gpa_space *gpa = vdrv_space();
	struct chardev chr = { tty_write, tty_read, NULL };

	assert_non_null(f);
	chr.backend = &f->tty;
	virtio_console_init(&f->con, gpa, &chr);
	vdrv_attach(&f->d, gpa, &f->con.vdev);
	assert_int_equal(vdrv_rd(&f->d, VM_DEVICE_ID), VIRTIO_ID_CONSOLE);
	vdrv_start(&f->d, 0, 2);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct con_fixture *f = *state;

	vdrv_destroy(&f->d);
	free(f);
	return 0;
}

static void test_console_output_reaches_the_chardev_in_order(void **state)
{
	struct con_fixture *f = *state;
	uint64_t a = vdrv_alloc(&f->d, 6), b = vdrv_alloc(&f->d, 7);
	struct vbuf first[] = { { a, 6, false } }, second[] = { { b, 7, false } };
	uint32_t id, len;

	vdrv_poke(&f->d, a, "hello ", 6);
	vdrv_poke(&f->d, b, "world\n", 7);
	vdrv_chain(&f->d, VIRTIO_CONSOLE_TX, first, 1);
	vdrv_chain(&f->d, VIRTIO_CONSOLE_TX, second, 1);
	vdrv_notify(&f->d, VIRTIO_CONSOLE_TX);
	assert_int_equal(f->tty.nout, 13);
	assert_memory_equal(f->tty.out, "hello world\n", 13);
	assert_true(vdrv_used(&f->d, VIRTIO_CONSOLE_TX, &id, &len));
	assert_int_equal(len, 0);
}

static void test_console_input_waits_for_buffers_and_is_never_lost(void **state)
{
	struct con_fixture *f = *state;
	uint64_t a = vdrv_alloc(&f->d, 4), b = vdrv_alloc(&f->d, 16);
	struct vbuf small[] = { { a, 4, true } }, big[] = { { b, 16, true } };
	uint8_t got[16];
	uint32_t id, len;

	memcpy(f->tty.in, "typed!", 6);
	f->tty.nin = 6;
	/* No buffer yet: nothing is taken from the chardev. */
	virtio_console_poll(&f->con);
	assert_int_equal(f->tty.in_pos, 0);
	vdrv_chain(&f->d, VIRTIO_CONSOLE_RX, small, 1);
	vdrv_notify(&f->d, VIRTIO_CONSOLE_RX);
	assert_true(vdrv_used(&f->d, VIRTIO_CONSOLE_RX, &id, &len));
	assert_int_equal(len, 4);
	vdrv_peek(&f->d, a, got, 4);
	assert_memory_equal(got, "type", 4);
	vdrv_chain(&f->d, VIRTIO_CONSOLE_RX, big, 1);
	virtio_console_poll(&f->con);
	assert_true(vdrv_used(&f->d, VIRTIO_CONSOLE_RX, &id, &len));
	assert_int_equal(len, 2);
	vdrv_peek(&f->d, b, got, 2);
	assert_memory_equal(got, "d!", 2);
}

static void test_console_keeps_posted_buffers_while_no_input_waits(void **state)
{
	struct con_fixture *f = *state;
	uint64_t a = vdrv_alloc(&f->d, 8);
	struct vbuf buf[] = { { a, 8, true } };
	uint32_t id, len;

	vdrv_chain(&f->d, VIRTIO_CONSOLE_RX, buf, 1);
	virtio_console_poll(&f->con);
	assert_false(vdrv_used(&f->d, VIRTIO_CONSOLE_RX, &id, &len));
	f->tty.in[0] = 'x';
	f->tty.nin = 1;
	virtio_console_poll(&f->con);
	assert_true(vdrv_used(&f->d, VIRTIO_CONSOLE_RX, &id, &len));
	assert_int_equal(len, 1);
	assert_true(f->d.irq_level);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_console_output_reaches_the_chardev_in_order,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_console_input_waits_for_buffers_and_is_never_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_console_keeps_posted_buffers_while_no_input_waits, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
