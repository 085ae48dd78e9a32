// SPDX-License-Identifier: MIT
/*
 * A read-only virtio-blk disk on the riscv64 virt board (-drive file=X,if=virtio,readonly=on, in
 * slot 0): the device must offer VIRTIO_BLK_F_RO, complete every write (OUT, WRITE_ZEROES,
 * DISCARD) with an error status and only the status byte written (VirtIO 1.2, 5.2.6.2: IOERR for a
 * write, and no data written), still flush and read, and the disk must read as before. The
 * host side (tests/integration/hostile-riscv64.sh) checks the image is unchanged, byte for byte.
 *
 * Sector s of the disk starts with "POLYVISOR-RO-SECTOR-" and the digit s, for s = 0, 1.
 * Prints one "BLKRO <check> ok" line per check, then "BLKRO-OK", and powers off; a wrong outcome
 * prints what happened and exits with the check's number.
 */
#include "virt.h"

#define SLOT VIRTIO_SLOT(0)

static struct virtq q;
static struct virtio_blk_header header;
static uint8_t data[2 * VIRTIO_BLK_SECTOR];
static volatile uint8_t status;
static unsigned check_number;

static void check(const char *what, int ok)
{
	check_number++;
	put_str("BLKRO ");
	put_str(what);
	if (ok) {
		put_str(" ok\n");
		return;
	}
	put_str(" failed\n");
	fail(check_number);
}

/*
 * One request: header, then len bytes of data in the direction the type wants (none when len is
 * 0), then the status byte. Returns the status, or 0xff when the device did not complete it;
 * *used_len is what the device said it wrote.
 */
static uint8_t request(uint32_t type, uint64_t sector, uint32_t len, uint32_t *used_len)
{
	uint16_t used_before = q.used.idx, last = len ? 2 : 1;

	header = (struct virtio_blk_header){ .type = type, .sector = sector };
	q.desc[0] = (struct virtq_desc){ (uintptr_t)&header, sizeof(header), VIRTQ_DESC_NEXT, 1 };
	if (len) {
		q.desc[1] = (struct virtq_desc){ (uintptr_t)data, len, VIRTQ_DESC_NEXT, 2 };
		if (type == VIRTIO_BLK_T_IN)
			q.desc[1].flags |= VIRTQ_DESC_WRITE;
	}
	q.desc[last] = (struct virtq_desc){ (uintptr_t)&status, 1, VIRTQ_DESC_WRITE, 0 };
	status = 0xff;
	virtq_offer(SLOT, &q, 0);
	for (unsigned spin = 0; spin < 1000000; spin++) {
		if (*(volatile uint16_t *)&q.used.idx != used_before) {
			*used_len = q.used.ring[used_before % VIRTQ_SIZE].len;
			return status;
		}
	}
	return 0xff;
}

static int sector_has_pattern(unsigned s)
{
	static const char pattern[] = "POLYVISOR-RO-SECTOR-";
	unsigned i;

	for (i = 0; i < sizeof(pattern) - 1; i++) {
		if (data[i] != (uint8_t)pattern[i])
			return 0;
	}
	return data[i] == '0' + s;
}

static void fill(uint8_t value, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++)
		data[i] = value;
}

int main(void)
{
	uint32_t features, used_len = 0;
	int err;

	check("slot0-is-blk", virtio_read(SLOT, VIRTIO_MAGIC) == 0x74726976 &&
				      virtio_read(SLOT, VIRTIO_VERSION) == 2 &&
				      virtio_read(SLOT, VIRTIO_DEVICE_ID) == 2);
	features = virtio_setup(SLOT, &q, 1u << VIRTIO_BLK_F_RO, &err);
	check("setup", !err);
	check("offers-ro", features >> VIRTIO_BLK_F_RO & 1);

	fill(0, sizeof(data));
	check("read-sector-0",
	      request(VIRTIO_BLK_T_IN, 0, VIRTIO_BLK_SECTOR, &used_len) == VIRTIO_BLK_S_OK &&
		      used_len == VIRTIO_BLK_SECTOR + 1 && sector_has_pattern(0));

	fill('W', sizeof(data));
	check("write-ioerr", request(VIRTIO_BLK_T_OUT, 0, 2 * VIRTIO_BLK_SECTOR, &used_len) ==
					     VIRTIO_BLK_S_IOERR &&
				     used_len == 1);
	/* WRITE_ZEROES and DISCARD carry {sector, count, flags}: one sector each time. */
	fill(0, 16);
	data[8] = 1;
	check("write-zeroes-refused",
	      request(VIRTIO_BLK_T_WRITE_ZEROES, 0, 16, &used_len) != VIRTIO_BLK_S_OK &&
		      used_len == 1);
	check("discard-refused",
	      request(VIRTIO_BLK_T_DISCARD, 0, 16, &used_len) != VIRTIO_BLK_S_OK && used_len == 1);
	check("flush-ok", request(VIRTIO_BLK_T_FLUSH, 0, 0, &used_len) == VIRTIO_BLK_S_OK);
	check("device-healthy", !(virtio_read(SLOT, VIRTIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET));

	for (unsigned s = 0; s < 2; s++) {
		fill(0, sizeof(data));
		check(s ? "sector-1-unchanged" : "sector-0-unchanged",
		      request(VIRTIO_BLK_T_IN, s, VIRTIO_BLK_SECTOR, &used_len) ==
				      VIRTIO_BLK_S_OK &&
			      sector_has_pattern(s));
	}
	put_str("BLKRO-OK\n");
	pass();
}

void on_interrupt(uint64_t cause)
{
	put_str("BLKRO unexpected interrupt ");
	put_hex(cause);
	put_str("\n");
	fail(200);
}
