/* SPDX-License-Identifier: MIT */
/*
 * Network backends by name: a board opens the backend a vm_net_config names ("hub:ID",
 * "tap:IFNAME") here, without knowing who provides it. The hub (kernel/net_hub.h) is always
 * there; a platform registers the kinds only it has at start-up (polyrun: "tap"), so a build
 * without them refuses such a VM with a message instead of a link error.
 */
#ifndef PV_KERNEL_NETDEV_H
#define PV_KERNEL_NETDEV_H

#include <stddef.h>

#include "kernel/net_hub.h"

#define NETDEV_MAX_PROVIDERS 8
#define NETDEV_ERROR_MAX 160

struct netdev_provider {
	const char *kind; /* the part of "KIND:ARG" before the colon */
	/* Opens the backend for ARG; returns 0 or a negative errno. */
	int (*open)(const char *arg, struct net_backend **out);
	/* Closes and frees what open returned. */
	void (*close)(struct net_backend *be);
};

/* An open backend and the provider that closes it. */
struct netdev {
	struct net_backend *be;
	const struct netdev_provider *provider;
};

/*
 * Adds a provider, at start-up on one CPU like board_register. Returns 0, -EINVAL for one without
 * a kind or hooks, -EEXIST when the kind is taken ("hub" always is), -ENOSPC past
 * NETDEV_MAX_PROVIDERS.
 */
int netdev_provider_register(const struct netdev_provider *provider);
/* Removes a provider; harmless if it is not registered. */
void netdev_provider_unregister(const struct netdev_provider *provider);

/*
 * Opens the backend spec names ("KIND:ARG"). Returns 0 with *out filled, or a negative errno with
 * msg saying why: -EINVAL for a spec without a kind or argument, -ENOTSUP when no provider has
 * the kind (msg lists those that exist), else the provider's error.
 */
int netdev_open(const char *spec, struct netdev *out, char *msg, size_t msg_size);
/* Closes an open backend; harmless on one that never opened (be NULL). */
void netdev_close(struct netdev *netdev);

#endif
