// SPDX-License-Identifier: MIT
/*
 * The transport-independent half of a VirtIO device: status transitions, feature negotiation,
 * queue enabling and the device-side decisions to interrupt or to give up on a broken driver.
 */
#include "lib/errno.h"
#include "virtio/virtio.h"

/* What the core itself implements for every device, on top of the device's own bits. */
#define VIRTIO_CORE_FEATURES                                                    \
	((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_RING_INDIRECT_DESC) | \
	 (1ull << VIRTIO_F_RING_EVENT_IDX))

static void reset_queues(struct virtio_dev *dev)
{
	unsigned i;

	for (i = 0; i < VIRTIO_QUEUES_MAX; i++)
		virtq_reset(&dev->vq[i], dev->gpa);
}

void virtio_dev_init(struct virtio_dev *dev, const struct virtio_device_ops *ops,
		     struct gpa_space *gpa, unsigned nqueues, uint64_t features)
{
	dev->ops = ops;
	spin_lock_init(&dev->lock);
	dev->gpa = gpa;
	dev->features = features | VIRTIO_CORE_FEATURES;
	dev->driver_features = 0;
	dev->status = 0;
	dev->config_generation = 0;
	dev->nqueues = nqueues;
	dev->interrupt = NULL;
	dev->transport = NULL;
	reset_queues(dev);
}

void virtio_dev_attach(struct virtio_dev *dev, void (*interrupt)(void *transport, uint32_t causes),
		       void *transport)
{
	dev->interrupt = interrupt;
	dev->transport = transport;
}

static void raise_interrupt(struct virtio_dev *dev, uint32_t causes)
{
	if (dev->interrupt)
		dev->interrupt(dev->transport, causes);
}

uint8_t virtio_dev_get_status(const struct virtio_dev *dev)
{
	return dev->status;
}

/* 2.2.1 and 6.1: the driver takes a subset of the offer, and a modern driver takes VERSION_1. */
static bool features_acceptable(const struct virtio_dev *dev)
{
	return (dev->driver_features & ~dev->features) == 0 &&
	       (dev->driver_features & (1ull << VIRTIO_F_VERSION_1));
}

void virtio_dev_set_status(struct virtio_dev *dev, uint8_t status)
{
	uint8_t added = status & ~dev->status;

	if (status == 0) {
		dev->status = 0;
		dev->driver_features = 0;
		reset_queues(dev);
		if (dev->ops->reset)
			dev->ops->reset(dev);
		return;
	}
	/* FEATURES_OK stays clear when the driver asked for what was not offered (3.1.1 step 6). */
	if ((added & VIRTIO_STATUS_FEATURES_OK) && !features_acceptable(dev))
		added &= (uint8_t)~VIRTIO_STATUS_FEATURES_OK;
	/* A driver that skipped negotiation never gets a live device. */
	if ((added & VIRTIO_STATUS_DRIVER_OK) &&
	    !((dev->status | added) & VIRTIO_STATUS_FEATURES_OK))
		added &= (uint8_t)~VIRTIO_STATUS_DRIVER_OK;
	/* NEEDS_RESET is the device's to set; only a reset clears bits. */
	added &= (uint8_t)~VIRTIO_STATUS_NEEDS_RESET;
	dev->status |= added;
}

int virtio_dev_queue_enable(struct virtio_dev *dev, unsigned queue)
{
	struct virtq *q = &dev->vq[queue];

	if (virtq_validate(q)) {
		virtio_dev_fail(dev);
		return -EINVAL;
	}
	q->event_idx = dev->driver_features & (1ull << VIRTIO_F_RING_EVENT_IDX);
	q->last_avail = q->used_idx = q->signalled_used = 0;
	q->ready = true;
	return 0;
}

bool virtio_dev_queue_live(const struct virtio_dev *dev, unsigned queue)
{
	return (dev->status & (VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_NEEDS_RESET)) ==
		       VIRTIO_STATUS_DRIVER_OK &&
	       queue < dev->nqueues && dev->vq[queue].ready;
}

void virtio_dev_used(struct virtio_dev *dev, unsigned queue)
{
	if (virtq_need_interrupt(&dev->vq[queue]))
		raise_interrupt(dev, VIRTIO_INT_USED_RING);
}

void virtio_dev_fail(struct virtio_dev *dev)
{
	if (dev->status & VIRTIO_STATUS_NEEDS_RESET)
		return;
	dev->status |= VIRTIO_STATUS_NEEDS_RESET;
	raise_interrupt(dev, VIRTIO_INT_CONFIG);
}

void virtio_dev_config_changed(struct virtio_dev *dev)
{
	dev->config_generation++;
	raise_interrupt(dev, VIRTIO_INT_CONFIG);
}
