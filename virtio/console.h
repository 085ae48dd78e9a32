/* SPDX-License-Identifier: MIT */
/*
 * virtio-console with a single port (VirtIO 1.2, 5.3): receiveq 0 carries input to the guest,
 * transmitq 1 output from it, both through a struct chardev. Input is pulled: the board calls
 * virtio_console_poll as time passes, and the device takes bytes only when the guest has posted
 * buffers for them. VIRTIO_CONSOLE_F_EMERG_WRITE lets a driver write single bytes through the
 * config space before its queues exist (early console).
 */
#ifndef PV_VIRTIO_CONSOLE_H
#define PV_VIRTIO_CONSOLE_H

#include "kernel/chardev.h"
#include "virtio/virtio.h"

#define VIRTIO_CONSOLE_F_EMERG_WRITE 2
#define VIRTIO_CONSOLE_RX 0u
#define VIRTIO_CONSOLE_TX 1u
#define VIRTIO_CONSOLE_CONFIG_SIZE 12u

struct virtio_console {
	struct virtio_dev vdev;
	struct chardev chr;
	uint8_t buf[1024];
	struct virtq_req req;
};

/* A console in gpa over chr (copied). */
void virtio_console_init(struct virtio_console *con, struct gpa_space *gpa,
			 const struct chardev *chr);

/* Moves waiting input into the guest's receive buffers, as many as there are. */
void virtio_console_poll(struct virtio_console *con);

#endif
