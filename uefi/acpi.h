/* SPDX-License-Identifier: MIT */
/* The ACPI structures the bare-metal host reads, laid out as the specification defines them. */
#ifndef PV_UEFI_ACPI_H
#define PV_UEFI_ACPI_H

#include <stdint.h>

struct acpi_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __attribute__((packed));

/* Generic Address Structure: where a register lives and how wide its accesses are. */
#define ACPI_GAS_MEMORY 0
#define ACPI_GAS_IO 1

struct acpi_gas {
	uint8_t space_id;
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size; /* 0: unspecified, 1: byte, 2: 16 bits, 3: 32 bits, 4: 64 bits */
	uint64_t address;
} __attribute__((packed));

/* Serial Port Console Redirection: the port the firmware redirects its console to. */
struct acpi_spcr {
	struct acpi_header header;
	uint8_t interface_type; /* the DBG2 serial subtypes below */
	uint8_t reserved[3];
	struct acpi_gas base;
} __attribute__((packed));

#define ACPI_DBG2_16550 0x00
#define ACPI_DBG2_16550_SUBSET 0x01
#define ACPI_DBG2_PL011 0x03
#define ACPI_DBG2_SBSA_32BIT 0x0d
#define ACPI_DBG2_SBSA 0x0e
#define ACPI_DBG2_16550_GAS 0x12

#endif
