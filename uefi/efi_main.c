// SPDX-License-Identifier: MIT
/*
 * Polyvisor's UEFI entry: says what it runs on (firmware, memory, console, hardware
 * virtualization), reads polyvisor.cfg and the guest files it names from the ESP into memory,
 * collects what kernel_main needs to know of the machine (ACPI, SMBIOS, the framebuffer), leaves
 * boot services and hands over to kernel_main, which runs the VMs until all have stopped; then
 * it powers the machine off. After ExitBootServices the hypervisor lives on its own heap (the
 * firmware's free memory), its serial driver and the CPU's counter, on the boot CPU; its own page
 * tables, interrupts and the other CPUs come next.
 */
#include "arch/riscv64/guest/emu.h"
#include "interp/emu.h"
#include "kernel/config.h"
#include "kernel/kernel_main.h"
#include "lib/errno.h"
#include "lib/fmt.h"
#include "lib/plat.h"
#include "uefi/host.h"
#include "uefi/uefi.h"

#define CONFIG_FILE "polyvisor.cfg"
#define MIB (1024u * 1024u)

EFI_HANDLE efi_image;
EFI_SYSTEM_TABLE *efi_st;
EFI_BOOT_SERVICES *efi_bs;

/* The firmware's UCS-2 strings in ASCII, enough for its vendor name. */
static void ucs2_to_ascii(const CHAR16 *in, char *out, size_t size)
{
	size_t i = 0;

	for (; in && in[i] && i + 1 < size; i++)
		out[i] = in[i] < 0x80 ? (char)in[i] : '?';
	out[i] = 0;
}

/* UEFI revisions keep the minor version times ten: 2.70 is "2.7", 2.31 "2.3.1", 2.100 "2.10". */
static void report_firmware(void)
{
	uint32_t major = efi_st->Hdr.Revision >> 16, minor = efi_st->Hdr.Revision & 0xffff;
	unsigned firmware_rev = (unsigned)efi_st->FirmwareRevision;
	char vendor[64];

	ucs2_to_ascii(efi_st->FirmwareVendor, vendor, sizeof(vendor));
	if (minor % 10)
		fmt_printf("firmware: %s rev %#x, UEFI %u.%u.%u\n", vendor, firmware_rev, major,
			   minor / 10, minor % 10);
	else
		fmt_printf("firmware: %s rev %#x, UEFI %u.%u\n", vendor, firmware_rev, major,
			   minor / 10);
}

/* Where the image landed, for debuggers: polyvisor.elf's symbols are loaded at this address. */
static void report_image(void)
{
	EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	EFI_LOADED_IMAGE_PROTOCOL *image;

	if (!EFI_ERROR(efi_bs->HandleProtocol(efi_image, &loaded_image_guid, (void **)&image)))
		fmt_printf("image: loaded at %p, %llu KiB\n", image->ImageBase,
			   (unsigned long long)image->ImageSize / 1024);
}

static void report_console(void)
{
	char console[192];

	efi_console_describe(console, sizeof(console));
	fmt_printf("serial: %s\n", console);
}

/* Fetched twice: the first call sizes the map, and allocating the buffer may split a range. */
static void report_memory_map(void)
{
	EFI_MEMORY_DESCRIPTOR *map;
	UINTN size = 0, key, desc_size;
	UINT32 desc_version;
	uint64_t conventional = 0;
	size_t count;

	if (efi_bs->GetMemoryMap(&size, NULL, &key, &desc_size, &desc_version) !=
	    EFI_BUFFER_TOO_SMALL) {
		fmt_printf("memory map: unavailable\n");
		return;
	}
	size += 4 * desc_size;
	map = plat_alloc(size);
	if (!map || EFI_ERROR(efi_bs->GetMemoryMap(&size, map, &key, &desc_size, &desc_version))) {
		fmt_printf("memory map: unavailable\n");
		plat_free(map);
		return;
	}
	count = size / desc_size;
	for (size_t i = 0; i < count; i++) {
		const EFI_MEMORY_DESCRIPTOR *desc =
			(const EFI_MEMORY_DESCRIPTOR *)((const uint8_t *)map + i * desc_size);

		if (desc->Type == EfiConventionalMemory)
			conventional += desc->NumberOfPages * PLAT_PAGE_SIZE;
	}
	plat_free(map);
	fmt_printf("memory map: %zu descriptors, %llu bytes conventional (%llu MiB)\n", count,
		   (unsigned long long)conventional, (unsigned long long)(conventional / MIB));
}

static void report_virtualization(void)
{
	char virt[96];

	host_virt_describe(virt, sizeof(virt));
	fmt_printf("virtualization: %s\n", virt);
}

/* Reads a whole file from the ESP into a NUL-terminated buffer the caller frees. */
static int read_file(const char *path, char **text, size_t *len)
{
	struct plat_file *file;
	int64_t size, got;
	int err;

	err = plat_file_open(path, PLAT_FILE_READ, &file);
	if (err)
		return err;
	size = plat_file_size(file);
	*text = size < 0 ? NULL : plat_alloc((size_t)size + 1);
	if (size < 0 || !*text) {
		plat_file_close(file);
		return size < 0 ? (int)size : -ENOMEM;
	}
	got = plat_file_read(file, *text, (size_t)size, 0);
	plat_file_close(file);
	if (got != size) {
		plat_free(*text);
		return got < 0 ? (int)got : -EIO;
	}
	*len = (size_t)size;
	return 0;
}

/* A guest file the config names, as found on the ESP: "  kernel Image: 31165952 bytes". */
/* Read into memory now: after ExitBootServices the VM finds it there. */
static void preload_guest_file(const char *role, const char *path, const char *note)
{
	int64_t size;

	if (!path[0])
		return;
	size = efi_file_preload(path);
	if (size < 0)
		fmt_printf("  %s %s: %s\n", role, path, pv_strerror((int)size));
	else
		fmt_printf("  %s %s: %lld bytes%s\n", role, path, (long long)size, note);
}

static void report_vm(const struct vm_config *vm)
{
	fmt_printf("vm %s: %s, %s engine, %llu MiB, %u vCPU%s\n", vm->name,
		   config_isa_name(vm->isa), config_engine_name(vm->engine),
		   (unsigned long long)(vm->memory_bytes / MIB), vm->cpus,
		   vm->cpus == 1 ? "" : "s");
	preload_guest_file("kernel", vm->kernel, "");
	preload_guest_file("initrd", vm->initrd, "");
	preload_guest_file("dtb", vm->dtb, "");
	preload_guest_file("firmware", vm->firmware, "");
	for (unsigned i = 0; i < vm->ndisks; i++)
		preload_guest_file("disk", vm->disks[i].path,
				   vm->disks[i].readonly ? ", read-only" :
							   " (the guest's writes stay in memory)");
}

/*
 * From here on the machine is the hypervisor's: no boot service is called again. A firmware
 * that refuses leaves Polyvisor running on its services, as before.
 */
static void exit_boot_services(struct boot_info *info)
{
	struct efi_memory_report memory;
	int err = efi_exit_boot_services(&memory);

	if (err) {
		fmt_printf("boot services: still up, ExitBootServices failed: %s\n",
			   pv_strerror(err));
		return;
	}
	info->free_memory = memory.bytes;
	fmt_printf("boot services: exited; %llu MiB free in %u ranges for the hypervisor and its "
		   "VMs (%u left out)\n",
		   (unsigned long long)(memory.bytes / MIB), memory.ranges, memory.ranges_left_out);
}

/* The parsed and reported config, or NULL (reported too) when there is none to run. */
static struct pv_config *load_config(void)
{
	struct config_error error;
	struct pv_config *config;
	char *text;
	size_t len = 0;
	int err;

	err = read_file(CONFIG_FILE, &text, &len);
	if (err) {
		fmt_printf("config: %s: %s\n", CONFIG_FILE, pv_strerror(err));
		return NULL;
	}
	config = plat_alloc(sizeof(*config));
	if (!config) {
		fmt_printf("config: %s: %s\n", CONFIG_FILE, pv_strerror(-ENOMEM));
		plat_free(text);
		return NULL;
	}
	err = config_parse(CONFIG_FILE, text, len, config, &error);
	plat_free(text);
	if (err) {
		fmt_printf("config: %s\n", error.message);
		plat_free(config);
		return NULL;
	}
	fmt_printf("config: %s, %u VM%s\n", CONFIG_FILE, config->nvms,
		   config->nvms == 1 ? "" : "s");
	for (unsigned i = 0; i < config->nvms; i++)
		report_vm(&config->vms[i]);
	return config;
}

/* The engines and guests this build runs; without them no VM can be made. */
static void register_providers(void)
{
	int err = interp_engine_register();

	if (!err)
		err = rv_guest_register();
	if (err)
		fmt_printf("engines: %s: no VM can run\n", pv_strerror(err));
}

/* The firmware's linear framebuffer, if it set one up (GOP). */
static void find_framebuffer(struct boot_framebuffer *fb)
{
	EFI_GUID gop_guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;

	*fb = (struct boot_framebuffer){ 0 };
	if (EFI_ERROR(efi_bs->LocateProtocol(&gop_guid, NULL, (void **)&gop)) || !gop->Mode ||
	    !gop->Mode->Info || gop->Mode->Info->PixelFormat == PixelBltOnly)
		return;
	*fb = (struct boot_framebuffer){
		.base = gop->Mode->FrameBufferBase,
		.size = gop->Mode->FrameBufferSize,
		.width = gop->Mode->Info->HorizontalResolution,
		.height = gop->Mode->Info->VerticalResolution,
		.pixels_per_line = gop->Mode->Info->PixelsPerScanLine,
	};
}

/* What kernel_main learns of the machine, gathered while the firmware can still tell. */
static void collect_boot_info(struct boot_info *info)
{
	static const EFI_GUID acpi20_guid = ACPI_20_TABLE_GUID;
	static const EFI_GUID smbios3_guid = SMBIOS3_TABLE_GUID;
	static const EFI_GUID smbios_guid = SMBIOS_TABLE_GUID;
	void *smbios = efi_config_table(&smbios3_guid);

	if (!smbios)
		smbios = efi_config_table(&smbios_guid);
	info->acpi_rsdp = (uintptr_t)efi_config_table(&acpi20_guid);
	info->smbios = (uintptr_t)smbios;
	find_framebuffer(&info->framebuffer);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct boot_info info = { 0 };
	struct pv_config *config;

	efi_image = image;
	efi_st = systab;
	efi_bs = systab->BootServices;
	efi_time_init();
	efi_console_init();

	fmt_printf("\nPolyvisor %s (%s) on %s\n", PV_VERSION, PV_GIT_REV, host_isa_name);
	report_firmware();
	report_image();
	report_console();
	report_memory_map();
	report_virtualization();
	config = load_config();
	collect_boot_info(&info);
	info.config = config;
	exit_boot_services(&info);
	register_providers();
	kernel_main(&info);
	plat_free(config);
	fmt_printf("done in %llu ms, powering off\n",
		   (unsigned long long)(plat_time_ns() / 1000000u));
	plat_exit(0);
}
