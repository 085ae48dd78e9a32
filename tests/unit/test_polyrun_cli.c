// SPDX-License-Identifier: MIT
/*
 * polyrun's command line: every flag's accepted forms and what they set, and for each kind of
 * mistake the exact one-line message main() prints after "polyrun: ".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kernel/engine.h"
#include "lib/errno.h"
#include "tools/polyrun/cli.h"

/* Static: the options hold a whole config file's VMs. */
static struct polyrun_options opts;
static struct polyrun_error err;

static int parse_argv(const char *const *argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	return polyrun_parse(argc, (char *const *)argv, &opts, &err);
}

#define PARSE(...) parse_argv((const char *const[]){ "polyrun", __VA_ARGS__, NULL })

#define assert_parses(...)                                             \
	do {                                                           \
		int rc_ = PARSE(__VA_ARGS__);                          \
		if (rc_ != 0)                                          \
			fail_msg("unexpected error: %s", err.message); \
	} while (0)

#define assert_rejected(expected, ...)                         \
	do {                                                   \
		assert_int_equal(PARSE(__VA_ARGS__), -EINVAL); \
		assert_string_equal(err.message, expected);    \
	} while (0)

/* A temporary polyvisor.cfg; the caller unlinks path. */
static void write_config(char path[64], const char *text)
{
	int fd;

	snprintf(path, 64, "/tmp/polyrun-cli-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static const char two_vms[] = "[global]\n"
			      "log = debug\n"
			      "\n"
			      "[vm one]\n"
			      "isa = riscv64\n"
			      "memory = 256M\n"
			      "kernel = Image\n"
			      "\n"
			      "[vm two]\n"
			      "isa = aarch64\n"
			      "memory = 1G\n"
			      "cpus = 2\n"
			      "kernel = Image\n";

/* ---- accepted forms ------------------------------------------------------------------------ */

static void test_kernel_alone_gives_defaults(void **state)
{
	unsigned count;

	assert_parses("-kernel", "Image");
	assert_int_equal(opts.action, POLYRUN_ACTION_RUN);
	assert_string_equal(opts.vm.name, "default");
	assert_int_equal(opts.vm.isa, engine_host_isa());
	assert_int_equal(opts.vm.engine, VM_ENGINE_AUTO);
	assert_int_equal(opts.vm.memory_bytes, 128ull << 20);
	assert_int_equal(opts.vm.cpus, 1);
	assert_string_equal(opts.vm.board, "virt");
	assert_string_equal(opts.vm.kernel, "Image");
	assert_string_equal(opts.vm.console, "serial");
	assert_int_equal(opts.serial, POLYRUN_SERIAL_STDIO);
	assert_false(opts.serial_monitor);
	assert_int_equal(opts.gdb_port, 0);
	assert_int_equal(opts.debug_items, 0);
	assert_false(opts.have_config_file);
	assert_ptr_equal(polyrun_vms(&opts, &count), &opts.vm);
	assert_int_equal(count, 1);
}

static void test_machine_name_and_properties_are_kept(void **state)
{
	assert_parses("-M", "virt,dumpdtb=out.dtb,aia=aplic-imsic", "-kernel", "Image");
	assert_string_equal(opts.vm.board, "virt");
	assert_int_equal(opts.nmachine_props, 2);
	assert_string_equal(opts.machine_props[0].key, "dumpdtb");
	assert_string_equal(opts.machine_props[0].value, "out.dtb");
	assert_string_equal(opts.machine_props[1].key, "aia");
	assert_string_equal(opts.machine_props[1].value, "aplic-imsic");
}

static void test_machine_bare_property_means_on_and_a_repeat_overrides(void **state)
{
	assert_parses("-machine", "spike,highmem,highmem=off,acpi", "-kernel", "Image");
	assert_string_equal(opts.vm.board, "spike");
	assert_int_equal(opts.nmachine_props, 2);
	assert_string_equal(opts.machine_props[0].key, "highmem");
	assert_string_equal(opts.machine_props[0].value, "off");
	assert_string_equal(opts.machine_props[1].key, "acpi");
	assert_string_equal(opts.machine_props[1].value, "on");
}

static void test_double_comma_is_a_comma_inside_a_value(void **state)
{
	assert_parses("-M", "virt,dumpdtb=a,,b.dtb", "-drive", "file=disk,,1.img,if=virtio",
		      "-kernel", "Image");
	assert_string_equal(opts.machine_props[0].value, "a,b.dtb");
	assert_string_equal(opts.vm.disks[0].path, "disk,1.img");
}

static void test_cpu_model_selects_the_guest_isa(void **state)
{
	static const struct {
		const char *model;
		enum vm_isa isa;
	} cases[] = {
		{ "rv64", VM_ISA_RISCV64 },	  { "riscv64", VM_ISA_RISCV64 },
		{ "cortex-a53", VM_ISA_AARCH64 }, { "cortex-a57", VM_ISA_AARCH64 },
		{ "cortex-a72", VM_ISA_AARCH64 }, { "aarch64", VM_ISA_AARCH64 },
		{ "qemu64", VM_ISA_X86_64 },	  { "x86_64", VM_ISA_X86_64 },
		{ "max", VM_ISA_NONE },		  { "host", VM_ISA_NONE },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum vm_isa isa = cases[i].isa == VM_ISA_NONE ? engine_host_isa() : cases[i].isa;

		assert_parses("-cpu", cases[i].model, "-kernel", "Image");
		assert_int_equal(opts.vm.isa, isa);
		assert_string_equal(opts.cpu_model, cases[i].model);
		assert_int_equal(opts.ncpu_props, 0);
	}
}

static void test_cpu_properties_are_kept(void **state)
{
	assert_parses("-cpu", "cortex-a72,pauth-impdef=on,sve=off", "-kernel", "Image");
	assert_int_equal(opts.vm.isa, VM_ISA_AARCH64);
	assert_int_equal(opts.ncpu_props, 2);
	assert_string_equal(opts.cpu_props[0].key, "pauth-impdef");
	assert_string_equal(opts.cpu_props[0].value, "on");
	assert_string_equal(opts.cpu_props[1].key, "sve");
	assert_string_equal(opts.cpu_props[1].value, "off");
}

static void test_memory_bare_number_counts_mib(void **state)
{
	assert_parses("-m", "512", "-kernel", "Image");
	assert_int_equal(opts.vm.memory_bytes, 512ull << 20);
	assert_parses("-m", "16", "-kernel", "Image");
	assert_int_equal(opts.vm.memory_bytes, 16ull << 20);
}

static void test_memory_suffixes_are_binary_multiples(void **state)
{
	static const struct {
		const char *text;
		unsigned long long bytes;
	} cases[] = {
		{ "16384K", 16ull << 20 }, { "1024M", 1ull << 30 }, { "2G", 2ull << 30 },
		{ "3g", 3ull << 30 },	   { "1T", 1ull << 40 },    { "64m", 64ull << 20 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_parses("-m", cases[i].text, "-kernel", "Image");
		assert_int_equal(opts.vm.memory_bytes, cases[i].bytes);
	}
}

static void test_smp_takes_a_count_or_cpus_key(void **state)
{
	assert_parses("-smp", "4", "-kernel", "Image");
	assert_int_equal(opts.vm.cpus, 4);
	assert_parses("-smp", "cpus=64", "-kernel", "Image");
	assert_int_equal(opts.vm.cpus, 64);
}

static void test_accel_sets_the_engine_and_takes_qemu_names(void **state)
{
	static const struct {
		const char *name;
		enum vm_engine engine;
	} cases[] = {
		{ "interp", VM_ENGINE_INTERP }, { "jit", VM_ENGINE_JIT },
		{ "hybrid", VM_ENGINE_HYBRID }, { "hw", VM_ENGINE_HW },
		{ "auto", VM_ENGINE_AUTO },	{ "tcg", VM_ENGINE_JIT },
		{ "kvm", VM_ENGINE_HW },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_parses("-accel", cases[i].name, "-kernel", "Image");
		assert_int_equal(opts.vm.engine, cases[i].engine);
	}
}

static void test_boot_flags_fill_the_vm_config(void **state)
{
	assert_parses("-kernel", "Image", "-initrd", "rootfs.cpio.gz", "-append",
		      "console=ttyS0 quiet", "-dtb", "board.dtb", "-name", "linux-1");
	assert_string_equal(opts.vm.kernel, "Image");
	assert_string_equal(opts.vm.initrd, "rootfs.cpio.gz");
	assert_string_equal(opts.vm.cmdline, "console=ttyS0 quiet");
	assert_string_equal(opts.vm.dtb, "board.dtb");
	assert_string_equal(opts.vm.name, "linux-1");
	assert_string_equal(opts.vm.firmware, "");
}

static void test_bios_file_boots_without_kernel_and_default_none_clear_it(void **state)
{
	assert_parses("-bios", "fw_jump.bin");
	assert_string_equal(opts.vm.firmware, "fw_jump.bin");
	assert_parses("-bios", "fw_jump.bin", "-bios", "default", "-kernel", "Image");
	assert_string_equal(opts.vm.firmware, "");
	assert_parses("-bios", "none", "-kernel", "Image");
	assert_string_equal(opts.vm.firmware, "");
}

static void test_bios_default_is_opensbi_on_riscv64_virt_and_none_on_other_machines(void **state)
{
	static const char opensbi[] = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin";

	assert_parses("-M", "virt", "-cpu", "rv64", "-bios", "default", "-kernel", "Image");
	assert_string_equal(opts.vm.firmware, opensbi);
	assert_parses("-M", "virt", "-cpu", "rv64", "-kernel", "Image");
	assert_string_equal(opts.vm.firmware, opensbi);
	assert_parses("-M", "virt", "-cpu", "rv64", "-bios", "none", "-kernel", "Image");
	assert_string_equal(opts.vm.firmware, "");
	assert_parses("-M", "virt", "-cpu", "rv64", "-bios", "fw_jump.bin", "-kernel", "Image");
	assert_string_equal(opts.vm.firmware, "fw_jump.bin");
	assert_parses("-M", "virt", "-cpu", "qemu64", "-bios", "default", "-kernel", "Image");
	assert_string_equal(opts.vm.firmware, "");
}

static void test_drive_adds_virtio_disks(void **state)
{
	assert_parses("-drive", "file=root.img,if=virtio,readonly=on,format=raw", "-drive",
		      "file=data.img", "-drive", "readonly=off,file=scratch.img,if=virtio",
		      "-kernel", "Image");
	assert_int_equal(opts.vm.ndisks, 3);
	assert_string_equal(opts.vm.disks[0].path, "root.img");
	assert_true(opts.vm.disks[0].readonly);
	assert_string_equal(opts.vm.disks[1].path, "data.img");
	assert_false(opts.vm.disks[1].readonly);
	assert_string_equal(opts.vm.disks[2].path, "scratch.img");
	assert_false(opts.vm.disks[2].readonly);
}

static void test_device_finds_a_netdev_given_after_it(void **state)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };

	assert_parses("-device", "virtio-net-device,netdev=n0,mac=52:54:00:AB:cd:ef", "-netdev",
		      "hub,id=n0,hubid=3", "-kernel", "Image");
	assert_int_equal(opts.vm.nnets, 1);
	assert_string_equal(opts.vm.nets[0].backend, "hub:3");
	assert_true(opts.vm.nets[0].mac_set);
	assert_memory_equal(opts.vm.nets[0].mac, mac, sizeof(mac));
}

static void test_netdev_backends_are_config_strings(void **state)
{
	assert_parses("-netdev", "tap,id=t0,ifname=tap0", "-device", "virtio-net,netdev=t0",
		      "-netdev", "hubport,id=h1", "-device", "virtio-net,netdev=h1", "-kernel",
		      "Image");
	assert_int_equal(opts.vm.nnets, 2);
	assert_string_equal(opts.vm.nets[0].backend, "tap:tap0");
	assert_false(opts.vm.nets[0].mac_set);
	assert_string_equal(opts.vm.nets[1].backend, "hub:0");
}

static void test_rng_and_console_devices(void **state)
{
	assert_parses("-device", "virtio-rng", "-device", "virtio-console", "-kernel", "Image");
	assert_true(opts.vm.rng);
	assert_string_equal(opts.vm.console, "virtio");
	assert_parses("-device", "virtio-rng-device", "-device", "virtio-serial", "-kernel",
		      "Image");
	assert_true(opts.vm.rng);
	assert_string_equal(opts.vm.console, "virtio");
}

static void test_serial_backends(void **state)
{
	assert_parses("-serial", "none", "-kernel", "Image");
	assert_int_equal(opts.serial, POLYRUN_SERIAL_NONE);
	assert_parses("-serial", "null", "-kernel", "Image");
	assert_int_equal(opts.serial, POLYRUN_SERIAL_NONE);
	assert_parses("-serial", "mon:stdio", "-kernel", "Image");
	assert_int_equal(opts.serial, POLYRUN_SERIAL_STDIO);
	assert_true(opts.serial_monitor);
	assert_parses("-serial", "mon:stdio", "-serial", "stdio", "-kernel", "Image");
	assert_int_equal(opts.serial, POLYRUN_SERIAL_STDIO);
	assert_false(opts.serial_monitor);
	assert_parses("-serial", "file:serial.log", "-kernel", "Image");
	assert_int_equal(opts.serial, POLYRUN_SERIAL_FILE);
	assert_string_equal(opts.serial_path, "serial.log");
}

/* The board's UART learns -serial through the VM's config. */
static void test_serial_reaches_the_vm_config(void **state)
{
	assert_parses("-kernel", "Image");
	assert_string_equal(opts.vm.serial, "stdio");
	assert_parses("-serial", "mon:stdio", "-kernel", "Image");
	assert_string_equal(opts.vm.serial, "stdio");
	assert_parses("-serial", "null", "-kernel", "Image");
	assert_string_equal(opts.vm.serial, "none");
	assert_parses("-serial", "file:/tmp/a,b.log", "-kernel", "Image");
	assert_string_equal(opts.vm.serial, "file:/tmp/a,b.log");
}

static void test_serial_of_a_config_file_goes_to_each_vm_but_a_file_to_one(void **state)
{
	const struct vm_config *vms;
	unsigned count;
	char path[64];

	write_config(path, two_vms);
	assert_parses("-c", path, "-serial", "none");
	vms = polyrun_vms(&opts, &count);
	assert_int_equal(count, 2);
	assert_string_equal(vms[0].serial, "none");
	assert_string_equal(vms[1].serial, "none");
	assert_int_equal(PARSE("-c", path, "-serial", "file:out.log"), -EINVAL);
	unlink(path);
	assert_string_equal(err.message, "-serial: file:out.log would take the output of all 2 VMs "
					 "of -c (use stdio or none)");
}

static void test_bad_serial_values_are_rejected(void **state)
{
	assert_rejected("-serial: unsupported backend 'pty' (known: stdio, mon:stdio, none, null, "
			"file:PATH)",
			"-serial", "pty", "-kernel", "Image");
	assert_rejected("-serial: empty file name", "-serial", "file:", "-kernel", "Image");
}

static void test_nographic_puts_the_monitor_on_stdio_unless_serial_is_given(void **state)
{
	assert_parses("-nographic", "-kernel", "Image");
	assert_int_equal(opts.serial, POLYRUN_SERIAL_STDIO);
	assert_true(opts.serial_monitor);
	assert_parses("-nographic", "-serial", "none", "-kernel", "Image");
	assert_int_equal(opts.serial, POLYRUN_SERIAL_NONE);
	assert_false(opts.serial_monitor);
}

static void test_gdb_addresses_and_s_shorthand(void **state)
{
	assert_parses("-gdb", "tcp::1234", "-kernel", "Image");
	assert_int_equal(opts.gdb_port, 1234);
	assert_string_equal(opts.gdb_host, "");
	assert_parses("-gdb", "tcp:localhost:5555", "-kernel", "Image");
	assert_int_equal(opts.gdb_port, 5555);
	assert_string_equal(opts.gdb_host, "localhost");
	assert_parses("-gdb", "tcp:localhost:5555", "-s", "-kernel", "Image");
	assert_int_equal(opts.gdb_port, POLYRUN_GDB_DEFAULT_PORT);
	assert_string_equal(opts.gdb_host, "");
	assert_parses("-s", "-gdb", "none", "-kernel", "Image");
	assert_int_equal(opts.gdb_port, 0);
}

static void test_switches_and_log_file(void **state)
{
	assert_parses("-S", "-no-reboot", "-D", "trace.log", "-kernel", "Image");
	assert_true(opts.start_stopped);
	assert_true(opts.no_reboot);
	assert_string_equal(opts.debug_log, "trace.log");
	assert_parses("-kernel", "Image");
	assert_false(opts.start_stopped);
	assert_false(opts.no_reboot);
}

static void test_debug_items_add_up_across_flags(void **state)
{
	assert_parses("-d", "in_asm,int", "-d", "guest_errors", "-kernel", "Image");
	assert_int_equal(opts.debug_items,
			 POLYRUN_DEBUG_IN_ASM | POLYRUN_DEBUG_INT | POLYRUN_DEBUG_GUEST_ERRORS);
	assert_parses("-d", "ir,in_asm,out_asm,exec,cpu,int,mmu,stats,guest_errors", "-kernel",
		      "Image");
	assert_int_equal(opts.debug_items, 0x1ff);
}

static void test_every_flag_takes_two_dashes_too(void **state)
{
	assert_parses("--machine", "virt", "--cpu", "rv64", "--m", "256", "--smp", "2", "--accel",
		      "interp", "--kernel", "Image", "--append", "", "--nographic", "--s");
	assert_string_equal(opts.vm.board, "virt");
	assert_int_equal(opts.vm.isa, VM_ISA_RISCV64);
	assert_int_equal(opts.vm.memory_bytes, 256ull << 20);
	assert_int_equal(opts.vm.cpus, 2);
	assert_int_equal(opts.vm.engine, VM_ENGINE_INTERP);
	assert_string_equal(opts.vm.cmdline, "");
	assert_true(opts.serial_monitor);
	assert_int_equal(opts.gdb_port, 1234);
}

static void test_help_version_and_lists_stop_the_parse(void **state)
{
	assert_parses("--help", "-no-such-flag");
	assert_int_equal(opts.action, POLYRUN_ACTION_HELP);
	assert_parses("-h");
	assert_int_equal(opts.action, POLYRUN_ACTION_HELP);
	assert_parses("-help");
	assert_int_equal(opts.action, POLYRUN_ACTION_HELP);
	assert_parses("--version");
	assert_int_equal(opts.action, POLYRUN_ACTION_VERSION);
	assert_parses("-cpu", "help");
	assert_int_equal(opts.action, POLYRUN_ACTION_CPU_HELP);
	assert_parses("-d", "int,help");
	assert_int_equal(opts.action, POLYRUN_ACTION_DEBUG_HELP);
}

static void test_config_file_gives_every_vm_and_keeps_host_flags(void **state)
{
	const struct vm_config *vms;
	unsigned count;
	char path[64];

	write_config(path, two_vms);
	assert_parses("-d", "int", "-c", path, "-serial", "none", "-s", "-nographic");
	unlink(path);
	assert_true(opts.have_config_file);
	assert_int_equal(opts.config_file.log_level, LOG_DEBUG);
	vms = polyrun_vms(&opts, &count);
	assert_int_equal(count, 2);
	assert_string_equal(vms[0].name, "one");
	assert_int_equal(vms[0].isa, VM_ISA_RISCV64);
	assert_string_equal(vms[1].name, "two");
	assert_int_equal(vms[1].cpus, 2);
	assert_int_equal(opts.debug_items, POLYRUN_DEBUG_INT);
	assert_int_equal(opts.serial, POLYRUN_SERIAL_NONE);
	assert_int_equal(opts.gdb_port, 1234);
}

/* ---- rejected forms ------------------------------------------------------------------------ */

static void test_unknown_flag_is_rejected(void **state)
{
	assert_rejected("-bogus: unknown option (see polyrun --help)", "-bogus");
	assert_rejected("--kernal: unknown option (see polyrun --help)", "--kernal", "Image");
	assert_rejected("-: unknown option (see polyrun --help)", "-");
	assert_rejected("---m: unknown option (see polyrun --help)", "---m", "1G");
}

static void test_bare_word_is_rejected(void **state)
{
	assert_rejected("disk.img: unexpected argument (disks go in -drive file=PATH)", "-kernel",
			"Image", "disk.img");
}

static void test_missing_argument_says_what_was_expected(void **state)
{
	assert_rejected("-kernel: missing argument (expected FILE)", "-kernel");
	assert_rejected("--m: missing argument (expected SIZE)", "-kernel", "Image", "--m");
	assert_rejected("-drive: missing argument (expected "
			"file=PATH,if=virtio[,readonly=on|off][,format=raw])",
			"-drive");
}

static void test_bad_memory_sizes(void **state)
{
	assert_rejected(
		"-m: bad size '12Q' (expected a number with an optional K, M, G or T suffix)", "-m",
		"12Q", "-kernel", "Image");
	assert_rejected("-m: bad size '' (expected a number with an optional K, M, G or T suffix)",
			"-m", "", "-kernel", "Image");
	assert_rejected(
		"-m: bad size '-5' (expected a number with an optional K, M, G or T suffix)", "-m",
		"-5", "-kernel", "Image");
	assert_rejected(
		"-m: bad size '1.5G' (expected a number with an optional K, M, G or T suffix)",
		"-m", "1.5G", "-kernel", "Image");
	assert_rejected("-m: size '0' is below the minimum of 16 MiB", "-m", "0", "-kernel",
			"Image");
	assert_rejected("-m: size '8M' is below the minimum of 16 MiB", "-m", "8M", "-kernel",
			"Image");
	assert_rejected("-m: size '16385K' is not a whole number of 4 KiB pages", "-m", "16385K",
			"-kernel", "Image");
	assert_rejected("-m: size '99999999999999T' is too large", "-m", "99999999999999T",
			"-kernel", "Image");
	assert_rejected("-m: size '17592186044416' is too large", "-m", "17592186044416", "-kernel",
			"Image");
}

static void test_bad_cpu_counts(void **state)
{
	static const char *const bad[] = { "0", "65", "x", "", "+2", "2,sockets=1" };
	char message[128];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(message, sizeof(message),
			 "-smp: bad number '%s' (expected a whole number from 1 to 64)", bad[i]);
		assert_rejected(message, "-smp", bad[i], "-kernel", "Image");
	}
	assert_rejected("-smp: bad number '' (expected a whole number from 1 to 64)", "-smp",
			"cpus=", "-kernel", "Image");
}

static void test_unknown_cpu_model_lists_the_known_ones(void **state)
{
	assert_rejected("-cpu: unknown model 'pentium' (known: rv64, riscv64, cortex-a53, "
			"cortex-a57, cortex-a72, aarch64, qemu64, x86_64, max, host)",
			"-cpu", "pentium", "-kernel", "Image");
	assert_rejected("-cpu: empty option in ''", "-cpu", "", "-kernel", "Image");
}

static void test_unknown_accel_lists_the_known_ones(void **state)
{
	assert_rejected("-accel: unknown accelerator 'whpx' (known: auto, hw, jit, interp, hybrid, "
			"tcg, kvm)",
			"-accel", "whpx", "-kernel", "Image");
}

static void test_unknown_debug_item_lists_the_known_ones(void **state)
{
	assert_rejected(
		"-d: unknown item 'bogus' (known: ir, in_asm, out_asm, exec, cpu, int, mmu, "
		"stats, guest_errors)",
		"-d", "in_asm,bogus", "-kernel", "Image");
	assert_rejected("-d: empty option in 'int,'", "-d", "int,", "-kernel", "Image");
}

static void test_bad_machine_forms(void **state)
{
	assert_rejected("-M: 'dumpdtb=x.dtb': the machine name comes first "
			"(-M NAME[,PROP=VALUE...])",
			"-M", "dumpdtb=x.dtb", "-kernel", "Image");
	assert_rejected("-M: bad machine name 'vi rt' (expected letters, digits, '-' and '_')",
			"-M", "vi rt", "-kernel", "Image");
	assert_rejected("-M: empty option in 'virt,'", "-M", "virt,", "-kernel", "Image");
	assert_rejected("-M: empty property name", "-M", "virt,=on", "-kernel", "Image");
}

static void test_bad_name(void **state)
{
	assert_rejected("-name: bad name 'my vm' (expected letters, digits, '-' and '_')", "-name",
			"my vm", "-kernel", "Image");
}

static void test_overlong_path_is_rejected_not_truncated(void **state)
{
	char path[301];
	char message[128];

	memset(path, 'a', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	snprintf(message, sizeof(message), "-kernel: argument is too long (300 bytes, at most %d)",
		 CONFIG_PATH_MAX - 1);
	assert_rejected(message, "-kernel", path);
	assert_rejected("-kernel: empty argument", "-kernel", "");
}

static void test_bad_drive_forms(void **state)
{
	assert_rejected("-drive: missing file=PATH", "-drive", "if=virtio", "-kernel", "Image");
	assert_rejected("-drive: unsupported interface 'if=ide' (polyrun has if=virtio only)",
			"-drive", "file=a.img,if=ide", "-kernel", "Image");
	assert_rejected("-drive: unsupported format 'qcow2' (polyrun reads raw images only)",
			"-drive", "file=a.img,format=qcow2", "-kernel", "Image");
	assert_rejected("-drive: bad readonly value 'yes' (expected on or off)", "-drive",
			"file=a.img,readonly=yes", "-kernel", "Image");
	assert_rejected("-drive: unknown drive option 'cache' (known: file, if, format, readonly)",
			"-drive", "file=a.img,cache=none", "-kernel", "Image");
	assert_rejected("-drive: drive option 'readonly' needs a value (readonly=...)", "-drive",
			"file=a.img,readonly", "-kernel", "Image");
	assert_rejected("-drive: empty file name", "-drive", "file=", "-kernel", "Image");
	assert_rejected("-drive: too many disks (at most 4)", "-drive", "file=0", "-drive",
			"file=1", "-drive", "file=2", "-drive", "file=3", "-drive", "file=4");
}

static void test_device_naming_an_undefined_netdev_is_rejected(void **state)
{
	assert_rejected("-device: netdev 'n9' is not defined by any -netdev", "-netdev",
			"hub,id=n0", "-device", "virtio-net,netdev=n0", "-device",
			"virtio-net,netdev=n9", "-kernel", "Image");
}

static void test_netdev_without_a_device_is_rejected(void **state)
{
	assert_rejected("-netdev: id 'n0' is not used by any -device", "-netdev", "hub,id=n0",
			"-kernel", "Image");
}

static void test_netdev_ids_must_be_unique_and_used_once(void **state)
{
	assert_rejected("-netdev: id 'n0' is used twice", "-netdev", "hub,id=n0", "-netdev",
			"tap,id=n0,ifname=tap0", "-kernel", "Image");
	assert_rejected("-device: netdev 'n0' is used by two devices", "-netdev", "hub,id=n0",
			"-device", "virtio-net,netdev=n0", "-device", "virtio-net,netdev=n0",
			"-kernel", "Image");
}

static void test_bad_netdev_forms(void **state)
{
	assert_rejected("-netdev: unsupported type 'user' (known: hub, hubport, tap)", "-netdev",
			"user,id=n0", "-kernel", "Image");
	assert_rejected("-netdev: missing id=ID (a -device names its backend by it)", "-netdev",
			"hub", "-kernel", "Image");
	assert_rejected(
		"-netdev: bad id '0n' (expected a letter, then letters, digits, '-', '.' or "
		"'_')",
		"-netdev", "hub,id=0n", "-kernel", "Image");
	assert_rejected("-netdev: tap needs ifname=NAME (the host's TAP interface)", "-netdev",
			"tap,id=t0", "-kernel", "Image");
	assert_rejected("-netdev: ifname is too long (16 bytes, at most 15)", "-netdev",
			"tap,id=t0,ifname=0123456789abcdef", "-kernel", "Image");
	assert_rejected("-netdev: bad ifname 'tap/0' (expected letters, digits, '-', '_' and '.')",
			"-netdev", "tap,id=t0,ifname=tap/0", "-kernel", "Image");
	assert_rejected("-netdev: bad hubid '65536' (expected a whole number from 0 to 65535)",
			"-netdev", "hub,id=n0,hubid=65536", "-kernel", "Image");
	assert_rejected("-netdev: unknown hub option 'ifname' (known: id, hubid)", "-netdev",
			"hub,id=n0,ifname=tap0", "-kernel", "Image");
}

static void test_bad_device_forms(void **state)
{
	assert_rejected("-device: unknown device 'e1000' (known: virtio-net, virtio-net-device, "
			"virtio-rng, virtio-rng-device, virtio-console, virtio-serial)",
			"-device", "e1000", "-kernel", "Image");
	assert_rejected("-device: virtio-net needs netdev=ID (a -netdev's id)", "-device",
			"virtio-net", "-kernel", "Image");
	assert_rejected("-device: unknown virtio-net option 'id' (known: netdev, mac)", "-device",
			"virtio-net,netdev=n0,id=x", "-kernel", "Image");
	assert_rejected("-device: bad mac '52:54:00:12:34' (expected six hex bytes: "
			"52:54:00:12:34:56)",
			"-device", "virtio-net,netdev=n0,mac=52:54:00:12:34", "-kernel", "Image");
	assert_rejected("-device: bad mac '52-54-00-12-34-56' (expected six hex bytes: "
			"52:54:00:12:34:56)",
			"-device", "virtio-net,netdev=n0,mac=52-54-00-12-34-56", "-kernel",
			"Image");
	assert_rejected("-device: mac '01:00:5e:00:00:01' is a multicast address", "-device",
			"virtio-net,netdev=n0,mac=01:00:5e:00:00:01", "-kernel", "Image");
	assert_rejected("-device: virtio-rng takes no options (got 'max-bytes=1024')", "-device",
			"virtio-rng,max-bytes=1024", "-kernel", "Image");
	assert_rejected("-device: virtio-rng is given twice (one per VM)", "-device", "virtio-rng",
			"-device", "virtio-rng", "-kernel", "Image");
	assert_rejected("-device: virtio-serial is given twice (one per VM)", "-device",
			"virtio-console", "-device", "virtio-serial", "-kernel", "Image");
}

static void test_bad_serial_backends(void **state)
{
	assert_rejected("-serial: unsupported backend 'pty' (known: stdio, mon:stdio, none, null, "
			"file:PATH)",
			"-serial", "pty", "-kernel", "Image");
	assert_rejected("-serial: empty file name", "-serial", "file:", "-kernel", "Image");
}

static void test_bad_gdb_addresses(void **state)
{
	static const char *const bad_addresses[] = { "udp::1234", "tcp:1234", "1234", "" };
	char message[128];

	for (size_t i = 0; i < sizeof(bad_addresses) / sizeof(bad_addresses[0]); i++) {
		snprintf(message, sizeof(message),
			 "-gdb: bad address '%s' (expected tcp::PORT, tcp:HOST:PORT or none)",
			 bad_addresses[i]);
		assert_rejected(message, "-gdb", bad_addresses[i], "-kernel", "Image");
	}
	assert_rejected("-gdb: bad port '0' (expected a whole number from 1 to 65535)", "-gdb",
			"tcp::0", "-kernel", "Image");
	assert_rejected("-gdb: bad port '65536' (expected a whole number from 1 to 65535)", "-gdb",
			"tcp::65536", "-kernel", "Image");
	assert_rejected("-gdb: bad port '' (expected a whole number from 1 to 65535)", "-gdb",
			"tcp:host:", "-kernel", "Image");
}

static void test_boot_files_need_a_kernel(void **state)
{
	assert_rejected("-initrd: only allowed with -kernel", "-bios", "fw.bin", "-initrd",
			"rootfs.cpio");
	assert_rejected("-append: only allowed with -kernel", "-bios", "fw.bin", "-append",
			"quiet");
	assert_rejected("-dtb: only allowed with -kernel", "-bios", "fw.bin", "-dtb", "b.dtb");
}

static void test_nothing_to_boot_is_rejected(void **state)
{
	assert_rejected("nothing to boot (give -kernel FILE or -bios FILE)", "-m", "1G");
	assert_int_equal(parse_argv((const char *const[]){ "polyrun", NULL }), -EINVAL);
	assert_string_equal(err.message, "nothing to boot (give -kernel FILE or -bios FILE)");
}

static void test_config_file_excludes_flags_that_describe_a_vm(void **state)
{
	char path[64];
	char message[CONFIG_ERROR_MAX];

	write_config(path, two_vms);
	assert_rejected("-kernel: cannot be combined with -c (the config file describes the VMs)",
			"-c", path, "-kernel", "Image");
	assert_rejected("--m: cannot be combined with -c (the config file describes the VMs)", "-d",
			"int", "--m", "1G", "-c", path);
	assert_rejected("-device: cannot be combined with -c (the config file describes the VMs)",
			"-device", "virtio-rng", "-c", path);
	snprintf(message, sizeof(message), "-c: given twice (one config file describes every VM)");
	assert_rejected(message, "-c", path, "-c", path);
	unlink(path);
}

static void test_bad_config_file_message_names_file_and_line(void **state)
{
	char path[64];
	char prefix[96];

	write_config(path, "[vm a]\nisa = riscv64\nmemory = 12Q\nkernel = Image\n");
	assert_int_equal(PARSE("-c", path), -EINVAL);
	unlink(path);
	snprintf(prefix, sizeof(prefix), "-c: %s:3: ", path);
	assert_memory_equal(err.message, prefix, strlen(prefix));
	assert_non_null(strstr(err.message, "12Q"));
}

static void test_unreadable_config_file_says_why(void **state)
{
	assert_rejected("-c: cannot open '/nonexistent/polyvisor.cfg': No such file or directory",
			"-c", "/nonexistent/polyvisor.cfg");
	assert_rejected("-c: cannot read '/': Is a directory", "-c", "/");
}

/* ---- texts --------------------------------------------------------------------------------- */

static void test_format_vm_states_sizes_exactly_and_counts(void **state)
{
	char line[CONFIG_ERROR_MAX];

	assert_parses("-M", "virt", "-cpu", "rv64", "-m", "512M", "-bios", "none", "-kernel",
		      "Image", "-accel", "hybrid");
	polyrun_format_vm(&opts.vm, line, sizeof(line));
	assert_string_equal(line, "vm default: isa riscv64, engine hybrid, 512 MiB, 1 vCPU, "
				  "board virt, kernel Image");

	assert_parses("-name", "big", "-cpu", "qemu64", "-m", "2G", "-smp", "3", "-bios", "OVMF.fd",
		      "-drive", "file=a.img", "-drive", "file=b.img", "-netdev", "hub,id=n0",
		      "-device", "virtio-net,netdev=n0");
	polyrun_format_vm(&opts.vm, line, sizeof(line));
	assert_string_equal(line, "vm big: isa x86_64, engine auto, 2 GiB, 3 vCPUs, board virt, "
				  "firmware OVMF.fd, 2 disks, 1 NIC");

	assert_parses("-m", "1536M", "-kernel", "bzImage", "-initrd", "initrd.gz", "-cpu",
		      "aarch64");
	polyrun_format_vm(&opts.vm, line, sizeof(line));
	assert_string_equal(line, "vm default: isa aarch64, engine auto, 1536 MiB, 1 vCPU, "
				  "board virt, kernel bzImage, initrd initrd.gz");
}

/* Returns what print wrote, as a malloc'd string. */
static char *capture_text(void (*print)(FILE *out))
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	print(out);
	fclose(out);
	return text;
}

static void test_usage_groups_every_flag_within_100_columns(void **state)
{
	static const char *const expected[] = {
		"Standard options:\n",
		"Block device options:\n",
		"Network and device options:\n",
		"Character device options:\n",
		"Boot options:\n",
		"Debug options:\n",
		"\n-c FILE ",
		"\n-M, -machine MACHINE",
		"\n-cpu MODEL",
		"\n-m SIZE",
		"\n-smp ",
		"\n-accel ",
		"\n-drive file=PATH",
		"\n-netdev hub",
		"\n-device ",
		"\n-serial ",
		"\n-nographic ",
		"\n-kernel FILE",
		"\n-initrd FILE",
		"\n-append CMDLINE",
		"\n-dtb FILE",
		"\n-bios ",
		"\n-no-reboot ",
		"\n-gdb ",
		"\n-s ",
		"\n-S ",
		"\n-d ITEM",
		"\n-D LOGFILE",
		"\n-h, -help ",
		"\n-version ",
		"\n-name NAME",
	};
	char *text = capture_text(polyrun_print_usage);
	const char *line = text;

	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		if (!strstr(text, expected[i]))
			fail_msg("usage lacks '%s'", expected[i]);
	}
	while (*line) {
		size_t len = strcspn(line, "\n");

		if (len > 100)
			fail_msg("usage line over 100 columns: %.*s", (int)len, line);
		line += len + (line[len] == '\n');
	}
	free(text);
}

static void test_cpu_and_debug_lists_name_every_entry(void **state)
{
	char *models = capture_text(polyrun_print_cpu_models);
	char *items = capture_text(polyrun_print_debug_items);

	assert_non_null(strstr(models, "\n  rv64          riscv64\n"));
	assert_non_null(strstr(models, "\n  cortex-a57    aarch64\n"));
	assert_non_null(strstr(models, "\n  qemu64        x86_64\n"));
	assert_non_null(strstr(models, "(the host's ISA)"));
	assert_non_null(strstr(items, "\n  guest_errors  "));
	assert_non_null(strstr(items, "\n  in_asm        "));
	free(models);
	free(items);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_alone_gives_defaults),
		cmocka_unit_test(test_machine_name_and_properties_are_kept),
		cmocka_unit_test(test_machine_bare_property_means_on_and_a_repeat_overrides),
		cmocka_unit_test(test_double_comma_is_a_comma_inside_a_value),
		cmocka_unit_test(test_cpu_model_selects_the_guest_isa),
		cmocka_unit_test(test_cpu_properties_are_kept),
		cmocka_unit_test(test_memory_bare_number_counts_mib),
		cmocka_unit_test(test_memory_suffixes_are_binary_multiples),
		cmocka_unit_test(test_smp_takes_a_count_or_cpus_key),
		cmocka_unit_test(test_accel_sets_the_engine_and_takes_qemu_names),
		cmocka_unit_test(test_boot_flags_fill_the_vm_config),
		cmocka_unit_test(test_bios_file_boots_without_kernel_and_default_none_clear_it),
		cmocka_unit_test(
			test_bios_default_is_opensbi_on_riscv64_virt_and_none_on_other_machines),
		cmocka_unit_test(test_drive_adds_virtio_disks),
		cmocka_unit_test(test_device_finds_a_netdev_given_after_it),
		cmocka_unit_test(test_netdev_backends_are_config_strings),
		cmocka_unit_test(test_rng_and_console_devices),
		cmocka_unit_test(test_serial_backends),
		cmocka_unit_test(test_serial_reaches_the_vm_config),
		cmocka_unit_test(test_serial_of_a_config_file_goes_to_each_vm_but_a_file_to_one),
		cmocka_unit_test(test_bad_serial_values_are_rejected),
		cmocka_unit_test(test_nographic_puts_the_monitor_on_stdio_unless_serial_is_given),
		cmocka_unit_test(test_gdb_addresses_and_s_shorthand),
		cmocka_unit_test(test_switches_and_log_file),
		cmocka_unit_test(test_debug_items_add_up_across_flags),
		cmocka_unit_test(test_every_flag_takes_two_dashes_too),
		cmocka_unit_test(test_help_version_and_lists_stop_the_parse),
		cmocka_unit_test(test_config_file_gives_every_vm_and_keeps_host_flags),
		cmocka_unit_test(test_unknown_flag_is_rejected),
		cmocka_unit_test(test_bare_word_is_rejected),
		cmocka_unit_test(test_missing_argument_says_what_was_expected),
		cmocka_unit_test(test_bad_memory_sizes),
		cmocka_unit_test(test_bad_cpu_counts),
		cmocka_unit_test(test_unknown_cpu_model_lists_the_known_ones),
		cmocka_unit_test(test_unknown_accel_lists_the_known_ones),
		cmocka_unit_test(test_unknown_debug_item_lists_the_known_ones),
		cmocka_unit_test(test_bad_machine_forms),
		cmocka_unit_test(test_bad_name),
		cmocka_unit_test(test_overlong_path_is_rejected_not_truncated),
		cmocka_unit_test(test_bad_drive_forms),
		cmocka_unit_test(test_device_naming_an_undefined_netdev_is_rejected),
		cmocka_unit_test(test_netdev_without_a_device_is_rejected),
		cmocka_unit_test(test_netdev_ids_must_be_unique_and_used_once),
		cmocka_unit_test(test_bad_netdev_forms),
		cmocka_unit_test(test_bad_device_forms),
		cmocka_unit_test(test_bad_serial_backends),
		cmocka_unit_test(test_bad_gdb_addresses),
		cmocka_unit_test(test_boot_files_need_a_kernel),
		cmocka_unit_test(test_nothing_to_boot_is_rejected),
		cmocka_unit_test(test_config_file_excludes_flags_that_describe_a_vm),
		cmocka_unit_test(test_bad_config_file_message_names_file_and_line),
		cmocka_unit_test(test_unreadable_config_file_says_why),
		cmocka_unit_test(test_format_vm_states_sizes_exactly_and_counts),
		cmocka_unit_test(test_usage_groups_every_flag_within_100_columns),
		cmocka_unit_test(test_cpu_and_debug_lists_name_every_entry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
