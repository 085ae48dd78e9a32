/* SPDX-License-Identifier: MIT */
/*
 * The virtio-mmio transport, version 2 (VirtIO 1.2, 4.2): a 0x200-byte register window per
 * device, one level-triggered interrupt line. A board instantiates one per slot:
 *
 *	virtio_blk_init(&blk, vm->gpa, file, readonly, "disk0");   (any device of virtio/)
 *	virtio_mmio_init(&slot, &blk.vdev, &irq_line);              (a line of the PLIC/GIC)
 *	virtio_mmio_map(&slot, vm->gpa, 0x10001000, "virtio0");
 *
 * A slot without a device (virtio_mmio_init with dev NULL) answers DeviceID 0, so a DTB can
 * list fixed slots as QEMU's virt boards do.
 */
#ifndef PV_VIRTIO_MMIO_H
#define PV_VIRTIO_MMIO_H

#include <stdint.h>

#include "kernel/irq.h"
#include "virtio/virtio.h"

#define VIRTIO_MMIO_SIZE 0x200u
#define VIRTIO_MMIO_MAGIC 0x74726976u /* "virt" */
#define VIRTIO_MMIO_VERSION 2u
/* The VendorID this transport reports: "PVIS", the project's own. */
#define VIRTIO_MMIO_VENDOR 0x53495650u

struct gpa_space;
struct mmio_ops;

struct virtio_mmio {
	struct virtio_dev *dev; /* NULL for an empty slot */
	struct irq_line irq;
	uint32_t device_features_sel;
	uint32_t driver_features_sel;
	uint32_t queue_sel;
	uint32_t interrupt_status;
};

extern const struct mmio_ops virtio_mmio_ops;

/* Binds the transport to dev (or to nothing) and the board's interrupt line (copied). */
void virtio_mmio_init(struct virtio_mmio *mmio, struct virtio_dev *dev, const struct irq_line *irq);

/* Adds the register window at base to space; gpa_add_mmio's errors. */
int virtio_mmio_map(struct virtio_mmio *mmio, struct gpa_space *space, uint64_t base,
		    const char *name);

#endif
