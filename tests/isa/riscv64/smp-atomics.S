/* SMP atomics, run with 4 harts (-smp 4): every hart adds ITERS to three shared counters, one
 * with amoadd.d, one with lr.w/sc.w retry loops and one with plain loads and stores under an
 * lr.d/sc.d spinlock. Hart 0 waits until all have finished, then checks that no increment was
 * lost and that each hart saw its own mhartid. Self-contained: harts start together at _start,
 * so this program has its own entry instead of runtime.S's. Failures report test numbers
 * 1-4 through tohost, as runtime.S's fail does. */
#define NHARTS 4
#define ITERS 20000

	.section .text.init, "ax"
	.globl _start
_start:
	csrr s0, mhartid
	li t0, NHARTS
	bgeu s0, t0, park
	/* Each hart sets its own bit: the bits come out right only if every mhartid differs. */
	la t0, seen
	li t1, 1
	sll t1, t1, s0
	amoor.d zero, t1, (t0)

	la s1, amo_counter
	li s2, ITERS
1:	li t1, 1
	amoadd.d zero, t1, (s1)
	addi s2, s2, -1
	bnez s2, 1b

	la s1, lrsc_counter
	li s2, ITERS
2:	lr.w t1, (s1)
	addi t1, t1, 1
	sc.w t2, t1, (s1)
	bnez t2, 2b
	addi s2, s2, -1
	bnez s2, 2b

	la s1, lock
	la s3, locked_counter
	li s2, ITERS
3:	lr.d.aq t1, (s1)
	bnez t1, 3b
	li t1, 1
	sc.d t2, t1, (s1)
	bnez t2, 3b
	ld t1, 0(s3)
	addi t1, t1, 1
	sd t1, 0(s3)
	amoswap.d.rl zero, zero, (s1)
	addi s2, s2, -1
	bnez s2, 3b

	la t0, done
	li t1, 1
	amoadd.d.aqrl zero, t1, (t0)
	bnez s0, park

	la t0, done
	li t1, NHARTS
4:	ld t2, 0(t0)
	bne t2, t1, 4b
	fence rw, rw

	li a0, 1
	ld t1, seen
	li t2, (1 << NHARTS) - 1
	bne t1, t2, fail
	li a0, 2
	li t2, NHARTS * ITERS
	ld t1, amo_counter
	bne t1, t2, fail
	li a0, 3
	lwu t1, lrsc_counter
	bne t1, t2, fail
	li a0, 4
	ld t1, locked_counter
	bne t1, t2, fail
	li t0, 1
	j report

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
	/* Each word on a cache line of its own, as a real program would keep contended data. */
	.align 6
seen:	.dword 0
	.align 6
amo_counter: .dword 0
	.align 6
lrsc_counter: .dword 0
	.align 6
lock:	.dword 0
	.align 6
locked_counter: .dword 0
	.align 6
done:	.dword 0

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
