// SPDX-License-Identifier: MIT
/*
 * The riscv64 virt board (virt.h): QEMU's memory map and device tree, so Debian's OpenSBI and
 * kernels boot unchanged.
 *
 * Boot. With firmware (-bios default or a file), it is loaded at the start of RAM and every hart
 * starts there in M mode with a0 = hart id, a1 = the DTB and a2 = a struct fw_dynamic_info in the
 * boot ROM naming the kernel's entry and S mode, as QEMU hands over to fw_dynamic. Without
 * firmware the -kernel (ELF, Linux Image or raw binary) is entered directly in M mode with the
 * same a0 and a1. Kernel, initrd and DTB are placed by boot/linux.c: the kernel 2 MiB into RAM
 * (its Image header's text_offset), the DTB at the top of RAM, the initrd below it. A DTB file
 * (-dtb) replaces the built tree, its /chosen set for this boot as QEMU does (boot/fdt_chosen.h).
 *
 * Devices. The CLINT and the PLIC drive each hart's mip lines and kick its vCPU so a hart waiting
 * in WFI sees them; the VM loop also learns when each hart's next timer fires. Devices that move
 * with time (the UART's input, the CLINT's timer line, the RTC's alarm, virtio-console input,
 * network backends that are pulled) are polled between blocks by the emulation engine (struct
 * rv_platform's poll). The config's disks, NICs, virtio console and entropy device take the
 * virtio-mmio slots in that order. The NICs' backends are opened by name through kernel/netdev.h
 * (a hub, polyrun's TAP); the UART's chardev is the one the config's serial names
 * (kernel/chardev.h: the console, none, or a file).
 *
 * Reset (the finisher's reboot) puts the devices back to their reset state and loads the images
 * again; RAM beyond them keeps what the guest left, as on a real machine.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "arch/riscv64/guest/cpu.h"
#include "arch/riscv64/guest/virt.h"
#include "boot/elf.h"
#include "boot/fdt.h"
#include "boot/fdt_chosen.h"
#include "boot/linux.h"
#include "dev/clint.h"
#include "dev/goldfish_rtc.h"
#include "dev/plic.h"
#include "dev/sifive_test.h"
#include "dev/uart16550.h"
#include "interp/emu.h"
#include "kernel/chardev.h"
#include "kernel/engine.h"
#include "kernel/vm_loop.h"
#include "kernel/netdev.h"
#include "lib/errno.h"
#include "lib/file.h"
#include "lib/fmt.h"
#include "lib/log.h"
#include "lib/plat.h"
#include "virtio/blk.h"
#include "virtio/console.h"
#include "virtio/mmio.h"
#include "virtio/net.h"
#include "virtio/rng.h"

/* QEMU's mrom: 0x1000 to 0x10000. */
#define RV_VIRT_ROM_SIZE 0xf000ull
/* The 16550's input clock as QEMU reports it (Linux derives the baud divisor from it). */
#define RV_VIRT_UART_CLOCK_HZ 3686400u
/* QEMU's UART window; offsets past the eight registers read as zero. */
#define RV_VIRT_UART_SIZE 0x100u
/* Room for the tree we build; the DTB's reserved space leaves OpenSBI room to add its nodes. */
#define RV_VIRT_DTB_BUILD_MAX 0x4000u
#define RV_VIRT_DTB_RESERVE 0x10000u
#define RV_VIRT_MAX_HARTS PLIC_MAX_HARTS
/* /chosen rng-seed: 32 bytes, as QEMU passes. */
#define RV_VIRT_RNG_SEED_WORDS 8u

/* What the finisher asked for, kept until the harts have all seen it. */
enum rv_virt_request { RV_VIRT_RUNNING, RV_VIRT_POWEROFF, RV_VIRT_FAIL, RV_VIRT_RESET };

/* OpenSBI's struct fw_dynamic_info: six XLEN words, little-endian. */
struct rv_fw_dynamic_info {
	uint64_t magic;
	uint64_t version;
	uint64_t next_addr;
	uint64_t next_mode;
	uint64_t options;
	uint64_t boot_hart;
};

struct rv_virt {
	struct rv_platform platform; /* first: see struct rv_platform */
	struct vm *vm;
	uint64_t time_origin_ns;
	atomic_int request; /* enum rv_virt_request */
	atomic_uint exit_code; /* the failure code of RV_VIRT_FAIL */
	struct clint clint;
	struct plic plic;
	struct uart16550 uart;
	struct chardev serial; /* the UART's */
	struct goldfish_rtc rtc;
	struct sifive_test test;
	struct virtio_mmio slots[RV_VIRT_VIRTIO_SLOTS];
	unsigned nslots_used;
	struct virtio_blk blk[CONFIG_MAX_DISKS];
	struct plat_file *disk_files[CONFIG_MAX_DISKS];
	unsigned ndisks;
	struct virtio_net net[CONFIG_MAX_NETS];
	struct netdev netdevs[CONFIG_MAX_NETS];
	unsigned nnets;
	struct virtio_console console;
	bool has_console;
	struct virtio_rng rng;
	uint8_t *dtb;
	size_t dtb_size;
};

/* One step of building the board: what it is called in messages, and the step. */
struct rv_virt_step {
	const char *what;
	int (*run)(struct rv_virt *virt);
	bool explains_errors; /* logs its own failures, naming the file or device at fault */
};

static uint64_t rv_virt_timebase(void *ctx)
{
	const struct rv_virt *virt = ctx;

	return (plat_time_ns() - virt->time_origin_ns) / (1000000000ull / RV_VIRT_TIMEBASE_HZ);
}

/* The time CSR reads mtime, including what software wrote to it. */
static uint64_t rv_virt_time(void *ctx)
{
	const struct rv_virt *virt = ctx;

	return clint_mtime(&virt->clint);
}

/*
 * Drives one of hart's mip lines; a rising line kicks the vCPU, which may be waiting in WFI on
 * another thread. Steady levels (the CLINT drives its timer line at every poll) kick nobody.
 */
static void rv_virt_hart_line(struct rv_virt *virt, unsigned hart, uint64_t mip_bit, bool level)
{
	struct vm *vm = virt->vm;
	struct rv_cpu *cpu;

	if (hart >= vm->nvcpus)
		return;
	cpu = emu_cpu_of(&vm->vcpus[hart])->state;
	if (rv_cpu_set_irq_line(cpu, mip_bit, level))
		vm_vcpu_kick(&vm->vcpus[hart]);
}

static void rv_virt_clint_line(void *ctx, unsigned hart, enum clint_line line, bool level)
{
	rv_virt_hart_line(ctx, hart, line == CLINT_SOFT ? RV_MIP_MSIP : RV_MIP_MTIP, level);
}

static const struct clint_ops rv_virt_clint_ops = {
	.read_timebase = rv_virt_timebase,
	.set_line = rv_virt_clint_line,
};

static void rv_virt_plic_line(void *ctx, unsigned hart, enum plic_mode mode, bool level)
{
	rv_virt_hart_line(ctx, hart, mode == PLIC_MODE_M ? RV_MIP_MEIP : RV_MIP_SEIP, level);
}

static const struct plic_ops rv_virt_plic_ops = {
	.set_line = rv_virt_plic_line,
};

static void rv_virt_finisher(void *ctx, enum sifive_test_request request, unsigned code)
{
	static const int requests[] = {
		[SIFIVE_TEST_POWEROFF] = RV_VIRT_POWEROFF,
		[SIFIVE_TEST_FAIL] = RV_VIRT_FAIL,
		[SIFIVE_TEST_RESET] = RV_VIRT_RESET,
	};
	struct rv_virt *virt = ctx;

	atomic_store(&virt->exit_code, code);
	atomic_store(&virt->request, requests[request]);
}

/* Polled devices, and the finisher's request: true once the harts must stop. */
static bool rv_virt_poll(void *ctx, bool *reset)
{
	struct rv_virt *virt = ctx;
	int request;

	clint_update(&virt->clint);
	uart16550_poll(&virt->uart);
	goldfish_rtc_poll(&virt->rtc);
	if (virt->has_console)
		virtio_console_poll(&virt->console);
	for (unsigned i = 0; i < virt->nnets; i++)
		virtio_net_poll(&virt->net[i]);
	request = atomic_load(&virt->request);
	*reset = request == RV_VIRT_RESET;
	return request != RV_VIRT_RUNNING;
}

static bool rv_virt_console_is_virtio(const struct rv_virt *virt)
{
	return strcmp(virt->vm->config.console, "virtio") == 0;
}

/*
 * The UART's chardev, which -serial (vm_config serial) names; it takes the console's input unless
 * virtio-console carries the console. Opened once: a file: stays open, and keeps growing, across
 * the guest's reboots.
 */
static int rv_virt_open_serial(struct rv_virt *virt)
{
	const struct vm_config *config = &virt->vm->config;
	int err = chardev_open(config->serial, config->name, !rv_virt_console_is_virtio(virt),
			       &virt->serial);

	if (err == -EINVAL)
		log_error("vm %s: serial '%s': expected stdio, none or file:PATH", config->name,
			  config->serial);
	else if (err == -ENOTSUP)
		log_error("vm %s: serial %s: this platform cannot create files", config->name,
			  config->serial);
	else if (err < 0)
		log_error("vm %s: serial %s: %s", config->name, config->serial, pv_strerror(err));
	return err;
}

static struct irq_line rv_virt_irq(struct rv_virt *virt, unsigned irq)
{
	return (struct irq_line){ .set_level = plic_set_level,
				  .controller = &virt->plic,
				  .irq = irq };
}

/* The CLINT, PLIC, UART, RTC and finisher after power-on: at create and at each reset. */
static int rv_virt_power_on_devices(struct rv_virt *virt)
{
	static const struct uart16550_config uart_config = { .reg_shift = 0, .io_width = 1 };
	struct irq_line line = rv_virt_irq(virt, RV_VIRT_UART_IRQ);
	int err;

	err = clint_init(&virt->clint, virt->vm->config.cpus, &rv_virt_clint_ops, virt);
	if (!err)
		err = plic_init(&virt->plic, virt->vm->config.cpus, &rv_virt_plic_ops, virt);
	if (!err)
		err = uart16550_init(&virt->uart, &uart_config, &line, &virt->serial);
	line = rv_virt_irq(virt, RV_VIRT_RTC_IRQ);
	if (!err)
		err = goldfish_rtc_init(&virt->rtc, plat_realtime_ns, &line);
	if (!err)
		err = sifive_test_init(&virt->test, rv_virt_finisher, virt);
	return err;
}

static int rv_virt_add_core_devices(struct rv_virt *virt)
{
	struct gpa_space *gpa = virt->vm->gpa;
	int err = rv_virt_power_on_devices(virt);

	if (!err)
		err = gpa_add_mmio(gpa, RV_VIRT_TEST_BASE, SIFIVE_TEST_SIZE, &sifive_test_mmio_ops,
				   &virt->test, "test");
	if (!err)
		err = gpa_add_mmio(gpa, RV_VIRT_RTC_BASE, GOLDFISH_RTC_SIZE, &goldfish_rtc_mmio_ops,
				   &virt->rtc, "rtc");
	if (!err)
		err = gpa_add_mmio(gpa, RV_VIRT_CLINT_BASE, CLINT_SIZE, &clint_mmio_ops,
				   &virt->clint, "clint");
	if (!err)
		err = gpa_add_mmio(gpa, RV_VIRT_PLIC_BASE, PLIC_SIZE, &plic_mmio_ops, &virt->plic,
				   "plic");
	if (!err)
		err = gpa_add_mmio(gpa, RV_VIRT_UART_BASE, RV_VIRT_UART_SIZE, &uart16550_mmio_ops,
				   &virt->uart, "uart0");
	return err;
}

/* The next free slot, bound to dev. */
static int rv_virt_add_virtio(struct rv_virt *virt, struct virtio_dev *dev)
{
	struct irq_line line;

	if (virt->nslots_used == RV_VIRT_VIRTIO_SLOTS) {
		log_error("vm %s: virt has %u virtio-mmio slots: too many devices",
			  virt->vm->config.name, RV_VIRT_VIRTIO_SLOTS);
		return -ENOSPC;
	}
	line = rv_virt_irq(virt, RV_VIRT_VIRTIO_IRQ + virt->nslots_used);
	virtio_mmio_init(&virt->slots[virt->nslots_used++], dev, &line);
	return 0;
}

static int rv_virt_add_disks(struct rv_virt *virt)
{
	const struct vm_config *config = &virt->vm->config;
	char id[VIRTIO_BLK_ID_BYTES];
	int err = 0;

	for (unsigned i = 0; i < config->ndisks && !err; i++) {
		const struct vm_disk_config *disk = &config->disks[i];
		unsigned mode = PLAT_FILE_READ | (disk->readonly ? 0 : PLAT_FILE_WRITE);

		err = plat_file_open(disk->path, mode, &virt->disk_files[i]);
		if (err < 0) {
			log_error("vm %s: disk %s: %s", config->name, disk->path, pv_strerror(err));
			break;
		}
		fmt_snprintf(id, sizeof(id), "disk%u", i);
		err = virtio_blk_init(&virt->blk[i], virt->vm->gpa, virt->disk_files[i],
				      disk->readonly, id);
		if (err < 0) {
			plat_file_close(virt->disk_files[i]);
			log_error("vm %s: disk %s: %s", config->name, disk->path, pv_strerror(err));
			break;
		}
		virt->ndisks++;
		err = rv_virt_add_virtio(virt, &virt->blk[i].vdev);
	}
	return err;
}

/* A MAC for a NIC without one: QEMU's 52:54:00:12:34:56 onwards. */
static void rv_virt_default_mac(unsigned nic, uint8_t mac[6])
{
	static const uint8_t base[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

	memcpy(mac, base, sizeof(base));
	mac[5] = (uint8_t)(base[5] + nic);
}

static int rv_virt_add_nets(struct rv_virt *virt)
{
	const struct vm_config *config = &virt->vm->config;
	char msg[NETDEV_ERROR_MAX];
	uint8_t mac[6];
	int err = 0;

	for (unsigned i = 0; i < config->nnets && !err; i++) {
		const struct vm_net_config *net = &config->nets[i];

		err = netdev_open(net->backend, &virt->netdevs[i], msg, sizeof(msg));
		if (err < 0) {
			log_error("vm %s: network %s: %s", config->name, net->backend, msg);
			break;
		}
		if (net->mac_set)
			memcpy(mac, net->mac, sizeof(mac));
		else
			rv_virt_default_mac(i, mac);
		virtio_net_init(&virt->net[i], virt->vm->gpa, virt->netdevs[i].be, mac);
		virt->nnets++;
		err = rv_virt_add_virtio(virt, &virt->net[i].vdev);
	}
	return err;
}

static int rv_virt_add_console_and_rng(struct rv_virt *virt)
{
	struct chardev chr;
	int err = 0;

	if (rv_virt_console_is_virtio(virt)) {
		/* The console, whatever -serial says: QEMU gives virtconsole a chardev of its own. */
		err = chardev_open("stdio", virt->vm->config.name, true, &chr);
		if (err < 0)
			return err;
		virtio_console_init(&virt->console, virt->vm->gpa, &chr);
		virt->has_console = true;
		err = rv_virt_add_virtio(virt, &virt->console.vdev);
	}
	if (!err && virt->vm->config.rng) {
		virtio_rng_init(&virt->rng, virt->vm->gpa);
		err = rv_virt_add_virtio(virt, &virt->rng.vdev);
	}
	return err;
}

/* Every slot is mapped, the empty ones answering DeviceID 0, as on QEMU. */
static int rv_virt_map_slots(struct rv_virt *virt)
{
	static const char *const names[RV_VIRT_VIRTIO_SLOTS] = {
		"virtio0", "virtio1", "virtio2", "virtio3",
		"virtio4", "virtio5", "virtio6", "virtio7",
	};
	int err = 0;

	for (unsigned i = 0; i < RV_VIRT_VIRTIO_SLOTS && !err; i++) {
		if (i >= virt->nslots_used) {
			struct irq_line line = rv_virt_irq(virt, RV_VIRT_VIRTIO_IRQ + i);

			virtio_mmio_init(&virt->slots[i], NULL, &line);
		}
		err = virtio_mmio_map(&virt->slots[i], virt->vm->gpa,
				      RV_VIRT_VIRTIO_BASE + i * RV_VIRT_VIRTIO_STRIDE, names[i]);
	}
	return err;
}

static int rv_virt_add_memory(struct rv_virt *virt)
{
	int err = gpa_add_rom(virt->vm->gpa, RV_VIRT_ROM_BASE, RV_VIRT_ROM_SIZE, "mrom");

	return err ? err :
		     gpa_add_ram(virt->vm->gpa, RV_VIRT_RAM_BASE, virt->vm->config.memory_bytes,
				 "ram");
}

/*
 * The ISA the decoder implements, in the three forms Linux and OpenSBI read: the riscv,isa
 * string, its base, and the extension list.
 */
#define RV_VIRT_ISA "rv64imafdc_zicbom_zicboz_zicntr_zicsr_zifencei_zba_zbb_zbs_sstc"
static const char *const rv_virt_isa_extensions[] = {
	"i",	  "m",	   "a",	       "f",   "d",   "c",   "zicbom", "zicboz",
	"zicntr", "zicsr", "zifencei", "zba", "zbb", "zbs", "sstc",
};

struct rv_virt_fdt {
	struct fdt_build b;
	uint32_t intc[RV_VIRT_MAX_HARTS];
	uint32_t plic;
	uint32_t test;
};

static void rv_virt_fdt_cpus(struct rv_virt *virt, struct rv_virt_fdt *t)
{
	struct fdt_build *b = &t->b;
	unsigned ncpus = virt->vm->config.cpus;

	fdt_build_begin_node(b, "cpus");
	fdt_build_prop_u32(b, "#address-cells", 1);
	fdt_build_prop_u32(b, "#size-cells", 0);
	fdt_build_prop_u32(b, "timebase-frequency", RV_VIRT_TIMEBASE_HZ);
	for (unsigned hart = 0; hart < ncpus; hart++) {
		fdt_build_begin_node_at(b, "cpu", hart);
		fdt_build_prop_string(b, "device_type", "cpu");
		fdt_build_prop_cells(b, "reg", &hart, 1);
		fdt_build_prop_string(b, "status", "okay");
		fdt_build_prop_string(b, "compatible", "riscv");
		fdt_build_prop_string(b, "riscv,isa", RV_VIRT_ISA);
		fdt_build_prop_string(b, "riscv,isa-base", "rv64i");
		fdt_build_prop_strings(b, "riscv,isa-extensions", rv_virt_isa_extensions,
				       sizeof(rv_virt_isa_extensions) /
					       sizeof(rv_virt_isa_extensions[0]));
		fdt_build_prop_string(b, "mmu-type", "riscv,sv57");
		fdt_build_prop_u32(b, "riscv,cbom-block-size", RV_CACHE_BLOCK_SIZE);
		fdt_build_prop_u32(b, "riscv,cboz-block-size", RV_CACHE_BLOCK_SIZE);
		fdt_build_begin_node(b, "interrupt-controller");
		fdt_build_prop_u32(b, "#address-cells", 0);
		fdt_build_prop_u32(b, "#interrupt-cells", 1);
		fdt_build_prop_empty(b, "interrupt-controller");
		fdt_build_prop_string(b, "compatible", "riscv,cpu-intc");
		fdt_build_prop_u32(b, "phandle", t->intc[hart]);
		fdt_build_end_node(b);
		fdt_build_end_node(b);
	}
	fdt_build_end_node(b);
}

/* interrupts-extended of the CLINT (software, timer) or the PLIC (M and S external). */
static void rv_virt_fdt_hart_irqs(struct rv_virt *virt, struct rv_virt_fdt *t, uint32_t first,
				  uint32_t second)
{
	uint32_t cells[4 * RV_VIRT_MAX_HARTS];
	unsigned n = 0;

	for (unsigned hart = 0; hart < virt->vm->config.cpus; hart++) {
		cells[n++] = t->intc[hart];
		cells[n++] = first;
		cells[n++] = t->intc[hart];
		cells[n++] = second;
	}
	fdt_build_prop_cells(&t->b, "interrupts-extended", cells, n);
}

/* A device of /soc: its node, compatible strings, one reg and, with irq nonzero, its source. */
static void rv_virt_fdt_device(struct rv_virt_fdt *t, const char *name, uint64_t base,
			       uint64_t size, const char *const *compatible, unsigned ncompatible,
			       unsigned irq)
{
	struct fdt_build *b = &t->b;

	fdt_build_begin_node_at(b, name, base);
	fdt_build_prop_strings(b, "compatible", compatible, ncompatible);
	fdt_build_prop_reg(b, 2, 2, &(struct fdt_reg){ base, size }, 1);
	if (irq) {
		fdt_build_prop_u32(b, "interrupt-parent", t->plic);
		fdt_build_prop_u32(b, "interrupts", irq);
	}
}

static void rv_virt_fdt_soc(struct rv_virt *virt, struct rv_virt_fdt *t)
{
	static const char *const clint[] = { "sifive,clint0", "riscv,clint0" };
	static const char *const plic[] = { "sifive,plic-1.0.0", "riscv,plic0" };
	static const char *const uart[] = { "ns16550a" };
	static const char *const rtc[] = { "google,goldfish-rtc" };
	static const char *const test[] = { "sifive,test1", "sifive,test0", "syscon" };
	static const char *const virtio[] = { "virtio,mmio" };
	struct fdt_build *b = &t->b;

	fdt_build_begin_node(b, "soc");
	fdt_build_prop_u32(b, "#address-cells", 2);
	fdt_build_prop_u32(b, "#size-cells", 2);
	fdt_build_prop_string(b, "compatible", "simple-bus");
	fdt_build_prop_empty(b, "ranges");

	rv_virt_fdt_device(t, "test", RV_VIRT_TEST_BASE, SIFIVE_TEST_SIZE, test, 3, 0);
	fdt_build_prop_u32(b, "phandle", t->test);
	fdt_build_end_node(b);
	rv_virt_fdt_device(t, "rtc", RV_VIRT_RTC_BASE, GOLDFISH_RTC_SIZE, rtc, 1, RV_VIRT_RTC_IRQ);
	fdt_build_end_node(b);
	rv_virt_fdt_device(t, "clint", RV_VIRT_CLINT_BASE, CLINT_SIZE, clint, 2, 0);
	rv_virt_fdt_hart_irqs(virt, t, RV_IRQ_M_SOFT, RV_IRQ_M_TIMER);
	fdt_build_end_node(b);
	rv_virt_fdt_device(t, "plic", RV_VIRT_PLIC_BASE, PLIC_SIZE, plic, 2, 0);
	fdt_build_prop_u32(b, "#address-cells", 0);
	fdt_build_prop_u32(b, "#interrupt-cells", 1);
	fdt_build_prop_empty(b, "interrupt-controller");
	fdt_build_prop_u32(b, "riscv,ndev", PLIC_SOURCES - 1);
	rv_virt_fdt_hart_irqs(virt, t, RV_IRQ_M_EXT, RV_IRQ_S_EXT);
	fdt_build_prop_u32(b, "phandle", t->plic);
	fdt_build_end_node(b);
	rv_virt_fdt_device(t, "serial", RV_VIRT_UART_BASE, RV_VIRT_UART_SIZE, uart, 1,
			   RV_VIRT_UART_IRQ);
	fdt_build_prop_u32(b, "clock-frequency", RV_VIRT_UART_CLOCK_HZ);
	fdt_build_end_node(b);
	for (unsigned i = 0; i < RV_VIRT_VIRTIO_SLOTS; i++) {
		rv_virt_fdt_device(t, "virtio_mmio",
				   RV_VIRT_VIRTIO_BASE + i * RV_VIRT_VIRTIO_STRIDE,
				   VIRTIO_MMIO_SIZE, virtio, 1, RV_VIRT_VIRTIO_IRQ + i);
		fdt_build_end_node(b);
	}
	fdt_build_end_node(b);
}

/* syscon-poweroff and syscon-reboot: Linux's drivers for the finisher's two requests. */
static void rv_virt_fdt_syscon(struct rv_virt_fdt *t, const char *name, uint32_t value)
{
	struct fdt_build *b = &t->b;

	fdt_build_begin_node(b, name);
	fdt_build_prop_string(b, "compatible",
			      value == SIFIVE_TEST_PASS_CODE ? "syscon-poweroff" : "syscon-reboot");
	fdt_build_prop_u32(b, "regmap", t->test);
	fdt_build_prop_u32(b, "offset", 0);
	fdt_build_prop_u32(b, "value", value);
	fdt_build_end_node(b);
}

static int rv_virt_build_dtb(struct rv_virt *virt, const struct linux_layout *layout)
{
	const struct vm_config *config = &virt->vm->config;
	struct rv_virt_fdt *t = plat_alloc(sizeof(*t));
	uint32_t seed[RV_VIRT_RNG_SEED_WORDS];
	struct fdt_build *b;
	size_t size;
	int err;

	virt->dtb = plat_alloc(RV_VIRT_DTB_BUILD_MAX);
	if (!t || !virt->dtb) {
		plat_free(t);
		return -ENOMEM;
	}
	b = &t->b;
	fdt_build_init(b, virt->dtb, RV_VIRT_DTB_BUILD_MAX);
	for (unsigned hart = 0; hart < config->cpus; hart++)
		t->intc[hart] = fdt_build_new_phandle(b);
	t->plic = fdt_build_new_phandle(b);
	t->test = fdt_build_new_phandle(b);
	fdt_build_prop_u32(b, "#address-cells", 2);
	fdt_build_prop_u32(b, "#size-cells", 2);
	fdt_build_prop_string(b, "compatible", "riscv-virtio");
	fdt_build_prop_string(b, "model", "riscv-virtio,qemu");

	rv_virt_fdt_syscon(t, "poweroff", SIFIVE_TEST_PASS_CODE);
	rv_virt_fdt_syscon(t, "reboot", SIFIVE_TEST_RESET_CODE);

	fdt_build_begin_node(b, "chosen");
	if (config->cmdline[0])
		fdt_build_prop_string(b, "bootargs", config->cmdline);
	if (layout->initrd_end) {
		fdt_build_prop_u64(b, "linux,initrd-start", layout->initrd_start);
		fdt_build_prop_u64(b, "linux,initrd-end", layout->initrd_end);
	}
	fdt_build_prop_string(b, "stdout-path", "/soc/serial@10000000");
	/* Entropy for the kernel's pool before any driver runs, as QEMU gives it. */
	if (plat_entropy(seed, sizeof(seed)) == 0)
		fdt_build_prop_cells(b, "rng-seed", seed, RV_VIRT_RNG_SEED_WORDS);
	fdt_build_end_node(b);

	fdt_build_begin_node_at(b, "memory", RV_VIRT_RAM_BASE);
	fdt_build_prop_string(b, "device_type", "memory");
	fdt_build_prop_reg(b, 2, 2, &(struct fdt_reg){ RV_VIRT_RAM_BASE, config->memory_bytes }, 1);
	fdt_build_end_node(b);

	rv_virt_fdt_cpus(virt, t);
	rv_virt_fdt_soc(virt, t);
	err = fdt_build_finish(b, &size);
	if (err < 0)
		log_error("vm %s: virt: device tree: %s", config->name, b->error);
	else
		virt->dtb_size = size;
	plat_free(t);
	return err;
}

static int rv_virt_read_file(struct rv_virt *virt, const char *what, const char *path, void **data,
			     size_t *size)
{
	int err = file_read_whole(path, data, size);

	if (err < 0)
		log_error("vm %s: %s %s: %s", virt->vm->config.name, what, path, pv_strerror(err));
	return err;
}

/* The files one boot needs, read whole; every pointer may be NULL. */
struct rv_virt_files {
	void *firmware, *kernel, *initrd, *dtb;
	size_t firmware_size, kernel_size, initrd_size, dtb_size;
};

static void rv_virt_free_files(struct rv_virt_files *f)
{
	plat_free(f->firmware);
	plat_free(f->kernel);
	plat_free(f->initrd);
	plat_free(f->dtb);
}

static int rv_virt_read_files(struct rv_virt *virt, struct rv_virt_files *f)
{
	const struct vm_config *c = &virt->vm->config;
	int err = 0;

	if (c->firmware[0])
		err = rv_virt_read_file(virt, "firmware", c->firmware, &f->firmware,
					&f->firmware_size);
	if (!err && c->kernel[0])
		err = rv_virt_read_file(virt, "kernel", c->kernel, &f->kernel, &f->kernel_size);
	if (!err && c->initrd[0])
		err = rv_virt_read_file(virt, "initrd", c->initrd, &f->initrd, &f->initrd_size);
	if (!err && c->dtb[0])
		err = rv_virt_read_file(virt, "dtb", c->dtb, &f->dtb, &f->dtb_size);
	return err;
}

/*
 * What the kernel file is: a Linux Image (its header), an ELF (loaded here, described as an image
 * at its lowest address) or raw code for the start of RAM. Sets *elf for an ELF.
 */
static int rv_virt_kernel_image(struct rv_virt *virt, const struct rv_virt_files *f,
				struct linux_image *image, bool *elf, uint64_t *entry)
{
	char msg[LINUX_ERROR_MAX > ELF_ERROR_MAX ? LINUX_ERROR_MAX : ELF_ERROR_MAX];
	struct elf_info info;
	int err;

	*elf = false;
	if (!f->kernel) {
		*image = (struct linux_image){ .base_align = 2ull << 20 };
		return 0;
	}
	if (linux_image_parse(LINUX_ARCH_RISCV64, f->kernel, f->kernel_size, image, msg,
			      sizeof(msg)) == 0)
		return 0;
	if (elf_check(f->kernel, f->kernel_size, ELF_MACHINE_RISCV, msg, sizeof(msg)) < 0) {
		*image = (struct linux_image){ .base_align = 2ull << 20,
					       .image_size = f->kernel_size,
					       .file_size = f->kernel_size };
		return 0;
	}
	err = elf_load(virt->vm->gpa, f->kernel, f->kernel_size, ELF_MACHINE_RISCV, &info, msg,
		       sizeof(msg));
	if (err < 0 || info.low < RV_VIRT_RAM_BASE) {
		log_error("vm %s: kernel %s: %s", virt->vm->config.name, virt->vm->config.kernel,
			  err < 0 ? msg : "an ELF segment lies below RAM");
		return err < 0 ? err : -EINVAL;
	}
	*elf = true;
	*entry = info.entry;
	*image = (struct linux_image){ .base_align = 2ull << 20,
				       .text_offset = info.low - RV_VIRT_RAM_BASE,
				       .image_size = info.high - info.low };
	return 0;
}

/*
 * The user's tree in place of the built one, with this boot's command line and initrd in /chosen
 * (boot/fdt_chosen.h); it has the DTB's whole reserve to grow into.
 */
static int rv_virt_fixup_dtb(struct rv_virt *virt, const struct rv_virt_files *f,
			     const struct linux_layout *layout)
{
	const struct vm_config *config = &virt->vm->config;
	struct fdt_chosen chosen = { .bootargs = config->cmdline,
				     .initrd_start = layout->initrd_start,
				     .initrd_end = layout->initrd_end };
	char msg[FDT_CHOSEN_ERROR_MAX];
	int err;

	virt->dtb = plat_alloc(RV_VIRT_DTB_RESERVE);
	if (!virt->dtb)
		return -ENOMEM;
	err = fdt_chosen_fixup(f->dtb, f->dtb_size, &chosen, virt->dtb, RV_VIRT_DTB_RESERVE,
			       &virt->dtb_size, msg, sizeof(msg));
	if (err < 0)
		log_error("vm %s: dtb %s: %s", config->name, config->dtb, msg);
	return err;
}

static int rv_virt_load(struct rv_virt *virt, const struct rv_virt_files *f)
{
	const struct vm_config *config = &virt->vm->config;
	struct gpa_space *gpa = virt->vm->gpa;
	struct linux_layout_request req = {
		.ram_base = RV_VIRT_RAM_BASE,
		.ram_size = config->memory_bytes,
		.initrd_size = f->initrd_size,
		.dtb_max = RV_VIRT_DTB_RESERVE,
	};
	struct rv_fw_dynamic_info info;
	struct linux_layout layout;
	struct linux_image image;
	char msg[LINUX_ERROR_MAX];
	uint64_t entry = 0;
	bool elf;
	int err = rv_virt_kernel_image(virt, f, &image, &elf, &entry);

	if (err < 0)
		return err;
	err = linux_layout_plan(&image, &req, &layout, msg, sizeof(msg));
	if (!err && f->firmware && layout.kernel_addr < RV_VIRT_RAM_BASE + f->firmware_size) {
		fmt_snprintf(msg, sizeof(msg),
			     "firmware of %zu bytes overlaps the kernel at 0x%llx",
			     f->firmware_size, (unsigned long long)layout.kernel_addr);
		err = -EINVAL;
	}
	if (err < 0) {
		log_error("vm %s: virt: %s", config->name, msg);
		return err;
	}
	err = f->dtb ? rv_virt_fixup_dtb(virt, f, &layout) : rv_virt_build_dtb(virt, &layout);
	if (err < 0)
		return err;
	err = linux_load(gpa, &layout, elf ? NULL : f->kernel, elf ? 0 : f->kernel_size, f->initrd,
			 f->initrd_size, virt->dtb, virt->dtb_size, msg, sizeof(msg));
	if (!err && f->firmware)
		err = gpa_load(gpa, RV_VIRT_RAM_BASE, f->firmware, f->firmware_size);
	if (err < 0) {
		log_error("vm %s: virt: %s", config->name, err == -EFAULT ? "firmware" : msg);
		return err;
	}
	if (!elf)
		entry = layout.kernel_addr;
	virt->platform.reset_a1 = layout.dtb_addr;
	virt->platform.reset_pc = entry;
	if (!f->firmware)
		return 0;
	info = (struct rv_fw_dynamic_info){
		.magic = RV_FW_DYNAMIC_MAGIC,
		.version = RV_FW_DYNAMIC_VERSION,
		.next_addr = entry,
		.next_mode = RV_FW_DYNAMIC_NEXT_MODE_S,
		.boot_hart = 0,
	};
	virt->platform.reset_pc = RV_VIRT_RAM_BASE;
	virt->platform.reset_a2 = RV_VIRT_ROM_BASE;
	return gpa_load(gpa, RV_VIRT_ROM_BASE, &info, sizeof(info));
}

static int rv_virt_boot(struct rv_virt *virt)
{
	struct rv_virt_files files = { 0 };
	int err = rv_virt_read_files(virt, &files);

	if (!err)
		err = rv_virt_load(virt, &files);
	rv_virt_free_files(&files);
	return err;
}

static const struct rv_virt_step rv_virt_steps[] = {
	{ "memory", rv_virt_add_memory, false },
	{ "serial", rv_virt_open_serial, true },
	{ "devices", rv_virt_add_core_devices, false },
	{ "disks", rv_virt_add_disks, true },
	{ "networks", rv_virt_add_nets, true },
	{ "console and entropy", rv_virt_add_console_and_rng, false },
	{ "virtio slots", rv_virt_map_slots, false },
	{ "boot", rv_virt_boot, true },
};

/* The devices' registers as after power-on; backends (files, network backends) stay attached. */
static int rv_virt_reset_devices(struct rv_virt *virt)
{
	struct irq_line line;
	int err = rv_virt_power_on_devices(virt);

	for (unsigned i = 0; i < virt->nslots_used && !err; i++) {
		struct virtio_dev *dev = virt->slots[i].dev;

		spin_lock(&dev->lock);
		virtio_dev_set_status(dev, 0);
		spin_unlock(&dev->lock);
		line = rv_virt_irq(virt, RV_VIRT_VIRTIO_IRQ + i);
		virtio_mmio_init(&virt->slots[i], dev, &line);
	}
	return err;
}

static int rv_virt_reset(struct vm *vm)
{
	struct rv_virt *virt = vm->board_priv;
	int err = rv_virt_reset_devices(virt);

	plat_free(virt->dtb);
	virt->dtb = NULL;
	if (!err)
		err = rv_virt_boot(virt);
	if (!err)
		atomic_store(&virt->request, RV_VIRT_RUNNING);
	return err;
}

/* A failed test's code (1 when it gave none); 0 after a power-off. */
static int rv_virt_exit_status(struct vm *vm)
{
	const struct rv_virt *virt = vm->board_priv;
	unsigned code = atomic_load(&virt->exit_code);

	if (atomic_load(&virt->request) != RV_VIRT_FAIL)
		return 0;
	return code ? (int)code : 1;
}

/*
 * When hart's timer next fires on plat_time_ns's clock: the earlier of its CLINT compare register
 * (M mode's timer) and, once M mode enabled Sstc, stimecmp.
 */
static uint64_t rv_virt_next_event_ns(struct vcpu *vcpu)
{
	struct rv_virt *virt = vcpu->vm->board_priv;
	const struct rv_cpu *cpu = emu_cpu_of(vcpu)->state;
	const uint64_t ns_per_tick = 1000000000ull / RV_VIRT_TIMEBASE_HZ;
	uint64_t now_ticks = clint_mtime(&virt->clint), now_ns = plat_time_ns(), next;

	spin_lock(&virt->clint.lock);
	next = virt->clint.mtimecmp[vcpu->id];
	spin_unlock(&virt->clint.lock);
	if ((cpu->menvcfg & RV_MENVCFG_STCE) && cpu->stimecmp < next)
		next = cpu->stimecmp;
	if (next <= now_ticks)
		return now_ns;
	if ((next - now_ticks) > (UINT64_MAX - now_ns) / ns_per_tick)
		return UINT64_MAX;
	return now_ns + (next - now_ticks) * ns_per_tick;
}

static void rv_virt_destroy(struct vm *vm)
{
	struct rv_virt *virt = vm->board_priv;

	if (virt) {
		for (unsigned i = 0; i < virt->ndisks; i++) {
			virtio_blk_destroy(&virt->blk[i]);
			plat_file_close(virt->disk_files[i]);
		}
		for (unsigned i = 0; i < virt->nnets; i++)
			netdev_close(&virt->netdevs[i]);
		chardev_close(&virt->serial);
		if (virt->has_console)
			chardev_close(&virt->console.chr);
		plat_free(virt->dtb);
	}
	if (vm->gpa)
		gpa_space_destroy(vm->gpa);
	plat_free(virt);
	vm->gpa = NULL;
	vm->board_priv = NULL;
}

static int rv_virt_create(struct vm *vm)
{
	struct rv_virt *virt;
	int err = 0;

	if (vm->engine->kind == VM_ENGINE_HW) {
		log_error("vm %s: virt runs on the emulation engine only (engine interp)",
			  vm->config.name);
		return -EINVAL;
	}
	if (vm->config.cpus > RV_VIRT_MAX_HARTS) {
		log_error("vm %s: virt has at most %u harts", vm->config.name, RV_VIRT_MAX_HARTS);
		return -EINVAL;
	}
	virt = plat_alloc(sizeof(*virt));
	vm->gpa = gpa_space_create();
	vm->board_priv = virt;
	if (!virt || !vm->gpa) {
		rv_virt_destroy(vm);
		return -ENOMEM;
	}
	virt->vm = vm;
	virt->platform = (struct rv_platform){ .read_time = rv_virt_time,
					       .poll = rv_virt_poll,
					       .ctx = virt,
					       .reset_pc = RV_VIRT_RAM_BASE };
	virt->time_origin_ns = plat_time_ns();
	atomic_init(&virt->request, RV_VIRT_RUNNING);
	atomic_init(&virt->exit_code, 0);
	for (size_t i = 0; i < sizeof(rv_virt_steps) / sizeof(rv_virt_steps[0]) && !err; i++) {
		err = rv_virt_steps[i].run(virt);
		if (err < 0 && !rv_virt_steps[i].explains_errors)
			log_error("vm %s: virt: %s: %s", vm->config.name, rv_virt_steps[i].what,
				  pv_strerror(err));
	}
	if (err < 0)
		rv_virt_destroy(vm);
	return err;
}

const struct board_ops rv_virt_board = {
	.name = "virt",
	.isa = VM_ISA_RISCV64,
	.create = rv_virt_create,
	.destroy = rv_virt_destroy,
	.reset = rv_virt_reset,
	.next_event_ns = rv_virt_next_event_ns,
	.exit_status = rv_virt_exit_status,
};

int rv_virt_dtb(const struct vm *vm, const void **dtb, size_t *size)
{
	const struct rv_virt *virt = vm->board_priv;

	if (vm->board != &rv_virt_board || !virt)
		return -ENOENT;
	*dtb = virt->dtb;
	*size = virt->dtb_size;
	return 0;
}
