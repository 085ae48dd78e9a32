/* SPDX-License-Identifier: MIT */
/*
 * The VM loop: runs the vCPUs of every started VM on the CPUs lib/plat.h gives (a physical CPU on
 * bare metal, a host thread in polyrun) and serves the exits their engines cannot: a halt sleeps
 * until a kick or the board's next timer event, a power-off or an error stops every vCPU of the
 * VM, a reset request resets the board and the vCPUs and starts them again.
 *
 * CPUs: each vCPU is placed on one CPU at its VM's first vm_start and stays there. A vCPU gets a
 * CPU of its own while plat_thread_start can start one; past that, vCPUs share the least loaded
 * CPU and take turns in slices of VM_LOOP_SLICE_NS (the engine honours vcpu->slice_end_ns). The
 * CPU that calls vm_start is one of them, served while a thread of that CPU waits in vm_wait, so
 * a machine with a single CPU still runs guests.
 *
 * States: vm_start makes a VM's vCPUs runnable; vm_stop (the monitor) asks them to stop, and a
 * later vm_start resumes them where they stopped; the guest's power-off and the errors stop them
 * the same way. vm_wait returns once no vCPU of the VM is in its engine any more. One thread
 * (the monitor's, or polyrun's main) starts, stops and waits for a given VM.
 */
#ifndef PV_KERNEL_VM_LOOP_H
#define PV_KERNEL_VM_LOOP_H

#include "kernel/vm.h"

/* How long a vCPU runs before another one sharing its CPU gets a turn. */
#define VM_LOOP_SLICE_NS 2000000ull
/* The longest a halted vCPU sleeps before it looks at its interrupts again without a kick: the
 * bound for devices that raise interrupts from polling rather than by kicking. */
#define VM_LOOP_HALT_MAX_NS 10000000ull
/* CPUs the loop runs on, at most. */
#define VM_LOOP_MAX_CPUS 64

/*
 * Starts a created or stopped VM: places its vCPUs on CPUs (starting CPUs as needed) and makes
 * them runnable. Returns 0, -EBUSY when the VM is running or still stopping, or -ENOMEM.
 */
int vm_start(struct vm *vm);

/* Asks every vCPU of vm to stop and returns at once; vm_wait then returns status 0. */
void vm_stop(struct vm *vm);

/*
 * Serves the calling CPU's vCPUs until vm has stopped, and returns its status: 0 after a
 * power-off with success or a vm_stop, the guest's positive exit status (a failed test), or a
 * negative errno after an error the loop logged naming the VM. One waiter per VM.
 */
int vm_wait(struct vm *vm);

/*
 * Makes vcpu look at its interrupts soon, from any CPU: a halted vCPU wakes up, a running one
 * returns from its engine. Device models call it after raising an interrupt line.
 */
void vm_vcpu_kick(struct vcpu *vcpu);

/* Takes a stopped vCPU off its CPU: vm_destroy calls it before the vCPU goes away. */
void vm_loop_detach(struct vcpu *vcpu);

#endif
