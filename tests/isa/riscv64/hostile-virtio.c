// SPDX-License-Identifier: MIT
/*
 * A bare-metal guest for the riscv64 virt board (-bios none) that drives the virtio-blk device in
 * slot 0 like a hostile driver: each case sets the queue up properly, then offers one chain or
 * ring index that breaks a rule of the specification, and expects the device to refuse it
 * (DEVICE_NEEDS_RESET, or an error status) without touching anything outside guest RAM. After
 * every case the driver resets the device and reads sector 0 properly, which must still work.
 *
 * Prints one "HOSTILE <case> refused" line per case on the UART, then "HOSTILE-VIRTIO-OK", and
 * powers off through the SiFive test finisher; a case the device accepts ends with the finisher's
 * FAIL and the case's number as the exit code. Built by tests/integration/linux-riscv64-hostile-
 * virtio.sh with tests/isa/riscv64/link.ld (code at 0x80000000).
 */
#include <stdint.h>

#define UART_THR 0x10000000ul
#define FINISHER 0x100000ul
#define FINISHER_PASS 0x5555u
#define FINISHER_FAIL 0x3333u
#define VIRTIO_BASE 0x10001000ul

/* virtio-mmio registers (VirtIO 1.2, 4.2.2). */
enum {
	MMIO_MAGIC = 0x000,
	MMIO_DEVICE_ID = 0x008,
	MMIO_DEVICE_FEATURES = 0x010,
	MMIO_DEVICE_FEATURES_SEL = 0x014,
	MMIO_DRIVER_FEATURES = 0x020,
	MMIO_DRIVER_FEATURES_SEL = 0x024,
	MMIO_QUEUE_SEL = 0x030,
	MMIO_QUEUE_NUM_MAX = 0x034,
	MMIO_QUEUE_NUM = 0x038,
	MMIO_QUEUE_READY = 0x044,
	MMIO_QUEUE_NOTIFY = 0x050,
	MMIO_STATUS = 0x070,
	MMIO_QUEUE_DESC = 0x080,
	MMIO_QUEUE_DRIVER = 0x090,
	MMIO_QUEUE_DEVICE = 0x0a0,
};

enum {
	STATUS_ACK = 1,
	STATUS_DRIVER = 2,
	STATUS_DRIVER_OK = 4,
	STATUS_FEATURES_OK = 8,
	STATUS_NEEDS_RESET = 0x40,
};

#define DESC_NEXT 1u
#define DESC_WRITE 2u
#define QSIZE 8u
#define SECTOR 512u

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[QSIZE];
	uint16_t used_event;
};

struct used {
	uint16_t flags;
	uint16_t idx;
	struct {
		uint32_t id;
		uint32_t len;
	} ring[QSIZE];
	uint16_t avail_event;
};

struct blk_header {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

static struct desc desc_table[QSIZE] __attribute__((aligned(16)));
static struct avail avail_ring __attribute__((aligned(2)));
static struct used used_ring __attribute__((aligned(4)));
static struct blk_header header;
static uint8_t data[SECTOR];
static volatile uint8_t status_byte;
uint8_t stack[4096] __attribute__((aligned(16)));

/* The entry: a stack, then main; the program never returns. */
__asm__(".section .text.init, \"ax\"\n"
	".global _start\n"
	"_start:\n"
	"	la sp, stack + 4096\n"
	"	call main\n"
	"1:	j 1b\n");

static uint32_t reg_read(unsigned offset)
{
	return *(volatile uint32_t *)(VIRTIO_BASE + offset);
}

static void reg_write(unsigned offset, uint32_t value)
{
	*(volatile uint32_t *)(VIRTIO_BASE + offset) = value;
}

static void reg_write64(unsigned offset, uint64_t value)
{
	reg_write(offset, (uint32_t)value);
	reg_write(offset + 4, (uint32_t)(value >> 32));
}

static void puts_uart(const char *s)
{
	while (*s)
		*(volatile uint8_t *)UART_THR = (uint8_t)*s++;
}

static void finish(uint32_t code)
{
	*(volatile uint32_t *)FINISHER = code;
	for (;;)
		;
}

static void clear(void *p, unsigned long len)
{
	for (unsigned long i = 0; i < len; i++)
		((volatile uint8_t *)p)[i] = 0;
}

/* Resets the device and brings queue 0 up with empty rings: returns 0, or 1 when it refuses. */
static int device_setup(void)
{
	reg_write(MMIO_STATUS, 0);
	reg_write(MMIO_STATUS, STATUS_ACK);
	reg_write(MMIO_STATUS, STATUS_ACK | STATUS_DRIVER);
	reg_write(MMIO_DEVICE_FEATURES_SEL, 1);
	if (!(reg_read(MMIO_DEVICE_FEATURES) & 1)) /* VIRTIO_F_VERSION_1 */
		return 1;
	reg_write(MMIO_DRIVER_FEATURES_SEL, 1);
	reg_write(MMIO_DRIVER_FEATURES, 1);
	reg_write(MMIO_DRIVER_FEATURES_SEL, 0);
	reg_write(MMIO_DRIVER_FEATURES, 0);
	reg_write(MMIO_STATUS, STATUS_ACK | STATUS_DRIVER | STATUS_FEATURES_OK);
	if (!(reg_read(MMIO_STATUS) & STATUS_FEATURES_OK))
		return 1;
	clear(desc_table, sizeof(desc_table));
	clear(&avail_ring, sizeof(avail_ring));
	clear(&used_ring, sizeof(used_ring));
	reg_write(MMIO_QUEUE_SEL, 0);
	if (reg_read(MMIO_QUEUE_NUM_MAX) < QSIZE)
		return 1;
	reg_write(MMIO_QUEUE_NUM, QSIZE);
	reg_write64(MMIO_QUEUE_DESC, (uint64_t)(uintptr_t)desc_table);
	reg_write64(MMIO_QUEUE_DRIVER, (uint64_t)(uintptr_t)&avail_ring);
	reg_write64(MMIO_QUEUE_DEVICE, (uint64_t)(uintptr_t)&used_ring);
	reg_write(MMIO_QUEUE_READY, 1);
	reg_write(MMIO_STATUS, STATUS_ACK | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
	return 0;
}

/* A proper read of sector 0: header, data buffer, status byte. */
static void build_read(void)
{
	header = (struct blk_header){ .type = 0, .sector = 0 };
	desc_table[0] = (struct desc){ (uintptr_t)&header, sizeof(header), DESC_NEXT, 1 };
	desc_table[1] = (struct desc){ (uintptr_t)data, SECTOR, DESC_NEXT | DESC_WRITE, 2 };
	desc_table[2] = (struct desc){ (uintptr_t)&status_byte, 1, DESC_WRITE, 0 };
	status_byte = 0xff;
}

/* Offers head as the next available chain (avail.idx moves by step) and notifies queue 0. */
static void offer(uint16_t head, uint16_t step)
{
	avail_ring.ring[avail_ring.idx % QSIZE] = head;
	__asm__ volatile("fence rw, rw" ::: "memory");
	avail_ring.idx = (uint16_t)(avail_ring.idx + step);
	__asm__ volatile("fence rw, rw" ::: "memory");
	reg_write(MMIO_QUEUE_NOTIFY, 0);
	__asm__ volatile("fence rw, rw" ::: "memory");
}

/* The device completed the chain successfully: the one outcome a hostile chain must not have. */
static int accepted(void)
{
	if (reg_read(MMIO_STATUS) & STATUS_NEEDS_RESET)
		return 0;
	return *(volatile uint16_t *)&used_ring.idx != 0 && status_byte == 0;
}

static void case_outside_ram(void)
{
	desc_table[0].addr = 0x40000000; /* nothing is mapped there on virt */
}

static void case_mmio_buffer(void)
{
	desc_table[1].addr = UART_THR; /* a device-writable buffer over the UART */
}

static void case_loop(void)
{
	desc_table[2].flags |= DESC_NEXT;
	desc_table[2].next = 0;
}

static void case_wrong_direction(void)
{
	desc_table[0].flags |= DESC_WRITE; /* the request header must be device-readable */
	desc_table[1].flags &= (uint16_t)~DESC_WRITE;
	desc_table[2].flags &= (uint16_t)~DESC_WRITE;
}

static void case_wrapping_address(void)
{
	desc_table[1].addr = 0xfffffffffffff000ull;
	desc_table[1].len = 0x2000;
}

/* A data buffer of almost 4 GiB that starts in RAM: far more than the guest has. */
static void case_giant_length(void)
{
	desc_table[1].len = 0xfffffff0u;
}

static void case_next_out_of_table(void)
{
	desc_table[1].next = 200;
}

struct hostile_case {
	const char *name;
	void (*corrupt)(void);
	uint16_t head; /* the chain offered */
	uint16_t step; /* how far avail.idx moves */
};

static const struct hostile_case cases[] = {
	{ "outside-ram", case_outside_ram, 0, 1 },
	{ "mmio-buffer", case_mmio_buffer, 0, 1 },
	{ "loop", case_loop, 0, 1 },
	{ "wrong-direction", case_wrong_direction, 0, 1 },
	{ "wrapping-address", case_wrapping_address, 0, 1 },
	{ "giant-length", case_giant_length, 0, 1 },
	{ "next-out-of-table", case_next_out_of_table, 0, 1 },
	{ "head-out-of-table", 0, 200, 1 },
	{ "avail-index-jump", 0, 0, 100 },
};

/* Sector 0 read properly must hold what the host wrote there. */
static int read_works(void)
{
	static const char pattern[] = "POLYVISOR-HOSTILE-DISK";

	if (device_setup())
		return 0;
	build_read();
	for (unsigned i = 0; i < SECTOR; i++)
		data[i] = 0;
	offer(0, 1);
	if (*(volatile uint16_t *)&used_ring.idx != 1 || status_byte != 0)
		return 0;
	for (unsigned i = 0; i < sizeof(pattern) - 1; i++) {
		if (data[i] != (uint8_t)pattern[i])
			return 0;
	}
	return 1;
}

int main(void)
{
	if (reg_read(MMIO_MAGIC) != 0x74726976 || reg_read(MMIO_DEVICE_ID) != 2) {
		puts_uart("HOSTILE no virtio-blk in slot 0\n");
		finish(FINISHER_FAIL | (100u << 16));
	}
	if (!read_works()) {
		puts_uart("HOSTILE a proper read failed\n");
		finish(FINISHER_FAIL | (101u << 16));
	}
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (device_setup()) {
			puts_uart("HOSTILE setup failed\n");
			finish(FINISHER_FAIL | ((102u + i) << 16));
		}
		build_read();
		if (cases[i].corrupt)
			cases[i].corrupt();
		offer(cases[i].head, cases[i].step);
		puts_uart("HOSTILE ");
		puts_uart(cases[i].name);
		if (accepted()) {
			puts_uart(" accepted\n");
			finish(FINISHER_FAIL | ((i + 1) << 16));
		}
		puts_uart(" refused\n");
		if (!read_works()) {
			puts_uart("HOSTILE the device did not recover\n");
			finish(FINISHER_FAIL | ((i + 1) << 16));
		}
	}
	puts_uart("HOSTILE-VIRTIO-OK\n");
	finish(FINISHER_PASS);
	return 0;
}
