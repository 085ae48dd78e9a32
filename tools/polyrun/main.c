// SPDX-License-Identifier: MIT
/*
 * polyrun's entry point: read the command line, say what each VM is, and create the VMs through
 * kernel/'s engine and board registries, as bare metal's efi_main does after reading
 * polyvisor.cfg. The registries hold what this build has registered; when they cannot make a
 * VM, vm_create logs why.
 *
 * Exit status: 0 after --help, --version and the help lists; 2 for a bad command line; 3 when a
 * VM cannot be created or run. A spike VM ends with its HTIF verdict: 0 on pass, 1 when a test
 * failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "arch/riscv64/guest/emu.h"
#include "arch/riscv64/guest/spike.h"
#include "interp/emu.h"
#include "kernel/engine.h"
#include "kernel/vm.h"
#include "lib/errno.h"
#include "lib/log.h"
#include "tools/polyrun/cli.h"

#define EXIT_USAGE 2
#define EXIT_VM 3

/* Static: the options hold a whole polyvisor.cfg's worth of VMs, too much for a stack frame. */
static struct polyrun_options options;

/* --help and the lists print to stdout and exit 0; returns false when the options ask for a run. */
static bool print_requested_text(void)
{
	switch (options.action) {
	case POLYRUN_ACTION_HELP:
		polyrun_print_usage(stdout);
		return true;
	case POLYRUN_ACTION_VERSION:
		printf("polyrun %s (%s)\n", PV_VERSION, PV_GIT_REV);
		return true;
	case POLYRUN_ACTION_CPU_HELP:
		polyrun_print_cpu_models(stdout);
		return true;
	case POLYRUN_ACTION_DEBUG_HELP:
		polyrun_print_debug_items(stdout);
		return true;
	case POLYRUN_ACTION_RUN:
		break;
	}
	return false;
}

/* What this build can run: the interpreter engine, riscv64 guests and their boards. */
static int register_engines_and_boards(void)
{
	int err = interp_engine_register();

	if (!err)
		err = rv_guest_register();
	return err;
}

/* The hypervisor's log goes to stderr, as QEMU's messages do; stdout is the guest's console. */
static void write_to_stderr(void *ctx, const char *text, size_t len)
{
	fwrite(text, 1, len, stderr);
}

/* A halted vCPU waits for an interrupt a timer may raise: look again a millisecond later. */
static void wait_for_interrupt(void)
{
	const struct timespec pause = { .tv_nsec = 1000000 };

	nanosleep(&pause, NULL);
}

/*
 * Runs vCPU 0 of vm until its guest stops, standing in for kernel/'s VM loop until it exists.
 * Returns polyrun's exit status.
 */
static int run_vm(struct vm *vm)
{
	struct vcpu *vcpu = &vm->vcpus[0];
	struct vm_exit exit;
	uint64_t code;

	for (;;) {
		int err = vm->engine->vcpu_run(vcpu, &exit);

		if (err < 0) {
			fprintf(stderr, "polyrun: vm %s: %s\n", vm->config.name, pv_strerror(err));
			return EXIT_VM;
		}
		switch (exit.reason) {
		case VM_EXIT_KICK:
			break;
		case VM_EXIT_HALT:
			wait_for_interrupt();
			break;
		case VM_EXIT_SHUTDOWN:
			if (vm->board == &rv_spike_board && rv_spike_exit_code(vm, &code) == 0 &&
			    code != 0) {
				fprintf(stderr, "polyrun: test %llu failed\n",
					(unsigned long long)code);
				return EXIT_FAILURE;
			}
			return EXIT_SUCCESS;
		default:
			fprintf(stderr,
				"polyrun: vm %s: stopped by exit reason %d, which this loop does not serve\n",
				vm->config.name, (int)exit.reason);
			return EXIT_VM;
		}
	}
}

static void destroy_vms(struct vm **vms, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		vm_destroy(vms[i]);
}

int main(int argc, char **argv)
{
	struct vm *created[CONFIG_MAX_VMS];
	const struct vm_config *vms;
	struct polyrun_error err;
	char summary[CONFIG_ERROR_MAX];
	unsigned count;
	int status;

	/* Registered first: the command line asks the board registry which ISA a machine is. */
	if (register_engines_and_boards() < 0) {
		fprintf(stderr, "polyrun: cannot register the engines and boards\n");
		return EXIT_VM;
	}
	log_set_sink(write_to_stderr, NULL);
	if (polyrun_parse(argc, argv, &options, &err) < 0) {
		fprintf(stderr, "polyrun: %s\n", err.message);
		return EXIT_USAGE;
	}
	if (print_requested_text())
		return EXIT_SUCCESS;
	if (options.have_config_file)
		log_set_level(options.config_file.log_level);
	emu_set_debug(((options.debug_items & POLYRUN_DEBUG_IR) ? EMU_DEBUG_IR : 0) |
		      ((options.debug_items & POLYRUN_DEBUG_STATS) ? EMU_DEBUG_STATS : 0));

	vms = polyrun_vms(&options, &count);
	for (unsigned i = 0; i < count; i++) {
		polyrun_format_vm(&vms[i], summary, sizeof(summary));
		fprintf(stderr, "polyrun: %s\n", summary);
	}
	for (unsigned i = 0; i < count; i++) {
		if (vm_create(&vms[i], &created[i]) < 0) {
			destroy_vms(created, i);
			return EXIT_VM;
		}
	}
	/* Only the first VM runs until kernel/ has a VM loop that schedules them all. */
	status = run_vm(created[0]);
	destroy_vms(created, count);
	return status;
}
