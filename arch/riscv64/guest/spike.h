/* SPDX-License-Identifier: MIT */
/*
 * The spike board (spike.c): what the official RISC-V tests and bare programs expect of Spike,
 * the reference simulator. RAM at 0x80000000 and HTIF through the program's tohost/fromhost
 * words.
 */
#ifndef PV_ARCH_RISCV64_GUEST_SPIKE_H
#define PV_ARCH_RISCV64_GUEST_SPIKE_H

#include <stdint.h>

#include "kernel/board.h"
#include "kernel/vm.h"

#define RV_SPIKE_RAM_BASE 0x80000000ull
/* Spike's and QEMU's timebase for the time CSR: 10 MHz. */
#define RV_SPIKE_TIMEBASE_HZ 10000000ull

extern const struct board_ops rv_spike_board;

/*
 * What the program reported through HTIF's exit command, once its harts stopped with
 * VM_EXIT_SHUTDOWN: 0 and *code = 0 for a pass, or the failing test number (the riscv-tests
 * convention writes (n << 1) | 1). Returns -EAGAIN while the program has not reported.
 */
int rv_spike_exit_code(const struct vm *vm, uint64_t *code);

#endif
