// SPDX-License-Identifier: MIT
/*
 * The PLIC's gateways, its per-context arbitration and its registers (dev/plic.h). Every
 * register is a 32-bit word; other sizes, reserved offsets and contexts past the harts read as
 * zero and ignore writes, as QEMU's model does.
 */
#include <stdbool.h>
#include <stdint.h>

#include "dev/plic.h"
#include "lib/errno.h"

int plic_init(struct plic *plic, unsigned nharts, const struct plic_ops *ops, void *ctx)
{
	if (nharts == 0 || nharts > PLIC_MAX_HARTS || !ops || !ops->set_line)
		return -EINVAL;
	*plic = (struct plic){ .ops = ops, .ctx = ctx, .nharts = nharts };
	spin_lock_init(&plic->lock);
	return 0;
}

static bool plic_bit(const uint32_t *words, unsigned irq)
{
	return words[irq / 32] >> (irq % 32) & 1u;
}

static void plic_put_bit(uint32_t *words, unsigned irq, bool value)
{
	if (value)
		words[irq / 32] |= 1u << (irq % 32);
	else
		words[irq / 32] &= ~(1u << (irq % 32));
}

/*
 * The source context would take now: the pending, enabled one of highest priority above the
 * threshold, the lowest number among equals; 0 when none. Called with the lock held.
 */
static unsigned plic_best(const struct plic *plic, unsigned context)
{
	uint32_t best_priority = plic->threshold[context];
	unsigned best = 0;

	for (unsigned irq = 1; irq < PLIC_SOURCES; irq++) {
		if (!plic_bit(plic->pending, irq) || !plic_bit(plic->enable[context], irq))
			continue;
		if (plic->priority[irq] > best_priority) {
			best_priority = plic->priority[irq];
			best = irq;
		}
	}
	return best;
}

/* Drives every context's line that changed. Called with the lock held. */
static void plic_update(struct plic *plic)
{
	for (unsigned context = 0; context < 2 * plic->nharts; context++) {
		bool level = plic_best(plic, context) != 0;

		if (level == plic->output[context])
			continue;
		plic->output[context] = level;
		plic->ops->set_line(plic->ctx, context / 2, context % 2 ? PLIC_MODE_S : PLIC_MODE_M,
				    level);
	}
}

/* The gateway: a high line becomes pending unless its source is in service. Lock held. */
static void plic_gateway(struct plic *plic, unsigned irq)
{
	if (plic_bit(plic->level, irq) && !plic_bit(plic->claimed, irq))
		plic_put_bit(plic->pending, irq, true);
}

void plic_set_level(void *opaque, unsigned irq, bool level)
{
	struct plic *plic = opaque;

	if (irq == 0 || irq >= PLIC_SOURCES)
		return;
	spin_lock(&plic->lock);
	plic_put_bit(plic->level, irq, level);
	/* A level-triggered source that drops before it is claimed is no longer pending. */
	if (!level)
		plic_put_bit(plic->pending, irq, false);
	plic_gateway(plic, irq);
	plic_update(plic);
	spin_unlock(&plic->lock);
}

static uint32_t plic_claim(struct plic *plic, unsigned context)
{
	unsigned irq = plic_best(plic, context);

	if (irq) {
		plic_put_bit(plic->pending, irq, false);
		plic_put_bit(plic->claimed, irq, true);
	}
	return irq;
}

static void plic_complete(struct plic *plic, unsigned context, uint32_t irq)
{
	/* The specification ignores completions of sources the context has not enabled. */
	if (irq == 0 || irq >= PLIC_SOURCES || !plic_bit(plic->enable[context], irq))
		return;
	plic_put_bit(plic->claimed, irq, false);
	plic_gateway(plic, irq);
}

/*
 * One register, decoded: which array word it is, or the context and which of its registers.
 * Returns NULL for offsets that hold nothing.
 */
static uint32_t *plic_word(struct plic *plic, uint64_t offset, unsigned *context, bool *claim)
{
	*claim = false;
	if (offset < PLIC_PRIORITY_BASE + 4 * PLIC_SOURCES)
		return offset ? &plic->priority[offset / 4] : NULL;
	if (offset >= PLIC_PENDING_BASE && offset < PLIC_PENDING_BASE + 4 * PLIC_WORDS)
		return &plic->pending[(offset - PLIC_PENDING_BASE) / 4];
	if (offset >= PLIC_ENABLE_BASE && offset < PLIC_CONTEXT_BASE) {
		*context = (unsigned)((offset - PLIC_ENABLE_BASE) / PLIC_ENABLE_STRIDE);
		offset = (offset - PLIC_ENABLE_BASE) % PLIC_ENABLE_STRIDE;
		if (*context >= 2 * plic->nharts || offset >= 4 * PLIC_WORDS)
			return NULL;
		return &plic->enable[*context][offset / 4];
	}
	if (offset < PLIC_CONTEXT_BASE)
		return NULL;
	*context = (unsigned)((offset - PLIC_CONTEXT_BASE) / PLIC_CONTEXT_STRIDE);
	offset = (offset - PLIC_CONTEXT_BASE) % PLIC_CONTEXT_STRIDE;
	if (*context >= 2 * plic->nharts)
		return NULL;
	if (offset == PLIC_THRESHOLD)
		return &plic->threshold[*context];
	*claim = offset == PLIC_CLAIM;
	return *claim ? &plic->threshold[*context] : NULL;
}

static int plic_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	struct plic *plic = opaque;
	unsigned context = 0;
	uint32_t *word;
	bool claim;

	*value = 0;
	if (size != 4 || (offset & 3u))
		return 0;
	spin_lock(&plic->lock);
	word = plic_word(plic, offset, &context, &claim);
	if (claim) {
		*value = plic_claim(plic, context);
		plic_update(plic);
	} else if (word) {
		*value = *word;
	}
	spin_unlock(&plic->lock);
	return 0;
}

static int plic_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	struct plic *plic = opaque;
	unsigned context = 0;
	uint32_t *word;
	bool claim;

	if (size != 4 || (offset & 3u))
		return 0;
	spin_lock(&plic->lock);
	word = plic_word(plic, offset, &context, &claim);
	if (claim) {
		plic_complete(plic, context, (uint32_t)value);
	} else if (offset < PLIC_PENDING_BASE || word == &plic->threshold[context]) {
		if (word)
			*word = (uint32_t)value & PLIC_PRIORITY_MAX;
	} else if (word && offset >= PLIC_ENABLE_BASE) {
		/* Source 0 does not exist: its enable bit stays clear. */
		*word = (uint32_t)value & (word == plic->enable[context] ? ~1u : ~0u);
	}
	/* Pending bits are the gateways' alone: writes to them are ignored. */
	plic_update(plic);
	spin_unlock(&plic->lock);
	return 0;
}

const struct mmio_ops plic_mmio_ops = {
	.read = plic_read,
	.write = plic_write,
};
