// SPDX-License-Identifier: MIT
/*
 * virtio/net with kernel/net_hub and polyrun's TAP backend: frames between NICs on a hub, with
 * and without mergeable receive buffers, drops when the guest has no room, bad chains, and the
 * TAP backend over a SOCK_SEQPACKET pair (which keeps frame boundaries as a TAP queue does).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "kernel/net_hub.h"
#include "lib/errno.h"
#include "virtio/net.h"
#include "tools/polyrun/tap.h"
#include "test_virtio_driver.h"

#define HUB 5u

struct nic {
	struct net_hub_port *port;
	struct virtio_net net;
	struct vdrv d;
};

static struct nic *nic_new(struct net_backend *be, uint8_t last_mac_byte, uint64_t features)
{
	struct nic *n = calloc(1, sizeof(*n));
	const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, last_mac_byte };
	struct gpa_space *gpa = vdrv_space();

	assert_non_null(n);
	if (!be) {
		assert_int_equal(net_hub_join(HUB, &n->port), 0);
		be = &n->port->be;
	}
	virtio_net_init(&n->net, gpa, be, mac);
	vdrv_attach(&n->d, gpa, &n->net.vdev);
	vdrv_start(&n->d, features | (1ull << VIRTIO_NET_F_MAC) | (1ull << VIRTIO_NET_F_STATUS), 2);
	return n;
}

static void nic_free(struct nic *n)
{
	if (n->port)
		net_hub_leave(n->port);
	vdrv_destroy(&n->d);
	free(n);
}

/* A test frame of len bytes: destination broadcast, then a pattern from seed. */
static void make_frame(uint8_t *frame, size_t len, uint8_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		frame[i] = i < 6 ? 0xff : (uint8_t)(seed + i);
}

/* Transmits one frame: a header and the frame in two descriptors, as Linux lays them out. */
static void nic_send(struct nic *n, const uint8_t *frame, size_t len)
{
	uint64_t hdr = vdrv_alloc(&n->d, VIRTIO_NET_HDR_BYTES), data = vdrv_alloc(&n->d, len);
	struct vbuf chain[] = { { hdr, VIRTIO_NET_HDR_BYTES, false },
				{ data, (uint32_t)len, false } };
	uint8_t zero[VIRTIO_NET_HDR_BYTES] = { 0 };
	uint32_t id, used_len;

	vdrv_poke(&n->d, hdr, zero, sizeof(zero));
	vdrv_poke(&n->d, data, frame, len);
	vdrv_chain(&n->d, VIRTIO_NET_TX, chain, 2);
	vdrv_notify(&n->d, VIRTIO_NET_TX);
	assert_true(vdrv_used(&n->d, VIRTIO_NET_TX, &id, &used_len));
}

/* Posts count receive buffers of size bytes each; returns the first one's address. */
static uint64_t nic_post_rx(struct nic *n, unsigned count, uint32_t size)
{
	uint64_t first = 0;
	unsigned i;

	for (i = 0; i < count; i++) {
		uint64_t addr = vdrv_alloc(&n->d, size);
		struct vbuf buf[] = { { addr, size, true } };

		if (i == 0)
			first = addr;
		vdrv_chain(&n->d, VIRTIO_NET_RX, buf, 1);
	}
	vdrv_notify(&n->d, VIRTIO_NET_RX);
	return first;
}

static void test_net_config_has_mac_and_link_up(void **state)
{
	struct nic *a = nic_new(NULL, 0x01, 0);

	assert_int_equal(vdrv_rd(&a->d, VM_DEVICE_ID), VIRTIO_ID_NET);
	assert_int_equal(vdrv_config(&a->d, 0, 1), 0x52);
	assert_int_equal(vdrv_config(&a->d, 5, 1), 0x01);
	assert_int_equal(vdrv_config(&a->d, 6, 2), VIRTIO_NET_S_LINK_UP);
	vdrv_wr(&a->d, VM_DEVICE_FEATURES_SEL, 0);
	assert_true(vdrv_rd(&a->d, VM_DEVICE_FEATURES) & (1u << VIRTIO_NET_F_MRG_RXBUF));
	/* No checksum offload (bit 0) or guest checksum (bit 1). */
	assert_int_equal(vdrv_rd(&a->d, VM_DEVICE_FEATURES) & 3u, 0);
	nic_free(a);
}

static void test_net_hub_delivers_to_every_other_port_not_the_sender(void **state)
{
	struct nic *a = nic_new(NULL, 1, 0), *b = nic_new(NULL, 2, 0), *c = nic_new(NULL, 3, 0);
	uint64_t rx_a = nic_post_rx(a, 1, 2048), rx_b = nic_post_rx(b, 1, 2048);
	uint64_t rx_c = nic_post_rx(c, 1, 2048);
	uint8_t frame[100], got[VIRTIO_NET_HDR_BYTES + 100];
	uint32_t id, len;

	make_frame(frame, sizeof(frame), 9);
	nic_send(a, frame, sizeof(frame));
	assert_false(vdrv_used(&a->d, VIRTIO_NET_RX, &id, &len));
	assert_true(vdrv_used(&b->d, VIRTIO_NET_RX, &id, &len));
	assert_int_equal(len, sizeof(got));
	vdrv_peek(&b->d, rx_b, got, sizeof(got));
	/* num_buffers is 1 without mergeable buffers; the frame follows the header. */
	assert_int_equal(got[10], 1);
	assert_memory_equal(got + VIRTIO_NET_HDR_BYTES, frame, sizeof(frame));
	assert_true(b->d.irq_level);
	assert_true(vdrv_used(&c->d, VIRTIO_NET_RX, &id, &len));
	vdrv_peek(&c->d, rx_c, got, sizeof(got));
	assert_memory_equal(got + VIRTIO_NET_HDR_BYTES, frame, sizeof(frame));
	(void)rx_a;
	nic_free(a);
	nic_free(b);
	nic_free(c);
}

static void test_net_mergeable_buffers_carry_a_frame_over_several_chains(void **state)
{
	uint64_t mrg = 1ull << VIRTIO_NET_F_MRG_RXBUF;
	struct nic *a = nic_new(NULL, 1, mrg), *b = nic_new(NULL, 2, mrg);
	uint64_t rx = nic_post_rx(b, 4, 512);
	uint8_t frame[1200], got[3 * 512];
	uint32_t id, len, total = 0;
	unsigned chains = 0;

	make_frame(frame, sizeof(frame), 3);
	nic_send(a, frame, sizeof(frame));
	while (vdrv_used(&b->d, VIRTIO_NET_RX, &id, &len)) {
		total += len;
		chains++;
	}
	assert_int_equal(chains, 3);
	assert_int_equal(total, VIRTIO_NET_HDR_BYTES + sizeof(frame));
	/* The buffers were allocated back to back, 512 bytes apart. */
	vdrv_peek(&b->d, rx, got, sizeof(got));
	assert_int_equal(got[10], 3);
	assert_memory_equal(got + VIRTIO_NET_HDR_BYTES, frame, sizeof(frame));
	nic_free(a);
	nic_free(b);
}

static void test_net_drops_frames_without_room_and_keeps_the_buffers(void **state)
{
	struct nic *a = nic_new(NULL, 1, 0), *b = nic_new(NULL, 2, 0);
	uint8_t frame[600];
	uint32_t id, len;

	make_frame(frame, sizeof(frame), 1);
	/* No buffers at all, then one too small for a whole frame without mergeable buffers. */
	nic_send(a, frame, sizeof(frame));
	nic_post_rx(b, 1, 256);
	nic_send(a, frame, sizeof(frame));
	assert_false(vdrv_used(&b->d, VIRTIO_NET_RX, &id, &len));
	assert_int_equal(b->net.rx_dropped, 2);
	assert_false(vdrv_needs_reset(&b->d));
	/* A smaller frame still fits the buffer that was kept. */
	nic_send(a, frame, 200);
	assert_true(vdrv_used(&b->d, VIRTIO_NET_RX, &id, &len));
	assert_int_equal(len, VIRTIO_NET_HDR_BYTES + 200);
	nic_free(a);
	nic_free(b);
}

static void test_net_mergeable_frame_needing_too_many_buffers_is_dropped_whole(void **state)
{
	uint64_t mrg = 1ull << VIRTIO_NET_F_MRG_RXBUF;
	struct nic *a = nic_new(NULL, 1, mrg), *b = nic_new(NULL, 2, mrg);
	uint8_t frame[1000];
	uint32_t id, len;

	make_frame(frame, sizeof(frame), 1);
	nic_post_rx(b, 2, 256);
	nic_send(a, frame, sizeof(frame));
	assert_false(vdrv_used(&b->d, VIRTIO_NET_RX, &id, &len));
	assert_int_equal(virtq_pending(&b->net.vdev.vq[VIRTIO_NET_RX]), 2);
	nic_free(a);
	nic_free(b);
}

static void test_net_transmit_without_a_frame_is_dropped(void **state)
{
	struct nic *a = nic_new(NULL, 1, 0), *b = nic_new(NULL, 2, 0);
	struct vbuf hdr_only[] = { { vdrv_alloc(&a->d, 12), 12, false } };
	uint32_t id, len;

	nic_post_rx(b, 1, 2048);
	vdrv_chain(&a->d, VIRTIO_NET_TX, hdr_only, 1);
	vdrv_notify(&a->d, VIRTIO_NET_TX);
	assert_true(vdrv_used(&a->d, VIRTIO_NET_TX, &id, &len));
	assert_int_equal(a->net.tx_dropped, 1);
	assert_false(vdrv_used(&b->d, VIRTIO_NET_RX, &id, &len));
	nic_free(a);
	nic_free(b);
}

static void test_net_oversized_transmit_is_dropped(void **state)
{
	struct nic *a = nic_new(NULL, 1, 0), *b = nic_new(NULL, 2, 0);
	static uint8_t frame[NET_FRAME_MAX + 1];
	uint32_t id, len;

	nic_post_rx(b, 1, 4096);
	nic_send(a, frame, sizeof(frame));
	assert_int_equal(a->net.tx_dropped, 1);
	assert_false(vdrv_used(&b->d, VIRTIO_NET_RX, &id, &len));
	nic_free(a);
	nic_free(b);
}

static void test_net_receive_buffer_with_readable_part_needs_reset(void **state)
{
	struct nic *a = nic_new(NULL, 1, 0), *b = nic_new(NULL, 2, 0);
	struct vbuf bad[] = { { vdrv_alloc(&b->d, 16), 16, false },
			      { vdrv_alloc(&b->d, 2048), 2048, true } };
	uint8_t frame[64];

	make_frame(frame, sizeof(frame), 1);
	vdrv_chain(&b->d, VIRTIO_NET_RX, bad, 2);
	nic_send(a, frame, sizeof(frame));
	assert_true(vdrv_needs_reset(&b->d));
	/* The sender is unaffected. */
	assert_false(vdrv_needs_reset(&a->d));
	nic_free(a);
	nic_free(b);
}

static void test_net_hub_forgets_ports_that_left(void **state)
{
	struct nic *a = nic_new(NULL, 1, 0), *b = nic_new(NULL, 2, 0);
	uint8_t frame[64];

	make_frame(frame, sizeof(frame), 1);
	nic_free(b);
	nic_send(a, frame, sizeof(frame));
	nic_free(a);
	assert_int_equal(net_hub_join(NET_HUB_ID_MAX + 1, &(struct net_hub_port *){ NULL }),
			 -EINVAL);
}

#define STORM_FRAMES 2000u

static void *send_storm(void *arg)
{
	struct nic *n = arg;
	uint8_t frame[64];
	unsigned i;

	make_frame(frame, sizeof(frame), 2);
	for (i = 0; i < STORM_FRAMES; i++) {
		/* Reuse one buffer pair: each send completes before the next. */
		n->d.next_buffer = VDRV_BUFFERS + 0x40000;
		nic_send(n, frame, sizeof(frame));
	}
	return NULL;
}

static void test_net_nics_sending_to_each_other_at_once_do_not_deadlock(void **state)
{
	struct nic *a = nic_new(NULL, 1, 0), *b = nic_new(NULL, 2, 0);
	unsigned got_a = 0, got_b = 0;
	pthread_t ta, tb;
	uint32_t id, len;

	nic_post_rx(a, VDRV_QSIZE, 128);
	nic_post_rx(b, VDRV_QSIZE, 128);
	assert_int_equal(pthread_create(&ta, NULL, send_storm, a), 0);
	assert_int_equal(pthread_create(&tb, NULL, send_storm, b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	while (vdrv_used(&a->d, VIRTIO_NET_RX, &id, &len))
		got_a++;
	while (vdrv_used(&b->d, VIRTIO_NET_RX, &id, &len))
		got_b++;
	/* Every frame either landed in one of the posted buffers or was counted as dropped. */
	assert_int_equal(got_a, VDRV_QSIZE);
	assert_int_equal(got_b, VDRV_QSIZE);
	assert_int_equal(got_a + a->net.rx_dropped, STORM_FRAMES);
	assert_int_equal(got_b + b->net.rx_dropped, STORM_FRAMES);
	nic_free(a);
	nic_free(b);
}

static void test_net_tap_backend_carries_frames_both_ways(void **state)
{
	struct net_backend *be;
	struct nic *n;
	int fds[2];
	uint8_t frame[300], got[VIRTIO_NET_HDR_BYTES + 300];
	uint32_t id, len;
	uint64_t rx;

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, fds), 0);
	assert_int_equal(tap_attach_fd(fds[0], &be), 0);
	n = nic_new(be, 7, 0);
	make_frame(frame, sizeof(frame), 5);
	/* Guest to host. */
	nic_send(n, frame, sizeof(frame));
	assert_int_equal(read(fds[1], got, sizeof(got)), sizeof(frame));
	assert_memory_equal(got, frame, sizeof(frame));
	/* Host to guest: an oversized frame is skipped, the next one delivered on poll. */
	static uint8_t big[NET_FRAME_MAX + 100];
	assert_int_equal(write(fds[1], big, sizeof(big)), sizeof(big));
	assert_int_equal(write(fds[1], frame, sizeof(frame)), sizeof(frame));
	rx = nic_post_rx(n, 1, 2048);
	virtio_net_poll(&n->net);
	assert_true(vdrv_used(&n->d, VIRTIO_NET_RX, &id, &len));
	assert_int_equal(len, sizeof(got));
	vdrv_peek(&n->d, rx, got, sizeof(got));
	assert_memory_equal(got + VIRTIO_NET_HDR_BYTES, frame, sizeof(frame));
	/* Nothing more waiting: the poll leaves posted buffers alone. */
	nic_post_rx(n, 1, 2048);
	virtio_net_poll(&n->net);
	assert_false(vdrv_used(&n->d, VIRTIO_NET_RX, &id, &len));
	nic_free(n);
	tap_close(be);
	close(fds[1]);
}

static void test_net_tap_open_reports_bad_names_and_host_errors(void **state)
{
	struct net_backend *be;
	int rc;

	assert_int_equal(tap_open("", &be), -EINVAL);
	assert_int_equal(tap_open("a-name-far-too-long-for-ifnamsiz", &be), -EINVAL);
	/* Unprivileged here: the host's refusal comes back as an errno, not a crash. */
	rc = tap_open("pvtest0", &be);
	if (rc == 0)
		tap_close(be);
	else
		assert_true(rc < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_net_config_has_mac_and_link_up),
		cmocka_unit_test(test_net_hub_delivers_to_every_other_port_not_the_sender),
		cmocka_unit_test(test_net_mergeable_buffers_carry_a_frame_over_several_chains),
		cmocka_unit_test(test_net_drops_frames_without_room_and_keeps_the_buffers),
		cmocka_unit_test(
			test_net_mergeable_frame_needing_too_many_buffers_is_dropped_whole),
		cmocka_unit_test(test_net_transmit_without_a_frame_is_dropped),
		cmocka_unit_test(test_net_oversized_transmit_is_dropped),
		cmocka_unit_test(test_net_receive_buffer_with_readable_part_needs_reset),
		cmocka_unit_test(test_net_hub_forgets_ports_that_left),
		cmocka_unit_test(test_net_nics_sending_to_each_other_at_once_do_not_deadlock),
		cmocka_unit_test(test_net_tap_backend_carries_frames_both_ways),
		cmocka_unit_test(test_net_tap_open_reports_bad_names_and_host_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
