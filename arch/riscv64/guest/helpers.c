// SPDX-License-Identifier: MIT
/*
 * The helpers riscv64 blocks call (helpers.h): thin wrappers that run the engine-independent
 * CSR, trap and translation code on the hart's state, then do what only the emulation engine
 * can: raise through emu_raise, halt, flush the softmmu, drop translated code.
 */
#include <stdint.h>

#include "arch/riscv64/guest/cpu.h"
#include "arch/riscv64/guest/csr.h"
#include "arch/riscv64/guest/helpers.h"
#include "arch/riscv64/guest/mmu.h"
#include "arch/riscv64/guest/trap.h"
#include "interp/emu.h"

static void rv_csr_apply_effects(struct emu_cpu *ecpu, unsigned effects)
{
	if (effects & RV_CSR_EFFECT_FLUSH_ALL)
		tlb_flush_all(ecpu->tlb, TLB_IDX_ALL);
	else if (effects & RV_CSR_EFFECT_FLUSH_TLB)
		tlb_flush_all(ecpu->tlb, RV_MMU_IDX_TRANSLATED_MASK);
}

static uint64_t rv_csr_helper(void *opaque, uint64_t control, uint64_t source, uint64_t insn)
{
	struct emu_cpu *ecpu = opaque;
	struct rv_cpu *cpu = ecpu->state;
	unsigned csr = control & RV_CSR_NUM_MASK, op = (control >> RV_CSR_OP_SHIFT) & 3u;
	unsigned effects = 0;
	uint64_t old = 0, next = source;
	int err;

	cpu->insns_retired = ecpu->stats.insns_run + (control >> RV_CSR_INDEX_SHIFT);
	/* Both halves are checked before either happens: a failed write must not read. */
	err = rv_csr_check(cpu, csr, control & RV_CSR_DO_WRITE);
	if (!err && (control & RV_CSR_DO_READ))
		err = rv_csr_read(cpu, csr, &old);
	if (!err && (control & RV_CSR_DO_WRITE)) {
		if (op == RV_CSR_OP_RS)
			next = rv_csr_rmw_base(cpu, csr, old) | source;
		else if (op == RV_CSR_OP_RC)
			next = rv_csr_rmw_base(cpu, csr, old) & ~source;
		err = rv_csr_write(cpu, csr, next, &effects);
	}
	if (err) {
		emu_raise(ecpu, RV_EXC_ILLEGAL_INSN, insn);
		return 0;
	}
	rv_csr_apply_effects(ecpu, effects);
	return old;
}

const struct ir_helper rv_helper_csr = {
	.name = "csr",
	.fn = rv_csr_helper,
	.nargs = 3,
	.flags = IR_HELPER_READS_STATE | IR_HELPER_WRITES_STATE | IR_HELPER_MAY_RAISE,
};

static uint64_t rv_cbo_check_helper(void *opaque, uint64_t kind, uint64_t insn, uint64_t unused)
{
	struct emu_cpu *ecpu = opaque;

	if (!rv_cbo_allowed(ecpu->state, (enum rv_cbo)kind))
		emu_raise(ecpu, RV_EXC_ILLEGAL_INSN, insn);
	return 0;
}

const struct ir_helper rv_helper_cbo_check = {
	.name = "cbo_check",
	.fn = rv_cbo_check_helper,
	.nargs = 2,
	.flags = IR_HELPER_READS_STATE | IR_HELPER_MAY_RAISE,
};
static uint64_t rv_mret_helper(void *opaque, uint64_t insn, uint64_t b, uint64_t c)
{
	struct emu_cpu *ecpu = opaque;

	if (rv_mret(ecpu->state) < 0)
		emu_raise(ecpu, RV_EXC_ILLEGAL_INSN, insn);
	return 0;
}

static uint64_t rv_sret_helper(void *opaque, uint64_t insn, uint64_t b, uint64_t c)
{
	struct emu_cpu *ecpu = opaque;

	if (rv_sret(ecpu->state) < 0)
		emu_raise(ecpu, RV_EXC_ILLEGAL_INSN, insn);
	return 0;
}

/* The block already set the PC past the WFI: the hart resumes there once woken. */
static uint64_t rv_wfi_helper(void *opaque, uint64_t insn, uint64_t b, uint64_t c)
{
	struct emu_cpu *ecpu = opaque;
	struct rv_cpu *cpu = ecpu->state;

	if (rv_wfi_check(cpu) < 0) {
		emu_raise(ecpu, RV_EXC_ILLEGAL_INSN, insn);
		return 0;
	}
	if (!rv_interrupt_pending(cpu)) {
		cpu->wfi = true;
		emu_halt(ecpu);
	}
	return 0;
}

#define RV_XRET_FLAGS (IR_HELPER_READS_STATE | IR_HELPER_WRITES_STATE | IR_HELPER_MAY_RAISE)

const struct ir_helper rv_helper_mret = {
	.name = "mret", .fn = rv_mret_helper, .nargs = 1, .flags = RV_XRET_FLAGS
};
const struct ir_helper rv_helper_sret = {
	.name = "sret", .fn = rv_sret_helper, .nargs = 1, .flags = RV_XRET_FLAGS
};
const struct ir_helper rv_helper_wfi = {
	.name = "wfi", .fn = rv_wfi_helper, .nargs = 1, .flags = RV_XRET_FLAGS
};
/* sfence.vma rs1, rs2: x0 in rs1 means every address, x0 in rs2 every ASID. */
static uint64_t rv_sfence_vma_helper(void *opaque, uint64_t vaddr, uint64_t asid, uint64_t insn)
{
	struct emu_cpu *ecpu = opaque;
	const struct rv_cpu *cpu = ecpu->state;
	bool all_addrs = ((insn >> 15) & 31u) == 0, all_asids = ((insn >> 20) & 31u) == 0;

	if (cpu->priv == RV_PRIV_U || (cpu->priv == RV_PRIV_S && (cpu->mstatus & RV_MSTATUS_TVM))) {
		emu_raise(ecpu, RV_EXC_ILLEGAL_INSN, insn);
		return 0;
	}
	if (all_addrs && all_asids)
		tlb_flush_all(ecpu->tlb, RV_MMU_IDX_TRANSLATED_MASK);
	else if (all_addrs)
		tlb_flush_asid(ecpu->tlb, RV_MMU_IDX_TRANSLATED_MASK, (uint16_t)asid);
	else if (all_asids)
		tlb_flush_page(ecpu->tlb, RV_MMU_IDX_TRANSLATED_MASK, vaddr);
	else
		tlb_flush_page_asid(ecpu->tlb, RV_MMU_IDX_TRANSLATED_MASK, vaddr, (uint16_t)asid);
	return 0;
}

const struct ir_helper rv_helper_sfence_vma = {
	.name = "sfence.vma",
	.fn = rv_sfence_vma_helper,
	.nargs = 3,
	.flags = IR_HELPER_READS_STATE | IR_HELPER_MAY_RAISE,
};
