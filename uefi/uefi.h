/* SPDX-License-Identifier: MIT */
/*
 * The UEFI half of the bare-metal platform, shared by every host ISA: the firmware's tables and
 * services as the rest of uefi/ and arch/<isa>/host see them while boot services are up.
 */
#ifndef PV_UEFI_UEFI_H
#define PV_UEFI_UEFI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* x86_64 builds define GNU_EFI_USE_MS_ABI (mk/toolchain.mk): firmware calls need no thunks. */
#include <efi.h>

/* Set once by efi_main before anything else runs; efi_bs goes back to NULL at ExitBootServices,
 * which is how the rest of uefi/ tells the two phases apart. */
extern EFI_HANDLE efi_image;
extern EFI_SYSTEM_TABLE *efi_st;
extern EFI_BOOT_SERVICES *efi_bs;

/*
 * The entry GNU-EFI's crt0 jumps to after relocating the image. Debian's x86_64 crt0 calls it with
 * the SysV convention, so it carries no EFIAPI (with EFIAPI it would read the system table from the
 * wrong register); on aarch64 and riscv64 there is only one convention.
 */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

/* The vendor table the firmware published under guid, or NULL. */
void *efi_config_table(const EFI_GUID *guid);

/* The ACPI table with this 4-character signature, found through the ACPI 2.0 RSDP and the XSDT. */
const void *efi_acpi_table(const char *signature);

/* The flattened device tree the firmware passed, checked by libfdt, or NULL. */
const void *efi_fdt(void);

/* A status as a negative errno for plat.h's callers. */
int efi_errno(EFI_STATUS status);

/* Counter calibration and the console's devices: run by efi_main before the first line. */
void efi_time_init(void);
void efi_console_init(void);

/* The console's own serial port, for the banner: "PL011 at MMIO 0x9000000 (ACPI SPCR)". */
void efi_console_describe(char *buf, size_t size);

/*
 * Reads the ESP's file at path into memory, where plat_file_* find it after ExitBootServices.
 * Returns its size, or a negative errno.
 */
int64_t efi_file_preload(const char *path);

/* Free memory after ExitBootServices: what the heap was given. */
struct efi_memory_report {
	uint64_t bytes;
	unsigned ranges;
	unsigned ranges_left_out; /* past the heap's table, or below 1 MiB */
};

/*
 * Leaves boot services for good (retrying while the memory map moves under it): the firmware's
 * free memory becomes the hypervisor's heap, interrupts are masked, the firmware's consoles are
 * dropped. Returns 0 or a negative errno, boot services then still up.
 */
int efi_exit_boot_services(struct efi_memory_report *report);

/* The console forgets the firmware's text outputs and reads the serial port itself. */
void efi_console_boot_services_gone(void);

#endif
