// SPDX-License-Identifier: MIT
/*
 * The firmware's description of the machine: the EFI configuration table's entries, the ACPI
 * tables reached through it, and the flattened device tree. Nothing is copied: the firmware keeps
 * these in memory the hypervisor must not reuse.
 */
#include <libfdt.h>
#include <string.h>

#include "uefi/acpi.h"
#include "uefi/uefi.h"

/* ACPI's Root System Description Pointer, revision 2 and later. */
struct acpi_rsdp {
	char signature[8];
	uint8_t checksum;
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt_address;
	uint32_t length;
	uint64_t xsdt_address;
	uint8_t extended_checksum;
	uint8_t reserved[3];
} __attribute__((packed));

void *efi_config_table(const EFI_GUID *guid)
{
	for (UINTN i = 0; i < efi_st->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *entry = &efi_st->ConfigurationTable[i];

		if (!memcmp(&entry->VendorGuid, guid, sizeof(*guid)))
			return entry->VendorTable;
	}
	return NULL;
}

static bool acpi_checksum_ok(const void *table, size_t len)
{
	const uint8_t *bytes = table;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += bytes[i];
	return sum == 0;
}

/* A table whose checksum fails counts as absent: half-written firmware data is worse. */
const void *efi_acpi_table(const char *signature)
{
	static const EFI_GUID acpi20_guid = ACPI_20_TABLE_GUID;
	const struct acpi_rsdp *rsdp = efi_config_table(&acpi20_guid);
	const struct acpi_header *xsdt;
	size_t entries;

	if (!rsdp || memcmp(rsdp->signature, "RSD PTR ", 8) || rsdp->revision < 2 ||
	    !acpi_checksum_ok(rsdp, rsdp->length) || !rsdp->xsdt_address)
		return NULL;
	xsdt = (const struct acpi_header *)(uintptr_t)rsdp->xsdt_address;
	if (memcmp(xsdt->signature, "XSDT", 4) || xsdt->length < sizeof(*xsdt) ||
	    !acpi_checksum_ok(xsdt, xsdt->length))
		return NULL;
	entries = (xsdt->length - sizeof(*xsdt)) / sizeof(uint64_t);
	for (size_t i = 0; i < entries; i++) {
		const struct acpi_header *table;
		uint64_t address;

		/* XSDT entries follow a 36-byte header: they are not 8-byte aligned. */
		memcpy(&address, (const uint8_t *)(xsdt + 1) + i * sizeof(address),
		       sizeof(address));
		table = (const struct acpi_header *)(uintptr_t)address;
		if (table && !memcmp(table->signature, signature, 4) &&
		    acpi_checksum_ok(table, table->length))
			return table;
	}
	return NULL;
}

const void *efi_fdt(void)
{
	static const EFI_GUID fdt_guid = EFI_DTB_TABLE_GUID;
	const void *fdt = efi_config_table(&fdt_guid);

	if (!fdt || fdt_check_header(fdt))
		return NULL;
	return fdt;
}
