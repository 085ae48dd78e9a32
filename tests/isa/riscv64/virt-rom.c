// SPDX-License-Identifier: MIT
/*
 * The riscv64 virt board's boot ROM (0x1000 to 0x10000, QEMU's mrom) under -bios none: the guest
 * reads and fetches it but cannot write it. Stores of every width and AMOs at its first and last
 * bytes must raise a store/AMO access fault (mcause 7) with mtval the address and mepc the store,
 * and the ROM must read back unchanged afterwards. Without firmware polyrun leaves the ROM zero,
 * so a fetch from it runs into an illegal instruction (mcause 2), not a fetch access fault:
 * the ROM stays executable. (QEMU drops ROM writes silently instead: this is polyrun's test.)
 *
 * Prints one "ROM <check> ok" line per check, then "ROM-OK", and powers off; a wrong outcome
 * prints what happened and exits with the check's number.
 */
#include "virt.h"

#define ROM_END 0x10000ul

/* One store or AMO at addr, the trap handler told to resume after it; returns its address. */
#define STORE(insn, addr)                                                       \
	({                                                                      \
		uint64_t at_;                                                   \
		__asm__ volatile("li t1, -1\n"                                  \
				 "la %[at], 1f\n"                               \
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

static unsigned check_number;

/* Checks the trap the access "ROM <what> <where>" must have raised. */
static void expect_trap(const char *what, const char *where, uint64_t count, uint64_t cause,
			uint64_t tval, uint64_t epc)
{
	check_number++;
	put_str("ROM ");
	put_str(what);
	put_str(" ");
	put_str(where);
	if (trap_record.count == count + 1 && trap_record.cause == cause &&
	    trap_record.tval == tval && trap_record.epc == epc) {
		put_str(" ok\n");
		return;
	}
	put_str(": expected mcause ");
	put_dec(cause);
	put_str(" mtval ");
	put_hex(tval);
	put_str(" mepc ");
	put_hex(epc);
	if (trap_record.count == count) {
		put_str(", got no trap\n");
	} else {
		put_str(", got mcause ");
		put_dec(trap_record.cause);
		put_str(" mtval ");
		put_hex(trap_record.tval);
		put_str(" mepc ");
		put_hex(trap_record.epc);
		put_str("\n");
	}
	fail(check_number);
}

/* The sum of the ROM's words: what every write attempt must leave as it was. */
static uint64_t rom_sum(void)
{
	uint64_t sum = 0;

	for (uint64_t a = VIRT_ROM; a < ROM_END; a += 8)
		sum += *(volatile uint64_t *)a * (a | 1);
	return sum;
}

static void stores_at(uint64_t addr, const char *where)
{
	static const char *const names[] = { "sb", "sh", "sw", "sd", "amoswap.w", "amoor.d" };

	for (unsigned i = 0; i < 6; i++) {
		uint64_t count = trap_record.count, at;

		switch (i) {
		case 0:
			at = STORE("sb t1, 0(%[addr])", addr);
			break;
		case 1:
			at = STORE("sh t1, 0(%[addr])", addr);
			break;
		case 2:
			at = STORE("sw t1, 0(%[addr])", addr);
			break;
		case 3:
			at = STORE("sd t1, 0(%[addr])", addr);
			break;
		case 4:
			at = STORE("amoswap.w t1, t1, (%[addr])", addr);
			break;
		default:
			at = STORE("amoor.d t1, t1, (%[addr])", addr);
			break;
		}
		expect_trap(names[i], where, count, CAUSE_STORE_ACCESS, addr, at);
	}
}

int main(void)
{
	uint64_t before = rom_sum(), count;

	if (*(volatile uint32_t *)VIRT_ROM != 0) {
		put_str("ROM the first word is not zero: not polyrun without firmware?\n");
		fail(100);
	}
	stores_at(VIRT_ROM, "first");
	stores_at(ROM_END - 8, "last");
	check_number++;
	if (rom_sum() != before) {
		put_str("ROM contents changed\n");
		fail(check_number);
	}
	put_str("ROM unchanged ok\n");

	count = trap_record.count;
	__asm__ volatile("la t0, 1f\n"
			 "sd t0, 0(%[resume])\n"
			 "fence rw, rw\n"
			 "jalr t1, 0(%[rom])\n"
			 "1:\n"
			 :
			 : [rom] "r"(VIRT_ROM), [resume] "r"(&trap_resume)
			 : "t0", "t1", "memory");
	/* The zero word is an illegal instruction: mtval holds its bits, 0. */
	expect_trap("fetch", "first", count, CAUSE_ILLEGAL, 0, VIRT_ROM);
	put_str("ROM-OK\n");
	pass();
}

void on_interrupt(uint64_t cause)
{
	put_str("ROM unexpected interrupt ");
	put_hex(cause);
	put_str("\n");
	fail(200);
}
