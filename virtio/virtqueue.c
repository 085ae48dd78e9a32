// SPDX-License-Identifier: MIT
/*
 * Split virtqueues from the device side (VirtIO 1.2, 2.7). Every ring and descriptor is read with
 * gpa_read and every result written with gpa_write: a driver that moves its rings or rewrites a
 * descriptor while the device reads it gets a failed request, never a host access outside RAM.
 * The rings are little-endian; so are all hosts Polyvisor runs on, but the fields are still
 * assembled byte by byte so the layout is explicit.
 */
#include <stdatomic.h>
#include <string.h>

#include "lib/errno.h"
#include "mmu/gpa.h"
#include "virtio/virtqueue.h"

#define VIRTQ_DESC_BYTES 16u
#define VIRTQ_USED_ELEM_BYTES 8u

/* Offsets in the driver area (avail) and device area (used). */
#define AVAIL_FLAGS 0u
#define AVAIL_IDX 2u
#define AVAIL_RING 4u
#define USED_IDX 2u
#define USED_RING 4u

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

static int read16(const struct virtq *q, uint64_t addr, uint16_t *out)
{
	uint8_t b[2];
	int rc = gpa_read(q->gpa, addr, b, sizeof(b));

	if (rc == 0)
		*out = le16(b);
	return rc;
}

static int write16(struct virtq *q, uint64_t addr, uint16_t value)
{
	uint8_t b[2];

	put_le16(b, value);
	return gpa_write(q->gpa, addr, b, sizeof(b));
}

void virtq_reset(struct virtq *q, struct gpa_space *gpa)
{
	memset(q, 0, sizeof(*q));
	q->gpa = gpa;
}

/* Whether [addr, addr + len) is guest RAM (not ROM: the device may write there). */
static bool range_in_ram(const struct virtq *q, uint64_t addr, uint64_t len)
{
	if (len == 0 || addr + len < addr)
		return false;
	return gpa_ram_ptr(q->gpa, addr, len) != NULL;
}

int virtq_validate(const struct virtq *q)
{
	uint64_t n = q->size;

	if (n == 0 || n > VIRTQ_SIZE_MAX || (n & (n - 1)) != 0)
		return -EINVAL;
	/* Alignments of 2.7 (Virtqueue Alignment): 16 for descriptors, 2 and 4 for the rings. */
	if ((q->desc & 15) || (q->avail & 1) || (q->used & 3))
		return -EINVAL;
	if (!range_in_ram(q, q->desc, n * VIRTQ_DESC_BYTES) ||
	    !range_in_ram(q, q->avail, AVAIL_RING + 2 * n + 2) ||
	    !range_in_ram(q, q->used, USED_RING + VIRTQ_USED_ELEM_BYTES * n + 2))
		return -EINVAL;
	return 0;
}

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

static int read_desc(const struct virtq *q, uint64_t table, uint32_t index, struct virtq_desc *d)
{
	uint8_t b[VIRTQ_DESC_BYTES];
	int rc = gpa_read(q->gpa, table + (uint64_t)index * VIRTQ_DESC_BYTES, b, sizeof(b));

	if (rc)
		return rc;
	d->addr = le32(b) | (uint64_t)le32(b + 4) << 32;
	d->len = le32(b + 8);
	d->flags = le16(b + 12);
	d->next = le16(b + 14);
	return 0;
}

static int add_segment(const struct virtq *q, struct virtq_req *req, const struct virtq_desc *d)
{
	bool writable = d->flags & VIRTQ_DESC_F_WRITE;
	struct virtq_seg *seg;

	/* 2.7.4.2: all device-readable descriptors come before the device-writable ones. */
	if (!writable && req->nwrite)
		return -EINVAL;
	/* A zero-length buffer carries nothing; it still counted against the chain length. */
	if (d->len == 0)
		return 0;
	if (!range_in_ram(q, d->addr, d->len))
		return -EFAULT;
	seg = &req->seg[req->nread + req->nwrite];
	seg->addr = d->addr;
	seg->len = d->len;
	if (writable) {
		req->nwrite++;
		req->write_len += d->len;
	} else {
		req->nread++;
		req->read_len += d->len;
	}
	return 0;
}

/*
 * Follows a chain through a table of count descriptors from index. *total counts descriptors
 * over the direct and indirect parts together: a chain longer than the queue, which is also what
 * a loop becomes, fails, and it bounds req->seg.
 */
static int walk_chain(const struct virtq *q, struct virtq_req *req, uint64_t table, uint32_t count,
		      uint32_t index, bool indirect_allowed, unsigned *total)
{
	struct virtq_desc d;
	int rc;

	for (;;) {
		if (index >= count || ++*total > q->size)
			return -EINVAL;
		rc = read_desc(q, table, index, &d);
		if (rc)
			return rc;
		if (d.flags & VIRTQ_DESC_F_INDIRECT) {
			/* 2.7.5.3.1: no nested tables, no NEXT beside INDIRECT, whole entries. */
			if (!indirect_allowed || (d.flags & VIRTQ_DESC_F_NEXT) || d.len == 0 ||
			    d.len % VIRTQ_DESC_BYTES != 0 || d.len / VIRTQ_DESC_BYTES > q->size)
				return -EINVAL;
			if (!range_in_ram(q, d.addr, d.len))
				return -EFAULT;
			/* The indirect descriptor itself is not part of the chain's length. */
			--*total;
			return walk_chain(q, req, d.addr, d.len / VIRTQ_DESC_BYTES, 0, false,
					  total);
		}
		rc = add_segment(q, req, &d);
		if (rc)
			return rc;
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			return 0;
		index = d.next;
	}
}

int virtq_pending(struct virtq *q)
{
	uint16_t idx, pending;
	int rc;

	if (!q->ready)
		return 0;
	rc = read16(q, q->avail + AVAIL_IDX, &idx);
	if (rc)
		return rc;
	pending = (uint16_t)(idx - q->last_avail);
	return pending > q->size ? -EINVAL : pending;
}

/* Asks for a notification once the driver makes entry last_avail available (avail_event). */
static int publish_avail_event(struct virtq *q)
{
	return write16(q, q->used + USED_RING + (uint64_t)VIRTQ_USED_ELEM_BYTES * q->size,
		       q->last_avail);
}

int virtq_pop(struct virtq *q, struct virtq_req *req)
{
	unsigned total = 0;
	uint16_t head;
	int pending, rc;

	pending = virtq_pending(q);
	if (pending == 0 && q->event_idx) {
		/*
		 * The driver checks avail_event after publishing: store ours, then look again, so an
		 * entry published between the two reads is not left waiting for a notification.
		 */
		rc = publish_avail_event(q);
		if (rc)
			return rc;
		atomic_thread_fence(memory_order_seq_cst);
		pending = virtq_pending(q);
	}
	if (pending <= 0)
		return pending;
	/* The ring entry and the descriptors were written before avail->idx. */
	atomic_thread_fence(memory_order_acquire);
	rc = read16(q, q->avail + AVAIL_RING + 2u * (q->last_avail % q->size), &head);
	if (rc)
		return rc;
	if (head >= q->size)
		return -EINVAL;
	req->head = head;
	req->nread = req->nwrite = 0;
	req->read_len = req->write_len = 0;
	rc = walk_chain(q, req, q->desc, q->size, head, true, &total);
	if (rc)
		return rc;
	q->last_avail++;
	if (q->event_idx) {
		rc = publish_avail_event(q);
		if (rc)
			return rc;
	}
	return 1;
}

void virtq_unpop(struct virtq *q, unsigned n)
{
	q->last_avail = (uint16_t)(q->last_avail - n);
}

int virtq_fill(struct virtq *q, unsigned n, uint16_t head, uint32_t len)
{
	uint8_t b[VIRTQ_USED_ELEM_BYTES];
	uint16_t slot = (uint16_t)(q->used_idx + n) % q->size;

	put_le32(b, head);
	put_le32(b + 4, len);
	return gpa_write(q->gpa, q->used + USED_RING + (uint64_t)slot * VIRTQ_USED_ELEM_BYTES, b,
			 sizeof(b));
}

int virtq_flush(struct virtq *q, unsigned count)
{
	/* The entries must be visible before the index that publishes them. */
	atomic_thread_fence(memory_order_release);
	q->used_idx = (uint16_t)(q->used_idx + count);
	return write16(q, q->used + USED_IDX, q->used_idx);
}

int virtq_push(struct virtq *q, uint16_t head, uint32_t len)
{
	int rc = virtq_fill(q, 0, head, len);

	return rc ? rc : virtq_flush(q, 1);
}

bool virtq_need_interrupt(struct virtq *q)
{
	uint16_t old = q->signalled_used, now = q->used_idx, event, flags;

	if (old == now)
		return false;
	q->signalled_used = now;
	/* used->idx must be visible before the driver's suppression state is read. */
	atomic_thread_fence(memory_order_seq_cst);
	if (q->event_idx) {
		/* A ring we cannot read any more still gets its interrupt: the driver decides. */
		if (read16(q, q->avail + AVAIL_RING + 2u * q->size, &event))
			return true;
		/* 2.7.10: interrupt when used_event lies in the entries published since old. */
		return (uint16_t)(now - event - 1) < (uint16_t)(now - old);
	}
	if (read16(q, q->avail + AVAIL_FLAGS, &flags))
		return true;
	return !(flags & VIRTQ_AVAIL_F_NO_INTERRUPT);
}

/*
 * Copies between segs[0..n), from byte offset on, and host memory: into `in` from the guest when
 * it is set, else from `out` to the guest. Returns the bytes moved or -EFAULT.
 */
static int64_t copy_segments(struct gpa_space *gpa, const struct virtq_seg *segs, unsigned n,
			     uint64_t offset, uint8_t *in, const uint8_t *out, uint64_t len)
{
	uint64_t done = 0;
	unsigned i;

	for (i = 0; i < n && done < len; i++) {
		uint64_t chunk;
		int rc;

		if (offset >= segs[i].len) {
			offset -= segs[i].len;
			continue;
		}
		chunk = segs[i].len - offset;
		if (chunk > len - done)
			chunk = len - done;
		rc = in ? gpa_read(gpa, segs[i].addr + offset, in + done, chunk) :
			  gpa_write(gpa, segs[i].addr + offset, out + done, chunk);
		if (rc)
			return rc;
		done += chunk;
		offset = 0;
	}
	return (int64_t)done;
}

int64_t virtq_req_copy_from(const struct virtq *q, const struct virtq_req *req, uint64_t offset,
			    void *buf, uint64_t len)
{
	return copy_segments(q->gpa, req->seg, req->nread, offset, buf, NULL, len);
}

int64_t virtq_req_copy_to(struct virtq *q, const struct virtq_req *req, uint64_t offset,
			  const void *buf, uint64_t len)
{
	return copy_segments(q->gpa, req->seg + req->nread, req->nwrite, offset, NULL, buf, len);
}
