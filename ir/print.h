/* SPDX-License-Identifier: MIT */
/* The IR printer: one line per op, for `polyrun -d ir` and for test failures. */
#ifndef PV_IR_PRINT_H
#define PV_IR_PRINT_H

#include "ir/ir.h"
#include "lib/fmt.h"

/*
 * Prints block to sink: a header with its guest PC, then lines such as
 *   "  t3:i64 = add t1, t2" and "  set x5, t3" (state offsets named by the guest's state_name).
 */
void ir_print(const struct ir_block *block, fmt_sink_fn sink, void *ctx);

/* One op, without the indentation or newline, into buf (always NUL-terminated). */
void ir_print_op(const struct ir_block *block, const struct ir_op *op, char *buf, size_t len);

#endif
