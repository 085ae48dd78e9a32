/* SPDX-License-Identifier: MIT */
/*
 * The guest side of the VirtIO tests: fake guest RAM in a gpa_space, the device behind a
 * virtio-mmio window, and a driver that negotiates, lays out split rings and builds descriptor
 * chains in guest memory exactly as a guest driver does, through the same MMIO accesses. Hostile
 * tests use the raw helpers to write what no correct driver would.
 */
#ifndef PV_TESTS_UNIT_TEST_VIRTIO_DRIVER_H
#define PV_TESTS_UNIT_TEST_VIRTIO_DRIVER_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "mmu/gpa.h"
#include "virtio/mmio.h"
#include "virtio/virtio.h"
#include "virtio/virtqueue.h"

#define VDRV_RAM 0x80000000ull
#define VDRV_RAM_SIZE 0x200000ull
#define VDRV_MMIO 0x10001000ull
#define VDRV_QSIZE 16u
/* Queue i's rings at VDRV_RAM + i * VDRV_QUEUE_STRIDE; buffers from VDRV_BUFFERS on. */
#define VDRV_QUEUE_STRIDE 0x2000ull
#define VDRV_BUFFERS (VDRV_RAM + 0x10000ull)

/* virtio-mmio registers the driver uses. */
#define VM_MAGIC 0x000
#define VM_VERSION 0x004
#define VM_DEVICE_ID 0x008
#define VM_VENDOR_ID 0x00c
#define VM_DEVICE_FEATURES 0x010
#define VM_DEVICE_FEATURES_SEL 0x014
#define VM_DRIVER_FEATURES 0x020
#define VM_DRIVER_FEATURES_SEL 0x024
#define VM_QUEUE_SEL 0x030
#define VM_QUEUE_NUM_MAX 0x034
#define VM_QUEUE_NUM 0x038
#define VM_QUEUE_READY 0x044
#define VM_QUEUE_NOTIFY 0x050
#define VM_INTERRUPT_STATUS 0x060
#define VM_INTERRUPT_ACK 0x064
#define VM_STATUS 0x070
#define VM_QUEUE_DESC_LOW 0x080
#define VM_QUEUE_DESC_HIGH 0x084
#define VM_QUEUE_DRIVER_LOW 0x090
#define VM_QUEUE_DRIVER_HIGH 0x094
#define VM_QUEUE_DEVICE_LOW 0x0a0
#define VM_QUEUE_DEVICE_HIGH 0x0a4
#define VM_CONFIG_GENERATION 0x0fc
#define VM_CONFIG 0x100

struct vbuf {
	uint64_t addr;
	uint32_t len;
	bool write;
};

struct vdrv_queue {
	uint64_t desc, avail, used;
	uint16_t avail_idx; /* next avail entry the driver fills */
	uint16_t next_desc; /* descriptors are handed out round-robin */
	uint16_t last_used;
};

struct vdrv {
	struct gpa_space *gpa;
	struct virtio_mmio mmio;
	bool irq_level;
	unsigned irq_raises;
	uint64_t next_buffer;
	struct vdrv_queue q[VIRTIO_QUEUES_MAX];
};

static inline void vdrv_irq(void *controller, unsigned irq, bool level)
{
	struct vdrv *d = controller;

	if (level && !d->irq_level)
		d->irq_raises++;
	d->irq_level = level;
}

static inline uint32_t vdrv_rd(struct vdrv *d, uint64_t reg)
{
	uint64_t v = 0;

	assert_int_equal(gpa_access_read(d->gpa, VDRV_MMIO + reg, 4, &v), 0);
	return (uint32_t)v;
}

static inline void vdrv_wr(struct vdrv *d, uint64_t reg, uint32_t value)
{
	assert_int_equal(gpa_access_write(d->gpa, VDRV_MMIO + reg, 4, value), 0);
}

static inline uint64_t vdrv_config(struct vdrv *d, uint64_t offset, unsigned size)
{
	uint64_t v = 0;

	assert_int_equal(gpa_access_read(d->gpa, VDRV_MMIO + VM_CONFIG + offset, size, &v), 0);
	return v;
}

/* Guest RAM: made first, since a device keeps the space it is created in. */
static inline struct gpa_space *vdrv_space(void)
{
	struct gpa_space *gpa = gpa_space_create();

	assert_non_null(gpa);
	assert_int_equal(gpa_add_ram(gpa, VDRV_RAM, VDRV_RAM_SIZE, "ram"), 0);
	return gpa;
}

/* The driver over gpa (from vdrv_space) and dev (initialized), behind an MMIO window. */
static inline void vdrv_attach(struct vdrv *d, struct gpa_space *gpa, struct virtio_dev *dev)
{
	struct irq_line line = { vdrv_irq, d, 7 };

	memset(d, 0, sizeof(*d));
	d->gpa = gpa;
	virtio_mmio_init(&d->mmio, dev, &line);
	assert_int_equal(virtio_mmio_map(&d->mmio, d->gpa, VDRV_MMIO, "virtio0"), 0);
	d->next_buffer = VDRV_BUFFERS;
}

static inline void vdrv_destroy(struct vdrv *d)
{
	gpa_space_destroy(d->gpa);
}

static inline uint64_t vdrv_alloc(struct vdrv *d, uint64_t len)
{
	uint64_t addr = d->next_buffer;

	d->next_buffer = (d->next_buffer + len + 15) & ~15ull;
	assert_true(d->next_buffer <= VDRV_RAM + VDRV_RAM_SIZE);
	return addr;
}

static inline void vdrv_poke(struct vdrv *d, uint64_t addr, const void *buf, uint64_t len)
{
	assert_int_equal(gpa_write(d->gpa, addr, buf, len), 0);
}

static inline void vdrv_peek(struct vdrv *d, uint64_t addr, void *buf, uint64_t len)
{
	assert_int_equal(gpa_read(d->gpa, addr, buf, len), 0);
}

static inline void vdrv_poke16(struct vdrv *d, uint64_t addr, uint16_t v)
{
	vdrv_poke(d, addr, &v, 2);
}

static inline uint16_t vdrv_peek16(struct vdrv *d, uint64_t addr)
{
	uint16_t v;

	vdrv_peek(d, addr, &v, 2);
	return v;
}

/* Resets the device and negotiates `features` (which must include VIRTIO_F_VERSION_1). */
static inline bool vdrv_negotiate(struct vdrv *d, uint64_t features)
{
	vdrv_wr(d, VM_STATUS, 0);
	vdrv_wr(d, VM_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	vdrv_wr(d, VM_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	vdrv_wr(d, VM_DRIVER_FEATURES_SEL, 0);
	vdrv_wr(d, VM_DRIVER_FEATURES, (uint32_t)features);
	vdrv_wr(d, VM_DRIVER_FEATURES_SEL, 1);
	vdrv_wr(d, VM_DRIVER_FEATURES, (uint32_t)(features >> 32));
	vdrv_wr(d, VM_STATUS,
		VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	return vdrv_rd(d, VM_STATUS) & VIRTIO_STATUS_FEATURES_OK;
}

static inline void vdrv_setup_queue(struct vdrv *d, unsigned i)
{
	struct vdrv_queue *q = &d->q[i];
	uint64_t base = VDRV_RAM + i * VDRV_QUEUE_STRIDE;

	memset(q, 0, sizeof(*q));
	q->desc = base;
	q->avail = base + 0x400;
	q->used = base + 0x800;
	vdrv_wr(d, VM_QUEUE_SEL, i);
	assert_int_equal(vdrv_rd(d, VM_QUEUE_READY), 0);
	assert_true(vdrv_rd(d, VM_QUEUE_NUM_MAX) >= VDRV_QSIZE);
	vdrv_wr(d, VM_QUEUE_NUM, VDRV_QSIZE);
	vdrv_wr(d, VM_QUEUE_DESC_LOW, (uint32_t)q->desc);
	vdrv_wr(d, VM_QUEUE_DESC_HIGH, (uint32_t)(q->desc >> 32));
	vdrv_wr(d, VM_QUEUE_DRIVER_LOW, (uint32_t)q->avail);
	vdrv_wr(d, VM_QUEUE_DRIVER_HIGH, (uint32_t)(q->avail >> 32));
	vdrv_wr(d, VM_QUEUE_DEVICE_LOW, (uint32_t)q->used);
	vdrv_wr(d, VM_QUEUE_DEVICE_HIGH, (uint32_t)(q->used >> 32));
	vdrv_wr(d, VM_QUEUE_READY, 1);
}

/* The whole bring-up of 3.1.1: negotiation, nqueues queues, DRIVER_OK. */
static inline void vdrv_start(struct vdrv *d, uint64_t features, unsigned nqueues)
{
	unsigned i;

	assert_true(vdrv_negotiate(d, features | (1ull << VIRTIO_F_VERSION_1)));
	for (i = 0; i < nqueues; i++)
		vdrv_setup_queue(d, i);
	vdrv_wr(d, VM_STATUS,
		VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
			VIRTIO_STATUS_DRIVER_OK);
}

static inline bool vdrv_needs_reset(struct vdrv *d)
{
	return vdrv_rd(d, VM_STATUS) & VIRTIO_STATUS_NEEDS_RESET;
}

/* One raw descriptor, for chains no correct driver would write. */
static inline void vdrv_desc_at(struct vdrv *d, uint64_t table, unsigned index, uint64_t addr,
				uint32_t len, uint16_t flags, uint16_t next)
{
	uint8_t b[16];

	memcpy(b, &addr, 8);
	memcpy(b + 8, &len, 4);
	memcpy(b + 12, &flags, 2);
	memcpy(b + 14, &next, 2);
	vdrv_poke(d, table + 16ull * index, b, sizeof(b));
}

/* Makes head available and publishes the new avail->idx (without notifying). */
static inline void vdrv_avail_push(struct vdrv *d, unsigned qi, uint16_t head)
{
	struct vdrv_queue *q = &d->q[qi];

	vdrv_poke16(d, q->avail + 4 + 2u * (q->avail_idx % VDRV_QSIZE), head);
	q->avail_idx++;
	vdrv_poke16(d, q->avail + 2, q->avail_idx);
}

/* A chain of n buffers in the descriptor table; returns its head after making it available. */
static inline uint16_t vdrv_chain(struct vdrv *d, unsigned qi, const struct vbuf *bufs, unsigned n)
{
	struct vdrv_queue *q = &d->q[qi];
	uint16_t head = q->next_desc % VDRV_QSIZE;
	unsigned i;

	for (i = 0; i < n; i++) {
		uint16_t index = (uint16_t)((head + i) % VDRV_QSIZE);
		uint16_t flags = (bufs[i].write ? VIRTQ_DESC_F_WRITE : 0) |
				 (i + 1 < n ? VIRTQ_DESC_F_NEXT : 0);

		vdrv_desc_at(d, q->desc, index, bufs[i].addr, bufs[i].len, flags,
			     (uint16_t)((index + 1) % VDRV_QSIZE));
	}
	q->next_desc = (uint16_t)(q->next_desc + n);
	vdrv_avail_push(d, qi, head);
	return head;
}

/* The same chain in an indirect table, behind one descriptor. */
static inline uint16_t vdrv_chain_indirect(struct vdrv *d, unsigned qi, const struct vbuf *bufs,
					   unsigned n)
{
	struct vdrv_queue *q = &d->q[qi];
	uint64_t table = vdrv_alloc(d, 16ull * n);
	uint16_t head = q->next_desc % VDRV_QSIZE;
	unsigned i;

	for (i = 0; i < n; i++)
		vdrv_desc_at(d, table, i, bufs[i].addr, bufs[i].len,
			     (bufs[i].write ? VIRTQ_DESC_F_WRITE : 0) |
				     (i + 1 < n ? VIRTQ_DESC_F_NEXT : 0),
			     (uint16_t)(i + 1));
	vdrv_desc_at(d, q->desc, head, table, 16u * n, VIRTQ_DESC_F_INDIRECT, 0);
	q->next_desc++;
	vdrv_avail_push(d, qi, head);
	return head;
}

static inline void vdrv_notify(struct vdrv *d, unsigned qi)
{
	vdrv_wr(d, VM_QUEUE_NOTIFY, qi);
}

/* The next used entry, if the device published one. */
static inline bool vdrv_used(struct vdrv *d, unsigned qi, uint32_t *id, uint32_t *len)
{
	struct vdrv_queue *q = &d->q[qi];
	uint32_t elem[2];

	if (vdrv_peek16(d, q->used + 2) == q->last_used)
		return false;
	vdrv_peek(d, q->used + 4 + 8u * (q->last_used % VDRV_QSIZE), elem, sizeof(elem));
	q->last_used++;
	*id = elem[0];
	*len = elem[1];
	return true;
}

/* Acknowledges every pending interrupt cause and returns them. */
static inline uint32_t vdrv_ack(struct vdrv *d)
{
	uint32_t causes = vdrv_rd(d, VM_INTERRUPT_STATUS);

	vdrv_wr(d, VM_INTERRUPT_ACK, causes);
	return causes;
}

#endif
