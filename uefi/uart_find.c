// SPDX-License-Identifier: MIT
/*
 * Finding the firmware's console UART on a real machine rather than assuming QEMU's: servers and
 * Arm/RISC-V ACPI machines describe it in the SPCR table, device-tree machines name it in
 * /chosen/stdout-path, and a PC without SPCR still has COM1 at its legacy I/O port.
 */
#include <libfdt.h>
#include <string.h>

#include "lib/compiler.h"
#include "lib/errno.h"
#include "lib/fmt.h"
#include "uefi/acpi.h"
#include "uefi/uart.h"
#include "uefi/uefi.h"

static unsigned log2_u32(unsigned value)
{
	unsigned log = 0;

	while (value > 1) {
		value >>= 1;
		log++;
	}
	return log;
}

/* Bytes per access from a GAS: its access size when stated, else its register width. */
static unsigned gas_io_width(const struct acpi_gas *gas)
{
	if (gas->access_size >= 1 && gas->access_size <= 3)
		return 1u << (gas->access_size - 1);
	if (gas->bit_width == 16 || gas->bit_width == 32)
		return gas->bit_width / 8;
	return 1;
}

static int uart_from_spcr(struct uart *out)
{
	const struct acpi_spcr *spcr = efi_acpi_table("SPCR");

	if (!spcr || spcr->header.length < sizeof(*spcr) || !spcr->base.address)
		return -ENODEV;
	switch (spcr->interface_type) {
	case ACPI_DBG2_16550:
	case ACPI_DBG2_16550_SUBSET:
	case ACPI_DBG2_16550_GAS:
		out->type = UART_16550;
		break;
	case ACPI_DBG2_PL011:
	case ACPI_DBG2_SBSA_32BIT:
	case ACPI_DBG2_SBSA:
		out->type = UART_PL011;
		break;
	default:
		return -ENODEV;
	}
	if (spcr->base.space_id == ACPI_GAS_IO) {
#if defined(__x86_64__)
		out->port_io = true;
#else
		return -ENODEV;
#endif
	} else if (spcr->base.space_id != ACPI_GAS_MEMORY) {
		return -ENODEV;
	}
	out->base = (uintptr_t)spcr->base.address;
	if (out->type == UART_PL011 || out->port_io) {
		out->io_width = out->port_io ? 1 : 4;
	} else {
		/* SPCR has no register spacing field: MMIO 16550s space registers by access width. */
		out->io_width = gas_io_width(&spcr->base);
		out->reg_shift = log2_u32(out->io_width);
	}
	fmt_snprintf(out->origin, sizeof(out->origin), "ACPI SPCR");
	return 0;
}

static uint64_t fdt_read_cells(const fdt32_t *cells, int count)
{
	uint64_t value = 0;

	for (int i = 0; i < count; i++)
		value = value << 32 | fdt32_to_cpu(cells[i]);
	return value;
}

/*
 * Translates a bus address through one bus node's "ranges" into its parent's address space.
 * An empty "ranges" is the identity; a missing one means the bus is not memory-mapped.
 */
static int fdt_translate_bus(const void *fdt, int bus, uint64_t *addr)
{
	int parent = fdt_parent_offset(fdt, bus);
	int child_cells = fdt_address_cells(fdt, bus);
	int size_cells = fdt_size_cells(fdt, bus);
	int parent_cells = fdt_address_cells(fdt, parent);
	const fdt32_t *ranges;
	int len, entry;

	if (parent < 0 || child_cells < 1 || child_cells > 2 || parent_cells < 1 ||
	    parent_cells > 2 || size_cells < 0 || size_cells > 2)
		return -ENODEV;
	ranges = fdt_getprop(fdt, bus, "ranges", &len);
	if (!ranges)
		return -ENODEV;
	entry = child_cells + parent_cells + size_cells;
	if (len == 0)
		return 0;
	for (int i = 0; i + entry <= len / 4; i += entry) {
		uint64_t child = fdt_read_cells(ranges + i, child_cells);
		uint64_t target = fdt_read_cells(ranges + i + child_cells, parent_cells);
		uint64_t size = fdt_read_cells(ranges + i + child_cells + parent_cells, size_cells);

		if (*addr >= child && *addr - child < size) {
			*addr = *addr - child + target;
			return 0;
		}
	}
	return -ENODEV;
}

/* The CPU physical address of a node's first "reg" entry. */
static int fdt_node_address(const void *fdt, int node, uint64_t *addr)
{
	int bus = fdt_parent_offset(fdt, node);
	int cells = fdt_address_cells(fdt, bus);
	const fdt32_t *reg;
	int len;

	if (bus < 0 || cells < 1 || cells > 2)
		return -ENODEV;
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len < cells * 4)
		return -ENODEV;
	*addr = fdt_read_cells(reg, cells);
	for (; bus > 0; bus = fdt_parent_offset(fdt, bus)) {
		if (fdt_translate_bus(fdt, bus, addr))
			return -ENODEV;
	}
	return 0;
}

static unsigned fdt_u32_or(const void *fdt, int node, const char *name, unsigned fallback)
{
	const fdt32_t *value;
	int len;

	value = fdt_getprop(fdt, node, name, &len);
	return value && len == sizeof(*value) ? fdt32_to_cpu(*value) : fallback;
}

/* The device-tree bindings the drivers serve. */
static const struct {
	const char *compatible;
	enum uart_type type;
} uart_fdt_compatibles[] = {
	{ "ns16550a", UART_16550 },  { "ns16550", UART_16550 },
	{ "ns16450", UART_16550 },   { "snps,dw-apb-uart", UART_16550 },
	{ "arm,pl011", UART_PL011 }, { "arm,sbsa-uart", UART_PL011 },
};

static int uart_from_fdt(struct uart *out)
{
	const void *fdt = efi_fdt();
	const char *stdout_path, *options;
	char path[64];
	uint64_t addr;
	int chosen, node, len;
	size_t i;

	if (!fdt)
		return -ENODEV;
	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen < 0)
		return -ENODEV;
	stdout_path = fdt_getprop(fdt, chosen, "stdout-path", &len);
	if (!stdout_path)
		stdout_path = fdt_getprop(fdt, chosen, "linux,stdout-path", &len);
	if (!stdout_path)
		return -ENODEV;
	/* "serial0:115200n8": an alias or path, then line settings the firmware applied. */
	options = memchr(stdout_path, ':', (size_t)len);
	node = fdt_path_offset_namelen(fdt, stdout_path,
				       options ? (int)(options - stdout_path) :
						 (int)strlen(stdout_path));
	if (node < 0)
		return -ENODEV;
	for (i = 0; i < ARRAY_SIZE(uart_fdt_compatibles); i++) {
		if (!fdt_node_check_compatible(fdt, node, uart_fdt_compatibles[i].compatible))
			break;
	}
	if (i == ARRAY_SIZE(uart_fdt_compatibles) || fdt_node_address(fdt, node, &addr))
		return -ENODEV;
	out->type = uart_fdt_compatibles[i].type;
	out->base = (uintptr_t)addr;
	if (out->type == UART_16550) {
		out->reg_shift = fdt_u32_or(fdt, node, "reg-shift", 0);
		out->io_width = fdt_u32_or(fdt, node, "reg-io-width", 1);
		if (out->io_width != 1 && out->io_width != 2 && out->io_width != 4)
			return -ENODEV;
	} else {
		out->io_width = 4;
	}
	if (fdt_get_path(fdt, node, path, sizeof(path)))
		fmt_snprintf(path, sizeof(path), "stdout-path");
	fmt_snprintf(out->origin, sizeof(out->origin), "device tree %s", path);
	return 0;
}

int uart_find(struct uart *out)
{
	memset(out, 0, sizeof(*out));
	if (!uart_from_spcr(out))
		return 0;
	memset(out, 0, sizeof(*out));
	if (!uart_from_fdt(out))
		return 0;
	memset(out, 0, sizeof(*out));
#if defined(__x86_64__)
	out->type = UART_16550;
	out->port_io = true;
	out->base = 0x3f8; /* COM1 */
	out->io_width = 1;
	fmt_snprintf(out->origin, sizeof(out->origin), "COM1, the PC default");
	return 0;
#else
	return -ENODEV;
#endif
}
