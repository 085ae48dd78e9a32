# uefi/: the UEFI entry and the bare-metal platform shared by every host ISA (layer 7).
efi-y += uefi/efi_main.o
efi-y += uefi/console.o
efi-y += uefi/file.o
efi-y += uefi/plat_uefi.o
efi-y += uefi/tables.o
efi-y += uefi/uart.o
efi-y += uefi/uart_find.o
efi-y += uefi/uart16550.o
efi-y += uefi/pl011.o
