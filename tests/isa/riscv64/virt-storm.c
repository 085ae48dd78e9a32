// SPDX-License-Identifier: MIT
/*
 * Interrupt and MMIO storms on the riscv64 virt board (-bios none, a virtio-blk disk in slot 0
 * whose sector 0 starts with "POLYVISOR-STORM"): tight loops, each of a fixed count, over
 *   msip      CLINT self-IPIs, each taken as a machine software interrupt and cleared by the
 *             handler before the next is sent;
 *   plic      PLIC claim/complete of the UART's transmitter-empty interrupt, a level that stays
 *             up, so every completion must bring the same source straight back; then, with the
 *             level down, claims of nothing and completions of sources that are not claimed;
 *   uart      the 16550's scratch and divisor latches written and read back, LSR polled;
 *   notify    QueueNotify of an empty queue 0, of queues that do not exist and of an empty slot,
 *             which must all do nothing, then real reads, each notified and completed;
 *   mixed     all of the above in one loop with interrupts on.
 * Every count is checked by the guest, which then prints "STORM <loop> <count>" per loop and
 * "STORM-OK", and powers off; a wrong outcome prints what happened and exits with its number.
 * Polyrun must stay responsive throughout: the test gives it a time limit.
 */
#include "virt.h"

#define MSIP_ROUNDS 200000u
#define PLIC_ROUNDS 200000u
#define UART_ROUNDS 200000u
#define NOTIFY_ROUNDS 200000u
#define READ_ROUNDS 20000u
#define MIXED_ROUNDS 50000u
#define SPIN_LIMIT 100000u

#define CLINT_MSIP0 VIRT_CLINT
#define PLIC_PRIORITY(s) (VIRT_PLIC + 4ul * (s))
#define PLIC_ENABLE0 (VIRT_PLIC + 0x2000ul)
#define PLIC_THRESHOLD0 (VIRT_PLIC + 0x200000ul)
#define PLIC_CLAIM0 (VIRT_PLIC + 0x200004ul)
#define UART_IRQ 10u
#define UART_DLL 0u
#define UART_IER 1u
#define UART_DLM 1u
#define UART_LCR 3u
#define UART_LSR 5u
#define UART_SCR 7u
#define UART_IER_THRI 0x02u
#define UART_LCR_DLAB 0x80u
#define UART_LSR_IDLE 0x60u /* THR empty, transmitter empty */
#define SLOT VIRTIO_SLOT(0)
#define EMPTY_SLOT VIRTIO_SLOT(7)

static volatile uint64_t msip_taken;
static volatile uint64_t other_interrupts;
static struct virtq q;
static struct virtio_blk_header header;
static uint8_t sector[VIRTIO_BLK_SECTOR];
static volatile uint8_t status;

void on_interrupt(uint64_t cause)
{
	if (cause == IRQ_M_SOFT) {
		mmio_write32(CLINT_MSIP0, 0);
		msip_taken++;
		return;
	}
	other_interrupts++;
}

static void wrong(unsigned number, const char *what, uint64_t got, uint64_t want)
{
	put_str("STORM ");
	put_str(what);
	put_str(": got ");
	put_dec(got);
	put_str(", expected ");
	put_dec(want);
	put_str("\n");
	fail(number);
}

static void report(const char *loop, uint64_t count)
{
	put_str("STORM ");
	put_str(loop);
	put_str(" ");
	put_dec(count);
	put_str("\n");
}

static void interrupts(int on)
{
	if (on) {
		__asm__ volatile("csrs mie, %0" ::"r"(MIE_MSIE));
		__asm__ volatile("csrs mstatus, %0" ::"r"(MSTATUS_MIE));
	} else {
		__asm__ volatile("csrc mstatus, %0" ::"r"(MSTATUS_MIE));
		__asm__ volatile("csrc mie, %0" ::"r"(MIE_MSIE));
	}
}

/* One self-IPI: sent, then taken (the handler clears it) within a bounded wait. */
static int self_ipi(void)
{
	uint64_t before = msip_taken;

	mmio_write32(CLINT_MSIP0, 1);
	for (unsigned spin = 0; spin < SPIN_LIMIT; spin++) {
		if (msip_taken != before)
			return msip_taken == before + 1;
	}
	return 0;
}

static uint64_t msip_storm(void)
{
	uint64_t sent = 0;

	interrupts(1);
	for (unsigned i = 0; i < MSIP_ROUNDS; i++)
		sent += self_ipi();
	interrupts(0);
	if (sent != MSIP_ROUNDS)
		wrong(1, "msip taken once each", sent, MSIP_ROUNDS);
	if (msip_taken != MSIP_ROUNDS)
		wrong(2, "msip interrupts", msip_taken, MSIP_ROUNDS);
	return msip_taken;
}

/* The UART's transmitter-empty interrupt, enabled for hart 0's M-mode context. */
static void uart_irq(int on)
{
	mmio_write32(PLIC_PRIORITY(UART_IRQ), 1);
	mmio_write32(PLIC_THRESHOLD0, 0);
	mmio_write32(PLIC_ENABLE0, 1u << UART_IRQ);
	mmio_write8(VIRT_UART + UART_IER, on ? UART_IER_THRI : 0);
}

static uint64_t plic_storm(void)
{
	uint64_t claimed = 0;

	uart_irq(1);
	for (unsigned i = 0; i < PLIC_ROUNDS; i++) {
		uint32_t id = mmio_read32(PLIC_CLAIM0);

		if (id != UART_IRQ)
			wrong(3, "plic claim of the uart", id, UART_IRQ);
		claimed++;
		mmio_write32(PLIC_CLAIM0, id);
	}
	uart_irq(0);
	/* The level is down: nothing to claim, and completing what was never claimed does nothing. */
	for (unsigned i = 0; i < PLIC_ROUNDS; i++) {
		static const uint32_t bogus[] = { 0, UART_IRQ, 95, 96, 1000, 0xffffffffu };
		uint32_t id = mmio_read32(PLIC_CLAIM0);

		if (id != 0)
			wrong(4, "plic claim with nothing pending", id, 0);
		mmio_write32(PLIC_CLAIM0, bogus[i % 6]);
	}
	mmio_write32(PLIC_ENABLE0, 0);
	return claimed;
}

static uint64_t uart_storm(void)
{
	uint8_t dll, dlm;
	uint64_t good = 0;

	mmio_write8(VIRT_UART + UART_LCR, 0x03 | UART_LCR_DLAB);
	dll = mmio_read8(VIRT_UART + UART_DLL);
	dlm = mmio_read8(VIRT_UART + UART_DLM);
	mmio_write8(VIRT_UART + UART_LCR, 0x03);
	for (unsigned i = 0; i < UART_ROUNDS; i++) {
		uint8_t value = (uint8_t)(i * 7 + 1);

		mmio_write8(VIRT_UART + UART_SCR, value);
		if (mmio_read8(VIRT_UART + UART_SCR) != value)
			wrong(5, "uart scratch read back", mmio_read8(VIRT_UART + UART_SCR), value);
		if ((mmio_read8(VIRT_UART + UART_LSR) & UART_LSR_IDLE) != UART_LSR_IDLE)
			wrong(6, "uart lsr idle bits", mmio_read8(VIRT_UART + UART_LSR),
			      UART_LSR_IDLE);
		if (i % 64 == 0) {
			mmio_write8(VIRT_UART + UART_LCR, 0x03 | UART_LCR_DLAB);
			mmio_write8(VIRT_UART + UART_DLL, value);
			if (mmio_read8(VIRT_UART + UART_DLL) != value)
				wrong(7, "uart divisor read back", mmio_read8(VIRT_UART + UART_DLL),
				      value);
			mmio_write8(VIRT_UART + UART_DLL, dll);
			mmio_write8(VIRT_UART + UART_DLM, dlm);
			mmio_write8(VIRT_UART + UART_LCR, 0x03);
		}
		good++;
	}
	return good;
}

/* Reads sector 0 through queue 0; 1 when it completed with the disk's pattern. */
static int read_sector0(void)
{
	static const char pattern[] = "POLYVISOR-STORM";
	uint16_t before = q.used.idx;

	header = (struct virtio_blk_header){ .type = VIRTIO_BLK_T_IN, .sector = 0 };
	q.desc[0] = (struct virtq_desc){ (uintptr_t)&header, sizeof(header), VIRTQ_DESC_NEXT, 1 };
	q.desc[1] = (struct virtq_desc){ (uintptr_t)sector, VIRTIO_BLK_SECTOR,
					 VIRTQ_DESC_NEXT | VIRTQ_DESC_WRITE, 2 };
	q.desc[2] = (struct virtq_desc){ (uintptr_t)&status, 1, VIRTQ_DESC_WRITE, 0 };
	status = 0xff;
	for (unsigned i = 0; i < sizeof(pattern); i++)
		sector[i] = 0;
	virtq_offer(SLOT, &q, 0);
	for (unsigned spin = 0; spin < SPIN_LIMIT; spin++) {
		if (*(volatile uint16_t *)&q.used.idx != before)
			break;
	}
	if (*(volatile uint16_t *)&q.used.idx != (uint16_t)(before + 1) ||
	    status != VIRTIO_BLK_S_OK)
		return 0;
	for (unsigned i = 0; i < sizeof(pattern) - 1; i++) {
		if (sector[i] != (uint8_t)pattern[i])
			return 0;
	}
	return 1;
}

/* Notifies that find nothing to do: an empty queue 0, queues that do not exist, an empty slot. */
static void idle_notifies(unsigned i)
{
	static const uint32_t queues[] = { 0, 1, 7, 0xffff, 0xffffffffu };

	virtio_write(SLOT, VIRTIO_QUEUE_NOTIFY, queues[i % 5]);
	virtio_write(EMPTY_SLOT, VIRTIO_QUEUE_NOTIFY, 0);
}

static uint64_t notify_storm(uint64_t *reads)
{
	int err;

	virtio_setup(SLOT, &q, 0, &err);
	if (err)
		wrong(8, "virtio-blk setup refused", 1, 0);
	for (unsigned i = 0; i < NOTIFY_ROUNDS; i++)
		idle_notifies(i);
	if (q.used.idx != 0)
		wrong(9, "completions of idle notifies", q.used.idx, 0);
	if (virtio_read(SLOT, VIRTIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET)
		wrong(10, "device needs reset after idle notifies", 1, 0);
	if (virtio_read(EMPTY_SLOT, VIRTIO_DEVICE_ID) != 0)
		wrong(11, "device id of the empty slot", virtio_read(EMPTY_SLOT, VIRTIO_DEVICE_ID),
		      0);
	*reads = 0;
	for (unsigned i = 0; i < READ_ROUNDS; i++)
		*reads += (uint64_t)read_sector0();
	if (*reads != READ_ROUNDS)
		wrong(12, "reads completed", *reads, READ_ROUNDS);
	/* The device raised its used-buffer interrupt; acknowledging it is part of the storm. */
	virtio_write(SLOT, VIRTIO_INTERRUPT_ACK, virtio_read(SLOT, VIRTIO_INTERRUPT_STATUS));
	return NOTIFY_ROUNDS;
}

static uint64_t mixed_storm(void)
{
	uint64_t rounds = 0, ipis_before = msip_taken, reads = 0;

	interrupts(1);
	uart_irq(1);
	for (unsigned i = 0; i < MIXED_ROUNDS; i++) {
		uint32_t id;

		if (!self_ipi())
			wrong(13, "mixed: self-IPI taken", 0, 1);
		idle_notifies(i);
		id = mmio_read32(PLIC_CLAIM0);
		if (id != UART_IRQ)
			wrong(14, "mixed: plic claim of the uart", id, UART_IRQ);
		mmio_write32(PLIC_CLAIM0, id);
		mmio_write8(VIRT_UART + UART_SCR, (uint8_t)i);
		if (mmio_read8(VIRT_UART + UART_SCR) != (uint8_t)i)
			wrong(15, "mixed: uart scratch", mmio_read8(VIRT_UART + UART_SCR),
			      (uint8_t)i);
		if (i % 16 == 0)
			reads += (uint64_t)read_sector0();
		rounds++;
	}
	uart_irq(0);
	interrupts(0);
	if (msip_taken - ipis_before != MIXED_ROUNDS)
		wrong(16, "mixed: msip interrupts", msip_taken - ipis_before, MIXED_ROUNDS);
	if (reads != MIXED_ROUNDS / 16 + (MIXED_ROUNDS % 16 != 0))
		wrong(17, "mixed: reads", reads, MIXED_ROUNDS / 16 + (MIXED_ROUNDS % 16 != 0));
	return rounds;
}

int main(void)
{
	uint64_t msip, plic, uart, notify, reads, mixed;

	msip = msip_storm();
	plic = plic_storm();
	uart = uart_storm();
	notify = notify_storm(&reads);
	mixed = mixed_storm();
	if (other_interrupts)
		wrong(18, "unexpected interrupts", other_interrupts, 0);
	report("msip", msip);
	report("plic", plic);
	report("uart", uart);
	report("notify", notify);
	report("reads", reads);
	report("mixed", mixed);
	put_str("STORM-OK\n");
	pass();
}
