/* SPDX-License-Identifier: MIT */
/*
 * An interrupt line from a device model (dev/, virtio/) to its board's interrupt controller
 * (PLIC, GIC, IOAPIC). The board hands each device a line when it builds the machine, so a
 * device never knows which controller, or which ISA, it is wired to.
 */
#ifndef PV_KERNEL_IRQ_H
#define PV_KERNEL_IRQ_H

#include <stdbool.h>
#include <stddef.h>

struct irq_line {
	/* Level-triggered: the controller samples the level; devices keep it up while pending. */
	void (*set_level)(void *controller, unsigned irq, bool level);
	void *controller;
	unsigned irq;
};

/* Drives the line; a device built without one (set_level NULL) simply has no interrupt. */
static inline void irq_line_set(const struct irq_line *line, bool level)
{
	if (line->set_level)
		line->set_level(line->controller, line->irq, level);
}

#endif
