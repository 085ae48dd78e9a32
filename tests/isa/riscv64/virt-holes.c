// SPDX-License-Identifier: MIT
/*
 * Holes in the riscv64 virt board's physical map (-M virt -bios none -m 64M): every load, store,
 * AMO, LR and instruction fetch at an address no region covers must raise the access fault of
 * its kind (mcause 5 for loads and LR, 7 for stores and AMOs, 1 for fetches) with mtval the
 * address and mepc the faulting instruction (the target itself for a fetch), and the program goes
 * on. The holes are those of QEMU's virt board too, so the program runs unchanged under QEMU,
 * which proves it.
 *
 * Prints "HOLE <address> ok" per hole, then "HOLES-OK", and powers off. Each wrong outcome prints
 * a line saying what was expected and what happened, and the checks go on (QEMU 7.2 raises load
 * access faults for AMOs: its run shows that one deviation and proves everything else); the
 * program then ends with "HOLES-WRONG <n>" and exit status n.
 */
#include "virt.h"

/* Past the boot ROM, the RTC, the CLINT and the PLIC; past slot 0's registers and slot 7; past
 * the 64 MiB of RAM; far above everything; and outside the 56 physical address bits. */
static const uint64_t holes[] = {
	0x10000ul,    0x102000ul,   0x2010000ul,       0xc600000ul,	     0x10001200ul,
	0x10009000ul, 0x84000000ul, 0x1000000000000ul, 0xff00000000000000ul,
};

enum op { LB, LH, LW, LD, LR, SB, SH, SW, SD, AMO, FETCH };
#define NOPS (FETCH + 1)

static const char *const op_names[NOPS] = { "lb", "lh", "lw", "ld",	  "lr.d", "sb",
					    "sh", "sw", "sd", "amoadd.w", "fetch" };

/*
 * Runs one access at addr with the trap handler told to resume right after it; returns the
 * address of the faulting instruction. t0 and t1 are the asm's own.
 */
#define PROBE(insn, addr)                                                       \
	({                                                                      \
		uint64_t at_;                                                   \
		__asm__ volatile("la %[at], 1f\n"                               \
				 "la t0, 2f\n"                                  \
				 "sd t0, 0(%[resume])\n"                        \
				 "fence rw, rw\n"                               \
				 "1: " insn "\n"                                \
				 "2:\n"                                         \
				 : [at] "=&r"(at_)                              \
				 : [addr] "r"(addr), [resume] "r"(&trap_resume) \
				 : "t0", "t1", "memory");                       \
		at_;                                                            \
	})

static uint64_t run(enum op op, uint64_t addr)
{
	switch (op) {
	case LB:
		return PROBE("lb t1, 0(%[addr])", addr);
	case LH:
		return PROBE("lh t1, 0(%[addr])", addr);
	case LW:
		return PROBE("lw t1, 0(%[addr])", addr);
	case LD:
		return PROBE("ld t1, 0(%[addr])", addr);
	case LR:
		return PROBE("lr.d t1, (%[addr])", addr);
	case SB:
		return PROBE("sb zero, 0(%[addr])", addr);
	case SH:
		return PROBE("sh zero, 0(%[addr])", addr);
	case SW:
		return PROBE("sw zero, 0(%[addr])", addr);
	case SD:
		return PROBE("sd zero, 0(%[addr])", addr);
	case AMO:
		return PROBE("amoadd.w t1, zero, (%[addr])", addr);
	case FETCH:
		break;
	}
	/* A fetch faults at the target itself. */
	PROBE("jalr t1, 0(%[addr])", addr);
	return addr;
}

static uint64_t expected_cause(enum op op)
{
	if (op == FETCH)
		return CAUSE_FETCH_ACCESS;
	return op <= LR ? CAUSE_LOAD_ACCESS : CAUSE_STORE_ACCESS;
}

static void report(uint64_t addr, enum op op, uint64_t epc, uint64_t count)
{
	put_str("HOLE ");
	put_hex(addr);
	put_str(" ");
	put_str(op_names[op]);
	put_str(": expected mcause ");
	put_dec(expected_cause(op));
	put_str(" mtval ");
	put_hex(addr);
	put_str(" mepc ");
	put_hex(epc);
	put_str(", got ");
	if (trap_record.count == count) {
		put_str("no trap\n");
		return;
	}
	put_str("mcause ");
	put_dec(trap_record.cause);
	put_str(" mtval ");
	put_hex(trap_record.tval);
	put_str(" mepc ");
	put_hex(trap_record.epc);
	put_str("\n");
}

int main(void)
{
	unsigned wrong = 0;

	for (unsigned h = 0; h < sizeof(holes) / sizeof(holes[0]); h++) {
		unsigned wrong_here = 0;

		for (enum op op = 0; op < NOPS; op++) {
			uint64_t count = trap_record.count;
			uint64_t epc = run(op, holes[h]);

			if (trap_record.count != count + 1 ||
			    trap_record.cause != expected_cause(op) ||
			    trap_record.tval != holes[h] || trap_record.epc != epc) {
				report(holes[h], op, epc, count);
				wrong_here++;
			}
		}
		if (!wrong_here) {
			put_str("HOLE ");
			put_hex(holes[h]);
			put_str(" ok\n");
		}
		wrong += wrong_here;
	}
	if (wrong) {
		put_str("HOLES-WRONG ");
		put_dec(wrong);
		put_str("\n");
		fail(wrong);
	}
	put_str("HOLES-OK\n");
	pass();
}

void on_interrupt(uint64_t cause)
{
	put_str("HOLE unexpected interrupt ");
	put_hex(cause);
	put_str("\n");
	fail(200);
}
