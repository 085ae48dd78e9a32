// SPDX-License-Identifier: MIT
/*
 * polyrun's entry point: read the command line, say what each VM is, and create the VMs through
 * kernel/'s engine and board registries, as bare metal's efi_main does after reading
 * polyvisor.cfg. The registries hold what this build has registered; when they cannot make a
 * VM, vm_create logs why.
 *
 * Exit status: 0 after --help, --version and the help lists; 2 for a bad command line; 3 when a
 * VM cannot be created or run.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kernel/vm.h"
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

	if (polyrun_parse(argc, argv, &options, &err) < 0) {
		fprintf(stderr, "polyrun: %s\n", err.message);
		return EXIT_USAGE;
	}
	if (print_requested_text())
		return EXIT_SUCCESS;
	if (options.have_config_file)
		log_set_level(options.config_file.log_level);

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
	/* No engine can be registered in this build, so vm_create above has already failed. */
	destroy_vms(created, count);
	return EXIT_VM;
}
