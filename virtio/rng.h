/* SPDX-License-Identifier: MIT */
/*
 * virtio-rng, the entropy device (VirtIO 1.2, 5.4): one queue of device-writable buffers, each
 * filled from the platform's entropy source (plat_entropy).
 */
#ifndef PV_VIRTIO_RNG_H
#define PV_VIRTIO_RNG_H

#include "virtio/virtio.h"

/* Bytes one request gets at most: guests ask for small amounts, and often. */
#define VIRTIO_RNG_REQUEST_MAX 256u

struct virtio_rng {
	struct virtio_dev vdev;
	uint8_t entropy[VIRTIO_RNG_REQUEST_MAX];
	struct virtq_req req;
};

void virtio_rng_init(struct virtio_rng *rng, struct gpa_space *gpa);

#endif
