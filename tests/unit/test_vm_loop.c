// SPDX-License-Identifier: MIT
/*
 * kernel/vm_loop: the VM loop with a fake engine whose vCPUs follow a per-test script and a fake
 * board, on the real platform's threads and events: wake-up by kick, halts that sleep, power-off,
 * reset, errors, stop and start, time slices and two VMs at once. Also lib/plat.h's events.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/board.h"
#include "kernel/engine.h"
#include "kernel/vm.h"
#include "kernel/vm_loop.h"
#include "lib/errno.h"
#include "lib/plat.h"
#include "tests/unit/console_capture.h"

#define MAX_VCPUS 8
#define MS 1000000ull

/* What one VM's vCPUs do: a script run for each vcpu_run, and what it leaves behind. */
struct script {
	int (*run)(struct script *script, struct vcpu *vcpu, struct vm_exit *exit);
	struct fake_vcpu *vcpus;
	int exit_status; /* what the board's exit_status reports */
	atomic_uint board_resets;
	atomic_uint step; /* a script's own progress counter */
	struct script *peer; /* the other VM's script, for the two-VM tests */
	struct vm *peer_vm;
	atomic_int peer_start; /* what vm_start(peer_vm) returned */
};

struct fake_vcpu {
	atomic_uint kicked;
	atomic_uint runs;
	atomic_uint resets;
	atomic_uint irq; /* an "interrupt" another vCPU raised */
	atomic_ullong irq_raised_ns;
	atomic_ullong timer_ns; /* when the fake board's timer wakes this vCPU; 0: never */
	bool saw_slice;
};

static struct fake_vcpu fake_vcpus[2][MAX_VCPUS];
static struct script scripts[2];
static struct script *next_script; /* what the next fake_board_create hands its VM */

static bool probe_any(enum vm_isa isa)
{
	return true;
}

static int fake_vcpu_init(struct vcpu *vcpu)
{
	struct script *script = vcpu->vm->board_priv;

	vcpu->engine_priv = &script->vcpus[vcpu->id];
	return 0;
}

static struct fake_vcpu *fake(struct vcpu *vcpu)
{
	return vcpu->engine_priv;
}

/* Takes a pending kick: the engine's vcpu_run returns VM_EXIT_KICK first of all. */
static bool take_kick(struct vcpu *vcpu, struct vm_exit *exit)
{
	if (!atomic_exchange(&fake(vcpu)->kicked, 0))
		return false;
	exit->reason = VM_EXIT_KICK;
	return true;
}

static int fake_vcpu_run(struct vcpu *vcpu, struct vm_exit *exit)
{
	struct script *script = vcpu->vm->board_priv;

	atomic_fetch_add(&fake(vcpu)->runs, 1);
	if (vcpu->slice_end_ns)
		fake(vcpu)->saw_slice = true;
	if (take_kick(vcpu, exit))
		return 0;
	return script->run(script, vcpu, exit);
}

static void fake_vcpu_kick(struct vcpu *vcpu)
{
	atomic_store(&fake(vcpu)->kicked, 1);
}

static int fake_get_state(struct vcpu *vcpu, struct arch_state *state)
{
	return -ENOTSUP;
}

static int fake_set_state(struct vcpu *vcpu, const struct arch_state *state)
{
	return -ENOTSUP;
}

static void fake_vcpu_destroy(struct vcpu *vcpu)
{
}

static void fake_vcpu_reset(struct vcpu *vcpu)
{
	atomic_fetch_add(&fake(vcpu)->resets, 1);
}

static const struct engine_ops fake_engine = {
	.name = "fake-loop",
	.kind = VM_ENGINE_INTERP,
	.probe = probe_any,
	.vcpu_init = fake_vcpu_init,
	.vcpu_run = fake_vcpu_run,
	.vcpu_kick = fake_vcpu_kick,
	.get_state = fake_get_state,
	.set_state = fake_set_state,
	.vcpu_destroy = fake_vcpu_destroy,
	.vcpu_reset = fake_vcpu_reset,
};

static int fake_board_create(struct vm *vm)
{
	vm->board_priv = next_script;
	return 0;
}

static void fake_board_destroy(struct vm *vm)
{
}

static int fake_board_reset(struct vm *vm)
{
	struct script *script = vm->board_priv;

	atomic_fetch_add(&script->board_resets, 1);
	return 0;
}

/* A halted vCPU wakes by its fake timer, when its script set one, or by a kick. */
static uint64_t fake_board_next_event(struct vcpu *vcpu)
{
	uint64_t timer = atomic_load(&fake(vcpu)->timer_ns);

	return timer ? timer : UINT64_MAX;
}

static int fake_board_exit_status(struct vm *vm)
{
	struct script *script = vm->board_priv;

	return script->exit_status;
}

static const struct board_ops fake_board = {
	.name = "loop",
	.isa = VM_ISA_RISCV64,
	.create = fake_board_create,
	.destroy = fake_board_destroy,
	.reset = fake_board_reset,
	.next_event_ns = fake_board_next_event,
	.exit_status = fake_board_exit_status,
};

/* The same board without the optional reset hook. */
static const struct board_ops fake_board_no_reset = {
	.name = "loop-no-reset",
	.isa = VM_ISA_RISCV64,
	.create = fake_board_create,
	.destroy = fake_board_destroy,
};

static int setup(void **state)
{
	memset(fake_vcpus, 0, sizeof(fake_vcpus));
	memset(scripts, 0, sizeof(scripts));
	for (unsigned i = 0; i < 2; i++) {
		scripts[i].vcpus = fake_vcpus[i];
		atomic_init(&scripts[i].step, 0);
		atomic_init(&scripts[i].board_resets, 0);
	}
	scripts[0].peer = &scripts[1];
	scripts[1].peer = &scripts[0];
	assert_int_equal(engine_register(&fake_engine), 0);
	assert_int_equal(board_register(&fake_board), 0);
	assert_int_equal(board_register(&fake_board_no_reset), 0);
	return 0;
}

static int teardown(void **state)
{
	engine_unregister(&fake_engine);
	board_unregister(&fake_board);
	board_unregister(&fake_board_no_reset);
	return 0;
}

static struct vm *make_vm(const char *name, const char *board, unsigned cpus, struct script *script)
{
	struct vm_config config;
	struct vm *vm;

	vm_config_init(&config);
	strcpy(config.name, name);
	strcpy(config.board, board);
	config.isa = VM_ISA_RISCV64;
	config.engine = VM_ENGINE_INTERP;
	config.cpus = cpus;
	config.memory_bytes = 1ull << 20;
	next_script = script;
	assert_int_equal(vm_create(&config, &vm), 0);
	return vm;
}

static void sleep_ns(uint64_t ns)
{
	struct plat_event *event;

	assert_int_equal(plat_event_create(&event), 0);
	plat_event_wait(event, plat_time_ns() + ns);
	plat_event_destroy(event);
}

/* A vCPU that is not scripted otherwise waits for interrupts in vain. */
static int halt(struct vm_exit *exit)
{
	exit->reason = VM_EXIT_HALT;
	return 0;
}

static int shutdown(struct vm_exit *exit)
{
	exit->reason = VM_EXIT_SHUTDOWN;
	return 0;
}

/* ---- plat events ------------------------------------------------------------------------- */

static void test_event_signal_before_wait_is_not_lost(void **state)
{
	struct plat_event *event;

	assert_int_equal(plat_event_create(&event), 0);
	plat_event_signal(event);
	plat_event_signal(event);
	assert_true(plat_event_wait(event, UINT64_MAX));
	/* Two signals before a wait count as one. */
	assert_false(plat_event_wait(event, 0));
	plat_event_destroy(event);
}

static void test_event_wait_ends_at_its_deadline(void **state)
{
	struct plat_event *event;
	uint64_t start = plat_time_ns();

	assert_int_equal(plat_event_create(&event), 0);
	assert_false(plat_event_wait(event, start + 5 * MS));
	assert_true(plat_time_ns() >= start + 5 * MS);
	plat_event_destroy(event);
}

/* ---- wake-up by kick --------------------------------------------------------------------- */

#define WAKE_ROUNDS 40

/*
 * vCPU 1 raises an "interrupt" on vCPU 0 and kicks it every 2 ms, sleeping on its fake timer in
 * between; vCPU 0 halts until it sees one and notes how long it took to run again. vCPU 0 has no
 * timer, so only the kick, or the loop's VM_LOOP_HALT_MAX_NS bound, brings it back.
 */
static uint64_t wake_latency[WAKE_ROUNDS];

static int run_wake_test(struct script *script, struct vcpu *vcpu, struct vm_exit *exit)
{
	struct fake_vcpu *target = &script->vcpus[0];
	unsigned round = atomic_load(&script->step);
	uint64_t now = plat_time_ns(), next;

	if (round == WAKE_ROUNDS)
		return vcpu->id == 0 ? shutdown(exit) : halt(exit);
	if (vcpu->id == 0) {
		if (atomic_exchange(&target->irq, 0)) {
			wake_latency[round] = now - atomic_load(&target->irq_raised_ns);
			atomic_store(&script->step, round + 1);
		}
		return halt(exit);
	}
	/* vCPU 1: raises the next interrupt once the last was taken and 2 ms have passed. */
	next = atomic_load(&target->irq_raised_ns) + 2 * MS;
	if (!atomic_load(&target->irq) && now >= next) {
		atomic_store(&target->irq_raised_ns, now);
		atomic_store(&target->irq, 1);
		vm_vcpu_kick(&vcpu->vm->vcpus[0]);
		next = now + 2 * MS;
	} else if (now >= next) {
		next = now + MS; /* the last one is not taken yet: look again soon */
	}
	atomic_store(&fake(vcpu)->timer_ns, next);
	return halt(exit);
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void test_halted_vcpu_wakes_promptly_when_kicked(void **state)
{
	struct vm *vm;

	scripts[0].run = run_wake_test;
	vm = make_vm("wake", "loop", 2, &scripts[0]);
	assert_int_equal(vm_start(vm), 0);
	assert_int_equal(vm_wait(vm), 0);
	qsort(wake_latency, WAKE_ROUNDS, sizeof(wake_latency[0]), compare_u64);
	/* Waking by the halt bound alone would spread evenly below it, the median at its half. */
	assert_true(wake_latency[WAKE_ROUNDS / 2] < VM_LOOP_HALT_MAX_NS / 4);
	assert_true(wake_latency[WAKE_ROUNDS - 1] < VM_LOOP_HALT_MAX_NS + 40 * MS);
	vm_destroy(vm);
}

/* vCPU 0 halts and nobody kicks it: it must sleep, looking again only at the loop's bound, and
 * powers off once 50 ms have passed since its first run. */
static uint64_t idle_start_ns;

static int run_idle(struct script *script, struct vcpu *vcpu, struct vm_exit *exit)
{
	if (!idle_start_ns)
		idle_start_ns = plat_time_ns();
	if (plat_time_ns() >= idle_start_ns + 50 * MS)
		return shutdown(exit);
	return halt(exit);
}

static void test_halted_vcpu_sleeps_instead_of_spinning(void **state)
{
	struct vm *vm;

	idle_start_ns = 0;
	scripts[0].run = run_idle;
	vm = make_vm("idle", "loop", 1, &scripts[0]);
	assert_int_equal(vm_start(vm), 0);
	assert_int_equal(vm_wait(vm), 0);
	/* One look per VM_LOOP_HALT_MAX_NS over 50 ms, and a few more: no busy polling. */
	assert_true(atomic_load(&fake_vcpus[0][0].runs) <= 50 * MS / VM_LOOP_HALT_MAX_NS + 4);
	vm_destroy(vm);
}

/* ---- power-off, reset and errors --------------------------------------------------------- */

/* vCPU 0 powers off after 100 runs; the others keep running (returning to the loop) or halt. */
static int run_busy_until_shutdown(struct script *script, struct vcpu *vcpu, struct vm_exit *exit)
{
	if (vcpu->id == 0 && atomic_load(&fake(vcpu)->runs) >= 100)
		return shutdown(exit);
	if (vcpu->id % 2)
		return halt(exit);
	exit->reason = VM_EXIT_KICK;
	return 0;
}

static unsigned total_runs(const struct fake_vcpu *vcpus, unsigned count)
{
	unsigned runs = 0;

	for (unsigned i = 0; i < count; i++)
		runs += atomic_load(&vcpus[i].runs);
	return runs;
}

static void test_shutdown_stops_every_vcpu_with_the_board_status(void **state)
{
	struct vm *vm;
	unsigned runs;

	scripts[0].run = run_busy_until_shutdown;
	scripts[0].exit_status = 7;
	vm = make_vm("off", "loop", 4, &scripts[0]);
	assert_int_equal(vm_start(vm), 0);
	assert_int_equal(vm_wait(vm), 7);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(vm->vcpus[i].state, VCPU_STOPPED);
	runs = total_runs(fake_vcpus[0], 4);
	sleep_ns(20 * MS);
	assert_int_equal(total_runs(fake_vcpus[0], 4), runs);
	vm_destroy(vm);
}

/* vCPU 0 asks for a reset on its first run, and powers off once the VM has been reset. */
static int run_reset_then_shutdown(struct script *script, struct vcpu *vcpu, struct vm_exit *exit)
{
	if (vcpu->id != 0)
		return halt(exit);
	if (atomic_load(&script->board_resets) == 0) {
		exit->reason = VM_EXIT_RESET;
		return 0;
	}
	return shutdown(exit);
}

static void test_reset_resets_board_and_vcpus_and_restarts(void **state)
{
	struct vm *vm;

	scripts[0].run = run_reset_then_shutdown;
	vm = make_vm("reboot", "loop", 3, &scripts[0]);
	assert_int_equal(vm_start(vm), 0);
	assert_int_equal(vm_wait(vm), 0);
	assert_int_equal(atomic_load(&scripts[0].board_resets), 1);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(atomic_load(&fake_vcpus[0][i].resets), 1);
	vm_destroy(vm);
}

static void test_reset_without_board_hook_stops_the_vm(void **state)
{
	struct console_capture capture;
	struct vm *vm;

	scripts[0].run = run_reset_then_shutdown;
	vm = make_vm("noreset", "loop-no-reset", 1, &scripts[0]);
	console_capture_start(&capture);
	assert_int_equal(vm_start(vm), 0);
	assert_int_equal(vm_wait(vm), -ENOTSUP);
	console_capture_stop();
	assert_non_null(strstr(capture.text, "vm noreset: the guest asked for a reset"));
	vm_destroy(vm);
}

static int run_engine_error(struct script *script, struct vcpu *vcpu, struct vm_exit *exit)
{
	return vcpu->id == 1 ? -EIO : halt(exit);
}

static void test_engine_error_stops_the_vm_naming_it(void **state)
{
	struct console_capture capture;
	struct vm *vm;

	scripts[0].run = run_engine_error;
	vm = make_vm("broken", "loop", 2, &scripts[0]);
	console_capture_start(&capture);
	assert_int_equal(vm_start(vm), 0);
	assert_int_equal(vm_wait(vm), -EIO);
	console_capture_stop();
	assert_non_null(strstr(capture.text, "vm broken: vCPU 1: engine fake-loop:"));
	vm_destroy(vm);
}

static int run_fault(struct script *script, struct vcpu *vcpu, struct vm_exit *exit)
{
	exit->reason = VM_EXIT_FAULT;
	exit->fault.cause = 0x2;
	exit->fault.addr = 0x80001000;
	return 0;
}

static void test_guest_fault_stops_the_vm(void **state)
{
	struct console_capture capture;
	struct vm *vm;

	scripts[0].run = run_fault;
	vm = make_vm("faulty", "loop", 1, &scripts[0]);
	console_capture_start(&capture);
	assert_int_equal(vm_start(vm), 0);
	assert_int_equal(vm_wait(vm), -EFAULT);
	console_capture_stop();
	assert_non_null(strstr(capture.text,
			       "vm faulty: vCPU 0: the guest cannot go on (cause 0x2, "
			       "address 0x80001000)"));
	vm_destroy(vm);
}

static int run_mmio(struct script *script, struct vcpu *vcpu, struct vm_exit *exit)
{
	exit->reason = VM_EXIT_MMIO;
	exit->mmio.addr = 0x10000000;
	return 0;
}

static void test_unserved_exit_stops_the_vm(void **state)
{
	struct console_capture capture;
	struct vm *vm;

	scripts[0].run = run_mmio;
	vm = make_vm("mmio", "loop", 1, &scripts[0]);
	console_capture_start(&capture);
	assert_int_equal(vm_start(vm), 0);
	assert_int_equal(vm_wait(vm), -ENOTSUP);
	console_capture_stop();
	assert_non_null(strstr(capture.text, "vm mmio: vCPU 0: engine fake-loop left a mmio exit"));
	vm_destroy(vm);
}

/* ---- stop and start ---------------------------------------------------------------------- */

/* vCPU 0 stops the VM (as the monitor would) once it ran 50 times, and powers off once it ran 100
 * times after that stop. */
static int run_stop_midway(struct script *script, struct vcpu *vcpu, struct vm_exit *exit)
{
	unsigned runs = atomic_load(&fake(vcpu)->runs);

	if (vcpu->id == 0 && runs >= 50 && !atomic_exchange(&script->step, 1))
		vm_stop(vcpu->vm);
	if (vcpu->id == 0 && runs >= 100 && atomic_load(&script->step))
		return shutdown(exit);
	exit->reason = VM_EXIT_KICK;
	return 0;
}

static void test_stop_then_start_resumes_the_vm(void **state)
{
	struct vm *vm;

	scripts[0].run = run_stop_midway;
	scripts[0].exit_status = 5;
	vm = make_vm("paused", "loop", 2, &scripts[0]);
	assert_int_equal(vm_start(vm), 0);
	/* Stopped by request: status 0, every vCPU out of its engine, vCPU 0 before its 100th. */
	assert_int_equal(vm_wait(vm), 0);
	assert_int_equal(vm->vcpus[0].state, VCPU_STOPPED);
	assert_int_equal(vm->vcpus[1].state, VCPU_STOPPED);
	assert_true(atomic_load(&fake_vcpus[0][0].runs) < 100);
	assert_int_equal(vm_start(vm), 0);
	assert_int_equal(vm_start(vm), -EBUSY);
	assert_int_equal(vm_wait(vm), 5);
	assert_true(atomic_load(&fake_vcpus[0][0].runs) >= 100);
	vm_destroy(vm);
}

/* ---- sharing CPUs ------------------------------------------------------------------------ */

/*
 * Each vCPU stays in its engine until its slice ends (or 1 ms when it has a CPU alone), like a
 * guest that never halts; vCPU 0 powers off once every vCPU has run three times.
 */
static int run_spin(struct script *script, struct vcpu *vcpu, struct vm_exit *exit)
{
	uint64_t end = vcpu->slice_end_ns ? vcpu->slice_end_ns : plat_time_ns() + MS;
	bool all_ran = true;

	for (unsigned i = 0; i < vcpu->vm->nvcpus; i++)
		if (atomic_load(&script->vcpus[i].runs) < 3)
			all_ran = false;
	if (vcpu->id == 0 && all_ran)
		return shutdown(exit);
	while (plat_time_ns() < end && !atomic_load(&fake(vcpu)->kicked))
		;
	exit->reason = VM_EXIT_KICK;
	return 0;
}

static void test_more_vcpus_than_cpus_take_turns(void **state)
{
	struct vm *vm;
	bool sliced = false;

	scripts[0].run = run_spin;
	vm = make_vm("crowd", "loop", MAX_VCPUS, &scripts[0]);
	assert_int_equal(vm_start(vm), 0);
	assert_int_equal(vm_wait(vm), 0);
	for (unsigned i = 0; i < MAX_VCPUS; i++) {
		assert_true(atomic_load(&fake_vcpus[0][i].runs) >= 3);
		sliced |= fake_vcpus[0][i].saw_slice;
	}
	/* Fewer CPUs than vCPUs: some of them shared a CPU and had slices. */
	if (plat_cpu_count() < MAX_VCPUS)
		assert_true(sliced);
	vm_destroy(vm);
}

/*
 * Two VMs that can only finish together: each VM's vCPU 0 powers off once the other VM's vCPU 0
 * has run 20 times, so running them one after the other would never end.
 */
static int run_with_peer(struct script *script, struct vcpu *vcpu, struct vm_exit *exit)
{
	if (vcpu->id != 0)
		return halt(exit);
	if (atomic_load(&script->peer->vcpus[0].runs) >= 20)
		return shutdown(exit);
	exit->reason = VM_EXIT_KICK;
	return 0;
}

static void test_two_vms_run_at_once(void **state)
{
	struct vm *first, *second;

	scripts[0].run = run_with_peer;
	scripts[1].run = run_with_peer;
	scripts[1].exit_status = 3;
	first = make_vm("first", "loop", 2, &scripts[0]);
	second = make_vm("second", "loop", 2, &scripts[1]);
	assert_int_equal(vm_start(first), 0);
	assert_int_equal(vm_start(second), 0);
	assert_int_equal(vm_wait(first), 0);
	assert_int_equal(vm_wait(second), 3);
	vm_destroy(first);
	vm_destroy(second);
}

/*
 * vCPU 0 of the first VM starts the second VM from inside its engine, then stays there until
 * the second VM's vCPU has run or a kick comes, like a guest that never halts. When the new vCPU
 * lands on the CPU that vCPU 0 holds alone (with no slice), only the kick of vm_start lets it
 * run; with CPUs to spare it gets one of its own.
 */
static int run_start_peer(struct script *script, struct vcpu *vcpu, struct vm_exit *exit)
{
	if (vcpu->id != 0)
		return halt(exit);
	if (!atomic_exchange(&script->step, 1))
		atomic_store(&script->peer_start, vm_start(script->peer_vm));
	while (!atomic_load(&script->peer->vcpus[0].runs) && !atomic_load(&fake(vcpu)->kicked))
		;
	if (atomic_load(&script->peer->vcpus[0].runs))
		return shutdown(exit);
	exit->reason = VM_EXIT_KICK;
	return 0;
}

static int run_shutdown(struct script *script, struct vcpu *vcpu, struct vm_exit *exit)
{
	return shutdown(exit);
}

static void test_vm_started_later_gets_a_turn_on_a_busy_cpu(void **state)
{
	struct vm *first, *second;

	scripts[0].run = run_start_peer;
	scripts[1].run = run_shutdown;
	first = make_vm("busy", "loop", 2, &scripts[0]);
	second = make_vm("late", "loop", 1, &scripts[1]);
	scripts[0].peer_vm = second;
	atomic_store(&scripts[0].peer_start, 1);
	assert_int_equal(vm_start(first), 0);
	assert_int_equal(vm_wait(first), 0);
	assert_int_equal(atomic_load(&scripts[0].peer_start), 0);
	assert_int_equal(vm_wait(second), 0);
	vm_destroy(first);
	vm_destroy(second);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_signal_before_wait_is_not_lost),
		cmocka_unit_test(test_event_wait_ends_at_its_deadline),
		cmocka_unit_test_setup_teardown(test_halted_vcpu_wakes_promptly_when_kicked, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_halted_vcpu_sleeps_instead_of_spinning, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_shutdown_stops_every_vcpu_with_the_board_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_resets_board_and_vcpus_and_restarts,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_without_board_hook_stops_the_vm, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_engine_error_stops_the_vm_naming_it, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_guest_fault_stops_the_vm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unserved_exit_stops_the_vm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_then_start_resumes_the_vm, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_more_vcpus_than_cpus_take_turns, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_two_vms_run_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vm_started_later_gets_a_turn_on_a_busy_cpu,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
