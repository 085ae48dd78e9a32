// SPDX-License-Identifier: MIT
/*
 * polyrun's entry point: read the command line, say what each VM is, and create the VMs through
 * kernel/'s engine and board registries, as bare metal's efi_main does after reading
 * polyvisor.cfg. The registries hold what this build has registered; when they cannot make a
 * VM, vm_create logs why.
 *
 * Exit status: 0 after --help, --version and the help lists; 2 for a bad command line; 3 when a
 * VM cannot be created or run; otherwise 1 when a guest reported a failed test (a spike VM's HTIF
 * verdict), else 0. Every VM runs at once; polyrun ends when all have stopped.
 */
#include <stdio.h>
#include <stdlib.h>

#include "arch/riscv64/guest/emu.h"
#include "interp/emu.h"
#include "kernel/engine.h"
#include "kernel/netdev.h"
#include "kernel/vm.h"
#include "kernel/vm_loop.h"
#include "lib/errno.h"
#include "lib/log.h"
#include "tools/polyrun/cli.h"
#include "tools/polyrun/machine.h"
#include "tools/polyrun/out_asm.h"
#include "tools/polyrun/tap.h"

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

/*
 * What this build can run: the interpreter engine, the jit and hybrid engines where the host has
 * a JIT backend, riscv64 guests and their boards, and the host TAP interfaces a NIC's backend may
 * name.
 */
static int register_providers(void)
{
	int err = interp_engine_register();

	if (!err) {
		err = jit_engine_register();
		/* A host without a JIT backend or executable memory runs guests in the interpreter. */
		if (err == -ENOTSUP)
			err = 0;
	}
	if (!err)
		err = rv_guest_register();
	if (!err)
		err = netdev_provider_register(&tap_netdev_provider);
	return err;
}

/* The hypervisor's log goes to stderr, as QEMU's messages do; stdout is the guest's console. */
static void write_to_stderr(void *ctx, const char *text, size_t len)
{
	fwrite(text, 1, len, stderr);
}

/* Maps what vm_wait returned to polyrun's exit status, saying why a VM did not end well. */
static int vm_exit_status(const struct vm *vm, int result)
{
	if (result < 0)
		return EXIT_VM;
	if (result > 0) {
		fprintf(stderr, "polyrun: vm %s: test %d failed\n", vm->config.name, result);
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}

/*
 * Runs every VM at once on kernel/'s VM loop until all have stopped; this thread lends its CPU
 * to the loop while it waits. Returns the exit status of the first VM, in the order given, that
 * did not end well, or 0.
 */
static int run_vms(struct vm **vms, unsigned count)
{
	int status = EXIT_SUCCESS;
	unsigned started;

	for (started = 0; started < count; started++) {
		if (vm_start(vms[started]) < 0) {
			status = EXIT_VM;
			for (unsigned i = 0; i < started; i++)
				vm_stop(vms[i]);
			break;
		}
	}
	for (unsigned i = 0; i < started; i++) {
		int vm_status = vm_exit_status(vms[i], vm_wait(vms[i]));

		if (status == EXIT_SUCCESS)
			status = vm_status;
	}
	return status;
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
	if (register_providers() < 0) {
		fprintf(stderr,
			"polyrun: cannot register the engines, boards and network backends\n");
		return EXIT_VM;
	}
	log_set_sink(write_to_stderr, NULL);
	emu_set_debug_sink(write_to_stderr, NULL);
	if (polyrun_parse(argc, argv, &options, &err) < 0) {
		fprintf(stderr, "polyrun: %s\n", err.message);
		return EXIT_USAGE;
	}
	if (print_requested_text())
		return EXIT_SUCCESS;
	if (options.have_config_file)
		log_set_level(options.config_file.log_level);
	emu_set_code_sink(out_asm_block, NULL);
	emu_set_debug(((options.debug_items & POLYRUN_DEBUG_IR) ? EMU_DEBUG_IR : 0) |
		      ((options.debug_items & POLYRUN_DEBUG_STATS) ? EMU_DEBUG_STATS : 0) |
		      ((options.debug_items & POLYRUN_DEBUG_OUT_ASM) ? EMU_DEBUG_OUT_ASM : 0));

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
	status = polyrun_machine_actions(&options, created[0]);
	if (status == POLYRUN_MACHINE_RUN)
		status = run_vms(created, count);
	destroy_vms(created, count);
	return status;
}
