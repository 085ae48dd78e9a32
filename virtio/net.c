// SPDX-License-Identifier: MIT
/*
 * virtio-net. Transmit: each chain is a virtio_net_hdr and one frame; the header asks for no
 * offload we offered, so it is skipped. Receive: a frame goes into one chain, or, with
 * VIRTIO_NET_F_MRG_RXBUF, over as many chains as it needs, with num_buffers in the first chain's
 * header; all of them are published together. A frame finds no room: it is dropped, as on a
 * wire, and the buffers stay posted.
 */
#include <string.h>

#include "lib/compiler.h"
#include "lib/errno.h"
#include "virtio/net.h"

/* num_buffers' offset in the header. */
#define HDR_NUM_BUFFERS 10u

struct rx_placed {
	uint16_t head;
	uint32_t len;
};

/*
 * Copies bytes [off, off + len) of the received stream (header, then frame) into req from its
 * writable byte 0. Returns 0 or -EFAULT.
 */
static int rx_copy(struct virtq *q, const struct virtq_req *req, const uint8_t *hdr,
		   const uint8_t *frame, uint64_t off, uint64_t len)
{
	uint64_t in_hdr = off < VIRTIO_NET_HDR_BYTES ? VIRTIO_NET_HDR_BYTES - off : 0;

	if (in_hdr > len)
		in_hdr = len;
	if (in_hdr && virtq_req_copy_to(q, req, 0, hdr + off, in_hdr) != (int64_t)in_hdr)
		return -EFAULT;
	if (len > in_hdr &&
	    virtq_req_copy_to(q, req, in_hdr, frame + (off + in_hdr - VIRTIO_NET_HDR_BYTES),
			      len - in_hdr) != (int64_t)(len - in_hdr))
		return -EFAULT;
	return 0;
}

/*
 * Places one frame into the receive queue, with vdev.lock held. Returns 0 (placed or dropped),
 * or a negative errno for a driver that broke the queue's rules.
 */
static int rx_place(struct virtio_net *net, const uint8_t *frame, size_t len)
{
	struct virtio_dev *dev = &net->vdev;
	struct virtq *q = &dev->vq[VIRTIO_NET_RX];
	bool mergeable = dev->driver_features & (1ull << VIRTIO_NET_F_MRG_RXBUF);
	uint64_t total = VIRTIO_NET_HDR_BYTES + len, off = 0;
	struct rx_placed placed[VIRTIO_NET_RX_BUFS_MAX];
	uint8_t hdr[VIRTIO_NET_HDR_BYTES] = { 0 }, nbufs[2];
	unsigned n = 0, i;
	int rc;

	while (off < total) {
		struct virtq_req *req = n == 0 ? &net->rx_first : &net->rx_req;
		uint64_t chunk;

		rc = n < VIRTIO_NET_RX_BUFS_MAX ? virtq_pop(q, req) : 0;
		if (rc < 0)
			return rc;
		/* 5.1.6.3: receive buffers are device-writable only. */
		if (rc > 0 && req->nread)
			return -EINVAL;
		n += rc;
		/* Out of buffers, or one too small to hold what it must: drop, keep the buffers. */
		if (rc == 0 || (n == 1 && req->write_len < VIRTIO_NET_HDR_BYTES) ||
		    (!mergeable && req->write_len < total)) {
			virtq_unpop(q, n);
			net->rx_dropped++;
			return 0;
		}
		chunk = total - off < req->write_len ? total - off : req->write_len;
		rc = rx_copy(q, req, hdr, frame, off, chunk);
		if (rc)
			return rc;
		placed[n - 1].head = req->head;
		placed[n - 1].len = (uint32_t)chunk;
		off += chunk;
	}
	virtio_put_le16(nbufs, (uint16_t)n);
	rc = virtq_req_copy_to(q, &net->rx_first, HDR_NUM_BUFFERS, nbufs, sizeof(nbufs)) ==
			     sizeof(nbufs) ?
		     0 :
		     -EFAULT;
	for (i = 0; i < n && rc == 0; i++)
		rc = virtq_fill(q, i, placed[i].head, placed[i].len);
	return rc ? rc : virtq_flush(q, n);
}

static void rx_frame_locked(struct virtio_net *net, const uint8_t *frame, size_t len)
{
	if (!virtio_dev_queue_live(&net->vdev, VIRTIO_NET_RX)) {
		net->rx_dropped++;
		return;
	}
	if (rx_place(net, frame, len))
		virtio_dev_fail(&net->vdev);
	else
		virtio_dev_used(&net->vdev, VIRTIO_NET_RX);
}

/* A push backend's frame (struct net_backend.deliver). */
static void virtio_net_deliver(void *nic, const uint8_t *frame, size_t len)
{
	struct virtio_net *net = nic;

	spin_lock(&net->vdev.lock);
	rx_frame_locked(net, frame, len);
	spin_unlock(&net->vdev.lock);
}

void virtio_net_poll(struct virtio_net *net)
{
	struct virtio_dev *dev = &net->vdev;

	if (!net->be->receive)
		return;
	spin_lock(&dev->lock);
	while (virtio_dev_queue_live(dev, VIRTIO_NET_RX) &&
	       virtq_pending(&dev->vq[VIRTIO_NET_RX]) > 0) {
		size_t len = net->be->receive(net->be, net->rx_frame, sizeof(net->rx_frame));

		if (len == 0)
			break;
		rx_frame_locked(net, net->rx_frame, len);
	}
	spin_unlock(&dev->lock);
}

/*
 * Pops one transmit chain into tx_frame, with vdev.lock held. Returns the frame's length, 0 for a
 * chain that carried no frame (dropped), or -1 when the queue is empty or unusable.
 */
static int64_t tx_take(struct virtio_net *net)
{
	struct virtio_dev *dev = &net->vdev;
	struct virtq *q = &dev->vq[VIRTIO_NET_TX];
	uint64_t len;
	int rc;

	if (!virtio_dev_queue_live(dev, VIRTIO_NET_TX))
		return -1;
	rc = virtq_pop(q, &net->tx_req);
	if (rc < 0)
		virtio_dev_fail(dev);
	if (rc <= 0)
		return -1;
	len = net->tx_req.read_len - VIRTIO_NET_HDR_BYTES;
	/* Shorter than a header or longer than any frame without offloads: nothing to send. */
	if (net->tx_req.read_len <= VIRTIO_NET_HDR_BYTES || len > sizeof(net->tx_frame) ||
	    virtq_req_copy_from(q, &net->tx_req, VIRTIO_NET_HDR_BYTES, net->tx_frame, len) !=
		    (int64_t)len) {
		net->tx_dropped++;
		len = 0;
	}
	if (virtq_push(q, net->tx_req.head, 0)) {
		virtio_dev_fail(dev);
		return -1;
	}
	return (int64_t)len;
}

static void tx_drain(struct virtio_net *net)
{
	struct virtio_dev *dev = &net->vdev;
	int64_t len;

	spin_lock(&net->tx_lock);
	for (;;) {
		spin_lock(&dev->lock);
		len = tx_take(net);
		if (len < 0)
			virtio_dev_used(dev, VIRTIO_NET_TX);
		spin_unlock(&dev->lock);
		if (len < 0)
			break;
		/* Unlocked: the hub delivers into other NICs, which may be sending to this one. */
		if (len > 0)
			net->be->send(net->be, net->tx_frame, (size_t)len);
	}
	spin_unlock(&net->tx_lock);
}

static void virtio_net_notify(struct virtio_dev *dev, unsigned queue)
{
	struct virtio_net *net = container_of(dev, struct virtio_net, vdev);

	if (queue == VIRTIO_NET_TX)
		tx_drain(net);
	else
		virtio_net_poll(net);
}

static void virtio_net_config_read(struct virtio_dev *dev, uint32_t offset, void *buf, unsigned len)
{
	struct virtio_net *net = container_of(dev, struct virtio_net, vdev);

	memcpy(buf, net->config + offset, len);
}

static const struct virtio_device_ops virtio_net_ops = {
	.device_id = VIRTIO_ID_NET,
	.config_size = VIRTIO_NET_CONFIG_SIZE,
	.config_read = virtio_net_config_read,
	.queue_notify = virtio_net_notify,
};

void virtio_net_init(struct virtio_net *net, struct gpa_space *gpa, struct net_backend *be,
		     const uint8_t mac[6])
{
	memset(net, 0, sizeof(*net));
	net->be = be;
	spin_lock_init(&net->tx_lock);
	memcpy(net->config, mac, 6);
	virtio_put_le16(net->config + 6, VIRTIO_NET_S_LINK_UP);
	virtio_dev_init(&net->vdev, &virtio_net_ops, gpa, 2,
			(1ull << VIRTIO_NET_F_MAC) | (1ull << VIRTIO_NET_F_STATUS) |
				(1ull << VIRTIO_NET_F_MRG_RXBUF));
	be->nic = net;
	be->deliver = virtio_net_deliver;
}
