/* SPDX-License-Identifier: MIT */
/*
 * virtio-blk (VirtIO 1.2, 5.2) over a struct plat_file: a host file in polyrun, an image
 * preloaded from the ESP on bare metal. The disk's capacity is the file's size in 512-byte
 * sectors; a read-only disk offers VIRTIO_BLK_F_RO and fails every write with IOERR.
 */
#ifndef PV_VIRTIO_BLK_H
#define PV_VIRTIO_BLK_H

#include <stdbool.h>
#include <stdint.h>

#include "virtio/virtio.h"

#define VIRTIO_BLK_SECTOR_SIZE 512u
#define VIRTIO_BLK_ID_BYTES 20u

/* Feature bits (5.2.3). */
#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_FLUSH 9
#define VIRTIO_BLK_F_DISCARD 13
#define VIRTIO_BLK_F_WRITE_ZEROES 14

/* Request types and status (5.2.6). */
#define VIRTIO_BLK_T_IN 0u
#define VIRTIO_BLK_T_OUT 1u
#define VIRTIO_BLK_T_FLUSH 4u
#define VIRTIO_BLK_T_GET_ID 8u
#define VIRTIO_BLK_T_DISCARD 11u
#define VIRTIO_BLK_T_WRITE_ZEROES 13u
#define VIRTIO_BLK_S_OK 0u
#define VIRTIO_BLK_S_IOERR 1u
#define VIRTIO_BLK_S_UNSUPP 2u

#define VIRTIO_BLK_DISCARD_WZ_UNMAP 1u
/* Ranges one discard or write-zeroes request may carry (max_discard_seg, max_write_zeroes_seg). */
#define VIRTIO_BLK_RANGES_MAX 16u
#define VIRTIO_BLK_CONFIG_SIZE 60u

struct plat_file;

struct virtio_blk {
	struct virtio_dev vdev;
	struct plat_file *file;
	uint64_t capacity; /* sectors */
	bool readonly;
	char id[VIRTIO_BLK_ID_BYTES]; /* GET_ID's answer, NUL-padded, not NUL-terminated when full */
	uint8_t config[VIRTIO_BLK_CONFIG_SIZE];
	uint8_t *bounce; /* staging between the file and guest memory */
	struct virtq_req req;
};

/*
 * Makes a disk of file (which stays the caller's, open for reading, and for writing unless
 * readonly) in guest space gpa. id may be NULL. Returns 0, -ENOMEM, or plat_file_size's error.
 */
int virtio_blk_init(struct virtio_blk *blk, struct gpa_space *gpa, struct plat_file *file,
		    bool readonly, const char *id);
void virtio_blk_destroy(struct virtio_blk *blk);

#endif
