// SPDX-License-Identifier: MIT
/*
 * The CLINT's registers (dev/clint.h). mtime and each mtimecmp may be accessed as a whole
 * doubleword or as either 32-bit half, as RV32 software does; msip is a 32-bit word whose bit 0
 * alone is writable. Reserved offsets read as zero and ignore writes.
 */
#include <stdbool.h>
#include <stdint.h>

#include "dev/clint.h"
#include "lib/errno.h"

int clint_init(struct clint *clint, unsigned nharts, const struct clint_ops *ops, void *ctx)
{
	if (nharts == 0 || nharts > CLINT_MAX_HARTS || !ops || !ops->read_timebase ||
	    !ops->set_line)
		return -EINVAL;
	*clint = (struct clint){ .ops = ops, .ctx = ctx, .nharts = nharts };
	spin_lock_init(&clint->lock);
	return 0;
}

uint64_t clint_mtime(const struct clint *clint)
{
	return clint->ops->read_timebase(clint->ctx) + clint->mtime_offset;
}

/* Called with the lock held. The line is driven even when steady: a hart's reset clears it. */
static void clint_update_hart(struct clint *clint, unsigned hart, uint64_t now)
{
	clint->ops->set_line(clint->ctx, hart, CLINT_TIMER, now >= clint->mtimecmp[hart]);
}

void clint_update(struct clint *clint)
{
	uint64_t now = clint_mtime(clint);

	spin_lock(&clint->lock);
	for (unsigned hart = 0; hart < clint->nharts; hart++)
		clint_update_hart(clint, hart, now);
	spin_unlock(&clint->lock);
}

/* A 4- or 8-byte access at offset into a 64-bit register: which bits it covers. */
static bool clint_field(uint64_t offset, unsigned size, unsigned *shift, uint64_t *mask)
{
	if (size == 8 && (offset & 7u) == 0) {
		*shift = 0;
		*mask = UINT64_MAX;
		return true;
	}
	if (size == 4 && (offset & 3u) == 0) {
		*shift = (offset & 4u) * 8;
		*mask = 0xffffffffull << *shift;
		return true;
	}
	return false;
}

static int clint_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	struct clint *clint = opaque;
	unsigned shift, hart;
	uint64_t mask, reg = 0;

	*value = 0;
	if (offset < CLINT_MTIMECMP_BASE) {
		hart = (unsigned)(offset / 4);
		if (size == 4 && (offset & 3u) == 0 && hart < clint->nharts)
			*value = __atomic_load_n(&clint->msip[hart], __ATOMIC_ACQUIRE);
		return 0;
	}
	if (!clint_field(offset, size, &shift, &mask))
		return 0;
	if (offset >= CLINT_MTIME) {
		reg = clint_mtime(clint);
	} else {
		hart = (unsigned)((offset - CLINT_MTIMECMP_BASE) / 8);
		if (hart >= clint->nharts)
			return 0;
		spin_lock(&clint->lock);
		reg = clint->mtimecmp[hart];
		spin_unlock(&clint->lock);
	}
	*value = (reg & mask) >> shift;
	return 0;
}

static int clint_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	struct clint *clint = opaque;
	unsigned shift, hart;
	uint64_t mask, now;

	if (offset < CLINT_MTIMECMP_BASE) {
		hart = (unsigned)(offset / 4);
		if (size != 4 || (offset & 3u) || hart >= clint->nharts)
			return 0;
		/* Under the lock, so that racing writers leave the line as the register ends. */
		spin_lock(&clint->lock);
		__atomic_store_n(&clint->msip[hart], (uint32_t)value & 1u, __ATOMIC_RELEASE);
		clint->ops->set_line(clint->ctx, hart, CLINT_SOFT, value & 1u);
		spin_unlock(&clint->lock);
		return 0;
	}
	if (!clint_field(offset, size, &shift, &mask))
		return 0;
	value = (value << shift) & mask;
	spin_lock(&clint->lock);
	now = clint_mtime(clint);
	if (offset >= CLINT_MTIME) {
		clint->mtime_offset += ((now & ~mask) | value) - now;
		now = clint_mtime(clint);
		for (hart = 0; hart < clint->nharts; hart++)
			clint_update_hart(clint, hart, now);
	} else {
		hart = (unsigned)((offset - CLINT_MTIMECMP_BASE) / 8);
		if (hart < clint->nharts) {
			clint->mtimecmp[hart] = (clint->mtimecmp[hart] & ~mask) | value;
			clint_update_hart(clint, hart, now);
		}
	}
	spin_unlock(&clint->lock);
	return 0;
}

const struct mmio_ops clint_mmio_ops = {
	.read = clint_read,
	.write = clint_write,
};
