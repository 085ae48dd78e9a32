/* SPDX-License-Identifier: MIT */
/*
 * The IR verifier: checks a block against every rule ir/ir.h states before a backend runs it, so
 * a frontend bug becomes a message naming the op instead of wrong guest behaviour.
 */
#ifndef PV_IR_VERIFY_H
#define PV_IR_VERIFY_H

#include <stddef.h>

#include "ir/ir.h"

/*
 * Returns 0 when block is well formed, or -EINVAL with msg (of len bytes, NUL-terminated) saying
 * what is wrong and where: "op 7 (add): t12 used before it is defined".
 */
int ir_verify(const struct ir_block *block, char *msg, size_t len);

#endif
