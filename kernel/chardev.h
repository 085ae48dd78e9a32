/* SPDX-License-Identifier: MIT */
/*
 * A byte stream between a guest's console device (a UART, virtio-console) and the world outside:
 * polyrun's stdio or a file, the bare-metal console multiplexer. The device writes what the
 * guest sends; input is pulled by the device when the guest can take it (the board polls its
 * devices as time passes), so a chardev never calls into a device.
 */
#ifndef PV_KERNEL_CHARDEV_H
#define PV_KERNEL_CHARDEV_H

#include <stddef.h>
#include <stdint.h>

struct chardev {
	/* Bytes the guest sent; never blocks for long, may drop output when nobody listens. */
	void (*write)(void *backend, const uint8_t *buf, size_t len);
	/* Up to len bytes of waiting input; returns how many (0 when none). */
	size_t (*read)(void *backend, uint8_t *buf, size_t len);
	void *backend;
};

#endif
