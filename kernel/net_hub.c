// SPDX-License-Identifier: MIT
/*
 * The in-hypervisor Ethernet hub: a frame sent by one port is delivered to every other port of
 * the same hub, synchronously, into the receiving NICs' queues. Hubs are found by number and live
 * as long as they have ports. A sender holds only the hub's lock while it delivers (the NIC it
 * came from has dropped its own), so two NICs sending to each other cannot deadlock.
 */
#include "kernel/net_hub.h"
#include "lib/errno.h"
#include "lib/plat.h"
#include "lib/spinlock.h"

struct net_hub {
	unsigned id;
	struct spinlock lock; /* guards ports and serializes deliveries */
	struct list_head ports;
	struct list_head link; /* in net_hubs */
};

static struct list_head net_hubs = LIST_HEAD_INIT(net_hubs);
static struct spinlock net_hubs_lock = SPINLOCK_INIT;

static void net_hub_send(struct net_backend *be, const uint8_t *frame, size_t len)
{
	struct net_hub_port *from = container_of(be, struct net_hub_port, be);
	struct net_hub *hub = from->hub;
	struct list_head *pos;

	spin_lock(&hub->lock);
	list_for_each(pos, &hub->ports) {
		struct net_hub_port *to = container_of(pos, struct net_hub_port, link);

		if (to != from && to->be.deliver)
			to->be.deliver(to->be.nic, frame, len);
	}
	spin_unlock(&hub->lock);
}

static struct net_hub *find_hub(unsigned id)
{
	struct list_head *pos;

	list_for_each(pos, &net_hubs) {
		struct net_hub *hub = container_of(pos, struct net_hub, link);

		if (hub->id == id)
			return hub;
	}
	return NULL;
}

int net_hub_join(unsigned id, struct net_hub_port **out)
{
	struct net_hub_port *port;
	struct net_hub *hub;

	if (id > NET_HUB_ID_MAX)
		return -EINVAL;
	port = plat_alloc(sizeof(*port));
	if (!port)
		return -ENOMEM;
	spin_lock(&net_hubs_lock);
	hub = find_hub(id);
	if (!hub) {
		hub = plat_alloc(sizeof(*hub));
		if (!hub) {
			spin_unlock(&net_hubs_lock);
			plat_free(port);
			return -ENOMEM;
		}
		hub->id = id;
		spin_lock_init(&hub->lock);
		list_init(&hub->ports);
		list_add_tail(&hub->link, &net_hubs);
	}
	port->be.send = net_hub_send;
	port->hub = hub;
	spin_lock(&hub->lock);
	list_add_tail(&port->link, &hub->ports);
	spin_unlock(&hub->lock);
	spin_unlock(&net_hubs_lock);
	*out = port;
	return 0;
}

void net_hub_leave(struct net_hub_port *port)
{
	struct net_hub *hub = port->hub;
	bool last;

	spin_lock(&net_hubs_lock);
	spin_lock(&hub->lock);
	list_del(&port->link);
	last = list_empty(&hub->ports);
	spin_unlock(&hub->lock);
	if (last)
		list_del(&hub->link);
	spin_unlock(&net_hubs_lock);
	if (last)
		plat_free(hub);
	plat_free(port);
}
