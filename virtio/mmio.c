// SPDX-License-Identifier: MIT
/*
 * virtio-mmio version 2 (VirtIO 1.2, 4.2.2): the register map as a table of accessors over the
 * transport-independent struct virtio_dev. Registers take aligned 32-bit accesses only (others
 * fault); the configuration space from 0x100 takes any access the bus delivers, 1 to 8 bytes.
 */
#include <string.h>

#include "lib/compiler.h"
#include "lib/errno.h"
#include "mmu/gpa.h"
#include "virtio/mmio.h"

#define REG_QUEUE_NOTIFY 0x050u
#define REG_CONFIG 0x100u

static struct virtq *selected_queue(struct virtio_mmio *m)
{
	return m->queue_sel < m->dev->nqueues ? &m->dev->vq[m->queue_sel] : NULL;
}

static void update_irq(struct virtio_mmio *m)
{
	irq_line_set(&m->irq, m->interrupt_status != 0);
}

static void mmio_interrupt(void *transport, uint32_t causes)
{
	struct virtio_mmio *m = transport;

	m->interrupt_status |= causes;
	update_irq(m);
}

/* ---- registers: readers -------------------------------------------------------------------- */

static uint32_t rd_magic(struct virtio_mmio *m)
{
	return VIRTIO_MMIO_MAGIC;
}

static uint32_t rd_version(struct virtio_mmio *m)
{
	return VIRTIO_MMIO_VERSION;
}

static uint32_t rd_device_id(struct virtio_mmio *m)
{
	return m->dev->ops->device_id;
}

static uint32_t rd_vendor_id(struct virtio_mmio *m)
{
	return VIRTIO_MMIO_VENDOR;
}

static uint32_t rd_device_features(struct virtio_mmio *m)
{
	return m->device_features_sel < 2 ?
		       (uint32_t)(m->dev->features >> (32 * m->device_features_sel)) :
		       0;
}

static uint32_t rd_queue_num_max(struct virtio_mmio *m)
{
	return selected_queue(m) ? VIRTQ_SIZE_MAX : 0;
}

static uint32_t rd_queue_ready(struct virtio_mmio *m)
{
	struct virtq *q = selected_queue(m);

	return q && q->ready;
}

static uint32_t rd_interrupt_status(struct virtio_mmio *m)
{
	return m->interrupt_status;
}

static uint32_t rd_status(struct virtio_mmio *m)
{
	return virtio_dev_get_status(m->dev);
}

static uint32_t rd_config_generation(struct virtio_mmio *m)
{
	return m->dev->config_generation;
}

/* ---- registers: writers -------------------------------------------------------------------- */

static void wr_device_features_sel(struct virtio_mmio *m, uint32_t v)
{
	m->device_features_sel = v;
}

static void wr_driver_features(struct virtio_mmio *m, uint32_t v)
{
	unsigned shift;

	/* Features are fixed once FEATURES_OK is set (3.1.1). */
	if (m->driver_features_sel >= 2 || (m->dev->status & VIRTIO_STATUS_FEATURES_OK))
		return;
	shift = 32 * m->driver_features_sel;
	m->dev->driver_features &= ~(0xffffffffull << shift);
	m->dev->driver_features |= (uint64_t)v << shift;
}

static void wr_driver_features_sel(struct virtio_mmio *m, uint32_t v)
{
	m->driver_features_sel = v;
}

static void wr_queue_sel(struct virtio_mmio *m, uint32_t v)
{
	m->queue_sel = v;
}

/* The queue the driver may still configure: selected, existing and not yet ready. */
static struct virtq *configurable_queue(struct virtio_mmio *m)
{
	struct virtq *q = selected_queue(m);

	return q && !q->ready ? q : NULL;
}

static void wr_queue_num(struct virtio_mmio *m, uint32_t v)
{
	struct virtq *q = configurable_queue(m);

	/* virtq_validate refuses a bad size when the queue is made ready. */
	if (q)
		q->size = v > VIRTQ_SIZE_MAX ? 0 : (uint16_t)v;
}

static void wr_queue_ready(struct virtio_mmio *m, uint32_t v)
{
	struct virtq *q = selected_queue(m);

	if (!q)
		return;
	if (v & 1) {
		if (!q->ready)
			virtio_dev_queue_enable(m->dev, m->queue_sel);
	} else {
		q->ready = false;
	}
}

static void wr_interrupt_ack(struct virtio_mmio *m, uint32_t v)
{
	m->interrupt_status &= ~v;
	update_irq(m);
}

static void wr_status(struct virtio_mmio *m, uint32_t v)
{
	virtio_dev_set_status(m->dev, (uint8_t)v);
	if (v == 0) {
		m->device_features_sel = m->driver_features_sel = m->queue_sel = 0;
		m->interrupt_status = 0;
		update_irq(m);
	}
}

/* Writes one 32-bit half of a 64-bit queue address, selected by the register's offset. */
static void set_half(uint64_t *addr, unsigned high, uint32_t v)
{
	unsigned shift = high ? 32 : 0;

	*addr = (*addr & ~(0xffffffffull << shift)) | (uint64_t)v << shift;
}

#define QUEUE_ADDR_WRITER(name, field, high)                \
	static void name(struct virtio_mmio *m, uint32_t v) \
	{                                                   \
		struct virtq *q = configurable_queue(m);    \
                                                            \
		if (q)                                      \
			set_half(&q->field, high, v);       \
	}
QUEUE_ADDR_WRITER(wr_queue_desc_low, desc, 0)
QUEUE_ADDR_WRITER(wr_queue_desc_high, desc, 1)
QUEUE_ADDR_WRITER(wr_queue_driver_low, avail, 0)
QUEUE_ADDR_WRITER(wr_queue_driver_high, avail, 1)
QUEUE_ADDR_WRITER(wr_queue_device_low, used, 0)
QUEUE_ADDR_WRITER(wr_queue_device_high, used, 1)

struct mmio_reg {
	uint32_t offset;
	uint32_t (*read)(struct virtio_mmio *m);
	void (*write)(struct virtio_mmio *m, uint32_t value);
};

/* 4.2.2: every register below the configuration space. QueueNotify is handled apart, unlocked. */
static const struct mmio_reg mmio_regs[] = {
	{ 0x000, rd_magic, NULL },
	{ 0x004, rd_version, NULL },
	{ 0x008, rd_device_id, NULL },
	{ 0x00c, rd_vendor_id, NULL },
	{ 0x010, rd_device_features, NULL },
	{ 0x014, NULL, wr_device_features_sel },
	{ 0x020, NULL, wr_driver_features },
	{ 0x024, NULL, wr_driver_features_sel },
	{ 0x030, NULL, wr_queue_sel },
	{ 0x034, rd_queue_num_max, NULL },
	{ 0x038, NULL, wr_queue_num },
	{ 0x044, rd_queue_ready, wr_queue_ready },
	{ 0x060, rd_interrupt_status, NULL },
	{ 0x064, NULL, wr_interrupt_ack },
	{ 0x070, rd_status, wr_status },
	{ 0x080, NULL, wr_queue_desc_low },
	{ 0x084, NULL, wr_queue_desc_high },
	{ 0x090, NULL, wr_queue_driver_low },
	{ 0x094, NULL, wr_queue_driver_high },
	{ 0x0a0, NULL, wr_queue_device_low },
	{ 0x0a4, NULL, wr_queue_device_high },
	{ 0x0fc, rd_config_generation, NULL },
};

static const struct mmio_reg *find_reg(uint64_t offset)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mmio_regs); i++)
		if (mmio_regs[i].offset == offset)
			return &mmio_regs[i];
	return NULL;
}

/* Config space: bytes past the device's config_size read as zero and ignore writes. */
static int config_access(struct virtio_mmio *m, uint32_t offset, unsigned size, uint64_t *value,
			 bool write)
{
	uint8_t buf[8] = { 0 };
	const struct virtio_device_ops *ops = m->dev->ops;
	unsigned i;

	if (offset >= ops->config_size || size > ops->config_size - offset) {
		if (!write)
			*value = 0;
		return 0;
	}
	if (write) {
		for (i = 0; i < size; i++)
			buf[i] = (uint8_t)(*value >> (8 * i));
		if (ops->config_write)
			ops->config_write(m->dev, offset, buf, size);
		return 0;
	}
	ops->config_read(m->dev, offset, buf, size);
	*value = 0;
	for (i = 0; i < size; i++)
		*value |= (uint64_t)buf[i] << (8 * i);
	return 0;
}

static int virtio_mmio_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	struct virtio_mmio *m = opaque;
	const struct mmio_reg *reg;
	int rc = 0;

	if (!m->dev) {
		/* An empty slot: the magic and version, so the driver reads DeviceID 0 and stops. */
		*value = offset == 0 ? VIRTIO_MMIO_MAGIC : offset == 4 ? VIRTIO_MMIO_VERSION : 0;
		return 0;
	}
	spin_lock(&m->dev->lock);
	if (offset >= REG_CONFIG) {
		rc = config_access(m, (uint32_t)(offset - REG_CONFIG), size, value, false);
	} else if (size != 4 || (offset & 3)) {
		rc = -EINVAL;
	} else {
		reg = find_reg(offset);
		*value = reg && reg->read ? reg->read(m) : 0;
	}
	spin_unlock(&m->dev->lock);
	return rc;
}

static int virtio_mmio_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	struct virtio_mmio *m = opaque;
	const struct mmio_reg *reg;
	int rc = 0;

	if (!m->dev)
		return 0;
	if (offset < REG_CONFIG && (size != 4 || (offset & 3)))
		return -EINVAL;
	if (offset == REG_QUEUE_NOTIFY) {
		/* The device locks itself: a NIC must drop the lock to reach its backend. */
		if (value < m->dev->nqueues)
			m->dev->ops->queue_notify(m->dev, (unsigned)value);
		return 0;
	}
	spin_lock(&m->dev->lock);
	if (offset >= REG_CONFIG) {
		rc = config_access(m, (uint32_t)(offset - REG_CONFIG), size, &value, true);
	} else {
		reg = find_reg(offset);
		if (reg && reg->write)
			reg->write(m, (uint32_t)value);
	}
	spin_unlock(&m->dev->lock);
	return rc;
}

const struct mmio_ops virtio_mmio_ops = { virtio_mmio_read, virtio_mmio_write };

void virtio_mmio_init(struct virtio_mmio *mmio, struct virtio_dev *dev, const struct irq_line *irq)
{
	memset(mmio, 0, sizeof(*mmio));
	mmio->dev = dev;
	if (irq)
		mmio->irq = *irq;
	if (dev)
		virtio_dev_attach(dev, mmio_interrupt, mmio);
}

int virtio_mmio_map(struct virtio_mmio *mmio, struct gpa_space *space, uint64_t base,
		    const char *name)
{
	return gpa_add_mmio(space, base, VIRTIO_MMIO_SIZE, &virtio_mmio_ops, mmio, name);
}
