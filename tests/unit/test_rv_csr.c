// SPDX-License-Identifier: MIT
/* arch/riscv64/guest/csr: access checks, WARL rules, views, counters, Sstc, PMP. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "arch/riscv64/guest/cpu.h"
#include "arch/riscv64/guest/csr.h"
#include "lib/errno.h"

static uint64_t fake_time;

static uint64_t read_fake_time(void *ctx)
{
	return fake_time;
}

static const struct rv_platform platform = { .read_time = read_fake_time };

static struct rv_cpu hart(enum rv_priv priv)
{
	struct rv_cpu cpu;

	rv_cpu_reset(&cpu, 3, &platform);
	cpu.priv = (uint8_t)priv;
	return cpu;
}

static uint64_t read_ok(struct rv_cpu *cpu, unsigned csr)
{
	uint64_t value = 0xdead;

	assert_int_equal(rv_csr_read(cpu, csr, &value), 0);
	return value;
}

static void write_ok(struct rv_cpu *cpu, unsigned csr, uint64_t value)
{
	unsigned effects = 0;

	assert_int_equal(rv_csr_write(cpu, csr, value, &effects), 0);
}

static void test_csr_machine_csrs_are_illegal_below_machine_mode(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_S);
	uint64_t value;

	assert_int_equal(rv_csr_read(&cpu, RV_CSR_MSTATUS, &value), -EPERM);
	assert_int_equal(rv_csr_check(&cpu, RV_CSR_SSTATUS, true), 0);
	cpu.priv = RV_PRIV_U;
	assert_int_equal(rv_csr_check(&cpu, RV_CSR_SSTATUS, false), -EPERM);
}

static void test_csr_write_to_read_only_number_is_illegal(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_M);
	unsigned effects = 0;

	assert_int_equal(read_ok(&cpu, RV_CSR_MHARTID), 3);
	assert_int_equal(rv_csr_write(&cpu, RV_CSR_MHARTID, 0, &effects), -EPERM);
	assert_int_equal(rv_csr_write(&cpu, RV_CSR_CYCLE, 0, &effects), -EPERM);
}

static void test_csr_unknown_numbers_are_illegal(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_M);
	uint64_t value;

	assert_int_equal(rv_csr_read(&cpu, 0x7c0, &value), -EPERM);
	assert_int_equal(rv_csr_read(&cpu, 0x015, &value), -EPERM);
	/* RV64 has no odd pmpcfg registers. */
	assert_int_equal(rv_csr_read(&cpu, RV_CSR_PMPCFG0 + 1, &value), -EPERM);
}

static void test_csr_sstatus_is_a_masked_view_of_mstatus(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_M);

	write_ok(&cpu, RV_CSR_MSTATUS, RV_MSTATUS_MIE | RV_MSTATUS_MPP);
	cpu.priv = RV_PRIV_S;
	write_ok(&cpu, RV_CSR_SSTATUS, RV_MSTATUS_SIE | RV_MSTATUS_SUM | RV_MSTATUS_TVM);
	assert_int_equal(read_ok(&cpu, RV_CSR_SSTATUS) & (RV_MSTATUS_SIE | RV_MSTATUS_SUM |
							  RV_MSTATUS_MIE | RV_MSTATUS_MPP),
			 RV_MSTATUS_SIE | RV_MSTATUS_SUM);
	/* M-only bits neither show nor change through sstatus. */
	assert_true(cpu.mstatus & RV_MSTATUS_MIE);
	assert_false(cpu.mstatus & RV_MSTATUS_TVM);
	assert_int_equal(read_ok(&cpu, RV_CSR_SSTATUS) & RV_MSTATUS_UXL, 2ull << 32);
}

static void test_csr_mstatus_reserved_mpp_reads_as_user_and_fs_dirty_sets_sd(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_M);

	write_ok(&cpu, RV_CSR_MSTATUS, 2ull << RV_MSTATUS_MPP_SHIFT);
	assert_int_equal(read_ok(&cpu, RV_CSR_MSTATUS) & RV_MSTATUS_MPP, 0);
	write_ok(&cpu, RV_CSR_MSTATUS, RV_MSTATUS_FS_DIRTY);
	assert_true(read_ok(&cpu, RV_CSR_MSTATUS) & RV_MSTATUS_SD);
	assert_int_equal(read_ok(&cpu, RV_CSR_MSTATUS) & RV_MSTATUS_SXL, 2ull << 34);
}

static void test_csr_satp_ignores_unsupported_modes_and_reports_a_flush(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_S);
	uint64_t sv48 = ((uint64_t)RV_SATP_SV48 << RV_SATP_MODE_SHIFT) | (5ull << 44) | 0x1234;
	unsigned effects = 0;

	assert_int_equal(rv_csr_write(&cpu, RV_CSR_SATP, sv48, &effects), 0);
	assert_int_equal(effects, RV_CSR_EFFECT_FLUSH_TLB);
	assert_int_equal(read_ok(&cpu, RV_CSR_SATP), sv48);
	write_ok(&cpu, RV_CSR_SATP, (1ull << RV_SATP_MODE_SHIFT) | 0x99);
	assert_int_equal(read_ok(&cpu, RV_CSR_SATP), sv48);
	cpu.mstatus |= RV_MSTATUS_TVM;
	assert_int_equal(rv_csr_check(&cpu, RV_CSR_SATP, false), -EPERM);
}

static void test_csr_counters_need_counteren_below_machine_mode(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_U);
	uint64_t value;

	assert_int_equal(rv_csr_read(&cpu, RV_CSR_CYCLE, &value), -EPERM);
	cpu.mcounteren = 0x7;
	assert_int_equal(rv_csr_read(&cpu, RV_CSR_TIME, &value), -EPERM);
	cpu.priv = RV_PRIV_S;
	fake_time = 777;
	assert_int_equal(read_ok(&cpu, RV_CSR_TIME), 777);
	cpu.priv = RV_PRIV_U;
	cpu.scounteren = 0x2;
	assert_int_equal(read_ok(&cpu, RV_CSR_TIME), 777);
	assert_int_equal(rv_csr_read(&cpu, RV_CSR_INSTRET, &value), -EPERM);
	assert_int_equal(rv_csr_read(&cpu, RV_CSR_HPMCOUNTER3, &value), -EPERM);
}

static void test_csr_mcycle_write_continues_counting_from_the_value(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_M);

	cpu.insns_retired = 1000;
	assert_int_equal(read_ok(&cpu, RV_CSR_MINSTRET), 1000);
	/* The writing instruction is the 1001st: it does not count, the next 9 do. */
	write_ok(&cpu, RV_CSR_MCYCLE, 5);
	cpu.insns_retired = 1010;
	assert_int_equal(read_ok(&cpu, RV_CSR_MCYCLE), 14);
	assert_int_equal(read_ok(&cpu, RV_CSR_CYCLE), 14);
	assert_int_equal(read_ok(&cpu, RV_CSR_INSTRET), 1010);
	/* Unimplemented counters read zero and ignore writes. */
	write_ok(&cpu, RV_CSR_MHPMCOUNTER3, 99);
	assert_int_equal(read_ok(&cpu, RV_CSR_MHPMCOUNTER3), 0);
}

static void test_csr_stimecmp_drives_stip_with_sstc(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_S);
	uint64_t value;

	assert_int_equal(rv_csr_read(&cpu, RV_CSR_STIMECMP, &value), -EPERM);
	cpu.menvcfg = RV_MENVCFG_STCE;
	cpu.mcounteren = 0x2;
	fake_time = 100;
	write_ok(&cpu, RV_CSR_STIMECMP, 200);
	assert_false(rv_cpu_mip(&cpu) & RV_MIP_STIP);
	fake_time = 200;
	assert_true(rv_cpu_mip(&cpu) & RV_MIP_STIP);
	/* With Sstc on, STIP is no longer a bit M mode writes. */
	cpu.priv = RV_PRIV_M;
	write_ok(&cpu, RV_CSR_MIP, 0);
	assert_true(read_ok(&cpu, RV_CSR_MIP) & RV_MIP_STIP);
}

static void test_csr_fp_csrs_are_illegal_while_fs_is_off(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_U);
	uint64_t value;

	assert_int_equal(rv_csr_read(&cpu, RV_CSR_FCSR, &value), -EPERM);
	cpu.mstatus |= 1ull << 13;
	write_ok(&cpu, RV_CSR_FCSR, (3u << 5) | 0x11);
	assert_int_equal(read_ok(&cpu, RV_CSR_FRM), 3);
	assert_int_equal(read_ok(&cpu, RV_CSR_FFLAGS), 0x11);
	write_ok(&cpu, RV_CSR_FFLAGS, 0xff);
	assert_int_equal(read_ok(&cpu, RV_CSR_FCSR), (3u << 5) | 0x1f);
	/* Writing FP state makes it Dirty. */
	assert_int_equal(cpu.mstatus & RV_MSTATUS_FS, RV_MSTATUS_FS_DIRTY);
}

static void test_csr_sie_and_sip_show_only_delegated_interrupts(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_M);

	write_ok(&cpu, RV_CSR_MIDELEG, ~0ull);
	assert_int_equal(read_ok(&cpu, RV_CSR_MIDELEG), RV_MIP_S_MASK);
	write_ok(&cpu, RV_CSR_MIDELEG, RV_MIP_SSIP | RV_MIP_STIP);
	write_ok(&cpu, RV_CSR_MIE, RV_MIP_ALL);
	assert_int_equal(read_ok(&cpu, RV_CSR_SIE), RV_MIP_SSIP | RV_MIP_STIP);
	cpu.priv = RV_PRIV_S;
	write_ok(&cpu, RV_CSR_SIE, 0);
	assert_int_equal(cpu.mie, RV_MIP_ALL & ~(RV_MIP_SSIP | RV_MIP_STIP));
	/* S mode may set SSIP through sip, but not STIP. */
	write_ok(&cpu, RV_CSR_SIP, RV_MIP_SSIP | RV_MIP_STIP);
	assert_int_equal(read_ok(&cpu, RV_CSR_SIP), RV_MIP_SSIP);
	rv_cpu_set_irq_line(&cpu, RV_MIP_MEIP, true);
	assert_int_equal(read_ok(&cpu, RV_CSR_SIP), RV_MIP_SSIP);
	cpu.priv = RV_PRIV_M;
	assert_int_equal(read_ok(&cpu, RV_CSR_MIP), RV_MIP_SSIP | RV_MIP_MEIP);
}

static void test_csr_medeleg_cannot_delegate_ecall_from_machine(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_M);

	write_ok(&cpu, RV_CSR_MEDELEG, ~0ull);
	assert_false(read_ok(&cpu, RV_CSR_MEDELEG) & (1u << RV_EXC_ECALL_M));
	assert_true(read_ok(&cpu, RV_CSR_MEDELEG) & (1u << RV_EXC_ECALL_U));
}

static void test_csr_tvec_keeps_its_value_for_a_reserved_mode_and_epc_drops_bit_0(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_M);

	write_ok(&cpu, RV_CSR_MTVEC, 0x80000101);
	write_ok(&cpu, RV_CSR_MTVEC, 0x80000202);
	assert_int_equal(read_ok(&cpu, RV_CSR_MTVEC), 0x80000101);
	write_ok(&cpu, RV_CSR_MEPC, 0x80000003);
	assert_int_equal(read_ok(&cpu, RV_CSR_MEPC), 0x80000002);
}

static void test_csr_pmp_registers_are_writable_until_locked(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_M);

	write_ok(&cpu, RV_CSR_PMPADDR0, ~0ull);
	assert_int_equal(read_ok(&cpu, RV_CSR_PMPADDR0), (1ull << 54) - 1);
	write_ok(&cpu, RV_CSR_PMPCFG0, 0x1f);
	assert_int_equal(read_ok(&cpu, RV_CSR_PMPCFG0), 0x1f);
	write_ok(&cpu, RV_CSR_PMPCFG0, 0x9f);
	write_ok(&cpu, RV_CSR_PMPCFG0, 0x00);
	assert_int_equal(read_ok(&cpu, RV_CSR_PMPCFG0), 0x9f);
	write_ok(&cpu, RV_CSR_PMPADDR0, 5);
	assert_int_equal(read_ok(&cpu, RV_CSR_PMPADDR0), (1ull << 54) - 1);
	/* Entries past the sixteen implemented read as zero. */
	write_ok(&cpu, RV_CSR_PMPADDR0 + 40, 5);
	assert_int_equal(read_ok(&cpu, RV_CSR_PMPADDR0 + 40), 0);
}

static void test_csr_debug_triggers_are_absent_but_readable(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_M);

	write_ok(&cpu, RV_CSR_TSELECT, 0);
	write_ok(&cpu, RV_CSR_TDATA1, ~0ull);
	assert_int_equal(read_ok(&cpu, RV_CSR_TDATA1), 0);
	assert_int_equal(read_ok(&cpu, RV_CSR_TINFO), 1);
	cpu.priv = RV_PRIV_S;
	assert_int_equal(rv_csr_check(&cpu, RV_CSR_TSELECT, false), -EPERM);
}

static void test_csr_envcfg_gates_cache_block_operations(void **state)
{
	struct rv_cpu cpu = hart(RV_PRIV_U);

	assert_false(rv_cbo_allowed(&cpu, RV_CBO_ZERO));
	cpu.menvcfg = RV_ENVCFG_CBZE;
	assert_false(rv_cbo_allowed(&cpu, RV_CBO_ZERO));
	cpu.senvcfg = RV_ENVCFG_CBZE;
	assert_true(rv_cbo_allowed(&cpu, RV_CBO_ZERO));
	assert_false(rv_cbo_allowed(&cpu, RV_CBO_FLUSH));
	cpu.priv = RV_PRIV_M;
	assert_true(rv_cbo_allowed(&cpu, RV_CBO_INVAL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csr_machine_csrs_are_illegal_below_machine_mode),
		cmocka_unit_test(test_csr_write_to_read_only_number_is_illegal),
		cmocka_unit_test(test_csr_unknown_numbers_are_illegal),
		cmocka_unit_test(test_csr_sstatus_is_a_masked_view_of_mstatus),
		cmocka_unit_test(test_csr_mstatus_reserved_mpp_reads_as_user_and_fs_dirty_sets_sd),
		cmocka_unit_test(test_csr_satp_ignores_unsupported_modes_and_reports_a_flush),
		cmocka_unit_test(test_csr_counters_need_counteren_below_machine_mode),
		cmocka_unit_test(test_csr_mcycle_write_continues_counting_from_the_value),
		cmocka_unit_test(test_csr_stimecmp_drives_stip_with_sstc),
		cmocka_unit_test(test_csr_fp_csrs_are_illegal_while_fs_is_off),
		cmocka_unit_test(test_csr_sie_and_sip_show_only_delegated_interrupts),
		cmocka_unit_test(test_csr_medeleg_cannot_delegate_ecall_from_machine),
		cmocka_unit_test(
			test_csr_tvec_keeps_its_value_for_a_reserved_mode_and_epc_drops_bit_0),
		cmocka_unit_test(test_csr_pmp_registers_are_writable_until_locked),
		cmocka_unit_test(test_csr_debug_triggers_are_absent_but_readable),
		cmocka_unit_test(test_csr_envcfg_gates_cache_block_operations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
