// SPDX-License-Identifier: MIT
/*
 * virtio-console, one port, no multiport control queue: the transmit queue's readable bytes go to
 * the chardev as they come; input is read from the chardev only into a buffer the guest already
 * posted, so nothing is ever taken from the chardev that cannot be delivered.
 */
#include <string.h>

#include "lib/compiler.h"
#include "virtio/console.h"

/* Config space (5.3.4): cols, rows, max_nr_ports, then emerg_wr. */
#define CFG_EMERG_WR 8u

/* Input into posted receive buffers, with dev->lock held. */
static void console_fill_rx(struct virtio_console *con)
{
	struct virtio_dev *dev = &con->vdev;
	struct virtq *q = &dev->vq[VIRTIO_CONSOLE_RX];
	int rc;

	while (virtio_dev_queue_live(dev, VIRTIO_CONSOLE_RX)) {
		size_t want, got;

		rc = virtq_pop(q, &con->req);
		if (rc < 0)
			virtio_dev_fail(dev);
		if (rc <= 0)
			break;
		want = con->req.write_len < sizeof(con->buf) ? con->req.write_len :
							       sizeof(con->buf);
		got = want ? con->chr.read(con->chr.backend, con->buf, want) : 0;
		if (got == 0) {
			/* Nothing waiting (or a buffer with no room): keep it for later input. */
			virtq_unpop(q, 1);
			break;
		}
		if (virtq_req_copy_to(q, &con->req, 0, con->buf, got) != (int64_t)got ||
		    virtq_push(q, con->req.head, (uint32_t)got) != 0)
			virtio_dev_fail(dev);
	}
	virtio_dev_used(dev, VIRTIO_CONSOLE_RX);
}

static void console_drain_tx(struct virtio_console *con)
{
	struct virtio_dev *dev = &con->vdev;
	struct virtq *q = &dev->vq[VIRTIO_CONSOLE_TX];
	int rc;

	while (virtio_dev_queue_live(dev, VIRTIO_CONSOLE_TX)) {
		uint64_t done = 0;

		rc = virtq_pop(q, &con->req);
		if (rc < 0)
			virtio_dev_fail(dev);
		if (rc <= 0)
			break;
		while (done < con->req.read_len) {
			int64_t n =
				virtq_req_copy_from(q, &con->req, done, con->buf, sizeof(con->buf));

			if (n <= 0)
				break;
			con->chr.write(con->chr.backend, con->buf, (size_t)n);
			done += (uint64_t)n;
		}
		if (virtq_push(q, con->req.head, 0) != 0)
			virtio_dev_fail(dev);
	}
	virtio_dev_used(dev, VIRTIO_CONSOLE_TX);
}

static void virtio_console_notify(struct virtio_dev *dev, unsigned queue)
{
	struct virtio_console *con = container_of(dev, struct virtio_console, vdev);

	spin_lock(&dev->lock);
	if (queue == VIRTIO_CONSOLE_TX)
		console_drain_tx(con);
	else
		console_fill_rx(con);
	spin_unlock(&dev->lock);
}

void virtio_console_poll(struct virtio_console *con)
{
	spin_lock(&con->vdev.lock);
	console_fill_rx(con);
	spin_unlock(&con->vdev.lock);
}

/* Without VIRTIO_CONSOLE_F_SIZE or MULTIPORT the fields read as zero. */
static void virtio_console_config_read(struct virtio_dev *dev, uint32_t offset, void *buf,
				       unsigned len)
{
	memset(buf, 0, len);
}

/* emerg_wr: the low byte of a write to it is one character of output (5.3.4). */
static void virtio_console_config_write(struct virtio_dev *dev, uint32_t offset, const void *buf,
					unsigned len)
{
	struct virtio_console *con = container_of(dev, struct virtio_console, vdev);

	if (offset == CFG_EMERG_WR)
		con->chr.write(con->chr.backend, buf, 1);
}

static const struct virtio_device_ops virtio_console_ops = {
	.device_id = VIRTIO_ID_CONSOLE,
	.config_size = VIRTIO_CONSOLE_CONFIG_SIZE,
	.config_read = virtio_console_config_read,
	.config_write = virtio_console_config_write,
	.queue_notify = virtio_console_notify,
};

void virtio_console_init(struct virtio_console *con, struct gpa_space *gpa,
			 const struct chardev *chr)
{
	con->chr = *chr;
	virtio_dev_init(&con->vdev, &virtio_console_ops, gpa, 2,
			1ull << VIRTIO_CONSOLE_F_EMERG_WRITE);
}
