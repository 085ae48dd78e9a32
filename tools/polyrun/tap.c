// SPDX-License-Identifier: MIT
/*
 * TAP backend for virtio-net in polyrun. The descriptor is non-blocking: the NIC pulls frames
 * only while the guest has receive buffers, and a send the host cannot take right away is
 * dropped, as a busy wire would.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lib/compiler.h"
#include "lib/errno.h"
#include "tools/polyrun/tap.h"

/* Room for any frame the host may queue, so that an oversized one is read whole and dropped. */
#define TAP_READ_MAX 65536u

struct tap {
	struct net_backend be;
	int fd;
	uint8_t scratch[TAP_READ_MAX];
};

static void tap_send(struct net_backend *be, const uint8_t *frame, size_t len)
{
	struct tap *tap = container_of(be, struct tap, be);
	ssize_t n;

	do
		n = write(tap->fd, frame, len);
	while (n < 0 && errno == EINTR);
}

static size_t tap_receive(struct net_backend *be, uint8_t *buf, size_t len)
{
	struct tap *tap = container_of(be, struct tap, be);

	for (;;) {
		ssize_t n = read(tap->fd, tap->scratch, sizeof(tap->scratch));

		if (n < 0 && errno == EINTR)
			continue;
		/* EAGAIN and errors alike: nothing to deliver now. */
		if (n <= 0)
			return 0;
		if ((size_t)n <= len) {
			memcpy(buf, tap->scratch, (size_t)n);
			return (size_t)n;
		}
	}
}

int tap_attach_fd(int fd, struct net_backend **out)
{
	struct tap *tap;
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return -errno;
	tap = calloc(1, sizeof(*tap));
	if (!tap)
		return -ENOMEM;
	tap->fd = fd;
	tap->be.send = tap_send;
	tap->be.receive = tap_receive;
	*out = &tap->be;
	return 0;
}

int tap_open(const char *ifname, struct net_backend **out)
{
	struct ifreq ifr;
	int fd, rc;

	if (!ifname[0] || strlen(ifname) >= sizeof(ifr.ifr_name))
		return -EINVAL;
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	/* Whole Ethernet frames, without the packet-information prefix or a vnet header. */
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	memcpy(ifr.ifr_name, ifname, strlen(ifname));
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	rc = tap_attach_fd(fd, out);
	if (rc)
		close(fd);
	return rc;
}

void tap_close(struct net_backend *be)
{
	struct tap *tap = container_of(be, struct tap, be);

	close(tap->fd);
	free(tap);
}

const struct netdev_provider tap_netdev_provider = {
	.kind = "tap",
	.open = tap_open,
	.close = tap_close,
};
