// SPDX-License-Identifier: MIT
/* The network backend registry (see kernel/netdev.h). */
#include <stdint.h>
#include <string.h>

#include "kernel/netdev.h"
#include "lib/compiler.h"
#include "lib/errno.h"
#include "lib/fmt.h"
#include "lib/str.h"

/* Longer than any kind: a spec whose kind does not fit names no provider. */
#define NETDEV_KIND_MAX 32

static int netdev_hub_open(const char *arg, struct net_backend **out)
{
	struct net_hub_port *port;
	uint64_t id;
	int err;

	if (str_parse_u64(arg, strlen(arg), 10, &id) < 0 || id > NET_HUB_ID_MAX)
		return -EINVAL;
	err = net_hub_join((unsigned)id, &port);
	if (!err)
		*out = &port->be;
	return err;
}

static void netdev_hub_close(struct net_backend *be)
{
	net_hub_leave(container_of(be, struct net_hub_port, be));
}

static const struct netdev_provider netdev_hub = {
	.kind = "hub",
	.open = netdev_hub_open,
	.close = netdev_hub_close,
};

/* The hub first, always: a platform cannot take its kind. */
static const struct netdev_provider *providers[NETDEV_MAX_PROVIDERS] = { &netdev_hub };
static unsigned nproviders = 1;

static const struct netdev_provider *netdev_find(const char *kind)
{
	for (unsigned i = 0; i < nproviders; i++) {
		if (strcmp(providers[i]->kind, kind) == 0)
			return providers[i];
	}
	return NULL;
}

int netdev_provider_register(const struct netdev_provider *provider)
{
	if (!provider->kind || !provider->kind[0] || strlen(provider->kind) >= NETDEV_KIND_MAX ||
	    strchr(provider->kind, ':') || !provider->open || !provider->close)
		return -EINVAL;
	if (netdev_find(provider->kind))
		return -EEXIST;
	if (nproviders == NETDEV_MAX_PROVIDERS)
		return -ENOSPC;
	providers[nproviders++] = provider;
	return 0;
}

void netdev_provider_unregister(const struct netdev_provider *provider)
{
	/* From 1: the hub stays. */
	for (unsigned i = 1; i < nproviders; i++) {
		if (providers[i] == provider) {
			providers[i] = providers[--nproviders];
			return;
		}
	}
}

/* "hub, tap": the kinds this build can open, for messages. */
static void netdev_known(char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < nproviders && len < size; i++) {
		int n = fmt_snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
				     providers[i]->kind);

		if (n < 0)
			break;
		len += (size_t)n;
	}
}

int netdev_open(const char *spec, struct netdev *out, char *msg, size_t msg_size)
{
	const char *colon = strchr(spec, ':');
	char kind[NETDEV_KIND_MAX];
	char known[NETDEV_MAX_PROVIDERS * NETDEV_KIND_MAX];
	const struct netdev_provider *provider;
	int err;

	*out = (struct netdev){ 0 };
	if (!colon || colon == spec || !colon[1]) {
		fmt_snprintf(msg, msg_size, "expected KIND:ARG, such as hub:0 or tap:tap0");
		return -EINVAL;
	}
	provider = str_copy_span(kind, sizeof(kind), spec, (size_t)(colon - spec)) == 0 ?
			   netdev_find(kind) :
			   NULL;
	if (!provider) {
		netdev_known(known, sizeof(known));
		fmt_snprintf(msg, msg_size, "this build has no '%.*s' backend (it has: %s)",
			     (int)(colon - spec), spec, known);
		return -ENOTSUP;
	}
	err = provider->open(colon + 1, &out->be);
	if (err < 0) {
		fmt_snprintf(msg, msg_size, "cannot open: %s", pv_strerror(err));
		return err;
	}
	out->provider = provider;
	return 0;
}

void netdev_close(struct netdev *netdev)
{
	if (netdev->be)
		netdev->provider->close(netdev->be);
	*netdev = (struct netdev){ 0 };
}
