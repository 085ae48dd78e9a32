/* SPDX-License-Identifier: MIT */
/*
 * The runtime of the bare-metal C programs for the riscv64 virt board (tests/isa/riscv64/virt-*.c,
 * run with -M virt -bios none, so they start at 0x80000000 in M mode): the entry, the UART, the
 * SiFive test finisher, a trap handler that records every exception and resumes where the
 * program asked, so a program can provoke faults and check mcause, mtval and mepc, and a minimal
 * virtio-mmio driver (one split queue) with virtio-blk's request format.
 *
 * A program defines main and on_interrupt (called for each interrupt with mcause). It reports on
 * the UART and ends with pass() or fail(code), the finisher's PASS or FAIL: polyrun then exits
 * with 0, or with 1 after printing "test <code> failed" (QEMU exits with the code itself).
 */
#ifndef ISA_RISCV64_VIRT_H
#define ISA_RISCV64_VIRT_H

#include <stdint.h>

#define VIRT_ROM 0x1000ul
#define VIRT_FINISHER 0x100000ul
#define VIRT_CLINT 0x2000000ul
#define VIRT_PLIC 0xc000000ul
#define VIRT_UART 0x10000000ul
#define VIRT_VIRTIO 0x10001000ul

#define CAUSE_FETCH_ACCESS 1u
#define CAUSE_ILLEGAL 2u
#define CAUSE_LOAD_ACCESS 5u
#define CAUSE_STORE_ACCESS 7u
#define IRQ_M_SOFT ((1ul << 63) | 3u)

#define MSTATUS_MIE (1ul << 3)
#define MIE_MSIE (1ul << 3)

/* What the last exception recorded; cause is -1 until one happens. */
struct trap_record {
	uint64_t cause, tval, epc, count;
};

volatile struct trap_record trap_record = { (uint64_t)-1, 0, 0, 0 };
/* Where the next exception resumes; 0: an exception nobody expected, which fails the program. */
volatile uint64_t trap_resume;
uint8_t virt_stack[8192] __attribute__((aligned(16)));

int main(void);
void on_interrupt(uint64_t cause);
uint64_t virt_trap(uint64_t cause, uint64_t tval, uint64_t epc);

/*
 * The entry and the trap vector. The vector saves the registers C may clobber on the stack the
 * program was using (everything runs in M mode on one stack), calls virt_trap, and returns to
 * the address it gives.
 */
__asm__(".section .text.init, \"ax\"\n"
	".global _start\n"
	"_start:\n"
	"	la sp, virt_stack + 8192\n"
	"	la t0, virt_trap_vector\n"
	"	csrw mtvec, t0\n"
	"	call main\n"
	"1:	j 1b\n"
	".align 2\n"
	"virt_trap_vector:\n"
	"	addi sp, sp, -128\n"
	"	sd ra, 0(sp)\n"
	"	sd t0, 8(sp)\n"
	"	sd t1, 16(sp)\n"
	"	sd t2, 24(sp)\n"
	"	sd t3, 32(sp)\n"
	"	sd t4, 40(sp)\n"
	"	sd t5, 48(sp)\n"
	"	sd t6, 56(sp)\n"
	"	sd a0, 64(sp)\n"
	"	sd a1, 72(sp)\n"
	"	sd a2, 80(sp)\n"
	"	sd a3, 88(sp)\n"
	"	sd a4, 96(sp)\n"
	"	sd a5, 104(sp)\n"
	"	sd a6, 112(sp)\n"
	"	sd a7, 120(sp)\n"
	"	csrr a0, mcause\n"
	"	csrr a1, mtval\n"
	"	csrr a2, mepc\n"
	"	call virt_trap\n"
	"	csrw mepc, a0\n"
	"	ld ra, 0(sp)\n"
	"	ld t0, 8(sp)\n"
	"	ld t1, 16(sp)\n"
	"	ld t2, 24(sp)\n"
	"	ld t3, 32(sp)\n"
	"	ld t4, 40(sp)\n"
	"	ld t5, 48(sp)\n"
	"	ld t6, 56(sp)\n"
	"	ld a0, 64(sp)\n"
	"	ld a1, 72(sp)\n"
	"	ld a2, 80(sp)\n"
	"	ld a3, 88(sp)\n"
	"	ld a4, 96(sp)\n"
	"	ld a5, 104(sp)\n"
	"	ld a6, 112(sp)\n"
	"	ld a7, 120(sp)\n"
	"	addi sp, sp, 128\n"
	"	mret\n"
	".text\n");

static inline void mmio_write32(uint64_t addr, uint32_t value)
{
	*(volatile uint32_t *)addr = value;
}

static inline uint32_t mmio_read32(uint64_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void mmio_write8(uint64_t addr, uint8_t value)
{
	*(volatile uint8_t *)addr = value;
}

static inline uint8_t mmio_read8(uint64_t addr)
{
	return *(volatile uint8_t *)addr;
}

static inline void fence(void)
{
	__asm__ volatile("fence rw, rw" ::: "memory");
}

static inline void put_str(const char *s)
{
	while (*s)
		mmio_write8(VIRT_UART, (uint8_t)*s++);
}

static inline void put_hex(uint64_t value)
{
	char digits[19] = "0x";
	int n = 0;

	for (int shift = 60; shift >= 0; shift -= 4) {
		unsigned d = (unsigned)(value >> shift) & 15;

		if (d || n || shift == 0)
			digits[2 + n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
	}
	digits[2 + n] = '\0';
	put_str(digits);
}

static inline void put_dec(uint64_t value)
{
	char digits[21];
	int n = 20;

	digits[n] = '\0';
	do {
		digits[--n] = (char)('0' + value % 10);
		value /= 10;
	} while (value);
	put_str(digits + n);
}

static inline __attribute__((noreturn)) void pass(void)
{
	mmio_write32(VIRT_FINISHER, 0x5555);
	for (;;)
		;
}

static inline __attribute__((noreturn)) void fail(uint32_t code)
{
	mmio_write32(VIRT_FINISHER, 0x3333 | code << 16);
	for (;;)
		;
}

/* virtio-mmio (VirtIO 1.2, 4.2.2): the registers, and one split queue of VIRTQ_SIZE entries. */
#define VIRTIO_SLOT(n) (VIRT_VIRTIO + 0x1000ul * (n))
enum {
	VIRTIO_MAGIC = 0x000,
	VIRTIO_VERSION = 0x004,
	VIRTIO_DEVICE_ID = 0x008,
	VIRTIO_DEVICE_FEATURES = 0x010,
	VIRTIO_DEVICE_FEATURES_SEL = 0x014,
	VIRTIO_DRIVER_FEATURES = 0x020,
	VIRTIO_DRIVER_FEATURES_SEL = 0x024,
	VIRTIO_QUEUE_SEL = 0x030,
	VIRTIO_QUEUE_NUM_MAX = 0x034,
	VIRTIO_QUEUE_NUM = 0x038,
	VIRTIO_QUEUE_READY = 0x044,
	VIRTIO_QUEUE_NOTIFY = 0x050,
	VIRTIO_INTERRUPT_STATUS = 0x060,
	VIRTIO_INTERRUPT_ACK = 0x064,
	VIRTIO_STATUS = 0x070,
	VIRTIO_QUEUE_DESC = 0x080,
	VIRTIO_QUEUE_DRIVER = 0x090,
	VIRTIO_QUEUE_DEVICE = 0x0a0,
};

#define VIRTIO_STATUS_ACK 1u
#define VIRTIO_STATUS_DRIVER 2u
#define VIRTIO_STATUS_DRIVER_OK 4u
#define VIRTIO_STATUS_FEATURES_OK 8u
#define VIRTIO_STATUS_NEEDS_RESET 0x40u
#define VIRTIO_F_VERSION_1_HI 1u /* bit 32: bit 0 of feature word 1 */
#define VIRTQ_DESC_NEXT 1u
#define VIRTQ_DESC_WRITE 2u
#define VIRTQ_SIZE 8u

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq {
	struct virtq_desc desc[VIRTQ_SIZE] __attribute__((aligned(16)));
	struct {
		uint16_t flags, idx, ring[VIRTQ_SIZE], used_event;
	} avail __attribute__((aligned(2)));
	struct {
		uint16_t flags, idx;
		struct {
			uint32_t id, len;
		} ring[VIRTQ_SIZE];
		uint16_t avail_event;
	} used __attribute__((aligned(4)));
};

static inline uint32_t virtio_read(uint64_t slot, unsigned reg)
{
	return mmio_read32(slot + reg);
}

static inline void virtio_write(uint64_t slot, unsigned reg, uint32_t value)
{
	mmio_write32(slot + reg, value);
}

/*
 * Resets the device in slot, negotiates VIRTIO_F_VERSION_1 plus the low feature bits in want
 * (those the device offers), and brings queue 0 up on q. Returns the device's low feature word,
 * or sets *err when the device refuses a step.
 */
static inline uint32_t virtio_setup(uint64_t slot, struct virtq *q, uint32_t want, int *err)
{
	uint32_t offered;

	*err = 1;
	virtio_write(slot, VIRTIO_STATUS, 0);
	virtio_write(slot, VIRTIO_STATUS, VIRTIO_STATUS_ACK);
	virtio_write(slot, VIRTIO_STATUS, VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER);
	virtio_write(slot, VIRTIO_DEVICE_FEATURES_SEL, 1);
	if (!(virtio_read(slot, VIRTIO_DEVICE_FEATURES) & VIRTIO_F_VERSION_1_HI))
		return 0;
	virtio_write(slot, VIRTIO_DEVICE_FEATURES_SEL, 0);
	offered = virtio_read(slot, VIRTIO_DEVICE_FEATURES);
	virtio_write(slot, VIRTIO_DRIVER_FEATURES_SEL, 1);
	virtio_write(slot, VIRTIO_DRIVER_FEATURES, VIRTIO_F_VERSION_1_HI);
	virtio_write(slot, VIRTIO_DRIVER_FEATURES_SEL, 0);
	virtio_write(slot, VIRTIO_DRIVER_FEATURES, offered & want);
	virtio_write(slot, VIRTIO_STATUS,
		     VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	if (!(virtio_read(slot, VIRTIO_STATUS) & VIRTIO_STATUS_FEATURES_OK))
		return offered;
	for (unsigned long i = 0; i < sizeof(*q); i++)
		((volatile uint8_t *)q)[i] = 0;
	virtio_write(slot, VIRTIO_QUEUE_SEL, 0);
	if (virtio_read(slot, VIRTIO_QUEUE_NUM_MAX) < VIRTQ_SIZE)
		return offered;
	virtio_write(slot, VIRTIO_QUEUE_NUM, VIRTQ_SIZE);
	virtio_write(slot, VIRTIO_QUEUE_DESC, (uint32_t)(uintptr_t)q->desc);
	virtio_write(slot, VIRTIO_QUEUE_DESC + 4, (uint32_t)((uintptr_t)q->desc >> 32));
	virtio_write(slot, VIRTIO_QUEUE_DRIVER, (uint32_t)(uintptr_t)&q->avail);
	virtio_write(slot, VIRTIO_QUEUE_DRIVER + 4, (uint32_t)((uintptr_t)&q->avail >> 32));
	virtio_write(slot, VIRTIO_QUEUE_DEVICE, (uint32_t)(uintptr_t)&q->used);
	virtio_write(slot, VIRTIO_QUEUE_DEVICE + 4, (uint32_t)((uintptr_t)&q->used >> 32));
	virtio_write(slot, VIRTIO_QUEUE_READY, 1);
	virtio_write(slot, VIRTIO_STATUS,
		     VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
			     VIRTIO_STATUS_DRIVER_OK);
	*err = 0;
	return offered;
}

/* Offers the chain at head on queue 0 and notifies; the device answers before the write returns. */
static inline void virtq_offer(uint64_t slot, struct virtq *q, uint16_t head)
{
	q->avail.ring[q->avail.idx % VIRTQ_SIZE] = head;
	fence();
	q->avail.idx = (uint16_t)(q->avail.idx + 1);
	fence();
	virtio_write(slot, VIRTIO_QUEUE_NOTIFY, 0);
	fence();
}

/* virtio-blk requests (5.2.6): a header, the data, a status byte. */
#define VIRTIO_BLK_F_RO 5u
#define VIRTIO_BLK_T_IN 0u
#define VIRTIO_BLK_T_OUT 1u
#define VIRTIO_BLK_T_FLUSH 4u
#define VIRTIO_BLK_T_DISCARD 11u
#define VIRTIO_BLK_T_WRITE_ZEROES 13u
#define VIRTIO_BLK_S_OK 0u
#define VIRTIO_BLK_S_IOERR 1u
#define VIRTIO_BLK_SECTOR 512u

struct virtio_blk_header {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

uint64_t virt_trap(uint64_t cause, uint64_t tval, uint64_t epc)
{
	uint64_t resume = trap_resume;

	if (cause >> 63) {
		on_interrupt(cause);
		return epc;
	}
	trap_record.cause = cause;
	trap_record.tval = tval;
	trap_record.epc = epc;
	trap_record.count++;
	if (!resume) {
		put_str("TRAP unexpected mcause ");
		put_hex(cause);
		put_str(" mtval ");
		put_hex(tval);
		put_str(" mepc ");
		put_hex(epc);
		put_str("\n");
		fail(250);
	}
	trap_resume = 0;
	return resume;
}

#endif
