/* SPDX-License-Identifier: MIT */
/*
 * A byte stream between a guest's console device (a UART, virtio-console) and the world outside:
 * polyrun's stdio or a file, the bare-metal console multiplexer. The device writes what the
 * guest sends; input is pulled by the device when the guest can take it (the board polls its
 * devices as time passes), so a chardev never calls into a device.
 */
#ifndef PV_KERNEL_CHARDEV_H
#define PV_KERNEL_CHARDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct chardev {
	/* Bytes the guest sent; never blocks for long, may drop output when nobody listens. */
	void (*write)(void *backend, const uint8_t *buf, size_t len);
	/* Up to len bytes of waiting input; returns how many (0 when none). */
	size_t (*read)(void *backend, uint8_t *buf, size_t len);
	void *backend;
};

/*
 * The chardev a vm_config's serial names, QEMU's -serial values, for the VM called owner:
 *   "" or "stdio"  the console, through the multiplexer (kernel/console_mux.h) that shares it
 *                  between VMs: polyrun's stdout and stdin, bare metal's serial line
 *   "none"         output discarded, no input
 *   "file:PATH"    output written to PATH, created or truncated now; no input
 * With input false the device only writes (another device carries the console's input).
 * Returns 0, -EINVAL for any other spec, -ENOSPC when the console has no room for another VM, or
 * the platform's error creating the file (-ENOTSUP where files cannot be created).
 */
int chardev_open(const char *spec, const char *owner, bool input, struct chardev *out);
/* Releases what chardev_open made; the chardev then writes nowhere and reads nothing. */
void chardev_close(struct chardev *chr);

#endif
