// SPDX-License-Identifier: MIT
/* arch/riscv64/guest/trap: delegation, trap entry, xRET, interrupt priority and enables, WFI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "arch/riscv64/guest/cpu.h"
#include "arch/riscv64/guest/trap.h"
#include "lib/errno.h"

static struct rv_cpu hart(enum rv_priv priv)
{
	struct rv_cpu cpu;

	rv_cpu_reset(&cpu, 0, NULL);
	cpu.priv = (uint8_t)priv;
	cpu.pc = 0x1000;
	cpu.mtvec = 0x80000000;
	cpu.stvec = 0x80001000;
	return cpu;
}

static unsigned mpp(const struct rv_cpu *cpu)
{
	return (unsigned)((cpu->mstatus & RV_MSTATUS_MPP) >> RV_MSTATUS_MPP_SHIFT);
}

static void test_delegated_exception_from_user_enters_supervisor(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_U);

	cpu.medeleg = 1u << RV_EXC_LOAD_PAGE_FAULT;
	cpu.mstatus |= RV_MSTATUS_SIE;
	cpu.reservation_valid = 1;
	rv_trap_enter(&cpu, RV_EXC_LOAD_PAGE_FAULT, 0xdead000);
	assert_int_equal(cpu.priv, RV_PRIV_S);
	assert_int_equal(cpu.pc, 0x80001000);
	assert_int_equal(cpu.sepc, 0x1000);
	assert_int_equal(cpu.scause, RV_EXC_LOAD_PAGE_FAULT);
	assert_int_equal(cpu.stval, 0xdead000);
	assert_false(cpu.mstatus & RV_MSTATUS_SPP);
	assert_true(cpu.mstatus & RV_MSTATUS_SPIE);
	assert_false(cpu.mstatus & RV_MSTATUS_SIE);
	assert_int_equal(cpu.mcause, 0);
	assert_int_equal(cpu.reservation_valid, 0);
}

static void test_undelegated_exception_enters_machine_mode(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_S);

	cpu.mstatus |= RV_MSTATUS_MIE;
	rv_trap_enter(&cpu, RV_EXC_ILLEGAL_INSN, 0x13);
	assert_int_equal(cpu.priv, RV_PRIV_M);
	assert_int_equal(cpu.pc, 0x80000000);
	assert_int_equal(cpu.mepc, 0x1000);
	assert_int_equal(cpu.mtval, 0x13);
	assert_int_equal(mpp(&cpu), RV_PRIV_S);
	assert_true(cpu.mstatus & RV_MSTATUS_MPIE);
	assert_false(cpu.mstatus & RV_MSTATUS_MIE);
}

static void test_delegation_never_lowers_privilege_from_machine_mode(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_M);

	cpu.medeleg = ~0ull;
	rv_trap_enter(&cpu, RV_EXC_BREAKPOINT, 0);
	assert_int_equal(cpu.priv, RV_PRIV_M);
	assert_int_equal(cpu.mcause, RV_EXC_BREAKPOINT);
	assert_int_equal(mpp(&cpu), RV_PRIV_M);
}

static void test_vectored_tvec_sends_interrupts_to_their_slot(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_U);

	cpu.mtvec = 0x80000001;
	rv_trap_enter(&cpu, RV_CAUSE_INTERRUPT | RV_IRQ_M_TIMER, 0);
	assert_int_equal(cpu.pc, 0x80000000 + 4 * RV_IRQ_M_TIMER);
	cpu.priv = RV_PRIV_U;
	rv_trap_enter(&cpu, RV_EXC_ECALL_U, 0);
	assert_int_equal(cpu.pc, 0x80000000);
}

static void test_mret_returns_to_mpp_and_clears_mprv_below_machine(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_M);

	cpu.mepc = 0x4000;
	cpu.mstatus |= RV_MSTATUS_MPIE | RV_MSTATUS_MPRV | (1ull << RV_MSTATUS_MPP_SHIFT);
	assert_int_equal(rv_mret(&cpu), 0);
	assert_int_equal(cpu.priv, RV_PRIV_S);
	assert_int_equal(cpu.pc, 0x4000);
	assert_true(cpu.mstatus & RV_MSTATUS_MIE);
	assert_true(cpu.mstatus & RV_MSTATUS_MPIE);
	assert_false(cpu.mstatus & RV_MSTATUS_MPRV);
	assert_int_equal(mpp(&cpu), RV_PRIV_U);
	assert_int_equal(rv_mret(&cpu), -EPERM);
}

static void test_mret_to_machine_mode_keeps_mprv(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_M);

	cpu.mstatus |= RV_MSTATUS_MPRV | RV_MSTATUS_MPP;
	assert_int_equal(rv_mret(&cpu), 0);
	assert_int_equal(cpu.priv, RV_PRIV_M);
	assert_true(cpu.mstatus & RV_MSTATUS_MPRV);
}

static void test_sret_follows_spp_and_honours_tsr(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_S);

	cpu.sepc = 0x5000;
	cpu.mstatus |= RV_MSTATUS_SPIE;
	assert_int_equal(rv_sret(&cpu), 0);
	assert_int_equal(cpu.priv, RV_PRIV_U);
	assert_int_equal(cpu.pc, 0x5000);
	assert_true(cpu.mstatus & RV_MSTATUS_SIE);
	assert_int_equal(rv_sret(&cpu), -EPERM);
	cpu.priv = RV_PRIV_S;
	cpu.mstatus |= RV_MSTATUS_TSR;
	assert_int_equal(rv_sret(&cpu), -EPERM);
	/* TSR traps S mode only: M mode may still sret. */
	cpu.priv = RV_PRIV_M;
	cpu.mstatus |= RV_MSTATUS_SPP;
	assert_int_equal(rv_sret(&cpu), 0);
	assert_int_equal(cpu.priv, RV_PRIV_S);
}

static void test_machine_interrupts_need_mie_only_in_machine_mode(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_M);

	cpu.mie = RV_MIP_MTIP;
	rv_cpu_set_irq_line(&cpu, RV_MIP_MTIP, true);
	assert_int_equal(rv_interrupt_to_take(&cpu), 0);
	assert_true(rv_interrupt_pending(&cpu));
	cpu.mstatus |= RV_MSTATUS_MIE;
	assert_int_equal(rv_interrupt_to_take(&cpu), RV_CAUSE_INTERRUPT | RV_IRQ_M_TIMER);
	cpu.mstatus &= ~RV_MSTATUS_MIE;
	cpu.priv = RV_PRIV_S;
	assert_int_equal(rv_interrupt_to_take(&cpu), RV_CAUSE_INTERRUPT | RV_IRQ_M_TIMER);
}

static void test_interrupt_priority_puts_external_first_and_machine_before_supervisor(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_U);

	cpu.mie = RV_MIP_ALL;
	cpu.mip = RV_MIP_SSIP | RV_MIP_SEIP;
	rv_cpu_set_irq_line(&cpu, RV_MIP_MTIP, true);
	rv_cpu_set_irq_line(&cpu, RV_MIP_MSIP, true);
	assert_int_equal(rv_interrupt_to_take(&cpu), RV_CAUSE_INTERRUPT | RV_IRQ_M_SOFT);
	rv_cpu_set_irq_line(&cpu, RV_MIP_MEIP, true);
	assert_int_equal(rv_interrupt_to_take(&cpu), RV_CAUSE_INTERRUPT | RV_IRQ_M_EXT);
	rv_cpu_set_irq_line(&cpu, RV_MIP_MEIP | RV_MIP_MSIP | RV_MIP_MTIP, false);
	assert_int_equal(rv_interrupt_to_take(&cpu), RV_CAUSE_INTERRUPT | RV_IRQ_S_EXT);
}

static void test_delegated_interrupts_are_masked_in_machine_mode(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_S);

	cpu.mideleg = RV_MIP_S_MASK;
	cpu.mie = RV_MIP_STIP;
	cpu.mip = RV_MIP_STIP;
	assert_int_equal(rv_interrupt_to_take(&cpu), 0);
	cpu.mstatus |= RV_MSTATUS_SIE;
	assert_int_equal(rv_interrupt_to_take(&cpu), RV_CAUSE_INTERRUPT | RV_IRQ_S_TIMER);
	cpu.priv = RV_PRIV_U;
	cpu.mstatus &= ~RV_MSTATUS_SIE;
	assert_int_equal(rv_interrupt_to_take(&cpu), RV_CAUSE_INTERRUPT | RV_IRQ_S_TIMER);
	cpu.priv = RV_PRIV_M;
	cpu.mstatus |= RV_MSTATUS_MIE | RV_MSTATUS_SIE;
	assert_int_equal(rv_interrupt_to_take(&cpu), 0);
	/* Taken in U mode, a delegated interrupt lands in S mode. */
	cpu.priv = RV_PRIV_U;
	rv_trap_enter(&cpu, rv_interrupt_to_take(&cpu), 0);
	assert_int_equal(cpu.priv, RV_PRIV_S);
	assert_int_equal(cpu.scause, RV_CAUSE_INTERRUPT | RV_IRQ_S_TIMER);
}

static void test_wfi_is_illegal_in_user_mode_and_under_tw(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_U);

	assert_int_equal(rv_wfi_check(&cpu), -EPERM);
	cpu.priv = RV_PRIV_S;
	assert_int_equal(rv_wfi_check(&cpu), 0);
	cpu.mstatus |= RV_MSTATUS_TW;
	assert_int_equal(rv_wfi_check(&cpu), -EPERM);
	cpu.priv = RV_PRIV_M;
	assert_int_equal(rv_wfi_check(&cpu), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delegated_exception_from_user_enters_supervisor),
		cmocka_unit_test(test_undelegated_exception_enters_machine_mode),
		cmocka_unit_test(test_delegation_never_lowers_privilege_from_machine_mode),
		cmocka_unit_test(test_vectored_tvec_sends_interrupts_to_their_slot),
		cmocka_unit_test(test_mret_returns_to_mpp_and_clears_mprv_below_machine),
		cmocka_unit_test(test_mret_to_machine_mode_keeps_mprv),
		cmocka_unit_test(test_sret_follows_spp_and_honours_tsr),
		cmocka_unit_test(test_machine_interrupts_need_mie_only_in_machine_mode),
		cmocka_unit_test(
			test_interrupt_priority_puts_external_first_and_machine_before_supervisor),
		cmocka_unit_test(test_delegated_interrupts_are_masked_in_machine_mode),
		cmocka_unit_test(test_wfi_is_illegal_in_user_mode_and_under_tw),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
