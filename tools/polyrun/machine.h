/* SPDX-License-Identifier: MIT */
/*
 * What -M's properties ask of a created VM before it runs (`-M virt,dumpdtb=FILE`: write the
 * device tree the board made and stop, as QEMU does).
 */
#ifndef PV_TOOLS_POLYRUN_MACHINE_H
#define PV_TOOLS_POLYRUN_MACHINE_H

#include "kernel/vm.h"
#include "tools/polyrun/cli.h"

/* polyrun_machine_actions' answer when the VM is to run. */
#define POLYRUN_MACHINE_RUN (-1)

/*
 * Serves -M's properties for vm. Returns POLYRUN_MACHINE_RUN, or polyrun's exit status when the
 * properties end the run: 0 after dumpdtb wrote its file, 3 (after a message on stderr) when a
 * property is unknown, the board has no device tree or the file cannot be written.
 */
int polyrun_machine_actions(const struct polyrun_options *opts, struct vm *vm);

#endif
