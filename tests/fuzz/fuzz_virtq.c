// SPDX-License-Identifier: MIT
/*
 * A hostile driver against every VirtIO device through the virtio-mmio transport: blk, net,
 * console and rng, each behind its own register window over 64 KiB of guest RAM. The input is a
 * program of driver actions: write bytes or descriptors anywhere in RAM, read and write any
 * register at any size, bring a device up with chosen features and ring addresses, notify a
 * queue, hand the NIC and the console input. Nothing a driver does may make a device touch host
 * memory outside guest RAM, hang or crash; rings, descriptors and lengths are the driver's to
 * break.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kernel/chardev.h"
#include "kernel/irq.h"
#include "kernel/net_hub.h"
#include "lib/plat.h"
#include "mmu/gpa.h"
#include "virtio/blk.h"
#include "virtio/console.h"
#include "virtio/mmio.h"
#include "virtio/net.h"
#include "virtio/rng.h"
#include "virtio/virtio.h"
#include "fuzz.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE 0x10000ull
#define MMIO_BASE 0x10001000ull
#define MMIO_STRIDE 0x1000ull
#define DISK_SECTORS 16u
#define NDEVS 4u
#define MAX_ACTIONS 64u

/* virtio-mmio registers (VirtIO 1.2, 4.2.2) the bring-up writes. */
#define REG_DRIVER_FEATURES 0x020
#define REG_DRIVER_FEATURES_SEL 0x024
#define REG_QUEUE_SEL 0x030
#define REG_QUEUE_NUM 0x038
#define REG_QUEUE_READY 0x044
#define REG_QUEUE_NOTIFY 0x050
#define REG_INTERRUPT_STATUS 0x060
#define REG_INTERRUPT_ACK 0x064
#define REG_STATUS 0x070
#define REG_QUEUE_DESC_LOW 0x080
#define REG_QUEUE_DESC_HIGH 0x084
#define REG_QUEUE_DRIVER_LOW 0x090
#define REG_QUEUE_DRIVER_HIGH 0x094
#define REG_QUEUE_DEVICE_LOW 0x0a0
#define REG_QUEUE_DEVICE_HIGH 0x0a4

enum action {
	ACT_POKE, /* bytes into RAM */
	ACT_DESC, /* one descriptor into RAM, its address near RAM or anywhere */
	ACT_REG_WRITE,
	ACT_REG_READ,
	ACT_BRING_UP, /* the whole 3.1.1 sequence with chosen features and rings */
	ACT_NOTIFY,
	ACT_NET_FRAME, /* a frame waits for the NIC's receive queue */
	ACT_CONSOLE_INPUT, /* bytes wait on the console */
	ACT_POLL,
	ACT_COUNT
};

struct bench {
	struct gpa_space *gpa;
	uint8_t *ram;
	struct plat_file *disk;
	struct virtio_blk blk;
	struct virtio_net net;
	struct virtio_console con;
	struct virtio_rng rng;
	struct net_backend backend;
	struct virtio_mmio mmio[NDEVS];
	uint8_t frame[NET_FRAME_MAX + 64];
	size_t frame_len;
	uint8_t input[256];
	size_t input_len, input_pos;
};

static struct bench bench;

static void frame_send(struct net_backend *be, const uint8_t *frame, size_t len)
{
}

static size_t frame_receive(struct net_backend *be, uint8_t *buf, size_t len)
{
	size_t n = bench.frame_len;

	bench.frame_len = 0;
	if (n > len)
		return 0;
	memcpy(buf, bench.frame, n);
	return n;
}

static void console_write_out(void *backend, const uint8_t *buf, size_t len)
{
}

static size_t console_read_in(void *backend, uint8_t *buf, size_t len)
{
	size_t n = bench.input_len - bench.input_pos;

	if (n > len)
		n = len;
	memcpy(buf, bench.input + bench.input_pos, n);
	bench.input_pos += n;
	return n;
}

static void irq_level(void *controller, unsigned irq, bool level)
{
}

/* The disk is a memfd: plat_file_open takes a path, and /proc names the descriptor. */
static struct plat_file *disk_create(void)
{
	static const uint8_t zeros[DISK_SECTORS * VIRTIO_BLK_SECTOR_SIZE];
	struct plat_file *file;
	char path[64];
	int fd = memfd_create("fuzz-disk", 0);

	if (fd < 0 || write(fd, zeros, sizeof(zeros)) != (ssize_t)sizeof(zeros))
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (plat_file_open(path, PLAT_FILE_READ | PLAT_FILE_WRITE, &file) < 0)
		abort();
	close(fd);
	return file;
}

static void bench_create(void)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	struct chardev chr = { console_write_out, console_read_in, NULL };
	struct irq_line line = { irq_level, NULL, 1 };
	struct virtio_dev *devs[NDEVS];
	unsigned i;

	fuzz_quiet();
	bench.gpa = gpa_space_create();
	if (!bench.gpa || gpa_add_ram(bench.gpa, RAM_BASE, RAM_SIZE, "ram") < 0)
		abort();
	bench.ram = gpa_ram_ptr(bench.gpa, RAM_BASE, RAM_SIZE);
	bench.disk = disk_create();
	if (!bench.ram || virtio_blk_init(&bench.blk, bench.gpa, bench.disk, false, "fuzz") < 0)
		abort();
	bench.backend.send = frame_send;
	bench.backend.receive = frame_receive;
	virtio_net_init(&bench.net, bench.gpa, &bench.backend, mac);
	virtio_console_init(&bench.con, bench.gpa, &chr);
	virtio_rng_init(&bench.rng, bench.gpa);
	devs[0] = &bench.blk.vdev;
	devs[1] = &bench.net.vdev;
	devs[2] = &bench.con.vdev;
	devs[3] = &bench.rng.vdev;
	for (i = 0; i < NDEVS; i++) {
		virtio_mmio_init(&bench.mmio[i], devs[i], &line);
		if (virtio_mmio_map(&bench.mmio[i], bench.gpa, MMIO_BASE + i * MMIO_STRIDE,
				    "virtio") < 0)
			abort();
	}
}

/* Register accesses the transport refuses are the driver's mistake, not a failure. */
static void reg_write(unsigned dev, uint64_t reg, unsigned size, uint64_t value)
{
	gpa_access_write(bench.gpa, MMIO_BASE + dev * MMIO_STRIDE + reg, size, value);
}

static uint64_t reg_read(unsigned dev, uint64_t reg, unsigned size)
{
	uint64_t value = 0;

	gpa_access_read(bench.gpa, MMIO_BASE + dev * MMIO_STRIDE + reg, size, &value);
	return value;
}

/* Mostly inside RAM (where rings that work are), sometimes anything at all. */
static uint64_t guest_addr(struct fuzz_input *in)
{
	uint8_t how = fuzz_u8(in);

	if (how & 1)
		return fuzz_u64(in);
	return RAM_BASE + (fuzz_u16(in) & ~(how & 2 ? 0ull : 15ull));
}

static void bring_up(unsigned dev, struct fuzz_input *in)
{
	uint64_t features = fuzz_u64(in);
	unsigned nqueues = fuzz_u8(in) % (VIRTIO_QUEUES_MAX + 1), q;

	reg_write(dev, REG_STATUS, 4, 0);
	reg_write(dev, REG_STATUS, 4, VIRTIO_STATUS_ACKNOWLEDGE);
	reg_write(dev, REG_STATUS, 4, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	reg_write(dev, REG_DRIVER_FEATURES_SEL, 4, 0);
	reg_write(dev, REG_DRIVER_FEATURES, 4, (uint32_t)features);
	reg_write(dev, REG_DRIVER_FEATURES_SEL, 4, 1);
	reg_write(dev, REG_DRIVER_FEATURES, 4, (uint32_t)(features >> 32));
	reg_write(dev, REG_STATUS, 4,
		  VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	for (q = 0; q < nqueues; q++) {
		uint64_t desc = guest_addr(in), avail = guest_addr(in), used = guest_addr(in);

		reg_write(dev, REG_QUEUE_SEL, 4, q);
		reg_write(dev, REG_QUEUE_NUM, 4, fuzz_u16(in));
		reg_write(dev, REG_QUEUE_DESC_LOW, 4, (uint32_t)desc);
		reg_write(dev, REG_QUEUE_DESC_HIGH, 4, (uint32_t)(desc >> 32));
		reg_write(dev, REG_QUEUE_DRIVER_LOW, 4, (uint32_t)avail);
		reg_write(dev, REG_QUEUE_DRIVER_HIGH, 4, (uint32_t)(avail >> 32));
		reg_write(dev, REG_QUEUE_DEVICE_LOW, 4, (uint32_t)used);
		reg_write(dev, REG_QUEUE_DEVICE_HIGH, 4, (uint32_t)(used >> 32));
		reg_write(dev, REG_QUEUE_READY, 4, 1);
	}
	reg_write(dev, REG_STATUS, 4,
		  VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
			  VIRTIO_STATUS_DRIVER_OK);
}

static void poll_devices(void)
{
	virtio_net_poll(&bench.net);
	virtio_console_poll(&bench.con);
}

static void act(struct fuzz_input *in)
{
	static const unsigned sizes[] = { 1, 2, 4, 8 };
	uint8_t op = fuzz_u8(in);
	unsigned dev = (op >> 4) % NDEVS;
	uint8_t desc[16];
	uint64_t addr;
	size_t len;

	switch (op % ACT_COUNT) {
	case ACT_POKE:
		addr = fuzz_u16(in);
		len = fuzz_u8(in);
		if (len > RAM_SIZE - addr)
			len = RAM_SIZE - addr;
		fuzz_bytes(in, bench.ram + addr, len);
		break;
	case ACT_DESC:
		addr = fuzz_u16(in) & (RAM_SIZE - 16);
		virtio_put_le64(desc, guest_addr(in));
		fuzz_bytes(in, desc + 8, 8);
		memcpy(bench.ram + addr, desc, sizeof(desc));
		break;
	case ACT_REG_WRITE:
		addr = fuzz_u16(in) % VIRTIO_MMIO_SIZE;
		reg_write(dev, addr, sizes[fuzz_u8(in) % 4], fuzz_u64(in));
		break;
	case ACT_REG_READ:
		addr = fuzz_u16(in) % VIRTIO_MMIO_SIZE;
		reg_read(dev, addr, sizes[fuzz_u8(in) % 4]);
		break;
	case ACT_BRING_UP:
		bring_up(dev, in);
		break;
	case ACT_NOTIFY:
		reg_write(dev, REG_QUEUE_NOTIFY, 4, fuzz_u8(in) % (VIRTIO_QUEUES_MAX + 1));
		reg_write(dev, REG_INTERRUPT_ACK, 4, reg_read(dev, REG_INTERRUPT_STATUS, 4));
		break;
	case ACT_NET_FRAME:
		bench.frame_len = fuzz_u16(in) % sizeof(bench.frame);
		fuzz_bytes(in, bench.frame, bench.frame_len);
		poll_devices();
		break;
	case ACT_CONSOLE_INPUT:
		bench.input_len = fuzz_u8(in);
		bench.input_pos = 0;
		fuzz_bytes(in, bench.input, bench.input_len);
		poll_devices();
		break;
	case ACT_POLL:
		poll_devices();
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	unsigned i;

	if (!bench.gpa)
		bench_create();
	/* Each input starts from devices just reset and RAM cleared. */
	for (i = 0; i < NDEVS; i++)
		reg_write(i, REG_STATUS, 4, 0);
	memset(bench.ram, 0, RAM_SIZE);
	bench.frame_len = 0;
	bench.input_len = bench.input_pos = 0;
	for (i = 0; i < MAX_ACTIONS && !fuzz_empty(&in); i++)
		act(&in);
	return 0;
}
