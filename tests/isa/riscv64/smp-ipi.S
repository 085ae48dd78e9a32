/* SMP IPIs through the CLINT, run with 4 harts (-smp 4): harts 1-3 enable only the machine
 * software interrupt in mie (with mstatus.MIE clear, so it wakes WFI without trapping) and sleep
 * in WFI; hart 0 sends ROUNDS rounds of IPIs by writing each one's msip word, and waits until
 * every hart has cleared its msip and acknowledged, before the next round. Then each hart must
 * have counted exactly ROUNDS wake-ups. Self-contained like smp-atomics.S. Failures: 1, a hart
 * woke a wrong number of times. */
#define NHARTS 4
#define ROUNDS 50
#define CLINT_MSIP 0x2000000
#define MIP_MSIP 8

	.section .text.init, "ax"
	.globl _start
_start:
	csrr s0, mhartid
	li t0, NHARTS
	bgeu s0, t0, park
	bnez s0, secondary

	la t0, ready
	li t1, NHARTS - 1
1:	ld t2, 0(t0)
	bne t2, t1, 1b
	li s1, 1
round:
	li t0, CLINT_MSIP + 4
	li t1, CLINT_MSIP + 4 * NHARTS
	li t2, 1
2:	sw t2, 0(t0)
	addi t0, t0, 4
	bne t0, t1, 2b
	/* Wait for this round's acknowledgements: (NHARTS - 1) * round in all. */
	li t1, NHARTS - 1
	mul t1, t1, s1
	la t0, acks
3:	ld t2, 0(t0)
	bne t2, t1, 3b
	addi s1, s1, 1
	li t0, ROUNDS
	ble s1, t0, round
	fence rw, rw

	li a0, 1
	la t0, wakeups + 8
	li t1, 1
	li t3, ROUNDS
4:	ld t2, 0(t0)
	bne t2, t3, fail
	addi t0, t0, 8
	addi t1, t1, 1
	li t2, NHARTS
	bne t1, t2, 4b
	li t0, 1
	j report

secondary:
	li t0, MIP_MSIP
	csrw mie, t0
	la t0, ready
	li t1, 1
	amoadd.d.aqrl zero, t1, (t0)
	/* This hart's msip word and wake-up count. */
	li s1, CLINT_MSIP
	slli t0, s0, 2
	add s1, s1, t0
	la s2, wakeups
	slli t0, s0, 3
	add s2, s2, t0
sleep:
	wfi
	csrr t0, mip
	andi t0, t0, MIP_MSIP
	beqz t0, sleep
	sw zero, 0(s1)
	fence iorw, iorw
	/* The acknowledgement must not overtake the clear: wait until mip shows it. */
5:	csrr t0, mip
	andi t0, t0, MIP_MSIP
	bnez t0, 5b
	ld t0, 0(s2)
	addi t0, t0, 1
	sd t0, 0(s2)
	la t0, acks
	li t1, 1
	amoadd.d.aqrl zero, t1, (t0)
	j sleep

/* a0: the failing check's number. */
fail:
	slli t0, a0, 1
	ori t0, t0, 1
report:
	la t1, tohost
	sd t0, 0(t1)
park:
	wfi
	j park

	.data
	.align 6
ready:	.dword 0
	.align 6
acks:	.dword 0
	.align 6
wakeups: .dword 0, 0, 0, 0

	.section .tohost, "aw", @progbits
	.align 6
	.globl tohost, fromhost
	.type tohost, @object
	.type fromhost, @object
	/* QEMU finds the HTIF words by these symbols and insists on their size. */
tohost:	.dword 0
	.size tohost, 8
	.align 6
fromhost: .dword 0
	.size fromhost, 8
