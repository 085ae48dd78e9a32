/* SPDX-License-Identifier: MIT */
/*
 * A host TAP interface as a struct net_backend (kernel/net_hub.h): frames the guest sends are
 * written to the interface, frames the host sends are read when the NIC polls (a pull backend).
 */
#ifndef PV_TOOLS_POLYRUN_TAP_H
#define PV_TOOLS_POLYRUN_TAP_H

#include "kernel/net_hub.h"
#include "kernel/netdev.h"

/*
 * Attaches to the existing TAP interface ifname through /dev/net/tun (the interface is made and
 * configured by the user, with the rights that takes: `ip tuntap add NAME mode tap`). Returns 0,
 * -EINVAL for a bad name, or the host's errno (-EPERM, -ENOENT...).
 */
int tap_open(const char *ifname, struct net_backend **out);

/*
 * The same backend over fd, any descriptor that keeps frame boundaries (a TAP queue, one end of
 * a SOCK_SEQPACKET pair in tests); the backend owns fd from then on. Returns 0 or -errno.
 */
int tap_attach_fd(int fd, struct net_backend **out);

/* Closes the interface (or fd) and frees the backend. */
void tap_close(struct net_backend *be);

/* "tap:IFNAME" for kernel/netdev.h: tap_open and tap_close, registered by polyrun's main. */
extern const struct netdev_provider tap_netdev_provider;

#endif
