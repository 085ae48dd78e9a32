/* SPDX-License-Identifier: MIT */
/*
 * A VirtIO device as every transport sees it (VirtIO 1.2, chapters 2 and 3): status, feature
 * negotiation, queues and configuration space, independent of whether the guest reaches it
 * through virtio-mmio (virtio/mmio.c) or, later, virtio-pci. A device (blk, net, console, rng)
 * embeds a struct virtio_dev and supplies a struct virtio_device_ops; a transport attaches itself
 * with virtio_dev_attach and turns register accesses into these calls.
 *
 * Locking: dev->lock guards the transport's registers, the queues and the device's own state. The
 * transport holds it for every call into the ops except queue_notify, which the device's
 * handler locks itself (a NIC drops it to hand frames to its backend).
 */
#ifndef PV_VIRTIO_VIRTIO_H
#define PV_VIRTIO_VIRTIO_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/spinlock.h"
#include "virtio/virtqueue.h"

/* Device IDs (5). */
#define VIRTIO_ID_NET 1u
#define VIRTIO_ID_BLOCK 2u
#define VIRTIO_ID_CONSOLE 3u
#define VIRTIO_ID_RNG 4u

/* Device status (2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE 1u
#define VIRTIO_STATUS_DRIVER 2u
#define VIRTIO_STATUS_DRIVER_OK 4u
#define VIRTIO_STATUS_FEATURES_OK 8u
#define VIRTIO_STATUS_NEEDS_RESET 0x40u

/* Reserved feature bits (6) the core handles for every device. */
#define VIRTIO_F_RING_INDIRECT_DESC 28
#define VIRTIO_F_RING_EVENT_IDX 29
#define VIRTIO_F_VERSION_1 32

/* Interrupt causes, as virtio-mmio's InterruptStatus and virtio-pci's ISR spell them. */
#define VIRTIO_INT_USED_RING 1u
#define VIRTIO_INT_CONFIG 2u

#define VIRTIO_QUEUES_MAX 4u

struct virtio_dev;

struct virtio_device_ops {
	uint32_t device_id;
	/* Bytes of device configuration space. */
	uint32_t config_size;
	/*
	 * Copies config bytes [offset, offset + len), within config_size, out to the driver, or in
	 * from it (config_write NULL: the driver cannot write the config space).
	 */
	void (*config_read)(struct virtio_dev *dev, uint32_t offset, void *buf, unsigned len);
	void (*config_write)(struct virtio_dev *dev, uint32_t offset, const void *buf,
			     unsigned len);
	/* The driver made buffers available in queue (< dev->nqueues, ready); called unlocked. */
	void (*queue_notify)(struct virtio_dev *dev, unsigned queue);
	/*
	 * Back to the state before the driver found the device; the core already reset the queues.
	 * NULL for a device whose requests all complete inside queue_notify and keeps no state.
	 */
	void (*reset)(struct virtio_dev *dev);
};

struct virtio_dev {
	const struct virtio_device_ops *ops;
	struct spinlock lock;
	struct gpa_space *gpa;
	uint64_t features; /* offered; the core adds VERSION_1, INDIRECT_DESC and EVENT_IDX */
	uint64_t driver_features; /* acknowledged by the driver */
	uint8_t status;
	uint32_t config_generation;
	unsigned nqueues;
	struct virtq vq[VIRTIO_QUEUES_MAX];
	/* Set by the transport: raises the causes given on the device's interrupt. */
	void (*interrupt)(void *transport, uint32_t causes);
	void *transport;
};

/* Prepares the common part: nqueues queues over gpa, the device's own feature bits. */
void virtio_dev_init(struct virtio_dev *dev, const struct virtio_device_ops *ops,
		     struct gpa_space *gpa, unsigned nqueues, uint64_t features);

/* Called by the transport once, before the guest runs. */
void virtio_dev_attach(struct virtio_dev *dev, void (*interrupt)(void *transport, uint32_t causes),
		       void *transport);

/* Status register semantics shared by transports (2.1, 3.1); with dev->lock held. */
uint8_t virtio_dev_get_status(const struct virtio_dev *dev);
void virtio_dev_set_status(struct virtio_dev *dev, uint8_t status);
/* Whether the driver may make queue `queue` ready now, and does so after virtq_validate. */
int virtio_dev_queue_enable(struct virtio_dev *dev, unsigned queue);

/*
 * With dev->lock held, from device code: whether the device is live (DRIVER_OK, not NEEDS_RESET)
 * and queue is ready; the queue's used entries and the interrupt the driver asked for; a broken
 * driver contract (stop, set DEVICE_NEEDS_RESET, config interrupt); a changed config space.
 */
bool virtio_dev_queue_live(const struct virtio_dev *dev, unsigned queue);
void virtio_dev_used(struct virtio_dev *dev, unsigned queue);
void virtio_dev_fail(struct virtio_dev *dev);
void virtio_dev_config_changed(struct virtio_dev *dev);

/* Little-endian stores and loads for config spaces and request headers. */
static inline void virtio_put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void virtio_put_le32(uint8_t *p, uint32_t v)
{
	virtio_put_le16(p, (uint16_t)v);
	virtio_put_le16(p + 2, (uint16_t)(v >> 16));
}

static inline void virtio_put_le64(uint8_t *p, uint64_t v)
{
	virtio_put_le32(p, (uint32_t)v);
	virtio_put_le32(p + 4, (uint32_t)(v >> 32));
}

static inline uint32_t virtio_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t virtio_le64(const uint8_t *p)
{
	return virtio_le32(p) | (uint64_t)virtio_le32(p + 4) << 32;
}

#endif
