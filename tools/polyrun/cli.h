/* SPDX-License-Identifier: MIT */
/*
 * polyrun's QEMU-style command line. The flags fill the same struct vm_config that a [vm NAME]
 * section of polyvisor.cfg fills, so the core sees one description of a VM whichever way it was
 * written; what only a hosted run has (serial backend, gdbstub socket, trace items) sits beside it.
 * The parser never prints or exits: it returns an error with one line of text, so main() decides
 * how to report it and the unit tests can check it.
 */
#ifndef PV_TOOLS_POLYRUN_CLI_H
#define PV_TOOLS_POLYRUN_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kernel/config.h"

/* What the command line asks for besides running: --help, --version, -cpu help, -d help. */
enum polyrun_action {
	POLYRUN_ACTION_RUN,
	POLYRUN_ACTION_HELP,
	POLYRUN_ACTION_VERSION,
	POLYRUN_ACTION_CPU_HELP,
	POLYRUN_ACTION_DEBUG_HELP,
};

enum polyrun_serial { POLYRUN_SERIAL_STDIO, POLYRUN_SERIAL_NONE, POLYRUN_SERIAL_FILE };

/* -d items: what the engines and the VM loop trace to the -D log. */
#define POLYRUN_DEBUG_IR (1u << 0)
#define POLYRUN_DEBUG_IN_ASM (1u << 1)
#define POLYRUN_DEBUG_OUT_ASM (1u << 2)
#define POLYRUN_DEBUG_EXEC (1u << 3)
#define POLYRUN_DEBUG_CPU (1u << 4)
#define POLYRUN_DEBUG_INT (1u << 5)
#define POLYRUN_DEBUG_MMU (1u << 6)
#define POLYRUN_DEBUG_STATS (1u << 7)
#define POLYRUN_DEBUG_GUEST_ERRORS (1u << 8)

#define POLYRUN_MAX_PROPS 16
#define POLYRUN_GDB_DEFAULT_PORT 1234
#define POLYRUN_ERROR_MAX (CONFIG_ERROR_MAX + 64)

/* One ",key=value" after -M's machine or -cpu's model, kept for the board or the model to use. */
struct polyrun_prop {
	char key[CONFIG_NAME_MAX];
	char value[CONFIG_PATH_MAX];
};

struct polyrun_options {
	enum polyrun_action action;
	/* The VM the flags describe; unused when -c names a config file. */
	struct vm_config vm;
	char cpu_model[CONFIG_NAME_MAX];
	struct polyrun_prop machine_props[POLYRUN_MAX_PROPS];
	unsigned nmachine_props;
	struct polyrun_prop cpu_props[POLYRUN_MAX_PROPS];
	unsigned ncpu_props;
	/* -c FILE: the VMs come from here instead. */
	bool have_config_file;
	struct pv_config config_file;
	/* Host side of a run, valid with or without -c. */
	enum polyrun_serial serial;
	char serial_path[CONFIG_PATH_MAX];
	bool serial_monitor; /* mon:stdio or -nographic: the monitor shares the serial's stdio */
	unsigned gdb_port; /* 0: no gdbstub */
	char gdb_host[CONFIG_NAME_MAX]; /* empty: every interface, as QEMU's tcp::PORT */
	bool start_stopped; /* -S */
	unsigned debug_items; /* POLYRUN_DEBUG_* */
	char debug_log[CONFIG_PATH_MAX]; /* -D; empty: stderr */
	bool no_reboot;
};

struct polyrun_error {
	/* "-m: bad size '12Q' (...)": the flag first, then what is wrong and why. */
	char message[POLYRUN_ERROR_MAX];
};

/*
 * Parse argv[1..argc-1] into *opts (which it initializes). Returns 0, or -EINVAL with err filled
 * when a flag or a combination of flags is wrong.
 */
int polyrun_parse(int argc, char *const argv[], struct polyrun_options *opts,
		  struct polyrun_error *err);

/* The VMs a run starts: the one the flags describe, or every VM of the -c file. */
const struct vm_config *polyrun_vms(const struct polyrun_options *opts, unsigned *count);

/*
 * One line saying what a VM is, for a person: "vm default: isa riscv64, engine hybrid, 512 MiB,
 * 1 vCPU, board virt, kernel Image". Truncated to size.
 */
void polyrun_format_vm(const struct vm_config *vm, char *buf, size_t size);

/* The texts of --help, -cpu help and -d help. */
void polyrun_print_usage(FILE *out);
void polyrun_print_cpu_models(FILE *out);
void polyrun_print_debug_items(FILE *out);

#endif
