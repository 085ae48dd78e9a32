/* SPDX-License-Identifier: MIT */
/*
 * The riscv64 virt board (virt.c): QEMU's `-M virt` memory map, devices and device tree, so that
 * kernels, firmware and habits made for QEMU carry over.
 *
 *	0x00001000  boot ROM holding OpenSBI's struct fw_dynamic_info
 *	0x00100000  SiFive test finisher (poweroff, reboot)
 *	0x00101000  goldfish RTC, PLIC source 11
 *	0x02000000  CLINT
 *	0x0c000000  PLIC, M and S contexts per hart
 *	0x10000000  ns16550a UART, source 10
 *	0x10001000  eight virtio-mmio slots 0x1000 apart, sources 1..8
 *	0x80000000  RAM
 */
#ifndef PV_ARCH_RISCV64_GUEST_VIRT_H
#define PV_ARCH_RISCV64_GUEST_VIRT_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/board.h"
#include "kernel/vm.h"

#define RV_VIRT_ROM_BASE 0x1000ull
#define RV_VIRT_TEST_BASE 0x100000ull
#define RV_VIRT_RTC_BASE 0x101000ull
#define RV_VIRT_CLINT_BASE 0x2000000ull
#define RV_VIRT_PLIC_BASE 0xc000000ull
#define RV_VIRT_UART_BASE 0x10000000ull
#define RV_VIRT_VIRTIO_BASE 0x10001000ull
#define RV_VIRT_VIRTIO_STRIDE 0x1000ull
#define RV_VIRT_VIRTIO_SLOTS 8u
#define RV_VIRT_RAM_BASE 0x80000000ull

#define RV_VIRT_UART_IRQ 10u
#define RV_VIRT_RTC_IRQ 11u
#define RV_VIRT_VIRTIO_IRQ 1u /* slot i raises source RV_VIRT_VIRTIO_IRQ + i */

#define RV_VIRT_TIMEBASE_HZ 10000000ull

/* OpenSBI's fw_dynamic hand-over (docs/firmware/fw_dynamic.md): version 2 names the boot hart. */
#define RV_FW_DYNAMIC_MAGIC 0x4942534full /* "OSBI" */
#define RV_FW_DYNAMIC_VERSION 2u
#define RV_FW_DYNAMIC_NEXT_MODE_S 1u

extern const struct board_ops rv_virt_board;

/*
 * The device tree the harts were given (the built one, or -dtb's): what `-M virt,dumpdtb=FILE`
 * writes. Returns 0 with *dtb and *size pointing into the board, or -ENOENT for a VM that is
 * not a virt VM.
 */
int rv_virt_dtb(const struct vm *vm, const void **dtb, size_t *size);

#endif
