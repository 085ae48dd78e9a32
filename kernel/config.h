/* SPDX-License-Identifier: MIT */
/*
 * polyvisor.cfg semantics: the [global] section and one [vm NAME] section per guest, read with
 * lib/ini and checked here. polyrun's command line fills the same struct vm_config, so every
 * later layer sees one description of a VM whichever way it was written.
 */
#ifndef PV_KERNEL_CONFIG_H
#define PV_KERNEL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/log.h"

#define CONFIG_MAX_VMS 16
#define CONFIG_MAX_DISKS 4
#define CONFIG_MAX_NETS 4
#define CONFIG_NAME_MAX 32
#define CONFIG_PATH_MAX 256
#define CONFIG_CMDLINE_MAX 1024
/* A vm_config serial value: "file:" and a path. */
#define CONFIG_SERIAL_MAX (CONFIG_PATH_MAX + 8)
#define CONFIG_ERROR_MAX 512
#define CONFIG_MAX_CPUS 64
/* Below this a guest kernel has no room to boot; RAM is also a whole number of 4K pages. */
#define CONFIG_MIN_MEMORY (16ull << 20)
#define CONFIG_MEMORY_ALIGN 4096ull

enum vm_isa { VM_ISA_NONE, VM_ISA_X86_64, VM_ISA_AARCH64, VM_ISA_RISCV64 };

/* auto: hardware when the guest ISA is the host's and the extension is usable, else hybrid. */
enum vm_engine { VM_ENGINE_AUTO, VM_ENGINE_HW, VM_ENGINE_JIT, VM_ENGINE_INTERP, VM_ENGINE_HYBRID };

struct vm_disk_config {
	char path[CONFIG_PATH_MAX];
	bool readonly;
};

struct vm_net_config {
	/* "hub:ID" joins an in-hypervisor switch; "tap:IFNAME" a host TAP device (polyrun). */
	char backend[CONFIG_PATH_MAX];
	uint8_t mac[6];
	bool mac_set;
};

struct vm_config {
	char name[CONFIG_NAME_MAX];
	enum vm_isa isa;
	enum vm_engine engine;
	uint64_t memory_bytes;
	unsigned cpus;
	char board[CONFIG_NAME_MAX]; /* "virt" unless the config says otherwise */
	char kernel[CONFIG_PATH_MAX];
	char initrd[CONFIG_PATH_MAX];
	char dtb[CONFIG_PATH_MAX];
	char firmware[CONFIG_PATH_MAX];
	char cmdline[CONFIG_CMDLINE_MAX];
	char console[CONFIG_NAME_MAX]; /* which device carries the guest's console: "serial", "virtio" */
	/* Where the board's UART goes (kernel/chardev.h): "" or "stdio", "none", "file:PATH". */
	char serial[CONFIG_SERIAL_MAX];
	bool rng; /* an entropy device (virtio-rng) */
	struct vm_disk_config disks[CONFIG_MAX_DISKS];
	unsigned ndisks;
	struct vm_net_config nets[CONFIG_MAX_NETS];
	unsigned nnets;
	unsigned source_line; /* line of the [vm NAME] header, for later messages */
};

/*
 * The hypervisor's own serial console, [global] serial = ...:
 *   auto          the firmware's console (SPCR, the DTB's stdout-path, or COM1 on x86)
 *   com1..com4    the PC's legacy UARTs at I/O ports 0x3f8, 0x2f8, 0x3e8, 0x2e8
 *   0xPORT        a 16550 at another I/O port (x86 hosts)
 *   mmio:0xADDR   a UART at a physical address (aarch64 and riscv64 hosts)
 */
enum config_serial_kind { CONFIG_SERIAL_AUTO, CONFIG_SERIAL_PIO, CONFIG_SERIAL_MMIO };

struct pv_config {
	char source[CONFIG_PATH_MAX]; /* file name used in messages */
	enum log_level log_level;
	char serial[CONFIG_NAME_MAX]; /* hypervisor console: "auto" or a port such as "com1", "0x3f8" */
	enum config_serial_kind serial_kind; /* serial, decoded */
	uint64_t serial_addr; /* the I/O port or physical address; 0 for auto */
	struct vm_config vms[CONFIG_MAX_VMS];
	unsigned nvms;
};

/* A rejection, ready to print: "polyvisor.cfg:12: key 'memory': bad size '12Q'". */
struct config_error {
	char message[CONFIG_ERROR_MAX];
};

/* Defaults that a [vm] section or polyrun starts from. */
void vm_config_init(struct vm_config *vm);

/* Parse a whole polyvisor.cfg held in memory. Returns 0 or a negative errno with err filled. */
int config_parse(const char *source_name, const char *text, size_t len, struct pv_config *out,
		 struct config_error *err);

/* "512M", "2G", "4096" (bytes), "1T": binary multiples. Returns 0 or -EINVAL / -ERANGE. */
int config_parse_size(const char *text, uint64_t *out);

/* A [global] serial value (see enum config_serial_kind). Returns 0 or -EINVAL. */
int config_parse_serial(const char *text, enum config_serial_kind *kind, uint64_t *addr);

int config_parse_isa(const char *text, enum vm_isa *out);
int config_parse_engine(const char *text, enum vm_engine *out);
const char *config_isa_name(enum vm_isa isa);
const char *config_engine_name(enum vm_engine engine);

#endif
