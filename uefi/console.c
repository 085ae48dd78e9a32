// SPDX-License-Identifier: MIT
/*
 * plat.h's console: the serial port written by our own driver (the one path that survives
 * ExitBootServices, after which it is the whole console, input too), plus, while boot services
 * run, the firmware's other text consoles, such as a screen.
 *
 * Firmware consoles usually reach the serial port already: EDK2 splits ConOut onto a terminal on
 * the UART (OVMF, AAVMF), U-Boot prints its EFI console to its own stdout, the device tree's
 * stdout-path. Writing both ConOut and the UART would print every line twice, so the serial port
 * is written only through the driver and ConOut's devices are written one by one, leaving out
 * each that is the serial port: a device whose path holds a UART node (EDK2's terminals), or one
 * whose path names no hardware at all (U-Boot's console on its root node, which is its stdout).
 * Without a UART the firmware's whole ConOut is written instead.
 */
#include "lib/errno.h"
#include "lib/fmt.h"
#include "lib/plat.h"
#include "uefi/uart.h"
#include "uefi/uefi.h"

#define CONSOLE_TEXT_OUTPUTS_MAX 8
#define CONSOLE_CHUNK 128 /* CHAR16s per OutputString call */

static struct uart console_uart;
static bool console_has_uart;
static SIMPLE_TEXT_OUTPUT_INTERFACE *console_text_outputs[CONSOLE_TEXT_OUTPUTS_MAX];
static unsigned console_ntext_outputs;

static bool device_path_has_uart(EFI_DEVICE_PATH *node)
{
	for (; !IsDevicePathEnd(node); node = NextDevicePathNode(node)) {
		if (DevicePathType(node) == MESSAGING_DEVICE_PATH &&
		    DevicePathSubType(node) == MSG_UART_DP)
			return true;
	}
	return false;
}

static bool device_path_names_hardware(EFI_DEVICE_PATH *node)
{
	for (; !IsDevicePathEnd(node); node = NextDevicePathNode(node)) {
		if (DevicePathType(node) != END_DEVICE_PATH_TYPE &&
		    !(DevicePathType(node) == HARDWARE_DEVICE_PATH &&
		      DevicePathSubType(node) == HW_VENDOR_DP))
			return true;
	}
	return false;
}

/* Whether a firmware text console is the serial port: see the comment at the top. */
static bool console_is_serial(EFI_HANDLE handle)
{
	EFI_GUID device_path_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;
	EFI_DEVICE_PATH *path;

	/* Console splitters are virtual devices without a path; they repeat the serial too. */
	if (EFI_ERROR(efi_bs->HandleProtocol(handle, &device_path_guid, (void **)&path)))
		return true;
	return device_path_has_uart(path) || !device_path_names_hardware(path);
}

static void console_find_text_outputs(void)
{
	EFI_GUID text_out_guid = EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL_GUID;
	EFI_HANDLE *handles;
	EFI_STATUS status;
	UINTN count;

	status = efi_bs->LocateHandleBuffer(ByProtocol, &text_out_guid, NULL, &count, &handles);
	if (EFI_ERROR(status))
		return;
	for (UINTN i = 0; i < count && console_ntext_outputs < CONSOLE_TEXT_OUTPUTS_MAX; i++) {
		void *out;

		if (console_is_serial(handles[i]))
			continue;
		if (!EFI_ERROR(efi_bs->HandleProtocol(handles[i], &text_out_guid, &out)))
			console_text_outputs[console_ntext_outputs++] = out;
	}
	efi_bs->FreePool(handles);
}

void efi_console_init(void)
{
	console_has_uart = !uart_find(&console_uart);
	if (console_has_uart)
		console_find_text_outputs();
	else
		console_text_outputs[console_ntext_outputs++] = efi_st->ConOut;
}

void efi_console_describe(char *buf, size_t size)
{
	char uart[96];

	if (!console_has_uart) {
		fmt_snprintf(buf, size, "none found, firmware console only");
		return;
	}
	uart_describe(&console_uart, uart, sizeof(uart));
	fmt_snprintf(buf, size, "%s (%s), %u other firmware console%s", uart, console_uart.origin,
		     console_ntext_outputs, console_ntext_outputs == 1 ? "" : "s");
}

static void console_text_flush(CHAR16 *chunk, size_t fill)
{
	chunk[fill] = 0;
	for (unsigned i = 0; i < console_ntext_outputs; i++)
		console_text_outputs[i]->OutputString(console_text_outputs[i], chunk);
}

/* Firmware consoles take UCS-2 and need "\r\n"; bytes outside ASCII are shown as '?'. */
static void console_text_write(const char *buf, size_t len)
{
	CHAR16 chunk[CONSOLE_CHUNK + 1];
	size_t fill = 0;

	for (size_t i = 0; i < len; i++) {
		if (fill + 2 > CONSOLE_CHUNK) {
			console_text_flush(chunk, fill);
			fill = 0;
		}
		if (buf[i] == '\n')
			chunk[fill++] = '\r';
		chunk[fill++] = (unsigned char)buf[i] < 0x80 ? (CHAR16)buf[i] : '?';
	}
	if (fill)
		console_text_flush(chunk, fill);
}

void plat_console_write(const char *buf, size_t len)
{
	if (console_has_uart)
		uart_write(&console_uart, buf, len);
	if (console_ntext_outputs)
		console_text_write(buf, len);
}

void efi_console_boot_services_gone(void)
{
	console_ntext_outputs = 0;
}

int plat_console_getc(void)
{
	EFI_INPUT_KEY key;

	if (!efi_bs)
		return console_has_uart ? uart_getc(&console_uart) : -EAGAIN;
	if (EFI_ERROR(efi_st->ConIn->ReadKeyStroke(efi_st->ConIn, &key)) || !key.UnicodeChar ||
	    key.UnicodeChar >= 0x80)
		return -EAGAIN;
	return key.UnicodeChar;
}
