/* SPDX-License-Identifier: MIT */
/*
 * virtio-net (VirtIO 1.2, 5.1): one receive and one transmit queue, a MAC address and link status
 * in the config space, mergeable receive buffers, no checksum or segmentation offloads (every
 * frame is complete and checksummed when it crosses the device). Frames go to and come from a
 * struct net_backend (kernel/net_hub.h): a hub port, or polyrun's TAP. Pull backends are read
 * when the board calls virtio_net_poll and when the guest posts receive buffers.
 */
#ifndef PV_VIRTIO_NET_H
#define PV_VIRTIO_NET_H

#include <stdint.h>

#include "kernel/net_hub.h"
#include "virtio/virtio.h"

#define VIRTIO_NET_F_MAC 5
#define VIRTIO_NET_F_MRG_RXBUF 15
#define VIRTIO_NET_F_STATUS 16
#define VIRTIO_NET_S_LINK_UP 1u

#define VIRTIO_NET_RX 0u
#define VIRTIO_NET_TX 1u
/* struct virtio_net_hdr with num_buffers, always present under VIRTIO_F_VERSION_1 (5.1.6). */
#define VIRTIO_NET_HDR_BYTES 12u
#define VIRTIO_NET_CONFIG_SIZE 8u
/* Receive buffers one frame may spread over with VIRTIO_NET_F_MRG_RXBUF. */
#define VIRTIO_NET_RX_BUFS_MAX 32u

struct virtio_net {
	struct virtio_dev vdev;
	struct net_backend *be;
	uint8_t config[VIRTIO_NET_CONFIG_SIZE];
	/* Receive side, under vdev.lock. */
	struct virtq_req rx_first; /* the chain holding the header of the frame being placed */
	struct virtq_req rx_req;
	uint8_t rx_frame[NET_FRAME_MAX];
	uint64_t rx_dropped;
	/*
	 * Transmit side: tx_lock serializes senders and guards tx_frame, which is handed to the
	 * backend after vdev.lock is dropped (lock order: tx_lock, then vdev.lock).
	 */
	struct spinlock tx_lock;
	struct virtq_req tx_req;
	uint8_t tx_frame[NET_FRAME_MAX];
	uint64_t tx_dropped;
};

/* A NIC with address mac on backend be (which it attaches to: be->deliver and be->nic). */
void virtio_net_init(struct virtio_net *net, struct gpa_space *gpa, struct net_backend *be,
		     const uint8_t mac[6]);

/* Moves frames waiting in a pull backend into the guest's receive buffers while it has some. */
void virtio_net_poll(struct virtio_net *net);

#endif
