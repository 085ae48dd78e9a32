/* SPDX-License-Identifier: MIT */
/*
 * Split virtqueues (VirtIO 1.2, 2.7), seen from the device. The descriptor table, the available
 * ring and the used ring live in guest memory and are reached only through mmu/gpa.h, so a
 * hostile driver can make a queue fail but never make the host touch memory outside guest RAM.
 *
 * A device pops a chain into a struct virtq_req: its readable segments, then its writable ones,
 * each a checked guest-physical range. Every rule the specification gives the driver is checked
 * at pop time; a chain that breaks one makes virtq_pop fail, and the device then stops the queue
 * by asking for a reset (DEVICE_NEEDS_RESET), as the specification allows.
 */
#ifndef PV_VIRTIO_VIRTQUEUE_H
#define PV_VIRTIO_VIRTQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gpa_space;

#define VIRTQ_DESC_F_NEXT 1u
#define VIRTQ_DESC_F_WRITE 2u
#define VIRTQ_DESC_F_INDIRECT 4u

#define VIRTQ_AVAIL_F_NO_INTERRUPT 1u

/*
 * The largest queue a device offers (a power of two). A chain, indirect or not, may not be longer
 * than its queue, so this also bounds the segments of one request.
 */
#define VIRTQ_SIZE_MAX 256u

struct virtq {
	struct gpa_space *gpa;
	/* Set by the driver through the transport while the queue is not ready. */
	uint16_t size;
	bool ready;
	uint64_t desc; /* descriptor table: size * 16 bytes, 16-byte aligned */
	uint64_t avail; /* driver area: flags, idx, ring[size], used_event */
	uint64_t used; /* device area: flags, idx, ring[size] of {id, len}, avail_event */
	/* Negotiated VIRTIO_F_EVENT_IDX: used_event/avail_event replace the flags. */
	bool event_idx;
	/* The device's side of the rings. */
	uint16_t last_avail; /* next available entry to pop */
	uint16_t used_idx; /* next used entry to fill */
	uint16_t signalled_used; /* used_idx when the driver was last interrupted */
};

/* One guest-physical range of a chain, inside guest RAM. */
struct virtq_seg {
	uint64_t addr;
	uint32_t len;
};

/* A popped chain: seg[0..nread) readable by the device, seg[nread..nread + nwrite) writable. */
struct virtq_req {
	uint16_t head;
	unsigned nread;
	unsigned nwrite;
	uint64_t read_len; /* bytes in the readable segments */
	uint64_t write_len; /* bytes in the writable segments */
	struct virtq_seg seg[VIRTQ_SIZE_MAX];
};

/* Back to the state after a device reset: not ready, no rings, indices at 0. */
void virtq_reset(struct virtq *q, struct gpa_space *gpa);

/*
 * Checks the ring addresses the driver gave before it sets the queue ready: a power-of-two size up
 * to VIRTQ_SIZE_MAX, each area aligned as the specification requires and inside guest RAM.
 * Returns 0 or -EINVAL.
 */
int virtq_validate(const struct virtq *q);

/*
 * Pops the next available chain into req. Returns 1 when it did, 0 when the ring is empty, and
 * -EINVAL or -EFAULT when the driver broke a rule (ring index jumping past the queue size, head
 * out of range, a descriptor outside guest RAM or wrapping, a chain longer than the queue or
 * looping, a readable descriptor after a writable one, a bad or nested indirect table): the
 * queue is then unusable until the device is reset.
 */
int virtq_pop(struct virtq *q, struct virtq_req *req);

/*
 * How many chains the driver has made available and the device not popped yet: 0 for a queue not
 * ready, -EINVAL when avail->idx ran more than the queue size ahead, -EFAULT.
 */
int virtq_pending(struct virtq *q);

/* Gives back the last n popped chains, untouched, for a device that could not use them yet. */
void virtq_unpop(struct virtq *q, unsigned n);

/*
 * Fills used entry number n past the last published one with the chain head and the bytes the
 * device wrote into it; virtq_flush publishes count filled entries at once, so a driver never
 * sees a partial multi-buffer packet. virtq_push is both for one chain.
 */
int virtq_fill(struct virtq *q, unsigned n, uint16_t head, uint32_t len);
int virtq_flush(struct virtq *q, unsigned count);
int virtq_push(struct virtq *q, uint16_t head, uint32_t len);

/*
 * Whether the driver wants an interrupt for the entries published since the last time this
 * returned true (VIRTQ_AVAIL_F_NO_INTERRUPT, or used_event under VIRTIO_F_EVENT_IDX).
 */
bool virtq_need_interrupt(struct virtq *q);

/*
 * Copies between a request's segments and buf, starting offset bytes into the readable (from) or
 * writable (to) part. Returns the bytes copied (short at the end of the segments) or -EFAULT.
 */
int64_t virtq_req_copy_from(const struct virtq *q, const struct virtq_req *req, uint64_t offset,
			    void *buf, uint64_t len);
int64_t virtq_req_copy_to(struct virtq *q, const struct virtq_req *req, uint64_t offset,
			  const void *buf, uint64_t len);

#endif
