// SPDX-License-Identifier: MIT
/*
 * Differential-test generator: writes riscv64 assembly for COUNT random instruction streams,
 * stream i seeded from SEED and i, so any stream can be regenerated alone.
 *
 * Each stream is valid RV64GC + Zba/Zbb/Zbs user-mode code that gives the same result on every
 * correct implementation, whatever the wrapper around it:
 * - registers start from constants (li / fmv.d.x), fcsr from csrwi with a valid rounding mode;
 * - x2 (sp) and x8 (s0) point into a 4 KiB scratch buffer, x31 is the AMO address register:
 *   they are never sources of values, only bases, so no address leaks into the results;
 * - every memory access is naturally aligned and inside the buffer (misaligned accesses may trap
 *   or not, as the spec allows);
 * - nothing reads the pc (auipc, jal/jalr links) or a counter;
 * - branches and jumps only go forward, to a label within the stream;
 * - LR is always followed at once by its SC on the same address, so the SC succeeds in any
 *   implementation that does not fail SCs spuriously, and no reservation survives a stream;
 * - frm only ever holds a valid mode, so dynamic rounding never traps.
 *
 * Output (assembly for tests/difftest/run.S): stream_count, and stream_table with one
 * {entry, buffer seed} pair per stream. Each stream ends with `j stream_done`.
 *
 * Usage: gen SEED COUNT
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define STREAM_LEN 160 /* instructions after the prologue */
#define MAX_PENDING 8

static uint64_t rng_state;

/* splitmix64: small, good enough, and the same on every host. */
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned int below(unsigned int n)
{
	return (unsigned int)(rnd() % n);
}

static int64_t range(int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

#define PICK(array) (array)[below(sizeof(array) / sizeof((array)[0]))]

static void emit(const char *fmt, ...)
{
	va_list ap;

	putchar('\t');
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* ---- registers ---------------------------------------------------------------------------- */

/* x2 and x8 are the buffer bases, x31 the AMO address: never written by the stream body and
 * never read as values. */
static int reserved(int r)
{
	return r == 2 || r == 8 || r == 31;
}

/* A destination: any writable register, x0 now and then (its writes must vanish). */
static int rd(void)
{
	int r;

	if (below(32) == 0)
		return 0;
	do
		r = 1 + below(31);
	while (reserved(r));
	return r;
}

/* A destination that must not be x0 (compressed forms reserve it). */
static int rd_nonzero(void)
{
	int r;

	do
		r = 1 + below(31);
	while (reserved(r));
	return r;
}

static int rs(void)
{
	int r;

	do
		r = below(32);
	while (reserved(r));
	return r;
}

/* The compressed register set x8..x15 without the base x8. */
static int creg(void)
{
	return 9 + below(7);
}

static int freg(void)
{
	return below(32);
}

/* ---- values ------------------------------------------------------------------------------- */

static uint64_t int_value(void)
{
	static const uint64_t special[] = {
		0,
		1,
		2,
		0xffffffffffffffffull,
		0x7fffffffffffffffull,
		0x8000000000000000ull,
		0x7fffffff,
		0x80000000,
		0xffffffff,
		0xffffffff80000000ull,
		0x00000000ffff0000ull,
		0x8000000000000001ull,
		63,
		64,
		32,
		31,
	};

	switch (below(6)) {
	case 0:
		return PICK(special);
	case 1:
		return (uint64_t)range(-20, 20);
	case 2:
		return (uint64_t)(int64_t)(int32_t)rnd();
	case 3:
		return rnd() & 0xffffffff;
	default:
		return rnd();
	}
}

static uint64_t fp_value(void)
{
	static const uint64_t special[] = {
		0x0000000000000000ull, /* +0 */
		0x8000000000000000ull, /* -0 */
		0x3ff0000000000000ull, /* 1 */
		0xbff0000000000000ull, /* -1 */
		0x7ff0000000000000ull, /* +inf */
		0xfff0000000000000ull, /* -inf */
		0x7ff8000000000000ull, /* canonical NaN */
		0x7ff4000000000001ull, /* signaling NaN */
		0xfff8000000000123ull, /* quiet NaN with payload */
		0x7fefffffffffffffull, /* max */
		0x0010000000000000ull, /* min normal */
		0x0000000000000001ull, /* min subnormal */
		0x41dfffffffc00000ull, /* 2^31 - 1 */
		0x43e0000000000000ull, /* 2^63 */
		0xffffffff3f800000ull, /* boxed single 1 */
		0xffffffff7fc00000ull, /* boxed single canonical NaN */
		0xffffffff7fa00000ull, /* boxed single signaling NaN */
		0xffffffff00000001ull, /* boxed single min subnormal */
		0xffffffff7f7fffffull, /* boxed single max */
		0xffffffffcf000000ull, /* boxed single -2^31 */
		0x000000003f800000ull, /* unboxed single: reads as NaN */
	};
	uint64_t mantissa = rnd() & 0xfffffffffffffull;

	switch (below(6)) {
	case 0:
	case 1:
		return PICK(special);
	case 2: /* a double of moderate magnitude */
		return (rnd() & 0x8000000000000000ull) | ((uint64_t)range(1000, 1046) << 52) |
		       mantissa;
	case 3: /* a boxed single of moderate magnitude */
		return 0xffffffff00000000ull | (rnd() & 0x80000000) |
		       ((uint64_t)range(110, 150) << 23) | (rnd() & 0x7fffff);
	case 4: /* a small integer as a double, for exact conversions and compares */
		return (rnd() & 0x8000000000000000ull) | ((uint64_t)range(1023, 1030) << 52) |
		       (mantissa & 0xfe00000000000ull);
	default:
		return rnd();
	}
}

/* ---- forward labels ----------------------------------------------------------------------- */

struct pending {
	int id;
	int countdown; /* instructions still to emit before the label */
};

static struct pending pending[MAX_PENDING];
static int pending_count;
static int label_serial;
static int stream_index;

/* Places every label whose countdown ran out (all of them when flushing). */
static void place_labels(int flush)
{
	int i = 0;

	while (i < pending_count) {
		if (flush || pending[i].countdown-- <= 0) {
			printf(".Ls%d_%d:\n", stream_index, pending[i].id);
			pending[i] = pending[--pending_count];
		} else {
			i++;
		}
	}
}

/* A new label 1..6 instructions ahead (short enough for c.beqz and c.j); returns its id. */
static int forward_label(void)
{
	int id = label_serial++;

	if (pending_count == MAX_PENDING)
		place_labels(1);
	pending[pending_count].id = id;
	pending[pending_count].countdown = (int)range(0, 5);
	pending_count++;
	return id;
}

/* ---- instruction classes ------------------------------------------------------------------ */

static void gen_int_rr(void)
{
	static const char *const ops[] = {
		"add",	  "sub",    "sll",    "slt",	"sltu",	     "xor",	  "srl",
		"sra",	  "or",	    "and",    "addw",	"subw",	     "sllw",	  "srlw",
		"sraw",	  "mul",    "mulh",   "mulhsu", "mulhu",     "div",	  "divu",
		"rem",	  "remu",   "mulw",   "divw",	"divuw",     "remw",	  "remuw",
		"sh1add", "sh2add", "sh3add", "add.uw", "sh1add.uw", "sh2add.uw", "sh3add.uw",
		"andn",	  "orn",    "xnor",   "max",	"maxu",	     "min",	  "minu",
		"rol",	  "ror",    "rolw",   "rorw",	"bclr",	     "bext",	  "binv",
		"bset",
	};

	emit("%s x%d, x%d, x%d", PICK(ops), rd(), rs(), rs());
}

static void gen_int_imm(void)
{
	static const char *const imm12[] = {
		"addi", "slti", "sltiu", "xori", "ori", "andi", "addiw"
	};
	static const char *const sh64[] = { "slli",  "srli",  "srai",  "slli.uw", "rori",
					    "bclri", "bexti", "binvi", "bseti" };
	static const char *const sh32[] = { "slliw", "srliw", "sraiw", "roriw" };
	static const char *const unary[] = { "clz",    "clzw",	 "ctz",	   "cpop",  "cpopw",
					     "sext.b", "sext.h", "zext.h", "orc.b", "rev8" };

	switch (below(5)) {
	case 0:
	case 1:
		emit("%s x%d, x%d, %d", PICK(imm12), rd(), rs(), (int)range(-2048, 2047));
		break;
	case 2:
		emit("%s x%d, x%d, %d", PICK(sh64), rd(), rs(), (int)below(64));
		break;
	case 3:
		emit("%s x%d, x%d, %d", PICK(sh32), rd(), rs(), (int)below(32));
		break;
	default:
		if (below(4) == 0) {
			emit("lui x%d, 0x%x", rd(), (unsigned int)below(1 << 20));
		} else if (below(12) == 0) {
			/* QEMU 7.2's ctzw counts 64 bits when the low word is zero (the spec says
			 * 32): set one low bit first so the reference is right. */
			int dst = rd();

			emit("bseti x%d, x%d, %d", dst, rs(), (int)below(32));
			emit("ctzw x%d, x%d", dst, dst);
		} else
			emit("%s x%d, x%d", PICK(unary), rd(), rs());
		break;
	}
}

/* An aligned offset for an access of `size` bytes from base x2 ([0, 2048)) or x8 ([-2048, 2048)
 * around buf + 2048): both cover exactly the buffer. */
static void mem_operand(int size, int *base, int *offset)
{
	if (below(2)) {
		*base = 2;
		*offset = (int)below(2048 / size) * size;
	} else {
		*base = 8;
		*offset = (int)range(-2048 / size, 2048 / size - 1) * size;
	}
}

static void gen_load_store(void)
{
	static const struct {
		const char *name;
		int size;
		int store;
		int fp;
	} ops[] = {
		{ "lb", 1, 0, 0 },  { "lbu", 1, 0, 0 }, { "lh", 2, 0, 0 },  { "lhu", 2, 0, 0 },
		{ "lw", 4, 0, 0 },  { "lwu", 4, 0, 0 }, { "ld", 8, 0, 0 },  { "sb", 1, 1, 0 },
		{ "sh", 2, 1, 0 },  { "sw", 4, 1, 0 },	{ "sd", 8, 1, 0 },  { "flw", 4, 0, 1 },
		{ "fld", 8, 0, 1 }, { "fsw", 4, 1, 1 }, { "fsd", 8, 1, 1 },
	};
	int i = (int)below(sizeof(ops) / sizeof(ops[0]));
	int base, offset, reg;

	mem_operand(ops[i].size, &base, &offset);
	if (ops[i].fp)
		reg = freg();
	else
		reg = ops[i].store ? rs() : rd();
	emit("%s %s%d, %d(x%d)", ops[i].name, ops[i].fp ? "f" : "x", reg, offset, base);
}

static void gen_atomic(void)
{
	static const char *const amos[] = { "amoswap", "amoadd", "amoand",  "amoor",  "amoxor",
					    "amomin",  "amomax", "amominu", "amomaxu" };
	static const char *const order[] = { "", ".aq", ".rl", ".aqrl" };
	const char *width = below(2) ? "d" : "w";
	int size = width[0] == 'd' ? 8 : 4;

	emit("addi x31, x2, %d", (int)below(2048 / size) * size);
	if (below(4) == 0) {
		int value = rd_nonzero();

		emit("lr.%s%s x%d, (x31)", width, PICK(order), value);
		emit("sc.%s%s x%d, x%d, (x31)", width, PICK(order), rd(), rs());
	} else {
		emit("%s.%s%s x%d, x%d, (x31)", PICK(amos), width, PICK(order), rd(), rs());
	}
}

static const char *rounding(void)
{
	static const char *const modes[] = { "rne", "rtz", "rdn", "rup", "rmm", "dyn" };

	return PICK(modes);
}

static void gen_fp(void)
{
	static const char *const arith[] = { "fadd", "fsub", "fmul", "fdiv" };
	static const char *const minmax[] = { "fmin", "fmax", "fsgnj", "fsgnjn", "fsgnjx" };
	static const char *const fused[] = { "fmadd", "fmsub", "fnmsub", "fnmadd" };
	static const char *const cmp[] = { "feq", "flt", "fle" };
	static const char *const to_int[] = { "w", "wu", "l", "lu" };
	const char *p = below(2) ? "d" : "s";
	const char *from;

	switch (below(12)) {
	case 0:
	case 1:
	case 2:
		emit("%s.%s f%d, f%d, f%d, %s", PICK(arith), p, freg(), freg(), freg(), rounding());
		break;
	case 3:
		emit("fsqrt.%s f%d, f%d, %s", p, freg(), freg(), rounding());
		break;
	case 4:
		emit("%s.%s f%d, f%d, f%d", PICK(minmax), p, freg(), freg(), freg());
		break;
	case 5:
		emit("%s.%s f%d, f%d, f%d, f%d, %s", PICK(fused), p, freg(), freg(), freg(), freg(),
		     rounding());
		break;
	case 6:
		emit("%s.%s x%d, f%d, f%d", PICK(cmp), p, rd(), freg(), freg());
		break;
	case 7:
		if (below(2))
			emit("fclass.%s x%d, f%d", p, rd(), freg());
		else if (p[0] == 'd') /* exact: no rounding-mode operand */
			emit("fcvt.d.s f%d, f%d", freg(), freg());
		else
			emit("fcvt.s.d f%d, f%d, %s", freg(), freg(), rounding());
		break;
	case 8:
		emit("fcvt.%s.%s x%d, f%d, %s", PICK(to_int), p, rd(), freg(), rounding());
		break;
	case 9:
		from = PICK(to_int);
		if (p[0] == 'd' && from[0] == 'w') /* exact */
			emit("fcvt.d.%s f%d, x%d", from, freg(), rs());
		else
			emit("fcvt.%s.%s f%d, x%d, %s", p, from, freg(), rs(), rounding());
		break;
	case 10:
		if (below(2))
			emit("fmv.x.%s x%d, f%d", p[0] == 'd' ? "d" : "w", rd(), freg());
		else
			emit("fmv.%s.x f%d, x%d", p[0] == 'd' ? "d" : "w", freg(), rs());
		break;
	default:
		switch (below(4)) {
		case 0:
			emit("frflags x%d", rd());
			break;
		case 1:
			emit("fsflagsi x%d, %d", rd(), (int)below(32));
			break;
		case 2:
			emit("fsrmi x%d, %d", rd(), (int)below(5));
			break;
		default:
			emit("frcsr x%d", rd());
			break;
		}
		break;
	}
}

static void gen_compressed(void)
{
	static const char *const alu[] = { "c.sub", "c.xor", "c.or", "c.and", "c.subw", "c.addw" };
	int imm;

	switch (below(12)) {
	case 0:
		emit("c.addi x%d, %d", rd_nonzero(), (int)range(-32, 31));
		break;
	case 1:
		emit("c.addiw x%d, %d", rd_nonzero(), (int)range(-32, 31));
		break;
	case 2:
		emit("c.li x%d, %d", rd_nonzero(), (int)range(-32, 31));
		break;
	case 3:
		imm = (int)range(1, 63);
		/* c.lui takes the sign-extended 6-bit field as its 20-bit immediate. */
		emit("c.lui x%d, 0x%x", rd_nonzero(), imm < 32 ? imm : 0xfffc0 | imm);
		break;
	case 4:
		emit("%s x%d, %d", below(2) ? "c.srli" : "c.srai", creg(), (int)range(1, 63));
		break;
	case 5:
		emit("c.andi x%d, %d", creg(), (int)range(-32, 31));
		break;
	case 6:
		emit("%s x%d, x%d", PICK(alu), creg(), 9 + (int)below(7));
		break;
	case 7:
		emit("c.slli x%d, %d", rd_nonzero(), (int)range(1, 63));
		break;
	case 8:
		emit("%s x%d, x%d", below(2) ? "c.mv" : "c.add", rd_nonzero(), rd_nonzero());
		break;
	case 9: /* x8-based: c.lw/c.sw reach 124, c.ld/c.sd/c.fld/c.fsd 248 */
		switch (below(6)) {
		case 0:
			emit("c.lw x%d, %d(x8)", creg(), (int)below(32) * 4);
			break;
		case 1:
			emit("c.sw x%d, %d(x8)", creg(), (int)below(32) * 4);
			break;
		case 2:
			emit("c.ld x%d, %d(x8)", creg(), (int)below(32) * 8);
			break;
		case 3:
			emit("c.sd x%d, %d(x8)", creg(), (int)below(32) * 8);
			break;
		case 4:
			emit("c.fld f%d, %d(x8)", 8 + (int)below(8), (int)below(32) * 8);
			break;
		default:
			emit("c.fsd f%d, %d(x8)", 8 + (int)below(8), (int)below(32) * 8);
			break;
		}
		break;
	case 10: /* sp-based: c.lwsp/c.swsp reach 252, the doubleword forms 504 */
		switch (below(6)) {
		case 0:
			emit("c.lwsp x%d, %d(x2)", rd_nonzero(), (int)below(64) * 4);
			break;
		case 1:
			emit("c.swsp x%d, %d(x2)", rs(), (int)below(64) * 4);
			break;
		case 2:
			emit("c.ldsp x%d, %d(x2)", rd_nonzero(), (int)below(64) * 8);
			break;
		case 3:
			emit("c.sdsp x%d, %d(x2)", rs(), (int)below(64) * 8);
			break;
		case 4:
			emit("c.fldsp f%d, %d(x2)", freg(), (int)below(64) * 8);
			break;
		default:
			emit("c.fsdsp f%d, %d(x2)", freg(), (int)below(64) * 8);
			break;
		}
		break;
	default:
		emit("c.nop");
		break;
	}
}

static void gen_branch(void)
{
	static const char *const ops[] = { "beq", "bne", "blt", "bge", "bltu", "bgeu" };
	int id = forward_label();

	switch (below(5)) {
	case 0:
		emit("%s x%d, .Ls%d_%d", below(2) ? "c.beqz" : "c.bnez", creg(), stream_index, id);
		break;
	case 1:
		emit("%s .Ls%d_%d", below(2) ? "c.j" : "jal x0,", stream_index, id);
		break;
	default:
		emit("%s x%d, x%d, .Ls%d_%d", PICK(ops), rs(), rs(), stream_index, id);
		break;
	}
}

/* ---- streams ------------------------------------------------------------------------------ */

static void gen_stream(uint64_t seed)
{
	int i, r;

	rng_state = seed;
	pending_count = 0;
	label_serial = 0;
	printf("\t.align 2\nstream_%d:\n", stream_index);
	/* FP registers and fcsr first, through x1, which is set again below. */
	for (r = 0; r < 32; r++) {
		emit("li x1, 0x%016" PRIx64, fp_value());
		emit("fmv.d.x f%d, x1", r);
	}
	emit("li x1, %d", (int)below(5) << 5);
	emit("csrw fcsr, x1");
	for (r = 1; r < 32; r++) {
		if (!reserved(r))
			emit("li x%d, 0x%016" PRIx64, r, int_value());
	}
	emit("la x2, difftest_buf");
	emit("addi x8, x2, 2047");
	emit("addi x8, x8, 1");
	emit("mv x31, x2");

	for (i = 0; i < STREAM_LEN; i++) {
		unsigned int kind = below(100);

		place_labels(0);
		if (kind < 25)
			gen_int_rr();
		else if (kind < 42)
			gen_int_imm();
		else if (kind < 54)
			gen_load_store();
		else if (kind < 60)
			gen_atomic();
		else if (kind < 80)
			gen_fp();
		else if (kind < 94)
			gen_compressed();
		else
			gen_branch();
	}
	place_labels(1);
	emit("j stream_done");
}

int main(int argc, char **argv)
{
	uint64_t seed, stream_seed;
	int count, i;

	if (argc != 3) {
		fprintf(stderr, "usage: gen SEED COUNT\n");
		return 2;
	}
	seed = strtoull(argv[1], NULL, 0);
	count = atoi(argv[2]);
	if (count <= 0) {
		fprintf(stderr, "gen: COUNT must be positive\n");
		return 2;
	}
	printf("/* Generated by tests/difftest/gen.c %s %d: do not edit. */\n", argv[1], count);
	printf("\t.option rvc\n\t.text\n");
	for (i = 0; i < count; i++) {
		stream_index = i;
		rng_state = seed ^ ((uint64_t)i * 0xd1342543de82ef95ull);
		stream_seed = rnd();
		gen_stream(stream_seed);
	}
	printf("\t.section .rodata\n\t.align 3\n\t.globl stream_table, stream_count\n");
	printf("stream_count:\n\t.dword %d\nstream_table:\n", count);
	for (i = 0; i < count; i++) {
		rng_state = seed ^ ((uint64_t)i * 0xd1342543de82ef95ull);
		stream_seed = rnd();
		printf("\t.dword stream_%d, 0x%016" PRIx64 "\n", i, stream_seed);
	}
	return 0;
}
