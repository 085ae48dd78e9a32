// SPDX-License-Identifier: MIT
/*
 * virtio-rng: each chain's writable bytes, up to VIRTIO_RNG_REQUEST_MAX, are filled from
 * plat_entropy. When the platform has no source, the buffer comes back empty (used length 0):
 * the guest then knows it got nothing, rather than being handed predictable bytes.
 */
#include "lib/compiler.h"
#include "lib/plat.h"
#include "virtio/rng.h"

static void virtio_rng_notify(struct virtio_dev *dev, unsigned queue)
{
	struct virtio_rng *rng = container_of(dev, struct virtio_rng, vdev);
	struct virtq *q = &dev->vq[queue];
	int rc;

	spin_lock(&dev->lock);
	while (virtio_dev_queue_live(dev, queue)) {
		uint64_t len;

		rc = virtq_pop(q, &rng->req);
		if (rc == 0)
			break;
		if (rc > 0) {
			len = rng->req.write_len < sizeof(rng->entropy) ? rng->req.write_len :
									  sizeof(rng->entropy);
			if (plat_entropy(rng->entropy, len) != 0 ||
			    virtq_req_copy_to(q, &rng->req, 0, rng->entropy, len) != (int64_t)len)
				len = 0;
			rc = virtq_push(q, rng->req.head, (uint32_t)len);
		}
		if (rc < 0)
			virtio_dev_fail(dev);
	}
	virtio_dev_used(dev, queue);
	spin_unlock(&dev->lock);
}

static const struct virtio_device_ops virtio_rng_ops = {
	.device_id = VIRTIO_ID_RNG,
	.queue_notify = virtio_rng_notify,
};

void virtio_rng_init(struct virtio_rng *rng, struct gpa_space *gpa)
{
	virtio_dev_init(&rng->vdev, &virtio_rng_ops, gpa, 1, 0);
}
