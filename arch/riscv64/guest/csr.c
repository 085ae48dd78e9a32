// SPDX-License-Identifier: MIT
/*
 * The riscv64 CSR file: what arch/aarch64/guest/sysreg.c will be for Arm's system registers.
 * One table maps CSR numbers (or ranges of them) to their storage, WARL write masks and, where
 * a plain masked field does not describe them, read/write handlers and extra access rules.
 * The privilege a CSR needs and whether it is read-only come from its number, as the privileged
 * spec assigns them (bits 9:8 and 11:10), so the table cannot disagree with the encoding.
 */
#include <stddef.h>
#include <stdint.h>

#include "arch/riscv64/guest/cpu.h"
#include "arch/riscv64/guest/csr.h"
#include "arch/riscv64/guest/helpers.h"
#include "lib/compiler.h"
#include "lib/errno.h"

struct rv_csr_desc {
	uint16_t first; /* a single CSR, or the first of a range (pmpaddr0..15, hpmcounter3..31) */
	uint16_t last;
	/* A plain field: storage offset in struct rv_cpu and the bits writes may change. Fields
	 * without storage (offset 0) read as zero and ignore writes: legal WARL for counters
	 * and events this hart does not implement. */
	uint16_t offset;
	uint64_t write_mask;
	int (*read)(struct rv_cpu *cpu, unsigned csr, uint64_t *value);
	int (*write)(struct rv_cpu *cpu, unsigned csr, uint64_t value, unsigned *effects);
	/* Rules beyond the privilege in the number: FS, counter enables, TVM, Sstc's STCE. */
	bool (*allowed)(const struct rv_cpu *cpu, unsigned csr);
};

/* ---- access rules ----------------------------------------------------------------------------- */

static bool rv_csr_fp_allowed(const struct rv_cpu *cpu, unsigned csr)
{
	return (cpu->mstatus & RV_MSTATUS_FS) != 0;
}

/* cycle, time, instret, hpmcounterN: bit N of mcounteren (below M), of scounteren too in U. */
static bool rv_csr_counter_allowed(const struct rv_cpu *cpu, unsigned csr)
{
	uint32_t bit = 1u << (csr & 31u);

	if (cpu->priv < RV_PRIV_M && !(cpu->mcounteren & bit))
		return false;
	if (cpu->priv < RV_PRIV_S && !(cpu->scounteren & bit))
		return false;
	return true;
}

static bool rv_csr_satp_allowed(const struct rv_cpu *cpu, unsigned csr)
{
	return cpu->priv == RV_PRIV_M || !(cpu->mstatus & RV_MSTATUS_TVM);
}

/* Sstc: below M, stimecmp needs menvcfg.STCE and mcounteren.TM. */
static bool rv_csr_stimecmp_allowed(const struct rv_cpu *cpu, unsigned csr)
{
	if (cpu->priv == RV_PRIV_M)
		return true;
	return (cpu->menvcfg & RV_MENVCFG_STCE) && (cpu->mcounteren & (1u << 1));
}

/* ---- status ----------------------------------------------------------------------------------- */

#define RV_MSTATUS_WRITABLE                                                                     \
	(RV_MSTATUS_SIE | RV_MSTATUS_MIE | RV_MSTATUS_SPIE | RV_MSTATUS_MPIE | RV_MSTATUS_SPP | \
	 RV_MSTATUS_MPP | RV_MSTATUS_FS | RV_MSTATUS_MPRV | RV_MSTATUS_SUM | RV_MSTATUS_MXR |   \
	 RV_MSTATUS_TVM | RV_MSTATUS_TW | RV_MSTATUS_TSR)
#define RV_SSTATUS_WRITABLE                                                                   \
	(RV_MSTATUS_SIE | RV_MSTATUS_SPIE | RV_MSTATUS_SPP | RV_MSTATUS_FS | RV_MSTATUS_SUM | \
	 RV_MSTATUS_MXR)

/* SD summarizes FS (no V or custom state here); MPP 2 is reserved and reads back as U. */
static uint64_t rv_mstatus_legalize(uint64_t status)
{
	status &= ~(RV_MSTATUS_SD | RV_MSTATUS_XLEN64);
	if (((status & RV_MSTATUS_MPP) >> RV_MSTATUS_MPP_SHIFT) == 2)
		status &= ~RV_MSTATUS_MPP;
	if ((status & RV_MSTATUS_FS) == RV_MSTATUS_FS_DIRTY)
		status |= RV_MSTATUS_SD;
	return status | RV_MSTATUS_XLEN64;
}

static int rv_mstatus_write(struct rv_cpu *cpu, unsigned csr, uint64_t value, unsigned *effects)
{
	uint64_t mask = csr == RV_CSR_SSTATUS ? RV_SSTATUS_WRITABLE : RV_MSTATUS_WRITABLE;

	cpu->mstatus = rv_mstatus_legalize((cpu->mstatus & ~mask) | (value & mask));
	return 0;
}

static int rv_sstatus_read(struct rv_cpu *cpu, unsigned csr, uint64_t *value)
{
	*value = cpu->mstatus & RV_SSTATUS_MASK;
	return 0;
}

/* ---- interrupts ------------------------------------------------------------------------------- */

#define RV_MIDELEG_WRITABLE RV_MIP_S_MASK
/* Every exception S mode can handle; ecall from M (11) is read-only zero. */
#define RV_MEDELEG_WRITABLE 0xb3ffull
/* Software may write SSIP, STIP (without Sstc) and SEIP; the M bits are the board's lines. */
#define RV_MIP_WRITABLE RV_MIP_S_MASK

static int rv_mip_read(struct rv_cpu *cpu, unsigned csr, uint64_t *value)
{
	*value = rv_cpu_mip(cpu);
	return 0;
}

static int rv_mip_write(struct rv_cpu *cpu, unsigned csr, uint64_t value, unsigned *effects)
{
	uint64_t mask = RV_MIP_WRITABLE;

	if (cpu->menvcfg & RV_MENVCFG_STCE)
		mask &= ~RV_MIP_STIP;
	cpu->mip = (cpu->mip & ~mask) | (value & mask);
	return 0;
}

uint64_t rv_csr_rmw_base(const struct rv_cpu *cpu, unsigned csr, uint64_t old)
{
	if (csr == RV_CSR_MIP)
		return (old & ~RV_MIP_SEIP) | (cpu->mip & RV_MIP_SEIP);
	return old;
}

/* sie and sip show only what mideleg hands to S mode; sip lets S write SSIP alone. */
static int rv_sie_read(struct rv_cpu *cpu, unsigned csr, uint64_t *value)
{
	*value = cpu->mie & cpu->mideleg;
	return 0;
}

static int rv_sie_write(struct rv_cpu *cpu, unsigned csr, uint64_t value, unsigned *effects)
{
	uint64_t mask = cpu->mideleg & RV_MIP_S_MASK;

	cpu->mie = (cpu->mie & ~mask) | (value & mask);
	return 0;
}

static int rv_sip_read(struct rv_cpu *cpu, unsigned csr, uint64_t *value)
{
	*value = rv_cpu_mip(cpu) & cpu->mideleg;
	return 0;
}

static int rv_sip_write(struct rv_cpu *cpu, unsigned csr, uint64_t value, unsigned *effects)
{
	uint64_t mask = cpu->mideleg & RV_MIP_SSIP;

	cpu->mip = (cpu->mip & ~mask) | (value & mask);
	return 0;
}

/* xtvec: MODE 0 (direct) and 1 (vectored); a reserved mode leaves the register unchanged. */
static int rv_tvec_write(struct rv_cpu *cpu, unsigned csr, uint64_t value, unsigned *effects)
{
	uint64_t *tvec = csr == RV_CSR_MTVEC ? &cpu->mtvec : &cpu->stvec;

	if ((value & 3u) < 2)
		*tvec = value;
	return 0;
}

/* ---- translation ------------------------------------------------------------------------------ */

/* A MODE this hart does not support makes the whole write have no effect. */
static int rv_satp_write(struct rv_cpu *cpu, unsigned csr, uint64_t value, unsigned *effects)
{
	unsigned mode = (unsigned)(value >> RV_SATP_MODE_SHIFT);

	if (mode != RV_SATP_BARE && mode != RV_SATP_SV39 && mode != RV_SATP_SV48 &&
	    mode != RV_SATP_SV57)
		return 0;
	if (mode == RV_SATP_BARE)
		value = 0;
	if (value != cpu->satp)
		*effects |= RV_CSR_EFFECT_FLUSH_TLB;
	cpu->satp = value;
	return 0;
}

/* ---- floating point --------------------------------------------------------------------------- */

static int rv_fcsr_read(struct rv_cpu *cpu, unsigned csr, uint64_t *value)
{
	if (csr == RV_CSR_FFLAGS)
		*value = cpu->fflags & 0x1fu;
	else if (csr == RV_CSR_FRM)
		*value = cpu->frm & 7u;
	else
		*value = ((cpu->frm & 7u) << 5) | (cpu->fflags & 0x1fu);
	return 0;
}

static int rv_fcsr_write(struct rv_cpu *cpu, unsigned csr, uint64_t value, unsigned *effects)
{
	if (csr != RV_CSR_FRM)
		cpu->fflags = (uint32_t)value & 0x1fu;
	if (csr == RV_CSR_FRM)
		cpu->frm = (uint32_t)value & 7u;
	else if (csr == RV_CSR_FCSR)
		cpu->frm = (uint32_t)(value >> 5) & 7u;
	cpu->mstatus = rv_mstatus_legalize(cpu->mstatus | RV_MSTATUS_FS_DIRTY);
	return 0;
}

/* ---- counters and time ------------------------------------------------------------------------ */

static int rv_counter_read(struct rv_cpu *cpu, unsigned csr, uint64_t *value)
{
	unsigned which = csr & 0x1fu;

	if (which == 1)
		*value = rv_cpu_time(cpu);
	else
		*value = cpu->insns_retired - (which == 0 ? cpu->mcycle_base : cpu->minstret_base);
	return 0;
}

/*
 * mcycle and minstret: a write moves the base so that the next instruction reads the value
 * written: the writing instruction itself does not count (the spec suppresses its increment).
 */
static int rv_counter_write(struct rv_cpu *cpu, unsigned csr, uint64_t value, unsigned *effects)
{
	uint64_t base = cpu->insns_retired + 1 - value;

	if ((csr & 0x1fu) == 0)
		cpu->mcycle_base = base;
	else
		cpu->minstret_base = base;
	return 0;
}

/* ---- PMP: the registers; mmu.c applies them to accesses ------------------------------------------ */

#define RV_PMP_LOCK 0x80u
#define RV_PMPCFG_WRITABLE 0x9fu /* L, A, X, W, R; bits 6:5 are reserved */
#define RV_PMPADDR_MASK ((1ull << 54) - 1)

/* RV64 has only the even pmpcfg numbers; entries past RV_PMP_COUNT read as zero. */
static int rv_pmpcfg_read(struct rv_cpu *cpu, unsigned csr, uint64_t *value)
{
	unsigned index = csr - RV_CSR_PMPCFG0;

	if (index & 1u)
		return -EPERM;
	*value = index / 2 < ARRAY_SIZE(cpu->pmpcfg) ? cpu->pmpcfg[index / 2] : 0;
	return 0;
}

static int rv_pmpcfg_write(struct rv_cpu *cpu, unsigned csr, uint64_t value, unsigned *effects)
{
	unsigned index = csr - RV_CSR_PMPCFG0;
	uint64_t old, updated = 0;

	if (index & 1u)
		return -EPERM;
	if (index / 2 >= ARRAY_SIZE(cpu->pmpcfg))
		return 0;
	old = cpu->pmpcfg[index / 2];
	for (unsigned byte = 0; byte < 8; byte++) {
		uint64_t cur = (old >> (8 * byte)) & 0xffu, next = (value >> (8 * byte)) & 0xffu;

		/* W without R is reserved: such a write keeps neither. */
		if ((next & 3u) == 2u)
			next &= ~3ull;
		/* A locked entry ignores writes until reset. */
		updated |= (cur & RV_PMP_LOCK ? cur : next & RV_PMPCFG_WRITABLE) << (8 * byte);
	}
	cpu->pmpcfg[index / 2] = updated;
	*effects |= RV_CSR_EFFECT_FLUSH_ALL;
	return 0;
}

static bool rv_pmp_locked(const struct rv_cpu *cpu, unsigned entry)
{
	return (cpu->pmpcfg[entry / 8] >> (8 * (entry % 8))) & RV_PMP_LOCK;
}

static int rv_pmpaddr_read(struct rv_cpu *cpu, unsigned csr, uint64_t *value)
{
	unsigned entry = csr - RV_CSR_PMPADDR0;

	*value = entry < RV_PMP_COUNT ? cpu->pmpaddr[entry] : 0;
	return 0;
}

static int rv_pmpaddr_write(struct rv_cpu *cpu, unsigned csr, uint64_t value, unsigned *effects)
{
	unsigned entry = csr - RV_CSR_PMPADDR0;

	if (entry < RV_PMP_COUNT && !rv_pmp_locked(cpu, entry)) {
		cpu->pmpaddr[entry] = value & RV_PMPADDR_MASK;
		*effects |= RV_CSR_EFFECT_FLUSH_ALL;
	}
	return 0;
}

/* ---- debug triggers: none implemented ---------------------------------------------------------- */

/* tinfo's bit 0 alone: only type 0, "no trigger at this tselect", exists. */
static int rv_tinfo_read(struct rv_cpu *cpu, unsigned csr, uint64_t *value)
{
	*value = 1;
	return 0;
}

/* ---- the table -------------------------------------------------------------------------------- */

#define RV_ENVCFG_CBO (RV_ENVCFG_FIOM | RV_ENVCFG_CBIE | RV_ENVCFG_CBCFE | RV_ENVCFG_CBZE)
#define FIELD(name) offsetof(struct rv_cpu, name)
#define RV_CSR_FIELD(num, name, mask)                         \
	{                                                     \
		num, num, FIELD(name), mask, NULL, NULL, NULL \
	}
#define RV_CSR_ZERO(first, last, allowed)              \
	{                                              \
		first, last, 0, 0, NULL, NULL, allowed \
	}
#define RV_CSR_FN(num, name, mask, read, write, allowed)          \
	{                                                         \
		num, num, FIELD(name), mask, read, write, allowed \
	}
#define RV_CSR_RANGE_FN(first, last, read, write)    \
	{                                            \
		first, last, 0, 0, read, write, NULL \
	}

static const struct rv_csr_desc rv_csr_table[] = {
	/* Unprivileged: FP and counters. */
	RV_CSR_FN(RV_CSR_FFLAGS, fflags, 0, rv_fcsr_read, rv_fcsr_write, rv_csr_fp_allowed),
	RV_CSR_FN(RV_CSR_FRM, frm, 0, rv_fcsr_read, rv_fcsr_write, rv_csr_fp_allowed),
	RV_CSR_FN(RV_CSR_FCSR, fflags, 0, rv_fcsr_read, rv_fcsr_write, rv_csr_fp_allowed),
	{ RV_CSR_CYCLE, RV_CSR_INSTRET, 0, 0, rv_counter_read, NULL, rv_csr_counter_allowed },
	RV_CSR_ZERO(RV_CSR_HPMCOUNTER3, RV_CSR_HPMCOUNTER31, rv_csr_counter_allowed),
	/* Supervisor. */
	RV_CSR_FN(RV_CSR_SSTATUS, mstatus, 0, rv_sstatus_read, rv_mstatus_write, NULL),
	RV_CSR_FN(RV_CSR_SIE, mie, 0, rv_sie_read, rv_sie_write, NULL),
	RV_CSR_FN(RV_CSR_STVEC, stvec, 0, NULL, rv_tvec_write, NULL),
	RV_CSR_FIELD(RV_CSR_SCOUNTEREN, scounteren, 0xffffffffull),
	RV_CSR_FIELD(RV_CSR_SENVCFG, senvcfg, RV_ENVCFG_CBO),
	RV_CSR_FIELD(RV_CSR_SSCRATCH, sscratch, ~0ull),
	RV_CSR_FIELD(RV_CSR_SEPC, sepc, ~1ull),
	RV_CSR_FIELD(RV_CSR_SCAUSE, scause, ~0ull),
	RV_CSR_FIELD(RV_CSR_STVAL, stval, ~0ull),
	RV_CSR_FN(RV_CSR_SIP, mip, 0, rv_sip_read, rv_sip_write, NULL),
	RV_CSR_FN(RV_CSR_STIMECMP, stimecmp, ~0ull, NULL, NULL, rv_csr_stimecmp_allowed),
	RV_CSR_FN(RV_CSR_SATP, satp, 0, NULL, rv_satp_write, rv_csr_satp_allowed),
	/* Machine. */
	RV_CSR_FIELD(RV_CSR_MVENDORID, mvendorid, 0),
	RV_CSR_FIELD(RV_CSR_MARCHID, marchid, 0),
	RV_CSR_FIELD(RV_CSR_MIMPID, mimpid, 0),
	RV_CSR_FIELD(RV_CSR_MHARTID, mhartid, 0),
	RV_CSR_ZERO(RV_CSR_MCONFIGPTR, RV_CSR_MCONFIGPTR, NULL),
	RV_CSR_FN(RV_CSR_MSTATUS, mstatus, 0, NULL, rv_mstatus_write, NULL),
	RV_CSR_FIELD(RV_CSR_MISA, misa, 0),
	RV_CSR_FIELD(RV_CSR_MEDELEG, medeleg, RV_MEDELEG_WRITABLE),
	RV_CSR_FIELD(RV_CSR_MIDELEG, mideleg, RV_MIDELEG_WRITABLE),
	RV_CSR_FIELD(RV_CSR_MIE, mie, RV_MIP_ALL),
	RV_CSR_FN(RV_CSR_MTVEC, mtvec, 0, NULL, rv_tvec_write, NULL),
	RV_CSR_FIELD(RV_CSR_MCOUNTEREN, mcounteren, 0xffffffffull),
	RV_CSR_FIELD(RV_CSR_MENVCFG, menvcfg, RV_ENVCFG_CBO | RV_MENVCFG_STCE),
	RV_CSR_ZERO(RV_CSR_MCOUNTINHIBIT, RV_CSR_MCOUNTINHIBIT, NULL),
	RV_CSR_ZERO(RV_CSR_MHPMEVENT3, RV_CSR_MHPMEVENT31, NULL),
	RV_CSR_FIELD(RV_CSR_MSCRATCH, mscratch, ~0ull),
	RV_CSR_FIELD(RV_CSR_MEPC, mepc, ~1ull),
	RV_CSR_FIELD(RV_CSR_MCAUSE, mcause, ~0ull),
	RV_CSR_FIELD(RV_CSR_MTVAL, mtval, ~0ull),
	RV_CSR_FN(RV_CSR_MIP, mip, 0, rv_mip_read, rv_mip_write, NULL),
	RV_CSR_RANGE_FN(RV_CSR_PMPCFG0, RV_CSR_PMPCFG0 + 15, rv_pmpcfg_read, rv_pmpcfg_write),
	RV_CSR_RANGE_FN(RV_CSR_PMPADDR0, RV_CSR_PMPADDR0 + 63, rv_pmpaddr_read, rv_pmpaddr_write),
	{ RV_CSR_MCYCLE, RV_CSR_MCYCLE, 0, 0, rv_counter_read, rv_counter_write, NULL },
	{ RV_CSR_MINSTRET, RV_CSR_MINSTRET, 0, 0, rv_counter_read, rv_counter_write, NULL },
	RV_CSR_ZERO(RV_CSR_MHPMCOUNTER3, RV_CSR_MHPMCOUNTER31, NULL),
	/* Sdtrig with no triggers: tdata1 reads type 0 whatever tselect holds. */
	RV_CSR_ZERO(RV_CSR_TSELECT, RV_CSR_TDATA3, NULL),
	RV_CSR_RANGE_FN(RV_CSR_TINFO, RV_CSR_TINFO, rv_tinfo_read, NULL),
};

static const struct rv_csr_desc *rv_csr_find(unsigned csr)
{
	for (size_t i = 0; i < ARRAY_SIZE(rv_csr_table); i++)
		if (csr >= rv_csr_table[i].first && csr <= rv_csr_table[i].last)
			return &rv_csr_table[i];
	return NULL;
}

static uint64_t *rv_csr_field(struct rv_cpu *cpu, const struct rv_csr_desc *desc)
{
	return (uint64_t *)((char *)cpu + desc->offset);
}

/* Fields narrower than 64 bits (the counter enables) are read and written at their width. */
static bool rv_csr_field_is_32(const struct rv_csr_desc *desc)
{
	return desc->offset == FIELD(mcounteren) || desc->offset == FIELD(scounteren);
}

int rv_csr_check(const struct rv_cpu *cpu, unsigned csr, bool write)
{
	const struct rv_csr_desc *desc = rv_csr_find(csr);

	if (!desc || cpu->priv < ((csr >> 8) & 3u))
		return -EPERM;
	if (write && (csr >> 10) == 3u)
		return -EPERM;
	if (desc->allowed && !desc->allowed(cpu, csr))
		return -EPERM;
	return 0;
}

int rv_csr_read(struct rv_cpu *cpu, unsigned csr, uint64_t *value)
{
	const struct rv_csr_desc *desc = rv_csr_find(csr);
	int err = rv_csr_check(cpu, csr, false);

	if (err)
		return err;
	if (desc->read)
		return desc->read(cpu, csr, value);
	if (desc->offset == 0)
		*value = 0;
	else if (rv_csr_field_is_32(desc))
		*value = *(uint32_t *)rv_csr_field(cpu, desc);
	else
		*value = *rv_csr_field(cpu, desc);
	return 0;
}

int rv_csr_write(struct rv_cpu *cpu, unsigned csr, uint64_t value, unsigned *effects)
{
	const struct rv_csr_desc *desc = rv_csr_find(csr);
	int err = rv_csr_check(cpu, csr, true);
	uint64_t *field;

	if (err)
		return err;
	if (desc->write)
		return desc->write(cpu, csr, value, effects);
	if (desc->offset == 0 || desc->write_mask == 0)
		return 0;
	field = rv_csr_field(cpu, desc);
	if (rv_csr_field_is_32(desc))
		*(uint32_t *)field = (uint32_t)value;
	else
		*field = (*field & ~desc->write_mask) | (value & desc->write_mask);
	return 0;
}

/* Whether envcfg lets the current mode use a cache-block operation (Zicbom, Zicboz). */
bool rv_cbo_allowed(const struct rv_cpu *cpu, enum rv_cbo kind)
{
	uint64_t need;

	if (cpu->priv == RV_PRIV_M)
		return true;
	if (kind == RV_CBO_ZERO)
		need = RV_ENVCFG_CBZE;
	else if (kind == RV_CBO_INVAL)
		need = RV_ENVCFG_CBIE;
	else
		need = RV_ENVCFG_CBCFE;
	/* CBIE is a two-bit field: any nonzero value enables (flush or invalidate both suffice). */
	if (!(cpu->menvcfg & need))
		return false;
	return cpu->priv == RV_PRIV_S || (cpu->senvcfg & need);
}
