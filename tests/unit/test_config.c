// SPDX-License-Identifier: MIT
/* kernel/config: polyvisor.cfg's meaning, and every rejection's exact message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/config.h"
#include "lib/ini.h"
#include "lib/errno.h"

/* struct pv_config is large: one per process, as the platforms hold it. */
static struct pv_config config;

static int parse(const char *text, struct config_error *err)
{
	return config_parse("polyvisor.cfg", text, strlen(text), &config, err);
}

/* Parses text expecting a rejection with exactly this message. */
static void expect_rejection(const char *text, const char *message)
{
	struct config_error err;

	assert_int_equal(parse(text, &err), -EINVAL);
	assert_string_equal(err.message, message);
}

/* A minimal valid VM, for the rejections that need one around them. */
#define VM_LINUX "[vm linux]\nisa = riscv64\nmemory = 512M\nkernel = Image\n"

static void test_config_reads_a_realistic_multi_vm_file(void **state)
{
	static const char text[] = "# Polyvisor on the lab board\n"
				   "[global]\n"
				   "log = debug\n"
				   "serial = com2\n"
				   "\n"
				   "[vm linux]\n"
				   "isa = riscv64\n"
				   "engine = hw\n"
				   "memory = 2G\n"
				   "cpus = 4\n"
				   "kernel = /guests/riscv64/Image\n"
				   "initrd = /guests/riscv64/rootfs.cpio.gz\n"
				   "cmdline = \"console=ttyS0 root=/dev/vda rw # kept\"\n"
				   "disk = /guests/riscv64/disk.img\n"
				   "disk = /guests/shared.img,readonly\n"
				   "net = hub:0,mac=52:54:00:12:34:56\n"
				   "net = tap:tap0\n"
				   "console = virtio\n"
				   "rng = on\n"
				   "\n"
				   "[vm fw-test]\n"
				   "isa = aarch64\n"
				   "engine = interp\n"
				   "memory = 64M\n"
				   "board = virt\n"
				   "firmware = /firmware/QEMU_EFI.fd\n"
				   "dtb = /guests/aarch64/virt.dtb\n"
				   "\n"
				   "[vm pc]\n"
				   "isa = x86_64\n"
				   "memory = 1048576k\n"
				   "kernel = bzImage\n";
	struct config_error err;
	const struct vm_config *vm;

	assert_int_equal(parse(text, &err), 0);
	assert_string_equal(err.message, "");
	assert_string_equal(config.source, "polyvisor.cfg");
	assert_int_equal(config.log_level, LOG_DEBUG);
	assert_string_equal(config.serial, "com2");
	assert_int_equal(config.serial_kind, CONFIG_SERIAL_PIO);
	assert_int_equal(config.serial_addr, 0x2f8);
	assert_int_equal(config.nvms, 3);

	vm = &config.vms[0];
	assert_string_equal(vm->name, "linux");
	assert_int_equal(vm->source_line, 6);
	assert_int_equal(vm->isa, VM_ISA_RISCV64);
	assert_int_equal(vm->engine, VM_ENGINE_HW);
	assert_int_equal(vm->memory_bytes, 2ull << 30);
	assert_int_equal(vm->cpus, 4);
	assert_string_equal(vm->board, "virt");
	assert_string_equal(vm->kernel, "/guests/riscv64/Image");
	assert_string_equal(vm->initrd, "/guests/riscv64/rootfs.cpio.gz");
	assert_string_equal(vm->cmdline, "console=ttyS0 root=/dev/vda rw # kept");
	assert_int_equal(vm->ndisks, 2);
	assert_string_equal(vm->disks[0].path, "/guests/riscv64/disk.img");
	assert_false(vm->disks[0].readonly);
	assert_string_equal(vm->disks[1].path, "/guests/shared.img");
	assert_true(vm->disks[1].readonly);
	assert_int_equal(vm->nnets, 2);
	assert_string_equal(vm->nets[0].backend, "hub:0");
	assert_true(vm->nets[0].mac_set);
	assert_memory_equal(vm->nets[0].mac, "\x52\x54\x00\x12\x34\x56", 6);
	assert_string_equal(vm->nets[1].backend, "tap:tap0");
	assert_false(vm->nets[1].mac_set);
	assert_string_equal(vm->console, "virtio");
	assert_true(vm->rng);

	vm = &config.vms[1];
	assert_false(vm->rng);
	assert_string_equal(vm->name, "fw-test");
	assert_int_equal(vm->isa, VM_ISA_AARCH64);
	assert_int_equal(vm->engine, VM_ENGINE_INTERP);
	assert_int_equal(vm->memory_bytes, 64ull << 20);
	assert_int_equal(vm->cpus, 1);
	assert_string_equal(vm->kernel, "");
	assert_string_equal(vm->firmware, "/firmware/QEMU_EFI.fd");
	assert_string_equal(vm->dtb, "/guests/aarch64/virt.dtb");

	vm = &config.vms[2];
	assert_string_equal(vm->name, "pc");
	assert_int_equal(vm->memory_bytes, 1ull << 30);
	assert_int_equal(vm->engine, VM_ENGINE_AUTO);
	assert_string_equal(vm->console, "serial");
	assert_int_equal(vm->ndisks, 0);
}

static void test_config_defaults_without_global_section(void **state)
{
	struct config_error err;

	assert_int_equal(parse(VM_LINUX, &err), 0);
	assert_int_equal(config.log_level, LOG_INFO);
	assert_string_equal(config.serial, "auto");
	assert_int_equal(config.serial_kind, CONFIG_SERIAL_AUTO);
	assert_int_equal(config.vms[0].cpus, 1);
	assert_string_equal(config.vms[0].board, "virt");
	assert_string_equal(config.vms[0].console, "serial");
	assert_int_equal(config.vms[0].engine, VM_ENGINE_AUTO);
}

static void test_config_vm_config_init_sets_defaults(void **state)
{
	struct vm_config vm;

	memset(&vm, 0xa5, sizeof(vm));
	vm_config_init(&vm);
	assert_string_equal(vm.name, "");
	assert_int_equal(vm.isa, VM_ISA_NONE);
	assert_int_equal(vm.engine, VM_ENGINE_AUTO);
	assert_int_equal(vm.memory_bytes, 0);
	assert_int_equal(vm.cpus, 1);
	assert_string_equal(vm.board, "virt");
	assert_string_equal(vm.console, "serial");
	assert_string_equal(vm.cmdline, "");
	assert_int_equal(vm.ndisks, 0);
	assert_int_equal(vm.nnets, 0);
}

static void test_config_parse_size_takes_binary_suffixes(void **state)
{
	uint64_t size;

	assert_int_equal(config_parse_size("4096", &size), 0);
	assert_int_equal(size, 4096);
	assert_int_equal(config_parse_size("64K", &size), 0);
	assert_int_equal(size, 64ull << 10);
	assert_int_equal(config_parse_size("512M", &size), 0);
	assert_int_equal(size, 512ull << 20);
	assert_int_equal(config_parse_size("512m", &size), 0);
	assert_int_equal(size, 512ull << 20);
	assert_int_equal(config_parse_size("2G", &size), 0);
	assert_int_equal(size, 2ull << 30);
	assert_int_equal(config_parse_size("1T", &size), 0);
	assert_int_equal(size, 1ull << 40);
	assert_int_equal(config_parse_size("16777215T", &size), 0);
	assert_int_equal(size, 16777215ull << 40);
}

static void test_config_parse_size_rejects_bad_sizes(void **state)
{
	static const char *const bad[] = { "",	  "M",	 "12Q", "1.5G", "-1G", "+1G",
					   " 1G", "1G ", "1GB", "0x10", "G1",  "1KM" };
	uint64_t size = 7;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (config_parse_size(bad[i], &size) != -EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
	}
	assert_int_equal(size, 7);
	assert_int_equal(config_parse_size("16777216T", &size), -ERANGE);
	assert_int_equal(config_parse_size("18446744073709551616", &size), -ERANGE);
}

static void test_config_isa_and_engine_names_round_trip(void **state)
{
	static const char *const isas[] = { "x86_64", "aarch64", "riscv64" };
	static const char *const engines[] = { "auto", "hw", "jit", "interp", "hybrid" };
	enum vm_engine engine;
	enum vm_isa isa;
	size_t i;

	for (i = 0; i < 3; i++) {
		assert_int_equal(config_parse_isa(isas[i], &isa), 0);
		assert_string_equal(config_isa_name(isa), isas[i]);
	}
	for (i = 0; i < 5; i++) {
		assert_int_equal(config_parse_engine(engines[i], &engine), 0);
		assert_string_equal(config_engine_name(engine), engines[i]);
	}
	assert_int_equal(config_parse_isa("none", &isa), -EINVAL);
	assert_int_equal(config_parse_isa("RISCV64", &isa), -EINVAL);
	assert_int_equal(config_parse_engine("kvm", &engine), -EINVAL);
	assert_string_equal(config_isa_name(VM_ISA_NONE), "none");
}

static void test_config_parse_serial_decodes_ports_and_addresses(void **state)
{
	enum config_serial_kind kind;
	uint64_t addr;

	assert_int_equal(config_parse_serial("auto", &kind, &addr), 0);
	assert_int_equal(kind, CONFIG_SERIAL_AUTO);
	assert_int_equal(config_parse_serial("com1", &kind, &addr), 0);
	assert_int_equal(kind, CONFIG_SERIAL_PIO);
	assert_int_equal(addr, 0x3f8);
	assert_int_equal(config_parse_serial("com4", &kind, &addr), 0);
	assert_int_equal(addr, 0x2e8);
	assert_int_equal(config_parse_serial("0x3F8", &kind, &addr), 0);
	assert_int_equal(kind, CONFIG_SERIAL_PIO);
	assert_int_equal(addr, 0x3f8);
	assert_int_equal(config_parse_serial("mmio:0x10000000", &kind, &addr), 0);
	assert_int_equal(kind, CONFIG_SERIAL_MMIO);
	assert_int_equal(addr, 0x10000000);
}

static void test_config_parse_serial_rejects_unknown_ports(void **state)
{
	static const char *const bad[] = { "",	    "com0",	"com5",		 "com10",
					   "0x",    "0x10000",	"0x0",		 "3f8",
					   "mmio:", "mmio:0x0", "mmio:10000000", "ttyS0" };
	enum config_serial_kind kind;
	uint64_t addr;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (config_parse_serial(bad[i], &kind, &addr) != -EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
	}
}

static void test_config_rejects_unknown_key_listing_the_known_ones(void **state)
{
	expect_rejection(VM_LINUX "memroy = 1G\n",
			 "polyvisor.cfg:5: [vm linux] key 'memroy': unknown key (use isa, engine, "
			 "memory, cpus, board, kernel, initrd, cmdline, dtb, disk, net, console, "
			 "rng, firmware)");
	expect_rejection("[global]\nverbose = 1\n",
			 "polyvisor.cfg:2: [global] key 'verbose': unknown key (use log, serial)");
}

static void test_config_rejects_unknown_section(void **state)
{
	expect_rejection(
		VM_LINUX "[disk extra]\n",
		"polyvisor.cfg:5: [disk extra] unknown section (use [global] or [vm NAME])");
}

static void test_config_rejects_duplicate_vm_name(void **state)
{
	expect_rejection(VM_LINUX "\n" VM_LINUX,
			 "polyvisor.cfg:6: [vm linux] duplicate VM name (first at line 1)");
}

static void test_config_rejects_second_global_section(void **state)
{
	expect_rejection("[global]\nlog = info\n[global]\n",
			 "polyvisor.cfg:3: [global] duplicate section (first at line 1)");
}

static void test_config_rejects_global_with_a_name(void **state)
{
	expect_rejection("[global main]\n", "polyvisor.cfg:1: [global main] takes no name: write "
					    "[global]");
}

static void test_config_rejects_vm_without_a_name(void **state)
{
	expect_rejection("[vm]\n", "polyvisor.cfg:1: [vm] needs a name: write [vm NAME]");
}

static void test_config_rejects_vm_name_with_bad_characters(void **state)
{
	expect_rejection("[vm lin/ux]\n", "polyvisor.cfg:1: [vm lin/ux] bad VM name: use letters, "
					  "digits, '-' and '_', 31 at most");
	expect_rejection("[vm a2345678901234567890123456789012]\n",
			 "polyvisor.cfg:1: [vm a2345678901234567890123456789012] bad VM name: use "
			 "letters, digits, '-' and '_', 31 at most");
}

static void test_config_accepts_a_vm_name_of_31_characters(void **state)
{
	struct config_error err;

	assert_int_equal(parse("[vm a23456789012345678901234567890_]\nisa = x86_64\nmemory = 16M\n"
			       "kernel = k\n",
			       &err),
			 0);
	assert_string_equal(config.vms[0].name, "a23456789012345678901234567890_");
}

static void test_config_rejects_duplicate_key(void **state)
{
	expect_rejection(VM_LINUX "memory = 1G\n",
			 "polyvisor.cfg:5: [vm linux] key 'memory': given twice (first at line 3)");
	expect_rejection("[global]\nlog = info\nlog = warn\n",
			 "polyvisor.cfg:3: [global] key 'log': given twice (first at line 2)");
}

static void test_config_rejects_bad_size(void **state)
{
	expect_rejection("[vm linux]\nisa = riscv64\nmemory = 12Q\n",
			 "polyvisor.cfg:3: [vm linux] key 'memory': bad size '12Q' (use a number "
			 "with K, M, G or T)");
	expect_rejection(
		"[vm linux]\nmemory = 99999999999T\n",
		"polyvisor.cfg:2: [vm linux] key 'memory': size '99999999999T' is too large");
}

static void test_config_rejects_memory_below_the_minimum(void **state)
{
	expect_rejection("[vm linux]\nmemory = 8M\n",
			 "polyvisor.cfg:2: [vm linux] key 'memory': '8M' is less than the minimum, "
			 "16M");
}

static void test_config_rejects_memory_not_a_page_multiple(void **state)
{
	expect_rejection(
		"[vm linux]\nmemory = 16777217\n",
		"polyvisor.cfg:2: [vm linux] key 'memory': '16777217' is not a multiple of "
		"4K");
}

static void test_config_rejects_bad_cpu_count(void **state)
{
	expect_rejection("[vm linux]\ncpus = 0\n",
			 "polyvisor.cfg:2: [vm linux] key 'cpus': bad number '0' (use 1 to 64)");
	expect_rejection("[vm linux]\ncpus = 65\n",
			 "polyvisor.cfg:2: [vm linux] key 'cpus': bad number '65' (use 1 to 64)");
	expect_rejection("[vm linux]\ncpus = two\n",
			 "polyvisor.cfg:2: [vm linux] key 'cpus': bad number 'two' (use 1 to 64)");
}

static void test_config_accepts_64_cpus(void **state)
{
	struct config_error err;

	assert_int_equal(parse(VM_LINUX "cpus = 64\n", &err), 0);
	assert_int_equal(config.vms[0].cpus, 64);
}

static void test_config_rejects_bad_isa_engine_console_and_log(void **state)
{
	expect_rejection("[vm linux]\nisa = arm\n",
			 "polyvisor.cfg:2: [vm linux] key 'isa': bad ISA "
			 "'arm' (use riscv64, aarch64 or x86_64)");
	expect_rejection(
		"[vm linux]\nengine = kvm\n",
		"polyvisor.cfg:2: [vm linux] key 'engine': bad engine 'kvm' (use auto, hw, "
		"jit, interp or hybrid)");
	expect_rejection("[vm linux]\nrng = yes\n",
			 "polyvisor.cfg:2: [vm linux] key 'rng': bad rng 'yes' (use on or off)");
	expect_rejection("[vm linux]\nconsole = vga\n",
			 "polyvisor.cfg:2: [vm linux] key 'console': bad console 'vga' (use serial "
			 "or virtio)");
	expect_rejection("[global]\nlog = loud\n", "polyvisor.cfg:2: [global] key 'log': bad level "
						   "'loud' (use error, warn, info or debug)");
}

static void test_config_rejects_bad_serial(void **state)
{
	expect_rejection(
		"[global]\nserial = com9\n",
		"polyvisor.cfg:2: [global] key 'serial': bad serial 'com9' (use auto, com1 "
		"to com4, 0xPORT or mmio:0xADDRESS)");
}

static void test_config_rejects_bad_board_name(void **state)
{
	expect_rejection("[vm linux]\nboard = my board\n",
			 "polyvisor.cfg:2: [vm linux] key 'board': bad board name 'my board' (use "
			 "letters, digits, '-' and '_')");
}

static void test_config_rejects_missing_isa_at_the_section_line(void **state)
{
	expect_rejection("[global]\n\n[vm linux]\nmemory = 1G\nkernel = Image\n",
			 "polyvisor.cfg:3: [vm linux] missing required key 'isa'");
}

static void test_config_rejects_missing_memory_before_the_next_section(void **state)
{
	expect_rejection("[vm linux]\nisa = riscv64\nkernel = Image\n[vm other]\n",
			 "polyvisor.cfg:1: [vm linux] missing required key 'memory'");
}

static void test_config_rejects_missing_kernel_and_firmware(void **state)
{
	expect_rejection("[vm linux]\nisa = riscv64\nmemory = 1G\n",
			 "polyvisor.cfg:1: [vm linux] missing required key 'kernel' (or "
			 "'firmware')");
}

static void test_config_rejects_a_file_without_vms(void **state)
{
	expect_rejection("[global]\nlog = info\n",
			 "polyvisor.cfg: no [vm NAME] section, so no guest to run");
}

static void test_config_rejects_overlong_line(void **state)
{
	size_t len = strlen(VM_LINUX "cmdline = ");
	char *text = malloc(len + INI_LINE_MAX + 2);

	memcpy(text, VM_LINUX "cmdline = ", len);
	memset(text + len, 'x', INI_LINE_MAX);
	strcpy(text + len + INI_LINE_MAX, "\n");
	expect_rejection(text, "polyvisor.cfg:5: [vm linux] line is longer than 2048 bytes");
	free(text);
}

static void test_config_rejects_bytes_that_are_not_text(void **state)
{
	expect_rejection(VM_LINUX "initrd = \x01rootfs\n",
			 "polyvisor.cfg:5: [vm linux] column 10: control character (the file must "
			 "be text)");
	expect_rejection("\xfe\xff[global]\n",
			 "polyvisor.cfg:1: column 1: invalid UTF-8 (the file must be text)");
}

static void test_config_rejects_nul_bytes(void **state)
{
	static const char text[] = "[global]\nlog = info\0\n";
	struct config_error err;

	assert_int_equal(config_parse("polyvisor.cfg", text, sizeof(text) - 1, &config, &err),
			 -EINVAL);
	assert_string_equal(
		err.message,
		"polyvisor.cfg:2: [global] column 11: NUL byte (the file must be text)");
}

static void test_config_rejects_syntax_errors_with_the_line(void **state)
{
	expect_rejection("isa = riscv64\n", "polyvisor.cfg:1: key outside any section");
	expect_rejection(VM_LINUX "cpus 2\n",
			 "polyvisor.cfg:5: [vm linux] line is neither a section "
			 "header nor 'key = value'");
}

static void test_config_rejects_too_many_vms(void **state)
{
	char *text = malloc(CONFIG_MAX_VMS * 64 + 64);
	size_t len = 0;
	unsigned i;

	for (i = 0; i <= CONFIG_MAX_VMS; i++)
		len += (size_t)sprintf(text + len,
				       "[vm v%u]\nisa = x86_64\nmemory = 16M\nkernel = k\n", i);
	expect_rejection(text, "polyvisor.cfg:65: [vm v16] too many VMs (16 at most)");
	free(text);
}

static void test_config_rejects_too_many_disks_and_nets(void **state)
{
	expect_rejection(VM_LINUX "disk = a\ndisk = b\ndisk = c\ndisk = d\ndisk = e\n",
			 "polyvisor.cfg:9: [vm linux] key 'disk': too many disks (4 at most)");
	expect_rejection(VM_LINUX
			 "net = hub:0\nnet = hub:1\nnet = hub:2\nnet = hub:3\nnet = hub:4\n",
			 "polyvisor.cfg:9: [vm linux] key 'net': too many networks (4 at most)");
}

static void test_config_rejects_path_too_long(void **state)
{
	char text[CONFIG_PATH_MAX + 128];
	size_t len;

	strcpy(text, "[vm linux]\nkernel = ");
	len = strlen(text);
	memset(text + len, 'p', CONFIG_PATH_MAX);
	strcpy(text + len + CONFIG_PATH_MAX, "\n");
	expect_rejection(text, "polyvisor.cfg:2: [vm linux] key 'kernel': path is longer than 255 "
			       "bytes");
}

static void test_config_rejects_empty_path(void **state)
{
	expect_rejection("[vm linux]\ninitrd =\n",
			 "polyvisor.cfg:2: [vm linux] key 'initrd': empty path");
	expect_rejection("[vm linux]\ndisk = ,readonly\n",
			 "polyvisor.cfg:2: [vm linux] key 'disk': empty path");
}

static void test_config_rejects_cmdline_too_long(void **state)
{
	char text[CONFIG_CMDLINE_MAX + 128];
	size_t len;

	strcpy(text, "[vm linux]\ncmdline = ");
	len = strlen(text);
	memset(text + len, 'c', CONFIG_CMDLINE_MAX);
	strcpy(text + len + CONFIG_CMDLINE_MAX, "\n");
	expect_rejection(text, "polyvisor.cfg:2: [vm linux] key 'cmdline': command line is longer "
			       "than 1023 bytes");
}

static void test_config_rejects_unknown_disk_option(void **state)
{
	expect_rejection(
		"[vm linux]\ndisk = disk.img,ro\n",
		"polyvisor.cfg:2: [vm linux] key 'disk': unknown disk option 'ro' (use PATH "
		"or PATH,readonly)");
}

static void test_config_rejects_bad_networks(void **state)
{
	expect_rejection(
		"[vm linux]\nnet = user\n",
		"polyvisor.cfg:2: [vm linux] key 'net': bad network 'user' (use hub:ID with "
		"ID 0 to 65535, or tap:IFNAME)");
	expect_rejection(
		"[vm linux]\nnet = hub:65536\n",
		"polyvisor.cfg:2: [vm linux] key 'net': bad network 'hub:65536' (use hub:ID "
		"with ID 0 to 65535, or tap:IFNAME)");
	expect_rejection(
		"[vm linux]\nnet = tap:a-very-long-name0\n",
		"polyvisor.cfg:2: [vm linux] key 'net': bad network 'tap:a-very-long-name0' "
		"(use hub:ID with ID 0 to 65535, or tap:IFNAME)");
	expect_rejection("[vm linux]\nnet = hub:1,model=e1000\n",
			 "polyvisor.cfg:2: [vm linux] key 'net': unknown network option "
			 "'model=e1000' (use mac=52:54:00:12:34:56)");
	expect_rejection("[vm linux]\nnet = hub:1,mac=52:54:00:12:34\n",
			 "polyvisor.cfg:2: [vm linux] key 'net': bad MAC address '52:54:00:12:34' "
			 "(use six hex pairs: 52:54:00:12:34:56)");
	expect_rejection("[vm linux]\nnet = hub:1,mac=52-54-00-12-34-56\n",
			 "polyvisor.cfg:2: [vm linux] key 'net': bad MAC address "
			 "'52-54-00-12-34-56' (use six hex pairs: 52:54:00:12:34:56)");
	expect_rejection(
		"[vm linux]\nnet = hub:1,mac=01:00:5e:00:00:01\n",
		"polyvisor.cfg:2: [vm linux] key 'net': MAC address '01:00:5e:00:00:01' is "
		"a multicast address");
}

static void test_config_accepts_mmio_serial_and_uppercase_mac(void **state)
{
	struct config_error err;

	assert_int_equal(parse("[global]\nserial = mmio:0x9000000\n" VM_LINUX
			       "net = tap:tap-1.0,mac=02:AB:cd:EF:00:FF\n",
			       &err),
			 0);
	assert_int_equal(config.serial_kind, CONFIG_SERIAL_MMIO);
	assert_int_equal(config.serial_addr, 0x9000000);
	assert_memory_equal(config.vms[0].nets[0].mac, "\x02\xab\xcd\xef\x00\xff", 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_reads_a_realistic_multi_vm_file),
		cmocka_unit_test(test_config_defaults_without_global_section),
		cmocka_unit_test(test_config_vm_config_init_sets_defaults),
		cmocka_unit_test(test_config_parse_size_takes_binary_suffixes),
		cmocka_unit_test(test_config_parse_size_rejects_bad_sizes),
		cmocka_unit_test(test_config_isa_and_engine_names_round_trip),
		cmocka_unit_test(test_config_parse_serial_decodes_ports_and_addresses),
		cmocka_unit_test(test_config_parse_serial_rejects_unknown_ports),
		cmocka_unit_test(test_config_rejects_unknown_key_listing_the_known_ones),
		cmocka_unit_test(test_config_rejects_unknown_section),
		cmocka_unit_test(test_config_rejects_duplicate_vm_name),
		cmocka_unit_test(test_config_rejects_second_global_section),
		cmocka_unit_test(test_config_rejects_global_with_a_name),
		cmocka_unit_test(test_config_rejects_vm_without_a_name),
		cmocka_unit_test(test_config_rejects_vm_name_with_bad_characters),
		cmocka_unit_test(test_config_accepts_a_vm_name_of_31_characters),
		cmocka_unit_test(test_config_rejects_duplicate_key),
		cmocka_unit_test(test_config_rejects_bad_size),
		cmocka_unit_test(test_config_rejects_memory_below_the_minimum),
		cmocka_unit_test(test_config_rejects_memory_not_a_page_multiple),
		cmocka_unit_test(test_config_rejects_bad_cpu_count),
		cmocka_unit_test(test_config_accepts_64_cpus),
		cmocka_unit_test(test_config_rejects_bad_isa_engine_console_and_log),
		cmocka_unit_test(test_config_rejects_bad_serial),
		cmocka_unit_test(test_config_rejects_bad_board_name),
		cmocka_unit_test(test_config_rejects_missing_isa_at_the_section_line),
		cmocka_unit_test(test_config_rejects_missing_memory_before_the_next_section),
		cmocka_unit_test(test_config_rejects_missing_kernel_and_firmware),
		cmocka_unit_test(test_config_rejects_a_file_without_vms),
		cmocka_unit_test(test_config_rejects_overlong_line),
		cmocka_unit_test(test_config_rejects_bytes_that_are_not_text),
		cmocka_unit_test(test_config_rejects_nul_bytes),
		cmocka_unit_test(test_config_rejects_syntax_errors_with_the_line),
		cmocka_unit_test(test_config_rejects_too_many_vms),
		cmocka_unit_test(test_config_rejects_too_many_disks_and_nets),
		cmocka_unit_test(test_config_rejects_path_too_long),
		cmocka_unit_test(test_config_rejects_empty_path),
		cmocka_unit_test(test_config_rejects_cmdline_too_long),
		cmocka_unit_test(test_config_rejects_unknown_disk_option),
		cmocka_unit_test(test_config_rejects_bad_networks),
		cmocka_unit_test(test_config_accepts_mmio_serial_and_uppercase_mac),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
