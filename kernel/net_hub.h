/* SPDX-License-Identifier: MIT */
/*
 * Networks outside a guest's NIC. A struct net_backend is what a NIC (virtio/net.c) talks to:
 * it sends frames out through it, and gets frames back either pushed (the backend calls deliver)
 * or pulled (the board polls, the NIC calls receive). Two kinds exist: the hub here, a switch
 * inside the hypervisor that joins NICs of one or several VMs (QEMU's hubs: every frame goes to
 * every other port), and polyrun's TAP (tools/polyrun/tap.c), a host network interface.
 *
 * Frames are whole Ethernet frames, without any virtio header.
 */
#ifndef PV_KERNEL_NET_HUB_H
#define PV_KERNEL_NET_HUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/list.h"

/* The largest frame any backend carries: a VLAN-tagged 1500-byte MTU frame, without its FCS. */
#define NET_FRAME_MAX 1518u

struct net_backend {
	/* Sends one frame out; a backend that cannot take it drops it, as a wire would. */
	void (*send)(struct net_backend *be, const uint8_t *frame, size_t len);
	/*
	 * Pull backends: the next waiting frame copied into buf, its length, or 0 when none waits
	 * (frames longer than len are dropped). NULL for push backends.
	 */
	size_t (*receive)(struct net_backend *be, uint8_t *buf, size_t len);
	/* Push backends call this, set by the NIC when it attaches, for each frame that arrives. */
	void (*deliver)(void *nic, const uint8_t *frame, size_t len);
	void *nic;
};

#define NET_HUB_ID_MAX 65535u

struct net_hub;

struct net_hub_port {
	struct net_backend be;
	struct net_hub *hub;
	struct list_head link;
};

/*
 * A new port on hub number id (0..NET_HUB_ID_MAX), made when its first port joins; the port's
 * `be` is what the NIC attaches to. Returns 0, -EINVAL for a bad id, -ENOMEM.
 */
int net_hub_join(unsigned id, struct net_hub_port **out);
/* Takes the port off its hub (the hub goes with its last port) and frees it. */
void net_hub_leave(struct net_hub_port *port);

#endif
