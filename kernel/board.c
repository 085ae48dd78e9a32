// SPDX-License-Identifier: MIT
/* The board registry (see kernel/board.h). */
#include <stddef.h>
#include <string.h>

#include "kernel/board.h"
#include "lib/errno.h"

static const struct board_ops *boards[BOARD_MAX];
static unsigned nboards;

int board_register(const struct board_ops *ops)
{
	if (!ops->name || ops->isa == VM_ISA_NONE || !ops->create || !ops->destroy)
		return -EINVAL;
	if (board_find(ops->isa, ops->name))
		return -EEXIST;
	if (nboards == BOARD_MAX)
		return -ENOSPC;
	boards[nboards++] = ops;
	return 0;
}

void board_unregister(const struct board_ops *ops)
{
	unsigned i;

	for (i = 0; i < nboards; i++) {
		if (boards[i] == ops) {
			boards[i] = boards[--nboards];
			return;
		}
	}
}

const struct board_ops *board_find(enum vm_isa isa, const char *name)
{
	unsigned i;

	for (i = 0; i < nboards; i++) {
		if (boards[i]->isa == isa && strcmp(boards[i]->name, name) == 0)
			return boards[i];
	}
	return NULL;
}

int board_isa_by_name(const char *name, enum vm_isa *out)
{
	enum vm_isa found = VM_ISA_NONE;
	unsigned i;

	for (i = 0; i < nboards; i++) {
		if (strcmp(boards[i]->name, name) != 0)
			continue;
		if (found != VM_ISA_NONE && found != boards[i]->isa)
			return -EEXIST;
		found = boards[i]->isa;
	}
	if (found == VM_ISA_NONE)
		return -ENOENT;
	*out = found;
	return 0;
}
