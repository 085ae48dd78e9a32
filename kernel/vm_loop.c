// SPDX-License-Identifier: MIT
/*
 * The VM loop (see kernel/vm_loop.h). Locks: sched.lock guards the CPU table and placement; a
 * CPU's lock guards its vCPU list, its current vCPU and the state of the vCPUs on it; a VM's lock
 * guards its run state. Where two are taken, sched.lock comes first, then a CPU's; a VM's lock is
 * never held while another is taken.
 */
#include <stdbool.h>
#include <stdint.h>

#include "kernel/board.h"
#include "kernel/engine.h"
#include "kernel/vm_loop.h"
#include "lib/compiler.h"
#include "lib/errno.h"
#include "lib/log.h"
#include "lib/plat.h"
#include "lib/spinlock.h"

/* Enough for every vCPU of every VM on one CPU. */
#define SCHED_CPU_MAX_VCPUS (CONFIG_MAX_VMS * CONFIG_MAX_CPUS)
#define SCHED_NO_SLOT (~0u)

struct sched_cpu {
	struct spinlock lock;
	struct plat_event *event; /* signaled by kicks; the CPU sleeps on it when idle */
	struct vcpu **vcpus; /* SCHED_CPU_MAX_VCPUS entries, nvcpus used */
	unsigned nvcpus; /* written under both sched.lock and lock */
	unsigned next; /* where the round-robin search starts */
	struct vcpu *current; /* inside its engine's vcpu_run on this CPU, or NULL */
	/* plat_cpu_self() of the thread serving it (SCHED_NO_SLOT until it runs); a lent CPU is
	 * served only while that thread waits in vm_wait, a dedicated one by a thread of its own. */
	unsigned slot;
	bool dedicated;
};

static struct {
	struct spinlock lock;
	struct sched_cpu *cpus[VM_LOOP_MAX_CPUS];
	unsigned ncpus;
} sched = { .lock = SPINLOCK_INIT };

static const char *const exit_names[] = {
	[VM_EXIT_KICK] = "kick",
	[VM_EXIT_MMIO] = "mmio",
	[VM_EXIT_PIO] = "pio",
	[VM_EXIT_HALT] = "halt",
	[VM_EXIT_HYPERCALL] = "hypercall",
	[VM_EXIT_SHUTDOWN] = "shutdown",
	[VM_EXIT_RESET] = "reset",
	[VM_EXIT_FAULT] = "fault",
	[VM_EXIT_DEBUG] = "debug",
};

static struct sched_cpu *vcpu_cpu(struct vcpu *vcpu)
{
	return __atomic_load_n(&vcpu->cpu, __ATOMIC_ACQUIRE);
}

static void vcpu_set_state(struct vcpu *vcpu, enum vcpu_state state)
{
	struct sched_cpu *cpu = vcpu_cpu(vcpu);

	spin_lock(&cpu->lock);
	vcpu->state = state;
	spin_unlock(&cpu->lock);
}

static void sched_cpu_free(struct sched_cpu *cpu)
{
	plat_event_destroy(cpu->event);
	plat_free(cpu->vcpus);
	plat_free(cpu);
}

static struct sched_cpu *sched_cpu_alloc(bool dedicated, unsigned slot)
{
	struct sched_cpu *cpu = plat_alloc(sizeof(*cpu));

	if (!cpu)
		return NULL;
	cpu->vcpus = plat_alloc(SCHED_CPU_MAX_VCPUS * sizeof(*cpu->vcpus));
	if (!cpu->vcpus || plat_event_create(&cpu->event) < 0) {
		plat_free(cpu->vcpus);
		plat_free(cpu);
		return NULL;
	}
	spin_lock_init(&cpu->lock);
	cpu->dedicated = dedicated;
	cpu->slot = slot;
	return cpu;
}

/* The CPU the caller runs on, made on first use as a lent one. Called with sched.lock held. */
static struct sched_cpu *sched_self_locked(void)
{
	unsigned slot = plat_cpu_self();
	struct sched_cpu *cpu;

	for (unsigned i = 0; i < sched.ncpus; i++)
		if (sched.cpus[i]->slot == slot)
			return sched.cpus[i];
	if (sched.ncpus == VM_LOOP_MAX_CPUS)
		return NULL;
	cpu = sched_cpu_alloc(false, slot);
	if (cpu)
		sched.cpus[sched.ncpus++] = cpu;
	return cpu;
}

/* Picks the next vCPU to run, round robin; NULL with *deadline the earliest halted wake-up. */
static struct vcpu *sched_pick(struct sched_cpu *cpu, uint64_t *deadline)
{
	uint64_t now = plat_time_ns();
	struct vcpu *found = NULL;

	*deadline = UINT64_MAX;
	spin_lock(&cpu->lock);
	for (unsigned i = 0; i < cpu->nvcpus && !found; i++) {
		unsigned idx = (cpu->next + i) % cpu->nvcpus;
		struct vcpu *vcpu = cpu->vcpus[idx];

		if (vcpu->state == VCPU_HALTED) {
			if (!atomic_exchange_explicit(&vcpu->wake, 0, memory_order_acquire) &&
			    now < vcpu->halt_until_ns) {
				if (vcpu->halt_until_ns < *deadline)
					*deadline = vcpu->halt_until_ns;
				continue;
			}
			vcpu->state = VCPU_RUNNABLE;
		}
		if (vcpu->state != VCPU_RUNNABLE)
			continue;
		/* A kick from now on is news: it must bring the vCPU back after this run. */
		atomic_store_explicit(&vcpu->wake, 0, memory_order_relaxed);
		found = vcpu;
		cpu->next = idx + 1;
		found->state = VCPU_RUNNING;
		found->slice_end_ns = cpu->nvcpus > 1 ? now + VM_LOOP_SLICE_NS : 0;
		cpu->current = found;
	}
	spin_unlock(&cpu->lock);
	return found;
}

static void sched_thread(void *arg);

/* Places vcpu on the least loaded of the dedicated CPUs and self, starting a CPU if it helps. */
static void sched_place(struct vcpu *vcpu, struct sched_cpu *self)
{
	struct sched_cpu *best = self, *fresh;

	spin_lock(&sched.lock);
	for (unsigned i = 0; i < sched.ncpus; i++)
		if (sched.cpus[i]->dedicated && sched.cpus[i]->nvcpus < best->nvcpus)
			best = sched.cpus[i];
	if (best->nvcpus > 0 && sched.ncpus < VM_LOOP_MAX_CPUS) {
		fresh = sched_cpu_alloc(true, SCHED_NO_SLOT);
		if (fresh && plat_thread_start(sched_thread, fresh) == 0) {
			sched.cpus[sched.ncpus++] = fresh;
			best = fresh;
		} else if (fresh) {
			sched_cpu_free(fresh);
		}
	}
	spin_lock(&best->lock);
	best->vcpus[best->nvcpus++] = vcpu;
	vcpu->state = VCPU_STOPPED;
	__atomic_store_n(&vcpu->cpu, best, __ATOMIC_RELEASE);
	spin_unlock(&best->lock);
	spin_unlock(&sched.lock);
}

void vm_loop_detach(struct vcpu *vcpu)
{
	struct sched_cpu *cpu = vcpu_cpu(vcpu);

	if (!cpu)
		return;
	spin_lock(&sched.lock);
	spin_lock(&cpu->lock);
	for (unsigned i = 0; i < cpu->nvcpus; i++) {
		if (cpu->vcpus[i] == vcpu) {
			cpu->vcpus[i] = cpu->vcpus[--cpu->nvcpus];
			break;
		}
	}
	/* The CPU may not have noted yet that the vCPU's last run ended: kicks must not reach it. */
	if (cpu->current == vcpu)
		cpu->current = NULL;
	__atomic_store_n(&vcpu->cpu, NULL, __ATOMIC_RELEASE);
	spin_unlock(&cpu->lock);
	spin_unlock(&sched.lock);
}

void vm_vcpu_kick(struct vcpu *vcpu)
{
	struct sched_cpu *cpu = vcpu_cpu(vcpu);

	atomic_store_explicit(&vcpu->wake, 1, memory_order_release);
	if (!cpu)
		return;
	/*
	 * A running vCPU leaves its engine to look at the news. A waiting one must not be kicked:
	 * its next run would end at once and lose its turn; instead the vCPU holding its CPU
	 * yields, so that it runs without waiting out a slice.
	 */
	spin_lock(&cpu->lock);
	if (cpu->current)
		cpu->current->vm->engine->vcpu_kick(cpu->current);
	spin_unlock(&cpu->lock);
	plat_event_signal(cpu->event);
}

/* Records why vm stops (the first reason stands) and kicks its vCPUs out of their engine. */
static void vm_request_stop(struct vm *vm, enum vm_stop_reason reason, int status)
{
	spin_lock(&vm->lock);
	if (vm->run_state == VM_RUNNING && vm->stop_reason == VM_STOP_NONE) {
		vm->stop_reason = reason;
		vm->status = status;
	}
	spin_unlock(&vm->lock);
	for (unsigned i = 0; i < vm->nvcpus; i++)
		vm_vcpu_kick(&vm->vcpus[i]);
}

static bool vm_stopping(struct vm *vm)
{
	bool stopping;

	spin_lock(&vm->lock);
	stopping = vm->stop_reason != VM_STOP_NONE;
	spin_unlock(&vm->lock);
	return stopping;
}

static bool vm_idle(struct vm *vm)
{
	bool idle;

	spin_lock(&vm->lock);
	idle = vm->run_state == VM_IDLE;
	spin_unlock(&vm->lock);
	return idle;
}

/* Makes every vCPU of a VM whose vCPUs are all stopped and placed runnable. */
static void vm_launch(struct vm *vm)
{
	spin_lock(&vm->lock);
	vm->stop_reason = VM_STOP_NONE;
	vm->status = 0;
	vm->vcpus_active = vm->nvcpus;
	vm->run_state = VM_RUNNING;
	spin_unlock(&vm->lock);
	/* The kick also makes a vCPU that had its CPU alone, with no slice, share it now. */
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		vcpu_set_state(&vm->vcpus[i], VCPU_RUNNABLE);
		vm_vcpu_kick(&vm->vcpus[i]);
	}
}

int vm_start(struct vm *vm)
{
	struct sched_cpu *self;

	spin_lock(&sched.lock);
	self = sched_self_locked();
	spin_unlock(&sched.lock);
	if (!self) {
		log_error("vm %s: no memory or CPU slot left to run it on", vm->config.name);
		return -ENOMEM;
	}
	/* Claimed at once, so that a second vm_start cannot place the vCPUs twice. */
	spin_lock(&vm->lock);
	if (vm->run_state != VM_IDLE) {
		spin_unlock(&vm->lock);
		return -EBUSY;
	}
	vm->run_state = VM_RUNNING;
	spin_unlock(&vm->lock);
	for (unsigned i = 0; i < vm->nvcpus; i++)
		if (!vcpu_cpu(&vm->vcpus[i]))
			sched_place(&vm->vcpus[i], self);
	vm_launch(vm);
	return 0;
}

void vm_stop(struct vm *vm)
{
	vm_request_stop(vm, VM_STOP_REQUEST, 0);
}

/* The board and the vCPUs as vm_create left them; every vCPU is stopped. */
static int vm_reset(struct vm *vm)
{
	int err;

	if (!vm->board->reset || !vm->engine->vcpu_reset) {
		log_error(
			"vm %s: the guest asked for a reset, which board %s on engine %s cannot do",
			vm->config.name, vm->board->name, vm->engine->name);
		return -ENOTSUP;
	}
	err = vm->board->reset(vm);
	if (err < 0) {
		log_error("vm %s: board %s: reset: %s", vm->config.name, vm->board->name,
			  pv_strerror(err));
		return err;
	}
	for (unsigned i = 0; i < vm->nvcpus; i++)
		vm->engine->vcpu_reset(&vm->vcpus[i]);
	log_info("vm %s: reset", vm->config.name);
	return 0;
}

/* The last vCPU of vm stopped: restart it after a reset request, else wake its waiter. */
static void vm_finish(struct vm *vm)
{
	struct sched_cpu *waiter;
	enum vm_stop_reason reason;
	int err;

	spin_lock(&vm->lock);
	reason = vm->stop_reason;
	spin_unlock(&vm->lock);
	if (reason == VM_STOP_RESET) {
		err = vm_reset(vm);
		if (err == 0) {
			vm_launch(vm);
			return;
		}
		spin_lock(&vm->lock);
		vm->stop_reason = VM_STOP_ERROR;
		vm->status = err;
		spin_unlock(&vm->lock);
	}
	/* Once idle the VM may be destroyed at any time: nothing of it is touched after this. */
	spin_lock(&vm->lock);
	vm->run_state = VM_IDLE;
	waiter = vm->waiter;
	spin_unlock(&vm->lock);
	if (waiter)
		plat_event_signal(waiter->event);
}

static void vcpu_stopped(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	bool last;

	vcpu_set_state(vcpu, VCPU_STOPPED);
	spin_lock(&vm->lock);
	last = --vm->vcpus_active == 0;
	spin_unlock(&vm->lock);
	if (last)
		vm_finish(vm);
}

static void vcpu_halt(struct vcpu *vcpu)
{
	const struct board_ops *board = vcpu->vm->board;
	uint64_t until = plat_time_ns() + VM_LOOP_HALT_MAX_NS;
	struct sched_cpu *cpu = vcpu_cpu(vcpu);

	if (board->next_event_ns) {
		uint64_t event = board->next_event_ns(vcpu);

		if (event < until)
			until = event;
	}
	spin_lock(&cpu->lock);
	vcpu->halt_until_ns = until;
	vcpu->state = VCPU_HALTED;
	spin_unlock(&cpu->lock);
}

static void vcpu_serve_exit(struct vcpu *vcpu, const struct vm_exit *exit)
{
	struct vm *vm = vcpu->vm;
	int status = 0;

	switch (exit->reason) {
	case VM_EXIT_KICK:
		vcpu_set_state(vcpu, VCPU_RUNNABLE);
		return;
	case VM_EXIT_HALT:
		vcpu_halt(vcpu);
		return;
	case VM_EXIT_SHUTDOWN:
		if (vm->board->exit_status)
			status = vm->board->exit_status(vm);
		vm_request_stop(vm, VM_STOP_SHUTDOWN, status);
		return;
	case VM_EXIT_RESET:
		vm_request_stop(vm, VM_STOP_RESET, 0);
		return;
	case VM_EXIT_FAULT:
		log_error("vm %s: vCPU %u: the guest cannot go on (cause %#llx, address %#llx): "
			  "stopping the VM",
			  vm->config.name, vcpu->id, (unsigned long long)exit->fault.cause,
			  (unsigned long long)exit->fault.addr);
		vm_request_stop(vm, VM_STOP_ERROR, -EFAULT);
		return;
	default:
		log_error("vm %s: vCPU %u: engine %s left a %s exit that nothing here serves: "
			  "stopping the VM",
			  vm->config.name, vcpu->id, vm->engine->name,
			  (unsigned)exit->reason < ARRAY_SIZE(exit_names) ?
				  exit_names[exit->reason] :
				  "unknown");
		vm_request_stop(vm, VM_STOP_ERROR, -ENOTSUP);
		return;
	}
}

/* One turn of vcpu on its CPU: into the engine once, then what its exit asks. */
static void vcpu_step(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	struct vm_exit exit;
	int err;

	if (vm_stopping(vm)) {
		vcpu_stopped(vcpu);
		return;
	}
	err = vm->engine->vcpu_run(vcpu, &exit);
	if (err < 0) {
		log_error("vm %s: vCPU %u: engine %s: %s: stopping the VM", vm->config.name,
			  vcpu->id, vm->engine->name, pv_strerror(err));
		vm_request_stop(vm, VM_STOP_ERROR, err);
	} else {
		vcpu_serve_exit(vcpu, &exit);
	}
	if (vm_stopping(vm))
		vcpu_stopped(vcpu);
}

/* Runs the vCPUs of cpu until wait_vm is idle, or for ever when wait_vm is NULL. */
static void sched_serve(struct sched_cpu *cpu, struct vm *wait_vm)
{
	for (;;) {
		struct vcpu *vcpu;
		uint64_t deadline;

		if (wait_vm && vm_idle(wait_vm))
			return;
		vcpu = sched_pick(cpu, &deadline);
		if (!vcpu) {
			plat_event_wait(cpu->event, deadline);
			continue;
		}
		vcpu_step(vcpu);
		spin_lock(&cpu->lock);
		cpu->current = NULL;
		spin_unlock(&cpu->lock);
	}
}

static void sched_thread(void *arg)
{
	struct sched_cpu *cpu = arg;

	spin_lock(&sched.lock);
	cpu->slot = plat_cpu_self();
	spin_unlock(&sched.lock);
	sched_serve(cpu, NULL);
}

int vm_wait(struct vm *vm)
{
	struct sched_cpu *self;
	int status;

	spin_lock(&sched.lock);
	self = sched_self_locked();
	spin_unlock(&sched.lock);
	if (!self) {
		log_error("vm %s: no memory or CPU slot left to wait on it", vm->config.name);
		return -ENOMEM;
	}
	spin_lock(&vm->lock);
	vm->waiter = self;
	spin_unlock(&vm->lock);
	sched_serve(self, vm);
	spin_lock(&vm->lock);
	vm->waiter = NULL;
	status = vm->status;
	spin_unlock(&vm->lock);
	return status;
}
