// SPDX-License-Identifier: MIT
/*
 * virtio-blk: each request is a 16-byte header (type, reserved, sector) and any data in the
 * readable part of the chain, any data and a status byte in the writable part (5.2.6). The layout
 * across descriptors is free (2.7.4.3), so header, data and status are found by byte offset.
 * Data moves between the file and guest memory through a bounce buffer: guest memory is reached
 * only through the checked copies of virtqueue.c.
 */
#include <string.h>

#include "lib/compiler.h"
#include "lib/errno.h"
#include "lib/plat.h"
#include "virtio/blk.h"

#define BLK_HEADER_BYTES 16u
#define BLK_RANGE_BYTES 16u
#define BLK_BOUNCE_BYTES (64u * 1024u)

/* Config space offsets (5.2.4). */
#define CFG_CAPACITY 0u
#define CFG_SEG_MAX 12u
#define CFG_MAX_DISCARD_SECTORS 36u
#define CFG_MAX_DISCARD_SEG 40u
#define CFG_DISCARD_SECTOR_ALIGNMENT 44u
#define CFG_MAX_WRITE_ZEROES_SECTORS 48u
#define CFG_MAX_WRITE_ZEROES_SEG 52u

struct blk_io {
	struct virtio_blk *blk;
	struct virtq *q;
	const struct virtq_req *req;
	uint64_t sector;
	uint32_t written; /* bytes written into the chain's data part */
};

/* Whether count sectors from sector lie on the disk. */
static bool sectors_valid(const struct virtio_blk *blk, uint64_t sector, uint64_t count)
{
	return sector <= blk->capacity && count <= blk->capacity - sector;
}

/*
 * Whether len data bytes from the request's sector are whole sectors on the disk, few enough
 * that the used length (32 bits, with the status byte) can count them.
 */
static bool transfer_valid(const struct blk_io *io, uint64_t len)
{
	return len < UINT32_MAX && len % VIRTIO_BLK_SECTOR_SIZE == 0 &&
	       sectors_valid(io->blk, io->sector, len / VIRTIO_BLK_SECTOR_SIZE);
}

static uint8_t blk_read(struct blk_io *io)
{
	uint64_t len = io->req->write_len - 1, done = 0;
	uint64_t offset = io->sector * VIRTIO_BLK_SECTOR_SIZE;

	if (!transfer_valid(io, len))
		return VIRTIO_BLK_S_IOERR;
	while (done < len) {
		size_t chunk = len - done < BLK_BOUNCE_BYTES ? len - done : BLK_BOUNCE_BYTES;

		if (plat_file_read(io->blk->file, io->blk->bounce, chunk, offset + done) !=
			    (int64_t)chunk ||
		    virtq_req_copy_to(io->q, io->req, done, io->blk->bounce, chunk) !=
			    (int64_t)chunk)
			return VIRTIO_BLK_S_IOERR;
		done += chunk;
		io->written = (uint32_t)done;
	}
	return VIRTIO_BLK_S_OK;
}

static uint8_t blk_write(struct blk_io *io)
{
	uint64_t len = io->req->read_len - BLK_HEADER_BYTES, done = 0;
	uint64_t offset = io->sector * VIRTIO_BLK_SECTOR_SIZE;

	if (io->blk->readonly || !transfer_valid(io, len))
		return VIRTIO_BLK_S_IOERR;
	while (done < len) {
		size_t chunk = len - done < BLK_BOUNCE_BYTES ? len - done : BLK_BOUNCE_BYTES;

		if (virtq_req_copy_from(io->q, io->req, BLK_HEADER_BYTES + done, io->blk->bounce,
					chunk) != (int64_t)chunk ||
		    plat_file_write(io->blk->file, io->blk->bounce, chunk, offset + done) !=
			    (int64_t)chunk)
			return VIRTIO_BLK_S_IOERR;
		done += chunk;
	}
	return VIRTIO_BLK_S_OK;
}

static uint8_t blk_flush(struct blk_io *io)
{
	if (io->blk->readonly)
		return VIRTIO_BLK_S_OK;
	return plat_file_sync(io->blk->file) ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
}

static uint8_t blk_get_id(struct blk_io *io)
{
	uint64_t len = io->req->write_len - 1;

	/* 5.2.6: the ID is 20 bytes; a shorter buffer gets as much as fits. */
	if (len > VIRTIO_BLK_ID_BYTES)
		len = VIRTIO_BLK_ID_BYTES;
	if (virtq_req_copy_to(io->q, io->req, 0, io->blk->id, len) != (int64_t)len)
		return VIRTIO_BLK_S_IOERR;
	io->written = (uint32_t)len;
	return VIRTIO_BLK_S_OK;
}

static int zero_sectors(struct virtio_blk *blk, uint64_t sector, uint64_t count)
{
	uint64_t offset = sector * VIRTIO_BLK_SECTOR_SIZE, len = count * VIRTIO_BLK_SECTOR_SIZE;
	uint64_t done = 0;

	memset(blk->bounce, 0, BLK_BOUNCE_BYTES);
	while (done < len) {
		size_t chunk = len - done < BLK_BOUNCE_BYTES ? len - done : BLK_BOUNCE_BYTES;

		if (plat_file_write(blk->file, blk->bounce, chunk, offset + done) != (int64_t)chunk)
			return -EIO;
		done += chunk;
	}
	return 0;
}

/*
 * DISCARD and WRITE_ZEROES: the readable data is an array of {sector, num_sectors, flags}. All
 * ranges are checked before any is applied, so a bad request changes nothing.
 */
static uint8_t blk_ranges(struct blk_io *io, bool zeroes)
{
	uint8_t ranges[VIRTIO_BLK_RANGES_MAX * BLK_RANGE_BYTES];
	uint64_t len = io->req->read_len - BLK_HEADER_BYTES;
	unsigned n = (unsigned)(len / BLK_RANGE_BYTES), i;

	if (io->blk->readonly)
		return VIRTIO_BLK_S_IOERR;
	if (len == 0 || len % BLK_RANGE_BYTES || n > VIRTIO_BLK_RANGES_MAX)
		return VIRTIO_BLK_S_UNSUPP;
	if (virtq_req_copy_from(io->q, io->req, BLK_HEADER_BYTES, ranges, len) != (int64_t)len)
		return VIRTIO_BLK_S_IOERR;
	for (i = 0; i < n; i++) {
		const uint8_t *r = ranges + i * BLK_RANGE_BYTES;
		uint32_t flags = virtio_le32(r + 12);

		/* 5.2.6.2: unmap is only for write-zeroes; other flag bits are reserved. */
		if (flags & ~VIRTIO_BLK_DISCARD_WZ_UNMAP || (!zeroes && flags))
			return VIRTIO_BLK_S_UNSUPP;
		if (!sectors_valid(io->blk, virtio_le64(r), virtio_le32(r + 8)))
			return VIRTIO_BLK_S_IOERR;
	}
	/*
	 * A discarded range's contents are unspecified afterwards (5.2.6.2) and plat.h cannot
	 * deallocate file blocks, so discard keeps the data: the checks above are all it does.
	 */
	if (!zeroes)
		return VIRTIO_BLK_S_OK;
	for (i = 0; i < n; i++) {
		const uint8_t *r = ranges + i * BLK_RANGE_BYTES;

		if (zero_sectors(io->blk, virtio_le64(r), virtio_le32(r + 8)))
			return VIRTIO_BLK_S_IOERR;
	}
	return VIRTIO_BLK_S_OK;
}

static uint8_t blk_discard(struct blk_io *io)
{
	return blk_ranges(io, false);
}

static uint8_t blk_write_zeroes(struct blk_io *io)
{
	return blk_ranges(io, true);
}

static const struct {
	uint32_t type;
	uint8_t (*run)(struct blk_io *io);
} blk_requests[] = {
	{ VIRTIO_BLK_T_IN, blk_read },	       { VIRTIO_BLK_T_OUT, blk_write },
	{ VIRTIO_BLK_T_FLUSH, blk_flush },     { VIRTIO_BLK_T_GET_ID, blk_get_id },
	{ VIRTIO_BLK_T_DISCARD, blk_discard }, { VIRTIO_BLK_T_WRITE_ZEROES, blk_write_zeroes },
};

/*
 * Runs one request and pushes it. Returns 0, or a negative errno when the chain cannot even
 * carry a header and a status byte: there is then no way to answer and the device needs reset.
 */
static int blk_request(struct virtio_blk *blk, struct virtq *q, const struct virtq_req *req)
{
	struct blk_io io = { blk, q, req, 0, 0 };
	uint8_t header[BLK_HEADER_BYTES], status = VIRTIO_BLK_S_UNSUPP;
	uint32_t type;
	size_t i;

	if (req->write_len < 1 || req->read_len < BLK_HEADER_BYTES ||
	    virtq_req_copy_from(q, req, 0, header, sizeof(header)) != (int64_t)sizeof(header))
		return -EINVAL;
	type = virtio_le32(header);
	io.sector = virtio_le64(header + 8);
	for (i = 0; i < ARRAY_SIZE(blk_requests); i++) {
		if (blk_requests[i].type == type) {
			status = blk_requests[i].run(&io);
			break;
		}
	}
	if (virtq_req_copy_to(q, req, req->write_len - 1, &status, 1) != 1)
		return -EFAULT;
	return virtq_push(q, req->head, io.written + 1);
}

static void virtio_blk_notify(struct virtio_dev *dev, unsigned queue)
{
	struct virtio_blk *blk = container_of(dev, struct virtio_blk, vdev);
	struct virtq *q = &dev->vq[queue];
	int rc;

	spin_lock(&dev->lock);
	while (virtio_dev_queue_live(dev, queue)) {
		rc = virtq_pop(q, &blk->req);
		if (rc == 0)
			break;
		if (rc > 0)
			rc = blk_request(blk, q, &blk->req);
		if (rc < 0)
			virtio_dev_fail(dev);
	}
	virtio_dev_used(dev, queue);
	spin_unlock(&dev->lock);
}

static void virtio_blk_config_read(struct virtio_dev *dev, uint32_t offset, void *buf, unsigned len)
{
	struct virtio_blk *blk = container_of(dev, struct virtio_blk, vdev);

	memcpy(buf, blk->config + offset, len);
}

static const struct virtio_device_ops virtio_blk_ops = {
	.device_id = VIRTIO_ID_BLOCK,
	.config_size = VIRTIO_BLK_CONFIG_SIZE,
	.config_read = virtio_blk_config_read,
	.queue_notify = virtio_blk_notify,
};

int virtio_blk_init(struct virtio_blk *blk, struct gpa_space *gpa, struct plat_file *file,
		    bool readonly, const char *id)
{
	int64_t size = plat_file_size(file);
	uint64_t features = (1ull << VIRTIO_BLK_F_SEG_MAX) | (1ull << VIRTIO_BLK_F_FLUSH);

	if (size < 0)
		return (int)size;
	memset(blk, 0, sizeof(*blk));
	blk->bounce = plat_alloc(BLK_BOUNCE_BYTES);
	if (!blk->bounce)
		return -ENOMEM;
	blk->file = file;
	blk->readonly = readonly;
	/* A partial last sector cannot be addressed; it stays as it is. */
	blk->capacity = (uint64_t)size / VIRTIO_BLK_SECTOR_SIZE;
	if (id)
		strncpy(blk->id, id, sizeof(blk->id));
	if (readonly)
		features |= 1ull << VIRTIO_BLK_F_RO;
	else
		features |= (1ull << VIRTIO_BLK_F_DISCARD) | (1ull << VIRTIO_BLK_F_WRITE_ZEROES);
	virtio_put_le64(blk->config + CFG_CAPACITY, blk->capacity);
	/* The header and the status take two of the queue's descriptors. */
	virtio_put_le32(blk->config + CFG_SEG_MAX, VIRTQ_SIZE_MAX - 2);
	virtio_put_le32(blk->config + CFG_MAX_DISCARD_SECTORS, UINT32_MAX);
	virtio_put_le32(blk->config + CFG_MAX_DISCARD_SEG, VIRTIO_BLK_RANGES_MAX);
	virtio_put_le32(blk->config + CFG_DISCARD_SECTOR_ALIGNMENT, 1);
	virtio_put_le32(blk->config + CFG_MAX_WRITE_ZEROES_SECTORS, UINT32_MAX);
	virtio_put_le32(blk->config + CFG_MAX_WRITE_ZEROES_SEG, VIRTIO_BLK_RANGES_MAX);
	virtio_dev_init(&blk->vdev, &virtio_blk_ops, gpa, 1, features);
	return 0;
}

void virtio_blk_destroy(struct virtio_blk *blk)
{
	plat_free(blk->bounce);
	blk->bounce = NULL;
}
