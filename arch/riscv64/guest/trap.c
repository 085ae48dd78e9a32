// SPDX-License-Identifier: MIT
/*
 * Exceptions, interrupts and their return, following the privileged spec's trap rules: which
 * mode takes a trap (delegation), what the trap saves (xEPC, xCAUSE, xTVAL, xPP, xPIE), where
 * it goes (xTVEC, direct or vectored), and how mret/sret undo it.
 */
#include <stdint.h>

#include "arch/riscv64/guest/cpu.h"
#include "arch/riscv64/guest/trap.h"
#include "lib/compiler.h"
#include "lib/errno.h"

static uint64_t rv_tvec_target(uint64_t tvec, uint64_t cause)
{
	uint64_t base = tvec & ~3ull;

	/* Vectored mode sends interrupts to base + 4 * code; exceptions always go to base. */
	if ((tvec & 3u) == 1 && (cause & RV_CAUSE_INTERRUPT))
		return base + 4 * (cause & ~RV_CAUSE_INTERRUPT);
	return base;
}

void rv_trap_enter(struct rv_cpu *cpu, uint64_t cause, uint64_t tval)
{
	uint64_t code = cause & ~RV_CAUSE_INTERRUPT, deleg;
	uint64_t status = cpu->mstatus;

	deleg = cause & RV_CAUSE_INTERRUPT ? cpu->mideleg : cpu->medeleg;
	/* The reservation does not survive a trap: the handler may run a different context. */
	cpu->reservation_valid = 0;
	cpu->wfi = false;
	if (cpu->priv <= RV_PRIV_S && code < 64 && ((deleg >> code) & 1u)) {
		cpu->scause = cause;
		cpu->sepc = cpu->pc;
		cpu->stval = tval;
		status &= ~(RV_MSTATUS_SPP | RV_MSTATUS_SPIE | RV_MSTATUS_SIE);
		if (cpu->priv == RV_PRIV_S)
			status |= RV_MSTATUS_SPP;
		if (cpu->mstatus & RV_MSTATUS_SIE)
			status |= RV_MSTATUS_SPIE;
		cpu->mstatus = status;
		cpu->priv = RV_PRIV_S;
		cpu->pc = rv_tvec_target(cpu->stvec, cause);
		return;
	}
	cpu->mcause = cause;
	cpu->mepc = cpu->pc;
	cpu->mtval = tval;
	status &= ~(RV_MSTATUS_MPP | RV_MSTATUS_MPIE | RV_MSTATUS_MIE);
	status |= (uint64_t)cpu->priv << RV_MSTATUS_MPP_SHIFT;
	if (cpu->mstatus & RV_MSTATUS_MIE)
		status |= RV_MSTATUS_MPIE;
	cpu->mstatus = status;
	cpu->priv = RV_PRIV_M;
	cpu->pc = rv_tvec_target(cpu->mtvec, cause);
}

/* Priority order of the privileged spec, section "Machine Interrupt Registers". */
static const uint8_t rv_irq_priority[] = {
	RV_IRQ_M_EXT, RV_IRQ_M_SOFT, RV_IRQ_M_TIMER, RV_IRQ_S_EXT, RV_IRQ_S_SOFT, RV_IRQ_S_TIMER,
};

uint64_t rv_interrupt_to_take(const struct rv_cpu *cpu)
{
	return rv_interrupt_select(cpu, rv_cpu_mip(cpu));
}

uint64_t rv_interrupt_select(const struct rv_cpu *cpu, uint64_t mip)
{
	uint64_t pending = mip & cpu->mie;
	uint64_t m_pending = pending & ~cpu->mideleg, s_pending = pending & cpu->mideleg;
	bool m_enabled = cpu->priv < RV_PRIV_M || (cpu->mstatus & RV_MSTATUS_MIE);
	bool s_enabled = cpu->priv < RV_PRIV_S ||
			 (cpu->priv == RV_PRIV_S && (cpu->mstatus & RV_MSTATUS_SIE));
	uint64_t takeable = (m_enabled ? m_pending : 0) | (s_enabled ? s_pending : 0);

	/* Interrupts for M mode outrank those for S mode, even an undelegated STI over SEI. */
	if (m_enabled && m_pending)
		takeable = m_pending;
	for (size_t i = 0; i < ARRAY_SIZE(rv_irq_priority); i++)
		if (takeable & (1ull << rv_irq_priority[i]))
			return RV_CAUSE_INTERRUPT | rv_irq_priority[i];
	return 0;
}

bool rv_interrupt_pending(const struct rv_cpu *cpu)
{
	return (rv_cpu_mip(cpu) & cpu->mie) != 0;
}

int rv_mret(struct rv_cpu *cpu)
{
	uint64_t status = cpu->mstatus;
	unsigned mpp = (unsigned)((status & RV_MSTATUS_MPP) >> RV_MSTATUS_MPP_SHIFT);

	if (cpu->priv != RV_PRIV_M)
		return -EPERM;
	status &= ~(RV_MSTATUS_MIE | RV_MSTATUS_MPP);
	if (status & RV_MSTATUS_MPIE)
		status |= RV_MSTATUS_MIE;
	status |= RV_MSTATUS_MPIE;
	/* Leaving M mode turns MPRV off, so M-mode software cannot leave it armed by mistake. */
	if (mpp != RV_PRIV_M)
		status &= ~RV_MSTATUS_MPRV;
	cpu->mstatus = status;
	cpu->priv = (uint8_t)mpp;
	cpu->pc = cpu->mepc;
	cpu->reservation_valid = 0;
	return 0;
}

int rv_sret(struct rv_cpu *cpu)
{
	uint64_t status = cpu->mstatus;

	if (cpu->priv < RV_PRIV_S || (cpu->priv == RV_PRIV_S && (status & RV_MSTATUS_TSR)))
		return -EPERM;
	cpu->priv = status & RV_MSTATUS_SPP ? RV_PRIV_S : RV_PRIV_U;
	status &= ~(RV_MSTATUS_SIE | RV_MSTATUS_SPP | RV_MSTATUS_MPRV);
	if (status & RV_MSTATUS_SPIE)
		status |= RV_MSTATUS_SIE;
	status |= RV_MSTATUS_SPIE;
	cpu->mstatus = status;
	cpu->pc = cpu->sepc;
	cpu->reservation_valid = 0;
	return 0;
}

int rv_wfi_check(const struct rv_cpu *cpu)
{
	if (cpu->priv == RV_PRIV_U)
		return -EPERM;
	if (cpu->priv == RV_PRIV_S && (cpu->mstatus & RV_MSTATUS_TW))
		return -EPERM;
	return 0;
}
