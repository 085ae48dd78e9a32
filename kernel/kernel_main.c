// SPDX-License-Identifier: MIT
/* kernel_main (kernel/kernel_main.h). */
#include "kernel/kernel_main.h"

#include <stdbool.h>

#include "kernel/vm.h"
#include "kernel/vm_loop.h"
#include "lib/errno.h"
#include "lib/fmt.h"

#define MIB (1024u * 1024u)

static void report_machine(const struct boot_info *info)
{
	const struct boot_framebuffer *fb = &info->framebuffer;

	fmt_printf("machine: %llu MiB free", (unsigned long long)(info->free_memory / MIB));
	if (info->acpi_rsdp)
		fmt_printf(", ACPI RSDP at %#llx", (unsigned long long)info->acpi_rsdp);
	if (info->smbios)
		fmt_printf(", SMBIOS at %#llx", (unsigned long long)info->smbios);
	if (fb->size)
		fmt_printf(", framebuffer %ux%u at %#llx", fb->width, fb->height,
			   (unsigned long long)fb->base);
	else
		fmt_printf(", no framebuffer");
	fmt_printf("\n");
}

/* One line for a VM that ran; returns whether it ended with a clean power-off. */
static bool report_vm_end(const struct vm *vm, int status)
{
	if (status == 0)
		fmt_printf("vm %s: powered off\n", vm->config.name);
	else if (status > 0)
		fmt_printf("vm %s: powered off, guest status %d\n", vm->config.name, status);
	else
		fmt_printf("vm %s: stopped: %s\n", vm->config.name, pv_strerror(status));
	return status == 0;
}

unsigned kernel_main(const struct boot_info *info)
{
	const struct pv_config *config = info->config;
	struct vm *vms[CONFIG_MAX_VMS];
	bool started[CONFIG_MAX_VMS];
	unsigned count = 0, failed = 0;
	int err;

	report_machine(info);
	if (!config)
		return 0;
	for (unsigned i = 0; i < config->nvms; i++) {
		err = vm_create(&config->vms[i], &vms[count]);
		if (err) {
			fmt_printf("vm %s: not started: %s\n", config->vms[i].name,
				   pv_strerror(err));
			failed++;
		} else {
			count++;
		}
	}
	for (unsigned i = 0; i < count; i++) {
		err = vm_start(vms[i]);
		started[i] = err == 0;
		if (err) {
			fmt_printf("vm %s: not started: %s\n", vms[i]->config.name,
				   pv_strerror(err));
			failed++;
		}
	}
	for (unsigned i = 0; i < count; i++)
		if (started[i] && !report_vm_end(vms[i], vm_wait(vms[i])))
			failed++;
	for (unsigned i = 0; i < count; i++)
		vm_destroy(vms[i]);
	return failed;
}
